/* An answer to nginx in one write. libfcgi sends its stdout stream in 8 KB records, one write()
 * each, and nginx wakes up for every one: a 45 KB page took six. These functions frame the whole
 * answer as FastCGI records (the FastCGI specification: records §3.3, FCGI_STDOUT §5.3,
 * FCGI_END_REQUEST §5.5) and hand it to the kernel at once. */
#ifndef LONUA_SERVER_FCGI_REPLY_H
#define LONUA_SERVER_FCGI_REPLY_H

#include <fcgiapp.h>
#include <stddef.h>

/* Writes head then body to fd as request_id's FCGI_STDOUT records (at most 65,535 bytes of
 * content each), the empty record that ends stdout, and FCGI_END_REQUEST (complete, status 0).
 * Returns 0, or -1 with errno set when the connection failed. */
int fcgi_reply_write(int fd, int request_id, const char *head, size_t head_len, const char *body, size_t body_len);

/* Sends the answer of the request fr is serving and tells libfcgi its stdout is closed, so that
 * FCGX_Finish_r writes nothing more (a failed write makes it close the connection). */
void fcgi_reply(FCGX_Request *fr, const char *head, size_t head_len, const char *body, size_t body_len);

#endif
