/* Kakao login (SPEC §4): GET /auth/kakao leaves for Kakao, GET /auth/kakao/callback comes back.
 * A Kakao account we have not seen becomes a new pending shopper who completes the profile at
 * /signup/kakao before shopping; one we know logs in (or, signed in already, re-authenticates for
 * the profile and withdrawal pages). */
#include <string.h>

#include <json-c/json.h>

#include "auth/kakao.h"
#include "auth/session.h"
#include "db/db.h"
#include "db/sessions.h"
#include "db/users.h"
#include "handlers/account/account.h"
#include "handlers/forms.h"
#include "http/request.h"
#include "http/response.h"
#include "util/buf.h"

/* GET /auth/kakao?next=…: 303 to Kakao's authorization page; 404 when Kakao login is not set up. */
enum status kakao_start(struct request *req, struct response *res)
{
	if (!kakao_enabled())
		return ST_NOT_FOUND;
	struct buf location = BUF_INIT;
	enum status st = kakao_begin(req, res, form_next(req, NULL), &location);
	if (st == ST_OK)
		response_redirect(res, buf_str(&location));
	buf_free(&location);
	return st;
}

/* GET /auth/kakao/callback?code=…&state=…: 303 to where the login was started for (a pending new
 * account: /signup/kakao); 403 KAKAO_DENIED when the person said no at Kakao, 403 KAKAO_STATE for a
 * wrong or replayed state, 503 KAKAO_FAILED when Kakao refuses the code or does not answer. */
enum status kakao_callback(struct request *req, struct response *res)
{
	if (!kakao_enabled())
		return ST_NOT_FOUND;
	if (req_text(req, "error")) {
		enum status st = kakao_cancel(req, res, req_text(req, "state"));
		return st == ST_OK ? response_fail(res, ST_FORBIDDEN, "KAKAO_DENIED", "The Kakao login was cancelled.")
		                   : st;
	}
	struct kakao_person who;
	enum status st = kakao_finish(req, res, req_text(req, "code"), req_text(req, "state"), &who);
	if (st != ST_OK)
		return st;
	struct user u;
	st = db_user_by_kakao(who.id, &u);
	if (st == ST_NOT_FOUND) {
		long long id;
		st = db_user_create_kakao(who.id, who.nickname, &id);
		if (st == ST_OK || st == ST_CONFLICT) /* a conflict: the same person, twice at once */
			st = db_user_by_kakao(who.id, &u);
	}
	if (st != ST_OK)
		return st;
	const char *next = who.next[0] ? who.next : NULL;
	bool same = req->session && req->session->account == ACCOUNT_USER && session_user_id(req) == u.id;
	if (same) /* a signed-in shopper passing through Kakao again proves it is still them */
		st = db_session_reauthenticated(req->session->id);
	else
		st = session_start(req, res, SESSION_COOKIE, ACCOUNT_USER, u.id, NULL, NULL);
	if (st != ST_OK)
		return st;
	if (u.status == USER_PENDING && !u.phone[0])
		return response_redirect(res, "/signup/kakao");
	return response_redirect(res, next ? next : "/");
}

/* The profile form of a new Kakao account (also drawn again after a failed POST). */
enum status kakao_profile_form(struct request *req, struct response *res)
{
	struct user u;
	enum status st = db_user_by_id(session_user_id(req), &u);
	if (st != ST_OK)
		return st;
	if (u.status != USER_PENDING || !u.kakao_id)
		return response_redirect(res, "/me");
	json_object *page = response_model(res);
	response_form_value(res, "name", u.name);
	form_profile_choices(res, page, req->lang);
	return response_view(res, 200, "pages/kakao-profile", page);
}

/* POST /signup/kakao: the profile of a new Kakao account; it becomes active with its welcome
 * coupons. 303 to /me?joined=1; 409 (a taken e-mail or phone), 422. */
enum status kakao_profile_submit(struct request *req, struct response *res)
{
	struct user_profile p;
	form_read_profile(req, &p);
	enum status st = form_check_profile(res, &p, req->lang);
	if (st == ST_OK)
		st = db_user_complete_kakao(session_user_id(req), req_text(req, "email"), &p);
	if (st == ST_CONFLICT) {
		bool phone = strcmp(db_conflict_key(), "uq_users_phone") == 0;
		response_fail(res, st, phone ? "USER_PHONE_TAKEN" : "USER_EMAIL_TAKEN",
		              phone ? "That phone number has an account." : "That e-mail address has an account.");
		return response_field_error(res, st, phone ? "phone" : "email", "taken");
	}
	if (st == ST_NOT_FOUND)
		return response_redirect(res, "/me");
	return st == ST_OK ? response_redirect(res, "/me?joined=1") : st;
}
