/* The profile (SPEC §4 /me/profile): after the password is entered again (or Kakao is passed
 * through again, for a Kakao-only account), the shopper changes address, phone, style, body types,
 * measurements and password. PATCH /api/v1/me and POST /api/v1/me/password are the same for
 * programs (the password again in current_password, unless logged in within 15 minutes). */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/account.h"
#include "auth/session.h"
#include "db/sessions.h"
#include "db/users.h"
#include "handlers/forms.h"
#include "handlers/me/me.h"
#include "http/request.h"
#include "http/response.h"
#include "present/account.h"
#include "util/config.h"
#include "view/format.h"

/* A number the form starts with, unless it is unknown (0). */
static void prefill_number(struct response *res, const char *field, long long v)
{
	char n[24];
	if (!v)
		return;
	snprintf(n, sizeof n, "%lld", v);
	response_form_value(res, field, n);
}

/* Starts the form with the stored profile (a value the shopper submitted wins). */
static void prefill(struct response *res, const struct user *u)
{
	char phone[24];
	format_phone(u->phone, phone, sizeof phone); /* as people write it: 010-1234-5678 */
	response_form_value(res, "phone", phone);
	response_form_value(res, "postal_code", u->postal_code);
	response_form_value(res, "address", u->address);
	response_form_value(res, "address_detail", u->address_detail);
	prefill_number(res, "preferred_style", u->preferred_style_id);
	prefill_number(res, "upper_body_type", u->upper_body_type);
	prefill_number(res, "lower_body_type", u->lower_body_type);
	prefill_number(res, "height_cm", u->height_cm);
	prefill_number(res, "weight_kg", u->weight_kg);
}

/* The password form first (or the Kakao button), then the profile and password forms (also drawn
 * again after a failed POST). */
enum status profile_form(struct request *req, struct response *res)
{
	json_object *page = response_model(res);
	if (!req->session->reauthenticated) {
		json_object_object_add(page, "reauth", json_object_new_boolean(1));
		if (!req->session->has_password)
			json_object_object_add(page, "kakao_only", json_object_new_boolean(1));
		return response_view(res, 200, "pages/profile", page);
	}
	struct user u;
	enum status st = db_user_by_id(session_user_id(req), &u);
	if (st != ST_OK)
		return st;
	prefill(res, &u);
	json_object_object_add(page, "user", present_user(&u));
	form_profile_choices(res, page, req->lang);
	return response_view(res, 200, "pages/profile", page);
}

/* GET /me/profile: 200 (?saved=1, ?password=1: notices); 303 to /login for a guest; 403 for a
 * shopper who has not verified the e-mail. */
enum status page_profile(struct request *req, struct response *res)
{
	static const char *const notices[] = {"saved", "password", NULL};
	form_notices(req, response_model(res), notices);
	return profile_form(req, res);
}

/* POST /me/profile/reauth: the password again. 303 to /me/profile; the form again with a message
 * when it is wrong (401) or throttled (429). */
enum status profile_reauth(struct request *req, struct response *res)
{
	enum status st = account_reauthenticate(req, res, req_text(req, "password"));
	return st == ST_OK ? response_redirect(res, "/me/profile") : st;
}

/* POST /me/profile, PATCH /api/v1/me: the fields given change (name, birth date, gender and
 * e-mail stay). 303 to /me/profile?saved=1 / 200 with the profile; 403 (REAUTHENTICATE) without a
 * recent re-authentication or current_password; 409 (USER_PHONE_TAKEN); 422. */
enum status profile_submit(struct request *req, struct response *res)
{
	enum status st = account_check_reauthenticated(req, res, req_text(req, "current_password"));
	if (st != ST_OK)
		return st;
	struct user_profile p = {
	    .phone = req_text(req, "phone"),
	    .postal_code = req_text(req, "postal_code"),
	    .address = req_text(req, "address"),
	    /* given blank, it is cleared; not given, it stays */
	    .address_detail = req_given(req, "address_detail") ? req_input(req, "address_detail")->s : NULL,
	    .preferred_style_id = req_int(req, "preferred_style"),
	    .upper_body_type = (int)req_int(req, "upper_body_type"),
	    .lower_body_type = (int)req_int(req, "lower_body_type"),
	    .height_cm = (int)req_int(req, "height_cm"),
	    .weight_kg = (int)req_int(req, "weight_kg"),
	};
	st = form_check_profile(res, &p, req->lang);
	if (st == ST_OK)
		st = db_user_update_profile(session_user_id(req), &p);
	if (st == ST_CONFLICT) {
		response_fail(res, st, "USER_PHONE_TAKEN", "That phone number has an account.");
		return response_field_error(res, st, "phone", "taken");
	}
	if (st != ST_OK)
		return st;
	if (!req->is_api)
		return response_redirect(res, "/me/profile?saved=1");
	struct user u;
	st = db_user_by_id(session_user_id(req), &u);
	return st == ST_OK ? response_view(res, 200, NULL, present_user(&u)) : st;
}

/* POST /me/password, POST /api/v1/me/password: a new password; every other session ends.
 * 303 to /me/profile?password=1 / 204; 403 (REAUTHENTICATE), 409 (NO_EMAIL: a Kakao-only account
 * without an e-mail cannot have a password), 422. */
enum status password_submit(struct request *req, struct response *res)
{
	const char *password = req_text(req, "password");
	if (!req->session->email[0])
		return response_fail(res, ST_CONFLICT, "NO_EMAIL",
		                     "An account without an e-mail address logs in with Kakao.");
	enum status st = account_change_password(req, res, req_text(req, "current_password"), password);
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : response_redirect(res, "/me/profile?password=1");
}
