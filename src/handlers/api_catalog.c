/* The catalogue API (SPEC §5): the product listing with its filters, sorts and pages, one
 * product, the brands. Inputs are declared and validated in src/http/routes.c; the SQL is in
 * src/db/catalog.c. */
#include <json-c/json.h>

#include "db/catalog.h"
#include "db/reference.h"
#include "handlers/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "view/view.h"

#define DEFAULT_PER_PAGE 24

/* The validated integer input `name`, or fallback when it was not given. */
static long long int_input(const struct request *req, const char *name, long long fallback)
{
	const struct input_value *v = request_input(req, name);
	return v && v->present ? v->i : fallback;
}

/* The validated text input `name`, or NULL when it was not given or left blank. */
static const char *text_input(const struct request *req, const char *name)
{
	const struct input_value *v = request_input(req, name);
	return v && v->present && v->len > 0 ? v->s : NULL;
}

/* Answers a page in the list shape of SPEC §5 (takes the items). */
static void respond_page(struct request *req, struct response *res, struct catalog_page *p, int page, int per_page)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", p->items);
	json_object_object_add(o, "page", json_object_new_int(page));
	json_object_object_add(o, "per_page", json_object_new_int(per_page));
	json_object_object_add(o, "total", json_object_new_int64(p->total));
	json_object_object_add(o, "total_is_lower_bound", json_object_new_boolean(p->total_is_lower_bound));
	view_respond(req, res, 200, NULL, o);
}

/* GET /api/v1/products: 200, 422 (an invalid input, or min_price above max_price), 503. */
void api_products_list(struct request *req, struct response *res)
{
	struct catalog_filter f = {
	    .category_id = int_input(req, "category", 0),
	    .style_id = int_input(req, "style", 0),
	    .brand_id = int_input(req, "brand", 0),
	    .size = text_input(req, "size"),
	    .min_price = int_input(req, "min_price", -1),
	    .max_price = int_input(req, "max_price", -1),
	    .on_sale = (int)int_input(req, "on_sale", -1),
	    .q = text_input(req, "q"),
	    .sort = (enum catalog_sort)int_input(req, "sort", CATALOG_SORT_NEWEST),
	    .page = (int)int_input(req, "page", 1),
	    .per_page = (int)int_input(req, "per_page", DEFAULT_PER_PAGE),
	};
	if (f.min_price >= 0 && f.max_price >= 0 && f.min_price > f.max_price) {
		json_object *errors = json_object_new_object();
		json_object_object_add(errors, "min_price", json_object_new_string("too_large"));
		response_error(req, res, 422, "VALIDATION_FAILED", "min_price must not be more than max_price.",
		               errors);
		return;
	}
	struct catalog_page p;
	int rc = catalog_list_products(&f, &p);
	if (rc != 0) {
		response_db_failure(req, res, rc);
		return;
	}
	respond_page(req, res, &p, f.page, f.per_page);
}

/* {id, code, name, name_ko, name_en} of a category or style in the request's language, added to o
 * under key. Returns DB_OK or a negative db_status (a missing row, which the foreign keys rule out,
 * is answered as null). */
static int add_reference(json_object *o, const char *key, enum reference_kind kind, long long id, const char *lang)
{
	json_object *item = NULL;
	int rc = reference_get(kind, id, lang, &item);
	if (rc < 0)
		return rc;
	json_object_object_add(o, key, item);
	return 0;
}

/* GET /api/v1/products/{id}: 200, 404 (absent, not active, or its brand inactive), 503. */
void api_product_get(struct request *req, struct response *res)
{
	json_object *p;
	int rc = catalog_get_product(req->path_params[0], &p);
	if (rc == 1) {
		response_error(req, res, 404, "NOT_FOUND", "No such product.", NULL);
		return;
	}
	if (rc == 0) {
		long long category = json_object_get_int64(json_object_object_get(p, "category_id"));
		long long style = json_object_get_int64(json_object_object_get(p, "style_id"));
		rc = add_reference(p, "category", REFERENCE_CATEGORIES, category, req->lang);
		if (rc == 0)
			rc = add_reference(p, "style", REFERENCE_STYLES, style, req->lang);
	}
	if (rc != 0) {
		json_object_put(p);
		response_db_failure(req, res, rc);
		return;
	}
	view_respond(req, res, 200, NULL, p);
}

/* GET /api/v1/brands: 200, 422, 503. */
void api_brands_list(struct request *req, struct response *res)
{
	int page = (int)int_input(req, "page", 1);
	int per_page = (int)int_input(req, "per_page", DEFAULT_PER_PAGE);
	struct catalog_page p;
	int rc = catalog_list_brands(page, per_page, &p);
	if (rc != 0) {
		response_db_failure(req, res, rc);
		return;
	}
	respond_page(req, res, &p, page, per_page);
}

/* GET /api/v1/brands/{id}: 200, 404 (absent or inactive), 503. */
void api_brand_get(struct request *req, struct response *res)
{
	json_object *b;
	int rc = catalog_get_brand(req->path_params[0], &b);
	if (rc == 1)
		response_error(req, res, 404, "NOT_FOUND", "No such brand.", NULL);
	else if (rc != 0)
		response_db_failure(req, res, rc);
	else
		view_respond(req, res, 200, NULL, b);
}
