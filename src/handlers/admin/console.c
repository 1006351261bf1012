/* The admin console's API (SPEC §4 admin console, §5 /api/v1/admin/…): the dashboard's counts,
 * review moderation, sellers suspended and reinstated, a brand's key rotated (shown once). */
#include <stdbool.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/admin.h"
#include "handlers/admin/admin.h"
#include "http/request.h"
#include "http/response.h"
#include "util/crypto.h"
#include "util/log.h"

static void add_int(json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

/* GET /api/v1/admin/dashboard: 200 with the counts. */
enum status api_admin_dashboard(struct request *req, struct response *res)
{
	struct admin_counts c;
	enum status st = db_admin_counts(&c);
	if (st != ST_OK)
		return st;
	json_object *o = json_object_new_object();
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
	return response_view(res, 200, NULL, o);
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
	return response_view(res, 200, NULL, o);
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
	return response_view(res, 200, NULL, o);
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
	json_object *o = json_object_new_object();
	add_int(o, "brand_id", req->path_params[0]);
	json_object_object_add(o, "brand_key", json_object_new_string(key));
	return response_view(res, 200, NULL, o);
}
