/* Outbound HTTP with libcurl, the one way the program calls other services (Kakao, webhooks):
 * connect and total timeouts from configuration, no redirects followed, the body kept in memory up
 * to a limit. Bodies from elsewhere are untrusted: callers check the status and parse with care. */
#ifndef LONUA_NET_HTTP_CLIENT_H
#define LONUA_NET_HTTP_CLIENT_H

#include "util/buf.h"
#include "util/status.h"

/* Answers larger than this are cut off (an error). */
#define HTTP_CLIENT_MAX_BODY (1 << 20)

struct http_reply {
	long status;     /* the HTTP status, 0 when there was no answer */
	struct buf body; /* free with buf_free */
	char error[160]; /* what went wrong, for the log (never holds a secret) */
};

/* Sends method (GET or POST) to url. body (may be NULL) goes with content_type; bearer (may be
 * NULL) becomes `Authorization: Bearer …`. ST_OK when an answer came (whatever its status),
 * ST_UNAVAILABLE when none did (cannot connect, timed out, too large). */
enum status http_client_request(const char *method, const char *url, const char *content_type, const char *body,
                                const char *bearer, struct http_reply *out);

#endif
