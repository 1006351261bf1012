#include "server/worker.h"

#include <errno.h>
#include <fcgiapp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "db/db.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/routes.h"
#include "server/metrics.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"
#include "view/view.h"

#define MAX_QUERY_BYTES 8192

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A request id for requests that did not come through nginx (nginx sends $request_id). */
static void make_request_id(char out[33])
{
	static unsigned long long counter;
	unsigned long long a = (unsigned long long)getpid() << 32 ^ (unsigned long long)time(NULL);
	snprintf(out, 33, "%016llx%016llx", a, ++counter);
}

/* Reads exactly len bytes of body; returns 0, or -1 when the stream ended early. */
static int read_body(FCGX_Stream *in, char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		int want = len - got > (1 << 20) ? (1 << 20) : (int)(len - got);
		int n = FCGX_GetStr(buf + got, want, in);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
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

/* Parses the body by its media type. Returns 0 or an HTTP status (400, 413, 415). */
static int parse_body(struct request *req)
{
	const char *ct = req->content_type;
	if (media_type_is(ct, "application/json"))
		return input_parse_json(req->body, req->body_len, &input_default_limits, &req->body_fields);
	if (media_type_is(ct, "application/x-www-form-urlencoded"))
		return input_parse_urlencoded(req->body, req->body_len, &input_default_limits, &req->body_fields);
	if (media_type_is(ct, "multipart/form-data"))
		return input_parse_multipart(ct, req->body, req->body_len, &input_default_limits, &req->body_fields);
	return 415;
}

static bool route_takes_body(const struct route *r)
{
	for (size_t i = 0; i < r->ninputs; i++)
		if (r->inputs[i].sources == 0 || (r->inputs[i].sources & INPUT_FROM_BODY))
			return true;
	return false;
}

static void error_for_status(struct request *req, struct response *res, int status)
{
	switch (status) {
	case 413:
		response_error(req, res, 413, "BODY_TOO_LARGE", "The request body or one of its parts is too large.",
		               NULL);
		break;
	case 415:
		response_error(req, res, 415, "UNSUPPORTED_MEDIA_TYPE",
		               "Send application/json, application/x-www-form-urlencoded or multipart/form-data.",
		               NULL);
		break;
	default: response_error(req, res, 400, "MALFORMED_REQUEST", "The request could not be parsed.", NULL); break;
	}
}

/* Everything between the raw request and the handler: query, language, route, body, inputs.
 * Each failure becomes its 4xx answer here, before any handler runs. */
static void dispatch(FCGX_Request *fr, struct request *req, struct response *res)
{
	const struct field *f;
	if (strlen(req->query) > MAX_QUERY_BYTES) {
		response_error(req, res, 414, "URI_TOO_LONG", "The query string is too long.", NULL);
		return;
	}
	int rc = input_parse_urlencoded(req->query, strlen(req->query), &input_default_limits, &req->query_fields);
	f = field_list_get(&req->query_fields, "lang");
	const struct field *c = field_list_get(&req->cookies, "lang");
	req->lang =
	    request_choose_lang(f ? f->value : NULL, c ? c->value : NULL, request_param(req, "HTTP_ACCEPT_LANGUAGE"));
	req->lang_from_query = f && strcmp(f->value, req->lang) == 0 && !(c && strcmp(c->value, req->lang) == 0);
	if (rc) {
		error_for_status(req, res, rc);
		return;
	}

	struct buf allow = BUF_INIT;
	enum route_match m = router_match(routes, routes_count, req->method, req->path, config.test_routes, &req->route,
	                                  req->path_params, &req->npath_params, &allow);
	if (m != ROUTE_FOUND) {
		if (m == ROUTE_WRONG_METHOD) {
			response_header(res, "Allow", buf_str(&allow));
			response_error(req, res, 405, "METHOD_NOT_ALLOWED", "This path does not answer that method.",
			               NULL);
		} else {
			response_error(req, res, 404, "NOT_FOUND", "Nothing is here.", NULL);
		}
		buf_free(&allow);
		return;
	}
	buf_free(&allow);
	/* Sessions arrive with the accounts; until then only guest routes can be served. */
	if (req->route->role != ROLE_GUEST) {
		response_error(req, res, 401, "NOT_AUTHENTICATED", "Log in first.", NULL);
		return;
	}

	const char *cl = request_param(req, "CONTENT_LENGTH");
	long long length = cl && *cl ? atoll(cl) : 0;
	if (length < 0 || (unsigned long long)length > config.max_body) {
		error_for_status(req, res, 413);
		return;
	}
	if (length > 0) {
		req->body = xmalloc((size_t)length + 1);
		if (read_body(fr->in, req->body, (size_t)length) < 0) {
			response_error(req, res, 400, "MALFORMED_REQUEST", "The request body ended early.", NULL);
			return;
		}
		req->body[length] = '\0';
		req->body_len = (size_t)length;
		if (route_takes_body(req->route) && (rc = parse_body(req)) != 0) {
			error_for_status(req, res, rc);
			return;
		}
	}

	req->inputs = xcalloc(req->route->ninputs, sizeof *req->inputs);
	json_object *errors = json_object_new_object();
	if (input_validate(req->route->inputs, req->route->ninputs, &req->query_fields, &req->body_fields, req->inputs,
	                   errors) > 0) {
		response_error(req, res, 422, "VALIDATION_FAILED", "Some fields are invalid.", errors);
		return;
	}
	json_object_put(errors);
	req->route->handler(req, res);
}

/* Writes the status line, the headers every answer carries, and the body. The headers are
 * built in our own buffer (libfcgi's printf knows no %zu) and written at once. */
static void send_response(FCGX_Request *fr, const struct request *req, const struct response *res)
{
	struct buf h = BUF_INIT;
	buf_printf(&h, "Status: %d %s\r\n", res->status, response_reason(res->status));
	buf_printf(&h, "Content-Type: %s\r\n", res->content_type ? res->content_type : "text/plain; charset=utf-8");
	buf_printf(&h, "Content-Length: %zu\r\n", res->body.len);
	buf_printf(&h, "X-Request-Id: %s\r\n", req->request_id);
	buf_puts(&h, "X-Content-Type-Options: nosniff\r\n"
	             "X-Frame-Options: DENY\r\n"
	             "Referrer-Policy: strict-origin-when-cross-origin\r\n"
	             "Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; "
	             "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'\r\n");
	/* Pages answer HTML or their view model as JSON by Accept: caches must keep both apart. */
	if (req->lang)
		buf_printf(&h, "Content-Language: %s\r\nVary: Accept, Accept-Language, Cookie\r\n", req->lang);
	if (req->lang_from_query)
		buf_printf(&h, "Set-Cookie: lang=%s; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly\r\n", req->lang);
	buf_append(&h, res->headers.data, res->headers.len);
	buf_puts(&h, "\r\n");
	FCGX_PutStr(h.data, (int)h.len, fr->out);
	if (strcmp(req->method, "HEAD") != 0 && res->body.len)
		FCGX_PutStr(res->body.data, (int)res->body.len, fr->out);
	buf_free(&h);
}

static void handle(FCGX_Request *fr)
{
	double started = now_seconds();
	char made_id[33];
	struct request req = {0};
	struct response res;
	response_init(&res);
	req.env = fr->envp;
	req.method = request_param(&req, "REQUEST_METHOD");
	req.path = request_param(&req, "DOCUMENT_URI");
	req.query = request_param(&req, "QUERY_STRING");
	req.content_type = request_param(&req, "CONTENT_TYPE");
	req.request_id = request_param(&req, "REQUEST_ID");
	if (!req.method)
		req.method = "GET";
	if (!req.path || req.path[0] != '/')
		req.path = "/";
	if (!req.query)
		req.query = "";
	if (!req.request_id || !*req.request_id || strlen(req.request_id) > 64) {
		make_request_id(made_id);
		req.request_id = made_id;
	}
	log_set_request_id(req.request_id);
	req.is_api = starts_with(req.path, "/api/");
	const char *accept = request_param(&req, "HTTP_ACCEPT");
	req.wants_json = req.is_api || media_type_is(accept, "application/json");
	req.lang = "ko";
	input_parse_cookies(request_param(&req, "HTTP_COOKIE"), &req.cookies);

	dispatch(fr, &req, &res);
	send_response(fr, &req, &res);
	const char *cl = request_param(&req, "CONTENT_LENGTH");
	if (!req.body && cl && atoll(cl) > 0)
		fr->keepConnection = 0; /* an unread body must not be taken for the next request */

	double took = now_seconds() - started;
	metrics_request(req.route ? routes_index(req.route) : routes_count, res.status, took);
	if (res.status >= 500)
		log_error("%s %s answered %d", req.method, req.path, res.status);
	if (took > 1.0)
		log_warn("slow request: %s %s took %.3f s", req.method, req.path, took);
	response_free(&res);
	request_free(&req);
	log_set_request_id(NULL);
}

int worker_run(int listen_fd, int ready_fd)
{
	char err[512];
	log_set_role("worker");
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* SIGTERM stays blocked while a request is served, so it is never cut short; it is let in
	 * only while waiting for the next request (in ppoll). */
	sigset_t blocked, waiting;
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGINT);
	sigprocmask(SIG_SETMASK, &blocked, &waiting);
	sigdelset(&waiting, SIGTERM);
	sigdelset(&waiting, SIGINT);

	if (view_init(config.data_dir, config.dist_dir, err, sizeof err) < 0) {
		log_error("cannot start: %s", err);
		return 1;
	}
	db_on_reconnect = metrics_db_reconnect;
	FCGX_Init();
	FCGX_Request fr;
	FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	if (write(ready_fd, "r", 1) != 1)
		log_warn("could not tell the master we are ready");
	close(ready_fd);

	long served = 0;
	while (!stop_requested && served < config.max_requests) {
		/* Wait for a new connection, or for the next request on a kept-alive one. */
		struct pollfd p = {fr.ipcFd >= 0 ? fr.ipcFd : listen_fd, POLLIN, 0};
		int n = ppoll(&p, 1, NULL, &waiting);
		if (n <= 0 || stop_requested)
			continue;
		int rc = FCGX_Accept_r(&fr);
		if (rc < 0) {
			/* Another worker took the connection (EAGAIN), or nginx closed a kept one. */
			if (rc != -EAGAIN && rc != -EWOULDBLOCK && rc != -EINTR)
				log_warn("accept failed: %d", rc);
			continue;
		}
		handle(&fr);
		FCGX_Finish_r(&fr);
		served++;
	}
	FCGX_Free(&fr, 1);
	db_close();
	view_free();
	return 0;
}
