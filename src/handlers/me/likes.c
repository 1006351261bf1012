/* Likes (SPEC §4 the like button and /me/likes, §5 POST and DELETE /api/v1/products/{id}/like,
 * GET /api/v1/me/likes): a shopper likes a product from its page (a form post, enhanced by site.js
 * into the API) and finds the products liked on /me/likes, newest like first. */
#include <stdio.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/catalog.h"
#include "db/likes.h"
#include "handlers/forms.h"
#include "handlers/me/me.h"
#include "handlers/shop/cards.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "view/pagination.h"

/* The like's state as the API answers it. */
static json_object *like_state(long long product_id, bool liked, long long like_count)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "product_id", json_object_new_int64(product_id));
	json_object_object_add(o, "liked", json_object_new_boolean(liked));
	json_object_object_add(o, "like_count", json_object_new_int64(like_count));
	return o;
}

static enum status set_like(struct request *req, struct response *res, bool on)
{
	long long count;
	enum status st = db_like_set(session_user_id(req), req->path_params[0], on, &count);
	return st == ST_OK ? response_view(res, 200, NULL, like_state(req->path_params[0], on, count)) : st;
}

/* POST /api/v1/products/{id}/like: 200 {product_id, liked: true, like_count}; again changes
 * nothing; 404 for a product the shop does not show. */
enum status api_like(struct request *req, struct response *res)
{
	return set_like(req, res, true);
}

/* DELETE /api/v1/products/{id}/like: 200 {product_id, liked: false, like_count}; 404 for no such
 * product. */
enum status api_unlike(struct request *req, struct response *res)
{
	return set_like(req, res, false);
}

/* POST /products/{id}/like (like: 1 to like, 0 to take it back; next: a local path to go back to):
 * 303 to next, or to the product page; 404. */
enum status like_submit(struct request *req, struct response *res)
{
	long long count;
	enum status st = db_like_set(session_user_id(req), req->path_params[0], req_int(req, "like") != 0, &count);
	if (st != ST_OK)
		return st;
	char url[48];
	snprintf(url, sizeof url, "/products/%lld", req->path_params[0]);
	return response_redirect(res, form_next(req, url));
}

/* GET /me/likes and GET /api/v1/me/likes (page, per_page): the products liked that the shop still
 * shows, newest like first. */
enum status page_my_likes(struct request *req, struct response *res)
{
	struct catalog_page p;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	enum status st = catalog_liked_products(session_user_id(req), page, per_page, &p);
	if (st != ST_OK)
		return st;
	if (req->is_api) {
		json_object *list = present_list(p.items, page, per_page, p.total);
		json_object_object_add(list, "total_is_lower_bound", json_object_new_boolean(p.total_is_lower_bound));
		return response_view(res, 200, NULL, list);
	}
	json_object *model = response_model(res);
	json_object_object_add(model, "items", cards_products(res, p.items, req->lang));
	json_object_object_add(model, "total", json_object_new_int64(p.total));
	json_object_object_add(model, "empty", json_object_new_boolean(p.total == 0));
	json_object *links = pagination_list_links("/me/likes", page, per_page, req_given(req, "per_page"), p.total);
	if (links)
		json_object_object_add(model, "pagination", links);
	return response_view(res, 200, "pages/my-likes", model);
}
