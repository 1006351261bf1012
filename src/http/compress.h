/* Compressing answers for clients that accept gzip. The workers compress their own pages and JSON
 * (rather than nginx) so that nginx's micro-cache keeps a page compressed once, not once per hit,
 * and so that the work spreads over the workers instead of nginx's one process. */
#ifndef LONUA_HTTP_COMPRESS_H
#define LONUA_HTTP_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* The fastest level: measured on a 37 KB listing, level 1 keeps 80 % of level 9's saving for a
 * third of level 5's CPU (docs/performance.md). The compressor is libdeflate's: on a 40 KB page it
 * takes 62 µs where zlib took 153 (zlib sets up 256 KB of state for every stream), and its
 * output is 4 % smaller. */
#define COMPRESS_LEVEL 1
/* Smaller answers are sent as they are (nginx's gzip_min_length is the same). */
#define COMPRESS_MIN_BYTES 256

/* True when an Accept-Encoding header value lists gzip with a quality above 0 ("gzip, deflate, br",
 * "gzip;q=0.8"); false for NULL, "identity", "gzip;q=0". */
bool compress_accepted(const char *accept_encoding);

/* True for the media types worth compressing: HTML, JSON and problem+JSON, text. */
bool compress_type(const char *content_type);

/* Appends data (n bytes) to out as a gzip stream at COMPRESS_LEVEL, with the process's one
 * compressor (made at the first call). Returns 0, or -1 (out is then as it was) when it fails. */
int compress_gzip(const char *data, size_t n, struct buf *out);

#endif
