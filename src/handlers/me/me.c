/* GET /me (the dashboard) and GET /api/v1/me (the caller's profile). */
#include <json-c/json.h>

#include "db/reference.h"
#include "db/sessions.h"
#include "db/users.h"
#include "handlers/forms.h"
#include "handlers/me/me.h"
#include "http/request.h"
#include "http/response.h"
#include "present/account.h"

/* The signed-in shopper's user, with the grade (in lang) and the coupons that can be used now. */
static enum status own_user(struct request *req, json_object **out)
{
	struct user u;
	long long coupons;
	json_object *grade = NULL;
	enum status st = db_user_by_id(req->session->account_id, &u);
	if (st == ST_OK)
		st = db_user_coupons_available(u.id, &coupons);
	if (st == ST_OK)
		st = reference_get(REFERENCE_GRADES, u.grade_id, req->lang, &grade);
	if (st != ST_OK && st != ST_NOT_FOUND)
		return st;
	*out = present_user(&u);
	json_object_object_add(*out, "grade", grade);
	json_object_object_add(*out, "coupons_available", json_object_new_int64(coupons));
	return ST_OK;
}

/* GET /me: 200 (a pending shopper sees how to finish the sign-up), 303 to /login for a guest. */
enum status page_me(struct request *req, struct response *res)
{
	json_object *user;
	enum status st = own_user(req, &user);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	json_object_object_add(page, "user", user);
	if (req->role == ROLE_PENDING_SHOPPER)
		json_object_object_add(page,
		                       req->session->has_kakao && !req->session->email[0] ? "needs_profile" : "pending",
		                       json_object_new_boolean(1));
	static const char *const notices[] = {"verified", "resent", NULL};
	form_notices(req, page, notices);
	return response_view(res, 200, "pages/me", page);
}

/* GET /api/v1/me: 200 with the profile, 401. */
enum status me_get(struct request *req, struct response *res)
{
	json_object *user;
	enum status st = own_user(req, &user);
	return st == ST_OK ? response_view(res, 200, NULL, user) : st;
}
