/* Route matching: typed ids, 404 versus 405, HEAD, test-only routes; and the real table. */
#include <json-c/json.h>
#include <string.h>

#include "http/router.h"
#include "handlers/routes.h"
#include "tap.h"
#include "util/buf.h"

static enum status handler(struct request *req, struct response *res)
{
	(void)req, (void)res;
	return ST_OK;
}

static const struct route table[] = {
    {.method = "GET", .pattern = "/", .handler = handler, .access = ACCESS_GUEST},
    {.method = "GET", .pattern = "/items", .handler = handler, .access = ACCESS_GUEST},
    {.method = "POST", .pattern = "/items", .handler = handler, .access = ACCESS_SHOPPER},
    {.method = "GET", .pattern = "/items/{id}", .handler = handler, .access = ACCESS_GUEST},
    {.method = "DELETE", .pattern = "/items/{id}/photos/{photo}", .handler = handler, .access = ACCESS_SELLER},
    {.method = "GET", .pattern = "/secret", .handler = handler, .access = ACCESS_GUEST, .flags = ROUTE_TEST_ONLY},
};
#define N (sizeof table / sizeof table[0])

static enum route_match match(const char *method, const char *path, const struct route **r, long long *p, size_t *np,
                              struct buf *allow)
{
	return router_match(table, N, method, path, false, r, p, np, allow);
}

/* The role step's rule: every access level against every kind of caller. */
static void test_access(void)
{
	enum { G = ST_OK, U = ST_UNAUTHENTICATED, F = ST_FORBIDDEN };
	static const enum role roles[] = {ROLE_GUEST,  ROLE_PENDING_SHOPPER, ROLE_SHOPPER,
	                                  ROLE_SELLER, ROLE_INACTIVE_SELLER, ROLE_ADMIN};
	static const struct {
		enum access access;
		int want[6]; /* per role above */
	} rules[] = {
	    {ACCESS_GUEST, {G, G, G, G, G, G}},   {ACCESS_MEMBER, {U, G, G, F, F, F}},
	    {ACCESS_SHOPPER, {U, F, G, F, F, F}}, {ACCESS_SELLER, {U, F, F, G, F, F}},
	    {ACCESS_ADMIN, {U, F, F, F, F, G}},   {ACCESS_SIGNED_IN, {U, G, G, G, G, G}},
	};
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
		for (size_t k = 0; k < 6; k++) {
			enum status st = access_check(rules[i].access, roles[k]);
			tap_ok((int)st == rules[i].want[k], "a route for %s, called by a %s: %s",
			       access_name(rules[i].access), role_name(roles[k]), status_code(st));
		}
}

int main(void)
{
	const struct route *r = NULL;
	long long p[4];
	size_t np = 0;
	struct buf allow = BUF_INIT;

	tap_ok(match("GET", "/", &r, p, &np, NULL) == ROUTE_FOUND && r == &table[0], "GET / matches the root");
	tap_ok(match("GET", "/items/42", &r, p, &np, NULL) == ROUTE_FOUND && r == &table[3] && np == 1 && p[0] == 42,
	       "an {id} segment becomes a typed parameter");
	tap_ok(match("DELETE", "/items/7/photos/9", &r, p, &np, NULL) == ROUTE_FOUND && np == 2 && p[0] == 7 &&
	           p[1] == 9,
	       "two typed parameters in order");
	tap_ok(match("HEAD", "/items", &r, p, &np, NULL) == ROUTE_FOUND && r == &table[1], "HEAD is answered by GET");

	static const char *const not_found[] = {
	    "/items/abc",
	    "/items/0",
	    "/items/-1",
	    "/items/007",
	    "/items/99999999999999999999",
	    "/items/1234567890123456789",
	    "/items/4/",
	    "/items//4",
	    "/nope",
	    "/items/4/photos/x",
	    "",
	};
	for (size_t i = 0; i < sizeof not_found / sizeof not_found[0]; i++)
		tap_ok(match("GET", not_found[i], &r, p, &np, NULL) == ROUTE_NOT_FOUND, "GET \"%s\" is not found",
		       not_found[i]);

	tap_ok(match("PUT", "/items", &r, p, &np, &allow) == ROUTE_WRONG_METHOD, "PUT /items is a wrong method");
	tap_ok(strcmp(buf_str(&allow), "GET, HEAD, POST") == 0, "Allow lists GET, HEAD, POST (got \"%s\")",
	       buf_str(&allow));
	tap_ok(match("BREW", "/items/1", &r, p, &np, NULL) == ROUTE_WRONG_METHOD,
	       "an unknown method is a wrong method");
	tap_ok(match("GET", "/secret", &r, p, &np, NULL) == ROUTE_NOT_FOUND, "test-only routes are hidden by default");
	tap_ok(router_match(table, N, "GET", "/secret", true, &r, p, &np, NULL) == ROUTE_FOUND,
	       "test-only routes appear when asked for");

	/* The application's own table: every pattern well formed, no duplicate method+pattern. */
	int bad = 0;
	for (size_t i = 0; i < routes_count; i++) {
		if (routes[i].pattern[0] != '/' || !routes[i].handler)
			bad++;
		for (size_t k = i + 1; k < routes_count; k++)
			if (strcmp(routes[i].method, routes[k].method) == 0 &&
			    strcmp(routes[i].pattern, routes[k].pattern) == 0)
				bad++;
	}
	tap_ok(bad == 0, "the route table has %zu well-formed, distinct routes", routes_count);

	buf_reset(&allow);
	router_print_json(table, N, false, &allow);
	json_object *j = json_tokener_parse(buf_str(&allow));
	tap_ok(j && json_object_array_length(j) == N - 1, "routes --json prints every public route as JSON");
	json_object *first = j ? json_object_array_get_idx(j, 2) : NULL, *role = NULL;
	tap_ok(first && json_object_object_get_ex(first, "role", &role) &&
	           strcmp(json_object_get_string(role), "shopper") == 0,
	       "each route names its role");
	json_object_put(j);

	/* A password typed to prove who one is is marked secret (the OpenAPI test wants it write-only). */
	buf_reset(&allow);
	router_print_json(routes, routes_count, false, &allow);
	j = json_tokener_parse(buf_str(&allow));
	int secret = -1, email = -1;
	for (size_t i = 0; j && i < json_object_array_length(j); i++) {
		json_object *route = json_object_array_get_idx(j, i), *v, *inputs;
		if (!json_object_object_get_ex(route, "path", &v) ||
		    strcmp(json_object_get_string(v), "/api/v1/auth/login") ||
		    !json_object_object_get_ex(route, "inputs", &inputs))
			continue;
		for (size_t k = 0; k < json_object_array_length(inputs); k++) {
			json_object *in = json_object_array_get_idx(inputs, k), *name, *flag;
			json_object_object_get_ex(in, "name", &name);
			int marked = json_object_object_get_ex(in, "secret", &flag) && json_object_get_boolean(flag);
			if (strcmp(json_object_get_string(name), "password") == 0)
				secret = marked;
			else if (strcmp(json_object_get_string(name), "email") == 0)
				email = marked;
		}
	}
	tap_ok(secret == 1 && email == 0, "routes --json marks the login's password secret, not its e-mail");
	json_object_put(j);
	buf_free(&allow);
	test_access();
	return tap_done();
}
