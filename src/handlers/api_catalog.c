/* The catalogue API (SPEC §5): the product listing with its filters, sorts and pages, one
 * product, the brands. Inputs are declared and validated in src/http/routes.c; the SQL is in
 * src/db/catalog.c. */
#include <json-c/json.h>

#include "db/catalog.h"
#include "db/reference.h"
#include "handlers/handlers.h"
#include "handlers/inputs.h"
#include "http/request.h"
#include "http/response.h"
#include "view/view.h"

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
	struct catalog_filter f;
	if (!input_catalog_filter(req, res, &f))
		return;
	struct catalog_page p;
	int rc = catalog_list_products(&f, &p);
	if (rc != 0) {
		response_db_failure(req, res, rc);
		return;
	}
	respond_page(req, res, &p, f.page, f.per_page);
}

/* GET /api/v1/products/{id}: 200, 404 (absent, not active, or its brand inactive), 503. */
void api_product_get(struct request *req, struct response *res)
{
	json_object *p;
	int rc = catalog_get_product(req->path_params[0], &p);
	if (response_lookup_failed(req, res, rc, "No such product."))
		return;
	rc = reference_attach(p, req->lang);
	if (rc != DB_OK) {
		json_object_put(p);
		response_db_failure(req, res, rc);
		return;
	}
	view_respond(req, res, 200, NULL, p);
}

/* GET /api/v1/brands: 200, 422, 503. */
void api_brands_list(struct request *req, struct response *res)
{
	int page = (int)input_int(req, "page", 1);
	int per_page = (int)input_int(req, "per_page", INPUT_DEFAULT_PER_PAGE);
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
	if (!response_lookup_failed(req, res, rc, "No such brand."))
		view_respond(req, res, 200, NULL, b);
}
