#include "auth/account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "db/db.h"
#include "db/outbox.h"
#include "db/brands.h"
#include "db/sellers.h"
#include "db/tokens.h"
#include "http/request.h"
#include "http/response.h"
#include "http/url.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"
#include "view/view.h"

/* Renders mails/<name> in lang for a person and queues it, in the caller's transaction. The link
 * is the shop's public address with path and the token. */
static enum status queue_mail(const char *lang, const char *name, const char *to, const char *person, const char *path,
                              const char *token, long ttl)
{
	struct buf link = BUF_INIT, subject = BUF_INIT, text = BUF_INIT;
	buf_printf(&link, "%s%s", config.public_url, path);
	url_add_param(&link, "token", token);
	json_object *model = json_object_new_object();
	json_object_object_add(model, "name", json_object_new_string(person));
	json_object_object_add(model, "link", json_object_new_string(buf_str(&link)));
	json_object_object_add(model, "hours", json_object_new_int64(ttl / 3600));
	enum status st = ST_ERROR;
	if (view_render_mail(lang, name, model, &subject, &text) == 0)
		st = db_outbox_mail(NULL, to, buf_str(&subject), buf_str(&text));
	json_object_put(model);
	buf_free(&link);
	buf_free(&subject);
	buf_free(&text);
	return st;
}

/* ---- sign-up and verification ------------------------------------------------------------ */

struct signup_tx {
	const char *email, *hash, *lang;
	const struct user_profile *profile;
	long long id;
	const char *field;
};

static enum status signup_tx(void *ctx)
{
	struct signup_tx *t = ctx;
	enum status st = db_user_create(t->email, t->hash, t->profile, &t->id);
	if (st == ST_CONFLICT) {
		t->field = strcmp(db_conflict_key(), "uq_users_phone") == 0 ? "phone" : "email";
		return st;
	}
	char token[CRYPTO_TOKEN_LEN + 1];
	unsigned char hash[CRYPTO_SHA256_LEN];
	crypto_token(token, hash);
	if (st == ST_OK)
		st = db_token_create(TOKEN_VERIFY_EMAIL, ACCOUNT_USER, t->id, t->email, hash, ACCOUNT_VERIFY_TTL);
	if (st == ST_OK)
		st = queue_mail(t->lang, "verify", t->email, t->profile->name, "/verify", token, ACCOUNT_VERIFY_TTL);
	return st;
}

enum status account_signup(const char *email, const char *password, const struct user_profile *profile,
                           const char *lang, long long *user_id, const char **field)
{
	char hash[PASSWORD_HASH_MAX];
	enum status st = password_hash(password, hash);
	if (st != ST_OK)
		return st;
	struct signup_tx t = {email, hash, lang, profile, 0, NULL};
	st = db_transaction(signup_tx, &t, 3);
	*user_id = t.id;
	*field = t.field;
	return st;
}

struct verify_tx {
	const char *token;
	long long id;
};

static enum status verify_tx(void *ctx)
{
	struct verify_tx *t = ctx;
	unsigned char hash[CRYPTO_SHA256_LEN];
	enum account_kind account;
	if (!crypto_token_hash(t->token, hash))
		return ST_NOT_FOUND;
	enum status st = db_token_spend(TOKEN_VERIFY_EMAIL, hash, &account, &t->id);
	if (st != ST_OK)
		return st;
	st = db_user_activate(t->id, true);
	/* Already active (another link of the same account came first): the token is spent, fine. */
	return st == ST_NOT_FOUND ? ST_OK : st;
}

enum status account_verify(const char *token, long long *user_id)
{
	struct verify_tx t = {token, 0};
	enum status st = db_transaction(verify_tx, &t, 3);
	*user_id = t.id;
	return st;
}

bool account_verify_token_live(const char *token)
{
	unsigned char hash[CRYPTO_SHA256_LEN];
	enum account_kind account;
	long long id;
	return crypto_token_hash(token, hash) && db_token_peek(TOKEN_VERIFY_EMAIL, hash, &account, &id) == ST_OK;
}

struct resend_tx {
	const struct user *u;
	const char *lang;
};

static enum status resend_tx(void *ctx)
{
	struct resend_tx *t = ctx;
	char token[CRYPTO_TOKEN_LEN + 1];
	unsigned char hash[CRYPTO_SHA256_LEN];
	crypto_token(token, hash);
	enum status st =
	    db_token_create(TOKEN_VERIFY_EMAIL, ACCOUNT_USER, t->u->id, t->u->email, hash, ACCOUNT_VERIFY_TTL);
	return st == ST_OK
	           ? queue_mail(t->lang, "verify", t->u->email, t->u->name, "/verify", token, ACCOUNT_VERIFY_TTL)
	           : st;
}

enum status account_resend_verification(const char *email, long long user_id, const char *lang)
{
	struct user u;
	enum status st = email ? db_user_by_email(email, &u) : db_user_by_id(user_id, &u);
	if (st == ST_NOT_FOUND || (st == ST_OK && (u.status != USER_PENDING || !u.email[0])))
		return ST_OK;
	long long recent = 0;
	if (st == ST_OK)
		st = db_token_count_recent(TOKEN_VERIFY_EMAIL, ACCOUNT_USER, u.id, 3600, &recent);
	if (st != ST_OK || recent >= ACCOUNT_MAILS_PER_HOUR)
		return st;
	struct resend_tx t = {&u, lang};
	return db_transaction(resend_tx, &t, 3);
}

/* ---- logging in ---------------------------------------------------------------------------- */

static const char *realm_name(enum account_kind account)
{
	return account == ACCOUNT_SELLER ? "seller" : "user";
}

/* The answer to a wrong e-mail or password: the same whatever was wrong. */
static enum status login_failed(struct response *res)
{
	res->form_message = "login.failed";
	return response_fail(res, ST_UNAUTHENTICATED, "LOGIN_FAILED", "The e-mail or the password is wrong.");
}

static enum status rate_limited(struct response *res, long seconds)
{
	res->retry_after = (int)seconds;
	res->form_message = "login.throttled";
	return response_fail(res, ST_RATE_LIMITED, "TOO_MANY_ATTEMPTS",
	                     "Too many failed attempts; wait a little and try again.");
}

/* The stored hash and id of the account of an e-mail ("" and 0 when there is none). */
static enum status find_credentials(enum account_kind account, const char *email, long long *id, char *hash,
                                    size_t hashlen, bool *can_act)
{
	*id = 0;
	hash[0] = '\0';
	*can_act = true;
	if (account == ACCOUNT_SELLER) {
		struct seller s;
		enum status st = db_seller_by_email(email, &s);
		if (st == ST_OK) {
			*id = s.id;
			snprintf(hash, hashlen, "%s", s.password_hash);
			*can_act = s.status == SELLER_ACTIVE && s.brand_active;
		}
		return st == ST_NOT_FOUND ? ST_OK : st;
	}
	struct user u;
	enum status st = db_user_by_email(email, &u);
	if (st == ST_OK && u.status != USER_WITHDRAWN) {
		*id = u.id;
		snprintf(hash, hashlen, "%s", u.password_hash);
	}
	return st == ST_NOT_FOUND ? ST_OK : st;
}

/* Stores a new hash when the stored one was made with other parameters. */
static void rehash_if_needed(enum account_kind account, long long id, const char *stored, const char *password)
{
	char hash[PASSWORD_HASH_MAX];
	if (!password_needs_rehash(stored) || password_hash(password, hash) != ST_OK)
		return;
	enum status st = account == ACCOUNT_SELLER ? db_seller_set_password(id, hash) : db_user_set_password(id, hash);
	if (st != ST_OK)
		log_warn("could not store the re-hashed password of an account");
}

enum status account_login(struct request *req, struct response *res, enum account_kind account, const char *email,
                          const char *password, enum session_kind kind, char *token, char *expires)
{
	struct throttle_key keys[3];
	long wait;
	throttle_keys(realm_name(account), email, request_param(req, "REMOTE_ADDR"), keys);
	enum status st = throttle_check(keys, &wait);
	if (st == ST_RATE_LIMITED)
		return rate_limited(res, wait);
	long long id;
	char stored[256];
	bool can_act;
	if (st == ST_OK)
		st = find_credentials(account, email, &id, stored, sizeof stored, &can_act);
	if (st != ST_OK)
		return st;
	bool right = false;
	if (id && stored[0])
		right = password_verify(stored, password);
	else
		password_verify_nobody(password); /* the same time for an unknown account */
	if (!right) {
		st = throttle_failed(keys);
		return st == ST_OK ? login_failed(res) : st;
	}
	throttle_succeeded(keys);
	if (!can_act)
		return response_fail(res, ST_FORBIDDEN, "ACCOUNT_SUSPENDED",
		                     "This seller account or its brand is suspended; contact the operator.");
	rehash_if_needed(account, id, stored, password);
	st = session_start(req, res, kind, account, id, token, expires);
	if (st == ST_OK)
		st = account == ACCOUNT_SELLER ? db_seller_logged_in(id) : db_user_logged_in(id);
	return st;
}

/* The stored password hash of the request's account, "" when it has none (Kakao only). */
static enum status own_hash(const struct request *req, char *hash, size_t len)
{
	const struct session *s = req->session;
	hash[0] = '\0';
	if (s->account == ACCOUNT_SELLER) {
		struct seller se;
		enum status st = db_seller_by_id(s->account_id, &se);
		if (st == ST_OK)
			snprintf(hash, len, "%s", se.password_hash);
		return st;
	}
	struct user u;
	enum status st = db_user_by_id(s->account_id, &u);
	if (st == ST_OK)
		snprintf(hash, len, "%s", u.password_hash);
	return st;
}

/* Checks the signed-in account's password, throttled like a login. ST_UNAUTHENTICATED with a
 * field error on field when it is wrong. */
static enum status check_own_password(struct request *req, struct response *res, const char *password,
                                      const char *field)
{
	struct throttle_key keys[3];
	long wait;
	const struct session *s = req->session;
	throttle_keys(realm_name(s->account), s->email, request_param(req, "REMOTE_ADDR"), keys);
	enum status st = throttle_check(keys, &wait);
	if (st == ST_RATE_LIMITED)
		return rate_limited(res, wait);
	char stored[256];
	if (st == ST_OK)
		st = own_hash(req, stored, sizeof stored);
	if (st != ST_OK)
		return st;
	if (password && stored[0] && password_verify(stored, password)) {
		throttle_succeeded(keys);
		return ST_OK;
	}
	if (!stored[0])
		password_verify_nobody(password ? password : "");
	st = throttle_failed(keys);
	if (st != ST_OK)
		return st;
	response_fail(res, ST_UNAUTHENTICATED, "WRONG_PASSWORD", "The password is wrong.");
	return response_field_error(res, ST_UNAUTHENTICATED, field, "wrong_password");
}

enum status account_reauthenticate(struct request *req, struct response *res, const char *password)
{
	enum status st = check_own_password(req, res, password, "password");
	if (st == ST_OK)
		st = db_session_reauthenticated(req->session->id);
	if (st == ST_OK)
		req->session->reauthenticated = true;
	return st;
}

enum status account_check_reauthenticated(struct request *req, struct response *res, const char *current)
{
	if (!current && req->session->reauthenticated)
		return ST_OK;
	if (!current) {
		response_fail(res, ST_FORBIDDEN, "REAUTHENTICATE", "Enter your password again first.");
		return response_field_error(res, ST_FORBIDDEN, "current_password", "required");
	}
	return check_own_password(req, res, current, "current_password");
}

/* ---- passwords ----------------------------------------------------------------------------- */

struct forgot_tx {
	enum account_kind account;
	long long id;
	const char *email, *name, *lang;
};

static enum status forgot_tx(void *ctx)
{
	struct forgot_tx *t = ctx;
	char token[CRYPTO_TOKEN_LEN + 1];
	unsigned char hash[CRYPTO_SHA256_LEN];
	crypto_token(token, hash);
	enum status st = db_token_create(TOKEN_RESET_PASSWORD, t->account, t->id, NULL, hash, ACCOUNT_RESET_TTL);
	return st == ST_OK
	           ? queue_mail(t->lang, "reset", t->email, t->name, "/password/reset", token, ACCOUNT_RESET_TTL)
	           : st;
}

enum status account_forgot_password(enum account_kind account, const char *email, const char *lang)
{
	struct forgot_tx t = {account, 0, email, "", lang};
	enum status st;
	struct user u;
	struct seller s;
	if (account == ACCOUNT_SELLER) {
		st = db_seller_by_email(email, &s);
		if (st == ST_OK)
			t.id = s.id, t.name = s.name;
	} else {
		st = db_user_by_email(email, &u);
		if (st == ST_OK && u.status != USER_WITHDRAWN && u.password_hash[0])
			t.id = u.id, t.name = u.name;
	}
	if (st == ST_NOT_FOUND || (st == ST_OK && t.id == 0))
		return ST_OK;
	long long recent = 0;
	if (st == ST_OK)
		st = db_token_count_recent(TOKEN_RESET_PASSWORD, account, t.id, 3600, &recent);
	if (st != ST_OK || recent >= ACCOUNT_MAILS_PER_HOUR)
		return st;
	return db_transaction(forgot_tx, &t, 3);
}

bool account_reset_token_live(const char *token)
{
	unsigned char hash[CRYPTO_SHA256_LEN];
	enum account_kind account;
	long long id;
	return crypto_token_hash(token, hash) && db_token_peek(TOKEN_RESET_PASSWORD, hash, &account, &id) == ST_OK;
}

struct reset_tx {
	const char *token, *hash;
	enum account_kind account;
};

static enum status reset_tx(void *ctx)
{
	struct reset_tx *t = ctx;
	unsigned char hash[CRYPTO_SHA256_LEN];
	long long id;
	if (!crypto_token_hash(t->token, hash))
		return ST_NOT_FOUND;
	enum status st = db_token_spend(TOKEN_RESET_PASSWORD, hash, &t->account, &id);
	if (st == ST_OK)
		st = t->account == ACCOUNT_SELLER ? db_seller_set_password(id, t->hash)
		                                  : db_user_set_password(id, t->hash);
	if (st == ST_OK)
		st = db_session_delete_others(t->account, id, 0);
	if (st == ST_OK)
		st = db_token_spend_resets(t->account, id); /* the other links mailed before */
	if (st == ST_OK && t->account == ACCOUNT_USER) {
		st = db_user_activate(id, true); /* the link proves the e-mail */
		if (st == ST_NOT_FOUND)
			st = ST_OK;
	}
	return st;
}

enum status account_reset_password(const char *token, const char *password, enum account_kind *account)
{
	char hash[PASSWORD_HASH_MAX];
	enum status st = password_hash(password, hash);
	if (st != ST_OK)
		return st;
	struct reset_tx t = {token, hash, ACCOUNT_USER};
	st = db_transaction(reset_tx, &t, 3);
	*account = t.account;
	return st;
}

enum status account_change_password(struct request *req, struct response *res, const char *current,
                                    const char *password)
{
	enum status st = account_check_reauthenticated(req, res, current);
	char hash[PASSWORD_HASH_MAX];
	if (st == ST_OK)
		st = password_hash(password, hash);
	if (st != ST_OK)
		return st;
	const struct session *s = req->session;
	st = s->account == ACCOUNT_SELLER ? db_seller_set_password(s->account_id, hash)
	                                  : db_user_set_password(s->account_id, hash);
	if (st == ST_OK)
		st = db_session_delete_others(s->account, s->account_id, s->id);
	if (st == ST_OK)
		st = db_token_spend_resets(s->account, s->account_id);
	return st;
}

/* ---- leaving ------------------------------------------------------------------------------- */

enum status account_withdraw(struct request *req, struct response *res, const char *password)
{
	/* A Kakao-only account has no password: it re-authenticates through Kakao first. */
	enum status st = req->session->has_password ? check_own_password(req, res, password, "password")
	                                            : account_check_reauthenticated(req, res, NULL);
	if (st == ST_OK)
		st = db_user_withdraw(session_user_id(req));
	if (st == ST_OK)
		session_end(req, res); /* its row is gone already; this clears the cookie */
	return st;
}

enum status account_seller_delete(struct request *req, struct response *res, const char *password)
{
	enum status st = check_own_password(req, res, password, "password");
	if (st == ST_OK)
		st = db_seller_delete(session_seller_id(req));
	if (st == ST_OK)
		session_end(req, res);
	return st;
}

enum status account_seller_signup(struct request *req, struct response *res, long long brand_id, const char *brand_key,
                                  const char *email, const char *password, const char *name, const char *phone,
                                  long long *seller_id, const char **field)
{
	struct throttle_key keys[3];
	char brand[24];
	long wait;
	*field = NULL;
	snprintf(brand, sizeof brand, "%lld", brand_id);
	throttle_keys("brand-key", brand, request_param(req, "REMOTE_ADDR"), keys);
	enum status st = throttle_check(keys, &wait);
	if (st == ST_RATE_LIMITED)
		return rate_limited(res, wait);
	struct brand_key key;
	unsigned char given[CRYPTO_SHA256_LEN];
	if (st == ST_OK)
		st = db_brand_key(brand_id, &key);
	if (st != ST_OK && st != ST_NOT_FOUND)
		return st;
	bool right = crypto_token_hash(brand_key, given) && st == ST_OK && crypto_equal(given, key.hash, sizeof given);
	if (!right) {
		st = throttle_failed(keys);
		*field = "brand_key";
		return st == ST_OK ? ST_INVALID : st;
	}
	throttle_succeeded(keys);
	if (!key.active) {
		*field = "brand_id";
		return ST_CONFLICT;
	}
	char hash[PASSWORD_HASH_MAX];
	st = password_hash(password, hash);
	if (st == ST_OK)
		st = db_seller_create(brand_id, email, hash, name, phone, seller_id);
	if (st == ST_CONFLICT)
		*field = "email";
	return st;
}
