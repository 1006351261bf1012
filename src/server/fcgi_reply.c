#include "server/fcgi_reply.h"

#include <errno.h>
#include <fastcgi.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "util/buf.h"

static FCGI_Header record_header(int type, int request_id, size_t content_len)
{
	FCGI_Header h = {
	    .version = FCGI_VERSION_1,
	    .type = (unsigned char)type,
	    .requestIdB1 = (unsigned char)(request_id >> 8),
	    .requestIdB0 = (unsigned char)request_id,
	    .contentLengthB1 = (unsigned char)(content_len >> 8),
	    .contentLengthB0 = (unsigned char)content_len,
	};
	return h;
}

static size_t records_for(size_t len)
{
	return (len + FCGI_MAX_LENGTH - 1) / FCGI_MAX_LENGTH;
}

/* Appends data's FCGI_STDOUT records to iov: a header from headers[*k], then the content. */
static void add_records(struct iovec *iov, size_t *n, FCGI_Header *headers, size_t *k, int request_id, const char *data,
                        size_t len)
{
	for (size_t at = 0; at < len; at += FCGI_MAX_LENGTH) {
		size_t chunk = len - at < FCGI_MAX_LENGTH ? len - at : FCGI_MAX_LENGTH;
		headers[*k] = record_header(FCGI_STDOUT, request_id, chunk);
		iov[(*n)++] = (struct iovec){&headers[*k], sizeof headers[*k]};
		iov[(*n)++] = (struct iovec){(void *)(uintptr_t)(data + at), chunk}; /* writev only reads it */
		(*k)++;
	}
}

/* writev until everything is written (a signal may cut a write short). */
static int write_all(int fd, struct iovec *iov, size_t n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, (int)(n < IOV_MAX ? n : IOV_MAX));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		size_t done = (size_t)w;
		while (n > 0 && done >= iov->iov_len) {
			done -= iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + done;
			iov->iov_len -= done;
		}
	}
	return 0;
}

int fcgi_reply_write(int fd, int request_id, const char *head, size_t head_len, const char *body, size_t body_len)
{
	size_t records = records_for(head_len) + records_for(body_len);
	FCGI_Header *headers = xmalloc((records ? records : 1) * sizeof *headers);
	struct iovec *iov = xmalloc((2 * records + 1) * sizeof *iov);
	struct {
		FCGI_Header end_of_stdout;
		FCGI_EndRequestRecord end;
	} tail = {
	    .end_of_stdout = record_header(FCGI_STDOUT, request_id, 0),
	    .end = {.header = record_header(FCGI_END_REQUEST, request_id, sizeof(FCGI_EndRequestBody)),
	            .body = {.protocolStatus = FCGI_REQUEST_COMPLETE}},
	};
	size_t n = 0, k = 0;
	add_records(iov, &n, headers, &k, request_id, head, head_len);
	add_records(iov, &n, headers, &k, request_id, body, body_len);
	iov[n++] = (struct iovec){&tail, sizeof tail};
	int rc = write_all(fd, iov, n);
	int saved = errno;
	free(iov);
	free(headers);
	errno = saved;
	return rc;
}

void fcgi_reply(FCGX_Request *fr, const char *head, size_t head_len, const char *body, size_t body_len)
{
	if (fcgi_reply_write(fr->ipcFd, fr->requestId, head, head_len, body, body_len) != 0)
		fr->out->FCGI_errno = errno; /* FCGX_Finish_r then closes the connection */
	/* What FCGX_FClose does to a stream, without its writes: stdout has ended and
	 * FCGI_END_REQUEST is sent. The request's count of open writers stays at 2, so closing the
	 * unused stderr stream (the first of the two) writes nothing either. */
	fr->out->wasFCloseCalled = 1;
	fr->out->isClosed = 1;
}
