#include "auth/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/cart_owner.h"
#include "http/request.h"
#include "http/response.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"

enum role session_role(const struct session *s)
{
	if (!s)
		return ROLE_GUEST;
	if (s->account == ACCOUNT_SELLER)
		return s->seller_status == SELLER_ACTIVE && s->brand_active ? ROLE_SELLER : ROLE_INACTIVE_SELLER;
	/* A withdrawn account can do nothing (SPEC §2). db_session_find already leaves such sessions
	 * out, but this answer must not depend on that: it was ROLE_PENDING_SHOPPER, which may use
	 * member pages. */
	if (s->user_status == USER_WITHDRAWN)
		return ROLE_GUEST;
	if (s->user_role == USER_ADMIN)
		return s->user_status == USER_ACTIVE ? ROLE_ADMIN : ROLE_GUEST;
	return s->user_status == USER_ACTIVE ? ROLE_SHOPPER : ROLE_PENDING_SHOPPER;
}

long long session_user_id(const struct request *req)
{
	return req->session && req->session->account == ACCOUNT_USER ? req->session->account_id : 0;
}

long long session_seller_id(const struct request *req)
{
	return req->session && req->session->account == ACCOUNT_SELLER ? req->session->account_id : 0;
}

/* The token of an `Authorization: Bearer …` header, or NULL when there is none (another scheme
 * is no token either). */
static const char *bearer_token(const struct request *req)
{
	const char *h = request_param(req, "HTTP_AUTHORIZATION");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

enum status session_find(struct request *req, struct response *res)
{
	unsigned char hash[CRYPTO_SHA256_LEN];
	enum session_kind kind = SESSION_COOKIE;
	const char *token = bearer_token(req);
	req->role = ROLE_GUEST;
	if (token) {
		kind = SESSION_BEARER;
		if (!crypto_token_hash(token, hash))
			return response_fail(res, ST_UNAUTHENTICATED, "INVALID_TOKEN",
			                     "The bearer token is not valid; log in again.");
	} else {
		token = request_cookie(req, SESSION_COOKIE_NAME);
		if (!token)
			return ST_OK;
		if (!crypto_token_hash(token, hash)) {
			response_cookie(res, SESSION_COOKIE_NAME, "", -1, req->https);
			return ST_OK;
		}
	}
	struct session *s = xmalloc(sizeof *s);
	enum status st = db_session_find(hash, kind, config.session_idle, s);
	if (st != ST_OK) {
		free(s);
		if (st != ST_NOT_FOUND)
			return st;
		if (kind == SESSION_BEARER)
			return response_fail(res, ST_UNAUTHENTICATED, "INVALID_TOKEN",
			                     "The bearer token has expired or was revoked; log in again.");
		response_cookie(res, SESSION_COOKIE_NAME, "", -1, req->https); /* expired: forget it */
		return ST_OK;
	}
	if (s->touch_due && db_session_touch(s->id) != ST_OK)
		log_warn("could not record the use of session %lld", s->id); /* not worth failing the request */
	req->session = s;
	req->role = session_role(s);
	req->by_cookie = kind == SESSION_COOKIE;
	res->personal = true;
	return ST_OK;
}

enum status session_start(struct request *req, struct response *res, enum session_kind kind, enum account_kind account,
                          long long account_id, char *token_out, char *expires_out)
{
	char token[CRYPTO_TOKEN_LEN + 1];
	unsigned char hash[CRYPTO_SHA256_LEN], csrf[32];
	crypto_token(token, hash);
	crypto_random(csrf, sizeof csrf);
	long long id;
	enum status st = db_session_create(kind, account, account_id, hash, csrf, request_param(req, "REMOTE_ADDR"),
	                                   request_param(req, "HTTP_USER_AGENT"), &id);
	if (st != ST_OK)
		return st;
	/* The session this request came with (another account, or the same one again) ends: a new
	 * login always gets a new token. */
	if (req->session && req->session->kind == kind)
		db_session_delete(req->session->id);
	/* What a guest put in the cart stays in it (a failed merge leaves the guest cart, not the login). */
	if (account == ACCOUNT_USER && cart_merge_at_login(req, res, account_id) != ST_OK)
		log_warn("the guest cart could not be merged at login");
	if (kind == SESSION_COOKIE) {
		response_cookie(res, SESSION_COOKIE_NAME, token, config.session_max, req->https);
	} else {
		snprintf(token_out, CRYPTO_TOKEN_LEN + 1, "%s", token);
		struct session s;
		if (db_session_find(hash, kind, config.session_idle, &s) == ST_OK)
			snprintf(expires_out, 20, "%s", s.expires_at);
		else
			expires_out[0] = '\0';
	}
	res->personal = true;
	return ST_OK;
}

enum status session_end(struct request *req, struct response *res)
{
	if (req->by_cookie)
		response_cookie(res, SESSION_COOKIE_NAME, "", -1, req->https);
	if (!req->session)
		return ST_OK;
	enum status st = db_session_delete(req->session->id);
	free(req->session);
	req->session = NULL;
	req->role = ROLE_GUEST;
	return st;
}
