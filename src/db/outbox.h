/* The outbox (SPEC §3, §6): mails (and, later, chat notifications) written in the same
 * transaction as the change that causes them, delivered by `lonua jobs` with retries. */
#ifndef LONUA_DB_OUTBOX_H
#define LONUA_DB_OUTBOX_H

#include <stdbool.h>

#include "util/status.h"

struct json_object;

enum outbox_kind { OUTBOX_MAIL, OUTBOX_SLACK };

/* A message claimed for delivery. */
struct outbox_item {
	long long id;
	enum outbox_kind kind;
	int attempts;                /* before this one */
	struct json_object *payload; /* owned: free with db_outbox_item_free */
};

/* Queues a mail {to, subject, text}. dedupe_key (may be NULL) keeps a retried transaction from
 * queueing the same message twice: a second add with the same key changes nothing. */
enum status db_outbox_mail(const char *dedupe_key, const char *to, const char *subject, const char *text);

/* Inside a transaction: locks the oldest due pending message that no other job process holds
 * (FOR UPDATE SKIP LOCKED). ST_NOT_FOUND when there is none. */
enum status db_outbox_claim(struct outbox_item *out);
/* The claimed message was delivered. */
enum status db_outbox_sent(long long id);
/* The claimed message could not be delivered: retried after retry_seconds, or given up
 * ("failed", resent only by setting it back to pending) when give_up. The error text is
 * stored for operators (it must not hold a secret). */
enum status db_outbox_retry(long long id, long retry_seconds, bool give_up, const char *error);
void db_outbox_item_free(struct outbox_item *item);

#endif
