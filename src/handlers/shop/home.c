/* GET /: the home page: new arrivals and best sellers (units paid in the last 30 days), and for a
 * signed-in shopper the first products of /for-me's two lists from the profile: "popular with your
 * body type" and "your style" (src/handlers/shop/for_me.c). */
#include <json-c/json.h>

#include "auth/session.h"
#include "db/catalog.h"
#include "handlers/shop/cards.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"

/* Products in each row: two full rows of the 5-column desktop grid. */
#define ROW_PRODUCTS 10

/* Adds the strip of the listing in sort order under key (nothing when the shop is empty). */
static enum status add_row(struct response *res, const char *key, enum catalog_sort sort, const char *lang)
{
	json_object *strip;
	enum status st = cards_strip(res, sort, ROW_PRODUCTS, lang, &strip);
	if (strip)
		json_object_object_add(response_model(res), key, strip);
	return st;
}

/* A shopper's recommendations under for_me: {body_type?, style?} (a guest's page has none, and
 * costs nothing more). */
static enum status add_for_me(struct request *req, struct response *res)
{
	if (req->role != ROLE_SHOPPER)
		return ST_OK;
	long long picks[3];
	enum status st = for_me_profile(req, picks);
	json_object *lists = json_object_new_object();
	json_object_object_add(response_model(res), "for_me", lists);
	return st == ST_OK ? for_me_lists(res, picks, ROW_PRODUCTS, req->lang, lists) : st;
}

/* 200, or 503 when the database cannot be reached. The categories and styles come with every
 * page's menus (src/handlers/layout.c). */
enum status page_home(struct request *req, struct response *res)
{
	enum status st = add_for_me(req, res);
	if (st == ST_OK)
		st = add_row(res, "new_arrivals", CATALOG_SORT_NEWEST, req->lang);
	if (st == ST_OK)
		st = add_row(res, "best_sellers", CATALOG_SORT_POPULAR, req->lang);
	if (st != ST_OK)
		return st;
	return response_view(res, 200, "pages/home", response_model(res));
}
