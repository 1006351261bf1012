/* GET /me (the dashboard) and GET /api/v1/me (the caller's profile). */
#include <json-c/json.h>

#include "auth/session.h"
#include "db/reference.h"
#include "db/sessions.h"
#include "db/users.h"
#include "handlers/forms.h"
#include "handlers/me/me.h"
#include "http/request.h"
#include "http/response.h"
#include "present/account.h"
#include "present/order.h"
#include "db/orders.h"
#include "view/format.h"

/* Orders the dashboard shows. */
#define RECENT_ORDERS 3

/* The signed-in shopper (into u) as the API shows it, with the grade (in lang) and the coupons that
 * can be used now. */
static enum status own_user(struct request *req, struct user *u, json_object **out)
{
	long long coupons = 0;
	json_object *grade = NULL;
	enum status st = db_user_by_id(session_user_id(req), u);
	if (st == ST_OK)
		st = db_user_coupons_available(u->id, &coupons);
	if (st == ST_OK)
		st = reference_get(REFERENCE_GRADES, u->grade_id, req->lang, &grade);
	if (st != ST_OK && st != ST_NOT_FOUND)
		return st;
	*out = present_user(u);
	json_object_object_add(*out, "grade", grade);
	json_object_object_add(*out, "coupons_available", json_object_new_int64(coupons));
	return ST_OK;
}

/* GET /me: 200 (a pending shopper sees how to finish the sign-up), 303 to /login for a guest. */
enum status page_me(struct request *req, struct response *res)
{
	static const char *const notices[] = {"verified", "resent", "joined", NULL};
	struct user u;
	json_object *user;
	enum status st = own_user(req, &u, &user);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	json_object_object_add(page, "user", user);
	/* Pending: a Kakao account still to give its profile, or an e-mail still to verify. */
	if (u.status == USER_PENDING)
		json_object_object_add(page, u.kakao_id && !u.phone[0] ? "needs_profile" : "pending",
		                       json_object_new_boolean(1));
	form_notices(req, page, notices);
	/* The latest orders, with their lines (an active shopper's: a pending one cannot buy yet). */
	struct order *recent;
	size_t n = 0;
	long long total;
	if (u.status == USER_ACTIVE) {
		st = db_orders_of_user(u.id, 1, RECENT_ORDERS, &recent, &n, &total);
		if (st != ST_OK)
			return st;
		json_object *orders = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			json_object_array_add(orders, present_order(&recent[i], req->lang));
		orders_free(recent, n);
		json_object_object_add(page, "recent_orders", orders);
		json_object_object_add(page, "has_orders", json_object_new_boolean(n > 0));
		json_object_object_add(page, "active", json_object_new_boolean(1));
	}
	json_object_object_add(page, "mileage_text", format_won_json(u.mileage_balance, req->lang));
	return response_view(res, 200, "pages/me", page);
}

/* GET /api/v1/me: 200 with the profile, 401. */
enum status me_get(struct request *req, struct response *res)
{
	struct user u;
	json_object *user;
	enum status st = own_user(req, &u, &user);
	return st == ST_OK ? response_view(res, 200, NULL, user) : st;
}
