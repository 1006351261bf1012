#include "http/response.h"

#include <ctype.h>
#include <string.h>

#include <json-c/json.h>

#include "db/db.h"
#include "http/request.h"
#include "view/view.h"

void response_init(struct response *res)
{
	memset(res, 0, sizeof *res);
	res->status = 200;
}

void response_free(struct response *res)
{
	buf_free(&res->headers);
	buf_free(&res->body);
}

void response_header(struct response *res, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
		return; /* never let a value split the header block */
	buf_printf(&res->headers, "%s: %s\r\n", name, value);
}

void response_json(struct response *res, int status, json_object *obj)
{
	res->status = status;
	res->content_type = "application/json";
	buf_reset(&res->body);
	buf_puts(&res->body,
	         json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

void response_text(struct response *res, int status, const char *text)
{
	res->status = status;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	buf_puts(&res->body, text);
}

const char *response_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
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

void response_error(struct request *req, struct response *res, int status, const char *code, const char *detail,
                    json_object *errors)
{
	if (!req->is_api && !req->wants_json) {
		json_object_put(errors);
		view_error_page(req, res, status, detail);
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
	json_object_object_add(p, "title", json_object_new_string(response_reason(status)));
	json_object_object_add(p, "status", json_object_new_int(status));
	json_object_object_add(p, "detail", json_object_new_string(detail));
	json_object_object_add(p, "code", json_object_new_string(code));
	json_object_object_add(p, "request_id", json_object_new_string(req->request_id ? req->request_id : ""));
	if (errors)
		json_object_object_add(p, "errors", errors);
	response_json(res, status, p);
	res->content_type = "application/problem+json";
}

void response_db_failure(struct request *req, struct response *res, int db_status)
{
	if (db_status == DB_UNAVAILABLE)
		response_error(req, res, 503, "SERVICE_UNAVAILABLE",
		               "The database cannot be reached; try again shortly.", NULL);
	else
		response_error(req, res, 500, "INTERNAL_ERROR", "Something went wrong on our side.", NULL);
}

bool response_lookup_failed(struct request *req, struct response *res, int rc, const char *detail)
{
	if (rc == DB_OK)
		return false;
	if (rc == 1)
		response_error(req, res, 404, "NOT_FOUND", detail, NULL);
	else
		response_db_failure(req, res, rc);
	return true;
}
