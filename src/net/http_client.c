#include "net/http_client.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "util/config.h"

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	if (b->len + size * n > HTTP_CLIENT_MAX_BODY)
		return 0; /* libcurl then fails the transfer */
	buf_append(b, data, size * n);
	return size * n;
}

enum status http_client_request(const char *method, const char *url, const char *content_type, const char *body,
                                const char *bearer, struct http_reply *out)
{
	memset(out, 0, sizeof *out);
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(out->error, sizeof out->error, "curl_easy_init failed");
		return ST_ERROR;
	}
	struct curl_slist *headers = NULL;
	char line[2048];
	if (content_type) {
		snprintf(line, sizeof line, "Content-Type: %s", content_type);
		headers = curl_slist_append(headers, line);
	}
	if (bearer) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", bearer);
		headers = curl_slist_append(headers, line);
	}
	headers = curl_slist_append(headers, "Accept: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, config.http_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, config.http_timeout_ms);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "lonua");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
	}
	CURLcode rc = curl_easy_perform(c);
	enum status st = ST_OK;
	if (rc != CURLE_OK) {
		/* curl's own text names the host and the failure, never our headers or body. */
		snprintf(out->error, sizeof out->error, "%s", curl_easy_strerror(rc));
		st = ST_UNAVAILABLE;
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return st;
}
