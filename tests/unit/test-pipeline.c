/* The request pipeline's steps, each with a fake request (no FastCGI, no nginx; the database is
 * a socket that does not exist, so anything that needs it fails fast): parse, language, route,
 * session, role, body, CSRF, validate, render, and a whole run. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auth/csrf.h"
#include "db/sessions.h"
#include "http/request.h"
#include "http/response.h"
#include "server/pipeline.h"
#include "tap.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"
#include "view/view.h"

/* ---- fakes ------------------------------------------------------------------------------------ */

struct fake {
	struct request req;
	struct response res;
	char *env[16];
	size_t nenv;
	const char *body;
	size_t body_at;
};

static long read_fake_body(void *ctx, char *buf, size_t len)
{
	struct fake *f = ctx;
	size_t left = strlen(f->body) - f->body_at;
	size_t n = left < len ? left : len;
	memcpy(buf, f->body + f->body_at, n);
	f->body_at += n;
	return (long)n;
}

/* A request as worker.c builds one; params are "NAME=value" FastCGI parameters. */
static void fake_init(struct fake *f, const char *method, const char *path, const char *query)
{
	memset(f, 0, sizeof *f);
	f->req.env = f->env;
	f->req.method = method;
	f->req.path = path;
	f->req.query = query ? query : "";
	f->req.request_id = "req-test";
	f->req.lang = "ko";
	f->req.is_api = strncmp(path, "/api/", 5) == 0;
	f->req.wants_json = f->req.is_api;
	f->req.read_body = read_fake_body;
	f->req.body_ctx = f;
	response_init(&f->res);
}

static void fake_param(struct fake *f, const char *param)
{
	f->env[f->nenv++] = xstrdup(param);
}

static void fake_body(struct fake *f, const char *content_type, const char *body)
{
	char cl[64];
	f->body = body;
	f->req.content_type = content_type;
	snprintf(cl, sizeof cl, "CONTENT_LENGTH=%zu", strlen(body));
	fake_param(f, cl);
}

static void fake_free(struct fake *f)
{
	for (size_t i = 0; i < f->nenv; i++)
		free(f->env[i]);
	response_free(&f->res);
	request_free(&f->req);
}

static bool header_has(const struct response *res, const char *text)
{
	return res->headers.data && strstr(res->headers.data, text) != NULL;
}

/* ---- the steps --------------------------------------------------------------------------------- */

static void test_parse_and_language(void)
{
	struct fake f;
	char *query = xmalloc(PIPELINE_MAX_QUERY + 2);
	memset(query, 'a', PIPELINE_MAX_QUERY + 1);
	query[PIPELINE_MAX_QUERY + 1] = '\0';
	fake_init(&f, "GET", "/products", query);
	tap_ok(pipeline_parse(&f.req, &f.res) == ST_URI_TOO_LONG, "parse: a query over %d bytes is 414",
	       PIPELINE_MAX_QUERY);
	fake_free(&f);
	free(query);

	fake_init(&f, "GET", "/products", "q=%zz");
	tap_ok(pipeline_parse(&f.req, &f.res) == ST_BAD_REQUEST, "parse: a broken percent-escape is 400");
	fake_free(&f);

	fake_init(&f, "GET", "/products", "page=2&lang=en");
	fake_param(&f, "HTTP_COOKIE=lonua_sid=abc; lang=ko");
	tap_ok(pipeline_parse(&f.req, &f.res) == ST_OK && request_cookie(&f.req, "lonua_sid") &&
	           strcmp(request_cookie(&f.req, "lonua_sid"), "abc") == 0,
	       "parse: the query and the cookies become fields");
	pipeline_language(&f.req, &f.res);
	tap_ok(strcmp(f.req.lang, "en") == 0 && f.req.lang_from_query, "language: ?lang=en wins over the cookie");
	fake_free(&f);

	fake_init(&f, "GET", "/", "");
	fake_param(&f, "HTTP_ACCEPT_LANGUAGE=en-US,en;q=0.9,ko;q=0.8");
	pipeline_parse(&f.req, &f.res);
	pipeline_language(&f.req, &f.res);
	tap_ok(strcmp(f.req.lang, "en") == 0 && !f.req.lang_from_query, "language: Accept-Language when nothing else");
	fake_free(&f);
}

static void test_route(void)
{
	struct fake f;
	fake_init(&f, "GET", "/products/42", "");
	tap_ok(pipeline_route(&f.req, &f.res) == ST_OK && f.req.route && f.req.path_params[0] == 42,
	       "route: /products/42 is the product page with its id");
	fake_free(&f);
	fake_init(&f, "GET", "/nowhere", "");
	tap_ok(pipeline_route(&f.req, &f.res) == ST_NOT_FOUND, "route: an unknown path is 404");
	fake_free(&f);
	fake_init(&f, "DELETE", "/login", "");
	tap_ok(pipeline_route(&f.req, &f.res) == ST_WRONG_METHOD && header_has(&f.res, "Allow: GET, HEAD, POST"),
	       "route: a wrong method is 405 with Allow");
	fake_free(&f);
}

static void test_session(void)
{
	struct fake f;
	fake_init(&f, "GET", "/", "");
	pipeline_parse(&f.req, &f.res);
	tap_ok(pipeline_session(&f.req, &f.res) == ST_OK && !f.req.session && f.req.role == ROLE_GUEST,
	       "session: no cookie, no token: a guest");
	fake_free(&f);

	fake_init(&f, "GET", "/", "");
	fake_param(&f, "HTTP_COOKIE=lonua_sid=not-a-token");
	pipeline_parse(&f.req, &f.res);
	tap_ok(pipeline_session(&f.req, &f.res) == ST_OK && !f.req.session &&
	           header_has(&f.res, "Set-Cookie: lonua_sid=; Path=/; Max-Age=0"),
	       "session: a cookie that is no token is a guest, and the cookie is cleared");
	fake_free(&f);

	fake_init(&f, "GET", "/api/v1/me", "");
	fake_param(&f, "HTTP_AUTHORIZATION=Bearer nonsense");
	pipeline_parse(&f.req, &f.res);
	tap_ok(pipeline_session(&f.req, &f.res) == ST_UNAUTHENTICATED &&
	           strcmp(f.res.problem_code, "INVALID_TOKEN") == 0,
	       "session: a bearer token of the wrong shape is 401 INVALID_TOKEN, not a guest");
	fake_free(&f);

	char token[CRYPTO_TOKEN_LEN + 1], header[96];
	unsigned char hash[CRYPTO_SHA256_LEN];
	crypto_token(token, hash);
	snprintf(header, sizeof header, "HTTP_AUTHORIZATION=Bearer %s", token);
	fake_init(&f, "GET", "/api/v1/me", "");
	fake_param(&f, header);
	pipeline_parse(&f.req, &f.res);
	tap_ok(pipeline_session(&f.req, &f.res) == ST_UNAVAILABLE,
	       "session: a well-formed token is looked up (here the database is down: 503)");
	fake_free(&f);
}

/* A session struct as db_session_find fills it, for the role and CSRF steps. */
static struct session *fake_session(enum account_kind account, enum user_status status)
{
	struct session *s = xcalloc(1, sizeof *s);
	s->id = 7;
	s->account = account;
	s->account_id = 11;
	s->user_status = status;
	s->seller_status = SELLER_ACTIVE;
	s->brand_active = true;
	strcpy(s->name, "김");
	memset(s->csrf_secret, 0x5a, sizeof s->csrf_secret);
	return s;
}

static void test_role(void)
{
	struct fake f;
	fake_init(&f, "GET", "/me/profile", "saved=1");
	pipeline_route(&f.req, &f.res);
	tap_ok(pipeline_role(&f.req, &f.res) == ST_OK && f.res.done && f.res.status == 303 &&
	           header_has(&f.res, "Location: /login?next=%2Fme%2Fprofile%3Fsaved%3D1"),
	       "role: a guest on a shopper's page goes to the login page, coming back to it");
	fake_free(&f);

	fake_init(&f, "GET", "/seller/account", "");
	pipeline_route(&f.req, &f.res);
	tap_ok(pipeline_role(&f.req, &f.res) == ST_OK &&
	           header_has(&f.res, "Location: /seller/login?next=%2Fseller%2Faccount"),
	       "role: a guest on a seller's page goes to the seller login");
	fake_free(&f);

	fake_init(&f, "POST", "/me/profile", "");
	pipeline_route(&f.req, &f.res);
	tap_ok(pipeline_role(&f.req, &f.res) == ST_OK && header_has(&f.res, "Location: /login\r\n"),
	       "role: a guest's POST goes to the login page without next (a form cannot be replayed)");
	fake_free(&f);

	fake_init(&f, "GET", "/api/v1/me", "");
	pipeline_route(&f.req, &f.res);
	tap_ok(pipeline_role(&f.req, &f.res) == ST_UNAUTHENTICATED && !f.res.done, "role: a guest on the API is 401");
	fake_free(&f);

	fake_init(&f, "GET", "/me/profile", "");
	pipeline_route(&f.req, &f.res);
	f.req.session = fake_session(ACCOUNT_USER, USER_PENDING);
	f.req.role = ROLE_PENDING_SHOPPER;
	tap_ok(pipeline_role(&f.req, &f.res) == ST_FORBIDDEN && strcmp(f.res.problem_code, "ACCOUNT_NOT_VERIFIED") == 0,
	       "role: a shopper who has not verified the e-mail is 403 ACCOUNT_NOT_VERIFIED");
	fake_free(&f);

	fake_init(&f, "GET", "/me", "");
	pipeline_route(&f.req, &f.res);
	f.req.session = fake_session(ACCOUNT_SELLER, USER_ACTIVE);
	f.req.role = ROLE_SELLER;
	tap_ok(pipeline_role(&f.req, &f.res) == ST_FORBIDDEN && strcmp(f.res.problem_code, "WRONG_ROLE") == 0,
	       "role: a seller on a shopper's page is 403 WRONG_ROLE");
	fake_free(&f);
}

static void test_body(void)
{
	struct fake f;
	fake_init(&f, "POST", "/api/v1/auth/login", "");
	pipeline_route(&f.req, &f.res);
	fake_body(&f, "application/json", "{\"email\": \"a@b.kr\", \"password\": \"x\"}");
	tap_ok(pipeline_body(&f.req, &f.res) == ST_OK && field_list_get(&f.req.body_fields, "email"),
	       "body: JSON becomes fields");
	fake_free(&f);

	fake_init(&f, "POST", "/api/v1/auth/login", "");
	pipeline_route(&f.req, &f.res);
	fake_body(&f, "text/plain", "email=a");
	tap_ok(pipeline_body(&f.req, &f.res) == ST_UNSUPPORTED, "body: another media type is 415");
	fake_free(&f);

	fake_init(&f, "POST", "/api/v1/auth/login", "");
	pipeline_route(&f.req, &f.res);
	fake_body(&f, "application/json", "{\"email\": ");
	tap_ok(pipeline_body(&f.req, &f.res) == ST_BAD_REQUEST, "body: broken JSON is 400");
	fake_free(&f);

	fake_init(&f, "POST", "/api/v1/auth/login", "");
	pipeline_route(&f.req, &f.res);
	fake_param(&f, "CONTENT_LENGTH=999999999999");
	tap_ok(pipeline_body(&f.req, &f.res) == ST_TOO_LARGE, "body: more than LONUA_MAX_BODY is 413");
	fake_free(&f);

	fake_init(&f, "POST", "/api/v1/auth/login", "");
	pipeline_route(&f.req, &f.res);
	fake_body(&f, "application/json", "{}");
	f.env[f.nenv - 1][strlen("CONTENT_LENGTH=")] = '9'; /* says 9 bytes, sends 2 */
	tap_ok(pipeline_body(&f.req, &f.res) == ST_BAD_REQUEST, "body: a body shorter than its length is 400");
	fake_free(&f);

	fake_init(&f, "POST", "/logout", "");
	pipeline_route(&f.req, &f.res);
	fake_body(&f, "application/x-www-form-urlencoded", "csrf_token=abc");
	tap_ok(pipeline_body(&f.req, &f.res) == ST_OK && field_list_get(&f.req.body_fields, "csrf_token"),
	       "body: a page form without inputs is still read, for its CSRF token");
	fake_free(&f);
}

static void test_csrf(void)
{
	struct fake f;
	char token[CRYPTO_TOKEN_LEN + 1], body[128];

	/* A guest's form: the token the page gave goes with the cookie the page set. */
	fake_init(&f, "GET", "/login", "");
	csrf_token(&f.req, &f.res, token);
	const char *set = strstr(f.res.headers.data, "lonua_csrf=");
	char cookie[96];
	snprintf(cookie, sizeof cookie, "HTTP_COOKIE=%.*s", (int)strcspn(set, ";"), set);
	fake_free(&f);

	fake_init(&f, "POST", "/login", "");
	fake_param(&f, cookie);
	pipeline_parse(&f.req, &f.res);
	pipeline_route(&f.req, &f.res);
	snprintf(body, sizeof body, "csrf_token=%s&email=a%%40b.kr", token);
	fake_body(&f, "application/x-www-form-urlencoded", body);
	pipeline_body(&f.req, &f.res);
	tap_ok(pipeline_csrf(&f.req, &f.res) == ST_OK, "csrf: a guest's form with the page's token passes");
	fake_free(&f);

	fake_init(&f, "POST", "/login", "");
	pipeline_parse(&f.req, &f.res);
	pipeline_route(&f.req, &f.res);
	fake_body(&f, "application/x-www-form-urlencoded", body);
	pipeline_body(&f.req, &f.res);
	tap_ok(pipeline_csrf(&f.req, &f.res) == ST_FORBIDDEN && strcmp(f.res.problem_code, "CSRF_FAILED") == 0,
	       "csrf: the same token without its cookie is 403 CSRF_FAILED");
	fake_free(&f);

	/* A member: the token comes from the session's secret. */
	fake_init(&f, "POST", "/me/profile", "");
	pipeline_route(&f.req, &f.res);
	f.req.session = fake_session(ACCOUNT_USER, USER_ACTIVE);
	f.req.by_cookie = true;
	csrf_token(&f.req, &f.res, token);
	snprintf(body, sizeof body, "csrf_token=%s", token);
	fake_body(&f, "application/x-www-form-urlencoded", body);
	pipeline_body(&f.req, &f.res);
	tap_ok(pipeline_csrf(&f.req, &f.res) == ST_OK, "csrf: a member's form with the session's token passes");
	f.req.session->csrf_secret[0] ^= 1;
	tap_ok(pipeline_csrf(&f.req, &f.res) == ST_FORBIDDEN, "csrf: another session's token fails");
	fake_free(&f);

	/* The API: a cookie session needs the header, a bearer token nothing. */
	fake_init(&f, "POST", "/api/v1/me/password", "");
	pipeline_route(&f.req, &f.res);
	f.req.session = fake_session(ACCOUNT_USER, USER_ACTIVE);
	f.req.by_cookie = true;
	tap_ok(pipeline_csrf(&f.req, &f.res) == ST_FORBIDDEN,
	       "csrf: a cookie-authenticated API call without the header fails");
	csrf_token(&f.req, &f.res, token);
	char header[96];
	snprintf(header, sizeof header, "HTTP_X_CSRF_TOKEN=%s", token);
	fake_param(&f, header);
	tap_ok(pipeline_csrf(&f.req, &f.res) == ST_OK, "csrf: with X-CSRF-Token it passes");
	fake_free(&f);

	fake_init(&f, "POST", "/api/v1/me/password", "");
	pipeline_route(&f.req, &f.res);
	f.req.session = fake_session(ACCOUNT_USER, USER_ACTIVE);
	f.req.by_cookie = false;
	tap_ok(pipeline_csrf(&f.req, &f.res) == ST_OK, "csrf: a bearer-token API call needs no token");
	fake_free(&f);

	fake_init(&f, "GET", "/me/profile", "");
	pipeline_route(&f.req, &f.res);
	tap_ok(pipeline_csrf(&f.req, &f.res) == ST_OK, "csrf: a GET needs no token");
	fake_free(&f);
}

static void test_validate_and_render(void)
{
	struct fake f;
	fake_init(&f, "POST", "/api/v1/auth/login", "");
	pipeline_route(&f.req, &f.res);
	fake_body(&f, "application/json", "{\"email\": \"not an address\"}");
	pipeline_body(&f.req, &f.res);
	enum status st = pipeline_validate(&f.req, &f.res);
	tap_ok(st == ST_INVALID, "validate: a bad e-mail and a missing password are invalid");
	pipeline_render(&f.req, &f.res, st);
	json_object *p = json_tokener_parse(buf_str(&f.res.body)), *errors = NULL;
	tap_ok(f.res.status == 422 && strcmp(f.res.content_type, "application/problem+json") == 0 && p &&
	           json_object_object_get_ex(p, "errors", &errors) &&
	           strcmp(json_object_get_string(json_object_object_get(errors, "email")), "invalid_email") == 0 &&
	           strcmp(json_object_get_string(json_object_object_get(errors, "password")), "required") == 0,
	       "render: the API's 422 is problem+json naming each field (%s)", buf_str(&f.res.body));
	json_object_put(p);
	fake_free(&f);

	/* A page form is drawn again: values kept (never the password), a message per field. */
	fake_init(&f, "POST", "/login", "");
	pipeline_route(&f.req, &f.res);
	fake_body(&f, "application/x-www-form-urlencoded", "email=%3Cb%3Ekim&password=secret-typed&next=%2Fme");
	pipeline_body(&f.req, &f.res);
	st = pipeline_validate(&f.req, &f.res);
	pipeline_render(&f.req, &f.res, st);
	const char *html = buf_str(&f.res.body);
	tap_ok(f.res.status == 422 && strstr(html, "<form") && strstr(html, "value=\"&lt;b&gt;kim\"") &&
	           strstr(html, "field__error") && !strstr(html, "secret-typed"),
	       "render: an invalid page form is drawn again with its values, escaped, a message, and no password");
	tap_ok(strstr(html, "name=\"csrf_token\" value=\"") && header_has(&f.res, "lonua_csrf="),
	       "render: the form drawn again for a guest carries a fresh CSRF token and its cookie");
	fake_free(&f);

	fake_init(&f, "GET", "/nowhere", "");
	pipeline_render(&f.req, &f.res, ST_NOT_FOUND);
	tap_ok(f.res.status == 404 && strstr(buf_str(&f.res.body), "<html") && strstr(buf_str(&f.res.body), "req-test"),
	       "render: a page's 404 is the error page with the request id");
	fake_free(&f);

	fake_init(&f, "POST", "/api/v1/auth/login", "");
	f.res.retry_after = 30;
	response_fail(&f.res, ST_RATE_LIMITED, "TOO_MANY_ATTEMPTS", "slow down");
	pipeline_render(&f.req, &f.res, ST_RATE_LIMITED);
	tap_ok(f.res.status == 429 && header_has(&f.res, "Retry-After: 30") &&
	           strstr(buf_str(&f.res.body), "\"code\":\"TOO_MANY_ATTEMPTS\""),
	       "render: 429 carries Retry-After and the handler's code");
	fake_free(&f);

	fake_init(&f, "GET", "/", "");
	f.req.session = fake_session(ACCOUNT_USER, USER_ACTIVE);
	f.req.role = ROLE_SHOPPER;
	response_view(&f.res, 200, "pages/home", json_object_new_object());
	pipeline_render(&f.req, &f.res, ST_OK);
	tap_ok(f.res.status == 200 && f.res.personal && strstr(buf_str(&f.res.body), "action=\"/logout\""),
	       "render: a signed-in page is personal (never cached for others) and offers logout");
	fake_free(&f);
}

static void test_run(void)
{
	struct fake f;
	fake_init(&f, "GET", "/healthz", "");
	pipeline_run(&f.req, &f.res);
	tap_ok(f.res.status == 200 && strcmp(buf_str(&f.res.body), "ok\n") == 0, "run: GET /healthz answers ok");
	fake_free(&f);

	fake_init(&f, "GET", "/api/v1/nowhere", "lang=en");
	pipeline_run(&f.req, &f.res);
	tap_ok(f.res.status == 404 && strstr(buf_str(&f.res.body), "\"code\":\"NOT_FOUND\"") &&
	           strcmp(f.req.lang, "en") == 0,
	       "run: an unknown API path is a problem+json 404, in the language asked for");
	fake_free(&f);

	fake_init(&f, "GET", "/products", "lang=en&page=%zz");
	pipeline_run(&f.req, &f.res);
	tap_ok(f.res.status == 400 && strcmp(f.req.lang, "en") == 0 &&
	           strstr(buf_str(&f.res.body), "<html lang=\"en\""),
	       "run: a query that does not parse still gets an error page in its language");
	fake_free(&f);
}

int main(void)
{
	char err[512], data[4096], dist[4096];
	const char *src = getenv("LONUA_SOURCE_DIR"), *d = getenv("LONUA_DIST_DIR");
	snprintf(data, sizeof data, "%s", src ? src : ".");
	snprintf(dist, sizeof dist, "%s", d ? d : "dist");
	setenv("LONUA_DB_SOCKET", "/nonexistent/mysql.sock", 1); /* no database here: fail fast */
	setenv("LONUA_SECRET_KEY", "a test key that is long enough to be accepted", 1);
	config_load(err, sizeof err);
	err[0] = '\0';
	if (!tap_ok(view_init(data, dist, err, sizeof err) == 0, "templates load (%s)", err))
		return tap_done();
	test_parse_and_language();
	test_route();
	test_session();
	test_role();
	test_body();
	test_csrf();
	test_validate_and_render();
	test_run();
	view_free();
	return tap_done();
}
