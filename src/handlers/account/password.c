/* Forgotten passwords (SPEC §4): ask for a link by e-mail, then choose a new password with it.
 * The same pages serve shoppers and sellers: the link knows whose account it is. */
#include <string.h>

#include <json-c/json.h>

#include "auth/account.h"
#include "handlers/account/account.h"
#include "handlers/forms.h"
#include "http/request.h"
#include "http/response.h"

/* The form asking for a reset link (also drawn again after a failed POST): a seller's variant when
 * seller is set. */
enum status forgot_form(struct request *req, struct response *res)
{
	static const char *const flags[] = {"seller", NULL};
	json_object *page = response_model(res);
	form_notices(req, page, flags);
	return response_view(res, 200, "pages/password-forgot", page);
}

/* GET /password/forgot: the form (?sent=1: the notice that a mail is on its way). */
enum status page_password_forgot(struct request *req, struct response *res)
{
	static const char *const notices[] = {"sent", NULL};
	form_notices(req, response_model(res), notices);
	return forgot_form(req, res);
}

/* POST /password/forgot, POST /api/v1/auth/password/forgot: mails a link if the account exists.
 * The same answer either way: 303 to /password/forgot?sent=1 / 202. */
enum status password_forgot_submit(struct request *req, struct response *res)
{
	enum account_kind account = req_int(req, "seller") ? ACCOUNT_SELLER : ACCOUNT_USER;
	enum status st = account_forgot_password(account, req_text(req, "email"), req->lang);
	if (st != ST_OK)
		return st;
	if (req->is_api) {
		res->status = 202;
		json_object_object_add(response_model(res), "status", json_object_new_string("sent_if_registered"));
		return ST_OK;
	}
	return response_redirect(res, "/password/forgot?sent=1");
}

/* GET /password/reset?token=…: the form for a new password, or the "link expired" text. */
enum status page_password_reset(struct request *req, struct response *res)
{
	json_object *page = response_model(res);
	const char *token = req_text(req, "token");
	if (token && account_reset_token_live(token)) {
		json_object_object_add(page, "token", json_object_new_string(token));
		json_object_object_add(page, "live", json_object_new_boolean(1));
	}
	return response_view(res, 200, "pages/password-reset", page);
}

/* POST /password/reset, POST /api/v1/auth/password/reset: sets the new password and ends every
 * session of the account. 303 to the login page / 204; 404 (RESET_LINK_DEAD) for a dead link;
 * 422 (mismatch of the confirmation, a weak password). */
enum status password_reset_submit(struct request *req, struct response *res)
{
	const char *password = req_text(req, "password");
	enum account_kind account;
	enum status st = account_reset_password(req_text(req, "token"), password, &account);
	if (st == ST_NOT_FOUND) {
		res->form_message = "password.dead"; /* the catalogue has no "reset" section */
		return response_fail(res, st, "RESET_LINK_DEAD",
		                     "This link is unknown, used or expired; ask for a new one.");
	}
	if (st != ST_OK)
		return st;
	if (req->is_api)
		return response_no_content(res);
	return response_redirect(res, account == ACCOUNT_SELLER ? "/seller/login?reset=1" : "/login?reset=1");
}
