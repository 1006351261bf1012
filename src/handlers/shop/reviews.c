/* Reviews as shoppers read them (SPEC §4 product page, §6 "Reviews"): the product page's rating
 * and fit summary with the newest reviews, and the product's reviews page and API with the filter
 * "reviews from people like me" (the same body types, a similar height: the viewer's profile). */
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/catalog.h"
#include "db/community_cache.h"
#include "db/fit.h"
#include "db/reviews.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "media/store.h"
#include "present/common.h"
#include "present/review.h"
#include "view/pagination.h"

/* Reviews the product page shows under its summary; the rest are on its reviews page. */
#define PRODUCT_PAGE_REVIEWS 3

/* The filter for the viewer: like_me only for a shopper whose profile has a height and both body
 * types (else *usable is false). */
static enum status like_me_filter(struct request *req, bool asked, struct review_filter *f, bool *usable)
{
	*f = (struct review_filter){false, 0, 0, 0};
	*usable = false;
	if (req->role != ROLE_SHOPPER)
		return ST_OK;
	struct fit_shopper s = req->session->body;
	*usable = s.height_cm && s.upper && s.lower;
	*f = (struct review_filter){asked && *usable, s.upper, s.lower, s.height_cm};
	return ST_OK;
}

/* Adds page.reviews to the product page (one statement, none while this process keeps them):
 * {summary, items (the newest PRODUCT_PAGE_REVIEWS), empty, more: true when there are others,
 * like_me: true for a shopper}. */
enum status reviews_attach(struct request *req, long long product_id, const struct catalog_product_page *extra,
                           json_object *page)
{
	const long long *count = extra->summary.count, *fit = extra->summary.fit;
	struct review *items;
	size_t n;
	enum status st = community_reviews(product_id, extra->community_version, PRODUCT_PAGE_REVIEWS, &items, &n);
	if (st != ST_OK)
		return st;
	long long total = count[1] + count[2] + count[3] + count[4] + count[5];
	json_object *o = json_object_new_object();
	json_object_object_add(o, "summary", present_review_summary(count, fit));
	json_object_object_add(o, "items", present_reviews(items, n, false, req->lang));
	json_object_object_add(o, "empty", json_object_new_boolean(n == 0));
	json_object_object_add(o, "more", json_object_new_boolean(total > (long long)n));
	/* a shopper's way to the filter (the reviews page says what the profile lacks, if anything) */
	json_object_object_add(o, "like_me", json_object_new_boolean(req->role == ROLE_SHOPPER));
	free(items);
	json_object_object_add(page, "reviews", o);
	return ST_OK;
}

/* GET /products/{id}/reviews, GET /api/v1/products/{id}/reviews (page, per_page, like_me): the
 * rating and fit summary and the published reviews, newest first; like_me=1 keeps those of people
 * like the viewer (the API asks a shopper with a height and body types in the profile: 422
 * needs_profile otherwise); 404 for a product the shop does not show. */
enum status page_product_reviews(struct request *req, struct response *res)
{
	long long id = req->path_params[0], total, count[6], fit[4];
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	struct review_product product;
	struct review_filter f;
	bool usable, asked = req_int(req, "like_me") != 0;
	enum status st = db_review_product(id, &product);
	if (st == ST_OK)
		st = like_me_filter(req, asked, &f, &usable);
	if (st != ST_OK)
		return st;
	if (asked && !usable && req->is_api)
		return response_field_error(res, ST_INVALID, "like_me", "needs_profile");
	struct review *items;
	size_t n;
	st = db_review_summary(id, count, fit);
	if (st == ST_OK)
		st = db_reviews_of_product(id, &f, page, per_page, &items, &n, &total);
	if (st != ST_OK)
		return st;
	if (!f.like_me)
		total = count[1] + count[2] + count[3] + count[4] + count[5];
	json_object *list = present_reviews(items, n, false, req->lang);
	free(items);
	if (req->is_api) {
		json_object *o = present_list(list, page, per_page, total);
		json_object_object_add(o, "summary", present_review_summary(count, fit));
		return response_view(res, 200, NULL, o);
	}
	json_object *model = response_model(res);
	json_object *p = json_object_new_object();
	json_object_object_add(p, "id", json_object_new_int64(id));
	json_object_object_add(p, "name", json_object_new_string(product.name));
	json_object_object_add(p, "brand_name", json_object_new_string(product.brand_name));
	json_object_object_add(p, "image", store_image_urls(product.image_key, false));
	json_object_object_add(model, "product", p);
	json_object_object_add(model, "summary", present_review_summary(count, fit));
	json_object_object_add(model, "items", list);
	json_object_object_add(model, "total", json_object_new_int64(total));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	json_object_object_add(model, "like_me", json_object_new_boolean(f.like_me));
	json_object_object_add(model, "can_filter", json_object_new_boolean(usable));
	json_object_object_add(model, "needs_profile", json_object_new_boolean(asked && !usable));
	char path[80];
	snprintf(path, sizeof path, f.like_me ? "/products/%lld/reviews?like_me=1" : "/products/%lld/reviews", id);
	json_object *links = pagination_list_links(path, page, per_page, req_given(req, "per_page"), total);
	if (links)
		json_object_object_add(model, "pagination", links);
	return response_view(res, 200, "pages/product-reviews", model);
}
