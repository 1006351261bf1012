#include "http/compress.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

/* Skips spaces and tabs. */
static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

bool compress_accepted(const char *accept_encoding)
{
	const char *s = accept_encoding;
	while (s && *s) {
		s = skip_blanks(s);
		size_t n = strcspn(s, ",;");
		size_t name = n;
		while (name > 0 && (s[name - 1] == ' ' || s[name - 1] == '\t'))
			name--;
		bool gzip = name == 4 && strncasecmp(s, "gzip", 4) == 0;
		s += n;
		double q = 1.0;
		while (*s == ';') { /* parameters: only q counts */
			s = skip_blanks(s + 1);
			if ((s[0] == 'q' || s[0] == 'Q') && s[1] == '=')
				q = strtod(s + 2, NULL);
			s += strcspn(s, ",;");
		}
		if (gzip)
			return q > 0.0;
		if (*s == ',')
			s++;
	}
	return false;
}

bool compress_type(const char *content_type)
{
	static const char *const types[] = {"text/", "application/json", "application/problem+json"};
	if (!content_type)
		return false;
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strncasecmp(content_type, types[i], strlen(types[i])) == 0)
			return true;
	return false;
}

int compress_gzip(const char *data, size_t n, struct buf *out)
{
	z_stream z = {0};
	/* windowBits 15 + 16: a gzip header and trailer around the deflate stream */
	if (deflateInit2(&z, COMPRESS_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	size_t before = out->len, bound = deflateBound(&z, (uLong)n) + 32;
	buf_reserve(out, bound);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->data + before;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	size_t made = bound - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		out->len = before;
		return -1;
	}
	out->len = before + made;
	out->data[out->len] = '\0';
	return 0;
}
