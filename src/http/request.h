/* One HTTP request as the worker sees it: CGI parameters from nginx, the body, parsed fields,
 * the matched route and its validated inputs, and who is calling. Lives for one request. */
#ifndef LONUA_HTTP_REQUEST_H
#define LONUA_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "http/input.h"
#include "http/router.h"

struct buf;
struct session;

#define REQUEST_MAX_PATH_PARAMS 4

/* Reads up to len bytes of the body into buf; returns the count (0 at its end) or -1. */
typedef long (*request_body_reader)(void *ctx, char *buf, size_t len);

struct request {
	char **env; /* FastCGI parameters (NAME=value) */
	const char *method;
	const char *path;         /* DOCUMENT_URI: decoded path without the query */
	const char *query;        /* QUERY_STRING, raw */
	const char *content_type; /* may be NULL */
	const char *request_id;   /* nginx's $request_id, or one we made */
	request_body_reader read_body;
	void *body_ctx;
	char *body;
	size_t body_len;
	bool is_api;     /* path under /api/: errors as problem+json */
	bool wants_json; /* API route, or Accept: application/json */
	bool https;      /* the client used HTTPS (nginx's HTTPS parameter): cookies are Secure */

	struct field_list query_fields;
	struct field_list body_fields;
	struct field_list cookies;

	const struct route *route;
	long long path_params[REQUEST_MAX_PATH_PARAMS]; /* typed {id} segments, in order */
	size_t npath_params;
	struct input_value *inputs; /* one per route input spec */

	const char *lang;     /* "ko" or "en" */
	bool lang_from_query; /* ?lang= given: remember it in a cookie */

	/* Who is calling (the pipeline's session step): the session with its account, or NULL for a
	 * guest; role says what the account may do now. */
	struct session *session;
	enum role role;
	bool by_cookie; /* the session came from the cookie (not a bearer token): unsafe calls need CSRF */
};

/* The value of a FastCGI parameter, or NULL. */
const char *request_param(const struct request *req, const char *name);

/* The validated inputs the route declares, by name. Reading a name the route does not declare is
 * a programming error: it aborts the worker when config.strict (tests) and logs otherwise.
 * req_int: INT, BOOL (0/1) and ENUM (choice index) inputs, or the spec's default when not given.
 * req_text: STRING, ENUM and the special text types, or NULL when not given or left blank
 * (input_blank: empty or only spaces).
 * req_given: true when a valid value was given. */
long long req_int(const struct request *req, const char *name);
const char *req_text(const struct request *req, const char *name);
bool req_given(const struct request *req, const char *name);
/* The validated input itself (files, lengths), never NULL for a declared name. */
const struct input_value *req_input(const struct request *req, const char *name);

/* Picks "ko" or "en": ?lang=, then the `lang` cookie, then Accept-Language; Korean by default. */
const char *request_choose_lang(const char *query_lang, const char *cookie_lang, const char *accept_language);
/* The value of cookie name, or NULL. */
const char *request_cookie(const struct request *req, const char *name);
/* True for POST, PUT, PATCH and DELETE: the methods that change something. */
bool request_is_unsafe(const struct request *req);
/* Appends this page's address (path and query) as a next= may carry it, to come back here after
 * logging in or posting a form. False (nothing appended) for a method other than GET (a form
 * drawn again answers a POST: its address is not a page) or when it is not a local path (too
 * long). */
bool request_here(const struct request *req, struct buf *out);
void request_free(struct request *req);

#endif
