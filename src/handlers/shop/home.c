/* GET /: the home page: categories, styles, new arrivals and best sellers (units paid in the
 * last 30 days). The body-type and style rows for a logged-in shopper come with accounts. */
#include <json-c/json.h>

#include "db/catalog.h"
#include "handlers/handlers.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "view/view.h"

/* Products in each row: two full rows of the 5-column desktop grid. */
#define ROW_PRODUCTS 10

/* Adds the strip of the listing in sort order under key (nothing when the shop is empty). */
static int add_row(json_object *page, const char *key, enum catalog_sort sort, const char *lang)
{
	json_object *strip;
	int rc = shop_product_strip(0, sort, ROW_PRODUCTS, lang, &strip);
	if (strip)
		json_object_object_add(page, key, strip);
	return rc;
}

/* 200, or 503 when the database cannot be reached. The categories and styles come with every
 * page's menus (src/view/view.c). */
void page_home(struct request *req, struct response *res)
{
	json_object *page = json_object_new_object();
	int rc = add_row(page, "new_arrivals", CATALOG_SORT_NEWEST, req->lang);
	if (rc == DB_OK)
		rc = add_row(page, "best_sellers", CATALOG_SORT_POPULAR, req->lang);
	if (rc != DB_OK) {
		json_object_put(page);
		response_db_failure(req, res, rc);
		return;
	}
	view_respond(req, res, 200, "pages/home", page);
}
