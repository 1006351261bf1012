/* The catalogue API (SPEC §5): the product listing with its filters, sorts and pages, one
 * product, the brands. Inputs are declared and validated in src/handlers/routes.c; the SQL is in
 * src/db/catalog.c. */
#include <json-c/json.h>

#include "db/catalog.h"
#include "db/reference.h"
#include "handlers/api/api.h"
#include "handlers/filter.h"
#include "http/request.h"
#include "http/response.h"

/* Answers a page in the list shape of SPEC §5 (takes the items). */
static enum status respond_page(struct response *res, struct catalog_page *p, int page, int per_page)
{
	json_object *o = response_model(res);
	json_object_object_add(o, "items", p->items);
	json_object_object_add(o, "page", json_object_new_int(page));
	json_object_object_add(o, "per_page", json_object_new_int(per_page));
	json_object_object_add(o, "total", json_object_new_int64(p->total));
	json_object_object_add(o, "total_is_lower_bound", json_object_new_boolean(p->total_is_lower_bound));
	return ST_OK;
}

/* GET /api/v1/products: 200, 422 (an invalid input, or min_price above max_price), 503. */
enum status api_products_list(struct request *req, struct response *res)
{
	struct catalog_filter f;
	struct catalog_page p;
	enum status st = filter_from_request(req, res, &f);
	if (st == ST_OK)
		st = catalog_list_products(&f, &p);
	return st == ST_OK ? respond_page(res, &p, f.page, f.per_page) : st;
}

/* GET /api/v1/products/{id}: 200, 404 (absent, not active, or its brand inactive), 503. */
enum status api_product_get(struct request *req, struct response *res)
{
	json_object *p;
	enum status st = catalog_get_product(req->path_params[0], &p);
	if (st != ST_OK)
		return st;
	response_view(res, 200, NULL, p);
	return reference_attach(p, req->lang);
}

/* GET /api/v1/brands: 200, 422, 503. */
enum status api_brands_list(struct request *req, struct response *res)
{
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	struct catalog_page p;
	enum status st = catalog_list_brands(page, per_page, &p);
	return st == ST_OK ? respond_page(res, &p, page, per_page) : st;
}

/* GET /api/v1/brands/{id}: 200, 404 (absent or inactive), 503. */
enum status api_brand_get(struct request *req, struct response *res)
{
	json_object *b;
	enum status st = catalog_get_brand(req->path_params[0], true, &b);
	return st == ST_OK ? response_view(res, 200, NULL, b) : st;
}
