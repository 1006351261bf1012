/* The router (router_match over the real route table, as pipeline_route calls it: path to route and
 * typed {id} segments) and the link helpers that carry a request path back out (url_add_path for
 * next=, url_is_local_path for the redirect after login). Lines: method, path (DOCUMENT_URI), and a
 * next= value. Headers and FastCGI parameters are C strings, so each is cut at its first NUL. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "handlers/routes.h"
#include "http/request.h"
#include "http/router.h"
#include "http/url.h"
#include "util/buf.h"

static size_t count_params(const char *pattern)
{
	size_t n = 0;
	for (const char *c = pattern; *c; c++)
		n += *c == '{';
	return n;
}

static void check_route(const char *method, const char *path, bool test_routes)
{
	const struct route *r = NULL;
	long long params[REQUEST_MAX_PATH_PARAMS];
	size_t np = 0;
	struct buf allow = BUF_INIT;
	enum route_match m = router_match(routes, routes_count, method, path, test_routes, &r, params, &np, &allow);
	if (m == ROUTE_FOUND) {
		/* Every typed segment is a positive id, one per {name} of the pattern. */
		if (!r || np > REQUEST_MAX_PATH_PARAMS || np != count_params(r->pattern))
			abort();
		for (size_t i = 0; i < np; i++)
			if (params[i] <= 0)
				abort();
		if (path[0] != '/')
			abort();
	} else if (m == ROUTE_WRONG_METHOD && allow.len == 0) {
		abort();
	}
	buf_free(&allow);
}

FUZZ_TARGET(router)
{
	const uint8_t *p = data, *end = data + size;
	char *method = fuzz_line(&p, end);
	char *path = fuzz_line(&p, end);
	char *next = fuzz_line(&p, end);
	check_route(method, path, false);
	check_route(method, path, true);

	/* A redirect target that passes must stay on this site. */
	if (url_is_local_path(next) && (next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 500))
		abort();
	/* A path carried in a link starts with one '/' and holds nothing but unreserved bytes, '/' and %XX. */
	struct buf out = BUF_INIT;
	url_add_path(&out, path);
	const char *o = buf_str(&out);
	if (o[0] != '/' || o[1] == '/' ||
	    strspn(o, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%") != out.len)
		abort();
	buf_reset(&out);
	url_add_param(&out, "next", path);
	buf_free(&out);

	free(method);
	free(path);
	free(next);
	return 0;
}
