#include "net/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "util/config.h"
#include "util/crypto.h"

/* Appends s without CR and LF (a header value must never start a new header). */
static void put_header_value(struct buf *b, const char *s)
{
	for (; *s; s++)
		if (*s != '\r' && *s != '\n')
			buf_putc(b, *s);
}

static bool ascii_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || *s == '\r' || *s == '\n')
			return false;
	return true;
}

/* Standard base64 (with padding) of data, as RFC 2045 and RFC 2047 use it. */
static void put_base64(struct buf *b, const unsigned char *data, size_t len)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < len; i += 3) {
		size_t n = len - i < 3 ? len - i : 3;
		unsigned long v = (unsigned long)data[i] << 16 | (n > 1 ? (unsigned long)data[i + 1] << 8 : 0) |
		                  (n > 2 ? data[i + 2] : 0);
		for (size_t j = 0; j < 4; j++)
			buf_putc(b, j <= n ? digits[(v >> (18 - 6 * j)) & 63] : '=');
	}
}

/* Bytes of subject text in one encoded word: "=?UTF-8?B?" + 52 base64 characters + "?=" is 64
 * characters, so even the first line ("Subject: " and a word, 73) keeps within the 76 characters
 * RFC 2047 §2 allows a line that holds encoded words (45 bytes made that line 81). */
#define SUBJECT_WORD_BYTES 39

/* The subject without CR and LF, as it is when ASCII, else as RFC 2047 encoded words of whole
 * UTF-8 characters folded onto continuation lines. */
static void put_subject(struct buf *b, const char *subject)
{
	struct buf clean = BUF_INIT;
	for (const char *c = subject; *c; c++)
		if (*c != '\r' && *c != '\n') /* taken out before encoding, not only in plain ASCII */
			buf_putc(&clean, *c);
	const unsigned char *s = (const unsigned char *)buf_str(&clean);
	size_t len = clean.len, i = 0;
	if (ascii_only((const char *)s)) {
		buf_puts(b, (const char *)s);
		buf_free(&clean);
		return;
	}
	while (i < len) {
		size_t n = len - i > SUBJECT_WORD_BYTES ? SUBJECT_WORD_BYTES : len - i;
		while (n > 0 && i + n < len && (s[i + n] & 0xC0) == 0x80)
			n--; /* end on a character boundary */
		/* Not UTF-8 (a run of continuation bytes): cut anywhere, never loop nor step back. */
		if (n == 0)
			n = len - i > SUBJECT_WORD_BYTES ? SUBJECT_WORD_BYTES : len - i;
		if (i > 0)
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		put_base64(b, s + i, n);
		buf_puts(b, "?=");
		i += n;
	}
	buf_free(&clean);
}

void mail_compose(const char *to, const char *subject, const char *text, const char *message_id, struct buf *out)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_puts(out, "From: ");
	put_header_value(out, config.mail_from);
	buf_puts(out, "\r\nTo: ");
	put_header_value(out, to);
	buf_puts(out, "\r\nSubject: ");
	put_subject(out, subject);
	buf_printf(out, "\r\nDate: %s\r\nMessage-ID: <", date);
	put_header_value(out, message_id);
	buf_puts(out, "@lonua>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	              "Content-Transfer-Encoding: base64\r\n\r\n");
	/* base64 in lines of 76: any text, any line length, nothing for SMTP to mangle. */
	for (size_t i = 0, len = strlen(text); i < len; i += 57) {
		put_base64(out, (const unsigned char *)text + i, len - i < 57 ? len - i : 57);
		buf_puts(out, "\r\n");
	}
}

/* ---- delivery -------------------------------------------------------------------------------- */

/* Writes the message into config.mail_dir as <time>-<random>.eml, atomically (a temporary name,
 * then rename), so a reader never sees half a mail. */
static enum status deliver_to_folder(const struct buf *message, char *err, size_t errlen)
{
	unsigned char r[6];
	char name[64], tmp[4200], path[4200];
	crypto_random(r, sizeof r);
	snprintf(name, sizeof name, "%lld-%02x%02x%02x%02x%02x%02x.eml", (long long)time(NULL), r[0], r[1], r[2], r[3],
	         r[4], r[5]);
	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", config.mail_dir, name);
	snprintf(path, sizeof path, "%s/%s", config.mail_dir, name);
	mkdir(config.mail_dir, 0750);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (fd < 0 || write(fd, message->data, message->len) != (ssize_t)message->len || close(fd) != 0 ||
	    rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
		return ST_ERROR;
	}
	return ST_OK;
}

static bool (*interrupt)(void);

void mail_set_interrupt(bool (*stop)(void))
{
	interrupt = stop;
}

/* libcurl's progress callback: non-zero aborts the transfer. */
static int check_interrupt(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)ctx, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return interrupt && interrupt() ? 1 : 0;
}

struct upload {
	const struct buf *message;
	size_t sent;
};

static size_t read_message(char *out, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t left = u->message->len - u->sent, room = size * n;
	size_t k = left < room ? left : room;
	memcpy(out, u->message->data + u->sent, k);
	u->sent += k;
	return k;
}

/* The address inside config.mail_from ("LONUA <no-reply@…>" gives <no-reply@…>). */
static void envelope_from(char *out, size_t len)
{
	const char *lt = strchr(config.mail_from, '<');
	if (lt)
		snprintf(out, len, "%s", lt);
	else
		snprintf(out, len, "<%s>", config.mail_from);
}

static enum status deliver_by_smtp(const char *to, const struct buf *message, char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "curl_easy_init failed");
		return ST_ERROR;
	}
	char from[300], rcpt[300];
	envelope_from(from, sizeof from);
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct upload u = {message, 0};
	curl_easy_setopt(c, CURLOPT_URL, config.smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)message->len);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, config.http_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, config.http_timeout_ms * 3);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (strncmp(config.smtp_url, "smtp://", 7) == 0 && config.smtp_starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (interrupt) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_interrupt);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	if (config.smtp_user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, config.smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, config.smtp_password);
	}
	CURLcode rc = curl_easy_perform(c);
	long reply = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK)
		return ST_OK;
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		snprintf(err, errlen, "interrupted: shutting down");
		return ST_UNAVAILABLE;
	}
	snprintf(err, errlen, "SMTP: %s (reply %ld)", curl_easy_strerror(rc), reply);
	/* 5xx is permanent (RFC 5321); anything else (4xx, no connection, a timeout) is worth a retry. */
	return reply >= 500 && reply < 600 ? ST_INVALID : ST_UNAVAILABLE;
}

enum status mail_deliver(const char *to, const struct buf *message, char *err, size_t errlen)
{
	err[0] = '\0';
	if (strpbrk(to, "\r\n<>") || !strchr(to, '@')) {
		snprintf(err, errlen, "not a mail address");
		return ST_INVALID;
	}
	if (config.smtp_url)
		return deliver_by_smtp(to, message, err, errlen);
	if (config.mail_dir)
		return deliver_to_folder(message, err, errlen);
	snprintf(err, errlen, "no mail transport: set LONUA_SMTP_URL or LONUA_MAIL_DIR");
	return ST_ERROR;
}
