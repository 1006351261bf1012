/* The rules of src/auth that need no database: the login throttle's block times and keys, Argon2id
 * password hashes and when they need a re-hash, the role of a session's account, and CSRF tokens
 * checked against fake requests. Each Argon2id hash or check with the real cost takes ~50 ms (far
 * more under valgrind), so only a handful are made with it; the rest use cheap hashes. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <argon2.h>

#include "auth/csrf.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "db/sessions.h"
#include "http/input.h"
#include "http/request.h"
#include "http/response.h"
#include "tap.h"
#include "util/config.h"
#include "util/crypto.h"

static const char *const scope_names[] = {"ip", "account", "account+ip"};

static void load_config(void)
{
	char err[256];
	if (config_load(err, sizeof err) != 0) {
		tap_ok(0, "config_load: %s", err);
		exit(tap_done());
	}
}

/* ---- throttle ------------------------------------------------------------------------------- */

static void test_throttle_block(void)
{
	/* SPEC §6: the free allowance of each scope, then a block that doubles up to a ceiling. */
	static const struct {
		enum throttle_scope scope;
		long failures;
		long seconds;
	} cases[] = {
	    /* one address, many names: 50 free, 60 s doubling, at most 15 minutes */
	    {THROTTLE_IP, 0, 0},
	    {THROTTLE_IP, 1, 0},
	    {THROTTLE_IP, 50, 0},
	    {THROTTLE_IP, 51, 60},
	    {THROTTLE_IP, 52, 120},
	    {THROTTLE_IP, 53, 240},
	    {THROTTLE_IP, 54, 480},
	    {THROTTLE_IP, 55, 900},
	    {THROTTLE_IP, 56, 900},
	    {THROTTLE_IP, 1000, 900},
	    /* one name from anywhere: 20 free, 30 s doubling, at most 5 minutes (no lock-out) */
	    {THROTTLE_ACCOUNT, 20, 0},
	    {THROTTLE_ACCOUNT, 21, 30},
	    {THROTTLE_ACCOUNT, 22, 60},
	    {THROTTLE_ACCOUNT, 23, 120},
	    {THROTTLE_ACCOUNT, 24, 240},
	    {THROTTLE_ACCOUNT, 25, 300},
	    {THROTTLE_ACCOUNT, 26, 300},
	    {THROTTLE_ACCOUNT, 100000, 300},
	    /* one name from one address: 5 free, 30 s doubling, at most 15 minutes */
	    {THROTTLE_ACCOUNT_IP, 4, 0},
	    {THROTTLE_ACCOUNT_IP, 5, 0},
	    {THROTTLE_ACCOUNT_IP, 6, 30},
	    {THROTTLE_ACCOUNT_IP, 7, 60},
	    {THROTTLE_ACCOUNT_IP, 8, 120},
	    {THROTTLE_ACCOUNT_IP, 9, 240},
	    {THROTTLE_ACCOUNT_IP, 10, 480},
	    {THROTTLE_ACCOUNT_IP, 11, 900},
	    {THROTTLE_ACCOUNT_IP, 12, 900},
	    /* no wrap-around at the ends */
	    {THROTTLE_ACCOUNT_IP, -1, 0},
	    {THROTTLE_ACCOUNT_IP, LONG_MAX, 900},
	    {THROTTLE_IP, LONG_MAX, 900},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long got = throttle_block_seconds(cases[i].scope, cases[i].failures);
		tap_ok(got == cases[i].seconds, "throttle: %s after %ld failures blocks %ld s (got %ld)",
		       scope_names[cases[i].scope], cases[i].failures, cases[i].seconds, got);
	}
	/* Never shorter with more failures. */
	bool monotonic = true;
	for (int s = THROTTLE_IP; s <= THROTTLE_ACCOUNT_IP; s++)
		for (long f = 1; f < 200; f++)
			if (throttle_block_seconds((enum throttle_scope)s, f) <
			    throttle_block_seconds((enum throttle_scope)s, f - 1))
				monotonic = false;
	tap_ok(monotonic, "throttle: a further failure never shortens the block");
}

static bool same_hash(const struct throttle_key *a, const struct throttle_key *b)
{
	return a->scope == b->scope && memcmp(a->hash, b->hash, sizeof a->hash) == 0;
}

static void test_throttle_keys(void)
{
	struct throttle_key a[3], b[3];
	throttle_keys("user", "shopper@example.com", "192.0.2.1", a);
	tap_ok(a[0].scope == THROTTLE_IP && a[1].scope == THROTTLE_ACCOUNT && a[2].scope == THROTTLE_ACCOUNT_IP,
	       "throttle keys: one per scope, in order");
	tap_ok(memcmp(a[0].hash, a[1].hash, 32) != 0 && memcmp(a[1].hash, a[2].hash, 32) != 0 &&
	           memcmp(a[0].hash, a[2].hash, 32) != 0,
	       "throttle keys: the three keys differ");

	throttle_keys("user", "shopper@example.com", "192.0.2.1", b);
	tap_ok(same_hash(&a[0], &b[0]) && same_hash(&a[1], &b[1]) && same_hash(&a[2], &b[2]),
	       "throttle keys: deterministic");

	throttle_keys("user", "Shopper@EXAMPLE.com", "192.0.2.1", b);
	tap_ok(same_hash(&a[0], &b[0]) && same_hash(&a[1], &b[1]) && same_hash(&a[2], &b[2]),
	       "throttle keys: the e-mail is compared lower-case");

	throttle_keys("seller", "shopper@example.com", "192.0.2.1", b);
	tap_ok(same_hash(&a[0], &b[0]) && !same_hash(&a[1], &b[1]) && !same_hash(&a[2], &b[2]),
	       "throttle keys: another realm is another account, the same address");

	throttle_keys("user", "other@example.com", "192.0.2.1", b);
	tap_ok(same_hash(&a[0], &b[0]) && !same_hash(&a[1], &b[1]) && !same_hash(&a[2], &b[2]),
	       "throttle keys: another e-mail is another account, the same address");

	throttle_keys("user", "shopper@example.com", "192.0.2.2", b);
	tap_ok(!same_hash(&a[0], &b[0]) && same_hash(&a[1], &b[1]) && !same_hash(&a[2], &b[2]),
	       "throttle keys: another address, the same account");

	throttle_keys("user", "shopper@example.co", "m192.0.2.1", b);
	tap_ok(!same_hash(&a[2], &b[2]), "throttle keys: the e-mail and the address cannot run into each other");

	throttle_keys("user", NULL, NULL, b);
	throttle_keys("user", "", "", a);
	tap_ok(same_hash(&a[0], &b[0]) && same_hash(&a[1], &b[1]) && same_hash(&a[2], &b[2]),
	       "throttle keys: NULL e-mail and address count as empty");
}

/* ---- passwords ------------------------------------------------------------------------------ */

/* An encoded hash made here with a cheap cost, by variant (argon2_id, argon2_i, argon2_d). */
static void cheap_hash(argon2_type type, const char *password, uint32_t t, uint32_t m, char out[PASSWORD_HASH_MAX])
{
	static const unsigned char salt[16] = "0123456789abcdef";
	int rc = argon2_hash(t, m, 1, password, strlen(password), salt, sizeof salt, NULL, 32, out, PASSWORD_HASH_MAX,
	                     type, ARGON2_VERSION_NUMBER);
	if (rc != ARGON2_OK)
		tap_diag("argon2_hash: %s", argon2_error_message(rc));
}

static void test_passwords(void)
{
	static const char pw[] = "Correct horse 1!";
	char hash[PASSWORD_HASH_MAX], again[PASSWORD_HASH_MAX];

	unsetenv("LONUA_ARGON2_MEMORY_KIB");
	unsetenv("LONUA_ARGON2_ITERATIONS");
	load_config();

	/* The real cost: 3 Argon2id runs. */
	tap_ok(password_hash(pw, hash) == ST_OK, "password: hashed");
	tap_ok(strncmp(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0,
	       "password: the encoded hash names Argon2id v=19 m=19456,t=2,p=1 (%.40s…)", hash);
	tap_ok(password_verify(hash, pw), "password: the right password verifies");
	tap_ok(!password_verify(hash, "Correct horse 1?"), "password: a wrong password does not");
	tap_ok(!password_needs_rehash(hash), "password: a hash with the configured cost needs no re-hash");

	/* Salted: the same password gives another string (checked without hashing again: the salt is
	 * the fourth $-separated part, and two random 16-byte salts do not collide). */
	char salt[64];
	const char *p = strchr(hash + 31, '$');
	snprintf(salt, sizeof salt, "%.*s", p ? (int)(p - (hash + 31)) : 0, hash + 31);
	tap_ok(p && strlen(salt) == 22 && strlen(p + 1) == 43, "password: a 16-byte salt and a 32-byte hash");

	/* Cheap hashes (t=1, 8 KiB): made with other parameters, they still verify (an old hash must let
	 * its owner in) but need a re-hash; other variants never verify. */
	cheap_hash(Argon2_id, pw, 1, 8, again);
	tap_ok(password_verify(again, pw), "password: an Argon2id hash with other parameters verifies");
	tap_ok(!password_verify(again, "correct horse 1!"), "password: ...but not with a wrong password");
	tap_ok(password_needs_rehash(again), "password: ...and needs a re-hash");
	char variant[PASSWORD_HASH_MAX];
	cheap_hash(Argon2_i, pw, 1, 8, variant);
	tap_ok(!password_verify(variant, pw) && password_needs_rehash(variant),
	       "password: an Argon2i hash never verifies and needs a re-hash");
	cheap_hash(Argon2_d, pw, 1, 8, variant);
	tap_ok(!password_verify(variant, pw) && password_needs_rehash(variant),
	       "password: an Argon2d hash never verifies and needs a re-hash");

	/* A one-character change of the stored hash or its salt. */
	char broken[PASSWORD_HASH_MAX];
	snprintf(broken, sizeof broken, "%s", again);
	size_t n = strlen(broken);
	broken[n - 5] = broken[n - 5] == 'A' ? 'B' : 'A';
	tap_ok(!password_verify(broken, pw), "password: a hash changed in one character does not verify");
	snprintf(broken, sizeof broken, "%s", again);
	char *salt_at = strrchr(broken, '$') - 5;
	*salt_at = *salt_at == 'A' ? 'B' : 'A';
	tap_ok(!password_verify(broken, pw), "password: a salt changed in one character does not verify");

	/* Garbage never verifies (nor crashes), and always needs a re-hash. */
	static const char *const garbage[] = {
	    "",
	    "x",
	    "$argon2id$",
	    "$argon2id$v=19$m=8,t=1,p=1$",
	    "$argon2id$v=19$m=8,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$",
	    "$argon2id$v=19$m=8,t=1,p=1$$aGFzaA",
	    "$argon2id$v=19$m=0,t=0,p=0$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaGhhc2hoYXNoaGFzaA",
	    "$argon2id$v=19$m=8,t=1,p=1$!!!$!!!",
	    "$2y$10$abcdefghijklmnopqrstuuSomeBcryptHashThatIsNotOursAtAll",
	    "Correct horse 1!",
	};
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
		tap_ok(!password_verify(garbage[i], pw) && !password_verify(garbage[i], "") &&
		           password_needs_rehash(garbage[i]),
		       "password: garbage \"%s\" never verifies and needs a re-hash", garbage[i]);
	tap_ok(!password_verify(NULL, pw) && password_needs_rehash(NULL), "password: no hash never verifies");
	/* An empty password against a real hash of an empty one still works (no special case). */
	cheap_hash(Argon2_id, "", 1, 8, again);
	tap_ok(password_verify(again, "") && !password_verify(again, pw), "password: the empty password is a password");

	/* Parameters by hand: each one that differs from the configuration needs a re-hash. */
	static const struct {
		const char *encoded;
		bool rehash;
	} params[] = {
	    {"$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", false},
	    {"$argon2id$v=19$m=65536,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	    {"$argon2id$v=19$m=19455,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	    {"$argon2id$v=19$m=19456,t=3,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	    {"$argon2id$v=19$m=19456,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	    {"$argon2id$v=19$m=19456,t=2,p=4$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	    {"$argon2id$v=16$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	    {"$argon2i$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	    {"$argon2d$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	    {"$argon2id$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aGFzaA", true},
	};
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
		tap_ok(password_needs_rehash(params[i].encoded) == params[i].rehash, "password: %.32s… %s",
		       params[i].encoded, params[i].rehash ? "needs a re-hash" : "is current");

	/* A stronger configuration: the old hashes need a re-hash, a new one names the new cost and
	 * verifies (2 more Argon2id runs, at t=3). */
	setenv("LONUA_ARGON2_ITERATIONS", "3", 1);
	load_config();
	tap_ok(password_needs_rehash(hash), "password: after LONUA_ARGON2_ITERATIONS=3 the t=2 hash needs a re-hash");
	tap_ok(password_hash(pw, again) == ST_OK && strncmp(again, "$argon2id$v=19$m=19456,t=3,p=1$", 31) == 0 &&
	           !password_needs_rehash(again),
	       "password: a new hash names t=3 and is current");
	tap_ok(password_verify(again, pw), "password: the t=3 hash verifies");
	setenv("LONUA_ARGON2_MEMORY_KIB", "20480", 1);
	load_config();
	tap_ok(password_needs_rehash(again) && password_needs_rehash(hash),
	       "password: after LONUA_ARGON2_MEMORY_KIB=20480 both need a re-hash");

	/* The floor of SPEC §6 cannot be configured away. */
	char err[256];
	setenv("LONUA_ARGON2_MEMORY_KIB", "19455", 1);
	tap_ok(config_load(err, sizeof err) == -1 && strstr(err, "LONUA_ARGON2_MEMORY_KIB"),
	       "password: LONUA_ARGON2_MEMORY_KIB below 19456 is refused");
	unsetenv("LONUA_ARGON2_MEMORY_KIB");
	setenv("LONUA_ARGON2_ITERATIONS", "1", 1);
	tap_ok(config_load(err, sizeof err) == -1 && strstr(err, "LONUA_ARGON2_ITERATIONS"),
	       "password: LONUA_ARGON2_ITERATIONS below 2 is refused");
	unsetenv("LONUA_ARGON2_ITERATIONS");
	load_config();
}

/* ---- roles ---------------------------------------------------------------------------------- */

static const char *role_text(enum role r)
{
	static const char *const names[] = {"guest",  "pending shopper", "shopper",
	                                    "seller", "inactive seller", "admin"};
	return r <= ROLE_ADMIN ? names[r] : "?";
}

static void test_session_role(void)
{
	static const char *const user_roles[] = {"shopper", "admin"};
	static const char *const user_statuses[] = {"pending", "active", "withdrawn"};
	tap_ok(session_role(NULL) == ROLE_GUEST, "role: no session is a guest");

	/* Every combination: a user's role follows only the user's columns, a seller's only the
	 * seller's and the brand's. Withdrawn or unverified accounts cannot act (SPEC §2). */
	int wrong = 0, total = 0;
	for (int account = ACCOUNT_USER; account <= ACCOUNT_SELLER; account++)
		for (int ur = USER_SHOPPER; ur <= USER_ADMIN; ur++)
			for (int us = USER_PENDING; us <= USER_WITHDRAWN; us++)
				for (int ss = SELLER_ACTIVE; ss <= SELLER_SUSPENDED; ss++)
					for (int brand = 0; brand <= 1; brand++) {
						struct session s;
						memset(&s, 0, sizeof s);
						s.account = (enum account_kind)account;
						s.user_role = (enum user_role)ur;
						s.user_status = (enum user_status)us;
						s.seller_status = (enum seller_status)ss;
						s.brand_active = brand;
						enum role want;
						if (account == ACCOUNT_SELLER)
							want = ss == SELLER_ACTIVE && brand ? ROLE_SELLER
							                                    : ROLE_INACTIVE_SELLER;
						else if (us == USER_WITHDRAWN)
							want = ROLE_GUEST;
						else if (ur == USER_ADMIN)
							want = us == USER_ACTIVE ? ROLE_ADMIN : ROLE_GUEST;
						else
							want = us == USER_ACTIVE ? ROLE_SHOPPER : ROLE_PENDING_SHOPPER;
						enum role got = session_role(&s);
						total++;
						if (got != want) {
							wrong++;
							tap_diag(
							    "%s: role %s, status %s, seller %s, brand %s: %s, want %s",
							    account == ACCOUNT_SELLER ? "seller" : "user",
							    user_roles[ur], user_statuses[us],
							    ss == SELLER_ACTIVE ? "active" : "suspended",
							    brand ? "active" : "inactive", role_text(got),
							    role_text(want));
						}
					}
	tap_ok(wrong == 0, "role: all %d combinations of account, role, status, seller status and brand", total);

	/* The same rules one by one, readable. */
	static const struct {
		const char *what;
		enum account_kind account;
		enum user_role ur;
		enum user_status us;
		enum seller_status ss;
		bool brand;
		enum role want;
	} cases[] = {
	    {"active shopper", ACCOUNT_USER, USER_SHOPPER, USER_ACTIVE, 0, 0, ROLE_SHOPPER},
	    {"shopper still to verify", ACCOUNT_USER, USER_SHOPPER, USER_PENDING, 0, 0, ROLE_PENDING_SHOPPER},
	    {"withdrawn shopper", ACCOUNT_USER, USER_SHOPPER, USER_WITHDRAWN, 0, 0, ROLE_GUEST},
	    {"active admin", ACCOUNT_USER, USER_ADMIN, USER_ACTIVE, 0, 0, ROLE_ADMIN},
	    {"pending admin", ACCOUNT_USER, USER_ADMIN, USER_PENDING, 0, 0, ROLE_GUEST},
	    {"withdrawn admin", ACCOUNT_USER, USER_ADMIN, USER_WITHDRAWN, 0, 0, ROLE_GUEST},
	    {"active seller of an active brand", ACCOUNT_SELLER, 0, 0, SELLER_ACTIVE, true, ROLE_SELLER},
	    {"active seller of an inactive brand", ACCOUNT_SELLER, 0, 0, SELLER_ACTIVE, false, ROLE_INACTIVE_SELLER},
	    {"suspended seller of an active brand", ACCOUNT_SELLER, 0, 0, SELLER_SUSPENDED, true, ROLE_INACTIVE_SELLER},
	    {"seller with admin-looking user columns", ACCOUNT_SELLER, USER_ADMIN, USER_ACTIVE, SELLER_SUSPENDED, true,
	     ROLE_INACTIVE_SELLER},
	    {"shopper with seller-looking columns", ACCOUNT_USER, USER_SHOPPER, USER_PENDING, SELLER_ACTIVE, true,
	     ROLE_PENDING_SHOPPER},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct session s;
		memset(&s, 0, sizeof s);
		s.account = cases[i].account;
		s.user_role = cases[i].ur;
		s.user_status = cases[i].us;
		s.seller_status = cases[i].ss;
		s.brand_active = cases[i].brand;
		enum role got = session_role(&s);
		tap_ok(got == cases[i].want, "role: %s is %s (got %s)", cases[i].what, role_text(cases[i].want),
		       role_text(got));
	}
}

/* ---- CSRF ----------------------------------------------------------------------------------- */

/* A fake request: cookies as a Cookie header, a urlencoded body, CGI parameters, a session. */
struct fake {
	struct request req;
	struct response res;
	char *env[4];
	struct session session;
};

static void fake_init(struct fake *f, const char *cookie_header, const char *body, const char *header_token,
                      const unsigned char *secret)
{
	memset(f, 0, sizeof *f);
	response_init(&f->res);
	f->req.method = "POST";
	f->req.path = "/login";
	f->req.query = "";
	input_parse_cookies(cookie_header, &f->req.cookies);
	if (body)
		input_parse_urlencoded(body, strlen(body), NULL, &f->req.body_fields);
	size_t n = 0;
	f->env[n++] = strdup("REQUEST_METHOD=POST");
	if (header_token) {
		char *e = malloc(strlen(header_token) + 32);
		sprintf(e, "HTTP_X_CSRF_TOKEN=%s", header_token);
		f->env[n++] = e;
	}
	f->env[n] = NULL;
	f->req.env = f->env;
	if (secret) {
		memcpy(f->session.csrf_secret, secret, sizeof f->session.csrf_secret);
		f->req.session = &f->session;
		f->req.by_cookie = true;
	}
}

static void fake_free(struct fake *f)
{
	for (char **e = f->env; *e; e++)
		free(*e);
	field_list_free(&f->req.cookies);
	field_list_free(&f->req.body_fields);
	response_free(&f->res);
}

/* csrf_check of one fake request: true when it passed; a refusal must be 403 CSRF_FAILED. */
static bool check(const char *cookie_header, const char *body, const char *header_token, const unsigned char *secret)
{
	struct fake f;
	fake_init(&f, cookie_header, body, header_token, secret);
	enum status st = csrf_check(&f.req, &f.res);
	bool refused_right = st == ST_FORBIDDEN && f.res.problem_code && strcmp(f.res.problem_code, "CSRF_FAILED") == 0;
	if (st != ST_OK && !refused_right)
		tap_diag("csrf_check: status %d, code %s", (int)st, f.res.problem_code ? f.res.problem_code : "-");
	fake_free(&f);
	return st == ST_OK;
}

/* The token csrf_token gives a request with these cookies and session; when it set a cookie, that
 * cookie's value goes into cookie_out (else ""). */
static void token_for(const char *cookie_header, const unsigned char *secret, char token[CRYPTO_TOKEN_LEN + 1],
                      char cookie_out[CRYPTO_TOKEN_LEN + 1])
{
	struct fake f;
	fake_init(&f, cookie_header, NULL, NULL, secret);
	memset(token, 0, CRYPTO_TOKEN_LEN + 1);
	csrf_token(&f.req, &f.res, token);
	cookie_out[0] = '\0';
	const char *set = strstr(buf_str(&f.res.headers), "Set-Cookie: " CSRF_COOKIE "=");
	if (set)
		sscanf(set + strlen("Set-Cookie: " CSRF_COOKIE "="), "%43[A-Za-z0-9_-]", cookie_out);
	fake_free(&f);
}

static void test_csrf(void)
{
	char err[256];
	setenv("LONUA_SECRET_KEY", "unit-test-secret-key-0123456789abcdef", 1);
	if (config_load(err, sizeof err) != 0)
		tap_diag("config_load: %s", err);

	/* Guests: the token is bound to the lonua_csrf cookie. */
	char cookie1[CRYPTO_TOKEN_LEN + 1], cookie2[CRYPTO_TOKEN_LEN + 1], unused[CRYPTO_TOKEN_LEN + 1];
	char guest1[CRYPTO_TOKEN_LEN + 1], guest2[CRYPTO_TOKEN_LEN + 1], again[CRYPTO_TOKEN_LEN + 1];
	token_for(NULL, NULL, guest1, cookie1);
	tap_ok(strlen(cookie1) == CRYPTO_TOKEN_LEN && strlen(guest1) == CRYPTO_TOKEN_LEN,
	       "csrf: a guest without the cookie gets one (Set-Cookie) and a 43-character token");
	tap_ok(strcmp(guest1, cookie1) != 0, "csrf: the guest's token is not the cookie itself");
	token_for(NULL, NULL, guest2, cookie2);
	tap_ok(strcmp(cookie1, cookie2) != 0 && strcmp(guest1, guest2) != 0,
	       "csrf: another guest gets another cookie and token");

	char jar1[128], jar2[128], body[128];
	snprintf(jar1, sizeof jar1, "lang=ko; " CSRF_COOKIE "=%s", cookie1);
	snprintf(jar2, sizeof jar2, CSRF_COOKIE "=%s", cookie2);
	token_for(jar1, NULL, again, unused);
	tap_ok(strcmp(again, guest1) == 0 && unused[0] == '\0',
	       "csrf: a guest with the cookie gets the same token again and no new cookie");

	snprintf(body, sizeof body, "email=a%%40b.kr&" CSRF_FIELD "=%s", guest1);
	tap_ok(check(jar1, body, NULL, NULL), "csrf: a guest's token verifies with its own cookie");
	tap_ok(!check(jar2, body, NULL, NULL), "csrf: ...not with another guest's cookie");
	tap_ok(!check(NULL, body, NULL, NULL), "csrf: ...nor without the cookie");
	tap_ok(check(jar1, NULL, guest1, NULL), "csrf: a guest's token verifies in X-CSRF-Token too");

	/* A cookie that is not one of ours: no token verifies, and a new cookie is handed out. */
	tap_ok(!check(CSRF_COOKIE "=abc", body, NULL, NULL), "csrf: a malformed guest cookie verifies nothing");
	token_for(CSRF_COOKIE "=abc", NULL, again, unused);
	tap_ok(strlen(unused) == CRYPTO_TOKEN_LEN && strlen(again) == CRYPTO_TOKEN_LEN,
	       "csrf: a malformed guest cookie is replaced");

	/* Members: the token is bound to the session's secret. */
	unsigned char secret_a[32], secret_b[32];
	memset(secret_a, 0xA5, sizeof secret_a);
	memset(secret_b, 0xA5, sizeof secret_b);
	secret_b[31] ^= 1;
	char member_a[CRYPTO_TOKEN_LEN + 1], member_b[CRYPTO_TOKEN_LEN + 1];
	token_for(jar1, secret_a, member_a, unused);
	tap_ok(strlen(member_a) == CRYPTO_TOKEN_LEN && unused[0] == '\0',
	       "csrf: a member gets a 43-character token and no guest cookie");
	token_for(NULL, secret_a, again, unused);
	tap_ok(strcmp(again, member_a) == 0, "csrf: a member's token does not depend on the guest cookie");
	token_for(NULL, secret_b, member_b, unused);
	tap_ok(strcmp(member_a, member_b) != 0, "csrf: sessions with secrets one bit apart have different tokens");

	unsigned char want_mac[32];
	char want[CRYPTO_TOKEN_LEN + 1];
	crypto_hmac_sha256(secret_a, 32, "lonua-csrf", 10, want_mac);
	crypto_base64url(want_mac, 32, want);
	tap_ok(strcmp(member_a, want) == 0, "csrf: a member's token is base64url(HMAC-SHA256(secret, \"lonua-csrf\"))");
	char guest_msg[128];
	int n = snprintf(guest_msg, sizeof guest_msg, "lonua-guest-csrf:%s", cookie1);
	crypto_hmac_sha256(config.secret_key, strlen(config.secret_key), guest_msg, (size_t)n, want_mac);
	crypto_base64url(want_mac, 32, want);
	tap_ok(strcmp(guest1, want) == 0,
	       "csrf: a guest's token is base64url(HMAC-SHA256(LONUA_SECRET_KEY, \"lonua-guest-csrf:\" + cookie))");

	snprintf(body, sizeof body, CSRF_FIELD "=%s", member_a);
	tap_ok(check(NULL, body, NULL, secret_a), "csrf: a member's token verifies with its own session");
	tap_ok(check(NULL, NULL, member_a, secret_a), "csrf: ...in X-CSRF-Token too");
	tap_ok(!check(NULL, body, NULL, secret_b), "csrf: ...not with another session");
	tap_ok(!check(jar1, body, NULL, NULL), "csrf: ...nor for a guest");
	snprintf(body, sizeof body, CSRF_FIELD "=%s", guest1);
	tap_ok(!check(jar1, body, NULL, secret_a), "csrf: a guest's token does not verify for a member");

	/* The form field is the one checked when both are sent. */
	snprintf(body, sizeof body, CSRF_FIELD "=%s", member_b);
	tap_ok(!check(NULL, body, member_a, secret_a), "csrf: a wrong form field is not saved by a right header");

	/* Wrong length or shape. */
	const char *bad[12];
	size_t nbad = 0;
	char shorter[CRYPTO_TOKEN_LEN + 1], longer[CRYPTO_TOKEN_LEN + 2], padded[CRYPTO_TOKEN_LEN + 2];
	char spaced[CRYPTO_TOKEN_LEN + 3], upper[CRYPTO_TOKEN_LEN + 1], std64[CRYPTO_TOKEN_LEN + 1];
	snprintf(shorter, sizeof shorter, "%.42s", member_a);
	snprintf(longer, sizeof longer, "%sA", member_a);
	snprintf(padded, sizeof padded, "%s=", member_a);
	snprintf(spaced, sizeof spaced, " %s", member_a);
	for (size_t i = 0; i <= CRYPTO_TOKEN_LEN; i++) {
		char c = member_a[i];
		upper[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		std64[i] = c == '-' ? '+' : c == '_' ? '/' : c;
	}
	bad[nbad++] = "";
	bad[nbad++] = shorter;
	bad[nbad++] = longer;
	bad[nbad++] = padded;
	bad[nbad++] = spaced;
	bad[nbad++] = upper;
	if (strcmp(std64, member_a) != 0)
		bad[nbad++] = std64;
	bad[nbad++] = "0000000000000000000000000000000000000000000";
	for (size_t i = 0; i < nbad; i++) {
		struct fake f;
		fake_init(&f, NULL, NULL, bad[i], secret_a);
		enum status st = csrf_check(&f.req, &f.res);
		tap_ok(st == ST_FORBIDDEN && f.res.problem_code && strcmp(f.res.problem_code, "CSRF_FAILED") == 0,
		       "csrf: \"%s\" (%zu characters) is 403 CSRF_FAILED", bad[i], strlen(bad[i]));
		fake_free(&f);
	}
	tap_ok(!check(NULL, NULL, NULL, secret_a), "csrf: no token at all fails");
	tap_ok(!check(NULL, CSRF_FIELD "=", NULL, secret_a), "csrf: an empty form field fails");

	/* One character different, anywhere. */
	int passed = 0;
	for (size_t i = 0; i < CRYPTO_TOKEN_LEN; i++) {
		char t[CRYPTO_TOKEN_LEN + 1];
		memcpy(t, member_a, sizeof t);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		passed += check(NULL, NULL, t, secret_a);
	}
	tap_ok(passed == 0, "csrf: a token differing in one character (each of the 43 places) fails");

	/* Guests' tokens depend on LONUA_SECRET_KEY: another key makes them fail. */
	setenv("LONUA_SECRET_KEY", "another-unit-test-secret-key-0123456789", 1);
	load_config();
	snprintf(body, sizeof body, CSRF_FIELD "=%s", guest1);
	tap_ok(!check(jar1, body, NULL, NULL), "csrf: a guest's token fails under another LONUA_SECRET_KEY");
	snprintf(body, sizeof body, CSRF_FIELD "=%s", member_a);
	tap_ok(check(NULL, body, NULL, secret_a), "csrf: a member's token does not depend on it");
	unsetenv("LONUA_SECRET_KEY");
}

int main(void)
{
	unsetenv("LONUA_SECRET_KEY_FILE");
	setenv("LONUA_SECRET_KEY", "unit-test-secret-key-0123456789abcdef", 1);
	load_config();
	test_throttle_block();
	test_throttle_keys();
	test_session_role();
	test_csrf();
	test_passwords();
	return tap_done();
}
