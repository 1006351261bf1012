#include "http/url.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

void url_add_param(struct buf *b, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_putc(b, b->data && memchr(b->data, '?', b->len) ? '&' : '?');
	buf_puts(b, name);
	buf_putc(b, '=');
	for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
		if (unreserved(*c)) {
			buf_putc(b, (char)*c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*c >> 4]);
			buf_putc(b, hex[*c & 15]);
		}
	}
}

void url_add_int(struct buf *b, const char *name, long long value)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", value);
	url_add_param(b, name, s);
}
