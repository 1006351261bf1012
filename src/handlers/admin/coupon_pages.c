/* The admin console's coupons page (SPEC §4 admin console): the coupons newest first (of one
 * shopper, by e-mail, or of all), each available one with the form that revokes it, and the form
 * that issues a coupon to one shopper named by e-mail or to every active shopper. The issue and the
 * revocation are console.c's handlers, as for the API. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/admin.h"
#include "db/reference.h"
#include "db/users.h"
#include "handlers/admin/admin.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"

static json_object *present_coupon(const struct admin_coupon *c)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(c->id));
	json_object_object_add(o, "user_id", json_object_new_int64(c->user_id));
	json_object_object_add(o, "email", c->email[0] ? json_object_new_string(c->email) : NULL);
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "percent", c->percent ? json_object_new_int64(c->percent) : NULL);
	json_object_object_add(o, "amount", c->amount ? json_object_new_int64(c->amount) : NULL);
	json_object_object_add(o, "min_line_amount", json_object_new_int64(c->min_line_amount));
	json_object_object_add(o, "state", json_object_new_string(c->state));
	json_object_object_add(o, "available", json_object_new_boolean(strcmp(c->state, "available") == 0));
	json_object_object_add(o, "valid_until", json_object_new_string(c->valid_until));
	return o;
}

/* The categories for the form's choice, the one entered (drawn again) selected. */
static json_object *category_choices(struct request *req, struct response *res)
{
	json_object *list = NULL, *chosen = NULL;
	long long picked = res->form_values && json_object_object_get_ex(res->form_values, "category_id", &chosen)
	                       ? strtoll(json_object_get_string(chosen), NULL, 10)
	                       : 0;
	if (reference_choices(REFERENCE_CATEGORIES, req->lang, picked, NULL, &list) != ST_OK || !list)
		return json_object_new_array();
	return list;
}

/* GET /admin/coupons (email: one shopper's; page, per_page; issued, revoked: the notice after a
 * form), and the same page drawn again when the issue form is refused. */
enum status page_admin_coupons(struct request *req, struct response *res)
{
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	const char *email = req_text(req, "email");
	long long user = 0;
	if (email) {
		struct user u;
		enum status st = db_user_by_email(email, &u);
		if (st != ST_OK && st != ST_NOT_FOUND)
			return st;
		user = st == ST_OK ? u.id : -1; /* nobody by that address: an empty list */
	}
	struct admin_coupon *list = NULL;
	size_t n = 0;
	long long total = 0;
	if (user >= 0) {
		enum status st = db_admin_coupons(user, page, per_page, &list, &n, &total);
		if (st != ST_OK)
			return st;
	}
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_coupon(&list[i]));
	free(list);
	json_object *model = response_model(res);
	json_object_object_add(model, "list", present_list(items, page, per_page, total));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	json_object_object_add(model, "email", email ? json_object_new_string(email) : NULL);
	json_object_object_add(model, "pagination",
	                       admin_page_links("/admin/coupons", "email", email, page, per_page, total));
	json_object_object_add(model, "categories", category_choices(req, res));
	json_object_object_add(model, "issued",
	                       req_given(req, "issued") ? json_object_new_int64(req_int(req, "issued")) : NULL);
	json_object_object_add(model, "revoked", json_object_new_boolean(req_int(req, "revoked") != 0));
	return response_view(res, res->errors ? 422 : 200, "pages/admin-coupons", model);
}

/* POST /admin/coupons (the API's fields, to_email instead of user_id: blank, every active
 * shopper): 303 to /admin/coupons?issued=N; 422 with the form again (to_email not_found: no
 * active shopper has that address). */
enum status page_admin_coupon_issue(struct request *req, struct response *res)
{
	const char *to = req_text(req, "to_email");
	long long user = 0;
	if (to && *to) {
		struct user u;
		enum status st = db_user_by_email(to, &u);
		if (st == ST_NOT_FOUND || (st == ST_OK && (u.role != USER_SHOPPER || u.status != USER_ACTIVE)))
			return response_field_error(res, ST_INVALID, "to_email", "not_found");
		if (st != ST_OK)
			return st;
		user = u.id;
	}
	return admin_coupon_issue(req, res, user, "to_email");
}
