/* The answer being built for one request. A handler fills its view model (owned here, so an
 * error path frees nothing by hand) and returns a status; src/server/pipeline.c then renders
 * the model (a page template or JSON) or turns the status into problem+json or an error page. */
#ifndef LONUA_HTTP_RESPONSE_H
#define LONUA_HTTP_RESPONSE_H

#include <stdbool.h>

#include "util/buf.h"
#include "util/status.h"

struct json_object;

struct response {
	int status; /* the HTTP status of a successful answer (200 unless set) */
	const char *content_type;
	struct buf headers; /* extra header lines, each ending in \r\n */
	struct buf body;    /* written directly only by answers that are not a model (text, files) */
	bool done;          /* body, status and content type are final: render nothing */
	bool personal;      /* shows or changes one account's data: Cache-Control: private, no-store */
	const char *csp;    /* a page's own Content-Security-Policy (the gateway's payment page), else the
	                     * default one (src/server/worker.c) */

	/* What a handler produces. */
	struct json_object *model; /* the view model (owned) */
	const char *template;      /* the page template, or NULL for JSON only */
	struct json_object *cards; /* the product cards in the model (references), whose like buttons
	                            * are set just before rendering (src/handlers/shop/cards.c) */

	/* Why it failed, when the handler returns a status other than ST_OK (all optional). */
	const char *problem_code;            /* a stable code (USER_EMAIL_TAKEN); default status_code() */
	char problem_detail[256];            /* a sentence for the caller; default status_detail() */
	struct json_object *errors;          /* field -> message code (owned) */
	struct json_object *problem_members; /* more members of the API's problem+json (owned): a CSV
	                                      * upload's {"lines": [...]} */
	const char *form_message;            /* a message key for the whole form (pages) */
	int retry_after;                     /* seconds, with ST_RATE_LIMITED */
	struct json_object *form_values;     /* values a page form starts with (owned): see response_form_value */
};

void response_init(struct response *res);
void response_free(struct response *res);
/* Adds one header line; name and value must not hold CR or LF (checked: such a header is dropped). */
void response_header(struct response *res, const char *name, const char *value);
/* Sets a Set-Cookie header: name=value with Path=/, HttpOnly, SameSite=Lax, Secure when secure,
 * and Max-Age (max_age < 0: delete the cookie; 0: a browser-session cookie). Marks the answer
 * personal (a cookie must never be cached for others). */
void response_cookie(struct response *res, const char *name, const char *value, long max_age, bool secure);

/* The view model, made on first use (owned by the response). */
struct json_object *response_model(struct response *res);
/* Answers model (taken) through template (NULL: JSON only) with HTTP status. Returns ST_OK. */
enum status response_view(struct response *res, int status, const char *template, struct json_object *model);
/* A 303 See Other to location (a local path). Returns ST_OK. */
enum status response_redirect(struct response *res, const char *location);
/* Final answers that are not a view model. Each returns ST_OK. */
enum status response_text(struct response *res, int status, const char *text);
enum status response_json(struct response *res, int status, struct json_object *obj);
enum status response_no_content(struct response *res);

/* Failure details; each returns st so a handler can `return response_fail(...)`. */
enum status response_fail(struct response *res, enum status st, const char *code, const char *detail);

/* How a refused change is told: its stable code, the message key a page shows above its form (NULL:
 * none) and the problem's detail for the API. */
struct refusal {
	const char *code, *message, *detail;
};
/* The refusal of code in table (n entries), or NULL. */
const struct refusal *response_refusal_of(const char *code, const struct refusal *table, size_t n);
/* Answers st with code as table tells it (a code not in it bare; no code: st alone). Returns st. */
enum status response_refused(struct response *res, enum status st, const char *code, const struct refusal *table,
                             size_t n);
/* Records field's message code (errors[field] = code) and returns st: a form shows the message
 * beside the field, the API lists it in problem.errors. */
enum status response_field_error(struct response *res, enum status st, const char *field, const char *code);

/* A value a page form starts with (the profile's phone...); a value the visitor submitted wins. */
void response_form_value(struct response *res, const char *field, const char *value);

/* The reason phrase of a status ("Not Found"). */
const char *response_reason(int status);

#endif
