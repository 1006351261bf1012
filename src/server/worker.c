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

#include "auth/cart_owner.h"
#include "db/db.h"
#include "http/compress.h"
#include "http/request.h"
#include "http/response.h"
#include "handlers/routes.h"
#include "server/fcgi_reply.h"
#include "server/metrics.h"
#include "server/pipeline.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"
#include "view/view.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* A request id for requests that did not come through nginx (nginx sends $request_id). */
static void make_request_id(char out[33])
{
	static unsigned long long counter;
	unsigned long long a = (unsigned long long)getpid() << 32 ^ (unsigned long long)time(NULL);
	snprintf(out, 33, "%016llx%016llx", a, ++counter);
}

/* The pipeline's body reader over libfcgi's input stream. */
static long read_fcgi_body(void *ctx, char *buf, size_t len)
{
	int want = len > (1 << 20) ? (1 << 20) : (int)len;
	int n = FCGX_GetStr(buf, want, (FCGX_Stream *)ctx);
	return n < 0 ? -1 : n;
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* True when an Accept header asks for JSON first (a page's view model). */
static bool accepts_json(const char *accept)
{
	size_t n = strlen("application/json");
	if (!accept || strncasecmp(accept, "application/json", n) != 0)
		return false;
	const char *rest = accept + n;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	return *rest == '\0' || *rest == ';' || *rest == ',';
}

/* True when nginx may give this answer to every guest for a while (its micro-cache, see
 * nginx/lonua-common.conf): a GET of a route declared shared, for a guest without a session or a
 * cart, that shows or sets nothing of one visitor (no CSRF token, no cookie); for
 * LONUA_PAGE_CACHE_SECONDS (0: never). Answers below 500 are shared too: a brand closed or a filter
 * refused is the same for every guest, and a 404 must replace the page it was (nginx serves a stale
 * page while it refreshes it, until a new answer is stored); a 5xx is not, so nginx goes on serving
 * the last good page while the database is away. */
static bool shared_answer(const struct request *req, const struct response *res)
{
	return config.page_cache_seconds > 0 && res->status < 500 && req->route && (req->route->flags & ROUTE_SHARED) &&
	       !req->session && !res->personal && !req->lang_from_query && !request_cookie(req, CART_COOKIE_NAME) &&
	       (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0);
}

/* Writes the status line, the headers every answer carries, and the body, in one write
 * (server/fcgi_reply.c). */
static void send_response(FCGX_Request *fr, const struct request *req, const struct response *res)
{
	struct buf h = BUF_INIT, zipped = BUF_INIT;
	const char *body = res->body.data;
	size_t len = res->body.len;
	/* Pages and JSON go out compressed to clients that accept gzip (nginx leaves an answer that has
	 * a Content-Encoding alone, and its micro-cache keys on gzip or not: $lonua_gzip). */
	bool compressible = res->status != 204 && compress_type(res->content_type);
	bool gzipped = compressible && len >= COMPRESS_MIN_BYTES &&
	               compress_accepted(request_param(req, "HTTP_ACCEPT_ENCODING")) &&
	               compress_gzip(res->body.data, res->body.len, &zipped) == 0;
	if (gzipped) {
		body = zipped.data;
		len = zipped.len;
	}
	buf_printf(&h, "Status: %d %s\r\n", res->status, response_reason(res->status));
	if (res->status != 204) {
		buf_printf(&h, "Content-Type: %s\r\n",
		           res->content_type ? res->content_type : "text/plain; charset=utf-8");
		buf_printf(&h, "Content-Length: %zu\r\n", len);
	}
	if (gzipped) /* nginx adds Vary: Accept-Encoding (gzip_vary) */
		buf_puts(&h, "Content-Encoding: gzip\r\n");
	buf_printf(&h, "X-Request-Id: %s\r\n", req->request_id);
	buf_puts(&h, "X-Content-Type-Options: nosniff\r\n"
	             "X-Frame-Options: DENY\r\n"
	             "Referrer-Policy: strict-origin-when-cross-origin\r\n");
	buf_printf(&h, "Content-Security-Policy: %s\r\n",
	           res->csp ? res->csp
	                    : "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
	                      "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
	/* An answer for one account (or one that sets a cookie) is never kept by a shared cache. The
	 * lang cookie a ?lang= link sets is written below, outside the response: a cache that kept
	 * such a page would hand that cookie to everyone. */
	if (res->personal || req->lang_from_query)
		buf_puts(&h, "Cache-Control: private, no-store\r\n");
	else if (shared_answer(req, res)) /* for nginx only: it never passes X-Accel-* on */
		buf_printf(&h, "X-Accel-Expires: %d\r\n", config.page_cache_seconds);
	/* Pages answer HTML or their view model as JSON by Accept: caches must keep both apart. */
	if (req->lang)
		buf_printf(&h, "Content-Language: %s\r\nVary: Accept, Accept-Language, Cookie\r\n", req->lang);
	if (req->lang_from_query)
		buf_printf(&h, "Set-Cookie: lang=%s; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly\r\n", req->lang);
	buf_append(&h, res->headers.data, res->headers.len);
	buf_puts(&h, "\r\n");
	if (strcmp(req->method, "HEAD") == 0 || res->status == 204)
		len = 0;
	fcgi_reply(fr, h.data, h.len, body, len);
	buf_free(&h);
	buf_free(&zipped);
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
	req.read_body = read_fcgi_body;
	req.body_ctx = fr->in;
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
	req.wants_json = req.is_api || accepts_json(request_param(&req, "HTTP_ACCEPT"));
	const char *https = request_param(&req, "HTTPS");
	req.https = https && strcasecmp(https, "on") == 0;
	req.lang = "ko";

	pipeline_run(&req, &res);
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
