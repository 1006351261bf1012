#include "http/response.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

void response_init(struct response *res)
{
	memset(res, 0, sizeof *res);
	res->status = 200;
}

void response_free(struct response *res)
{
	buf_free(&res->headers);
	buf_free(&res->body);
	json_object_put(res->model);
	json_object_put(res->cards);
	json_object_put(res->errors);
	json_object_put(res->problem_members);
	json_object_put(res->form_values);
	memset(res, 0, sizeof *res);
}

void response_header(struct response *res, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
		return; /* never let a value split the header block */
	buf_printf(&res->headers, "%s: %s\r\n", name, value);
}

void response_cookie(struct response *res, const char *name, const char *value, long max_age, bool secure)
{
	if (strpbrk(name, "\r\n;=, ") || strpbrk(value, "\r\n;, "))
		return;
	buf_printf(&res->headers, "Set-Cookie: %s=%s; Path=/", name, max_age < 0 ? "" : value);
	if (max_age < 0)
		buf_puts(&res->headers, "; Max-Age=0");
	else if (max_age > 0)
		buf_printf(&res->headers, "; Max-Age=%ld", max_age);
	buf_printf(&res->headers, "; HttpOnly; SameSite=Lax%s\r\n", secure ? "; Secure" : "");
	res->personal = true;
}

json_object *response_model(struct response *res)
{
	if (!res->model)
		res->model = json_object_new_object();
	return res->model;
}

enum status response_view(struct response *res, int status, const char *template, json_object *model)
{
	if (model != res->model) {
		json_object_put(res->model);
		res->model = model;
	}
	res->status = status;
	res->template = template;
	return ST_OK;
}

enum status response_redirect(struct response *res, const char *location)
{
	response_header(res, "Location", location);
	res->status = 303;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	res->done = true;
	return ST_OK;
}

enum status response_json(struct response *res, int status, json_object *obj)
{
	res->status = status;
	res->content_type = "application/json";
	buf_reset(&res->body);
	buf_puts(&res->body,
	         json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	res->done = true;
	return ST_OK;
}

enum status response_text(struct response *res, int status, const char *text)
{
	res->status = status;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	buf_puts(&res->body, text);
	res->done = true;
	return ST_OK;
}

enum status response_no_content(struct response *res)
{
	res->status = 204;
	res->content_type = NULL;
	buf_reset(&res->body);
	res->done = true;
	return ST_OK;
}

enum status response_fail(struct response *res, enum status st, const char *code, const char *detail)
{
	res->problem_code = code;
	snprintf(res->problem_detail, sizeof res->problem_detail, "%s", detail ? detail : "");
	return st;
}

const struct refusal *response_refusal_of(const char *code, const struct refusal *table, size_t n)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(code, table[i].code) == 0)
			return &table[i];
	return NULL;
}

enum status response_refused(struct response *res, enum status st, const char *code, const struct refusal *table,
                             size_t n)
{
	if (!code)
		return st;
	const struct refusal *why = response_refusal_of(code, table, n);
	if (why && why->message)
		res->form_message = why->message;
	return response_fail(res, st, code, why ? why->detail : NULL);
}

enum status response_field_error(struct response *res, enum status st, const char *field, const char *code)
{
	if (!res->errors)
		res->errors = json_object_new_object();
	json_object_object_add(res->errors, field, json_object_new_string(code));
	return st;
}

void response_form_value(struct response *res, const char *field, const char *value)
{
	if (!res->form_values)
		res->form_values = json_object_new_object();
	if (value && !json_object_object_get_ex(res->form_values, field, NULL))
		json_object_object_add(res->form_values, field, json_object_new_string(value));
}

const char *response_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Error";
}
