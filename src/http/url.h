/* Building links: query parameters appended with their values percent-encoded, so a link
 * carries what the shopper typed (q=청바지 & 바지) without breaking or injecting anything. */
#ifndef LONUA_HTTP_URL_H
#define LONUA_HTTP_URL_H

struct buf;

/* Appends "?name=value" to b, or "&name=value" when b already holds a '?'. Every byte of value
 * but the unreserved ones of RFC 3986 (A-Z a-z 0-9 - . _ ~) is percent-encoded; name is ours and
 * appended as it is. */
void url_add_param(struct buf *b, const char *name, const char *value);

/* The same for an integer value. */
void url_add_int(struct buf *b, const char *name, long long value);

#endif
