/* Request input: the parsers (urlencoded, multipart, JSON, cookies), UTF-8 checking and the
 * validation of declared parameters, as tables of valid and invalid cases, then a fixed-seed
 * mutation run through every parser that must end in 0, 400 or 413 without a crash. */
#include "http/input.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "util/buf.h"

#define CRLF "\r\n"
#define CD   "Content-Disposition: form-data; "

/* A heap copy of exactly len bytes with no terminator, so that ASan and valgrind see any read
 * past the end. */
static char *exact_copy(const char *s, size_t len)
{
	char *p = xmalloc(len ? len : 1);
	if (len)
		memcpy(p, s, len);
	return p;
}

/* Appends s[0..len) with control bytes, DEL and '|' as \xHH (bytes >= 0x80 as they are, so
 * that Korean expectations read naturally). */
static void dump_bytes(struct buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F || c == '|')
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
}

/* A field list as one line: text "n=v", file "n@filename(type)=v", number "n#v", bool "n?v",
 * null "n~", object or array "n:json", joined by '|'. The caller frees the result. */
static char *dump(const struct field_list *l)
{
	struct buf b = BUF_INIT;
	buf_append(&b, "", 0);
	for (size_t i = 0; i < l->count; i++) {
		const struct field *f = &l->items[i];
		if (i)
			buf_putc(&b, '|');
		dump_bytes(&b, f->name, strlen(f->name));
		switch (f->kind) {
		case FIELD_TEXT:
			buf_putc(&b, '=');
			dump_bytes(&b, f->value, f->len);
			break;
		case FIELD_FILE:
			buf_putc(&b, '@');
			dump_bytes(&b, f->filename, strlen(f->filename));
			buf_printf(&b, "(%s)=", f->content_type);
			dump_bytes(&b, f->value, f->len);
			break;
		case FIELD_JSON_NUMBER:
			buf_putc(&b, '#');
			dump_bytes(&b, f->value, f->len);
			break;
		case FIELD_JSON_BOOL: buf_printf(&b, "?%s", f->value); break;
		case FIELD_JSON_NULL: buf_putc(&b, '~'); break;
		case FIELD_JSON_OTHER:
			buf_printf(&b, ":%s", json_object_to_json_string_ext(f->json, JSON_C_TO_STRING_PLAIN));
			break;
		}
	}
	return b.data;
}

/* Checks one parser result against the expected status and, on success, the fields. */
static void check_parse(const char *what, int rc, const struct field_list *l, int want_rc, const char *want_fields)
{
	char *got = dump(l);
	if (rc == want_rc && (rc != 0 || !want_fields || strcmp(got, want_fields) == 0)) {
		tap_ok(1, "%s", what);
	} else {
		tap_ok(0, "%s", what);
		tap_diag("status %d (want %d), fields [%s] (want [%s])", rc, want_rc, got,
		         want_fields ? want_fields : "-");
	}
	free(got);
}

/* ---- UTF-8 ------------------------------------------------------------------------------ */

#define BYTES(s) s, sizeof(s) - 1

static const struct {
	const char *what;
	const char *s;
	size_t len;
	bool valid;
	size_t length;
} utf8_cases[] = {
    {"empty", BYTES(""), true, 0},
    {"ASCII", BYTES("abc"), true, 3},
    {"NUL byte is well-formed", BYTES("a\0b"), true, 3},
    {"two bytes (e acute)", BYTES("\xc3\xa9"), true, 1},
    {"Hangul", BYTES("청바지"), true, 3},
    {"four bytes (emoji)", BYTES("\xf0\x9f\x98\x80"), true, 1},
    {"U+10FFFF", BYTES("\xf4\x8f\xbf\xbf"), true, 1},
    {"U+FFFF", BYTES("\xef\xbf\xbf"), true, 1},
    {"U+D7FF just below surrogates", BYTES("\xed\x9f\xbf"), true, 1},
    {"U+E000 just above surrogates", BYTES("\xee\x80\x80"), true, 1},
    {"U+0800 smallest three-byte", BYTES("\xe0\xa0\x80"), true, 1},
    {"U+10000 smallest four-byte", BYTES("\xf0\x90\x80\x80"), true, 1},
    {"mixed", BYTES("a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80z"), true, 5},
    {"lone continuation byte", BYTES("\x80"), false, 0},
    {"continuation byte after ASCII", BYTES("a\xbf"), false, 0},
    {"overlong NUL (C0 80)", BYTES("\xc0\x80"), false, 0},
    {"overlong slash (C0 AF)", BYTES("\xc0\xaf"), false, 0},
    {"overlong C1 BF", BYTES("\xc1\xbf"), false, 0},
    {"overlong three-byte E0 80 80", BYTES("\xe0\x80\x80"), false, 0},
    {"overlong three-byte E0 9F BF", BYTES("\xe0\x9f\xbf"), false, 0},
    {"overlong four-byte F0 80 80 80", BYTES("\xf0\x80\x80\x80"), false, 0},
    {"overlong four-byte F0 8F BF BF", BYTES("\xf0\x8f\xbf\xbf"), false, 0},
    {"surrogate U+D800", BYTES("\xed\xa0\x80"), false, 0},
    {"surrogate U+DFFF", BYTES("\xed\xbf\xbf"), false, 0},
    {"surrogate pair encoded as two", BYTES("\xed\xa0\xbd\xed\xb8\x80"), false, 0},
    {"above U+10FFFF (F4 90)", BYTES("\xf4\x90\x80\x80"), false, 0},
    {"F5 lead byte", BYTES("\xf5\x80\x80\x80"), false, 0},
    {"FE byte", BYTES("\xfe"), false, 0},
    {"FF byte", BYTES("\xff"), false, 0},
    {"truncated two-byte", BYTES("\xc3"), false, 0},
    {"truncated three-byte", BYTES("\xe6\x97"), false, 0},
    {"truncated four-byte", BYTES("\xf0\x9f\x98"), false, 0},
    {"two-byte lead then ASCII", BYTES("\xc3\x28"), false, 0},
    {"three-byte with bad third byte", BYTES("\xe6\x97\x28"), false, 0},
    {"extra continuation after a character", BYTES("a\xe6\x97\xa5\x80"), false, 0},
};

static void test_utf8(void)
{
	for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
		char *s = exact_copy(utf8_cases[i].s, utf8_cases[i].len);
		bool valid = utf8_valid(s, utf8_cases[i].len);
		bool ok = valid == utf8_cases[i].valid;
		if (ok && valid)
			ok = utf8_length(s, utf8_cases[i].len) == utf8_cases[i].length;
		tap_ok(ok, "utf8: %s is %s%s", utf8_cases[i].what, utf8_cases[i].valid ? "valid" : "invalid",
		       utf8_cases[i].valid ? " with the right length" : "");
		free(s);
	}
}

/* ---- urlencoded ------------------------------------------------------------------------- */

static const struct {
	const char *in;
	int status;
	const char *fields;
} urlencoded_cases[] = {
    {"", 0, ""},
    {"a=1", 0, "a=1"},
    {"a=1&b=2", 0, "a=1|b=2"},
    {"a=x+y", 0, "a=x y"},
    {"a=%41%2b%2B%20", 0, "a=A++ "},
    {"%61%62=c", 0, "ab=c"},
    {"a+b=c", 0, "a b=c"},
    {"a", 0, "a="},
    {"a=", 0, "a="},
    {"a=1&&b=2&", 0, "a=1|b=2"},
    {"&&&", 0, ""},
    {"=x&a=1", 0, "a=1"},
    {"a=1=2", 0, "a=1=2"},
    {"a=%00b", 0, "a=\\x00b"},
    {"q=%EC%B2%AD%EB%B0%94%EC%A7%80", 0, "q=청바지"},
    {"q=청바지", 0, "q=청바지"},
    {"a=%ff", 0, "a=\xff"},
    {"a=1&a=2", 0, "a=1|a=2"},
    {"a=b;c=d", 0, "a=b;c=d"},
    {"a=%7C", 0, "a=\\x7c"},
    {"a=%", 400, NULL},
    {"a=%4", 400, NULL},
    {"a=%4g", 400, NULL},
    {"a=%%41", 400, NULL},
    {"a=1&b=%G0", 400, NULL},
    {"%zz=1", 400, NULL},
    {"a%00=1", 400, NULL},
    {"a%00", 400, NULL},
};

static void test_urlencoded(void)
{
	for (size_t i = 0; i < sizeof urlencoded_cases / sizeof urlencoded_cases[0]; i++) {
		struct field_list l = {0};
		size_t len = strlen(urlencoded_cases[i].in);
		char *s = exact_copy(urlencoded_cases[i].in, len);
		int rc = input_parse_urlencoded(s, len, NULL, &l);
		char what[160];
		snprintf(what, sizeof what, "urlencoded: \"%s\" -> %d", urlencoded_cases[i].in,
		         urlencoded_cases[i].status);
		check_parse(what, rc, &l, urlencoded_cases[i].status, urlencoded_cases[i].fields);
		field_list_free(&l);
		free(s);
	}

	/* Only s[0..len) is read. */
	struct field_list l = {0};
	int rc = input_parse_urlencoded("a=1&b=2", 3, NULL, &l);
	check_parse("urlencoded: stops at len", rc, &l, 0, "a=1");
	field_list_free(&l);

	rc = input_parse_urlencoded(NULL, 0, NULL, &l);
	check_parse("urlencoded: NULL with length 0 is empty", rc, &l, 0, "");
	field_list_free(&l);

	/* Name length: 128 bytes (decoded) fit, 129 do not. */
	struct buf b = BUF_INIT;
	for (int k = 0; k < 128; k++)
		buf_putc(&b, 'n');
	buf_puts(&b, "=1");
	rc = input_parse_urlencoded(b.data, b.len, NULL, &l);
	tap_ok(rc == 0 && l.count == 1, "urlencoded: a 128-byte name is accepted");
	field_list_free(&l);
	buf_reset(&b);
	for (int k = 0; k < 129; k++)
		buf_putc(&b, 'n');
	buf_puts(&b, "=1");
	rc = input_parse_urlencoded(b.data, b.len, NULL, &l);
	tap_ok(rc == 400, "urlencoded: a 129-byte name is 400");
	field_list_free(&l);

	/* Field count: 200 fit, 201 are 413; empty pairs do not count. */
	buf_reset(&b);
	for (int k = 0; k < 200; k++)
		buf_printf(&b, "f%d=%d&&", k, k);
	rc = input_parse_urlencoded(b.data, b.len, NULL, &l);
	tap_ok(rc == 0 && l.count == 200, "urlencoded: 200 fields are accepted");
	field_list_free(&l);
	buf_puts(&b, "one=more");
	rc = input_parse_urlencoded(b.data, b.len, NULL, &l);
	tap_ok(rc == 413, "urlencoded: 201 fields are 413");
	field_list_free(&l);

	/* The limits a caller passes are the ones used. */
	struct input_limits lim = input_default_limits;
	lim.max_fields = 2;
	rc = input_parse_urlencoded("a=1&b=2&c=3", 11, &lim, &l);
	tap_ok(rc == 413, "urlencoded: a caller's max_fields applies");
	field_list_free(&l);
	/* Per source: fields already in the list do not count. */
	field_list_add(&l, "x", 1, "1", 1, FIELD_TEXT);
	field_list_add(&l, "y", 1, "1", 1, FIELD_TEXT);
	rc = input_parse_urlencoded("a=1&b=2", 7, &lim, &l);
	tap_ok(rc == 0 && l.count == 4, "urlencoded: max_fields counts this source only");
	field_list_free(&l);
	buf_free(&b);
}

/* ---- multipart -------------------------------------------------------------------------- */

#define CT "multipart/form-data; boundary=XyZ"

static const struct {
	const char *what;
	const char *ct;
	const char *body;
	size_t len;
	int status;
	const char *fields;
} multipart_cases[] = {
    {"two text fields", CT,
     BYTES("--XyZ" CRLF CD "name=\"a\"" CRLF CRLF "1" CRLF "--XyZ" CRLF CD "name=\"b\"" CRLF CRLF "hello world" CRLF
           "--XyZ--" CRLF),
     0, "a=1|b=hello world"},
    {"binary file with NUL bytes keeps its length", CT,
     BYTES("--XyZ" CRLF CD "name=\"photo\"; filename=\"a.jpg\"" CRLF "Content-Type: image/jpeg" CRLF CRLF
           "\xff\xd8\x00\x01\x00\r\n--" CRLF "--XyZ--"),
     0, "photo@a.jpg(image/jpeg)=\xff\xd8\\x00\\x01\\x00\\x0d\\x0a--"},
    {"empty filename is still a file, octet-stream by default", CT,
     BYTES("--XyZ" CRLF CD "name=\"f\"; filename=\"\"" CRLF CRLF CRLF "--XyZ--"), 0, "f@(application/octet-stream)="},
    {"text part keeps no content type", CT,
     BYTES("--XyZ" CRLF CD "name=\"a\"" CRLF "Content-Type: text/plain; charset=utf-8" CRLF CRLF "x" CRLF "--XyZ--"), 0,
     "a=x"},
    {"quoted boundary with a space", "multipart/form-data; boundary=\"a b:c\"",
     BYTES("--a b:c" CRLF CD "name=a" CRLF CRLF "1" CRLF "--a b:c--"), 0, "a=1"},
    {"type and parameter names are case-insensitive", "Multipart/Form-Data; BOUNDARY=XyZ",
     BYTES("--XyZ" CRLF "content-disposition: FORM-DATA; NAME=\"a\"" CRLF CRLF "1" CRLF "--XyZ--"), 0, "a=1"},
    {"other parameters around the boundary", "multipart/form-data; charset=utf-8; boundary=XyZ;",
     BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--"), 0, "a=1"},
    {"preamble and epilogue are ignored", CT,
     BYTES("this is a preamble" CRLF "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--" CRLF
           "epilogue --XyZ garbage"),
     0, "a=1"},
    {"transport padding after a boundary", CT, BYTES("--XyZ \t" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--"), 0,
     "a=1"},
    {"empty part body", CT, BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF CRLF "--XyZ--"), 0, "a="},
    {"CRLF inside content is content", CT, BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "l1" CRLF "l2" CRLF CRLF "--XyZ--"),
     0, "a=l1\\x0d\\x0al2\\x0d\\x0a"},
    {"boundary text not at a line start is content", CT,
     BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "x--XyZ y" CRLF "--XyZ--"), 0, "a=x--XyZ y"},
    {"Korean value and filename", CT,
     BYTES("--XyZ" CRLF CD "name=\"q\"" CRLF CRLF "청바지" CRLF "--XyZ" CRLF CD "name=\"f\"; filename=\"사진.png\"" CRLF
           "Content-Type: image/png" CRLF CRLF "P" CRLF "--XyZ--"),
     0, "q=청바지|f@사진.png(image/png)=P"},
    {"escaped quote in filename, Windows path backslashes kept", CT,
     BYTES("--XyZ" CRLF CD "name=\"f\"; filename=\"C:\\dir\\a\\\"b.txt\"" CRLF CRLF "x" CRLF "--XyZ--"), 0,
     "f@C:\\dir\\a\"b.txt(application/octet-stream)=x"},
    {"unknown part headers are ignored", CT,
     BYTES("--XyZ" CRLF "X-Thing: 1" CRLF CD "name=a; foo=bar; filename*=UTF-8''x" CRLF CRLF "1" CRLF "--XyZ--"), 0,
     "a=1"},
    {"missing boundary parameter", "multipart/form-data", BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--"),
     400, NULL},
    {"empty boundary", "multipart/form-data; boundary=", BYTES("--" CRLF CD "name=a" CRLF CRLF "1" CRLF "----"), 400,
     NULL},
    {"empty quoted boundary", "multipart/form-data; boundary=\"\"",
     BYTES("--" CRLF CD "name=a" CRLF CRLF "1" CRLF "----"), 400, NULL},
    {"boundary with a character outside bchars", "multipart/form-data; boundary=a{b",
     BYTES("--a{b" CRLF CD "name=a" CRLF CRLF "1" CRLF "--a{b--"), 400, NULL},
    {"two boundary parameters", "multipart/form-data; boundary=XyZ; boundary=XyZ",
     BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"unterminated quoted boundary", "multipart/form-data; boundary=\"XyZ",
     BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"not form-data (multipart/mixed)", "multipart/mixed; boundary=XyZ",
     BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"not multipart at all", "text/plain; boundary=XyZ", BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--"),
     400, NULL},
    {"empty body", CT, BYTES(""), 400, NULL},
    {"no delimiter in the body", CT, BYTES("hello"), 400, NULL},
    {"missing final boundary (truncated content)", CT, BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1"), 400, NULL},
    {"missing final boundary (no closing dashes)", CT, BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ"), 400,
     NULL},
    {"delimiter and then nothing", CT, BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ" CRLF), 400, NULL},
    {"truncated inside part headers", CT, BYTES("--XyZ" CRLF CD "name=a" CRLF), 400, NULL},
    {"LF-only line endings", CT, BYTES("--XyZ\n" CD "name=a\n\n1\n--XyZ--\n"), 400, NULL},
    {"garbage after a delimiter", CT,
     BYTES("--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZx" CRLF CD "name=b" CRLF CRLF "2" CRLF "--XyZ--"), 400,
     NULL},
    {"part without headers", CT, BYTES("--XyZ" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"part without Content-Disposition", CT,
     BYTES("--XyZ" CRLF "Content-Type: text/plain" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"disposition other than form-data", CT,
     BYTES("--XyZ" CRLF "Content-Disposition: attachment; name=a" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"disposition without a name", CT,
     BYTES("--XyZ" CRLF "Content-Disposition: form-data; filename=\"x\"" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"disposition with an empty name", CT, BYTES("--XyZ" CRLF CD "name=\"\"" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"two names in one disposition", CT, BYTES("--XyZ" CRLF CD "name=a; name=b" CRLF CRLF "1" CRLF "--XyZ--"), 400,
     NULL},
    {"two Content-Disposition headers", CT,
     BYTES("--XyZ" CRLF CD "name=a" CRLF CD "name=b" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"unterminated quoted name", CT, BYTES("--XyZ" CRLF CD "name=\"a" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"header line without a colon", CT, BYTES("--XyZ" CRLF CD "name=a" CRLF "nonsense" CRLF CRLF "1" CRLF "--XyZ--"),
     400, NULL},
    {"folded header line", CT,
     BYTES("--XyZ" CRLF "Content-Disposition: form-data;" CRLF " name=a" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"NUL byte in a header", CT, BYTES("--XyZ" CRLF CD "name=\"a\0b\"" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"bare LF in a header", CT, BYTES("--XyZ" CRLF CD "name=a\nX: y" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
    {"space before the header colon", CT,
     BYTES("--XyZ" CRLF "Content-Disposition : form-data; name=a" CRLF CRLF "1" CRLF "--XyZ--"), 400, NULL},
};

/* A multipart body of n parts f0..f(n-1). */
static void build_parts(struct buf *b, size_t n)
{
	buf_reset(b);
	for (size_t k = 0; k < n; k++)
		buf_printf(b, "--XyZ" CRLF CD "name=\"f%zu\"" CRLF CRLF "%zu" CRLF, k, k);
	buf_puts(b, "--XyZ--" CRLF);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_multipart(void)
{
	struct field_list l = {0};
	struct buf b = BUF_INIT, ct = BUF_INIT;
	int rc;

	for (size_t i = 0; i < sizeof multipart_cases / sizeof multipart_cases[0]; i++) {
		char *s = exact_copy(multipart_cases[i].body, multipart_cases[i].len);
		rc = input_parse_multipart(multipart_cases[i].ct, s, multipart_cases[i].len, NULL, &l);
		char what[200];
		snprintf(what, sizeof what, "multipart: %s -> %d", multipart_cases[i].what, multipart_cases[i].status);
		check_parse(what, rc, &l, multipart_cases[i].status, multipart_cases[i].fields);
		field_list_free(&l);
		free(s);
	}

	rc = input_parse_multipart(NULL, "--XyZ--", 7, NULL, &l);
	tap_ok(rc == 400, "multipart: no Content-Type at all is 400");
	field_list_free(&l);

	/* The file keeps every byte, NULs included. */
	static const char file[] = "--XyZ" CRLF CD "name=\"f\"; filename=\"x.bin\"" CRLF CRLF "\0\0A\0" CRLF "--XyZ--";
	rc = input_parse_multipart(CT, file, sizeof file - 1, NULL, &l);
	tap_ok(rc == 0 && l.count == 1 && l.items[0].kind == FIELD_FILE && l.items[0].len == 4 &&
	           memcmp(l.items[0].value, "\0\0A\0", 4) == 0,
	       "multipart: a file of NUL bytes has len 4 and its bytes");
	field_list_free(&l);

	/* Boundary length: 70 is the most RFC 2046 allows. */
	for (size_t n = 70; n <= 71; n++) {
		buf_reset(&ct);
		buf_reset(&b);
		buf_puts(&ct, "multipart/form-data; boundary=");
		buf_puts(&b, "--");
		for (size_t k = 0; k < n; k++) {
			buf_putc(&ct, 'b');
			buf_putc(&b, 'b');
		}
		buf_puts(&b, CRLF CD "name=a" CRLF CRLF "1" CRLF "--");
		for (size_t k = 0; k < n; k++)
			buf_putc(&b, 'b');
		buf_puts(&b, "--");
		rc = input_parse_multipart(ct.data, b.data, b.len, NULL, &l);
		tap_ok(rc == (n == 70 ? 0 : 400), "multipart: a %zu-character boundary is %s", n,
		       n == 70 ? "accepted" : "400");
		field_list_free(&l);
	}

	/* Part header size: exactly the limit passes, one byte more is 413. */
	struct input_limits lim = input_default_limits;
	static const char small[] = "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--";
	size_t hbytes = strlen(CD "name=a" CRLF); /* header bytes, the last CRLF included */
	lim.max_part_headers = hbytes;
	rc = input_parse_multipart(CT, small, sizeof small - 1, &lim, &l);
	tap_ok(rc == 0, "multipart: part headers of exactly max_part_headers pass");
	field_list_free(&l);
	lim.max_part_headers = hbytes - 1;
	rc = input_parse_multipart(CT, small, sizeof small - 1, &lim, &l);
	tap_ok(rc == 413, "multipart: part headers one byte over max_part_headers are 413");
	field_list_free(&l);

	/* Headers that never end are 413 once past the limit, without reading the whole body. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ" CRLF CD "name=a" CRLF);
	for (int k = 0; k < 2000; k++)
		buf_puts(&b, "X-Filler: 0123456789" CRLF);
	buf_puts(&b, CRLF "1" CRLF "--XyZ--");
	rc = input_parse_multipart(CT, b.data, b.len, NULL, &l);
	tap_ok(rc == 413, "multipart: 44 kB of part headers are 413");
	field_list_free(&l);

	/* Name length. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ" CRLF CD "name=\"");
	for (int k = 0; k < 129; k++)
		buf_putc(&b, 'n');
	buf_puts(&b, "\"" CRLF CRLF "1" CRLF "--XyZ--");
	rc = input_parse_multipart(CT, b.data, b.len, NULL, &l);
	tap_ok(rc == 400, "multipart: a 129-byte part name is 400");
	field_list_free(&l);

	/* Part count: 200 pass, 201 and 10,000 are 413, and quickly. */
	build_parts(&b, 200);
	rc = input_parse_multipart(CT, b.data, b.len, NULL, &l);
	tap_ok(rc == 0 && l.count == 200 && strcmp(l.items[199].value, "199") == 0,
	       "multipart: 200 parts are accepted");
	field_list_free(&l);
	build_parts(&b, 201);
	rc = input_parse_multipart(CT, b.data, b.len, NULL, &l);
	tap_ok(rc == 413, "multipart: 201 parts are 413");
	field_list_free(&l);
	build_parts(&b, 10000);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = input_parse_multipart(CT, b.data, b.len, NULL, &l);
	double dt = seconds_since(&t0);
	tap_diag("10,000 parts (%zu bytes) refused in %.4f s", b.len, dt);
	tap_ok(rc == 413 && dt < 2.0, "multipart: 10,000 parts are 413, quickly");
	field_list_free(&l);

	/* One huge part without its closing delimiter costs one linear scan. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ" CRLF CD "name=a" CRLF CRLF);
	for (int k = 0; k < 200000; k++)
		buf_puts(&b, "-\r\n--Xy");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = input_parse_multipart(CT, b.data, b.len, NULL, &l);
	dt = seconds_since(&t0);
	tap_ok(rc == 400 && dt < 2.0, "multipart: 1.6 MB of near-delimiters without an end is 400, quickly");
	field_list_free(&l);

	buf_free(&b);
	buf_free(&ct);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static const struct {
	const char *what;
	const char *body;
	size_t len;
	int status;
	const char *fields;
} json_cases[] = {
    {"one number", BYTES("{\"a\":1}"), 0, "a#1"},
    {"whitespace everywhere", BYTES(" \t\r\n{ \"a\" : 1 , \"b\" : \"x\" }\n "), 0, "a#1|b=x"},
    {"empty object", BYTES("{}"), 0, ""},
    {"every kind", BYTES("{\"s\":\"x\",\"n\":-12,\"f\":1.5,\"e\":1e3,\"E\":2E-2,\"t\":true,\"F\":false,\"z\":null}"), 0,
     "s=x|n#-12|f#1.5|e#1e3|E#2E-2|t?true|F?false|z~"},
    {"objects and arrays are kept as json", BYTES("{\"o\":{\"a\":[1,2]},\"arr\":[1,\"x\"],\"e\":[]}"), 0,
     "o:{\"a\":[1,2]}|arr:[1,\"x\"]|e:[]"},
    {"numbers keep their text (12.0)", BYTES("{\"n\":12.0}"), 0, "n#12.0"},
    {"numbers keep their text (-0)", BYTES("{\"n\":-0}"), 0, "n#-0"},
    {"numbers keep their text (beyond 64 bits)", BYTES("{\"n\":99999999999999999999}"), 0, "n#99999999999999999999"},
    {"numbers keep their text (below INT64_MIN)", BYTES("{\"n\":-9223372036854775809}"), 0, "n#-9223372036854775809"},
    {"string escapes", BYTES("{\"s\":\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\"}"), 0,
     "s=a\"b\\c/d\\x0a\\x09\xc3\xa9\xf0\x9f\x98\x80"},
    {"\\u0000 in a value is kept with its length", BYTES("{\"s\":\"\\u0000x\"}"), 0, "s=\\x00x"},
    {"raw Korean", BYTES("{\"q\":\"청바지\"}"), 0, "q=청바지"},
    {"escaped name", BYTES("{\"\\u0061\":1}"), 0, "a#1"},
    {"nested depth is fine within the limit", BYTES("{\"a\":{\"b\":{\"c\":[[[1]]]}}}"), 0, "a:{\"b\":{\"c\":[[[1]]]}}"},
    {"empty body", BYTES(""), 400, NULL},
    {"only whitespace", BYTES("   "), 400, NULL},
    {"array", BYTES("[1]"), 400, NULL},
    {"string", BYTES("\"x\""), 400, NULL},
    {"number", BYTES("1"), 400, NULL},
    {"null", BYTES("null"), 400, NULL},
    {"trailing garbage", BYTES("{\"a\":1} x"), 400, NULL},
    {"two documents", BYTES("{\"a\":1}{}"), 400, NULL},
    {"trailing NUL byte", BYTES("{\"a\":1}\0"), 400, NULL},
    {"NUL byte inside", BYTES("{\"a\":\0 1}"), 400, NULL},
    {"trailing comma", BYTES("{\"a\":1,}"), 400, NULL},
    {"missing value", BYTES("{\"a\":}"), 400, NULL},
    {"missing colon", BYTES("{\"a\" 1}"), 400, NULL},
    {"unquoted name", BYTES("{a:1}"), 400, NULL},
    {"single-quoted name", BYTES("{'a':1}"), 400, NULL},
    {"single-quoted value", BYTES("{\"a\":'x'}"), 400, NULL},
    {"NaN", BYTES("{\"a\":NaN}"), 400, NULL},
    {"Infinity", BYTES("{\"a\":Infinity}"), 400, NULL},
    {"-Infinity", BYTES("{\"a\":-Infinity}"), 400, NULL},
    {"1.", BYTES("{\"a\":1.}"), 400, NULL},
    {".5", BYTES("{\"a\":.5}"), 400, NULL},
    {"leading zero", BYTES("{\"a\":01}"), 400, NULL},
    {"leading plus", BYTES("{\"a\":+1}"), 400, NULL},
    {"exponent without digits", BYTES("{\"a\":1e}"), 400, NULL},
    {"signed exponent without digits", BYTES("{\"a\":1e+}"), 400, NULL},
    {"lone minus", BYTES("{\"a\":-}"), 400, NULL},
    {"hex number", BYTES("{\"a\":0x10}"), 400, NULL},
    {"truncated literal", BYTES("{\"a\":tru}"), 400, NULL},
    {"upper-case literal", BYTES("{\"a\":TRUE}"), 400, NULL},
    {"comment", BYTES("{/*c*/\"a\":1}"), 400, NULL},
    {"line comment", BYTES("{\"a\":1 // c\n}"), 400, NULL},
    {"unterminated object", BYTES("{\"a\":1"), 400, NULL},
    {"unterminated string", BYTES("{\"a\":\"x"), 400, NULL},
    {"raw tab in a string", BYTES("{\"a\":\"x\ty\"}"), 400, NULL},
    {"raw newline in a string", BYTES("{\"a\":\"x\ny\"}"), 400, NULL},
    {"unknown escape", BYTES("{\"a\":\"\\x\"}"), 400, NULL},
    {"short \\u escape", BYTES("{\"a\":\"\\u12\"}"), 400, NULL},
    {"bad hex in \\u escape", BYTES("{\"a\":\"\\u12G4\"}"), 400, NULL},
    {"lone high surrogate", BYTES("{\"a\":\"\\ud800\"}"), 400, NULL},
    {"lone low surrogate", BYTES("{\"a\":\"\\udc00\"}"), 400, NULL},
    {"high surrogate and a letter", BYTES("{\"a\":\"\\ud800\\u0041\"}"), 400, NULL},
    {"high surrogate then text", BYTES("{\"a\":\"\\ud800x\"}"), 400, NULL},
    {"invalid UTF-8 byte FF", BYTES("{\"a\":\"\xff\"}"), 400, NULL},
    {"overlong UTF-8", BYTES("{\"a\":\"\xc0\xaf\"}"), 400, NULL},
    {"UTF-8 surrogate", BYTES("{\"a\":\"\xed\xa0\x80\"}"), 400, NULL},
    {"UTF-8 above U+10FFFF", BYTES("{\"a\":\"\xf4\x90\x80\x80\"}"), 400, NULL},
    {"truncated UTF-8", BYTES("{\"a\":\"\xe6\x97\"}"), 400, NULL},
    {"invalid UTF-8 in a name", BYTES("{\"\xff\":1}"), 400, NULL},
    {"byte-order mark", BYTES("\xef\xbb\xbf{\"a\":1}"), 400, NULL},
    {"\\u0000 in a name", BYTES("{\"a\\u0000b\":1}"), 400, NULL},
    {"repeated name", BYTES("{\"a\":1,\"a\":2}"), 400, NULL},
    {"repeated name through an escape", BYTES("{\"a\":1,\"\\u0061\":2}"), 400, NULL},
    {"invalid UTF-8 deep inside", BYTES("{\"a\":[{\"b\":\"\xff\"}]}"), 400, NULL},
};

/* {"a": [[...1...]]} with levels containers in all, the top object included. */
static void build_nested(struct buf *b, size_t levels)
{
	buf_reset(b);
	buf_puts(b, "{\"a\":");
	for (size_t k = 1; k < levels; k++)
		buf_putc(b, '[');
	buf_putc(b, '1');
	for (size_t k = 1; k < levels; k++)
		buf_putc(b, ']');
	buf_putc(b, '}');
}

static void test_json(void)
{
	struct field_list l = {0};
	struct buf b = BUF_INIT;
	int rc;

	for (size_t i = 0; i < sizeof json_cases / sizeof json_cases[0]; i++) {
		char *s = exact_copy(json_cases[i].body, json_cases[i].len);
		rc = input_parse_json(s, json_cases[i].len, NULL, &l);
		char what[200];
		snprintf(what, sizeof what, "json: %s -> %d", json_cases[i].what, json_cases[i].status);
		check_parse(what, rc, &l, json_cases[i].status, json_cases[i].fields);
		field_list_free(&l);
		free(s);
	}

	/* The string's length counts a \u0000. */
	rc = input_parse_json("{\"s\":\"a\\u0000b\"}", 16, NULL, &l);
	tap_ok(rc == 0 && l.count == 1 && l.items[0].len == 3, "json: a string with \\u0000 has len 3");
	field_list_free(&l);

	/* An object member holds its own reference: it outlives the parser's tree. */
	rc = input_parse_json("{\"o\":{\"k\":[1,2,3]}}", 19, NULL, &l);
	tap_ok(rc == 0 && l.count == 1 && l.items[0].json &&
	           json_object_array_length(json_object_object_get(l.items[0].json, "k")) == 3,
	       "json: an object member stays usable after parsing");
	field_list_free(&l);

	/* Depth: 16 levels (the top object is one) pass, 17 are 400, 100,000 do not crash. */
	build_nested(&b, 16);
	rc = input_parse_json(b.data, b.len, NULL, &l);
	tap_ok(rc == 0 && l.count == 1, "json: 16 levels of nesting are accepted");
	field_list_free(&l);
	build_nested(&b, 17);
	rc = input_parse_json(b.data, b.len, NULL, &l);
	tap_ok(rc == 400, "json: 17 levels of nesting are 400");
	field_list_free(&l);
	build_nested(&b, 100000);
	rc = input_parse_json(b.data, b.len, NULL, &l);
	tap_ok(rc == 400, "json: 100,000 levels of nesting are 400");
	field_list_free(&l);
	struct input_limits lim = input_default_limits;
	lim.max_json_depth = 3;
	build_nested(&b, 3);
	rc = input_parse_json(b.data, b.len, &lim, &l);
	tap_ok(rc == 0, "json: a caller's depth 3 takes 3 levels");
	field_list_free(&l);
	build_nested(&b, 4);
	rc = input_parse_json(b.data, b.len, &lim, &l);
	tap_ok(rc == 400, "json: a caller's depth 3 refuses 4 levels");
	field_list_free(&l);

	/* Name length. */
	buf_reset(&b);
	buf_putc(&b, '{');
	buf_putc(&b, '"');
	for (int k = 0; k < 128; k++)
		buf_putc(&b, 'n');
	buf_puts(&b, "\":1}");
	rc = input_parse_json(b.data, b.len, NULL, &l);
	tap_ok(rc == 0, "json: a 128-byte name is accepted");
	field_list_free(&l);
	buf_reset(&b);
	buf_puts(&b, "{\"");
	for (int k = 0; k < 129; k++)
		buf_putc(&b, 'n');
	buf_puts(&b, "\":1}");
	rc = input_parse_json(b.data, b.len, NULL, &l);
	tap_ok(rc == 400, "json: a 129-byte name is 400");
	field_list_free(&l);

	/* Member count: 200 pass, 201 and 10,000 are 413. Nested members do not count. */
	for (size_t n = 200; n <= 201; n++) {
		buf_reset(&b);
		buf_putc(&b, '{');
		for (size_t k = 0; k < n; k++)
			buf_printf(&b, "%s\"m%zu\":[1,2,3,4,5,6,7,8,9,10]", k ? "," : "", k);
		buf_putc(&b, '}');
		rc = input_parse_json(b.data, b.len, NULL, &l);
		tap_ok(rc == (n == 200 ? 0 : 413), "json: %zu members are %s", n, n == 200 ? "accepted" : "413");
		field_list_free(&l);
	}
	buf_reset(&b);
	buf_putc(&b, '{');
	for (size_t k = 0; k < 10000; k++)
		buf_printf(&b, "%s\"m%zu\":%zu", k ? "," : "", k, k);
	buf_putc(&b, '}');
	rc = input_parse_json(b.data, b.len, NULL, &l);
	tap_ok(rc == 413, "json: 10,000 members are 413");
	field_list_free(&l);

	buf_free(&b);
}

/* ---- cookies ---------------------------------------------------------------------------- */

static const struct {
	const char *header;
	const char *fields;
} cookie_cases[] = {
    {"a=1; b=2", "a=1|b=2"},
    {"  a = 1 ;b=2  ", "a=1|b=2"},
    {"a=1;b=2", "a=1|b=2"},
    {"a=\"quoted value\"", "a=quoted value"},
    {"a=\"\"", "a="},
    {"a=\"", "a=\""},
    {"a=", "a="},
    {"a=1;;b=2;", "a=1|b=2"},
    {"junk; a=1", "a=1"},
    {"=1; a=2", "a=2"},
    {"a b=1; c=2", "c=2"},
    {"a\"b=1; c=2", "c=2"},
    {"a=%41", "a=%41"},
    {"a=x=y", "a=x=y"},
    {"a=1\x01; b=2", "b=2"},
    {"a=\t1\t", "a=1"},
    {"lang=en; sid=abc; lang=ko", "lang=en|sid=abc|lang=ko"},
    {"", ""},
    {";;;", ""},
    {"sid=\xec\xb2\xad", "sid=청"},
};

static void test_cookies(void)
{
	struct field_list l = {0};
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < sizeof cookie_cases / sizeof cookie_cases[0]; i++) {
		input_parse_cookies(cookie_cases[i].header, &l);
		char what[160];
		snprintf(what, sizeof what, "cookies: \"%s\"", cookie_cases[i].header);
		check_parse(what, 0, &l, 0, cookie_cases[i].fields);
		field_list_free(&l);
	}
	input_parse_cookies(NULL, &l);
	tap_ok(l.count == 0, "cookies: a NULL header gives nothing");
	field_list_free(&l);

	input_parse_cookies("lang=en; lang=ko", &l);
	const struct field *f = field_list_get(&l, "lang");
	tap_ok(f && strcmp(f->value, "en") == 0, "cookies: field_list_get returns the first");
	field_list_free(&l);

	for (int k = 0; k < 300; k++)
		buf_printf(&b, "c%d=%d; ", k, k);
	input_parse_cookies(b.data, &l);
	tap_ok(l.count == 200, "cookies: at most 200 are kept");
	field_list_free(&l);
	buf_free(&b);
}

/* ---- validation ------------------------------------------------------------------------- */

static const char *const sorts[] = {"newest", "popular", "price_asc", NULL};

#define Q INPUT_FROM_QUERY
#define B INPUT_FROM_BODY
#define SPEC_INT(src, req, lo, hi)                                                                                     \
	{                                                                                                              \
		"n", INPUT_INT, src, req, lo, hi, NULL, 0, 0, NULL                                                     \
	}
#define SPEC_STR(src, req, lo, hi)                                                                                     \
	{                                                                                                              \
		"s", INPUT_STRING, src, req, lo, hi, NULL, 0, 0, NULL                                                  \
	}
#define SPEC_BOOL(src, req)                                                                                            \
	{                                                                                                              \
		"b", INPUT_BOOL, src, req, 0, 0, NULL, 0, 0, NULL                                                      \
	}
#define SPEC_ENUM(src, req)                                                                                            \
	{                                                                                                              \
		"sort", INPUT_ENUM, src, req, 0, 0, sorts, 0, 0, NULL                                                  \
	}

/* One spec against a query string and a body (JSON when it starts with '{', else urlencoded).
 * error NULL means valid; then present, i and (when not NULL) s are checked. */
static const struct vcase {
	const char *what;
	struct input_spec spec;
	const char *query;
	const char *body;
	const char *error;
	bool present;
	long long i;
	const char *s;
} validate_cases[] = {
    /* INT */
    {"int 12", SPEC_INT(0, true, 0, 0), "n=12", NULL, NULL, true, 12, "12"},
    {"int -5", SPEC_INT(0, true, 0, 0), "n=-5", NULL, NULL, true, -5, NULL},
    {"int 0", SPEC_INT(0, true, 0, 0), "n=0", NULL, NULL, true, 0, NULL},
    {"int -0", SPEC_INT(0, true, 0, 0), "n=-0", NULL, NULL, true, 0, NULL},
    {"int leading zeros 007", SPEC_INT(0, true, 0, 0), "n=007", NULL, NULL, true, 7, NULL},
    {"int +5 refused", SPEC_INT(0, true, 0, 0), "n=%2B5", NULL, "not_integer", false, 0, NULL},
    {"int with leading space", SPEC_INT(0, true, 0, 0), "n=+5", NULL, "not_integer", false, 0, NULL},
    {"int with trailing space", SPEC_INT(0, true, 0, 0), "n=5%20", NULL, "not_integer", false, 0, NULL},
    {"int 12.5 (money is whole won)", SPEC_INT(0, true, 0, 0), "n=12.5", NULL, "not_integer", false, 0, NULL},
    {"int 12.0", SPEC_INT(0, true, 0, 0), "n=12.0", NULL, "not_integer", false, 0, NULL},
    {"int 1e3", SPEC_INT(0, true, 0, 0), "n=1e3", NULL, "not_integer", false, 0, NULL},
    {"int 0x10", SPEC_INT(0, true, 0, 0), "n=0x10", NULL, "not_integer", false, 0, NULL},
    {"int abc", SPEC_INT(0, true, 0, 0), "n=abc", NULL, "not_integer", false, 0, NULL},
    {"int lone minus", SPEC_INT(0, true, 0, 0), "n=-", NULL, "not_integer", false, 0, NULL},
    {"int --1", SPEC_INT(0, true, 0, 0), "n=--1", NULL, "not_integer", false, 0, NULL},
    {"int 1-", SPEC_INT(0, true, 0, 0), "n=1-", NULL, "not_integer", false, 0, NULL},
    {"int with NUL byte", SPEC_INT(0, true, 0, 0), "n=1%002", NULL, "not_integer", false, 0, NULL},
    {"int full-width digits", SPEC_INT(0, true, 0, 0), "n=%EF%BC%91", NULL, "not_integer", false, 0, NULL},
    {"int LLONG_MAX", SPEC_INT(0, true, 0, 0), "n=9223372036854775807", NULL, NULL, true, LLONG_MAX, NULL},
    {"int LLONG_MAX + 1", SPEC_INT(0, true, 0, 0), "n=9223372036854775808", NULL, "too_large", false, 0, NULL},
    {"int LLONG_MIN", SPEC_INT(0, true, 0, 0), "n=-9223372036854775808", NULL, NULL, true, LLONG_MIN, NULL},
    {"int LLONG_MIN - 1", SPEC_INT(0, true, 0, 0), "n=-9223372036854775809", NULL, "too_small", false, 0, NULL},
    {"int far too large", SPEC_INT(0, true, 0, 0), "n=99999999999999999999999", NULL, "too_large", false, 0, NULL},
    {"int overflow then a letter", SPEC_INT(0, true, 0, 0), "n=99999999999999999999x", NULL, "not_integer", false, 0,
     NULL},
    {"int below min", SPEC_INT(0, true, 1, 100), "n=0", NULL, "too_small", false, 0, NULL},
    {"int at min", SPEC_INT(0, true, 1, 100), "n=1", NULL, NULL, true, 1, NULL},
    {"int at max", SPEC_INT(0, true, 1, 100), "n=100", NULL, NULL, true, 100, NULL},
    {"int above max", SPEC_INT(0, true, 1, 100), "n=101", NULL, "too_large", false, 0, NULL},
    {"int negative below min", SPEC_INT(0, true, 1, 100), "n=-1", NULL, "too_small", false, 0, NULL},
    {"int range -10..0 low end", SPEC_INT(0, true, -10, 0), "n=-10", NULL, NULL, true, -10, NULL},
    {"int range -10..0 above", SPEC_INT(0, true, -10, 0), "n=1", NULL, "too_large", false, 0, NULL},
    {"int empty optional is absent", SPEC_INT(0, false, 1, 100), "n=", NULL, NULL, false, 0, ""},
    {"int empty required", SPEC_INT(0, true, 0, 0), "n=", NULL, "required", false, 0, NULL},
    {"int absent required", SPEC_INT(0, true, 0, 0), "x=1", NULL, "required", false, 0, NULL},
    {"int absent optional", SPEC_INT(0, false, 0, 0), NULL, NULL, NULL, false, 0, NULL},
    {"int from a form body", SPEC_INT(B, true, 0, 0), NULL, "n=42", NULL, true, 42, NULL},
    {"int JSON number", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":12}", NULL, true, 12, NULL},
    {"int JSON negative", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":-3}", NULL, true, -3, NULL},
    {"int JSON 12.0", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":12.0}", "not_integer", false, 0, NULL},
    {"int JSON 12.5", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":12.5}", "not_integer", false, 0, NULL},
    {"int JSON 1e3", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":1e3}", "not_integer", false, 0, NULL},
    {"int JSON 1E2", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":1E2}", "not_integer", false, 0, NULL},
    {"int JSON string of digits", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":\"42\"}", NULL, true, 42, NULL},
    {"int JSON string not digits", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":\"4 2\"}", "not_integer", false, 0, NULL},
    {"int JSON empty string optional", SPEC_INT(0, false, 0, 0), NULL, "{\"n\":\"\"}", NULL, false, 0, NULL},
    {"int JSON true", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":true}", "wrong_type", false, 0, NULL},
    {"int JSON null", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":null}", "wrong_type", false, 0, NULL},
    {"int JSON object", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":{}}", "wrong_type", false, 0, NULL},
    {"int JSON array", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":[1]}", "wrong_type", false, 0, NULL},
    {"int JSON beyond 64 bits", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":99999999999999999999}", "too_large", false, 0,
     NULL},
    {"int JSON below LLONG_MIN", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":-9223372036854775809}", "too_small", false, 0,
     NULL},
    {"int JSON -0", SPEC_INT(0, true, 0, 0), NULL, "{\"n\":-0}", NULL, true, 0, NULL},
    {"int JSON bounds", SPEC_INT(0, true, 1, 99), NULL, "{\"n\":100}", "too_large", false, 0, NULL},
    /* STRING */
    {"string hello", SPEC_STR(0, true, 0, 0), "s=hello", NULL, NULL, true, 0, "hello"},
    {"string plus is a space", SPEC_STR(0, true, 0, 0), "s=a+b", NULL, NULL, true, 0, "a b"},
    {"string Korean within max 3 code points", SPEC_STR(0, true, 0, 3), "s=%EC%B2%AD%EB%B0%94%EC%A7%80", NULL, NULL,
     true, 0, "청바지"},
    {"string Korean over max 2 code points", SPEC_STR(0, true, 0, 2), "s=%EC%B2%AD%EB%B0%94%EC%A7%80", NULL, "too_long",
     false, 0, NULL},
    {"string below min", SPEC_STR(0, true, 2, 10), "s=a", NULL, "too_short", false, 0, NULL},
    {"string at min", SPEC_STR(0, true, 2, 10), "s=ab", NULL, NULL, true, 0, "ab"},
    {"string min with default max", SPEC_STR(0, true, 2, 0), "s=abc", NULL, NULL, true, 0, "abc"},
    {"string invalid UTF-8 in query", SPEC_STR(0, true, 0, 0), "s=%FF", NULL, "invalid_utf8", false, 0, NULL},
    {"string overlong in query", SPEC_STR(0, true, 0, 0), "s=%C0%AF", NULL, "invalid_utf8", false, 0, NULL},
    {"string surrogate in query", SPEC_STR(0, true, 0, 0), "s=%ED%A0%80", NULL, "invalid_utf8", false, 0, NULL},
    {"string truncated UTF-8 in form", SPEC_STR(0, true, 0, 0), NULL, "s=ok%E6%97", "invalid_utf8", false, 0, NULL},
    {"string NUL byte", SPEC_STR(0, true, 0, 0), "s=a%00b", NULL, "not_allowed", false, 0, NULL},
    {"string control 0x01", SPEC_STR(0, true, 0, 0), "s=%01", NULL, "not_allowed", false, 0, NULL},
    {"string DEL", SPEC_STR(0, true, 0, 0), "s=%7F", NULL, "not_allowed", false, 0, NULL},
    {"string C1 control U+0085", SPEC_STR(0, true, 0, 0), "s=%C2%85", NULL, "not_allowed", false, 0, NULL},
    {"string U+00A0 is fine", SPEC_STR(0, true, 0, 0), "s=%C2%A0", NULL, NULL, true, 0, "\xc2\xa0"},
    {"string tab newline return", SPEC_STR(0, true, 0, 0), "s=a%09b%0Ac%0Dd", NULL, NULL, true, 0, "a\tb\nc\rd"},
    {"string empty required", SPEC_STR(0, true, 0, 0), "s=", NULL, "required", false, 0, NULL},
    {"string of spaces and tabs required", SPEC_STR(0, true, 0, 0), "s=+%09+", NULL, "required", false, 0, NULL},
    {"string of ideographic spaces required", SPEC_STR(0, true, 0, 0), "s=%E3%80%80%E3%80%80", NULL, "required", false,
     0, NULL},
    {"string of spaces optional is kept", SPEC_STR(0, false, 0, 0), "s=+", NULL, NULL, true, 0, " "},
    {"string with a word among spaces", SPEC_STR(0, true, 0, 0), "s=+a+", NULL, NULL, true, 0, " a "},
    {"string cut ideographic space", SPEC_STR(0, true, 0, 0), "s=+%E3%80", NULL, "invalid_utf8", false, 0, NULL},
    {"string empty optional is present and empty", SPEC_STR(0, false, 0, 0), "s=", NULL, NULL, true, 0, ""},
    {"string empty optional ignores min", SPEC_STR(0, false, 2, 10), "s=", NULL, NULL, true, 0, ""},
    {"string absent required", SPEC_STR(0, true, 0, 0), NULL, NULL, "required", false, 0, NULL},
    {"string JSON", SPEC_STR(0, true, 0, 0), NULL, "{\"s\":\"x\"}", NULL, true, 0, "x"},
    {"string JSON number", SPEC_STR(0, true, 0, 0), NULL, "{\"s\":1}", "wrong_type", false, 0, NULL},
    {"string JSON bool", SPEC_STR(0, true, 0, 0), NULL, "{\"s\":true}", "wrong_type", false, 0, NULL},
    {"string JSON null", SPEC_STR(0, true, 0, 0), NULL, "{\"s\":null}", "wrong_type", false, 0, NULL},
    {"string JSON object", SPEC_STR(0, true, 0, 0), NULL, "{\"s\":{\"a\":1}}", "wrong_type", false, 0, NULL},
    {"string JSON array", SPEC_STR(0, true, 0, 0), NULL, "{\"s\":[]}", "wrong_type", false, 0, NULL},
    {"string JSON \\u0000", SPEC_STR(0, true, 0, 0), NULL, "{\"s\":\"a\\u0000\"}", "not_allowed", false, 0, NULL},
    {"string JSON escaped newline", SPEC_STR(0, true, 0, 0), NULL, "{\"s\":\"a\\nb\"}", NULL, true, 0, "a\nb"},
    /* BOOL */
    {"bool 1", SPEC_BOOL(0, true), "b=1", NULL, NULL, true, 1, NULL},
    {"bool 0", SPEC_BOOL(0, true), "b=0", NULL, NULL, true, 0, NULL},
    {"bool true", SPEC_BOOL(0, true), "b=true", NULL, NULL, true, 1, NULL},
    {"bool false", SPEC_BOOL(0, true), "b=false", NULL, NULL, true, 0, NULL},
    {"bool on (checkbox)", SPEC_BOOL(0, true), "b=on", NULL, NULL, true, 1, NULL},
    {"bool off", SPEC_BOOL(0, true), "b=off", NULL, NULL, true, 0, NULL},
    {"bool yes", SPEC_BOOL(0, true), "b=yes", NULL, "not_allowed", false, 0, NULL},
    {"bool TRUE", SPEC_BOOL(0, true), "b=TRUE", NULL, "not_allowed", false, 0, NULL},
    {"bool 2", SPEC_BOOL(0, true), "b=2", NULL, "not_allowed", false, 0, NULL},
    {"bool 1 and NUL", SPEC_BOOL(0, true), "b=1%00", NULL, "not_allowed", false, 0, NULL},
    {"bool empty optional is absent", SPEC_BOOL(0, false), "b=", NULL, NULL, false, 0, NULL},
    {"bool absent optional (unchecked box)", SPEC_BOOL(0, false), NULL, NULL, NULL, false, 0, NULL},
    {"bool JSON true", SPEC_BOOL(0, true), NULL, "{\"b\":true}", NULL, true, 1, NULL},
    {"bool JSON false", SPEC_BOOL(0, true), NULL, "{\"b\":false}", NULL, true, 0, NULL},
    {"bool JSON string true", SPEC_BOOL(0, true), NULL, "{\"b\":\"true\"}", NULL, true, 1, NULL},
    {"bool JSON 1", SPEC_BOOL(0, true), NULL, "{\"b\":1}", "wrong_type", false, 0, NULL},
    {"bool JSON null", SPEC_BOOL(0, true), NULL, "{\"b\":null}", "wrong_type", false, 0, NULL},
    /* ENUM */
    {"enum popular", SPEC_ENUM(0, true), "sort=popular", NULL, NULL, true, 1, "popular"},
    {"enum first choice", SPEC_ENUM(0, true), "sort=newest", NULL, NULL, true, 0, "newest"},
    {"enum case-sensitive", SPEC_ENUM(0, true), "sort=Popular", NULL, "not_allowed", false, 0, NULL},
    {"enum trailing space", SPEC_ENUM(0, true), "sort=newest+", NULL, "not_allowed", false, 0, NULL},
    {"enum prefix", SPEC_ENUM(0, true), "sort=new", NULL, "not_allowed", false, 0, NULL},
    {"enum with NUL", SPEC_ENUM(0, true), "sort=newest%00", NULL, "not_allowed", false, 0, NULL},
    {"enum empty optional is absent", SPEC_ENUM(0, false), "sort=", NULL, NULL, false, 0, NULL},
    {"enum JSON", SPEC_ENUM(0, true), NULL, "{\"sort\":\"price_asc\"}", NULL, true, 2, "price_asc"},
    {"enum JSON number", SPEC_ENUM(0, true), NULL, "{\"sort\":1}", "wrong_type", false, 0, NULL},
    {"enum without choices",
     {"sort", INPUT_ENUM, 0, true, 0, 0, NULL, 0, 0, NULL},
     "sort=newest",
     NULL,
     "not_allowed",
     false,
     0,
     NULL},
    /* FILE, from places that cannot hold one */
    {"file from a query",
     {"f", INPUT_FILE, 0, true, 0, 0, NULL, 0, 0, NULL},
     "f=x",
     NULL,
     "not_a_file",
     false,
     0,
     NULL},
    {"file from a JSON string",
     {"f", INPUT_FILE, 0, true, 0, 0, NULL, 0, 0, NULL},
     NULL,
     "{\"f\":\"x\"}",
     "not_a_file",
     false,
     0,
     NULL},
    {"file absent required",
     {"f", INPUT_FILE, 0, true, 0, 0, NULL, 0, 0, NULL},
     NULL,
     NULL,
     "required",
     false,
     0,
     NULL},
    /* Sources and precedence */
    {"query-only spec ignores the body", SPEC_INT(Q, true, 0, 0), NULL, "n=1", "required", false, 0, NULL},
    {"body-only spec ignores the query", SPEC_INT(B, true, 0, 0), "n=1", NULL, "required", false, 0, NULL},
    {"body-only spec ignores an invalid query", SPEC_INT(B, false, 0, 0), "n=x", NULL, NULL, false, 0, NULL},
    {"either source: query alone", SPEC_INT(0, true, 0, 0), "n=1", NULL, NULL, true, 1, NULL},
    {"body wins over query", SPEC_INT(0, true, 0, 0), "n=1", "n=2", NULL, true, 2, NULL},
    {"body wins over query (explicit mask)", SPEC_INT(Q | B, true, 0, 0), "n=1", "{\"n\":2}", NULL, true, 2, NULL},
    {"body wins even when invalid", SPEC_INT(0, true, 0, 0), "n=1", "n=x", "not_integer", false, 0, NULL},
    {"query-only spec with both", SPEC_INT(Q, true, 0, 0), "n=1", "n=2", NULL, true, 1, NULL},
    {"first of repeated names", SPEC_INT(0, true, 0, 0), "n=1&n=2", NULL, NULL, true, 1, NULL},
    {"other names are not confused", SPEC_INT(0, true, 0, 0), "nn=1&N=2", NULL, "required", false, 0, NULL},
};

/* Parses a case's body: JSON when it starts with '{', else urlencoded. */
static int parse_body(const char *body, struct field_list *out)
{
	if (!body)
		return 0;
	if (body[0] == '{')
		return input_parse_json(body, strlen(body), NULL, out);
	return input_parse_urlencoded(body, strlen(body), NULL, out);
}

static void run_validate_case(const struct vcase *c)
{
	struct field_list query = {0}, body = {0};
	struct input_value v;
	json_object *errors = json_object_new_object();
	bool ok = true;
	int n = -1;

	if (c->query && input_parse_urlencoded(c->query, strlen(c->query), NULL, &query) != 0)
		ok = false;
	if (parse_body(c->body, &body) != 0)
		ok = false;
	if (ok) {
		n = input_validate(&c->spec, 1, &query, &body, &v, errors);
		json_object *e = json_object_object_get(errors, c->spec.name);
		const char *got = e ? json_object_get_string(e) : NULL;
		if (c->error) {
			ok = n == 1 && got && strcmp(got, c->error) == 0 && !v.present;
		} else {
			ok = n == 0 && !got && v.present == c->present;
			if (ok && c->present && c->spec.type != INPUT_STRING)
				ok = v.i == c->i;
			if (ok && c->s)
				ok = v.s && v.len == strlen(c->s) && memcmp(v.s, c->s, v.len) == 0;
		}
		if (!ok)
			tap_diag("n=%d errors=%s present=%d i=%lld", n,
			         json_object_to_json_string_ext(errors, JSON_C_TO_STRING_PLAIN), v.present, v.i);
	} else {
		tap_diag("the case's input did not parse");
	}
	tap_ok(ok, "validate: %s -> %s", c->what, c->error ? c->error : "ok");
	json_object_put(errors);
	field_list_free(&query);
	field_list_free(&body);
}

static void test_validate_files(void)
{
	static const char body[] =
	    "--XyZ" CRLF CD "name=\"photo\"; filename=\"p.png\"" CRLF "Content-Type: image/png" CRLF CRLF
	    "\x89PNG\0\0\0\0" CRLF "--XyZ" CRLF CD "name=\"empty\"; filename=\"\"" CRLF
	    "Content-Type: application/octet-stream" CRLF CRLF CRLF "--XyZ" CRLF CD "name=\"text\"" CRLF CRLF
	    "hello" CRLF "--XyZ--" CRLF;
	struct field_list fields = {0};
	struct input_value v[1];
	json_object *errors;
	int rc = input_parse_multipart(CT, body, sizeof body - 1, NULL, &fields);
	tap_ok(rc == 0 && fields.count == 3, "validate: the multipart fixture parses");

	static const struct {
		const char *what;
		struct input_spec spec;
		const char *error;
		bool present;
	} cases[] = {
	    {"file present", {"photo", INPUT_FILE, B, true, 0, 0, NULL, 0, 0, NULL}, NULL, true},
	    {"file within size bounds", {"photo", INPUT_FILE, B, true, 8, 8, NULL, 0, 0, NULL}, NULL, true},
	    {"file below min size", {"photo", INPUT_FILE, B, true, 9, 0, NULL, 0, 0, NULL}, "too_small", false},
	    {"file above max size", {"photo", INPUT_FILE, B, true, 0, 7, NULL, 0, 0, NULL}, "too_large", false},
	    {"file from query only: body ignored",
	     {"photo", INPUT_FILE, Q, true, 0, 0, NULL, 0, 0, NULL},
	     "required",
	     false},
	    {"no file chosen, required", {"empty", INPUT_FILE, B, true, 0, 0, NULL, 0, 0, NULL}, "required", false},
	    {"no file chosen, optional", {"empty", INPUT_FILE, B, false, 0, 0, NULL, 0, 0, NULL}, NULL, false},
	    {"text part for a file", {"text", INPUT_FILE, B, true, 0, 0, NULL, 0, 0, NULL}, "not_a_file", false},
	    {"file part for a string", {"photo", INPUT_STRING, B, true, 0, 0, NULL, 0, 0, NULL}, "wrong_type", false},
	    {"file part for an int", {"photo", INPUT_INT, B, true, 0, 0, NULL, 0, 0, NULL}, "wrong_type", false},
	    {"file part for an enum", {"photo", INPUT_ENUM, B, true, 0, 0, sorts, 0, 0, NULL}, "wrong_type", false},
	    {"text part for a string", {"text", INPUT_STRING, B, true, 0, 0, NULL, 0, 0, NULL}, NULL, true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		errors = json_object_new_object();
		int n = input_validate(&cases[i].spec, 1, NULL, &fields, v, errors);
		json_object *e = json_object_object_get(errors, cases[i].spec.name);
		const char *got = e ? json_object_get_string(e) : NULL;
		bool ok = v[0].present == cases[i].present &&
		          (cases[i].error ? n == 1 && got && strcmp(got, cases[i].error) == 0 : n == 0 && !got);
		tap_ok(ok, "validate: %s -> %s", cases[i].what, cases[i].error ? cases[i].error : "ok");
		json_object_put(errors);
	}

	struct input_spec photo = {"photo", INPUT_FILE, B, true, 0, 0, NULL, 0, 0, NULL};
	input_validate(&photo, 1, NULL, &fields, v, NULL);
	tap_ok(v[0].present && v[0].len == 8 && memcmp(v[0].s, "\x89PNG\0\0\0\0", 8) == 0 &&
	           strcmp(v[0].filename, "p.png") == 0 && strcmp(v[0].content_type, "image/png") == 0,
	       "validate: a file value has its bytes (NULs included), filename and type");
	field_list_free(&fields);
}

static void test_validate(void)
{
	for (size_t i = 0; i < sizeof validate_cases / sizeof validate_cases[0]; i++)
		run_validate_case(&validate_cases[i]);

	/* Default STRING bounds: 1000 code points. */
	struct buf b = BUF_INIT;
	struct field_list body = {0};
	struct input_spec s = SPEC_STR(0, true, 0, 0);
	struct input_value v;
	buf_puts(&b, "s=");
	for (int k = 0; k < 1000; k++)
		buf_puts(&b, "%EA%B0%80"); /* 가: three bytes, one code point */
	input_parse_urlencoded(b.data, b.len, NULL, &body);
	tap_ok(input_validate(&s, 1, NULL, &body, &v, NULL) == 0 && v.present,
	       "validate: 1000 code points (3000 bytes) fit the default string bounds");
	field_list_free(&body);
	buf_puts(&b, "a");
	input_parse_urlencoded(b.data, b.len, NULL, &body);
	tap_ok(input_validate(&s, 1, NULL, &body, &v, NULL) == 1 && !v.present,
	       "validate: 1001 code points are too long by default");
	field_list_free(&body);
	buf_free(&b);

	/* Several specs: undeclared fields ignored, each error reported, NULL errors counts. */
	static const struct input_spec specs[] = {
	    {"page", INPUT_INT, Q, false, 1, 100, NULL, 0, 0, NULL},
	    {"per_page", INPUT_INT, Q, false, 1, 100, NULL, 0, 0, NULL},
	    {"sort", INPUT_ENUM, Q, false, 0, 0, sorts, 0, 0, NULL},
	    {"q", INPUT_STRING, Q, false, 0, 100, NULL, 0, 0, NULL},
	    {"on_sale", INPUT_BOOL, Q, false, 0, 0, NULL, 0, 0, NULL},
	};
	struct field_list query = {0};
	struct input_value vals[5];
	const char *qs = "page=2&per_page=500&sort=cheap&q=%EB%B0%94%EC%A7%80&evil=%FF&admin=1";
	input_parse_urlencoded(qs, strlen(qs), NULL, &query);
	json_object *errors = json_object_new_object();
	int n = input_validate(specs, 5, &query, NULL, vals, errors);
	tap_ok(n == 2 && json_object_object_length(errors) == 2, "validate: two invalid fields give two errors");
	json_object *e = json_object_object_get(errors, "per_page");
	tap_ok(e && strcmp(json_object_get_string(e), "too_large") == 0, "validate: errors names per_page too_large");
	e = json_object_object_get(errors, "sort");
	tap_ok(e && strcmp(json_object_get_string(e), "not_allowed") == 0, "validate: errors names sort not_allowed");
	tap_ok(!json_object_object_get(errors, "evil") && !json_object_object_get(errors, "admin"),
	       "validate: undeclared fields are ignored, even invalid ones");
	tap_ok(vals[0].present && vals[0].i == 2 && vals[3].present && strcmp(vals[3].s, "바지") == 0 &&
	           !vals[4].present && !vals[1].present,
	       "validate: the valid values are filled in, the invalid ones not present");
	tap_ok(vals[1].s && strcmp(vals[1].s, "500") == 0,
	       "validate: an invalid value keeps the submitted text for the form");
	json_object_put(errors);
	tap_ok(input_validate(specs, 5, &query, NULL, vals, NULL) == 2, "validate: NULL errors still counts");
	tap_ok(input_validate(specs, 5, NULL, NULL, vals, NULL) == 0 && !vals[0].present,
	       "validate: no fields at all and nothing required is fine");
	tap_ok(input_validate(NULL, 0, &query, NULL, NULL, NULL) == 0, "validate: no specs");
	field_list_free(&query);
}

/* ---- the special text types: e-mail, phone, password, date, postal code ------------------- */

/* A string of n copies of unit after prefix and before suffix (the caller frees it). */
static char *repeat(const char *prefix, const char *unit, size_t n, const char *suffix)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, prefix);
	for (size_t i = 0; i < n; i++)
		buf_puts(&b, unit);
	buf_puts(&b, suffix);
	return b.data;
}

static const struct {
	const char *what;
	const char *s;
	size_t len;
	bool valid;
} email_cases[] = {
    {"plain", BYTES("user@example.com"), true},
    {"dots in the local part", BYTES("first.middle.last@example.com"), true},
    {"plus tag", BYTES("user+shop@example.com"), true},
    {"percent", BYTES("user%team@example.com"), true},
    {"underscore and hyphen", BYTES("a_b-c@example.com"), true},
    {"digits only local part", BYTES("1234@example.com"), true},
    {"one-character local part", BYTES("a@example.com"), true},
    {"upper case", BYTES("User@Example.COM"), true},
    {"subdomains", BYTES("user@mail.shop.example.co.kr"), true},
    {"inner hyphens in a label", BYTES("user@my-shop.example.com"), true},
    {"digits in a label", BYTES("user@123.example.com"), true},
    {"two-letter top-level label", BYTES("user@example.io"), true},
    {"an IDN in its ASCII form", BYTES("user@xn--9n2bp8q.com"), true},
    {"empty", BYTES(""), false},
    {"no @", BYTES("user.example.com"), false},
    {"only @", BYTES("@"), false},
    {"empty local part", BYTES("@example.com"), false},
    {"empty domain", BYTES("user@"), false},
    {"two @", BYTES("us@er@example.com"), false},
    {"leading dot", BYTES(".user@example.com"), false},
    {"trailing dot in the local part", BYTES("user.@example.com"), false},
    {"doubled dot in the local part", BYTES("us..er@example.com"), false},
    {"quoted local part", BYTES("\"us er\"@example.com"), false},
    {"! in the local part", BYTES("user!@example.com"), false},
    {"apostrophe", BYTES("o'brien@example.com"), false},
    {"space inside", BYTES("us er@example.com"), false},
    {"leading space", BYTES(" user@example.com"), false},
    {"trailing space", BYTES("user@example.com "), false},
    {"tab", BYTES("user@example.com\t"), false},
    {"newline", BYTES("user@example.com\nBcc: x@example.com"), false},
    {"NUL byte", BYTES("user\0@example.com"), false},
    {"single-label domain", BYTES("user@localhost"), false},
    {"one-letter top-level label", BYTES("user@example.c"), false},
    {"digit in the top-level label", BYTES("user@example.c0m"), false},
    {"numeric top-level label", BYTES("user@127.0.0.1"), false},
    {"hyphen in the top-level label", BYTES("user@example.co-m"), false},
    {"address literal", BYTES("user@[127.0.0.1]"), false},
    {"leading hyphen in a label", BYTES("user@-example.com"), false},
    {"trailing hyphen in a label", BYTES("user@example-.com"), false},
    {"underscore in the domain", BYTES("user@exa_mple.com"), false},
    {"doubled dot in the domain", BYTES("user@example..com"), false},
    {"leading dot in the domain", BYTES("user@.example.com"), false},
    {"trailing dot (a rooted domain)", BYTES("user@example.com."), false},
    {"Hangul local part", BYTES("사용자@example.com"), false},
    {"Hangul domain (IDN)", BYTES("user@예시.com"), false},
    {"Hangul top-level label", BYTES("user@example.한국"), false},
    {"accented letter", BYTES("us\xc3\xa9r@example.com"), false},
    {"full-width @",
     BYTES("user\xef\xbc\xa0"
           "example.com"),
     false},
};

static void test_email(void)
{
	for (size_t i = 0; i < sizeof email_cases / sizeof email_cases[0]; i++) {
		char *s = exact_copy(email_cases[i].s, email_cases[i].len);
		tap_ok(input_email_valid(s, email_cases[i].len) == email_cases[i].valid, "email: %s is %s",
		       email_cases[i].what, email_cases[i].valid ? "valid" : "invalid");
		free(s);
	}

	/* The limits: 64 bytes of local part, 63 of a label, 254 in all. */
	static const struct {
		const char *what;
		size_t local, label, labels;
		const char *tld;
		bool valid;
	} sizes[] = {
	    {"64-byte local part", 64, 10, 1, "com", true}, {"65-byte local part", 65, 10, 1, "com", false},
	    {"63-byte label", 10, 63, 1, "com", true},      {"64-byte label", 10, 64, 1, "com", false},
	    {"254 bytes in all", 64, 61, 3, "com", true},   {"255 bytes in all", 64, 61, 3, "coms", false},
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		/* local@ then `labels` labels of `label` letters, then the top-level label */
		char *s = repeat("", "a", sizes[i].local, "@");
		struct buf b = BUF_INIT;
		buf_puts(&b, s);
		free(s);
		for (size_t k = 0; k < sizes[i].labels; k++) {
			s = repeat("", "b", sizes[i].label, ".");
			buf_puts(&b, s);
			free(s);
		}
		buf_puts(&b, sizes[i].tld);
		s = exact_copy(b.data, b.len);
		tap_ok(input_email_valid(s, b.len) == sizes[i].valid, "email: %s (%zu bytes) is %s", sizes[i].what,
		       b.len, sizes[i].valid ? "valid" : "invalid");
		free(s);
		buf_free(&b);
	}
}

static const struct {
	const char *what;
	const char *in;
	const char *digits; /* NULL: refused */
} phone_cases[] = {
    {"mobile with hyphens", "010-1234-5678", "01012345678"},
    {"mobile as digits", "01012345678", "01012345678"},
    {"old ten-digit mobile", "011-123-4567", "0111234567"},
    {"Seoul, three-digit exchange", "02-123-4567", "021234567"},
    {"Seoul, four-digit exchange", "02-1234-5678", "0212345678"},
    {"Gyeonggi with blanks", "031 123 4567", "0311234567"},
    {"Gyeonggi, four-digit exchange", "031-1234-5678", "03112345678"},
    {"blank and hyphen mixed", "010 1234-5678", "01012345678"},
    {"nine digits (the fewest)", "021234567", "021234567"},
    {"eleven digits (the most)", "01099998888", "01099998888"},
    {"empty", "", NULL},
    {"eight digits", "02-123-456", NULL},
    {"twelve digits", "010-1234-56789", NULL},
    {"not starting with 0", "10-1234-5678", NULL},
    {"letters", "010-1234-567a", NULL},
    {"words", "phone", NULL},
    {"leading hyphen", "-010-1234-5678", NULL},
    {"trailing hyphen", "010-1234-5678-", NULL},
    {"leading blank", " 010-1234-5678", NULL},
    {"trailing blank", "010-1234-5678 ", NULL},
    {"double hyphen", "010--1234-5678", NULL},
    {"blank and hyphen together", "010 -1234-5678", NULL},
    {"+82 country code", "+82-10-1234-5678", NULL},
    {"+82 without separators", "+821012345678", NULL},
    {"82 without the plus", "821012345678", NULL},
    {"area code in parentheses", "(02) 123-4567", NULL},
    {"dots", "010.1234.5678", NULL},
    {"slashes", "010/1234/5678", NULL},
    {"tab", "010\t1234\t5678", NULL},
    {"full-width digits",
     "\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94"
     "\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98",
     NULL},
    {"only separators", "- -", NULL},
    {"a hundred digits",
     "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567"
     "890123456789",
     NULL},
};

static void test_phone(void)
{
	for (size_t i = 0; i < sizeof phone_cases / sizeof phone_cases[0]; i++) {
		size_t len = strlen(phone_cases[i].in);
		char *s = exact_copy(phone_cases[i].in, len);
		char out[16];
		memset(out, 'X', sizeof out);
		bool ok = input_phone_normalize(s, len, out);
		bool want = phone_cases[i].digits != NULL;
		bool good = ok == want && (!ok || strcmp(out, phone_cases[i].digits) == 0);
		tap_ok(good, "phone: %s \"%s\" -> %s", phone_cases[i].what, phone_cases[i].in,
		       want ? phone_cases[i].digits : "refused");
		if (!good)
			tap_diag("got %s \"%.16s\"", ok ? "ok" : "refused", ok ? out : "");
		free(s);
	}
}

static const struct {
	const char *what;
	const char *s;
	size_t len;
	const char *error; /* NULL: meets the policy */
} password_cases[] = {
    {"8 characters of all four classes", BYTES("Abcdef1!"), NULL},
    {"7 characters", BYTES("Abcde1!"), "too_short"},
    {"empty", BYTES(""), "too_short"},
    {"no upper-case letter", BYTES("abcdef1!"), "weak_password"},
    {"no lower-case letter", BYTES("ABCDEF1!"), "weak_password"},
    {"no digit", BYTES("Abcdefg!"), "weak_password"},
    {"no special character", BYTES("Abcdefg1"), "weak_password"},
    {"letters only", BYTES("Abcdefghijkl"), "weak_password"},
    {"a space is special", BYTES("Abc def1"), NULL},
    {"Hangul is special", BYTES("Abcdef1가"), NULL},
    {"an accented letter is special", BYTES("Abcdef1\xc3\xa9"), NULL},
    {"an emoji is special", BYTES("Abcdef1\xf0\x9f\x98\x80"), NULL},
    {"7 code points in 13 bytes", BYTES("Ab1가나다라"), "too_short"},
    {"8 code points in 16 bytes", BYTES("Ab1가나다라마"), NULL},
    {"a tab", BYTES("Abcdef1!\t"), "not_allowed"},
    {"a newline", BYTES("Abcdef1!\n"), "not_allowed"},
    {"a carriage return", BYTES("Abcdef1!\r"), "not_allowed"},
    {"a NUL byte", BYTES("Abcd\0ef1!"), "not_allowed"},
    {"an escape", BYTES("Abcdef1!\x1b[0m"), "not_allowed"},
    {"DEL", BYTES("Abcdef1!\x7f"), "not_allowed"},
    {"a C1 control (U+0085)", BYTES("Abcdef1!\xc2\x85"), "not_allowed"},
    {"a control in a short one", BYTES("Ab1\x01"), "not_allowed"},
    {"invalid UTF-8 (FF)", BYTES("Abcdef1!\xff"), "not_allowed"},
    {"invalid UTF-8 (overlong slash)", BYTES("Abcdef1\xc0\xaf"), "not_allowed"},
    {"invalid UTF-8 (truncated Hangul)", BYTES("Abcdef1!\xea\xb0"), "not_allowed"},
    {"invalid UTF-8 (surrogate)", BYTES("Abcdef1!\xed\xa0\x80"), "not_allowed"},
};

static void check_password(const char *what, const char *s, size_t len, const char *want)
{
	char *copy = exact_copy(s, len);
	const char *got = input_password_policy(copy, len);
	bool ok = want ? got && strcmp(got, want) == 0 : got == NULL;
	tap_ok(ok, "password: %s -> %s", what, want ? want : "ok");
	if (!ok)
		tap_diag("got %s", got ? got : "ok");
	free(copy);
}

static void test_password(void)
{
	for (size_t i = 0; i < sizeof password_cases / sizeof password_cases[0]; i++)
		check_password(password_cases[i].what, password_cases[i].s, password_cases[i].len,
		               password_cases[i].error);
	/* The upper bound, counted in code points: 64 fit, 65 do not, whatever the bytes. */
	static const struct {
		const char *what;
		const char *unit;
		size_t n;
		const char *error;
	} long_ones[] = {
	    {"64 ASCII characters", "x", 60, NULL},
	    {"65 ASCII characters", "x", 61, "too_long"},
	    {"64 code points (187 bytes)", "가", 60, NULL},
	    {"65 code points (190 bytes)", "가", 61, "too_long"},
	};
	for (size_t i = 0; i < sizeof long_ones / sizeof long_ones[0]; i++) {
		char *s = repeat("Aa1!", long_ones[i].unit, long_ones[i].n, "");
		check_password(long_ones[i].what, s, strlen(s), long_ones[i].error);
		free(s);
	}
}

static const struct {
	const char *what;
	const char *in;
	long long date; /* 0: refused */
} date_cases[] = {
    {"an ordinary date", "2020-05-17", 20200517},
    {"the first day we take", "1900-01-01", 19000101},
    {"the last day of a year", "2020-12-31", 20201231},
    {"far ahead", "9999-12-31", 99991231},
    {"29 February 2000 (divisible by 400)", "2000-02-29", 20000229},
    {"29 February 2024 (divisible by 4)", "2024-02-29", 20240229},
    {"29 February 1900 (divisible by 100)", "1900-02-29", 0},
    {"29 February 2100 (divisible by 100)", "2100-02-29", 0},
    {"29 February 2023", "2023-02-29", 0},
    {"28 February 2023", "2023-02-28", 20230228},
    {"30 February", "2020-02-30", 0},
    {"31 April", "2020-04-31", 0},
    {"30 April", "2020-04-30", 20200430},
    {"31 June", "2021-06-31", 0},
    {"31 September", "2021-09-31", 0},
    {"31 November", "2021-11-31", 0},
    {"32 January", "2020-01-32", 0},
    {"day 00", "2020-01-00", 0},
    {"month 00", "2020-00-10", 0},
    {"month 13", "2020-13-01", 0},
    {"1899", "1899-12-31", 0},
    {"year 0000", "0000-01-01", 0},
    {"no padding", "2020-1-1", 0},
    {"one-digit day", "2020-01-1", 0},
    {"slashes", "2020/01/01", 0},
    {"dots", "2020.01.01", 0},
    {"no separators", "20200101", 0},
    {"day first", "01-01-2020", 0},
    {"a time after it", "2020-01-01T00:00", 0},
    {"a blank after it", "2020-01-01 ", 0},
    {"a blank before it", " 2020-01-01", 0},
    {"a letter", "2020-0a-01", 0},
    {"a sign", "+020-01-01", 0},
    {"five-digit year", "12020-01-01", 0},
    {"empty", "", 0},
    {"full-width digits", "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x90-01-01", 0},
};

/* The UTC date days from now as YYYYMMDD, and as text in text (11 bytes) when text is not NULL. */
static long long utc_date(int days, char *text)
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	if (text)
		strftime(text, 11, "%Y-%m-%d", &tm);
	return (long long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static void test_date(void)
{
	for (size_t i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++) {
		size_t len = strlen(date_cases[i].in);
		char *s = exact_copy(date_cases[i].in, len);
		long long d = -1;
		bool ok = input_date_parse(s, len, &d);
		bool good = date_cases[i].date ? ok && d == date_cases[i].date : !ok;
		tap_ok(good, "date: %s \"%s\" -> %s", date_cases[i].what, date_cases[i].in,
		       date_cases[i].date ? "valid" : "refused");
		if (!good)
			tap_diag("got %s %lld", ok ? "valid" : "refused", d);
		free(s);
	}
	long long before = utc_date(0, NULL), got = input_today(), after = utc_date(0, NULL);
	tap_ok(got == before || got == after, "date: input_today is today in UTC (%lld)", got);
}

#define SPEC_SPECIAL(name, type, req, lo, hi)                                                                          \
	{                                                                                                              \
		name, type, 0, req, lo, hi, NULL, 0, 0, NULL                                                           \
	}
#define SPEC_EMAIL(req)        SPEC_SPECIAL("email", INPUT_EMAIL, req, 0, 0)
#define SPEC_PHONE(req)        SPEC_SPECIAL("phone", INPUT_PHONE, req, 0, 0)
#define SPEC_PASSWORD(req)     SPEC_SPECIAL("password", INPUT_PASSWORD, req, 0, 0)
#define SPEC_DATE(req, lo, hi) SPEC_SPECIAL("date", INPUT_DATE, req, lo, hi)
#define SPEC_POSTAL(req)       SPEC_SPECIAL("postal", INPUT_POSTAL, req, 0, 0)
#define SPEC_CONSENT(req)      SPEC_SPECIAL("agree", INPUT_BOOL, req, 1, 0)

/* The special types through input_validate: their error codes, blank as absent, the values. */
static const struct vcase special_cases[] = {
    /* EMAIL */
    {"email", SPEC_EMAIL(true), NULL, "email=user%40example.com", NULL, true, 0, "user@example.com"},
    {"email lower-cased", SPEC_EMAIL(true), NULL, "email=User.Name%2BTag%40Example.COM", NULL, true, 0,
     "user.name+tag@example.com"},
    {"email JSON", SPEC_EMAIL(true), NULL, "{\"email\":\"A@B.KR\"}", NULL, true, 0, "a@b.kr"},
    {"email invalid", SPEC_EMAIL(true), NULL, "email=user%40localhost", "invalid_email", false, 0, NULL},
    {"email with a blank", SPEC_EMAIL(true), NULL, "email=+user%40example.com", "invalid_email", false, 0, NULL},
    {"email NUL byte", SPEC_EMAIL(true), NULL, "email=a%00%40example.com", "not_allowed", false, 0, NULL},
    {"email JSON number", SPEC_EMAIL(true), NULL, "{\"email\":1}", "wrong_type", false, 0, NULL},
    {"email JSON null", SPEC_EMAIL(true), NULL, "{\"email\":null}", "wrong_type", false, 0, NULL},
    {"email blank optional is absent", SPEC_EMAIL(false), NULL, "email=", NULL, false, 0, ""},
    {"email blank required", SPEC_EMAIL(true), NULL, "email=", "required", false, 0, NULL},
    {"email absent required", SPEC_EMAIL(true), NULL, NULL, "required", false, 0, NULL},
    {"email absent optional", SPEC_EMAIL(false), NULL, NULL, NULL, false, 0, NULL},
    /* PHONE */
    {"phone with hyphens", SPEC_PHONE(true), NULL, "phone=010-1234-5678", NULL, true, 0, "01012345678"},
    {"phone with blanks", SPEC_PHONE(true), NULL, "phone=02+123+4567", NULL, true, 0, "021234567"},
    {"phone JSON", SPEC_PHONE(true), NULL, "{\"phone\":\"031-123-4567\"}", NULL, true, 0, "0311234567"},
    {"phone invalid", SPEC_PHONE(true), NULL, "phone=%2B82-10-1234-5678", "invalid_phone", false, 0, NULL},
    {"phone too short", SPEC_PHONE(true), NULL, "phone=010-123", "invalid_phone", false, 0, NULL},
    {"phone JSON number", SPEC_PHONE(true), NULL, "{\"phone\":1012345678}", "wrong_type", false, 0, NULL},
    {"phone NUL byte", SPEC_PHONE(true), NULL, "phone=010%0012345678", "not_allowed", false, 0, NULL},
    {"phone blank optional is absent", SPEC_PHONE(false), NULL, "phone=", NULL, false, 0, ""},
    {"phone blank required", SPEC_PHONE(true), NULL, "phone=", "required", false, 0, NULL},
    {"phone absent required", SPEC_PHONE(true), NULL, NULL, "required", false, 0, NULL},
    /* PASSWORD */
    {"password", SPEC_PASSWORD(true), NULL, "password=Abcdef1%21", NULL, true, 0, "Abcdef1!"},
    {"password Hangul", SPEC_PASSWORD(true), NULL, "password=Abc1%EA%B0%80%EB%82%98%EB%8B%A4%EB%9D%BC", NULL, true, 0,
     "Abc1가나다라"},
    {"password too short", SPEC_PASSWORD(true), NULL, "password=Ab1%21", "too_short", false, 0, NULL},
    {"password weak", SPEC_PASSWORD(true), NULL, "password=abcdefgh", "weak_password", false, 0, NULL},
    {"password with a newline", SPEC_PASSWORD(true), NULL, "password=Abcdef1%21%0A", "not_allowed", false, 0, NULL},
    {"password invalid UTF-8", SPEC_PASSWORD(true), NULL, "password=Abcdef1%21%FF", "not_allowed", false, 0, NULL},
    {"password JSON bool", SPEC_PASSWORD(true), NULL, "{\"password\":true}", "wrong_type", false, 0, NULL},
    {"password blank optional is absent", SPEC_PASSWORD(false), NULL, "password=", NULL, false, 0, ""},
    {"password blank required", SPEC_PASSWORD(true), NULL, "password=", "required", false, 0, NULL},
    /* DATE */
    {"date", SPEC_DATE(true, 19000101, 0), NULL, "date=1990-05-17", NULL, true, 19900517, "1990-05-17"},
    {"date at min", SPEC_DATE(true, 20000101, 20201231), NULL, "date=2000-01-01", NULL, true, 20000101, NULL},
    {"date below min", SPEC_DATE(true, 20000101, 20201231), NULL, "date=1999-12-31", "too_small", false, 0, NULL},
    {"date at max", SPEC_DATE(true, 20000101, 20201231), NULL, "date=2020-12-31", NULL, true, 20201231, NULL},
    {"date above max", SPEC_DATE(true, 20000101, 20201231), NULL, "date=2021-01-01", "too_large", false, 0, NULL},
    {"date without bounds takes 1900", SPEC_DATE(true, 0, 0), NULL, "date=1900-01-01", NULL, true, 19000101, NULL},
    {"date without a max stops at today", SPEC_DATE(true, 0, 0), NULL, "date=9999-12-31", "too_large", false, 0, NULL},
    {"date 30 February", SPEC_DATE(true, 0, 0), NULL, "date=2020-02-30", "invalid_date", false, 0, NULL},
    {"date other format", SPEC_DATE(true, 0, 0), NULL, "date=2020%2F01%2F01", "invalid_date", false, 0, NULL},
    {"date invalid before bounds", SPEC_DATE(true, 20000101, 20201231), NULL, "date=1899-01-01", "invalid_date", false,
     0, NULL},
    {"date JSON", SPEC_DATE(true, 0, 0), NULL, "{\"date\":\"2004-02-29\"}", NULL, true, 20040229, NULL},
    {"date JSON number", SPEC_DATE(true, 0, 0), NULL, "{\"date\":20040229}", "wrong_type", false, 0, NULL},
    {"date blank optional is absent", SPEC_DATE(false, 0, 0), NULL, "date=", NULL, false, 0, ""},
    {"date blank required", SPEC_DATE(true, 0, 0), NULL, "date=", "required", false, 0, NULL},
    /* POSTAL */
    {"postal code", SPEC_POSTAL(true), NULL, "postal=06236", NULL, true, 0, "06236"},
    {"postal code four digits", SPEC_POSTAL(true), NULL, "postal=6236", "invalid_postal_code", false, 0, NULL},
    {"postal code six digits", SPEC_POSTAL(true), NULL, "postal=062360", "invalid_postal_code", false, 0, NULL},
    {"postal code old form 123-456", SPEC_POSTAL(true), NULL, "postal=135-080", "invalid_postal_code", false, 0, NULL},
    {"postal code letter", SPEC_POSTAL(true), NULL, "postal=0623a", "invalid_postal_code", false, 0, NULL},
    {"postal code five digits and more", SPEC_POSTAL(true), NULL, "postal=06236-123", "invalid_postal_code", false, 0,
     NULL},
    {"postal code blank inside", SPEC_POSTAL(true), NULL, "postal=06+36", "invalid_postal_code", false, 0, NULL},
    {"postal code sign", SPEC_POSTAL(true), NULL, "postal=-6236", "invalid_postal_code", false, 0, NULL},
    {"postal code full-width", SPEC_POSTAL(true), NULL, "postal=%EF%BC%90%EF%BC%96", "invalid_postal_code", false, 0,
     NULL},
    {"postal code JSON number", SPEC_POSTAL(true), NULL, "{\"postal\":62360}", "wrong_type", false, 0, NULL},
    {"postal code blank optional is absent", SPEC_POSTAL(false), NULL, "postal=", NULL, false, 0, ""},
    {"postal code blank required", SPEC_POSTAL(true), NULL, "postal=", "required", false, 0, NULL},
    /* BOOL that must be true (a consent box) */
    {"consent on", SPEC_CONSENT(true), NULL, "agree=on", NULL, true, 1, NULL},
    {"consent 1", SPEC_CONSENT(true), NULL, "agree=1", NULL, true, 1, NULL},
    {"consent JSON true", SPEC_CONSENT(true), NULL, "{\"agree\":true}", NULL, true, 1, NULL},
    {"consent false", SPEC_CONSENT(true), NULL, "agree=false", "must_accept", false, 0, NULL},
    {"consent 0", SPEC_CONSENT(true), NULL, "agree=0", "must_accept", false, 0, NULL},
    {"consent off, optional", SPEC_CONSENT(false), NULL, "agree=off", "must_accept", false, 0, NULL},
    {"consent JSON false", SPEC_CONSENT(true), NULL, "{\"agree\":false}", "must_accept", false, 0, NULL},
    {"consent absent required (unchecked box)", SPEC_CONSENT(true), NULL, NULL, "must_accept", false, 0, NULL},
    {"consent blank required", SPEC_CONSENT(true), NULL, "agree=", "must_accept", false, 0, NULL},
    {"consent absent optional", SPEC_CONSENT(false), NULL, NULL, NULL, false, 0, NULL},
    {"consent not a word", SPEC_CONSENT(true), NULL, "agree=yes", "not_allowed", false, 0, NULL},
    {"consent JSON null", SPEC_CONSENT(true), NULL, "{\"agree\":null}", "wrong_type", false, 0, NULL},
};

/* Validates one spec against a urlencoded body; the caller frees fields. */
static int validate_one(const struct input_spec *spec, const char *body, struct field_list *fields,
                        struct input_value *v, const char **error)
{
	json_object *errors = json_object_new_object();
	input_parse_urlencoded(body, strlen(body), NULL, fields);
	int n = input_validate(spec, 1, NULL, fields, v, errors);
	json_object *e = json_object_object_get(errors, spec->name);
	static char code[32];
	snprintf(code, sizeof code, "%s", e ? json_object_get_string(e) : "");
	*error = e ? code : NULL;
	json_object_put(errors);
	return n;
}

static void test_special_values(void)
{
	for (size_t i = 0; i < sizeof special_cases / sizeof special_cases[0]; i++)
		run_validate_case(&special_cases[i]);

	/* A normalized valid value is read from value.norm; an invalid one keeps what was typed (the
	 * form is drawn again with it). */
	static const struct {
		struct input_spec spec;
		const char *body;
		bool valid;
		const char *s;
		bool in_norm;
	} values[] = {
	    {SPEC_EMAIL(true), "email=Ab%40Example.com", true, "ab@example.com", true},
	    {SPEC_EMAIL(true), "email=Ab%40Example", false, "Ab@Example", false},
	    {SPEC_PHONE(true), "phone=010-1234-5678", true, "01012345678", true},
	    {SPEC_PHONE(true), "phone=010-1234-567x", false, "010-1234-567x", false},
	    {SPEC_PASSWORD(true), "password=Abcdef1%21", true, "Abcdef1!", false},
	    {SPEC_PASSWORD(true), "password=short", false, "short", false},
	    {SPEC_DATE(true, 0, 0), "date=2000-02-29", true, "2000-02-29", false},
	    {SPEC_DATE(true, 0, 0), "date=2020-02-30", false, "2020-02-30", false},
	    {SPEC_DATE(true, 20000101, 0), "date=1999-12-31", false, "1999-12-31", false},
	    {SPEC_POSTAL(true), "postal=06236", true, "06236", false},
	    {SPEC_POSTAL(true), "postal=1234", false, "1234", false},
	    {SPEC_CONSENT(true), "agree=off", false, "off", false},
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		struct field_list fields = {0};
		struct input_value v;
		const char *error;
		int n = validate_one(&values[i].spec, values[i].body, &fields, &v, &error);
		bool ok = n == (values[i].valid ? 0 : 1) && v.present == values[i].valid && v.s &&
		          strlen(values[i].s) == v.len && memcmp(v.s, values[i].s, v.len) == 0 &&
		          (v.s == v.norm) == values[i].in_norm;
		tap_ok(ok, "validate: %s \"%s\" %s value.s \"%s\"%s", values[i].valid ? "valid" : "invalid",
		       values[i].body, values[i].valid ? "gives" : "keeps in", values[i].s,
		       values[i].in_norm ? " (value.norm)" : "");
		field_list_free(&fields);
	}

	/* DATE's max 0 is today (UTC): today and yesterday pass, the day after tomorrow does not
	 * (tomorrow could be today by the time the check runs). */
	static const struct {
		int days;
		const char *error;
	} around[] = {{-1, NULL}, {0, NULL}, {2, "too_large"}, {400, "too_large"}};
	struct input_spec birth = SPEC_DATE(true, 19000101, 0);
	for (size_t i = 0; i < sizeof around / sizeof around[0]; i++) {
		char text[11], body[32];
		long long want = utc_date(around[i].days, text);
		snprintf(body, sizeof body, "date=%s", text);
		struct field_list fields = {0};
		struct input_value v;
		const char *error;
		validate_one(&birth, body, &fields, &v, &error);
		bool ok = around[i].error ? error && strcmp(error, around[i].error) == 0 && !v.present
		                          : !error && v.present && v.i == want;
		tap_ok(ok, "validate: date %s (%+d days) with max 0 (today) -> %s", text, around[i].days,
		       around[i].error ? around[i].error : "ok");
		field_list_free(&fields);
	}

	/* The longest address: 254 bytes fit, 255 are too_long before anything else is looked at. */
	char *local = repeat("", "a", 64, "@");
	char *domain = repeat("", "b.", 93, "com"); /* 186 + 3 bytes */
	struct buf b = BUF_INIT;
	buf_printf(&b, "email=%s%s", local, domain);
	struct field_list fields = {0};
	struct input_value v;
	const char *error;
	struct input_spec email = SPEC_EMAIL(true);
	validate_one(&email, b.data, &fields, &v, &error);
	tap_ok(!error && v.present && v.len == 254 && v.s == v.norm, "validate: an e-mail address of 254 bytes");
	field_list_free(&fields);
	buf_puts(&b, "x");
	validate_one(&email, b.data, &fields, &v, &error);
	tap_ok(error && strcmp(error, "too_long") == 0 && !v.present && v.len == 255,
	       "validate: an e-mail address of 255 bytes is too_long (and kept for the form)");
	field_list_free(&fields);
	buf_free(&b);
	free(local);
	free(domain);
}

/* ---- robustness: mutated and random inputs ---------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

/* xorshift64*: fixed seed, so that a failure reproduces. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t rnd(size_t n)
{
	return n ? (size_t)(rng() % n) : 0;
}

static const char *const tokens[] = {
    "%",
    "%0",
    "%zz",
    "%00",
    "%FF",
    "+",
    "&",
    "=",
    ";",
    "\"",
    "\\",
    "\r\n",
    "\n",
    "\r\n\r\n",
    "--XyZ",
    "\r\n--XyZ",
    "--XyZ--",
    "Content-Disposition: form-data; name=",
    "filename=\"",
    "Content-Type: ",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"a\":",
    "\\u",
    "\\ud800",
    "\\u0000",
    "1e9",
    "-",
    "0",
    "99999999999999999999",
    "true",
    "null",
    "\xff",
    "\xc0\xaf",
    "\xed\xa0\x80",
    "\xe6\x97",
    "\xf0\x9f\x98\x80",
    "\0",
    " ",
    "\t",
};

/* Applies a few random edits (byte changes, token insertions, deletions, duplications,
 * truncation) to b. */
static void mutate(struct buf *b)
{
	size_t edits = 1 + rnd(6);
	for (size_t e = 0; e < edits; e++) {
		size_t at = rnd(b->len + 1);
		switch (rnd(6)) {
		case 0: /* change a byte */
			if (b->len)
				b->data[rnd(b->len)] = (char)rnd(256);
			break;
		case 1: { /* insert a token */
			const char *t = tokens[rnd(sizeof tokens / sizeof tokens[0])];
			size_t tl = t[0] ? strlen(t) : 1;
			struct buf nb = BUF_INIT;
			buf_append(&nb, b->data, at);
			buf_append(&nb, t, tl);
			buf_append(&nb, b->data + at, b->len - at);
			buf_free(b);
			*b = nb;
			break;
		}
		case 2: { /* delete a range */
			size_t n = rnd(b->len - at + 1);
			memmove(b->data + at, b->data + at + n, b->len - at - n);
			b->len -= n;
			break;
		}
		case 3: { /* duplicate a range */
			size_t n = rnd(b->len - at + 1);
			if (n > 64)
				n = 64;
			struct buf nb = BUF_INIT;
			buf_append(&nb, b->data, at + n);
			buf_append(&nb, b->data + at, b->len - at);
			buf_free(b);
			*b = nb;
			break;
		}
		case 4: /* truncate */ b->len = at; break;
		default: /* a random byte inserted */
		{
			char c = (char)rnd(256);
			struct buf nb = BUF_INIT;
			buf_append(&nb, b->data, at);
			buf_append(&nb, &c, 1);
			buf_append(&nb, b->data + at, b->len - at);
			buf_free(b);
			*b = nb;
			break;
		}
		}
	}
}

/* Fills b with either a mutation of one of the seeds or plain random bytes. */
static void fuzz_input(struct buf *b, const char *const *seeds, size_t nseeds)
{
	buf_reset(b);
	if (rnd(8) == 0) {
		size_t n = rnd(200);
		for (size_t k = 0; k < n; k++)
			buf_putc(b, (char)rnd(256));
		return;
	}
	buf_puts(b, seeds[rnd(nseeds)]);
	mutate(b);
}

static const struct input_spec fuzz_specs[] = {
    {"a", INPUT_INT, 0, true, 0, 0, NULL, 0, 0, NULL},     {"b", INPUT_STRING, 0, false, 0, 5, NULL, 0, 0, NULL},
    {"c", INPUT_BOOL, 0, false, 0, 0, NULL, 0, 0, NULL},   {"sort", INPUT_ENUM, 0, false, 0, 0, sorts, 0, 0, NULL},
    {"f", INPUT_FILE, 0, false, 1, 100, NULL, 0, 0, NULL}, {"n", INPUT_INT, Q, false, -5, 5, NULL, 0, 0, NULL},
};

/* Validates a fuzzed list against every kind of spec, as query and as body. */
static void fuzz_validate(const struct field_list *l)
{
	struct input_value v[sizeof fuzz_specs / sizeof fuzz_specs[0]];
	json_object *errors = json_object_new_object();
	input_validate(fuzz_specs, sizeof fuzz_specs / sizeof fuzz_specs[0], l, l, v, errors);
	json_object_put(errors);
	for (size_t i = 0; i < l->count; i++) {
		utf8_valid(l->items[i].value, l->items[i].len);
		utf8_length(l->items[i].value, l->items[i].len);
	}
}

#define FUZZ_ROUNDS 3000

/* A second, differently built UTF-8 decoder: computes each code point and checks it against
 * the shortest form, the surrogates and U+10FFFF. Returns validity and the code point count. */
static bool ref_utf8_decode(const unsigned char *s, size_t len, size_t *count)
{
	*count = 0;
	for (size_t i = 0; i < len; (*count)++) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 2, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 3, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (len - i < n)
			return false;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n;
	}
	return true;
}

static void test_fuzz(void)
{
	static const char *const url_seeds[] = {
	    "a=1&b=x+y&c=on&sort=newest",
	    "a=%41%42&b=%EC%B2%AD&n=-3",
	    "a&b=&=c&&",
	    "",
	};
	static const char *const mp_seeds[] = {
	    "--XyZ" CRLF CD "name=\"a\"" CRLF CRLF "12" CRLF "--XyZ" CRLF CD "name=\"f\"; filename=\"x.png\"" CRLF
	    "Content-Type: image/png" CRLF CRLF "\x89PNG" CRLF "--XyZ--" CRLF,
	    "pre" CRLF "--XyZ" CRLF CD "name=b" CRLF CRLF "hi" CRLF "--XyZ--",
	};
	static const char *const mp_types[] = {
	    CT,
	    "multipart/form-data; boundary=\"XyZ\"",
	    "multipart/form-data; boundary=",
	    "multipart/form-data",
	    "multipart/form-data; boundary=X",
	    "text/plain",
	};
	static const char *const json_seeds[] = {
	    "{\"a\":12,\"b\":\"x\\u00e9\",\"c\":true,\"sort\":\"popular\",\"o\":{\"k\":[1,2.5,null]}}",
	    "{\"a\":\"\\ud83d\\ude00\",\"n\":-0.5e-3,\"b\":\"청바지\"}",
	    "{}",
	};
	static const char *const cookie_seeds[] = {"a=1; b=\"two\"; lang=ko", "sid=abc;;x", ""};
	struct buf b = BUF_INIT;
	struct field_list l = {0};
	int bad;

	bad = 0;
	for (int r = 0; r < FUZZ_ROUNDS; r++) {
		fuzz_input(&b, url_seeds, sizeof url_seeds / sizeof url_seeds[0]);
		char *s = exact_copy(b.data, b.len);
		int rc = input_parse_urlencoded(s, b.len, NULL, &l);
		if (rc != 0 && rc != 400 && rc != 413)
			bad++;
		fuzz_validate(&l);
		field_list_free(&l);
		free(s);
	}
	tap_ok(bad == 0, "fuzz: %d mutated urlencoded inputs all end in 0/400/413", FUZZ_ROUNDS);

	bad = 0;
	for (int r = 0; r < FUZZ_ROUNDS; r++) {
		fuzz_input(&b, mp_seeds, sizeof mp_seeds / sizeof mp_seeds[0]);
		char *s = exact_copy(b.data, b.len);
		const char *ct = mp_types[rnd(4) ? 0 : rnd(sizeof mp_types / sizeof mp_types[0])];
		struct buf mct = BUF_INIT;
		if (rnd(10) == 0) { /* a mutated Content-Type as well */
			buf_puts(&mct, ct);
			mutate(&mct);
			buf_putc(&mct, '\0');
			ct = mct.data;
		}
		struct input_limits lim = input_default_limits;
		lim.max_part_headers = rnd(2) ? 8192 : rnd(80);
		lim.max_fields = rnd(2) ? 200 : rnd(3);
		int rc = input_parse_multipart(ct, s, b.len, &lim, &l);
		if (rc != 0 && rc != 400 && rc != 413)
			bad++;
		fuzz_validate(&l);
		field_list_free(&l);
		buf_free(&mct);
		free(s);
	}
	tap_ok(bad == 0, "fuzz: %d mutated multipart inputs all end in 0/400/413", FUZZ_ROUNDS);

	bad = 0;
	for (int r = 0; r < FUZZ_ROUNDS; r++) {
		fuzz_input(&b, json_seeds, sizeof json_seeds / sizeof json_seeds[0]);
		char *s = exact_copy(b.data, b.len);
		struct input_limits lim = input_default_limits;
		lim.max_json_depth = rnd(2) ? 16 : rnd(4);
		int rc = input_parse_json(s, b.len, &lim, &l);
		if (rc != 0 && rc != 400 && rc != 413)
			bad++;
		fuzz_validate(&l);
		field_list_free(&l);
		free(s);
	}
	tap_ok(bad == 0, "fuzz: %d mutated JSON inputs all end in 0/400/413", FUZZ_ROUNDS);

	bad = 0;
	for (int r = 0; r < FUZZ_ROUNDS; r++) {
		fuzz_input(&b, cookie_seeds, sizeof cookie_seeds / sizeof cookie_seeds[0]);
		buf_putc(&b, '\0');
		input_parse_cookies(b.data, &l);
		for (size_t i = 0; i < l.count; i++)
			if (!l.items[i].name[0] || strchr(l.items[i].name, ';') || strchr(l.items[i].value, ';'))
				bad++;
		fuzz_validate(&l);
		field_list_free(&l);
	}
	tap_ok(bad == 0, "fuzz: %d mutated cookie headers give only well-formed pairs", FUZZ_ROUNDS);

	bad = 0;
	for (int r = 0; r < FUZZ_ROUNDS; r++) {
		size_t n = rnd(12);
		buf_reset(&b);
		for (size_t k = 0; k < n; k++)
			buf_putc(&b, (char)(rnd(3) ? 0x80 + rnd(0x80) : rnd(0x80)));
		char *s = exact_copy(b.data, b.len);
		size_t cps;
		bool ref = ref_utf8_decode((const unsigned char *)s, b.len, &cps);
		if (utf8_valid(s, b.len) != ref || (ref && utf8_length(s, b.len) != cps))
			bad++;
		free(s);
	}
	tap_ok(bad == 0, "fuzz: utf8_valid and utf8_length agree with a reference decoder on %d random strings",
	       FUZZ_ROUNDS);
	buf_free(&b);
}

/* An input that repeats another (a password typed twice) is checked with the rest. */
static void test_same_as(void)
{
	static const struct input_spec specs[] = {
	    {.name = "password", .type = INPUT_PASSWORD, .sources = INPUT_FROM_BODY, .required = true},
	    {.name = "password_confirm",
	     .type = INPUT_STRING,
	     .sources = INPUT_FROM_BODY,
	     .min = 1,
	     .max = 1000,
	     .flags = INPUT_SECRET,
	     .same_as = "password"},
	    {.name = "email", .type = INPUT_EMAIL, .sources = INPUT_FROM_BODY, .required = true},
	};
	static const struct {
		const char *name, *body, *password_error, *confirm_error;
		int invalid;
	} cases[] = {
	    {"the same twice", "password=Abcdef1%21&password_confirm=Abcdef1%21&email=a%40b.kr", NULL, NULL, 0},
	    {"different", "password=Abcdef1%21&password_confirm=Abcdef1%3F&email=a%40b.kr", NULL, "mismatch", 1},
	    {"different, shown with the other errors", "password=Abcdef1%21&password_confirm=x&email=nope", NULL,
	     "mismatch", 2},
	    {"a weak password typed twice: only the password is wrong",
	     "password=abc&password_confirm=abc&email=a%40b.kr", "too_short", NULL, 1},
	    {"no confirmation (the API may leave it out)", "password=Abcdef1%21&email=a%40b.kr", NULL, NULL, 0},
	    {"a case difference is a mismatch", "password=Abcdef1%21&password_confirm=abcdef1%21&email=a%40b.kr", NULL,
	     "mismatch", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct field_list body = {0};
		struct input_value values[3];
		input_parse_urlencoded(cases[i].body, strlen(cases[i].body), NULL, &body);
		json_object *errors = json_object_new_object();
		int invalid = input_validate(specs, 3, NULL, &body, values, errors);
		json_object *p = json_object_object_get(errors, "password"),
		            *c = json_object_object_get(errors, "password_confirm");
		bool ok =
		    invalid == cases[i].invalid &&
		    (cases[i].password_error ? p && strcmp(json_object_get_string(p), cases[i].password_error) == 0
		                             : !p) &&
		    (cases[i].confirm_error ? c && strcmp(json_object_get_string(c), cases[i].confirm_error) == 0 : !c);
		tap_ok(ok, "same_as: %s (%d invalid: %s)", cases[i].name, invalid, json_object_to_json_string(errors));
		json_object_put(errors);
		field_list_free(&body);
	}
}

int main(void)
{
	test_utf8();
	test_urlencoded();
	test_multipart();
	test_json();
	test_cookies();
	test_validate();
	test_validate_files();
	test_email();
	test_phone();
	test_password();
	test_date();
	test_special_values();
	test_same_as();
	test_fuzz();
	return tap_done();
}
