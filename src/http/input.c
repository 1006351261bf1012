/* Request input: every source (query string, urlencoded and multipart forms, JSON bodies,
 * cookies) parsed into raw fields, and the declared parameters of a route validated into
 * typed values. Everything here faces the network: no parser trusts a length, a terminator
 * or a count it did not check, and each one is linear in its input. */
#include "http/input.h"
#include "http/input_parse.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

const struct input_limits input_default_limits = {
    .max_fields = 200,
    .max_name_len = 128,
    .max_part_headers = 8192,
    .max_json_depth = 16,
};

const struct input_limits *input_limits_or_default(const struct input_limits *lim)
{
	return lim ? lim : &input_default_limits;
}

/* ---- field lists ------------------------------------------------------------------------ */

/* Appends a field (name and value copied, NUL-terminated) and returns it, so that callers
 * can fill in the kind-specific members. */
struct field *input_field_push(struct field_list *l, const char *name, size_t name_len, const char *value,
                               size_t value_len, enum field_kind kind)
{
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		l->items = xrealloc(l->items, cap * sizeof *l->items);
		l->cap = cap;
	}
	struct field *f = &l->items[l->count++];
	f->name = xstrndup(name ? name : "", name ? name_len : 0);
	f->value = xstrndup(value ? value : "", value ? value_len : 0);
	f->len = value ? value_len : 0;
	f->kind = kind;
	f->filename = NULL;
	f->content_type = NULL;
	f->json = NULL;
	return f;
}

void field_list_add(struct field_list *l, const char *name, size_t name_len, const char *value, size_t value_len,
                    enum field_kind kind)
{
	input_field_push(l, name, name_len, value, value_len, kind);
}

const struct field *field_list_get(const struct field_list *l, const char *name)
{
	if (!l || !name)
		return NULL;
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

void field_list_free(struct field_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		struct field *f = &l->items[i];
		free(f->name);
		free(f->value);
		free(f->filename);
		free(f->content_type);
		if (f->json)
			json_object_put(f->json);
	}
	free(l->items);
	l->items = NULL;
	l->count = l->cap = 0;
}

/* ---- urlencoded ------------------------------------------------------------------------- */

int input_hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends s[0..len) to out with '+' as a space and %XX decoded. Returns false on a '%'
 * not followed by two hex digits. */
static bool url_decode(const char *s, size_t len, struct buf *out)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '+' && s[i] != '%')
			continue;
		buf_append(out, s + start, i - start);
		if (s[i] == '+') {
			buf_putc(out, ' ');
		} else {
			int h, l;
			if (len - i < 3 || (h = input_hex_value((unsigned char)s[i + 1])) < 0 ||
			    (l = input_hex_value((unsigned char)s[i + 2])) < 0)
				return false;
			buf_putc(out, (char)(h * 16 + l));
			i += 2;
		}
		start = i + 1;
	}
	buf_append(out, s + start, len - start);
	return true;
}

int input_parse_urlencoded(const char *s, size_t len, const struct input_limits *lim, struct field_list *out)
{
	struct buf name = BUF_INIT, value = BUF_INIT;
	size_t added = 0, i = 0;
	int rc = 0;

	lim = input_limits_or_default(lim);
	while (i < len) {
		const char *pair = s + i;
		const char *amp = memchr(pair, '&', len - i);
		size_t plen = amp ? (size_t)(amp - pair) : len - i;
		i += plen + 1;

		const char *eq = memchr(pair, '=', plen);
		size_t nlen = eq ? (size_t)(eq - pair) : plen;
		/* "&&" and "=x": no route can declare an empty name, so there is nothing to keep */
		if (nlen == 0)
			continue;
		if (added == lim->max_fields) {
			rc = 413;
			break;
		}
		buf_reset(&name);
		buf_reset(&value);
		if (!url_decode(pair, nlen, &name) || (eq && !url_decode(eq + 1, plen - nlen - 1, &value))) {
			rc = 400;
			break;
		}
		/* A name with a NUL byte would match a shorter declared name: refuse the smuggling. */
		if (name.len > lim->max_name_len || memchr(buf_str(&name), '\0', name.len)) {
			rc = 400;
			break;
		}
		input_field_push(out, buf_str(&name), name.len, buf_str(&value), value.len, FIELD_TEXT);
		added++;
	}
	buf_free(&name);
	buf_free(&value);
	return rc;
}

/* ---- cookies ---------------------------------------------------------------------------- */

/* Appends the cookie in p[0..n) ("name=value", maybe with blanks and a quoted value).
 * Returns false, adding nothing, when it is malformed. */
static bool cookie_pair(const char *p, size_t n, struct field_list *out)
{
	const char *end = p + n;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	const char *eq = memchr(p, '=', (size_t)(end - p));
	if (!eq)
		return false;
	const char *nend = eq;
	while (nend > p && (nend[-1] == ' ' || nend[-1] == '\t'))
		nend--;
	if (nend == p || (size_t)(nend - p) > input_default_limits.max_name_len)
		return false;
	for (const char *q = p; q < nend; q++)
		if (!input_is_tchar((unsigned char)*q))
			return false;
	const char *v = eq + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	if (end - v >= 2 && *v == '"' && end[-1] == '"') {
		v++;
		end--;
	}
	for (const char *q = v; q < end; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7F)
			return false;
	input_field_push(out, p, (size_t)(nend - p), v, (size_t)(end - v), FIELD_TEXT);
	return true;
}

void input_parse_cookies(const char *header, struct field_list *out)
{
	size_t added = 0;
	if (!header)
		return;
	for (const char *p = header; *p && added < input_default_limits.max_fields;) {
		const char *semi = strchr(p, ';');
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		if (cookie_pair(p, n, out))
			added++;
		p += n;
		if (*p)
			p++;
	}
}
