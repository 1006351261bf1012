#include "auth/cart_owner.h"

#include "auth/csrf.h"
#include "auth/session.h"
#include "db/carts.h"
#include "http/request.h"
#include "http/response.h"
#include "util/crypto.h"

/* The hash of the guest cookie's token; false without a well-formed cookie. */
static bool guest_hash(const struct request *req, unsigned char hash[CRYPTO_SHA256_LEN])
{
	const char *token = request_cookie(req, CART_COOKIE_NAME);
	return token && crypto_token_hash(token, hash);
}

enum status cart_of_request(struct request *req, struct response *res, bool create, long long *cart_id)
{
	struct cart_owner owner = {session_user_id(req), NULL};
	unsigned char hash[CRYPTO_SHA256_LEN];
	*cart_id = 0;
	if (!owner.user_id) {
		/* Only a guest's cookie cart needs the token: a signed-in caller's unsafe call was checked by
		 * the pipeline already (by cookie), or needs none (a bearer token). */
		if (!req->session && req->is_api && request_is_unsafe(req)) {
			enum status st = csrf_check(req, res);
			if (st != ST_OK)
				return st;
		}
		if (!guest_hash(req, hash)) {
			if (!create)
				return ST_NOT_FOUND;
			char token[CRYPTO_TOKEN_LEN + 1];
			crypto_token(token, hash);
			response_cookie(res, CART_COOKIE_NAME, token, CART_GUEST_MAX_AGE, req->https);
		} else if (create) { /* a change: the cookie lives on from now, as the cart's row does */
			response_cookie(res, CART_COOKIE_NAME, request_cookie(req, CART_COOKIE_NAME),
			                CART_GUEST_MAX_AGE, req->https);
		}
		owner.guest_hash = hash;
	}
	res->personal = true;
	return create ? db_cart_ensure(&owner, cart_id) : db_cart_find(&owner, cart_id);
}

long long cart_guest_count(const struct request *req)
{
	unsigned char hash[CRYPTO_SHA256_LEN];
	struct cart_owner owner = {0, hash};
	long long n = 0;
	if (guest_hash(req, hash) && db_cart_count(&owner, &n) != ST_OK)
		n = 0;
	return n;
}

enum status cart_merge_at_login(struct request *req, struct response *res, long long user_id)
{
	unsigned char hash[CRYPTO_SHA256_LEN];
	if (!guest_hash(req, hash))
		return ST_OK;
	enum status st = db_cart_merge(hash, user_id);
	if (st == ST_OK)
		response_cookie(res, CART_COOKIE_NAME, "", -1, req->https);
	return st;
}
