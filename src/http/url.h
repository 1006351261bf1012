/* Building links: query parameters appended with their values percent-encoded, so a link
 * carries what the shopper typed (q=청바지 & 바지) without breaking or injecting anything. */
#ifndef LONUA_HTTP_URL_H
#define LONUA_HTTP_URL_H

#include <stdbool.h>

struct buf;

/* Appends "?name=value" to b, or "&name=value" when b already holds a '?'. Every byte of value
 * but the unreserved ones of RFC 3986 (A-Z a-z 0-9 - . _ ~) is percent-encoded; name is ours and
 * appended as it is. */
void url_add_param(struct buf *b, const char *name, const char *value);

/* The same for an integer value. */
void url_add_int(struct buf *b, const char *name, long long value);

/* Appends a request path as a link may carry it: every byte but the unreserved ones and '/'
 * percent-encoded (so "/\\evil.example" or a tab cannot make a link to another host), or just "/"
 * when path does not start with a single '/' or is not valid UTF-8. */
void url_add_path(struct buf *b, const char *path);

/* True when s is a path on this site that a redirect may go to after login: it starts with one
 * '/' (not "//" nor "/\\"), holds no blank, control character or backslash, and is at most 500
 * bytes. Anything else (another host) must not be followed. */
bool url_is_local_path(const char *s);

#endif
