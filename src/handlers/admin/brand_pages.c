/* The admin console's brand pages (SPEC §4 admin console): the brands listed, the form that creates
 * one (with its logo), a brand's edit form with its key rotation and (de)activation. The changes
 * themselves are the API's handlers (console.c), which answer a page's form here: a redirect to
 * the brand's page, or the page that shows a new key this once. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/admin.h"
#include "handlers/admin/admin.h"
#include "handlers/filter.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "http/url.h"
#include "util/buf.h"
#include "view/pagination.h"

json_object *admin_page_links(const char *path, const char *filter, const char *value, int page, int per_page,
                              long long total)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, path);
	if (value)
		url_add_param(&b, filter, value);
	if (per_page != FILTER_DEFAULT_PER_PAGE)
		url_add_int(&b, "per_page", per_page);
	json_object *links = pagination_links(buf_str(&b), page, pagination_last_page(total, per_page));
	buf_free(&b);
	return links;
}

/* GET /admin/brands (page, per_page): every brand, active or not, by name. */
enum status page_admin_brands(struct request *req, struct response *res)
{
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	struct admin_brand_row *list;
	size_t n;
	long long total;
	enum status st = db_admin_brands(page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(list[i].id));
		json_object_object_add(o, "name", json_object_new_string(list[i].name));
		json_object_object_add(o, "active", json_object_new_boolean(strcmp(list[i].status, "active") == 0));
		json_object_object_add(o, "shipping_fee", json_object_new_int64(list[i].shipping_fee));
		json_object_array_add(items, o);
	}
	free(list);
	json_object *model = response_model(res);
	json_object_object_add(model, "list", present_list(items, page, per_page, total));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	json_object_object_add(model, "pagination",
	                       admin_page_links("/admin/brands", NULL, NULL, page, per_page, total));
	return response_view(res, 200, "pages/admin-brands", model);
}

/* GET /admin/brands/new, and the same form drawn again when POST /admin/brands refuses a field. */
enum status page_admin_brand_new(struct request *req, struct response *res)
{
	(void)req;
	response_form_value(res, "shipping_fee", "3000");
	response_form_value(res, "return_shipping_cost", "0");
	return response_view(res, res->errors ? 422 : 200, "pages/admin-brand-new", response_model(res));
}

static void form_number(struct response *res, const char *field, long long v)
{
	char s[24] = "";
	if (v >= 0)
		snprintf(s, sizeof s, "%lld", v);
	response_form_value(res, field, s);
}

/* GET /admin/brands/{id} (updated: the notice after a form), and the form drawn again when
 * POST /admin/brands/{id} refuses a field: what an admin may change, the key rotation and the
 * (de)activation. The webhook's URL is a secret: the page says only whether there is one. */
enum status page_admin_brand(struct request *req, struct response *res)
{
	struct admin_brand b;
	enum status st = db_admin_brand(req->path_params[0], &b);
	if (st != ST_OK)
		return st;
	form_number(res, "shipping_fee", b.shipping_fee);
	form_number(res, "free_shipping_threshold", b.free_shipping_threshold);
	form_number(res, "return_shipping_cost", b.return_shipping_cost);
	response_form_value(res, "return_courier", b.return_courier);
	response_form_value(res, "return_address", b.return_address);
	response_form_value(res, "introduction", b.introduction);
	json_object *brand = json_object_new_object();
	json_object_object_add(brand, "id", json_object_new_int64(b.id));
	json_object_object_add(brand, "name", json_object_new_string(b.name));
	json_object_object_add(brand, "active", json_object_new_boolean(strcmp(b.status, "active") == 0));
	json_object_object_add(brand, "webhook_set", json_object_new_boolean(b.has_webhook));
	json_object *model = response_model(res);
	json_object_object_add(model, "brand", brand);
	json_object_object_add(model, "updated", json_object_new_boolean(req_int(req, "updated") != 0));
	return response_view(res, res->errors ? 422 : 200, "pages/admin-brand", model);
}

enum status page_admin_brand_key_shown(struct request *req, struct response *res, long long id, const char *key,
                                       bool created)
{
	struct admin_brand b;
	enum status st = db_admin_brand(id, &b);
	if (st != ST_OK)
		return st;
	(void)req;
	res->personal = true; /* Cache-Control: no-store: the key is on this answer only */
	json_object *model = response_model(res);
	json_object_object_add(model, "id", json_object_new_int64(b.id));
	json_object_object_add(model, "name", json_object_new_string(b.name));
	json_object_object_add(model, "brand_key", json_object_new_string(key));
	json_object_object_add(model, "created", json_object_new_boolean(created));
	return response_view(res, created ? 201 : 200, "pages/admin-brand-key", model);
}
