/* The one status type: what happened, returned by the database layer, the domain rules and the
 * handlers alike. Only src/server/pipeline.c turns it into an HTTP answer (status_http gives the
 * number; the code and detail default to status_code and status_detail). */
#ifndef LONUA_UTIL_STATUS_H
#define LONUA_UTIL_STATUS_H

enum status {
	ST_OK = 0,
	ST_NOT_FOUND,       /* absent, or not the caller's (ids cannot be probed): 404 */
	ST_CONFLICT,        /* the state of things forbids it now (taken, already used): 409 */
	ST_FORBIDDEN,       /* signed in, but this is not for this account (or a bad CSRF token): 403 */
	ST_UNAUTHENTICATED, /* sign in first: 401 (pages: 303 to the login page) */
	ST_INVALID,         /* the input breaks a rule; the response names the fields: 422 */
	ST_RATE_LIMITED,    /* too many attempts: 429 with Retry-After */
	ST_BAD_REQUEST,     /* the request cannot be parsed: 400 */
	ST_WRONG_METHOD,    /* the path answers other methods (the response says which): 405 */
	ST_URI_TOO_LONG,    /* the query string is too long: 414 */
	ST_TOO_LARGE,       /* a body, a part or a query too large: 413 */
	ST_UNSUPPORTED,     /* a body of a media type the route does not read: 415 */
	ST_UNAVAILABLE,     /* the database (or another service) cannot be reached now: 503 */
	ST_RETRY,           /* a deadlock or lock wait timeout: db_transaction runs it again; 503 if it escapes */
	ST_ERROR,           /* our own fault, logged where it happened: 500 */
};

/* The HTTP status of st (200 for ST_OK). */
int status_http(enum status st);
/* The stable machine code of st for problem+json ("NOT_FOUND", "VALIDATION_FAILED", ...). */
const char *status_code(enum status st);
/* A short English sentence saying what st means to the caller. */
const char *status_detail(enum status st);

#endif
