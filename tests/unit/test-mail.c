/* Mail (src/net/mail.c): the message mail_compose writes (headers without injection, the subject
 * as RFC 2047 encoded words, the body as base64), read back by an independent parser and decoder
 * here; and mail_deliver into a folder, to a fake SMTP server on a thread (a 250, a 4xx, a 5xx, a
 * server without STARTTLS), to a closed port, and with no transport at all. */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/input.h"
#include "net/mail.h"
#include "tap.h"
#include "util/buf.h"
#include "util/config.h"

#define FROM "LONUA Test <test@lonua.example>"

static void load_config(void)
{
	char err[256];
	if (config_load(err, sizeof err) != 0)
		tap_diag("config_load: %s", err);
}

/* ---- reading a message back ----------------------------------------------------------------- */

/* Decodes standard base64 with padding (RFC 4648 §4) from s[0..len), appending to out; false when
 * it is not that (a wrong character, a wrong length, padding in the middle). */
static bool b64_decode(const char *s, size_t len, struct buf *out)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	if (len % 4 != 0)
		return false;
	for (size_t i = 0; i < len; i += 4) {
		unsigned long v = 0;
		int pad = 0;
		for (size_t j = 0; j < 4; j++) {
			const char *d = s[i + j] ? strchr(digits, s[i + j]) : NULL;
			if (s[i + j] == '=' && i + 4 == len && j >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (!d || pad)
				return false;
			v = v << 6 | (unsigned long)(d - digits);
		}
		unsigned char bytes[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
		buf_append(out, bytes, 3 - (size_t)pad);
	}
	return true;
}

struct header {
	char name[64];
	struct buf raw;   /* the lines as written, CRLFs included */
	struct buf value; /* unfolded: CRLF before a continuation line removed */
};

struct message {
	bool crlf_only; /* every line ends in CRLF: no bare CR, no bare LF */
	bool has_blank; /* the header block ends with an empty line */
	size_t nheaders;
	struct header headers[16];
	struct buf body; /* as written */
};

static void message_free(struct message *m)
{
	for (size_t i = 0; i < m->nheaders; i++) {
		buf_free(&m->headers[i].raw);
		buf_free(&m->headers[i].value);
	}
	buf_free(&m->body);
}

/* Splits the message into header fields (RFC 5322 §2.2, with folding) and the body. */
static void parse_message(const struct buf *in, struct message *m)
{
	memset(m, 0, sizeof *m);
	const char *s = in->data, *end = in->data + in->len;
	m->crlf_only = true;
	for (size_t i = 0; i < in->len; i++) {
		if (s[i] == '\r' && (i + 1 == in->len || s[i + 1] != '\n'))
			m->crlf_only = false;
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			m->crlf_only = false;
	}
	const char *blank = strstr(s, "\r\n\r\n");
	m->has_blank = blank != NULL;
	const char *head_end = blank ? blank + 2 : end;
	const char *p = s;
	struct header *h = NULL;
	while (p < head_end) {
		const char *eol = strstr(p, "\r\n");
		if (!eol || eol > head_end)
			eol = head_end;
		if ((*p == ' ' || *p == '\t') && h) {
			buf_puts(&h->raw, "\r\n");
			buf_append(&h->raw, p, (size_t)(eol - p));
			buf_append(&h->value, p, (size_t)(eol - p));
		} else if (m->nheaders < sizeof m->headers / sizeof m->headers[0]) {
			h = &m->headers[m->nheaders++];
			const char *colon = memchr(p, ':', (size_t)(eol - p));
			size_t n = colon ? (size_t)(colon - p) : 0;
			snprintf(h->name, sizeof h->name, "%.*s", (int)n, p);
			buf_append(&h->raw, p, (size_t)(eol - p));
			const char *v = colon ? colon + 1 : eol;
			if (v < eol && *v == ' ')
				v++;
			buf_append(&h->value, v, (size_t)(eol - v));
		}
		p = eol + 2;
	}
	buf_append(&m->body, "", 0);
	if (blank)
		buf_append(&m->body, blank + 4, (size_t)(end - (blank + 4)));
}

static const struct header *header(const struct message *m, const char *name)
{
	for (size_t i = 0; i < m->nheaders; i++)
		if (strcasecmp(m->headers[i].name, name) == 0)
			return &m->headers[i];
	return NULL;
}

static const char *value(const struct message *m, const char *name)
{
	const struct header *h = header(m, name);
	return h ? buf_str(&h->value) : "";
}

/* Decodes a Subject of encoded words into out. Checks RFC 2047: each word =?UTF-8?B?...?= of at
 * most 75 characters, whole characters in each word, lines of at most 76 characters. */
static bool decode_subject(const struct header *h, struct buf *out, char *why, size_t whylen)
{
	/* Line lengths, the first counting "Subject: ". */
	const char *raw = buf_str(&h->raw);
	for (const char *line = raw; *line;) {
		const char *eol = strstr(line, "\r\n");
		size_t n = eol ? (size_t)(eol - line) : strlen(line);
		if (n > 76) {
			snprintf(why, whylen, "a line of %zu characters", n);
			return false;
		}
		line += n + (eol ? 2 : 0);
	}
	const char *v = buf_str(&h->value);
	size_t words = 0;
	while (*v) {
		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v)
			break;
		size_t n = strcspn(v, " \t");
		if (n > 75 || n < 12 || strncmp(v, "=?UTF-8?B?", 10) != 0 || strncmp(v + n - 2, "?=", 2) != 0) {
			snprintf(why, whylen, "word %zu is not an encoded word of at most 75 characters: %.*s", words,
			         (int)n, v);
			return false;
		}
		struct buf w = BUF_INIT;
		bool ok = b64_decode(v + 10, n - 12, &w);
		if (!ok || w.len == 0 || !utf8_valid(w.data, w.len)) {
			snprintf(why, whylen, "word %zu: %s", words,
			         !ok          ? "bad base64"
			         : w.len == 0 ? "empty"
			                      : "splits a character");
			buf_free(&w);
			return false;
		}
		buf_append(out, w.data, w.len);
		buf_free(&w);
		words++;
		v += n;
	}
	buf_append(out, "", 0);
	return true;
}

/* Decodes the body: base64 lines of at most 76 characters, each ending in CRLF. */
static bool decode_body(const struct message *m, struct buf *out, char *why, size_t whylen)
{
	const char *p = buf_str(&m->body);
	buf_append(out, "", 0);
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		if (!eol) {
			snprintf(why, whylen, "the last line has no CRLF");
			return false;
		}
		size_t n = (size_t)(eol - p);
		if (n == 0 || n > 76) {
			snprintf(why, whylen, "a body line of %zu characters", n);
			return false;
		}
		if (!b64_decode(p, n, out) || (strchr(p, '=') && strchr(p, '=') < eol && eol[2])) {
			snprintf(why, whylen, "a body line that is not base64 (or padding before the end): %.*s",
			         (int)n, p);
			return false;
		}
		p = eol + 2;
	}
	return true;
}

/* s with CR and LF shown as \r and \n, for a test's name (one TAP line); a static buffer. */
static const char *printable(const char *s)
{
	static char out[256];
	size_t n = 0;
	for (; *s && n + 3 < sizeof out; s++) {
		if (*s == '\r' || *s == '\n') {
			out[n++] = '\\';
			out[n++] = *s == '\r' ? 'r' : 'n';
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	return out;
}

/* ---- mail_compose --------------------------------------------------------------------------- */

static void test_headers(void)
{
	struct buf out = BUF_INIT;
	struct message m;
	time_t before = time(NULL);
	mail_compose("shopper@example.com", "Verify your address", "Hello\nWorld\n", "42-abc", &out);
	time_t after = time(NULL);
	parse_message(&out, &m);

	static const char *const order[] = {"From",       "To",           "Subject",      "Date",
	                                    "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
	bool in_order = m.nheaders == 8;
	for (size_t i = 0; in_order && i < 8; i++)
		in_order = strcmp(m.headers[i].name, order[i]) == 0;
	tap_ok(in_order, "compose: From, To, Subject, Date, Message-ID, MIME-Version, Content-Type, "
	                 "Content-Transfer-Encoding, in that order, nothing else");
	tap_ok(m.crlf_only && m.has_blank, "compose: CRLF line ends; an empty line ends the header block");
	tap_ok(strcmp(value(&m, "From"), FROM) == 0, "compose: From is LONUA_MAIL_FROM (%s)", value(&m, "From"));
	tap_ok(strcmp(value(&m, "To"), "shopper@example.com") == 0, "compose: To");
	tap_ok(strcmp(value(&m, "Subject"), "Verify your address") == 0, "compose: an ASCII subject is kept as it is");
	tap_ok(strcmp(value(&m, "Message-ID"), "<42-abc@lonua>") == 0, "compose: Message-ID <id@lonua>");
	tap_ok(strcmp(value(&m, "MIME-Version"), "1.0") == 0 &&
	           strcmp(value(&m, "Content-Type"), "text/plain; charset=UTF-8") == 0 &&
	           strcmp(value(&m, "Content-Transfer-Encoding"), "base64") == 0,
	       "compose: MIME 1.0, text/plain in UTF-8, base64");

	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *date = value(&m, "Date");
	const char *rest = strptime(date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	time_t t = rest && !*rest ? timegm(&tm) : 0;
	tap_ok(t >= before && t <= after, "compose: Date is now, in RFC 5322 form, UTC (%s)", date);

	struct buf text = BUF_INIT;
	char why[200] = "";
	tap_ok(decode_body(&m, &text, why, sizeof why) && strcmp(buf_str(&text), "Hello\nWorld\n") == 0,
	       "compose: the body decodes to the text %s", why);
	buf_free(&text);
	message_free(&m);
	buf_free(&out);
}

static void test_injection(void)
{
	static const struct {
		const char *what;
		const char *to, *subject, *id;
		const char *want_to, *want_subject, *want_id;
	} cases[] = {
	    {"CRLF", "a@example.com\r\nBcc: victim@example.com", "Hi\r\nBcc: x@example.com", "1\r\nX-Evil: 1",
	     "a@example.comBcc: victim@example.com", "HiBcc: x@example.com", "<1X-Evil: 1@lonua>"},
	    {"bare LF", "a@example.com\nBcc: victim@example.com", "Hi\nBcc: x@example.com", "1\nX-Evil: 1",
	     "a@example.comBcc: victim@example.com", "HiBcc: x@example.com", "<1X-Evil: 1@lonua>"},
	    {"bare CR", "a@example.com\rBcc: victim@example.com", "Hi\rBcc: x@example.com", "1\rX-Evil: 1",
	     "a@example.comBcc: victim@example.com", "HiBcc: x@example.com", "<1X-Evil: 1@lonua>"},
	    {"an empty line (a body of one's own)", "a@example.com\r\n\r\nbody", "Hi\r\n\r\nbody", "1\r\n\r\nbody",
	     "a@example.combody", "Hibody", "<1body@lonua>"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf out = BUF_INIT;
		struct message m;
		mail_compose(cases[i].to, cases[i].subject, "text", cases[i].id, &out);
		parse_message(&out, &m);
		bool ok = m.crlf_only && m.nheaders == 8 && !header(&m, "Bcc") && !header(&m, "X-Evil") &&
		          strcmp(value(&m, "To"), cases[i].want_to) == 0 &&
		          strcmp(value(&m, "Subject"), cases[i].want_subject) == 0 &&
		          strcmp(value(&m, "Message-ID"), cases[i].want_id) == 0;
		tap_ok(ok, "compose: %s in To, Subject and Message-ID is taken out (no header injection)",
		       cases[i].what);
		if (!ok)
			tap_diag("%s", buf_str(&out));
		message_free(&m);
		buf_free(&out);
	}

	/* From comes from the configuration: a CR/LF there starts no header either. */
	setenv("LONUA_MAIL_FROM", "LONUA\r\nBcc: x@example.com <a@lonua.example>", 1);
	load_config();
	struct buf out = BUF_INIT;
	struct message m;
	mail_compose("a@example.com", "Hi", "text", "1", &out);
	parse_message(&out, &m);
	tap_ok(m.crlf_only && m.nheaders == 8 && !header(&m, "Bcc") &&
	           strcmp(value(&m, "From"), "LONUABcc: x@example.com <a@lonua.example>") == 0,
	       "compose: CR/LF in LONUA_MAIL_FROM is taken out");
	message_free(&m);
	buf_free(&out);
	setenv("LONUA_MAIL_FROM", FROM, 1);
	load_config();
}

/* A string of n copies of unit after prefix (the caller frees it). */
static char *repeat(const char *prefix, const char *unit, size_t n)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, prefix);
	for (size_t i = 0; i < n; i++)
		buf_puts(&b, unit);
	return b.data;
}

static void check_subject(const char *what, const char *subject, const char *want)
{
	struct buf out = BUF_INIT, got = BUF_INIT;
	struct message m;
	char why[200] = "";
	mail_compose("a@example.com", subject, "text", "1", &out);
	parse_message(&out, &m);
	const struct header *h = header(&m, "Subject");
	bool ok = h && m.crlf_only && m.nheaders == 8 && decode_subject(h, &got, why, sizeof why);
	if (ok && strcmp(buf_str(&got), want) != 0) {
		snprintf(why, sizeof why, "decodes to \"%s\"", buf_str(&got));
		ok = false;
	}
	tap_ok(ok, "subject: %s: encoded words of whole characters that decode back %s", what, why);
	message_free(&m);
	buf_free(&out);
	buf_free(&got);
}

static void test_subject(void)
{
	check_subject("Korean", "[LONUA] 이메일 주소를 확인해 주세요", "[LONUA] 이메일 주소를 확인해 주세요");
	check_subject("one Hangul syllable", "가", "가");
	check_subject("e acute", "caf\xc3\xa9", "caf\xc3\xa9");
	/* Long subjects, offset by 0, 1 and 2 ASCII bytes so that a cut falls at every place inside
	 * a three- or four-byte character. */
	static const char *const prefixes[] = {"", "a", "ab", "abc"};
	static const char *const units[] = {"비밀번호 재설정 ", "가", "\xf0\x9f\x98\x80", "\xc3\xa9"};
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
		for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
			char *s = repeat(prefixes[p], units[u], 40);
			char what[64];
			snprintf(what, sizeof what, "\"%s\" + 40 x \"%s\" (%zu bytes)", prefixes[p], units[u],
			         strlen(s));
			check_subject(what, s, s);
			free(s);
		}
	check_subject("CR/LF inside a Korean subject is taken out", "확인\r\n해 주세요\r\nBcc: x@example.com",
	              "확인해 주세요Bcc: x@example.com");
	char *s = repeat("", "\x80", 100);
	struct buf out = BUF_INIT;
	mail_compose("a@example.com", s, "text", "1", &out);
	tap_ok(out.len > 0, "subject: 100 bytes of broken UTF-8 end (the encoder never loops)");
	buf_free(&out);
	free(s);
}

static void check_body(const char *what, const char *text)
{
	struct buf out = BUF_INIT, got = BUF_INIT;
	struct message m;
	char why[200] = "";
	mail_compose("a@example.com", "Hi", text, "1", &out);
	parse_message(&out, &m);
	bool ok = m.crlf_only && decode_body(&m, &got, why, sizeof why);
	if (ok && (got.len != strlen(text) || memcmp(got.data, text, got.len) != 0)) {
		snprintf(why, sizeof why, "decodes to %zu other bytes", got.len);
		ok = false;
	}
	tap_ok(ok, "body: %s (%zu bytes): base64 lines of at most 76 characters decode to the exact text %s", what,
	       strlen(text), why);
	message_free(&m);
	buf_free(&out);
	buf_free(&got);
}

static void test_body(void)
{
	check_body("empty", "");
	check_body("1 byte", "a");
	check_body("2 bytes", "ab");
	check_body("3 bytes", "abc");
	char *s = repeat("", "x", 56);
	check_body("56 bytes", s);
	free(s);
	s = repeat("", "x", 57);
	check_body("57 bytes (one full line)", s);
	free(s);
	s = repeat("", "x", 58);
	check_body("58 bytes", s);
	free(s);
	check_body("lines that start with '.' (SMTP's end of data)", ".\r\n.\r\n..\n.\nend\r\n.");
	check_body("Korean with CRLF and LF",
	           "홍길동님, 안녕하세요.\r\n\r\n아래 링크를 여세요:\nhttps://x/verify?token=abc\n");
	check_body("tabs, quotes and '=?'", "\t=?UTF-8?B?abc?=\t\"quoted\" <tag> & \\ 100%\n");
	s = repeat("첫 줄\n", "이 메일은 긴 본문입니다. The quick brown fox. ", 400);
	check_body("a long text", s);
	free(s);
	s = repeat("", "\xf0\x9f\x98\x80", 1000);
	check_body("4000 bytes of emoji", s);
	free(s);
}

/* ---- mail_deliver: a folder ----------------------------------------------------------------- */

/* The names in dir, sorted, joined by '|' (NULL if it cannot be read); the caller frees them. */
static char *list_dir(const char *dir, size_t *count)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	*count = 0;
	if (n < 0)
		return NULL;
	struct buf b = BUF_INIT;
	buf_append(&b, "", 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			buf_printf(&b, "%s%s", b.len ? "|" : "", names[i]->d_name);
			(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return b.data;
}

static void remove_tree(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			struct stat st;
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(path);
			else
				unlink(path);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	rmdir(dir);
}

static bool eml_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".eml") == 0 && !strstr(name, "tmp");
}

static void test_deliver_folder(const char *tmp)
{
	char dir[600], err[300];
	snprintf(dir, sizeof dir, "%s/mail", tmp); /* not there yet: the first delivery makes it */
	setenv("LONUA_MAIL_DIR", dir, 1);
	unsetenv("LONUA_SMTP_URL");
	load_config();

	struct buf message = BUF_INIT;
	mail_compose("shopper@example.com", "이메일 주소를 확인해 주세요", "본문\n", "7", &message);
	enum status st = mail_deliver("shopper@example.com", &message, err, sizeof err);
	tap_ok(st == ST_OK && err[0] == '\0', "deliver: into LONUA_MAIL_DIR (made when missing) %s", err);
	size_t count;
	char *names = list_dir(dir, &count);
	char first[256] = "";
	if (names)
		snprintf(first, sizeof first, "%s", names);
	tap_ok(count == 1 && eml_name(first), "deliver: one .eml file and no temporary file (%s)", names ? names : "-");
	free(names);

	char path[1000];
	snprintf(path, sizeof path, "%s/%s", dir, first);
	struct buf file = BUF_INIT;
	tap_ok(buf_append_file(&file, path) == 0 && file.len == message.len &&
	           memcmp(file.data, message.data, message.len) == 0,
	       "deliver: the file holds the whole message, byte for byte");
	buf_free(&file);

	st = mail_deliver("shopper@example.com", &message, err, sizeof err);
	names = list_dir(dir, &count);
	bool all_eml = names && count == 2;
	for (char *n = names; all_eml && n;) {
		char *bar = strchr(n, '|');
		if (bar)
			*bar = '\0';
		all_eml = eml_name(n);
		n = bar ? bar + 1 : NULL;
	}
	tap_ok(st == ST_OK && all_eml, "deliver: a second mail is a second file");
	free(names);

	/* Addresses that are not one: refused for good, nothing written. */
	static const char *const bad[] = {
	    "a@example.com\r\nBcc: b@example.com",
	    "a@example.com\n",
	    "a\r@example.com",
	    "nobody",
	    "",
	    "<a@example.com>",
	    "a@example.com>",
	    "a@example.com> BODY=8BITMIME",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(err, "");
		st = mail_deliver(bad[i], &message, err, sizeof err);
		names = list_dir(dir, &count);
		tap_ok(st == ST_INVALID && err[0] && count == 2, "deliver: \"%s\" is ST_INVALID (%s), nothing written",
		       printable(bad[i]), err);
		free(names);
	}

	/* A folder that cannot be made: ST_ERROR that says where. */
	char file_path[700], blocked[800];
	snprintf(file_path, sizeof file_path, "%s/a-file", tmp);
	FILE *f = fopen(file_path, "w");
	if (f)
		fclose(f);
	snprintf(blocked, sizeof blocked, "%s/sub", file_path);
	setenv("LONUA_MAIL_DIR", blocked, 1);
	load_config();
	st = mail_deliver("shopper@example.com", &message, err, sizeof err);
	tap_ok(st == ST_ERROR && strstr(err, "cannot write") && strstr(err, blocked),
	       "deliver: an unwritable LONUA_MAIL_DIR is ST_ERROR naming the path (%s)", err);

	/* No transport at all. */
	unsetenv("LONUA_MAIL_DIR");
	load_config();
	st = mail_deliver("shopper@example.com", &message, err, sizeof err);
	tap_ok(st == ST_ERROR && strstr(err, "LONUA_SMTP_URL") && strstr(err, "LONUA_MAIL_DIR"),
	       "deliver: no transport is ST_ERROR naming both settings (%s)", err);
	buf_free(&message);
}

/* ---- mail_deliver: SMTP ---------------------------------------------------------------------- */

struct smtp_fake {
	int listen_fd;
	int port;
	const char *rcpt_reply; /* the answer to RCPT TO */
	bool offer_starttls;
	struct buf transcript; /* the client's commands, one per line */
	struct buf data;       /* what came after DATA, up to the final dot */
};

static bool read_line(int fd, struct buf *line)
{
	buf_reset(line);
	char c;
	while (read(fd, &c, 1) == 1) {
		buf_putc(line, c);
		if (c == '\n')
			return true;
	}
	return false;
}

static void say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		return;
}

/* Serves one SMTP session on the thread (never more than 10 s: the sockets time out). */
static void *smtp_serve(void *arg)
{
	struct smtp_fake *f = arg;
	struct pollfd p = {f->listen_fd, POLLIN, 0};
	if (poll(&p, 1, 10000) != 1)
		return NULL;
	int fd = accept(f->listen_fd, NULL, NULL);
	if (fd < 0)
		return NULL;
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	struct buf line = BUF_INIT;
	say(fd, "220 fake ESMTP\r\n");
	while (read_line(fd, &line)) {
		buf_puts(&f->transcript, buf_str(&line));
		const char *l = buf_str(&line);
		if (strncasecmp(l, "EHLO", 4) == 0) {
			say(fd, f->offer_starttls ? "250-fake\r\n250 STARTTLS\r\n" : "250-fake\r\n250 8BITMIME\r\n");
		} else if (strncasecmp(l, "HELO", 4) == 0 || strncasecmp(l, "MAIL", 4) == 0 ||
		           strncasecmp(l, "RSET", 4) == 0 || strncasecmp(l, "NOOP", 4) == 0) {
			say(fd, "250 OK\r\n");
		} else if (strncasecmp(l, "RCPT", 4) == 0) {
			say(fd, f->rcpt_reply);
		} else if (strncasecmp(l, "DATA", 4) == 0) {
			say(fd, "354 go on\r\n");
			while (read_line(fd, &line) && strcmp(buf_str(&line), ".\r\n") != 0)
				buf_puts(&f->data, buf_str(&line));
			say(fd, "250 queued\r\n");
		} else if (strncasecmp(l, "QUIT", 4) == 0) {
			say(fd, "221 bye\r\n");
			break;
		} else {
			say(fd, "502 not here\r\n");
		}
	}
	buf_free(&line);
	close(fd);
	return NULL;
}

/* A socket listening on a free port of 127.0.0.1. */
static int listen_local(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t n = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &n) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* Delivers message to `to` through a fake server that answers RCPT with rcpt_reply. */
static enum status smtp_send(const char *rcpt_reply, bool offer_starttls, bool require_starttls, const char *to,
                             const struct buf *message, struct smtp_fake *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	f->rcpt_reply = rcpt_reply;
	f->offer_starttls = offer_starttls;
	buf_append(&f->transcript, "", 0);
	buf_append(&f->data, "", 0);
	f->listen_fd = listen_local(&f->port);
	if (f->listen_fd < 0) {
		snprintf(err, errlen, "cannot listen");
		return ST_ERROR;
	}
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d/lonua.test", f->port);
	setenv("LONUA_SMTP_URL", url, 1);
	setenv("LONUA_SMTP_STARTTLS", require_starttls ? "1" : "0", 1);
	load_config();
	pthread_t thread;
	pthread_create(&thread, NULL, smtp_serve, f);
	enum status st = mail_deliver(to, message, err, errlen);
	pthread_join(thread, NULL);
	close(f->listen_fd);
	return st;
}

static void test_deliver_smtp(const char *tmp)
{
	char err[300], dir[600];
	struct smtp_fake f;
	struct buf message = BUF_INIT;
	snprintf(dir, sizeof dir, "%s/smtp-wins", tmp);
	setenv("LONUA_MAIL_DIR", dir, 1); /* set too: SMTP wins */
	setenv("LONUA_HTTP_TIMEOUT_MS", "3000", 1);
	mail_compose("shopper@example.com", "이메일 주소를 확인해 주세요", ".hidden?\n.\n", "9", &message);

	enum status st = smtp_send("250 OK\r\n", false, false, "shopper@example.com", &message, &f, err, sizeof err);
	tap_ok(st == ST_OK, "smtp: a 250 is ST_OK %s", err);
	tap_ok(strstr(buf_str(&f.transcript), "MAIL FROM:<test@lonua.example>") != NULL,
	       "smtp: the envelope sender is the address inside LONUA_MAIL_FROM");
	tap_ok(strstr(buf_str(&f.transcript), "RCPT TO:<shopper@example.com>") != NULL, "smtp: the envelope recipient");
	tap_ok(f.data.len == message.len && memcmp(f.data.data, message.data, message.len) == 0,
	       "smtp: the server got the message byte for byte (%zu of %zu bytes)", f.data.len, message.len);
	struct stat sb;
	tap_ok(stat(dir, &sb) != 0, "smtp: with LONUA_SMTP_URL set, nothing goes to LONUA_MAIL_DIR");
	buf_free(&f.transcript);
	buf_free(&f.data);

	/* RFC 5321 §4.2.1: 4yz is transient (try again later), 5yz permanent. */
	static const struct {
		const char *reply;
		enum status want;
	} replies[] = {
	    {"450 mailbox busy\r\n", ST_UNAVAILABLE}, {"451 local error\r\n", ST_UNAVAILABLE},
	    {"452 no room\r\n", ST_UNAVAILABLE},      {"501 bad address syntax\r\n", ST_INVALID},
	    {"550 no such user\r\n", ST_INVALID},     {"553 mailbox name not allowed\r\n", ST_INVALID},
	};
	for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
		st = smtp_send(replies[i].reply, false, false, "shopper@example.com", &message, &f, err, sizeof err);
		char code[4];
		snprintf(code, sizeof code, "%.3s", replies[i].reply);
		tap_ok(st == replies[i].want && strstr(err, code) && f.data.len == 0, "smtp: a %s to RCPT is %s (%s)",
		       code, replies[i].want == ST_INVALID ? "ST_INVALID, given up" : "ST_UNAVAILABLE, worth a retry",
		       err);
		buf_free(&f.transcript);
		buf_free(&f.data);
	}

	st = smtp_send("250 OK\r\n", false, true, "shopper@example.com", &message, &f, err, sizeof err);
	tap_ok(st != ST_OK && f.data.len == 0 && !strstr(buf_str(&f.transcript), "RCPT"),
	       "smtp: LONUA_SMTP_STARTTLS=1 and a server without STARTTLS: nothing sent in the clear (%s)", err);
	buf_free(&f.transcript);
	buf_free(&f.data);

	/* Nobody listening. */
	int port, fd = listen_local(&port);
	close(fd);
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
	setenv("LONUA_SMTP_URL", url, 1);
	load_config();
	st = mail_deliver("shopper@example.com", &message, err, sizeof err);
	tap_ok(st == ST_UNAVAILABLE, "smtp: a refused connection is ST_UNAVAILABLE, worth a retry (%s)", err);

	unsetenv("LONUA_SMTP_URL");
	unsetenv("LONUA_SMTP_STARTTLS");
	unsetenv("LONUA_MAIL_DIR");
	unsetenv("LONUA_HTTP_TIMEOUT_MS");
	load_config();
	buf_free(&message);
}

int main(void)
{
	unsetenv("LONUA_SMTP_URL");
	unsetenv("LONUA_MAIL_DIR");
	setenv("LONUA_MAIL_FROM", FROM, 1);
	load_config();
	test_headers();
	test_injection();
	test_subject();
	test_body();

	char tmp[] = "/tmp/lonua-test-mail-XXXXXX";
	if (!mkdtemp(tmp)) {
		tap_ok(0, "mkdtemp");
		return tap_done();
	}
	test_deliver_folder(tmp);
	test_deliver_smtp(tmp);
	remove_tree(tmp);
	return tap_done();
}
