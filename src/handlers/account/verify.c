/* E-mail verification (SPEC §4): the mailed link opens GET /verify, a page whose button confirms
 * (a GET never spends the token, so a mail scanner opening links cannot); POST /verify and
 * POST /api/v1/auth/verify spend it and activate the account with its welcome coupons. */
#include <json-c/json.h>

#include "auth/account.h"
#include "db/sessions.h"
#include "handlers/account/account.h"
#include "http/request.h"
#include "http/response.h"

/* GET /verify?token=…: 200 with the confirm button, or the "link expired" text (and a resend form)
 * when the token is unknown, used or expired. */
enum status page_verify(struct request *req, struct response *res)
{
	json_object *page = response_model(res);
	const char *token = req_text(req, "token");
	if (token && account_verify_token_live(token)) {
		json_object_object_add(page, "token", json_object_new_string(token));
		json_object_object_add(page, "live", json_object_new_boolean(1));
	}
	return response_view(res, 200, "pages/verify", page);
}

/* POST /verify, POST /api/v1/auth/verify: 303 to the login page (or the shopper's own page when the
 * shopper is signed in) / 200 {"status": "active"}; 404 (VERIFY_LINK_DEAD) for a token that is
 * unknown, used or expired. */
enum status verify_submit(struct request *req, struct response *res)
{
	long long id;
	enum status st = account_verify(req_text(req, "token"), &id);
	if (st == ST_NOT_FOUND) {
		res->form_message = "verify.dead";
		return response_fail(res, st, "VERIFY_LINK_DEAD",
		                     "This link is unknown, used or expired; ask for a new one.");
	}
	if (st != ST_OK)
		return st;
	if (req->is_api) {
		json_object_object_add(response_model(res), "status", json_object_new_string("active"));
		return ST_OK;
	}
	bool own = req->session && req->session->account == ACCOUNT_USER && req->session->account_id == id;
	return response_redirect(res, own ? "/me?verified=1" : "/login?verified=1");
}

/* POST /verify/resend, POST /api/v1/auth/verify/resend: a new link for the pending account of the
 * e-mail given (or of the signed-in shopper). The same answer whether or not there is such an
 * account: 303 to /signup/done?resent=1 / 202. */
enum status verify_resend(struct request *req, struct response *res)
{
	const char *email = req_text(req, "email");
	long long own = req->session && req->session->account == ACCOUNT_USER ? req->session->account_id : 0;
	if (!email && !own)
		return response_field_error(res, ST_INVALID, "email", "required");
	enum status st = account_resend_verification(email, email ? 0 : own, req->lang);
	if (st != ST_OK)
		return st;
	if (req->is_api) {
		res->status = 202;
		json_object_object_add(response_model(res), "status", json_object_new_string("sent_if_pending"));
		return ST_OK;
	}
	return response_redirect(res, own && !email ? "/me?resent=1" : "/signup/done?resent=1");
}
