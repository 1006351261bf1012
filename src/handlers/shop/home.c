/* GET /: the home page: new arrivals and best sellers (units paid in the last 30 days). The
 * body-type and style rows for a signed-in shopper come with the recommendations. */
#include <json-c/json.h>

#include "db/catalog.h"
#include "handlers/shop/cards.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"

/* Products in each row: two full rows of the 5-column desktop grid. */
#define ROW_PRODUCTS 10

/* Adds the strip of the listing in sort order under key (nothing when the shop is empty). */
static enum status add_row(struct response *res, json_object *page, const char *key, enum catalog_sort sort,
                           const char *lang)
{
	json_object *strip;
	enum status st = cards_strip(res, 0, sort, ROW_PRODUCTS, lang, &strip);
	if (strip)
		json_object_object_add(page, key, strip);
	return st;
}

/* 200, or 503 when the database cannot be reached. The categories and styles come with every
 * page's menus (src/handlers/layout.c). */
enum status page_home(struct request *req, struct response *res)
{
	json_object *page = response_model(res);
	enum status st = add_row(res, page, "new_arrivals", CATALOG_SORT_NEWEST, req->lang);
	if (st == ST_OK)
		st = add_row(res, page, "best_sellers", CATALOG_SORT_POPULAR, req->lang);
	if (st != ST_OK)
		return st;
	return response_view(res, 200, "pages/home", page);
}
