/* /for-me (SPEC §4, §6 "Recommendations"): "popular with your body type" (units bought by shoppers
 * of the same upper-body type, then lower-body type: src/db/catalog.c catalog_for_body_type) and
 * "your style" (the style's products by popularity, the listing's statement). A shopper's come
 * from the profile; anyone may pick a body type and a style for this visit (the query), and a guest
 * who has picked nothing is invited to sign up or to pick. */
#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/catalog.h"
#include "db/users.h"
#include "handlers/forms.h"
#include "handlers/shop/cards.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "view/view.h"

/* The products a list shows at most. */
#define FOR_ME_COUNT 12

/* {items (cards), empty} of a list; takes items. */
static json_object *product_list(struct response *res, json_object *items, const char *lang)
{
	json_object *list = json_object_new_object();
	json_object_object_add(list, "empty", json_object_new_boolean(json_object_array_length(items) == 0));
	json_object_object_add(list, "items", cards_products(res, items, lang));
	return list;
}

/* "Popular with your body type". */
static enum status body_type_list(struct response *res, int upper, int lower, int count, const char *lang,
                                  json_object **out)
{
	json_object *items = json_object_new_array();
	enum status st = catalog_for_body_type(upper, lower, count, items);
	if (st != ST_OK) {
		json_object_put(items);
		return st;
	}
	*out = product_list(res, items, lang);
	return ST_OK;
}

/* "Your style": the style's products by popularity, with a link to all of them. */
static enum status style_list(struct response *res, long long style, int count, const char *lang, json_object **out)
{
	struct catalog_filter f = catalog_filter_first(CATALOG_SORT_POPULAR, count);
	f.style_id = style;
	json_object *items = json_object_new_array();
	enum status st = catalog_product_items(&f, items);
	if (st != ST_OK) {
		json_object_put(items);
		return st;
	}
	*out = product_list(res, items, lang);
	char url[40];
	snprintf(url, sizeof url, "/styles/%lld", style);
	json_object_object_add(*out, "more_url", json_object_new_string(url));
	return ST_OK;
}

enum status for_me_lists(struct response *res, const long long picks[3], int count, const char *lang, json_object *page)
{
	json_object *list;
	enum status st = ST_OK;
	if (picks[0] && picks[1]) {
		st = body_type_list(res, (int)picks[0], (int)picks[1], count, lang, &list);
		if (st != ST_OK)
			return st;
		json_object_object_add(page, "body_type", list);
	}
	if (picks[2]) {
		st = style_list(res, picks[2], count, lang, &list);
		if (st == ST_OK)
			json_object_object_add(page, "style", list);
	}
	return st;
}

enum status for_me_profile(const struct request *req, long long picks[3])
{
	struct user u;
	picks[0] = picks[1] = picks[2] = 0;
	enum status st = db_user_by_id(session_user_id(req), &u);
	if (st != ST_OK)
		return st;
	picks[0] = u.upper_body_type;
	picks[1] = u.lower_body_type;
	picks[2] = u.preferred_style_id;
	return ST_OK;
}

/* upper, lower, style: the profile's (a shopper's), each replaced by this visit's pick when given;
 * 0 when unknown. The picker is set to them. */
static enum status picks_of(struct request *req, struct response *res, long long picks[3])
{
	static const char *const fields[] = {"upper", "lower", "style"};
	picks[0] = picks[1] = picks[2] = 0;
	if (session_user_id(req)) {
		enum status st = for_me_profile(req, picks);
		if (st != ST_OK)
			return st;
	}
	for (int i = 0; i < 3; i++) {
		if (req_given(req, fields[i]))
			picks[i] = req_int(req, fields[i]);
		if (picks[i]) {
			char value[24];
			snprintf(value, sizeof value, "%lld", picks[i]);
			response_form_value(res, fields[i], value);
		}
	}
	return ST_OK;
}

/* GET /for-me (upper, lower, style: this visit's picks, over the profile's): 200. */
enum status page_for_me(struct request *req, struct response *res)
{
	long long picks[3]; /* upper, lower, style */
	enum status st = picks_of(req, res, picks);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	json_object_object_add(page, "uppers", form_choices(res, "upper", form_body_types, req->lang));
	json_object_object_add(page, "lowers", form_choices(res, "lower", form_body_types, req->lang));
	json_object_object_add(page, "styles", form_reference_choices(res, "style", REFERENCE_STYLES, req->lang));
	json_object_object_add(page, "guest", json_object_new_boolean(!session_user_id(req)));
	st = for_me_lists(res, picks, FOR_ME_COUNT, req->lang, page);
	if (st != ST_OK)
		return st;
	bool nothing = !(picks[0] && picks[1]) && !picks[2];
	json_object_object_add(page, "nothing_picked", json_object_new_boolean(nothing));
	return response_view(res, 200, "pages/for-me", page);
}
