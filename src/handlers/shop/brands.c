/* GET /brands: every active brand, by name, with a strip of its most popular products. */
#include <json-c/json.h>

#include "db/catalog.h"
#include "handlers/handlers.h"
#include "handlers/inputs.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "http/url.h"
#include "util/buf.h"
#include "view/view.h"

/* Brands on a page, and products in each brand's strip. One strip is one indexed query
 * (ix_products_brand_…, LIMIT), so a page costs 2 + BRANDS_PER_PAGE small queries. */
#define BRANDS_PER_PAGE 12
#define STRIP_PRODUCTS  5

void page_brands(struct request *req, struct response *res)
{
	int page = (int)input_int(req, "page", 1);
	int per_page = (int)input_int(req, "per_page", BRANDS_PER_PAGE);
	struct catalog_page p;
	int rc = catalog_list_brands(page, per_page, &p);
	if (rc != DB_OK) {
		response_db_failure(req, res, rc);
		return;
	}
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(p.items); i++) {
		json_object *b = json_object_array_get_idx(p.items, i);
		json_object *strip;
		rc = shop_product_strip(json_object_get_int64(json_object_object_get(b, "id")), CATALOG_SORT_POPULAR,
		                        STRIP_PRODUCTS, req->lang, &strip);
		if (strip)
			json_object_object_add(b, "strip", strip);
	}
	if (rc != DB_OK) {
		json_object_put(p.items);
		response_db_failure(req, res, rc);
		return;
	}
	json_object *model = json_object_new_object();
	json_object_object_add(model, "items", p.items);
	json_object_object_add(model, "total", json_object_new_int64(p.total));
	struct buf base = BUF_INIT;
	buf_puts(&base, "/brands");
	if (per_page != BRANDS_PER_PAGE)
		url_add_int(&base, "per_page", per_page);
	json_object *pages = shop_pagination(buf_str(&base), page, shop_last_page(p.total, per_page));
	buf_free(&base);
	if (pages)
		json_object_object_add(model, "pagination", pages);
	view_respond(req, res, 200, "pages/brands", model);
}
