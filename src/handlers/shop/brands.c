/* GET /brands: every active brand, by name, with a strip of its most popular products. */
#include <json-c/json.h>

#include "db/catalog.h"
#include "handlers/shop/cards.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "view/pagination.h"

/* Products in each brand's strip. One strip is one indexed query (ix_products_brand_…, LIMIT), so
 * a page of brands (per_page, 12 by default: src/handlers/routes.c) costs 2 + per_page small
 * queries. */
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
	for (size_t i = 0; st == ST_OK && i < json_object_array_length(p.items); i++) {
		json_object *b = json_object_array_get_idx(p.items, i);
		json_object *strip;
		st = cards_strip(res, json_object_get_int64(json_object_object_get(b, "id")), CATALOG_SORT_POPULAR,
		                 STRIP_PRODUCTS, req->lang, &strip);
		if (strip)
			json_object_object_add(b, "strip", strip);
	}
	if (st != ST_OK)
		return st;
	json_object *pages = pagination_list_links("/brands", page, per_page, req_given(req, "per_page"), p.total);
	if (pages)
		json_object_object_add(model, "pagination", pages);
	return response_view(res, 200, "pages/brands", model);
}
