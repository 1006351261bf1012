/* Request input: every source (query string, urlencoded and multipart forms, JSON bodies,
 * cookies) parsed into raw fields, and the declared parameters of a route validated into
 * typed values. Everything here faces the network: no parser trusts a length, a terminator
 * or a count it did not check, and each one is linear in its input. */
#include "http/input.h"

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

/* RFC 2046: a boundary is 1 to 70 characters. */
#define MULTIPART_MAX_BOUNDARY 70
/* The JSON checker recurses once per nesting level: whatever a caller puts in its limits,
 * the stack stays small. */
#define JSON_DEPTH_CEILING 256
/* Default and ceiling of a STRING's length in code points when the spec gives no maximum. */
#define STRING_DEFAULT_MAX 1000

static const struct input_limits *limits_or_default(const struct input_limits *lim)
{
	return lim ? lim : &input_default_limits;
}

/* ---- field lists ------------------------------------------------------------------------ */

/* Appends a field (name and value copied, NUL-terminated) and returns it, so that callers
 * can fill in the kind-specific members. */
static struct field *field_push(struct field_list *l, const char *name, size_t name_len, const char *value,
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
	field_push(l, name, name_len, value, value_len, kind);
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

/* ---- UTF-8 ------------------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at s, of which n > 0 bytes are available, or 0
 * when it is ill-formed (Unicode table 3-7: no overlongs, no surrogates, nothing above
 * U+10FFFF, no truncated sequence). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	unsigned lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c < 0xC2) /* a stray continuation byte, or an overlong two-byte form */
		return 0;
	if (c < 0xE0)
		return n >= 2 && s[1] >= 0x80 && s[1] <= 0xBF ? 2 : 0;
	if (c < 0xF0) {
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* UTF-16 surrogates */
		if (n < 3 || s[1] < lo || s[1] > hi || s[2] < 0x80 || s[2] > 0xBF)
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
		if (n < 4 || s[1] < lo || s[1] > hi || s[2] < 0x80 || s[2] > 0xBF || s[3] < 0x80 || s[3] > 0xBF)
			return 0;
		return 4;
	}
	return 0;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) { /* the common case, without the call */
			i++;
			continue;
		}
		size_t n = utf8_seq(p + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* Every code point has exactly one byte that is not a continuation byte. */
size_t utf8_length(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* ---- urlencoded ------------------------------------------------------------------------- */

static int hex_value(unsigned char c)
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
			if (len - i < 3 || (h = hex_value((unsigned char)s[i + 1])) < 0 ||
			    (l = hex_value((unsigned char)s[i + 2])) < 0)
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

	lim = limits_or_default(lim);
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
		field_push(out, buf_str(&name), name.len, buf_str(&value), value.len, FIELD_TEXT);
		added++;
	}
	buf_free(&name);
	buf_free(&value);
	return rc;
}

/* ---- header values (Content-Type, Content-Disposition) ---------------------------------- */

/* RFC 9110 token characters. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* The part of a header value still to read. */
struct hval {
	const char *p, *end;
};

static void hval_skip_ows(struct hval *h)
{
	while (h->p < h->end && (*h->p == ' ' || *h->p == '\t'))
		h->p++;
}

/* Reads a token; returns its length (0 when there is none). */
static size_t hval_token(struct hval *h, const char **tok)
{
	*tok = h->p;
	while (h->p < h->end && is_tchar((unsigned char)*h->p))
		h->p++;
	return (size_t)(h->p - *tok);
}

/* Reads the next `; name=value` parameter: name points into the header, the value (unquoted)
 * goes to value. Returns 1 when one was read, 0 at the end, -1 when malformed.
 * In a quoted string only \" and \\ are escapes: browsers send other backslashes as they are
 * (a Windows path in a filename), and percent-encode the quote itself (HTML's form rules). */
static int hval_param(struct hval *h, const char **name, size_t *name_len, struct buf *value)
{
	hval_skip_ows(h);
	if (h->p == h->end)
		return 0;
	if (*h->p != ';')
		return -1;
	h->p++;
	hval_skip_ows(h);
	if (h->p == h->end) /* a trailing ';' */
		return 0;
	*name_len = hval_token(h, name);
	if (*name_len == 0)
		return -1;
	hval_skip_ows(h);
	if (h->p == h->end || *h->p != '=')
		return -1;
	h->p++;
	hval_skip_ows(h);
	buf_reset(value);
	buf_append(value, "", 0); /* so that value->data is never NULL */
	if (h->p < h->end && *h->p == '"') {
		h->p++;
		for (;;) {
			if (h->p == h->end)
				return -1;
			char c = *h->p++;
			if (c == '"')
				break;
			if (c == '\\' && h->p < h->end && (*h->p == '"' || *h->p == '\\'))
				c = *h->p++;
			buf_putc(value, c);
		}
	} else {
		const char *v = h->p;
		while (h->p < h->end && *h->p != ';' && *h->p != ' ' && *h->p != '\t' && *h->p != '"')
			h->p++;
		buf_append(value, v, (size_t)(h->p - v));
	}
	return 1;
}

/* ---- multipart/form-data ---------------------------------------------------------------- */

/* RFC 2046 bchars, the characters a boundary may use (a space, but not at the end). */
static bool boundary_valid(const char *b, size_t len)
{
	if (len == 0 || len > MULTIPART_MAX_BOUNDARY || b[len - 1] == ' ')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)b[i];
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if (c == '\0' || !strchr("'()+_,-./:=? ", c))
			return false;
	}
	return true;
}

/* Reads the boundary of a multipart/form-data Content-Type into out (room for
 * MULTIPART_MAX_BOUNDARY + 1 bytes). Returns its length, or 0 when the type is another one,
 * or the boundary is missing, repeated or invalid. */
static size_t multipart_boundary(const char *content_type, char *out)
{
	struct hval h = {content_type, content_type + strlen(content_type)};
	struct buf value = BUF_INIT;
	const char *tok, *name;
	size_t tlen, nlen, blen = 0;
	bool seen = false, ok = true;
	int r;

	hval_skip_ows(&h);
	/* "multipart/form-data" is token "/" token */
	tlen = hval_token(&h, &tok);
	if (tlen != 9 || strncasecmp(tok, "multipart", 9) != 0 || h.p == h.end || *h.p != '/')
		return 0;
	h.p++;
	tlen = hval_token(&h, &tok);
	if (tlen != 9 || strncasecmp(tok, "form-data", 9) != 0)
		return 0;
	while ((r = hval_param(&h, &name, &nlen, &value)) == 1) {
		if (nlen != 8 || strncasecmp(name, "boundary", 8) != 0)
			continue;
		if (seen || !boundary_valid(value.data, value.len)) {
			ok = false;
			break;
		}
		seen = true;
		blen = value.len;
		memcpy(out, value.data, blen);
		out[blen] = '\0';
	}
	buf_free(&value);
	return ok && r == 0 && seen ? blen : 0;
}

/* What the headers of one part said. */
struct part_info {
	struct buf name, filename, ctype;
	bool has_disposition, has_name, has_filename, has_ctype;
};

/* Reads a Content-Disposition value: "form-data" with name and filename parameters (other
 * parameters, such as RFC 5987's filename*, which RFC 7578 forbids, are ignored).
 * Returns 0 or 400. */
static int part_disposition(const char *v, size_t len, struct part_info *pi)
{
	struct hval h = {v, v + len};
	struct buf value = BUF_INIT;
	const char *tok, *name;
	size_t tlen, nlen;
	int r, rc = 0;

	tlen = hval_token(&h, &tok);
	if (tlen != 9 || strncasecmp(tok, "form-data", 9) != 0)
		return 400;
	while ((r = hval_param(&h, &name, &nlen, &value)) == 1) {
		struct buf *dst;
		bool *has;
		if (nlen == 4 && strncasecmp(name, "name", 4) == 0) {
			dst = &pi->name;
			has = &pi->has_name;
		} else if (nlen == 8 && strncasecmp(name, "filename", 8) == 0) {
			dst = &pi->filename;
			has = &pi->has_filename;
		} else {
			continue;
		}
		if (*has) { /* two names for one part: nothing sane to pick */
			rc = 400;
			break;
		}
		*has = true;
		buf_append(dst, value.data, value.len);
	}
	if (r < 0)
		rc = 400;
	buf_free(&value);
	return rc;
}

/* Parses the header block of one part, h[0..len), every line ending in CRLF.
 * Returns 0 or 400. */
static int part_headers(const char *h, size_t len, struct part_info *pi)
{
	const char *p = h, *end = h + len;
	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (!eol)
			return 400;
		const char *colon = NULL;
		/* No NUL, bare CR or LF or other control character in a header, and no obs-fold. */
		if (p[0] == ' ' || p[0] == '\t')
			return 400;
		for (const char *q = p; q < eol; q++) {
			unsigned char c = (unsigned char)*q;
			if ((c < 0x20 && c != '\t') || c == 0x7F)
				return 400;
			if (c == ':' && !colon)
				colon = q;
		}
		if (!colon || colon == p)
			return 400;
		for (const char *q = p; q < colon; q++)
			if (!is_tchar((unsigned char)*q))
				return 400;
		size_t nlen = (size_t)(colon - p);
		const char *v = colon + 1, *vend = eol;
		while (v < vend && (*v == ' ' || *v == '\t'))
			v++;
		while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
			vend--;
		if (nlen == 19 && strncasecmp(p, "Content-Disposition", 19) == 0) {
			if (pi->has_disposition || part_disposition(v, (size_t)(vend - v), pi) != 0)
				return 400;
			pi->has_disposition = true;
		} else if (nlen == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
			if (pi->has_ctype)
				return 400;
			pi->has_ctype = true;
			buf_append(&pi->ctype, v, (size_t)(vend - v));
		}
		p = eol + 2;
	}
	return 0;
}

static void part_info_free(struct part_info *pi)
{
	buf_free(&pi->name);
	buf_free(&pi->filename);
	buf_free(&pi->ctype);
}

/* Parses one part whose headers start at p (just after the delimiter line) and appends its
 * field. *next is set to the byte after the "--boundary" that ends it.
 * Returns 0, 400 or 413. */
static int multipart_part(const char *p, const char *end, const char *delim, size_t dlen,
                          const struct input_limits *lim, struct field_list *out, const char **next)
{
	struct part_info pi = {BUF_INIT, BUF_INIT, BUF_INIT, false, false, false, false};
	size_t avail = (size_t)(end - p), hlen;
	const char *body;
	int rc = 0;

	if (avail >= 2 && p[0] == '\r' && p[1] == '\n') {
		hlen = 0; /* no headers at all: caught below as a missing Content-Disposition */
		body = p + 2;
	} else {
		/* Look for the blank line only within the allowed header size, so that a part
		 * that never ends its headers costs max_part_headers, not the whole body. */
		size_t window = avail;
		if (window > lim->max_part_headers + 4)
			window = lim->max_part_headers + 4;
		const char *blank = memmem(p, window, "\r\n\r\n", 4);
		if (!blank)
			return avail > lim->max_part_headers ? 413 : 400;
		hlen = (size_t)(blank - p) + 2;
		if (hlen > lim->max_part_headers)
			return 413;
		body = blank + 4;
	}
	if ((rc = part_headers(p, hlen, &pi)) != 0)
		goto out;
	if (!pi.has_disposition || !pi.has_name || pi.name.len == 0 || pi.name.len > lim->max_name_len) {
		rc = 400;
		goto out;
	}
	/* The CRLF before the next delimiter belongs to the delimiter, not to the content. */
	const char *stop = memmem(body, (size_t)(end - body), delim, dlen);
	if (!stop) { /* no closing boundary: a truncated body */
		rc = 400;
		goto out;
	}
	struct field *f = field_push(out, pi.name.data, pi.name.len, body, (size_t)(stop - body),
	                             pi.has_filename ? FIELD_FILE : FIELD_TEXT);
	if (pi.has_filename) {
		f->filename = xstrndup(buf_str(&pi.filename), pi.filename.len);
		/* RFC 7578 4.4: a file part without a Content-Type is application/octet-stream. */
		f->content_type =
		    pi.has_ctype ? xstrndup(buf_str(&pi.ctype), pi.ctype.len) : xstrdup("application/octet-stream");
	}
	*next = stop + dlen;
out:
	part_info_free(&pi);
	return rc;
}

int input_parse_multipart(const char *content_type, const char *body, size_t len, const struct input_limits *lim,
                          struct field_list *out)
{
	char boundary[MULTIPART_MAX_BOUNDARY + 1];
	char delim[MULTIPART_MAX_BOUNDARY + 4]; /* CRLF "--" boundary */
	size_t blen, dlen, nparts = 0;
	const char *p, *end;

	lim = limits_or_default(lim);
	if (!content_type || (blen = multipart_boundary(content_type, boundary)) == 0)
		return 400;
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	dlen = blen + 4;
	if (!body || len == 0)
		return 400;
	end = body + len;

	/* The first delimiter may open the body, or end a preamble (which is ignored). */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		p = body + dlen - 2;
	} else {
		const char *d = memmem(body, len, delim, dlen);
		if (!d)
			return 400;
		p = d + dlen;
	}
	for (;;) {
		/* After a delimiter: "--" closes the body (the epilogue is ignored), otherwise
		 * optional transport padding and CRLF open the next part. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return 400;
		p += 2;
		/* Counted before any work, so that 10,000 tiny parts are refused after max_fields. */
		if (nparts == lim->max_fields)
			return 413;
		int rc = multipart_part(p, end, delim, dlen, lim, out, &p);
		if (rc)
			return rc;
		nparts++;
	}
}

/* ---- JSON ------------------------------------------------------------------------------- */

/* json-c is lenient where the web must not be: in strict mode 0.16 still takes NaN, 1.,
 * single-quoted names, encoded surrogates, overlong and above-U+10FFFF UTF-8, and it clamps
 * integers it cannot hold, losing their text. So a strict RFC 8259 checker reads the body
 * first (grammar, UTF-8, depth, member count) and notes where each top-level value is; json-c
 * then builds the objects from input that is known good. */

/* Where one member of the top-level object has its value in the body. */
struct json_member {
	size_t start, len;
};

struct json_check {
	const unsigned char *s;
	size_t len, pos;
	size_t max_depth, max_members;
	struct json_member *members;
	size_t nmembers, cap;
	int status; /* 413 when the checker refused for size, else a failure is 400 */
};

static void jc_ws(struct json_check *j)
{
	while (j->pos < j->len) {
		unsigned char c = j->s[j->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		j->pos++;
	}
}

/* The value of four hex digits at s[at..], or -1. */
static long jc_hex4(const struct json_check *j, size_t at)
{
	long v = 0;
	if (at > j->len || j->len - at < 4)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		int h = hex_value(j->s[at + i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Checks the string starting at the '"' under pos; true when well-formed. Escapes must pair
 * surrogates properly; a member name may not hold \u0000 (json-c would cut the name there). */
static bool jc_string(struct json_check *j, bool is_name)
{
	j->pos++;
	for (;;) {
		if (j->pos >= j->len)
			return false;
		unsigned char c = j->s[j->pos];
		if (c == '"') {
			j->pos++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c >= 0x80) {
			size_t n = utf8_seq(j->s + j->pos, j->len - j->pos);
			if (!n)
				return false;
			j->pos += n;
			continue;
		}
		if (c != '\\') {
			j->pos++;
			continue;
		}
		if (j->pos + 1 >= j->len)
			return false;
		unsigned char e = j->s[j->pos + 1];
		if (e != 'u') {
			if (e == '\0' || !strchr("\"\\/bfnrt", e))
				return false;
			j->pos += 2;
			continue;
		}
		long cp = jc_hex4(j, j->pos + 2);
		if (cp < 0)
			return false;
		j->pos += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (j->len - j->pos < 2 || j->s[j->pos] != '\\' || j->s[j->pos + 1] != 'u')
				return false;
			long low = jc_hex4(j, j->pos + 2);
			if (low < 0xDC00 || low > 0xDFFF)
				return false;
			j->pos += 6;
		} else if ((cp >= 0xDC00 && cp <= 0xDFFF) || (cp == 0 && is_name)) {
			return false;
		}
	}
}

static bool jc_digits(struct json_check *j)
{
	size_t start = j->pos;
	while (j->pos < j->len && j->s[j->pos] >= '0' && j->s[j->pos] <= '9')
		j->pos++;
	return j->pos > start;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool jc_number(struct json_check *j)
{
	if (j->s[j->pos] == '-')
		j->pos++;
	if (j->pos >= j->len)
		return false;
	if (j->s[j->pos] == '0')
		j->pos++;
	else if (!jc_digits(j))
		return false;
	if (j->pos < j->len && j->s[j->pos] == '.') {
		j->pos++;
		if (!jc_digits(j))
			return false;
	}
	if (j->pos < j->len && (j->s[j->pos] == 'e' || j->s[j->pos] == 'E')) {
		j->pos++;
		if (j->pos < j->len && (j->s[j->pos] == '+' || j->s[j->pos] == '-'))
			j->pos++;
		if (!jc_digits(j))
			return false;
	}
	return true;
}

static bool jc_literal(struct json_check *j, const char *word)
{
	size_t n = strlen(word);
	if (j->len - j->pos < n || memcmp(j->s + j->pos, word, n) != 0)
		return false;
	j->pos += n;
	return true;
}

static bool jc_value(struct json_check *j, size_t depth);

/* Checks the object (or, with close == ']', the array) opening at pos, at nesting level
 * depth; the top-level object (depth 1) records where each member's value lies. */
static bool jc_container(struct json_check *j, size_t depth, char close)
{
	bool top = depth == 1;

	if (depth > j->max_depth)
		return false;
	j->pos++;
	jc_ws(j);
	if (j->pos < j->len && j->s[j->pos] == close) {
		j->pos++;
		return true;
	}
	for (;;) {
		jc_ws(j);
		if (close == '}') {
			if (top && j->nmembers == j->max_members) {
				j->status = 413;
				return false;
			}
			if (j->pos >= j->len || j->s[j->pos] != '"' || !jc_string(j, true))
				return false;
			jc_ws(j);
			if (j->pos >= j->len || j->s[j->pos] != ':')
				return false;
			j->pos++;
			jc_ws(j);
		}
		size_t start = j->pos;
		if (!jc_value(j, depth))
			return false;
		if (top) {
			if (j->nmembers == j->cap) {
				j->cap = j->cap ? j->cap * 2 : 16;
				j->members = xrealloc(j->members, j->cap * sizeof *j->members);
			}
			j->members[j->nmembers].start = start;
			j->members[j->nmembers].len = j->pos - start;
			j->nmembers++;
		}
		jc_ws(j);
		if (j->pos >= j->len)
			return false;
		if (j->s[j->pos] == close) {
			j->pos++;
			return true;
		}
		if (j->s[j->pos] != ',')
			return false;
		j->pos++;
	}
}

/* Checks the value at pos inside a container at level depth. */
static bool jc_value(struct json_check *j, size_t depth)
{
	if (j->pos >= j->len)
		return false;
	switch (j->s[j->pos]) {
	case '{': return jc_container(j, depth + 1, '}');
	case '[': return jc_container(j, depth + 1, ']');
	case '"': return jc_string(j, false);
	case 't': return jc_literal(j, "true");
	case 'f': return jc_literal(j, "false");
	case 'n': return jc_literal(j, "null");
	default:
		if (j->s[j->pos] == '-' || (j->s[j->pos] >= '0' && j->s[j->pos] <= '9'))
			return jc_number(j);
		return false;
	}
}

/* Appends one member of the checked top-level object. Returns 0 or 400. */
static int json_member_field(const char *name, struct json_object *val, const char *body, const struct json_member *m,
                             const struct input_limits *lim, struct field_list *out)
{
	size_t nlen = strlen(name);
	struct field *f;

	if (nlen > lim->max_name_len)
		return 400;
	switch (json_object_get_type(val)) {
	case json_type_null: field_push(out, name, nlen, "null", 4, FIELD_JSON_NULL); break;
	case json_type_boolean:
		if (json_object_get_boolean(val))
			field_push(out, name, nlen, "true", 4, FIELD_JSON_BOOL);
		else
			field_push(out, name, nlen, "false", 5, FIELD_JSON_BOOL);
		break;
	case json_type_int:
	case json_type_double:
		/* The text as written: "12.0" and "1e3" must stay visible as non-integers. */
		field_push(out, name, nlen, body + m->start, m->len, FIELD_JSON_NUMBER);
		break;
	case json_type_string:
		field_push(out, name, nlen, json_object_get_string(val), (size_t)json_object_get_string_len(val),
		           FIELD_TEXT);
		break;
	case json_type_object:
	case json_type_array:
		f = field_push(out, name, nlen, "", 0, FIELD_JSON_OTHER);
		f->json = json_object_get(val);
		break;
	}
	return 0;
}

int input_parse_json(const char *body, size_t len, const struct input_limits *lim, struct field_list *out)
{
	struct json_check j = {0};
	struct json_tokener *tok = NULL;
	struct json_object *obj = NULL;
	int rc = 400;

	lim = limits_or_default(lim);
	if (len > INT_MAX) /* json-c takes an int length */
		return 413;
	j.s = (const unsigned char *)body;
	j.len = len;
	j.max_depth = lim->max_json_depth < JSON_DEPTH_CEILING ? lim->max_json_depth : JSON_DEPTH_CEILING;
	j.max_members = lim->max_fields;
	jc_ws(&j);
	if (j.pos >= j.len || j.s[j.pos] != '{')
		goto out; /* empty, or not an object */
	if (!jc_container(&j, 1, '}')) {
		rc = j.status ? j.status : 400;
		goto out;
	}
	jc_ws(&j);
	if (j.pos != j.len) /* trailing garbage, a second document, a NUL byte */
		goto out;

	/* json-c refuses at its depth argument, one level earlier than the checker counts. */
	tok = json_tokener_new_ex((int)j.max_depth + 1);
	if (!tok)
		abort(); /* out of memory, as everywhere else */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, body, (int)len);
	if (!obj || !json_object_is_type(obj, json_type_object))
		goto out;
	/* json-c keeps the last of repeated names, in the first one's place: refuse the
	 * ambiguity, which also keeps members and j.members in the same order. */
	if ((size_t)json_object_object_length(obj) != j.nmembers)
		goto out;
	struct json_object_iterator it = json_object_iter_begin(obj);
	struct json_object_iterator end = json_object_iter_end(obj);
	for (size_t i = 0; !json_object_iter_equal(&it, &end); json_object_iter_next(&it), i++) {
		if (json_member_field(json_object_iter_peek_name(&it), json_object_iter_peek_value(&it), body,
		                      &j.members[i], lim, out) != 0)
			goto out;
	}
	rc = 0;
out:
	json_object_put(obj);
	if (tok)
		json_tokener_free(tok);
	free(j.members);
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
		if (!is_tchar((unsigned char)*q))
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
	field_push(out, p, (size_t)(nend - p), v, (size_t)(end - v), FIELD_TEXT);
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

/* ---- validation ------------------------------------------------------------------------- */

enum int_parse {
	INT_OK,
	INT_NOT_INTEGER,
	INT_TOO_LARGE,
	INT_TOO_SMALL,
};

/* Parses s[0..len) as -?[0-9]+ into *out. Past the range of long long it says which side. */
static enum int_parse parse_int(const char *s, size_t len, long long *out)
{
	unsigned long long acc = 0, limit = LLONG_MAX;
	bool neg = false, over = false;
	size_t i = 0;

	if (len > 0 && s[0] == '-') {
		neg = true;
		limit = (unsigned long long)LLONG_MAX + 1;
		i = 1;
	}
	if (i == len)
		return INT_NOT_INTEGER;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return INT_NOT_INTEGER; /* even after an overflow: "99…9x" is not an integer */
		unsigned d = (unsigned)(s[i] - '0');
		if (over || acc > (limit - d) / 10)
			over = true;
		else
			acc = acc * 10 + d;
	}
	if (over)
		return neg ? INT_TOO_SMALL : INT_TOO_LARGE;
	if (!neg)
		*out = (long long)acc;
	else if (acc == (unsigned long long)LLONG_MAX + 1)
		*out = LLONG_MIN;
	else
		*out = -(long long)acc;
	return INT_OK;
}

/* True when s (valid UTF-8) holds a control character other than tab, LF and CR: C0, DEL,
 * or C1 (U+0080..U+009F, encoded C2 80..C2 9F). */
static bool has_control(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return true;
		if (p[i] == 0x7F || (p[i] == 0xC2 && i + 1 < len && p[i + 1] <= 0x9F))
			return true;
	}
	return false;
}

static const char *check_int(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_TEXT && f->kind != FIELD_JSON_NUMBER)
		return "wrong_type";
	switch (parse_int(f->value, f->len, &v->i)) {
	case INT_OK: break;
	case INT_NOT_INTEGER: return "not_integer";
	case INT_TOO_LARGE: return "too_large";
	case INT_TOO_SMALL: return "too_small";
	}
	if (sp->min != 0 || sp->max != 0) {
		if (v->i < sp->min)
			return "too_small";
		if (v->i > sp->max)
			return "too_large";
	}
	return NULL;
}

static const char *check_string(const struct input_spec *sp, const struct field *f)
{
	if (f->kind != FIELD_TEXT)
		return "wrong_type";
	if (f->len == 0) /* a blank optional field is an empty string, whatever the minimum */
		return sp->required ? "required" : NULL;
	if (!utf8_valid(f->value, f->len))
		return "invalid_utf8";
	if (has_control(f->value, f->len))
		return "not_allowed";
	long long max = sp->max > 0 ? sp->max : STRING_DEFAULT_MAX;
	size_t n = utf8_length(f->value, f->len);
	if (sp->min > 0 && n < (unsigned long long)sp->min)
		return "too_short";
	if (n > (unsigned long long)max)
		return "too_long";
	return NULL;
}

static const char *check_bool(const struct field *f, struct input_value *v)
{
	static const struct {
		const char *text;
		bool value;
	} words[] = {{"1", true}, {"0", false}, {"true", true}, {"false", false}, {"on", true}, {"off", false}};

	if (f->kind == FIELD_JSON_BOOL) {
		v->i = f->value[0] == 't';
		return NULL;
	}
	if (f->kind != FIELD_TEXT)
		return "wrong_type";
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		if (strlen(words[k].text) == f->len && memcmp(words[k].text, f->value, f->len) == 0) {
			v->i = words[k].value;
			return NULL;
		}
	}
	return "not_allowed";
}

static const char *check_enum(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_TEXT)
		return "wrong_type";
	for (long long k = 0; sp->choices && sp->choices[k]; k++) {
		if (strlen(sp->choices[k]) == f->len && memcmp(sp->choices[k], f->value, f->len) == 0) {
			v->i = k;
			return NULL;
		}
	}
	return "not_allowed";
}

static const char *check_file(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_FILE)
		return "not_a_file";
	v->filename = f->filename;
	v->content_type = f->content_type;
	if (sp->min > 0 && f->len < (unsigned long long)sp->min)
		return "too_small";
	if (sp->max > 0 && f->len > (unsigned long long)sp->max)
		return "too_large";
	return NULL;
}

/* True when f is how a form says "nothing here": an empty text for a number, flag or
 * choice (an empty filter box), a file input with no file chosen (empty filename, no bytes). */
static bool field_blank(const struct input_spec *sp, const struct field *f)
{
	switch (sp->type) {
	case INPUT_INT:
	case INPUT_BOOL:
	case INPUT_ENUM: return f->kind == FIELD_TEXT && f->len == 0;
	case INPUT_FILE: return f->kind == FIELD_FILE && f->len == 0 && (!f->filename || !f->filename[0]);
	case INPUT_STRING: break;
	}
	return false;
}

int input_validate(const struct input_spec *specs, size_t nspecs, const struct field_list *query,
                   const struct field_list *body, struct input_value *values, struct json_object *errors)
{
	int invalid = 0;

	for (size_t i = 0; i < nspecs; i++) {
		const struct input_spec *sp = &specs[i];
		struct input_value *v = &values[i];
		unsigned sources = sp->sources ? sp->sources : INPUT_FROM_QUERY | INPUT_FROM_BODY;
		const struct field *f = NULL;
		const char *err = NULL;

		memset(v, 0, sizeof *v);
		if (sources & INPUT_FROM_BODY)
			f = field_list_get(body, sp->name);
		if (!f && (sources & INPUT_FROM_QUERY))
			f = field_list_get(query, sp->name);
		if (f) {
			v->s = f->value;
			v->len = f->len;
		}
		if (!f || field_blank(sp, f)) {
			if (sp->required)
				err = "required";
		} else {
			switch (sp->type) {
			case INPUT_INT: err = check_int(sp, f, v); break;
			case INPUT_STRING: err = check_string(sp, f); break;
			case INPUT_BOOL: err = check_bool(f, v); break;
			case INPUT_ENUM: err = check_enum(sp, f, v); break;
			case INPUT_FILE: err = check_file(sp, f, v); break;
			default: err = "wrong_type"; break;
			}
			if (!err)
				v->present = true;
		}
		if (err) {
			invalid++;
			v->present = false;
			v->i = 0;
			if (errors)
				json_object_object_add(errors, sp->name, json_object_new_string(err));
		}
	}
	return invalid;
}
