/* /for-me (SPEC §4, §6 "Recommendations"): "popular with your body type" (units bought by shoppers
 * of the same upper-body type, then lower-body type: src/db/catalog.c catalog_for_body_type) and
 * "your style" (the style's products by popularity, the listing's statement). A shopper's come
 * from the profile; anyone may pick a body type and a style for this visit (the query), and a guest
 * who has picked nothing is invited to sign up or to pick. */
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

/* GET /for-me (upper, lower, style: this visit's picks, over the profile's): 200. */
enum status page_for_me(struct request *req, struct response *res)
{
	long long upper = 0, lower = 0, style = 0;
	if (session_user_id(req)) {
		struct user u;
		enum status st = db_user_by_id(session_user_id(req), &u);
		if (st != ST_OK)
			return st;
		upper = u.upper_body_type;
		lower = u.lower_body_type;
		style = u.preferred_style_id;
	}
	if (req_given(req, "upper"))
		upper = req_int(req, "upper");
	if (req_given(req, "lower"))
		lower = req_int(req, "lower");
	if (req_given(req, "style"))
		style = req_int(req, "style");

	json_object *page = response_model(res);
	char value[24];
	const char *const fields[] = {"upper", "lower", "style"};
	const long long values[] = {upper, lower, style};
	for (int i = 0; i < 3; i++) {
		if (values[i]) { /* the picker shows what the lists are for */
			snprintf(value, sizeof value, "%lld", values[i]);
			response_form_value(res, fields[i], value);
		}
	}
	json_object_object_add(page, "uppers", form_choices(res, "upper", form_body_types, req->lang));
	json_object_object_add(page, "lowers", form_choices(res, "lower", form_body_types, req->lang));
	json_object_object_add(page, "styles", form_reference_choices(res, "style", REFERENCE_STYLES, req->lang));
	json_object_object_add(page, "guest", json_object_new_boolean(!session_user_id(req)));

	if (upper && lower) {
		json_object *items = json_object_new_array();
		enum status st = catalog_for_body_type((int)upper, (int)lower, FOR_ME_COUNT, items);
		if (st != ST_OK) {
			json_object_put(items);
			return st;
		}
		json_object *body = json_object_new_object();
		json_object_object_add(body, "items", cards_products(items, req->lang));
		json_object_object_add(body, "empty", json_object_new_boolean(json_object_array_length(items) == 0));
		json_object_object_add(page, "body_type", body);
	}
	if (style) {
		struct catalog_filter f = {.style_id = style,
		                           .min_price = -1,
		                           .max_price = -1,
		                           .on_sale = -1,
		                           .sort = CATALOG_SORT_POPULAR,
		                           .page = 1,
		                           .per_page = FOR_ME_COUNT};
		json_object *items = json_object_new_array();
		enum status st = catalog_product_items(&f, items);
		if (st != ST_OK) {
			json_object_put(items);
			return st;
		}
		json_object *mine = json_object_new_object();
		json_object_object_add(mine, "items", cards_products(items, req->lang));
		json_object_object_add(mine, "empty", json_object_new_boolean(json_object_array_length(items) == 0));
		snprintf(value, sizeof value, "/styles/%lld", style);
		json_object_object_add(mine, "more_url", json_object_new_string(value));
		json_object_object_add(page, "style", mine);
	}
	json_object_object_add(page, "nothing_picked", json_object_new_boolean(!(upper && lower) && !style));
	return response_view(res, 200, "pages/for-me", page);
}
