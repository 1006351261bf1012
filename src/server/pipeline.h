/* The request pipeline: the named steps between a parsed FastCGI request and the answer, each a
 * function of the request and the response that a unit test can call with a fake request:
 *
 *   parse -> language -> route -> session -> role -> body -> CSRF -> validate -> handler -> render
 *
 * A step returns ST_OK to go on; any other status (with the response's problem details), or an
 * answer it made itself (res->done: a redirect to the login page), ends the run and goes to render.
 * The body comes before the CSRF check because a page form carries its token in the body. */
#ifndef LONUA_SERVER_PIPELINE_H
#define LONUA_SERVER_PIPELINE_H

#include <stddef.h>

#include "util/status.h"

struct request;
struct response;

/* The longest query string a worker reads (nginx refuses longer request lines itself). */
#define PIPELINE_MAX_QUERY 8192

/* The query string and the cookies into fields: 414 when too long, 400 malformed, 413 too many. */
enum status pipeline_parse(struct request *req, struct response *res);
/* Korean or English: ?lang=, the lang cookie, Accept-Language (a ?lang= is remembered). */
enum status pipeline_language(struct request *req, struct response *res);
/* The route for method and path: 404, or 405 with Allow. */
enum status pipeline_route(struct request *req, struct response *res);
/* Who is calling (src/auth/session.c). */
enum status pipeline_session(struct request *req, struct response *res);
/* May the caller use the route? A guest on a page that needs an account is sent to the login page
 * (303, with next=); the API answers 401; the wrong account 403. */
enum status pipeline_role(struct request *req, struct response *res);
/* Reads the body (at most config.max_body) and parses it by media type when the route takes one:
 * 413, 400, 415. */
enum status pipeline_body(struct request *req, struct response *res);
/* Unsafe methods carry a valid CSRF token: every page form, and API calls made with the session
 * cookie (bearer tokens need none). 403 otherwise. */
enum status pipeline_csrf(struct request *req, struct response *res);
/* The route's declared inputs into typed values; every invalid field named at once (422). */
enum status pipeline_validate(struct request *req, struct response *res);
/* The route's handler. */
enum status pipeline_handle(struct request *req, struct response *res);
/* Turns what happened into the answer: the model as a page or JSON, a form drawn again with its
 * values and a message per field, problem+json, or the error page. Sets the security and cache
 * headers' inputs (res->personal). */
void pipeline_render(struct request *req, struct response *res, enum status st);

/* Every step in order, then render. */
void pipeline_run(struct request *req, struct response *res);

#endif
