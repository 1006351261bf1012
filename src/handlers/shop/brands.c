/* GET /brands: every active brand, by name, with a strip of its most popular products. */
#include <json-c/json.h>

#include "db/catalog.h"
#include "handlers/shop/cards.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "view/pagination.h"

/* Products in each brand's strip. The strips of a page of brands (per_page, 12 by default:
 * src/handlers/routes.c) come in one statement (catalog_brand_strips), so the page costs at most
 * three: the brands, their bounded count (only when the page is full) and the strips. */
#define STRIP_PRODUCTS 5

/* 200, 422, 503. */
enum status page_brands(struct request *req, struct response *res)
{
	int page = (int)req_int(req, "page");
	int per_page = (int)req_int(req, "per_page");
	struct catalog_page p;
	enum status st = catalog_list_brands(page, per_page, &p);
	if (st != ST_OK)
		return st;
	json_object *model = response_model(res);
	json_object_object_add(model, "items", p.items);
	json_object_object_add(model, "total", json_object_new_int64(p.total));
	size_t n = json_object_array_length(p.items);
	long long ids[CATALOG_MAX_STRIPS];
	json_object *strips[CATALOG_MAX_STRIPS];
	for (size_t i = 0; i < n; i++)
		ids[i] = json_object_get_int64(json_object_object_get(json_object_array_get_idx(p.items, i), "id"));
	st = catalog_brand_strips(ids, n, STRIP_PRODUCTS, strips);
	for (size_t i = 0; i < n; i++)
		cards_strip_add(res, json_object_array_get_idx(p.items, i), strips[i], req->lang);
	if (st != ST_OK)
		return st;
	json_object *pages = pagination_list_links("/brands", page, per_page, req_given(req, "per_page"), p.total);
	if (pages)
		json_object_object_add(model, "pagination", pages);
	return response_view(res, 200, "pages/brands", model);
}
