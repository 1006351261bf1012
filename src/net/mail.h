/* Mail: an RFC 5322 message built from a recipient, a subject and plain text, and its delivery,
 * over SMTP with libcurl in production (LONUA_SMTP_URL), or as a file in LONUA_MAIL_DIR in
 * development. Only `lonua jobs` delivers, from the outbox; requests never wait for a mail. */
#ifndef LONUA_NET_MAIL_H
#define LONUA_NET_MAIL_H

#include <stdbool.h>

#include "util/buf.h"
#include "util/status.h"

/* Writes the message: From (config.mail_from), To, Subject (RFC 2047 for non-ASCII), Date,
 * Message-ID <message_id@lonua>, MIME headers, and the text as base64 UTF-8. CR and LF are taken out
 * of the header values. */
void mail_compose(const char *to, const char *subject, const char *text, const char *message_id, struct buf *out);

/* Delivers message to `to`. ST_OK; ST_UNAVAILABLE for a failure worth retrying (no connection, a
 * timeout, a 4xx reply); ST_INVALID for a permanent refusal (a 5xx reply, a bad address); ST_ERROR
 * when no transport is configured or a file cannot be written. err says what happened. */
enum status mail_deliver(const char *to, const struct buf *message, char *err, size_t errlen);

/* Makes an SMTP delivery in progress give up as soon as stop() answers true (it is asked about
 * once a second while the relay keeps us waiting): mail_deliver then answers ST_UNAVAILABLE and
 * err starts with "interrupted". `lonua jobs` passes "SIGTERM arrived", so it stops within a second
 * instead of waiting out a silent relay's timeouts. NULL (the default): never. */
void mail_set_interrupt(bool (*stop)(void));

#endif
