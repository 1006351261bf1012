/* The shopper's reviews (SPEC §4 /me/reviews, §5 reviews, §6 "Reviews"): write one for a delivered
 * or confirmed line from the order's page, edit or delete it from /me/reviews; the same through
 * the API (POST /api/v1/order-lines/{id}/review as a form, multipart with photos, or JSON;
 * GET, PATCH and DELETE /api/v1/reviews/{id}; GET /api/v1/me/reviews). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/orders.h"
#include "db/reviews.h"
#include "handlers/forms.h"
#include "handlers/me/me.h"
#include "handlers/me/review_photos.h"
#include "http/request.h"
#include "http/response.h"
#include "media/store.h"
#include "present/common.h"
#include "present/review.h"
#include "shop/order_rules.h"
#include "view/pagination.h"

static const struct form_choice ratings[] = {{"5", "review.rating.5"}, {"4", "review.rating.4"},
                                             {"3", "review.rating.3"}, {"2", "review.rating.2"},
                                             {"1", "review.rating.1"}, {NULL, NULL}};
static const struct form_choice fits[] = {
    {"small", "review.fit.small"}, {"true", "review.fit.true"}, {"large", "review.fit.large"}, {NULL, NULL}};

/* The remove_photo_N boxes (N = the photo's place, 1-based). */
static const char *const remove_names[REVIEW_MAX_PHOTOS] = {"remove_photo_1", "remove_photo_2", "remove_photo_3",
                                                            "remove_photo_4", "remove_photo_5"};

/* What was sent, over what the review said (old, when editing: the API may send only what
 * changes); the old photos kept unless their remove box is ticked. */
static void read_input(struct request *req, const struct review *old, struct review_input *in)
{
	memset(in, 0, sizeof *in);
	in->rating = req_given(req, "rating") || !old ? (int)req_int(req, "rating") : old->rating;
	in->fit = req_given(req, "fit") || !old ? (enum review_fit)(req_int(req, "fit") + 1) : old->fit;
	const char *body = req_text(req, "body");
	in->body = body ? body : old ? old->body : "";
	bool shared = old && (old->height_cm || old->weight_kg || old->upper || old->lower);
	in->share_profile = req_given(req, "share_profile") ? req_int(req, "share_profile") != 0 : shared;
	for (size_t i = 0; old && i < old->nphotos; i++)
		if (!req_int(req, remove_names[i]))
			in->photo_keys[in->nphotos++] = old->photo_keys[i];
}

static enum status refused(struct response *res, enum status st, const char *why)
{
	static const struct refusal table[] = {
	    {"NOT_DELIVERED", "review.not_delivered", "Only a delivered or confirmed line can be reviewed."},
	    {"ALREADY_REVIEWED", "review.already_reviewed", "This line has its review: edit that one."},
	};
	return response_refused(res, st, why, table, sizeof table / sizeof table[0]);
}

/* The review as the API answers a write: 201 with Location after a create, else 200. */
static enum status answer_review(struct request *req, struct response *res, long long review_id, bool created)
{
	struct review r;
	enum status st = db_review_get(review_id, session_user_id(req), &r);
	if (st != ST_OK)
		return st;
	char url[64];
	if (created) {
		snprintf(url, sizeof url, "/api/v1/reviews/%lld", review_id);
		response_header(res, "Location", url);
	}
	return response_view(res, created ? 201 : 200, NULL, present_review(&r, true, req->lang));
}

/* POST /me/order-lines/{id}/review, POST /api/v1/order-lines/{id}/review: 303 to the review on
 * the product page / 201; 404 (not the shopper's line); 409 NOT_DELIVERED or ALREADY_REVIEWED;
 * 422 (a field, or photos). */
enum status review_create_submit(struct request *req, struct response *res)
{
	struct review_input in;
	struct review_photos photos;
	read_input(req, NULL, &in);
	enum status st = review_photos_ingest(req, res, &in, &photos);
	if (st != ST_OK)
		return st;
	long long id;
	const char *why;
	st = db_review_create(session_user_id(req), req->path_params[0], &in, &id, &why);
	if (st != ST_OK) {
		review_photos_discard(&photos);
		return refused(res, st, why);
	}
	if (req->is_api)
		return answer_review(req, res, id, true);
	long long product_id = 0;
	st = db_review_of_line(req->path_params[0], session_user_id(req), &id, &product_id);
	char url[80];
	snprintf(url, sizeof url, "/products/%lld/reviews#review-%lld", product_id, id);
	return st == ST_OK ? response_redirect(res, url) : st;
}

/* PATCH /api/v1/reviews/{id} (only what changes), POST /me/reviews/{id} (the whole form): 200 /
 * 303 to /me/reviews?saved=1; 404; 422. */
enum status review_update_submit(struct request *req, struct response *res)
{
	struct review old;
	struct review_input in;
	struct review_photos photos;
	enum status st = db_review_get(req->path_params[0], session_user_id(req), &old);
	if (st != ST_OK)
		return st;
	read_input(req, &old, &in);
	st = review_photos_ingest(req, res, &in, &photos);
	if (st == ST_OK)
		st = db_review_update(session_user_id(req), req->path_params[0], &in);
	if (st != ST_OK) {
		review_photos_discard(&photos);
		return st;
	}
	return req->is_api ? answer_review(req, res, req->path_params[0], false)
	                   : response_redirect(res, "/me/reviews?saved=1");
}

/* DELETE /api/v1/reviews/{id}, POST /me/reviews/{id}/delete: 204 / 303 to /me/reviews?deleted=1;
 * 404. */
enum status review_delete_submit(struct request *req, struct response *res)
{
	enum status st = db_review_delete(session_user_id(req), req->path_params[0]);
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : response_redirect(res, "/me/reviews?deleted=1");
}

/* GET /api/v1/reviews/{id}: the shopper's own review; 404. */
enum status api_review_get(struct request *req, struct response *res)
{
	return answer_review(req, res, req->path_params[0], false);
}

/* The form's model: the line reviewed, the choices, the photos kept so far. */
static json_object *form_model(struct request *req, struct response *res, const struct order_line *l,
                               const struct review *r)
{
	json_object *page = response_model(res);
	json_object *line = json_object_new_object();
	json_object_object_add(line, "product_id", json_object_new_int64(l ? l->product_id : r->product_id));
	json_object_object_add(line, "product_name", json_object_new_string(l ? l->product_name : r->product_name));
	json_object_object_add(line, "brand_name", json_object_new_string(l ? l->brand_name : r->brand_name));
	json_object_object_add(line, "size_label", json_object_new_string(l ? l->size_label : r->size_label));
	json_object_object_add(line, "image", store_image_urls(l ? l->image_key : r->product_image, false));
	json_object_object_add(page, "line", line);
	json_object_object_add(page, "ratings", form_choices(res, "rating", ratings, req->lang));
	json_object_object_add(page, "fits", form_choices(res, "fit", fits, req->lang));
	json_object *kept = json_object_new_array();
	for (size_t i = 0; r && i < r->nphotos; i++) {
		json_object *p = json_object_new_object();
		json_object_object_add(p, "name", json_object_new_string(remove_names[i]));
		json_object_object_add(p, "urls", store_image_urls(r->photo_keys[i], false));
		json_object_object_add(p, "remove", json_object_new_boolean(form_value(res, remove_names[i]) != NULL));
		json_object_array_add(kept, p);
	}
	json_object_object_add(page, "photos", kept);
	json_object_object_add(page, "has_photos", json_object_new_boolean(r && r->nphotos > 0));
	json_object_object_add(page, "max_photos", json_object_new_int(REVIEW_MAX_PHOTOS));
	return page;
}

/* The line of the shopper's order with this id (ST_NOT_FOUND when it is not theirs). */
static enum status own_line(struct request *req, long long line_id, struct order *o, struct order_line **line)
{
	long long order_id;
	enum status st = db_order_of_line(line_id, session_user_id(req), &order_id);
	if (st == ST_OK)
		st = db_order_get(order_id, session_user_id(req), o);
	if (st != ST_OK)
		return st;
	for (size_t i = 0; i < o->nlines; i++)
		if (o->lines[i].id == line_id)
			*line = &o->lines[i];
	return ST_OK;
}

/* GET /me/order-lines/{id}/review (and the form drawn again): 200; 303 to the edit form when the
 * line has its review; 404; 409 when it cannot be reviewed yet. */
enum status page_review_new(struct request *req, struct response *res)
{
	struct order o;
	struct order_line *l = NULL;
	enum status st = own_line(req, req->path_params[0], &o, &l);
	if (st != ST_OK)
		return st;
	if (l->review_id) {
		char url[64];
		snprintf(url, sizeof url, "/me/reviews/%lld/edit", l->review_id);
		order_free(&o);
		return response_redirect(res, url);
	}
	if (!order_line_can_review(l)) {
		order_free(&o);
		return refused(res, ST_CONFLICT, "NOT_DELIVERED");
	}
	if (!request_is_unsafe(req))
		response_form_value(res, "share_profile", "1");
	json_object *page = form_model(req, res, l, NULL);
	order_free(&o);
	char action[64];
	snprintf(action, sizeof action, "/me/order-lines/%lld/review", req->path_params[0]);
	json_object_object_add(page, "action", json_object_new_string(action));
	return response_view(res, 200, "pages/review-form", page);
}

/* GET /me/reviews/{id}/edit (and the form drawn again): 200; 404. */
enum status page_review_edit(struct request *req, struct response *res)
{
	struct review r;
	enum status st = db_review_get(req->path_params[0], session_user_id(req), &r);
	if (st != ST_OK)
		return st;
	if (!request_is_unsafe(req)) {
		char rating[4];
		snprintf(rating, sizeof rating, "%d", r.rating);
		response_form_value(res, "rating", rating);
		response_form_value(res, "fit", review_fit_names[r.fit - 1]);
		response_form_value(res, "body", r.body);
		if (r.height_cm || r.weight_kg || r.upper || r.lower)
			response_form_value(res, "share_profile", "1");
	}
	json_object *page = form_model(req, res, NULL, &r);
	char action[64];
	snprintf(action, sizeof action, "/me/reviews/%lld", r.id);
	json_object_object_add(page, "action", json_object_new_string(action));
	json_object_object_add(page, "review_id", json_object_new_int64(r.id));
	json_object_object_add(page, "hidden", json_object_new_boolean(!r.published));
	return response_view(res, 200, "pages/review-form", page);
}

/* GET /me/reviews, GET /api/v1/me/reviews (page, per_page): newest first, hidden ones marked. */
enum status page_my_reviews(struct request *req, struct response *res)
{
	struct review *items;
	size_t n;
	long long total;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	enum status st = db_reviews_of_user(session_user_id(req), page, per_page, &items, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *list = present_reviews(items, n, true, req->lang);
	free(items);
	if (req->is_api)
		return response_view(res, 200, NULL, present_list(list, page, per_page, total));
	static const char *const notices[] = {"saved", "deleted", NULL};
	json_object *model = response_model(res);
	form_notices(req, model, notices);
	json_object_object_add(model, "items", list);
	json_object_object_add(model, "total", json_object_new_int64(total));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	json_object *links = pagination_list_links("/me/reviews", page, per_page, req_given(req, "per_page"), total);
	if (links)
		json_object_object_add(model, "pagination", links);
	return response_view(res, 200, "pages/my-reviews", model);
}
