/* Cross-site request forgery tokens (SPEC §4, §6). Every unsafe page form carries one in the field
 * csrf_token; unsafe API calls authenticated by the session cookie send it in X-CSRF-Token (calls
 * with a bearer token need none: another site cannot make a browser send one). A member's token is
 * an HMAC of the session's own secret; a guest's (a login or sign-up form) is an HMAC under the
 * server's key of a random cookie, so a form only works in the browser that loaded it. */
#ifndef LONUA_AUTH_CSRF_H
#define LONUA_AUTH_CSRF_H

#include "util/crypto.h"
#include "util/status.h"

struct request;
struct response;

#define CSRF_FIELD  "csrf_token"
#define CSRF_COOKIE "lonua_csrf"

/* The token this request's forms carry (43 characters and a NUL). A guest without the cookie gets
 * one (Set-Cookie in res). */
void csrf_token(struct request *req, struct response *res, char out[CRYPTO_TOKEN_LEN + 1]);

/* ST_OK when the request carries the right token (the form field, or the X-CSRF-Token header),
 * else ST_FORBIDDEN with the problem code CSRF_FAILED. */
enum status csrf_check(const struct request *req, struct response *res);

#endif
