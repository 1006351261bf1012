#include "handlers/forms.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "http/request.h"
#include "http/response.h"
#include "http/url.h"
#include "view/view.h"

const struct form_choice form_body_types[] = {
    {"1", "account.body_type.1"}, {"2", "account.body_type.2"}, {"3", "account.body_type.3"}, {NULL, NULL}};
const struct form_choice form_genders[] = {{"W", "account.gender.W"}, {"M", "account.gender.M"}, {NULL, NULL}};

const char *form_value(const struct response *res, const char *field)
{
	json_object *v;
	if (res->form_values && json_object_object_get_ex(res->form_values, field, &v))
		return json_object_get_string(v);
	return NULL;
}

static json_object *choice(const char *value, const char *label, const char *chosen)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "value", json_object_new_string(value));
	json_object_object_add(o, "label", json_object_new_string(label));
	json_object_object_add(o, "checked", json_object_new_boolean(chosen && strcmp(chosen, value) == 0));
	return o;
}

json_object *form_choices(const struct response *res, const char *field, const struct form_choice *choices,
                          const char *lang)
{
	const char *chosen = form_value(res, field);
	json_object *list = json_object_new_array();
	for (const struct form_choice *c = choices; c->value; c++)
		json_object_array_add(list, choice(c->value, view_message(lang, c->label_key), chosen));
	return list;
}

json_object *form_reference_choices(const struct response *res, const char *field, enum reference_kind kind,
                                    const char *lang)
{
	const char *chosen = form_value(res, field);
	json_object *items, *list = json_object_new_array();
	if (reference_list(kind, lang, &items) != ST_OK)
		return list;
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)json_object_get_int64(json_object_object_get(it, "id")));
		json_object_array_add(list,
		                      choice(id, json_object_get_string(json_object_object_get(it, "name")), chosen));
	}
	json_object_put(items);
	return list;
}

const char *form_next(const struct request *req, const char *fallback)
{
	const char *next = req_text(req, "next");
	return next && url_is_local_path(next) ? next : fallback;
}

bool form_signed_in_elsewhere(const struct request *req, struct response *res)
{
	if (req->role == ROLE_GUEST)
		return false;
	response_redirect(res, req->role == ROLE_SELLER || req->role == ROLE_INACTIVE_SELLER ? "/seller"
	                       : req->role == ROLE_ADMIN                                     ? "/admin"
	                                                                                     : "/me");
	return true;
}

void form_profile_choices(const struct response *res, json_object *page, const char *lang)
{
	json_object_object_add(page, "styles", form_reference_choices(res, "preferred_style", REFERENCE_STYLES, lang));
	json_object_object_add(page, "genders", form_choices(res, "gender", form_genders, lang));
	json_object_object_add(page, "upper_types", form_choices(res, "upper_body_type", form_body_types, lang));
	json_object_object_add(page, "lower_types", form_choices(res, "lower_body_type", form_body_types, lang));
}

void form_read_profile(const struct request *req, struct user_profile *p)
{
	*p = (struct user_profile){
	    .name = req_text(req, "name"),
	    .birth_date = req_int(req, "birth_date"),
	    .gender = req_text(req, "gender"),
	    .phone = req_text(req, "phone"),
	    .postal_code = req_text(req, "postal_code"),
	    .address = req_text(req, "address"),
	    .address_detail = req_text(req, "address_detail"),
	    .preferred_style_id = req_int(req, "preferred_style"),
	    .upper_body_type = (int)req_int(req, "upper_body_type"),
	    .lower_body_type = (int)req_int(req, "lower_body_type"),
	    .height_cm = (int)req_int(req, "height_cm"),
	    .weight_kg = (int)req_int(req, "weight_kg"),
	};
}

enum status form_check_profile(struct response *res, const struct user_profile *p, const char *lang)
{
	enum status st = ST_OK;
	if (p->preferred_style_id) {
		json_object *style = NULL;
		enum status found = reference_get(REFERENCE_STYLES, p->preferred_style_id, lang, &style);
		json_object_put(style);
		if (found == ST_NOT_FOUND)
			st = response_field_error(res, ST_INVALID, "preferred_style", "not_allowed");
		else if (found != ST_OK)
			return found;
	}
	if (p->birth_date && p->birth_date > input_today() - FORM_MIN_AGE * 10000)
		st = response_field_error(res, ST_INVALID, "birth_date", "too_young");
	return st;
}

void form_notices(const struct request *req, json_object *page, const char *const *names)
{
	for (; *names; names++)
		if (req_int(req, *names))
			json_object_object_add(page, *names, json_object_new_boolean(1));
}
