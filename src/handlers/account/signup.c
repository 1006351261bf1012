/* Shopper sign-up (SPEC §3 User, §4): GET /signup draws the form; POST /signup and
 * POST /api/v1/users create a pending account and mail the verification link. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/account.h"
#include "handlers/account/account.h"
#include "handlers/forms.h"
#include "http/request.h"
#include "http/response.h"
#include "present/account.h"
#include "util/config.h"

/* GET /signup: 200, or 303 to the visitor's own page when signed in. */
enum status page_signup(struct request *req, struct response *res)
{
	if (form_signed_in_elsewhere(req, res))
		return ST_OK;
	json_object *page = response_model(res);
	form_profile_choices(res, page, req->lang);
	if (config.kakao_client_id)
		json_object_object_add(page, "kakao", json_object_new_boolean(1));
	return response_view(res, 200, "pages/signup", page);
}

/* The page that asks to open the mail, with its resend form (also drawn again after a failed
 * POST /verify/resend). */
enum status resend_form(struct request *req, struct response *res)
{
	(void)req;
	return response_view(res, 200, "pages/signup-done", response_model(res));
}

/* GET /signup/done: where a new shopper is told to open the mail (?resent=1 after a resend). */
enum status page_signup_done(struct request *req, struct response *res)
{
	static const char *const notices[] = {"resent", NULL};
	form_notices(req, response_model(res), notices);
	return resend_form(req, res);
}

/* POST /signup, POST /api/v1/users: 303 to /signup/done (page) or 201 with the new user and
 * Location (API); 409 for a taken e-mail or phone (USER_EMAIL_TAKEN, USER_PHONE_TAKEN), 422. */
enum status signup_submit(struct request *req, struct response *res)
{
	struct user_profile p;
	form_read_profile(req, &p);
	const char *password = req_text(req, "password");
	enum status st = form_check_profile(res, &p, req->lang);
	if (st != ST_OK)
		return st;
	long long id;
	const char *field;
	st = account_signup(req_text(req, "email"), password, &p, req->lang, &id, &field);
	if (st == ST_CONFLICT) {
		bool email = strcmp(field, "email") == 0;
		response_fail(res, st, email ? "USER_EMAIL_TAKEN" : "USER_PHONE_TAKEN",
		              email ? "That e-mail address has an account." : "That phone number has an account.");
		return response_field_error(res, st, field, "taken");
	}
	if (st != ST_OK)
		return st;
	if (!req->is_api)
		return response_redirect(res, "/signup/done");
	struct user u;
	st = db_user_by_id(id, &u);
	if (st != ST_OK)
		return st;
	response_header(res, "Location", "/api/v1/me");
	res->personal = true; /* it holds the new account's details */
	return response_view(res, 201, NULL, present_user(&u));
}
