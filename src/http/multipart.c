/* multipart/form-data bodies (RFC 7578) and the header values they carry. */
#include "http/input.h"
#include "http/input_parse.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

/* RFC 2046: a boundary is 1 to 70 characters. */
#define MULTIPART_MAX_BOUNDARY 70

/* ---- header values (Content-Type, Content-Disposition) ---------------------------------- */

/* RFC 9110 token characters. */
bool input_is_tchar(unsigned char c)
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
	while (h->p < h->end && input_is_tchar((unsigned char)*h->p))
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
			if (!input_is_tchar((unsigned char)*q))
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
	struct field *f = input_field_push(out, pi.name.data, pi.name.len, body, (size_t)(stop - body),
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

	lim = input_limits_or_default(lim);
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
