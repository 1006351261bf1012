/* The answer being built for one request, and the one place that turns statuses into
 * problem+json or error pages. */
#ifndef LONUA_HTTP_RESPONSE_H
#define LONUA_HTTP_RESPONSE_H

#include <stdbool.h>

#include "util/buf.h"

struct request;
struct json_object;

struct response {
	int status;
	const char *content_type;
	struct buf headers; /* extra header lines, each ending in \r\n */
	struct buf body;
};

void response_init(struct response *res);
void response_free(struct response *res);
/* Adds one header line; name and value must not hold CR or LF (checked: such a header is dropped). */
void response_header(struct response *res, const char *name, const char *value);
/* Sets status and a JSON body (takes the reference to obj). */
void response_json(struct response *res, int status, struct json_object *obj);
/* Sets a plain-text body. */
void response_text(struct response *res, int status, const char *text);

/* Answers an error: application/problem+json on API paths, else the HTML error page.
 * code is the stable machine code (NOT_FOUND...); errors, when not NULL, is a JSON object of
 * field → message code (ownership taken). */
void response_error(struct request *req, struct response *res, int status, const char *code, const char *detail,
                    struct json_object *errors);

/* The reason phrase of a status ("Not Found"). */
const char *response_reason(int status);

/* Answers a failed database call: 503 when the database cannot be reached, else 500. */
void response_db_failure(struct request *req, struct response *res, int db_status);

/* After a lookup that returned rc (DB_OK, 1 for "no such row", or a negative db_status): answers
 * 404 NOT_FOUND with detail, or the database failure, and returns true; returns false on DB_OK. */
bool response_lookup_failed(struct request *req, struct response *res, int rc, const char *detail);
#endif
