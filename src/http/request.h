/* One HTTP request as the worker sees it: CGI parameters from nginx, the body, parsed
 * fields, the matched route and its validated inputs. Lives for one request. */
#ifndef LONUA_HTTP_REQUEST_H
#define LONUA_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "http/input.h"

struct route;
struct json_object;

#define REQUEST_MAX_PATH_PARAMS 4

struct request {
	char **env; /* FastCGI parameters (NAME=value) */
	const char *method;
	const char *path;         /* DOCUMENT_URI: decoded path without the query */
	const char *query;        /* QUERY_STRING, raw */
	const char *content_type; /* may be NULL */
	const char *request_id;   /* nginx's $request_id, or one we made */
	char *body;
	size_t body_len;
	bool is_api;     /* path under /api/: errors as problem+json */
	bool wants_json; /* API route, or Accept: application/json */

	struct field_list query_fields;
	struct field_list body_fields;
	struct field_list cookies;

	const struct route *route;
	long long path_params[REQUEST_MAX_PATH_PARAMS]; /* typed {id} segments, in order */
	size_t npath_params;
	struct input_value *inputs; /* one per route input spec */

	const char *lang;     /* "ko" or "en" */
	bool lang_from_query; /* ?lang= given: remember it in a cookie */
};

/* The value of a FastCGI parameter, or NULL. */
const char *request_param(const struct request *req, const char *name);
/* The validated input declared under `name` by the route, or NULL when the route has no such input. */
const struct input_value *request_input(const struct request *req, const char *name);
/* Picks "ko" or "en": ?lang=, then the `lang` cookie, then Accept-Language; Korean by default. */
const char *request_choose_lang(const char *query_lang, const char *cookie_lang, const char *accept_language);
void request_free(struct request *req);

#endif
