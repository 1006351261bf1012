/* The route table's shape and matching. The table itself is in routes.c. */
#ifndef LONUA_HTTP_ROUTER_H
#define LONUA_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/input.h"
#include "util/status.h"

struct request;
struct response;
struct buf;

/* Who may call a route (SPEC §2): the pipeline's role step compares it with the caller's role. */
enum access {
	ACCESS_GUEST,     /* anyone, signed in or not */
	ACCESS_MEMBER,    /* a signed-in shopper, even one whose e-mail is not verified yet */
	ACCESS_SHOPPER,   /* an active shopper */
	ACCESS_SELLER,    /* an active seller of an active brand */
	ACCESS_ADMIN,     /* an active admin */
	ACCESS_SIGNED_IN, /* anyone with a valid session (logging out) */
};

/* Who is calling, as the pipeline's session step found them. */
enum role {
	ROLE_GUEST,           /* no session */
	ROLE_PENDING_SHOPPER, /* a shopper who has not verified the e-mail (or completed a Kakao profile) */
	ROLE_SHOPPER,         /* an active shopper */
	ROLE_SELLER,          /* an active seller of an active brand */
	ROLE_INACTIVE_SELLER, /* a suspended seller, or the seller of an inactive brand */
	ROLE_ADMIN,           /* an active admin */
};

enum route_flags {
	ROUTE_TEST_ONLY = 1, /* served only with LONUA_TEST_ROUTES=1 */
	ROUTE_NO_CSRF = 2,   /* an unsafe route called by another site (a payment webhook): no CSRF token */
	ROUTE_FORM = 4,      /* a page with a form guests may send (login, sign-up): guests get a CSRF token */
	ROUTE_SHARED = 8,    /* a catalogue GET whose answer to a guest is every guest's: nginx keeps it a second */
};

typedef enum status (*route_handler)(struct request *req, struct response *res);

struct route {
	const char *method;  /* GET, POST, PUT, PATCH, DELETE */
	const char *pattern; /* "/api/v1/categories/{id}": {name} matches a positive integer */
	route_handler handler;
	enum access access;              /* who may call it */
	const struct input_spec *inputs; /* declared query/body parameters */
	size_t ninputs;
	unsigned flags;
	/* A page form's POST: the handler that draws the form (its GET). When the inputs are invalid,
	 * or the handler fails with field errors or a form message, the form is drawn again with the
	 * values entered and one message per field, instead of an error page. */
	route_handler form;
};

enum route_match { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_WRONG_METHOD };

/* Finds the route for method and path among n routes. On ROUTE_FOUND sets *found and the
 * typed path parameters; on ROUTE_WRONG_METHOD appends the allowed methods ("GET, HEAD") to
 * allow (when not NULL). HEAD matches GET routes. Routes with ROUTE_TEST_ONLY are skipped
 * unless include_test_routes. */
enum route_match router_match(const struct route *routes, size_t n, const char *method, const char *path,
                              bool include_test_routes, const struct route **found, long long *params, size_t *nparams,
                              struct buf *allow);

/* Writes the table as a JSON array of {method, path, role (the access name), inputs[]}; each input
 * is {name, type, required, in, min and max (when not both 0), choices, secret (when flagged)}. */
void router_print_json(const struct route *routes, size_t n, bool include_test_routes, struct buf *out);

/* "guest", "member", "shopper", "seller", "admin", "signed_in". */
const char *access_name(enum access access);
/* "guest", "pending_shopper", "shopper", "seller", "inactive_seller", "admin". */
const char *role_name(enum role role);
/* Whether role may call a route that needs access: ST_OK, ST_UNAUTHENTICATED (a guest where an
 * account is needed) or ST_FORBIDDEN. */
enum status access_check(enum access access, enum role role);

#endif
