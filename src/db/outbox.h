/* The outbox (SPEC §3, §6): mails (and, later, chat notifications) written in the same
 * transaction as the change that causes them, delivered by `lonua jobs` with retries. */
#ifndef LONUA_DB_OUTBOX_H
#define LONUA_DB_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

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

/* Inside the transaction that marks an order paid: queues one Slack notification per brand of the
 * order whose notify_webhook_url is set (dedupe key "slack-paid:ORDER:BRAND", so a retried
 * transaction queues nothing twice). The payload holds the order's facts for that brand only
 * (brand_id, brand_name, order_id, merchant_uid, payment_method, lines_amount, shipping_fee,
 * units): never the webhook URL, which the delivery reads from the brand when it sends. */
enum status db_outbox_slack_paid(long long order_id);
/* The brand's webhook URL for a Slack delivery: "" when it has none any more. */
enum status db_outbox_webhook_url(long long brand_id, char *url, size_t size);

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
/* Deletes up to 10,000 sent or failed messages created more than days ago (pending ones stay,
 * however old); *removed says how many went. Called until it removes none. */
enum status db_outbox_purge(int days, unsigned long long *removed);

#endif
