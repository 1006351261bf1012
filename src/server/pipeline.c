#include "server/pipeline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "auth/csrf.h"
#include "auth/session.h"
#include "handlers/layout.h"
#include "handlers/routes.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/url.h"
#include "util/config.h"
#include "util/log.h"
#include "view/view.h"

/* ---- the steps ------------------------------------------------------------------------------ */

enum status pipeline_parse(struct request *req, struct response *res)
{
	input_parse_cookies(request_param(req, "HTTP_COOKIE"), &req->cookies);
	if (strlen(req->query) > PIPELINE_MAX_QUERY)
		return ST_URI_TOO_LONG;
	int rc = input_parse_urlencoded(req->query, strlen(req->query), &input_default_limits, &req->query_fields);
	if (rc == 413)
		return response_fail(res, ST_TOO_LARGE, "TOO_MANY_FIELDS", "The query string has too many parameters.");
	return rc ? ST_BAD_REQUEST : ST_OK;
}

enum status pipeline_language(struct request *req, struct response *res)
{
	(void)res;
	const struct field *q = field_list_get(&req->query_fields, "lang");
	const char *cookie = request_cookie(req, "lang");
	req->lang = request_choose_lang(q ? q->value : NULL, cookie, request_param(req, "HTTP_ACCEPT_LANGUAGE"));
	req->lang_from_query = q && strcmp(q->value, req->lang) == 0 && !(cookie && strcmp(cookie, req->lang) == 0);
	return ST_OK;
}

enum status pipeline_route(struct request *req, struct response *res)
{
	struct buf allow = BUF_INIT;
	enum route_match m = router_match(routes, routes_count, req->method, req->path, config.test_routes, &req->route,
	                                  req->path_params, &req->npath_params, &allow);
	enum status st = ST_OK;
	if (m == ROUTE_WRONG_METHOD) {
		response_header(res, "Allow", buf_str(&allow));
		st = ST_WRONG_METHOD;
	} else if (m == ROUTE_NOT_FOUND) {
		st = ST_NOT_FOUND;
	}
	buf_free(&allow);
	return st;
}

enum status pipeline_session(struct request *req, struct response *res)
{
	return session_find(req, res);
}

enum status pipeline_role(struct request *req, struct response *res)
{
	enum status st = access_check(req->route->access, req->role);
	if (st == ST_UNAUTHENTICATED && !req->is_api && !req->wants_json) {
		/* A browser goes to the login page and comes back: next= is this page (GET only). */
		struct buf url = BUF_INIT, here = BUF_INIT;
		buf_puts(&url, req->route->access == ACCESS_SELLER ? "/seller/login" : "/login");
		if (request_here(req, &here))
			url_add_param(&url, "next", buf_str(&here));
		response_redirect(res, buf_str(&url));
		buf_free(&url);
		buf_free(&here);
		return ST_OK;
	}
	if (st == ST_FORBIDDEN) {
		/* The code says what would let the caller in, so only where it would: confirming the
		 * e-mail on a shopper's route, the seller or brand being reinstated on a seller's route.
		 * Anywhere else (a pending shopper on the seller console, a suspended seller on /me) it
		 * is the wrong kind of account, whatever its state (tests/integration/access-matrix.mjs). */
		if (req->role == ROLE_PENDING_SHOPPER && req->route->access == ACCESS_SHOPPER)
			return response_fail(res, st, "ACCOUNT_NOT_VERIFIED",
			                     "Confirm your e-mail address first: open the link we sent you.");
		if (req->role == ROLE_INACTIVE_SELLER && req->route->access == ACCESS_SELLER)
			return response_fail(res, st, "ACCOUNT_SUSPENDED",
			                     "This seller account or its brand is suspended; contact the operator.");
		return response_fail(res, st, "WRONG_ROLE", "This is not open to your kind of account.");
	}
	return st;
}

/* True when the route declares an input that may come from the body. */
static bool route_takes_body(const struct route *r)
{
	for (size_t i = 0; i < r->ninputs; i++)
		if (r->inputs[i].sources == 0 || (r->inputs[i].sources & INPUT_FROM_BODY))
			return true;
	return false;
}

/* True when the media type of a Content-Type value (before any ';' parameters, case-insensitive)
 * is exactly type: "application/json; charset=utf-8" is JSON, "application/jsonx" is not. */
static bool media_type_is(const char *content_type, const char *type)
{
	size_t n = strlen(type);
	if (!content_type || strncasecmp(content_type, type, n) != 0)
		return false;
	const char *rest = content_type + n;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	return *rest == '\0' || *rest == ';';
}

enum status pipeline_body(struct request *req, struct response *res)
{
	const char *cl = request_param(req, "CONTENT_LENGTH");
	long long length = cl && *cl ? atoll(cl) : 0;
	if (length < 0 || (unsigned long long)length > config.max_body)
		return ST_TOO_LARGE;
	if (length == 0)
		return ST_OK;
	req->body = xmalloc((size_t)length + 1);
	size_t got = 0;
	while (got < (size_t)length) {
		long n = req->read_body ? req->read_body(req->body_ctx, req->body + got, (size_t)length - got) : -1;
		if (n <= 0)
			return response_fail(res, ST_BAD_REQUEST, "MALFORMED_REQUEST", "The request body ended early.");
		got += (size_t)n;
	}
	req->body[length] = '\0';
	req->body_len = (size_t)length;
	/* A page form carries its CSRF token in the body even when it declares no other input. */
	bool unsafe_page = request_is_unsafe(req) && !req->is_api;
	if (!route_takes_body(req->route) && !unsafe_page)
		return ST_OK;
	const char *ct = req->content_type;
	int rc;
	if (media_type_is(ct, "application/json"))
		rc = input_parse_json(req->body, req->body_len, &input_default_limits, &req->body_fields);
	else if (media_type_is(ct, "application/x-www-form-urlencoded"))
		rc = input_parse_urlencoded(req->body, req->body_len, &input_default_limits, &req->body_fields);
	else if (media_type_is(ct, "multipart/form-data"))
		rc = input_parse_multipart(ct, req->body, req->body_len, &input_default_limits, &req->body_fields);
	else
		return ST_UNSUPPORTED;
	return rc == 413 ? ST_TOO_LARGE : rc ? ST_BAD_REQUEST : ST_OK;
}

enum status pipeline_csrf(struct request *req, struct response *res)
{
	if (!request_is_unsafe(req) || (req->route->flags & ROUTE_NO_CSRF))
		return ST_OK;
	/* The API without the session cookie (a bearer token, or nobody) cannot be forged by a page. */
	if (req->is_api && !req->by_cookie)
		return ST_OK;
	return csrf_check(req, res);
}

enum status pipeline_validate(struct request *req, struct response *res)
{
	req->inputs = xcalloc(req->route->ninputs ? req->route->ninputs : 1, sizeof *req->inputs);
	json_object *errors = json_object_new_object();
	int invalid = input_validate(req->route->inputs, req->route->ninputs, &req->query_fields, &req->body_fields,
	                             req->inputs, errors);
	if (invalid == 0) {
		json_object_put(errors);
		return ST_OK;
	}
	json_object_put(res->errors);
	res->errors = errors;
	return ST_INVALID;
}

enum status pipeline_handle(struct request *req, struct response *res)
{
	return req->route->handler(req, res);
}

/* ---- render --------------------------------------------------------------------------------- */

/* The message of a field error code in the request's language ("validation.<code>"). */
static const char *error_message(const char *lang, const char *code)
{
	char key[96];
	snprintf(key, sizeof key, "validation.%s", code);
	const char *m = view_message(lang, key);
	return m != key ? m : view_message(lang, "validation.wrong_type");
}

/* Renders the model through the template in the layout, with the form's state: drawn again, or
 * the values a handler started it with. */
static void render_page(struct request *req, struct response *res, json_object *form)
{
	bool with_csrf = form || (req->route && (req->route->flags & ROUTE_FORM));
	json_object *chrome = layout_chrome(req, res, with_csrf);
	json_object *start = NULL;
	if (!form && res->form_values) {
		form = start = json_object_new_object();
		json_object_object_add(start, "values", json_object_get(res->form_values));
	}
	buf_reset(&res->body);
	if (view_render_page(req, res->template, response_model(res), chrome, form, &res->body) != 0) {
		res->status = 500;
		res->content_type = "text/plain; charset=utf-8";
		buf_puts(&res->body, "internal error\n");
	} else {
		res->content_type = "text/html; charset=utf-8";
	}
	json_object_put(start);
	json_object_put(chrome);
}

/* Draws a page form again after st: the values entered (never a secret), one message per invalid
 * field, and the form's message. False when the route has no form or nothing to say per field. */
static bool redraw_form(struct request *req, struct response *res, enum status st)
{
	const struct route *r = req->route;
	if (!r || !r->form || req->wants_json || (!res->errors && !res->form_message))
		return false;
	for (size_t i = 0; req->inputs && i < r->ninputs; i++) {
		const struct input_spec *spec = &r->inputs[i];
		if (req->inputs[i].s && spec->type != INPUT_FILE && spec->type != INPUT_PASSWORD &&
		    !(spec->flags & INPUT_SECRET))
			response_form_value(res, spec->name, req->inputs[i].s);
	}
	json_object *errors = res->errors;
	const char *message = res->form_message;
	res->errors = NULL;
	json_object_put(res->model);
	res->model = NULL;
	res->template = NULL;
	if (r->form(req, res) != ST_OK || res->done || !res->template) {
		json_object_put(errors);
		return false;
	}
	json_object *form = json_object_new_object(), *texts = json_object_new_object();
	if (errors) {
		json_object_object_foreach(errors, field, code)
		{
			json_object_object_add(
			    texts, field,
			    json_object_new_string(error_message(req->lang, json_object_get_string(code))));
		}
	}
	json_object_object_add(form, "errors", texts);
	json_object_object_add(form, "values",
	                       res->form_values ? json_object_get(res->form_values) : json_object_new_object());
	if (message)
		json_object_object_add(form, "message", json_object_new_string(view_message(req->lang, message)));
	json_object_put(errors);
	res->status = status_http(st);
	render_page(req, res, form);
	json_object_put(form);
	return true;
}

/* problem+json (RFC 9457) for the API, the error page in the layout for browsers. */
static void answer_error(struct request *req, struct response *res, enum status st)
{
	int http = status_http(st);
	const char *code = res->problem_code ? res->problem_code : status_code(st);
	const char *detail = res->problem_detail[0] ? res->problem_detail : status_detail(st);
	/* RFC 9110: a 401 names the scheme that would do (the API's bearer tokens). */
	if (http == 401 && req->is_api)
		response_header(res, "WWW-Authenticate", "Bearer realm=\"lonua\"");
	if (st == ST_RATE_LIMITED && res->retry_after > 0) {
		char s[24];
		snprintf(s, sizeof s, "%d", res->retry_after);
		response_header(res, "Retry-After", s);
	}
	res->done = false;
	res->template = NULL;
	if (!req->is_api && !req->wants_json) {
		json_object_put(res->errors);
		res->errors = NULL;
		response_view(res, http, "pages/error",
		              view_error_model(req->lang, http, code, response_reason(http), detail));
		render_page(req, res, NULL);
		return;
	}
	/* A problem type per code, as RFC 9457 wants: urn:lonua:problem:validation-failed */
	char type[96] = "urn:lonua:problem:";
	size_t n = strlen(type);
	for (const char *c = code; *c && n < sizeof type - 1; c++)
		type[n++] = *c == '_' ? '-' : (char)tolower((unsigned char)*c);
	type[n] = '\0';
	json_object *p = json_object_new_object();
	json_object_object_add(p, "type", json_object_new_string(type));
	json_object_object_add(p, "title", json_object_new_string(response_reason(http)));
	json_object_object_add(p, "status", json_object_new_int(http));
	json_object_object_add(p, "detail", json_object_new_string(detail));
	json_object_object_add(p, "code", json_object_new_string(code));
	json_object_object_add(p, "request_id", json_object_new_string(req->request_id ? req->request_id : ""));
	if (res->errors) {
		json_object_object_add(p, "errors", res->errors);
		res->errors = NULL;
	}
	if (res->problem_members) {
		json_object_object_foreach(res->problem_members, name, value)
		    json_object_object_add(p, name, json_object_get(value));
	}
	response_json(res, http, p);
	res->content_type = "application/problem+json";
}

void pipeline_render(struct request *req, struct response *res, enum status st)
{
	if (req->session)
		res->personal = true;
	if (st != ST_OK) {
		json_object_put(res->cards); /* an error page shows no card */
		res->cards = NULL;
		if (st == ST_ERROR || st == ST_UNAVAILABLE || st == ST_RETRY)
			log_error("%s %s failed: %s", req->method, req->path, status_code(st));
		if (!redraw_form(req, res, st))
			answer_error(req, res, st);
		return;
	}
	if (res->done)
		return;
	if (req->wants_json || !res->template) {
		int http = res->status;
		response_json(res, http, json_object_get(response_model(res)));
		return;
	}
	render_page(req, res, NULL);
}

void pipeline_run(struct request *req, struct response *res)
{
	static enum status (*const steps[])(struct request *, struct response *) = {
	    pipeline_route, pipeline_session,  pipeline_role,   pipeline_body,
	    pipeline_csrf,  pipeline_validate, pipeline_handle,
	};
	/* The language is chosen even for a query that failed to parse: its error page needs one. */
	enum status st = pipeline_parse(req, res);
	pipeline_language(req, res);
	for (size_t i = 0; i < sizeof steps / sizeof *steps && st == ST_OK && !res->done; i++)
		st = steps[i](req, res);
	pipeline_render(req, res, st);
}
