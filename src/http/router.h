/* The route table's shape and matching. The table itself is in routes.c. */
#ifndef LONUA_HTTP_ROUTER_H
#define LONUA_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/input.h"

struct request;
struct response;
struct buf;

enum role { ROLE_GUEST, ROLE_SHOPPER, ROLE_SELLER, ROLE_ADMIN };

enum route_flags {
	ROUTE_TEST_ONLY = 1, /* served only with LONUA_TEST_ROUTES=1 */
};

typedef void (*route_handler)(struct request *req, struct response *res);

struct route {
	const char *method;  /* GET, POST, PUT, PATCH, DELETE */
	const char *pattern; /* "/api/v1/categories/{id}": {name} matches a positive integer */
	route_handler handler;
	enum role role;                  /* the least role that may call it */
	const struct input_spec *inputs; /* declared query/body parameters */
	size_t ninputs;
	unsigned flags;
};

enum route_match { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_WRONG_METHOD };

/* Finds the route for method and path among n routes. On ROUTE_FOUND sets *found and the
 * typed path parameters; on ROUTE_WRONG_METHOD appends the allowed methods ("GET, HEAD") to
 * allow (when not NULL). HEAD matches GET routes. Routes with ROUTE_TEST_ONLY are skipped
 * unless include_test_routes. */
enum route_match router_match(const struct route *routes, size_t n, const char *method, const char *path,
                              bool include_test_routes, const struct route **found, long long *params, size_t *nparams,
                              struct buf *allow);

/* Writes the table as a JSON array of {method, path, role, inputs[]}. */
void router_print_json(const struct route *routes, size_t n, bool include_test_routes, struct buf *out);

const char *role_name(enum role role);

#endif
