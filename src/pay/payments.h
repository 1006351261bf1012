/* Gateway payments settled against our orders (SPEC §6 "Payment", Portone): the browser's return
 * and the webhook both end in payment_settle, which trusts only the gateway's own record of the
 * payment (status, amount, currency, merchant_uid) and marks the order paid with the one
 * conditional transition, or cancels the payment at the gateway when it must not be kept. Refunds
 * through the gateway (a cancelled order, a returned line) are made by payment_refund, after the
 * transaction that decided them, and retried by the jobs process until they are done. */
#ifndef LONUA_PAY_PAYMENTS_H
#define LONUA_PAY_PAYMENTS_H

#include "db/payment_events.h"
#include "util/status.h"

enum payment_verdict {
	VERDICT_PAID,         /* this call marked the order paid */
	VERDICT_ALREADY_PAID, /* the order was paid with this payment already (the other arrival won) */
	VERDICT_NOT_PAID,     /* the gateway does not say paid (ready, failed, cancelled): nothing changes */
	VERDICT_UNKNOWN,      /* no such payment at the gateway */
	VERDICT_MISMATCH,     /* amount, currency or order differ, or a second payment: cancelled at the gateway */
	VERDICT_LATE,         /* paid after the order expired or was cancelled: cancelled at the gateway */
};

/* "paid", "already_paid", "not_paid", "unknown", "mismatch", "late". */
const char *payment_verdict_name(enum payment_verdict v);

/* Settles the gateway's payment imp_uid. claimed_merchant_uid (may be NULL) is the order the
 * caller says it paid for; the payment's own merchant_uid decides which order is settled, and
 * *order_id is that order (0 when none of ours). source (EVENT_WEBHOOK or EVENT_BROWSER_RETURN)
 * goes into the audit with the verdict. ST_OK with *verdict; ST_UNAVAILABLE when the gateway
 * cannot be asked now (the caller says "try again"; a webhook answers 5xx so it is sent again). */
enum status payment_settle(const char *imp_uid, const char *claimed_merchant_uid, enum payment_event_kind source,
                           const char *lang, enum payment_verdict *verdict, long long *order_id);

/* Makes a gateway refund that waits in refunds: the partial (or whole) cancel at the gateway with
 * the balance we believe is left as its checksum and a reason that names the refund, then the
 * refund done (with the gateway's cancellation_id) and the order settled. One refund of an order
 * at a time (a named lock): while another is being made, ST_UNAVAILABLE at once. A refusal after a
 * cancel that did happen (an earlier attempt that timed out) is recognised by the refund's own
 * entry in the payment's cancel history. ST_OK when done; otherwise it stays pending with its
 * error, for payment_refunds_retry. */
enum status payment_refund(long long refund_id);
/* payment_refund for every gateway refund still pending (the jobs process). *done counts them. */
enum status payment_refunds_retry(unsigned long *done);

#endif
