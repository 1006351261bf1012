/* The admin console's API (SPEC §4 admin console, §5 /api/v1/admin/…): the dashboard's counts,
 * review moderation, sellers suspended and reinstated, a brand's key rotated (shown once), coupons
 * issued to one shopper or to all, and revoked. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/admin.h"
#include "db/brands.h"
#include "db/users.h"
#include "handlers/admin/admin.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "media/media.h"
#include "media/store.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"

static void add_int(json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

/* GET /admin (the console's front page) and GET /api/v1/admin/dashboard: 200 with the counts. */
enum status api_admin_dashboard(struct request *req, struct response *res)
{
	struct admin_counts c;
	enum status st = db_admin_counts(&c);
	if (st != ST_OK)
		return st;
	json_object *o = response_model(res);
	add_int(o, "members", c.members);
	add_int(o, "pending_members", c.pending_members);
	add_int(o, "sellers", c.sellers);
	add_int(o, "suspended_sellers", c.suspended_sellers);
	add_int(o, "brands", c.brands);
	add_int(o, "inactive_brands", c.inactive_brands);
	add_int(o, "products", c.products);
	add_int(o, "awaiting_transfers", c.awaiting_transfers);
	add_int(o, "refunds_pending", c.refunds_pending);
	add_int(o, "reviews_hidden", c.reviews_hidden);
	(void)req;
	return response_view(res, 200, "pages/admin-dashboard", o);
}

static enum status moderate(struct request *req, struct response *res, bool hide)
{
	struct moderated_review r;
	bool changed;
	enum status st = db_review_moderate(req->path_params[0], hide, hide ? req_text(req, "reason") : NULL,
	                                    session_user_id(req), &changed, &r);
	if (st != ST_OK)
		return st;
	if (changed)
		log_info("review %lld %s by admin %lld", r.id, hide ? "hidden" : "shown again", session_user_id(req));
	json_object *o = json_object_new_object();
	add_int(o, "id", r.id);
	add_int(o, "product_id", r.product_id);
	add_int(o, "user_id", r.user_id);
	json_object_object_add(o, "status", json_object_new_string(r.hidden ? "hidden" : "published"));
	json_object_object_add(o, "hidden_reason", r.hidden ? json_object_new_string(r.reason) : NULL);
	json_object_object_add(o, "changed", json_object_new_boolean(changed));
	if (!req->is_api) {
		json_object_put(o);
		return response_redirect(res,
		                         hide ? "/admin/reviews?moderated=1" : "/admin/reviews?hidden=1&moderated=1");
	}
	return response_view(res, 200, NULL, o);
}

/* GET /admin/reviews (hidden: the hidden ones, else the published; page, per_page; moderated: the
 * notice after a form): the reviews newest first, each with the form that hides it (with a reason)
 * or shows it again. */
enum status page_admin_reviews(struct request *req, struct response *res)
{
	bool hidden = req_int(req, "hidden") != 0;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	struct admin_review *list;
	size_t n;
	long long total;
	enum status st = db_admin_reviews(hidden, page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_new_object();
		add_int(r, "id", list[i].id);
		add_int(r, "product_id", list[i].product_id);
		json_object_object_add(r, "product_name", json_object_new_string(list[i].product_name));
		add_int(r, "rating", list[i].rating);
		json_object_object_add(r, "body", json_object_new_string(list[i].body));
		json_object_object_add(r, "hidden", json_object_new_boolean(list[i].hidden));
		json_object_object_add(r, "hidden_reason", json_object_new_string(list[i].reason));
		json_object_object_add(r, "created_at", json_object_new_string(list[i].created_at));
		json_object_array_add(items, r);
	}
	free(list);
	json_object *model = response_model(res);
	json_object_object_add(model, "list", present_list(items, page, per_page, total));
	json_object_object_add(model, "hidden", json_object_new_boolean(hidden));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	json_object_object_add(model, "moderated", json_object_new_boolean(req_int(req, "moderated") != 0));
	return response_view(res, 200, "pages/admin-reviews", model);
}

/* POST /api/v1/admin/reviews/{id}/hide (reason): 200 with the review, hidden; 404. */
enum status api_admin_review_hide(struct request *req, struct response *res)
{
	return moderate(req, res, true);
}

/* POST /api/v1/admin/reviews/{id}/unhide: 200 with the review, published again; 404. */
enum status api_admin_review_unhide(struct request *req, struct response *res)
{
	return moderate(req, res, false);
}

static enum status seller_status(struct request *req, struct response *res, bool suspend)
{
	long long brand = 0;
	bool changed;
	enum status st = db_seller_set_status(req->path_params[0], suspend, &brand, &changed);
	if (st != ST_OK)
		return st;
	if (changed)
		log_info("seller %lld %s by admin %lld", req->path_params[0], suspend ? "suspended" : "reinstated",
		         session_user_id(req));
	json_object *o = json_object_new_object();
	add_int(o, "id", req->path_params[0]);
	add_int(o, "brand_id", brand);
	json_object_object_add(o, "status", json_object_new_string(suspend ? "suspended" : "active"));
	json_object_object_add(o, "changed", json_object_new_boolean(changed));
	if (!req->is_api) {
		json_object_put(o);
		return response_redirect(res, "/admin/sellers?updated=1");
	}
	return response_view(res, 200, NULL, o);
}

/* GET /api/v1/admin/sellers (brand_id, page, per_page) and GET /admin/sellers (also updated: the
 * notice after a form): the sellers newest first, of one brand or of all. */
enum status api_admin_sellers(struct request *req, struct response *res)
{
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	struct admin_seller *list;
	size_t n;
	long long total;
	enum status st = db_admin_sellers(req_int(req, "brand_id"), page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		add_int(o, "id", list[i].id);
		add_int(o, "brand_id", list[i].brand_id);
		json_object_object_add(o, "brand_name", json_object_new_string(list[i].brand_name));
		json_object_object_add(o, "email", json_object_new_string(list[i].email));
		json_object_object_add(o, "name", json_object_new_string(list[i].name));
		json_object_object_add(o, "status", json_object_new_string(list[i].status));
		json_object_object_add(o, "suspended",
		                       json_object_new_boolean(strcmp(list[i].status, "suspended") == 0));
		json_object_object_add(o, "last_login_at",
		                       present_timestamp(list[i].last_login_at[0] ? list[i].last_login_at : NULL));
		json_object_array_add(items, o);
	}
	free(list);
	if (req->is_api)
		return response_view(res, 200, NULL, present_list(items, page, per_page, total));
	json_object *model = response_model(res);
	json_object_object_add(model, "list", present_list(items, page, per_page, total));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	json_object_object_add(model, "updated", json_object_new_boolean(req_int(req, "updated") != 0));
	return response_view(res, 200, "pages/admin-sellers", model);
}

/* POST /api/v1/admin/sellers/{id}/suspend: 200; 404. */
enum status api_admin_seller_suspend(struct request *req, struct response *res)
{
	return seller_status(req, res, true);
}

/* POST /api/v1/admin/sellers/{id}/reinstate: 200; 404. */
enum status api_admin_seller_reinstate(struct request *req, struct response *res)
{
	return seller_status(req, res, false);
}

/* POST /api/v1/admin/brands/{id}/key: a new brand key (32 random bytes from RAND_bytes, base64url),
 * in this answer only: only its SHA-256 is stored, and the old key signs no seller up any more.
 * 200 {brand_id, brand_key}; 404. */
enum status api_admin_brand_key(struct request *req, struct response *res)
{
	char key[CRYPTO_TOKEN_LEN + 1];
	unsigned char hash[CRYPTO_SHA256_LEN];
	crypto_token(key, hash);
	enum status st = db_brand_set_key(req->path_params[0], hash);
	if (st != ST_OK)
		return st;
	log_info("brand %lld: key rotated by admin %lld", req->path_params[0], session_user_id(req));
	if (!req->is_api)
		return page_admin_brand_key_shown(req, res, req->path_params[0], key, false);
	json_object *o = json_object_new_object();
	add_int(o, "brand_id", req->path_params[0]);
	json_object_object_add(o, "brand_key", json_object_new_string(key));
	return response_view(res, 200, NULL, o);
}

static long long today_utc(void)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return (tm.tm_year + 1900) * 10000LL + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* POST /api/v1/admin/coupons and POST /admin/coupons (name, discount_percent or discount_amount, min_line_amount,
 * category_id, valid_from, valid_until, user_id: one active shopper, or every active shopper when
 * not given): 201 {issued}; 422 (exactly one discount; a category and a shopper that exist; a
 * validity that ends today or later, not before it starts). */
enum status admin_coupon_issue(struct request *req, struct response *res, long long user, const char *user_field)
{
	struct coupon_issue c = {
	    .name = req_text(req, "name"),
	    .percent = req_given(req, "discount_percent") ? req_int(req, "discount_percent") : 0,
	    .amount = req_given(req, "discount_amount") ? req_int(req, "discount_amount") : 0,
	    .min_line_amount = req_given(req, "min_line_amount") ? req_int(req, "min_line_amount") : 0,
	    .category_id = req_given(req, "category_id") ? req_int(req, "category_id") : 0,
	    .valid_from = req_given(req, "valid_from") ? req_int(req, "valid_from") : 0,
	    .valid_until = req_int(req, "valid_until"),
	};
	if (!c.percent && !c.amount)
		return response_field_error(res, ST_INVALID, "discount_percent", "required");
	if (c.percent && c.amount)
		return response_field_error(res, ST_INVALID, "discount_amount", "not_allowed");
	if (c.valid_until < today_utc() || (c.valid_from && c.valid_until < c.valid_from))
		return response_field_error(res, ST_INVALID, "valid_until", "too_small");
	if (c.category_id) {
		bool exists;
		enum status st = db_category_exists(c.category_id, &exists);
		if (st != ST_OK)
			return st;
		if (!exists)
			return response_field_error(res, ST_INVALID, "category_id", "not_found");
	}
	unsigned long long issued = 0;
	enum status st = db_coupon_issue(&c, user, session_user_id(req), &issued);
	if (st != ST_OK)
		return st;
	if (user && issued == 0)
		return response_field_error(res, ST_INVALID, user_field, "not_found");
	log_info("coupon \"%s\" issued to %llu shopper(s) by admin %lld", c.name, issued, session_user_id(req));
	if (!req->is_api) {
		char to[64];
		snprintf(to, sizeof to, "/admin/coupons?issued=%llu", issued);
		return response_redirect(res, to);
	}
	json_object *o = json_object_new_object();
	add_int(o, "issued", (long long)issued);
	return response_view(res, 201, NULL, o);
}

/* POST /api/v1/admin/coupons: as above, user_id naming the one shopper. */
enum status api_admin_coupon_issue(struct request *req, struct response *res)
{
	return admin_coupon_issue(req, res, req_given(req, "user_id") ? req_int(req, "user_id") : 0, "user_id");
}

/* POST /api/v1/admin/coupons/{id}/revoke: 200 {id, state, changed}; 404. A used, expired or
 * revoked coupon stays as it is (changed false). */
enum status api_admin_coupon_revoke(struct request *req, struct response *res)
{
	bool changed;
	char state[16];
	enum status st = db_coupon_revoke(req->path_params[0], &changed, state);
	if (st != ST_OK)
		return st;
	if (!req->is_api)
		return response_redirect(res, "/admin/coupons?revoked=1");
	json_object *o = json_object_new_object();
	add_int(o, "id", req->path_params[0]);
	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "changed", json_object_new_boolean(changed));
	return response_view(res, 200, NULL, o);
}

static json_object *present_member(const struct member *m, bool counts)
{
	json_object *o = json_object_new_object();
	add_int(o, "id", m->id);
	json_object_object_add(o, "email", m->email[0] ? json_object_new_string(m->email) : NULL);
	json_object_object_add(o, "name", m->name[0] ? json_object_new_string(m->name) : NULL);
	json_object_object_add(o, "status", json_object_new_string(m->status));
	add_int(o, "grade_id", m->grade_id);
	add_int(o, "mileage_balance", m->mileage_balance);
	json_object_object_add(o, "created_at", present_timestamp(m->created_at));
	json_object_object_add(o, "withdrawn_at", present_timestamp(m->withdrawn_at[0] ? m->withdrawn_at : NULL));
	json_object_object_add(o, "erased", json_object_new_boolean(m->erased));
	if (counts) {
		add_int(o, "orders", m->orders);
		add_int(o, "reviews", m->reviews);
	}
	return o;
}

/* GET /api/v1/admin/members (q: an e-mail prefix when it holds '@', else a name prefix; page,
 * per_page): 200 with a page of shoppers. */
enum status api_admin_members(struct request *req, struct response *res)
{
	struct member *list;
	size_t n;
	long long total;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	enum status st = db_members(req_text(req, "q"), page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_member(&list[i], false));
	free(list);
	if (req->is_api)
		return response_view(res, 200, NULL, present_list(items, page, per_page, total));
	/* GET /admin/members: the same list with the search form (q drawn again) */
	json_object *model = response_model(res);
	json_object_object_add(model, "list", present_list(items, page, per_page, total));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	const char *q = req_text(req, "q");
	json_object_object_add(model, "q", q ? json_object_new_string(q) : NULL);
	json_object_object_add(model, "pagination", admin_page_links("/admin/members", "q", q, page, per_page, total));
	return response_view(res, 200, "pages/admin-members", model);
}

/* The member as the API's answer; on a page, GET /admin/members/{id} draws it with its forms, and
 * a page's form (changed: a withdraw or erase) goes back to it with the notice. */
static enum status answer_member(struct request *req, struct response *res, long long id, bool changed)
{
	struct member m;
	enum status st = db_member(id, &m);
	if (st != ST_OK)
		return st;
	if (req->is_api)
		return response_view(res, 200, NULL, present_member(&m, true));
	if (changed) {
		char to[64];
		snprintf(to, sizeof to, "/admin/members/%lld?updated=1", id);
		return response_redirect(res, to);
	}
	json_object *model = response_model(res);
	json_object_object_add(model, "member", present_member(&m, true));
	json_object_object_add(model, "active", json_object_new_boolean(strcmp(m.status, "active") == 0));
	json_object_object_add(model, "withdrawn", json_object_new_boolean(strcmp(m.status, "withdrawn") == 0));
	json_object_object_add(model, "updated", json_object_new_boolean(req_int(req, "updated") != 0));
	return response_view(res, 200, "pages/admin-member", model);
}

/* GET /api/v1/admin/members/{id} and GET /admin/members/{id} (updated: the notice after a form):
 * 200 with the shopper and the numbers of orders and reviews; 404. */
enum status api_admin_member(struct request *req, struct response *res)
{
	return answer_member(req, res, req->path_params[0], false);
}

/* POST /api/v1/admin/members/{id}/withdraw: withdraws the shopper as /me/withdraw does (sessions
 * ended, the data that reaches the person removed, orders and reviews kept); 200 with the member;
 * 404 (also for a shopper withdrawn already). */
enum status api_admin_member_withdraw(struct request *req, struct response *res)
{
	enum status st = db_user_withdraw(req->path_params[0]);
	if (st != ST_OK)
		return st;
	log_info("member %lld withdrawn by admin %lld", req->path_params[0], session_user_id(req));
	return answer_member(req, res, req->path_params[0], true);
}

/* POST /api/v1/admin/members/{id}/erase: erases a withdrawn shopper's remaining personal data;
 * 200 with the member; 404; 409 NOT_WITHDRAWN. */
enum status api_admin_member_erase(struct request *req, struct response *res)
{
	static const struct refusal why[] = {
	    {"NOT_WITHDRAWN", NULL, "Only a withdrawn member's data can be erased: withdraw the member first."},
	};
	bool changed;
	enum status st = db_member_erase(req->path_params[0], &changed);
	if (st == ST_CONFLICT)
		return response_refused(res, st, "NOT_WITHDRAWN", why, 1);
	if (st != ST_OK)
		return st;
	if (changed)
		log_info("member %lld erased by admin %lld", req->path_params[0], session_user_id(req));
	return answer_member(req, res, req->path_params[0], true);
}

static enum status answer_brand(struct request *req, struct response *res, long long id, int status)
{
	if (!req->is_api && status == 200) { /* a page's form: back to the brand's page with the notice */
		char to[64];
		snprintf(to, sizeof to, "/admin/brands/%lld?updated=1", id);
		return response_redirect(res, to);
	}
	struct admin_brand b;
	enum status st = db_admin_brand(id, &b);
	if (st != ST_OK)
		return st;
	json_object *o = json_object_new_object();
	add_int(o, "id", b.id);
	json_object_object_add(o, "name", json_object_new_string(b.name));
	json_object_object_add(o, "status", json_object_new_string(b.status));
	add_int(o, "shipping_fee", b.shipping_fee);
	json_object_object_add(o, "free_shipping_threshold",
	                       b.free_shipping_threshold >= 0 ? json_object_new_int64(b.free_shipping_threshold)
	                                                      : NULL);
	add_int(o, "return_shipping_cost", b.return_shipping_cost);
	json_object_object_add(o, "return_courier", json_object_new_string(b.return_courier));
	json_object_object_add(o, "return_address", json_object_new_string(b.return_address));
	/* the webhook URL is a secret: only whether there is one */
	json_object_object_add(o, "notify_webhook_set", json_object_new_boolean(b.has_webhook));
	return response_view(res, status, NULL, o);
}

/* PATCH /api/v1/admin/brands/{id} (shipping_fee, free_shipping_threshold, return_shipping_cost,
 * return_courier, return_address, introduction, notify_webhook_url (http or https),
 * notify_webhook_clear): what is given changes; 200 with the brand; 404; 422. */
enum status api_admin_brand_edit(struct request *req, struct response *res)
{
	struct brand_edit e = {
	    .shipping_fee = req_given(req, "shipping_fee") ? req_int(req, "shipping_fee") : -1,
	    .free_shipping_threshold =
	        req_given(req, "free_shipping_threshold") ? req_int(req, "free_shipping_threshold") : -1,
	    .return_shipping_cost = req_given(req, "return_shipping_cost") ? req_int(req, "return_shipping_cost") : -1,
	    .return_courier = req_text(req, "return_courier"),
	    .return_address = req_text(req, "return_address"),
	    .introduction = req_text(req, "introduction"),
	    .webhook_url = req_text(req, "notify_webhook_url"),
	    .webhook_clear = req_int(req, "notify_webhook_clear") != 0,
	};
	if (!req->is_api && e.webhook_url && !*e.webhook_url)
		e.webhook_url = NULL; /* a page's blank box (the URL is never drawn again) changes nothing */
	if (e.webhook_url && strncmp(e.webhook_url, "https://", 8) != 0 && strncmp(e.webhook_url, "http://", 7) != 0)
		return response_field_error(res, ST_INVALID, "notify_webhook_url", "not_allowed");
	if (e.webhook_url && e.webhook_clear)
		return response_field_error(res, ST_INVALID, "notify_webhook_clear", "not_allowed");
	enum status st = db_brand_edit(req->path_params[0], &e);
	if (st != ST_OK)
		return st;
	log_info("brand %lld edited by admin %lld", req->path_params[0], session_user_id(req));
	return answer_brand(req, res, req->path_params[0], 200);
}

static enum status brand_status(struct request *req, struct response *res, bool active)
{
	bool changed;
	enum status st = db_brand_set_status(req->path_params[0], active, &changed);
	if (st != ST_OK)
		return st;
	if (changed)
		log_info("brand %lld %s by admin %lld", req->path_params[0], active ? "reactivated" : "deactivated",
		         session_user_id(req));
	return answer_brand(req, res, req->path_params[0], 200);
}

/* POST /api/v1/admin/brands/{id}/deactivate: the brand leaves the shop (its products are no longer
 * listed, its sellers are refused); 200; 404. */
enum status api_admin_brand_deactivate(struct request *req, struct response *res)
{
	return brand_status(req, res, false);
}

/* POST /api/v1/admin/brands/{id}/reactivate: 200; 404. */
enum status api_admin_brand_reactivate(struct request *req, struct response *res)
{
	return brand_status(req, res, true);
}

#define LOGO_MAX_BYTES (5 * 1024 * 1024)

static const char *logo_refusal(int rc)
{
	switch (rc) {
	case 413: return "image_too_large";
	case 415: return "not_an_image";
	default: return "corrupt_image";
	}
}

static bool digits(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The `logo` file part of a multipart body, or NULL (none, or an empty file input). */
static const struct field *logo_part(struct request *req)
{
	const struct field *logo = NULL;
	for (size_t i = 0; i < req->body_fields.count; i++) {
		const struct field *f = &req->body_fields.items[i];
		if (f->kind == FIELD_FILE && strcmp(f->name, "logo") == 0 &&
		    (f->len > 0 || (f->filename && *f->filename)))
			logo = f;
	}
	(void)req_input(req, "logo");
	return logo;
}

/* POST /api/v1/admin/brands (JSON, a form, or multipart with a `logo` file part): a new active
 * brand with a generated key, shown in this answer only (only its SHA-256 is stored). 201 with the
 * brand, its key and its logo's URLs; 422 (a taken name: name taken; the logo refused: logo
 * not_an_image, image_too_large or corrupt_image; nothing is stored). */
enum status api_admin_brand_create(struct request *req, struct response *res)
{
	const char *brn = req_text(req, "business_registration_number");
	if (!digits(brn, 10) || brn[0] == '0')
		return response_field_error(res, ST_INVALID, "business_registration_number", "wrong_type");
	const struct field *logo = logo_part(req);
	struct media_result m = {0};
	if (logo) {
		struct media_limits lim = {.max_bytes = LOGO_MAX_BYTES};
		char err[256];
		int rc = media_ingest(config.media_dir, logo->value, logo->len, &lim, &m, err, sizeof err);
		if (rc == 500 || rc == 507) {
			log_error("brand logo: %s", err);
			return rc == 507 ? ST_UNAVAILABLE : ST_ERROR; /* a full disk: 503 */
		}
		if (rc != 0)
			return response_field_error(res, ST_INVALID, "logo", logo_refusal(rc));
	}
	char key[CRYPTO_TOKEN_LEN + 1];
	unsigned char hash[CRYPTO_SHA256_LEN];
	crypto_token(key, hash);
	struct brand_new b = {
	    .name = req_text(req, "name"),
	    .key_hash = hash,
	    .introduction = req_text(req, "introduction"),
	    .style_label = req_text(req, "style_label"),
	    .business_postal_code = req_text(req, "business_postal_code"),
	    .business_address = req_text(req, "business_address"),
	    .phone = req_text(req, "phone"),
	    .business_registration_number = brn,
	    .bank_name = req_text(req, "bank_name"),
	    .bank_account_number = req_text(req, "bank_account_number"),
	    .bank_account_holder = req_text(req, "bank_account_holder"),
	    .shipping_fee = req_given(req, "shipping_fee") ? req_int(req, "shipping_fee") : 3000,
	    .free_shipping_threshold =
	        req_given(req, "free_shipping_threshold") ? req_int(req, "free_shipping_threshold") : -1,
	    .return_postal_code = req_text(req, "return_postal_code"),
	    .return_address = req_text(req, "return_address"),
	    .return_courier = req_text(req, "return_courier"),
	    .return_shipping_cost = req_given(req, "return_shipping_cost") ? req_int(req, "return_shipping_cost") : 0,
	};
	long long id = 0;
	enum status st = db_brand_create(&b, &id);
	if (st == ST_OK && logo)
		st = db_brand_set_logo(id, m.hash);
	if (st != ST_OK) {
		if (logo && !m.existed)
			media_remove(config.media_dir, m.hash);
		return st == ST_CONFLICT ? response_field_error(res, ST_INVALID, "name", "taken") : st;
	}
	log_info("brand %lld created by admin %lld", id, session_user_id(req));
	if (!req->is_api)
		return page_admin_brand_key_shown(req, res, id, key, true);
	enum status shown = answer_brand(req, res, id, 201);
	if (shown != ST_OK)
		return shown;
	json_object_object_add(res->model, "brand_key", json_object_new_string(key));
	json_object_object_add(res->model, "logo", logo ? store_image_urls(m.hash, false) : NULL);
	return ST_OK;
}
