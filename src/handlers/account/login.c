/* Logging in and out (SPEC §4, §5): the login page and form, the API's bearer tokens. Shoppers
 * and admins log in here; sellers at /seller/login (src/handlers/seller/), with the same rules. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/account.h"
#include "auth/session.h"
#include "db/users.h"
#include "handlers/account/account.h"
#include "handlers/forms.h"
#include "http/request.h"
#include "http/response.h"
#include "present/account.h"
#include "http/url.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"

/* The login form (also drawn again after a failed POST /login). */
enum status login_form(struct request *req, struct response *res)
{
	if (form_signed_in_elsewhere(req, res))
		return ST_OK;
	json_object *page = response_model(res);
	const char *next = form_next(req, NULL);
	response_form_value(res, "next", next);
	if (config.kakao_client_id) {
		struct buf url = BUF_INIT;
		buf_puts(&url, "/auth/kakao");
		if (next)
			url_add_param(&url, "next", next);
		json_object_object_add(page, "kakao_url", json_object_new_string(buf_str(&url)));
		buf_free(&url);
	}
	return response_view(res, 200, "pages/login", page);
}

/* GET /login: the form, with a notice after a verification or a reset. */
enum status page_login(struct request *req, struct response *res)
{
	static const char *const notices[] = {"verified", "reset", NULL};
	enum status st = login_form(req, res);
	if (st == ST_OK && !res->done)
		form_notices(req, res->model, notices);
	return st;
}

/* POST /login: 303 to next (a local path) or /; the form again with one message for a wrong
 * e-mail or password (401) or while throttled (429).
 * POST /api/v1/auth/login: 200 {token, token_type, expires_at, user}; 401 LOGIN_FAILED, 429. */
enum status login_submit(struct request *req, struct response *res)
{
	char token[CRYPTO_TOKEN_LEN + 1], expires[20];
	enum session_kind kind = req->is_api ? SESSION_BEARER : SESSION_COOKIE;
	enum status st = account_login(req, res, ACCOUNT_USER, req_text(req, "email"), req_text(req, "password"), kind,
	                               token, expires);
	if (st != ST_OK)
		return st;
	if (!req->is_api)
		return response_redirect(res, form_next(req, "/"));
	struct user u;
	st = db_user_by_email(req_text(req, "email"), &u);
	if (st != ST_OK)
		return st;
	return response_view(res, 200, NULL, present_login(token, expires, "user", present_user(&u)));
}

/* POST /logout, POST /api/v1/auth/logout: the session (cookie or bearer token) is revoked.
 * 303 to / / 204. */
enum status logout_submit(struct request *req, struct response *res)
{
	enum status st = session_end(req, res);
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : response_redirect(res, "/");
}
