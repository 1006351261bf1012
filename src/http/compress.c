#include "http/compress.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libdeflate.h>

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
	static struct libdeflate_compressor *compressor; /* one per process: a worker serves one request at a time */
	if (!compressor && !(compressor = libdeflate_alloc_compressor(COMPRESS_LEVEL)))
		return -1;
	size_t before = out->len, bound = libdeflate_gzip_compress_bound(compressor, n);
	buf_reserve(out, bound);
	size_t made = libdeflate_gzip_compress(compressor, data, n, out->data + before, bound);
	if (made == 0) {
		out->len = before;
		return -1;
	}
	out->len = before + made;
	out->data[out->len] = '\0';
	return 0;
}
