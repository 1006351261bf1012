#include "auth/csrf.h"

#include <stdio.h>
#include <string.h>

#include "db/sessions.h"
#include "http/request.h"
#include "http/response.h"
#include "util/config.h"

/* The token for a member (the session's secret) or a guest (the server's key and the cookie);
 * false for a guest without a usable cookie. */
static bool expected(const struct request *req, const char *guest_cookie, char out[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char mac[CRYPTO_SHA256_LEN];
	if (req->session) {
		crypto_hmac_sha256(req->session->csrf_secret, sizeof req->session->csrf_secret, "lonua-csrf", 10, mac);
	} else {
		unsigned char raw[CRYPTO_TOKEN_BYTES];
		if (!guest_cookie || !crypto_base64url_decode(guest_cookie, strlen(guest_cookie), raw, sizeof raw))
			return false;
		char msg[64];
		int n = snprintf(msg, sizeof msg, "lonua-guest-csrf:%s", guest_cookie);
		crypto_hmac_sha256(config.secret_key, strlen(config.secret_key), msg, (size_t)n, mac);
	}
	crypto_base64url(mac, sizeof mac, out);
	return true;
}

void csrf_token(struct request *req, struct response *res, char out[CRYPTO_TOKEN_LEN + 1])
{
	res->personal = true; /* a page with a visitor's token is never shared (nginx's micro-cache) */
	const char *cookie = request_cookie(req, CSRF_COOKIE);
	if (expected(req, cookie, out))
		return;
	unsigned char raw[CRYPTO_TOKEN_BYTES];
	char value[CRYPTO_TOKEN_LEN + 1];
	crypto_random(raw, sizeof raw);
	crypto_base64url(raw, sizeof raw, value);
	response_cookie(res, CSRF_COOKIE, value, 0, req->https);
	/* Later calls in this request (a form drawn again) must see the same cookie. */
	field_list_add(&req->cookies, CSRF_COOKIE, strlen(CSRF_COOKIE), value, strlen(value), FIELD_TEXT);
	expected(req, value, out);
}

enum status csrf_check(const struct request *req, struct response *res)
{
	char want[CRYPTO_TOKEN_LEN + 1];
	const struct field *f = field_list_get(&req->body_fields, CSRF_FIELD);
	const char *given = f && f->kind == FIELD_TEXT ? f->value : request_param(req, "HTTP_X_CSRF_TOKEN");
	if (given && strlen(given) == CRYPTO_TOKEN_LEN && expected(req, request_cookie(req, CSRF_COOKIE), want) &&
	    crypto_equal(given, want, CRYPTO_TOKEN_LEN))
		return ST_OK;
	return response_fail(res, ST_FORBIDDEN, "CSRF_FAILED",
	                     "The form has expired or did not come from this site; reload the page and try again.");
}
