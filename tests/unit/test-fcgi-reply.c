/* server/fcgi_reply.c: the answer framed as the FastCGI specification says (§3.3 records, §5.3
 * FCGI_STDOUT, §5.5 FCGI_END_REQUEST), read back from a file by a parser of our own. */
#include <fastcgi.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/fcgi_reply.h"
#include "tap.h"
#include "util/buf.h"

struct parsed {
	struct buf stdout_bytes;
	int stdout_records; /* with content */
	int eof_records;    /* FCGI_STDOUT of length 0 */
	int end_records;    /* FCGI_END_REQUEST */
	int other_records;
	int wrong_id;   /* records of another request id */
	int too_long;   /* content over FCGI_MAX_LENGTH */
	int after_end;  /* bytes or records after FCGI_END_REQUEST */
	int end_status; /* protocolStatus of the end record */
	long app_status;
	int truncated;
};

static void parse(const unsigned char *p, size_t n, int id, struct parsed *out)
{
	memset(out, 0, sizeof *out);
	out->end_status = -1;
	size_t at = 0;
	while (at < n) {
		if (out->end_records)
			out->after_end++;
		if (n - at < 8) {
			out->truncated = 1;
			return;
		}
		const unsigned char *h = p + at;
		size_t len = (size_t)h[4] << 8 | h[5], pad = h[6];
		if (h[0] != FCGI_VERSION_1 || n - at - 8 < len + pad) {
			out->truncated = 1;
			return;
		}
		if ((h[2] << 8 | h[3]) != id)
			out->wrong_id++;
		if (len > FCGI_MAX_LENGTH)
			out->too_long++;
		if (h[1] == FCGI_STDOUT && len == 0)
			out->eof_records++;
		else if (h[1] == FCGI_STDOUT) {
			out->stdout_records++;
			buf_append(&out->stdout_bytes, (const char *)h + 8, len);
		} else if (h[1] == FCGI_END_REQUEST && len == 8) {
			out->end_records++;
			out->app_status = (long)h[8] << 24 | h[9] << 16 | h[10] << 8 | h[11];
			out->end_status = h[12];
		} else
			out->other_records++;
		at += 8 + len + pad;
	}
}

/* True when the n bytes at a and at b are alike; n 0 is, whatever the pointers (an empty buffer has
 * no data: NULL). */
static bool same(const char *a, const char *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

static void check(const char *what, size_t head_len, size_t body_len)
{
	char *head = malloc(head_len + 1), *body = malloc(body_len + 1);
	for (size_t i = 0; i < head_len; i++)
		head[i] = (char)('A' + i % 26);
	for (size_t i = 0; i < body_len; i++)
		body[i] = (char)(i * 7 % 251);
	FILE *f = tmpfile();
	int id = 0x1234; /* both bytes of the id matter */
	int rc = fcgi_reply_write(fileno(f), id, head, head_len, body, body_len);
	off_t size = lseek(fileno(f), 0, SEEK_END);
	unsigned char *written = malloc((size_t)size + 1);
	lseek(fileno(f), 0, SEEK_SET);
	size_t got = fread(written, 1, (size_t)size, f);
	struct parsed p;
	parse(written, got, id, &p);
	size_t want_records =
	    (head_len + FCGI_MAX_LENGTH - 1) / FCGI_MAX_LENGTH + (body_len + FCGI_MAX_LENGTH - 1) / FCGI_MAX_LENGTH;
	tap_ok(rc == 0 && got == (size_t)size, "%s: written", what);
	tap_ok(!p.truncated && !p.other_records && !p.wrong_id && !p.too_long, "%s: only whole records of request %d",
	       what, id);
	tap_ok(p.stdout_bytes.len == head_len + body_len && same(p.stdout_bytes.data, head, head_len) &&
	           same(p.stdout_bytes.data + head_len, body, body_len),
	       "%s: stdout is the head then the body (%zu bytes)", what, p.stdout_bytes.len);
	tap_ok((size_t)p.stdout_records == want_records, "%s: %d stdout records of at most 65,535 bytes (want %zu)",
	       what, p.stdout_records, want_records);
	tap_ok(p.eof_records == 1 && p.end_records == 1 && p.after_end == 0 && p.end_status == FCGI_REQUEST_COMPLETE &&
	           p.app_status == 0,
	       "%s: stdout ended once, then the request ended, complete, and nothing after", what);
	buf_free(&p.stdout_bytes);
	free(written);
	fclose(f);
	free(head);
	free(body);
}

int main(void)
{
	check("an empty answer", 0, 0);
	check("headers only (HEAD)", 300, 0);
	check("a one-byte body", 300, 1);
	check("a record's worth", 300, FCGI_MAX_LENGTH);
	check("one byte over a record", 300, FCGI_MAX_LENGTH + 1);
	check("a large page", 2000, 450000);
	check("headers over a record", FCGI_MAX_LENGTH + 5, 10);

	/* A closed connection is an error the caller sees, not a crash or a silent success. */
	signal(SIGPIPE, SIG_IGN); /* as the workers do */
	int fds[2];
	tap_ok(pipe(fds) == 0, "a pipe");
	close(fds[0]);
	tap_ok(fcgi_reply_write(fds[1], 1, "Status: 200 OK\r\n\r\n", 18, "x", 1) == -1,
	       "writing to a connection closed by nginx fails");
	close(fds[1]);
	return tap_done();
}
