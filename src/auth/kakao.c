#include "auth/kakao.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db/oauth.h"
#include "http/request.h"
#include "http/response.h"
#include "http/url.h"
#include "net/http_client.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"

bool kakao_enabled(void)
{
	return config.kakao_client_id != NULL;
}

/* The address Kakao sends the browser back to (it must be registered with the app). */
static void redirect_uri(struct buf *b)
{
	buf_printf(b, "%s/auth/kakao/callback", config.public_url);
}

enum status kakao_begin(struct request *req, struct response *res, const char *next, struct buf *location)
{
	char state[CRYPTO_TOKEN_LEN + 1], nonce[CRYPTO_TOKEN_LEN + 1];
	unsigned char state_hash[CRYPTO_SHA256_LEN], nonce_hash[CRYPTO_SHA256_LEN];
	crypto_token(state, state_hash);
	crypto_token(nonce, nonce_hash);
	enum status st = db_oauth_state_create(state_hash, nonce_hash, next, KAKAO_STATE_TTL);
	if (st != ST_OK)
		return st;
	response_cookie(res, KAKAO_COOKIE, nonce, KAKAO_STATE_TTL, req->https);
	struct buf uri = BUF_INIT;
	redirect_uri(&uri);
	buf_printf(location, "%s/oauth/authorize", config.kakao_auth_url);
	url_add_param(location, "client_id", config.kakao_client_id);
	url_add_param(location, "redirect_uri", buf_str(&uri));
	url_add_param(location, "response_type", "code");
	url_add_param(location, "state", state);
	buf_free(&uri);
	return ST_OK;
}

static enum status failed(struct response *res, const char *why)
{
	log_warn("Kakao login failed: %s", why);
	return response_fail(res, ST_UNAVAILABLE, "KAKAO_FAILED", "Kakao did not let us log you in; please try again.");
}

/* The JSON object of a reply, or NULL when it is none (an HTML error page, a truncated body). */
static json_object *reply_object(const struct http_reply *r)
{
	json_object *o = r->body.len ? json_tokener_parse(buf_str(&r->body)) : NULL;
	if (o && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* Exchanges the code for an access token (written into token). */
static enum status exchange_code(struct response *res, const char *code, char *token, size_t len)
{
	struct buf form = BUF_INIT, uri = BUF_INIT, url = BUF_INIT;
	redirect_uri(&uri);
	url_add_param(&form, "grant_type", "authorization_code");
	url_add_param(&form, "client_id", config.kakao_client_id);
	url_add_param(&form, "redirect_uri", buf_str(&uri));
	url_add_param(&form, "code", code);
	if (config.kakao_client_secret && *config.kakao_client_secret)
		url_add_param(&form, "client_secret", config.kakao_client_secret);
	buf_printf(&url, "%s/oauth/token", config.kakao_auth_url);
	struct http_reply r;
	/* url_add_param starts with '?': the form body is what follows it. */
	enum status st = http_client_request("POST", buf_str(&url), "application/x-www-form-urlencoded;charset=utf-8",
	                                     buf_str(&form) + 1, NULL, &r);
	buf_free(&form);
	buf_free(&uri);
	buf_free(&url);
	json_object *o = st == ST_OK ? reply_object(&r) : NULL, *t = NULL;
	if (st != ST_OK)
		st = failed(res, r.error);
	else if (r.status != 200 || !o || !json_object_object_get_ex(o, "access_token", &t) ||
	         !json_object_is_type(t, json_type_string) || json_object_get_string_len(t) >= (int)len) {
		char why[96];
		snprintf(why, sizeof why, "the token endpoint answered %ld", r.status);
		st = failed(res, why);
	} else {
		snprintf(token, len, "%s", json_object_get_string(t));
	}
	json_object_put(o);
	buf_free(&r.body);
	return st;
}

/* Reads the user of an access token: the id (a 64-bit integer) and, if given, the nickname. */
static enum status read_user(struct response *res, const char *token, struct kakao_person *out)
{
	struct buf url = BUF_INIT;
	buf_printf(&url, "%s/v2/user/me", config.kakao_api_url);
	struct http_reply r;
	enum status st = http_client_request("GET", buf_str(&url), NULL, NULL, token, &r);
	buf_free(&url);
	json_object *o = st == ST_OK ? reply_object(&r) : NULL, *id = NULL, *account, *profile, *nick;
	if (st != ST_OK) {
		st = failed(res, r.error);
	} else if (r.status != 200 || !o || !json_object_object_get_ex(o, "id", &id) ||
	           !json_object_is_type(id, json_type_int) || json_object_get_int64(id) <= 0) {
		char why[96];
		snprintf(why, sizeof why, "the user endpoint answered %ld", r.status);
		st = failed(res, why);
	} else {
		out->id = json_object_get_int64(id);
		if (json_object_object_get_ex(o, "kakao_account", &account) &&
		    json_object_object_get_ex(account, "profile", &profile) &&
		    json_object_object_get_ex(profile, "nickname", &nick) &&
		    json_object_is_type(nick, json_type_string))
			snprintf(out->nickname, sizeof out->nickname, "%s", json_object_get_string(nick));
	}
	json_object_put(o);
	buf_free(&r.body);
	return st;
}

/* Spends the state if it is live and this browser's (its cookie is cleared either way); writes its
 * next path into next. ST_NOT_FOUND otherwise. */
static enum status spend_state(struct request *req, struct response *res, const char *state, char *next, size_t len)
{
	unsigned char state_hash[CRYPTO_SHA256_LEN], nonce_hash[CRYPTO_SHA256_LEN];
	response_cookie(res, KAKAO_COOKIE, "", -1, req->https);
	if (!state || !crypto_token_hash(state, state_hash) ||
	    !crypto_token_hash(request_cookie(req, KAKAO_COOKIE), nonce_hash))
		return ST_NOT_FOUND;
	return db_oauth_state_spend(state_hash, nonce_hash, next, len);
}

enum status kakao_cancel(struct request *req, struct response *res, const char *state)
{
	char next[501];
	enum status st = spend_state(req, res, state, next, sizeof next);
	return st == ST_NOT_FOUND ? ST_OK : st;
}

enum status kakao_finish(struct request *req, struct response *res, const char *code, const char *state,
                         struct kakao_person *out)
{
	memset(out, 0, sizeof *out);
	enum status st = spend_state(req, res, state, out->next, sizeof out->next);
	if (st == ST_NOT_FOUND)
		return response_fail(res, ST_FORBIDDEN, "KAKAO_STATE",
		                     "This Kakao login was not started here, or it was used already; start again.");
	if (st != ST_OK)
		return st;
	if (!code)
		return failed(res, "no code");
	char token[512];
	st = exchange_code(res, code, token, sizeof token);
	return st == ST_OK ? read_user(res, token, out) : st;
}
