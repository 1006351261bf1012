#include "http/url.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "http/input.h"
#include "util/buf.h"

static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

/* Appends s with every byte but the unreserved ones (and '/' when keep_slash) as %XX. */
static void encode(struct buf *b, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (unreserved(*c) || (keep_slash && *c == '/')) {
			buf_putc(b, (char)*c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*c >> 4]);
			buf_putc(b, hex[*c & 15]);
		}
	}
}

void url_add_param(struct buf *b, const char *name, const char *value)
{
	buf_putc(b, b->data && memchr(b->data, '?', b->len) ? '&' : '?');
	buf_puts(b, name);
	buf_putc(b, '=');
	encode(b, value, false);
}

void url_add_path(struct buf *b, const char *path)
{
	if (!path || path[0] != '/' || path[1] == '/' || !utf8_valid(path, strlen(path))) {
		buf_putc(b, '/');
		return;
	}
	encode(b, path, true);
}

bool url_is_local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return false;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x21 || *c == 0x7F || *c == '\\')
			return false;
	return strlen(s) <= 500;
}

void url_add_int(struct buf *b, const char *name, long long value)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", value);
	url_add_param(b, name, s);
}
