#include "pay/payments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/db.h"
#include "db/order_changes.h"
#include "db/orders.h"
#include "pay/portone.h"
#include "shop/orders.h"
#include "util/log.h"

/* Gateway refunds the job retries at a time. */
#define RETRY_BATCH 50

static const char *const verdict_names[] = {"paid", "already_paid", "not_paid", "unknown", "mismatch", "late"};

const char *payment_verdict_name(enum payment_verdict v)
{
	return verdict_names[v];
}

/* Gives the whole payment back at the gateway: it must not be kept. */
static void cancel_whole(const struct portone_payment *p, long long order_id, const char *reason)
{
	enum status st = portone_cancel(p->imp_uid, order_id, 0, p->amount - p->cancel_amount, reason, NULL);
	if (st != ST_OK)
		log_warn("Portone: cancelling payment %s (%s) failed: %s; it is in payment_events", p->imp_uid, reason,
		         status_code(st));
}

/* The inbound call itself, with what we made of it. */
static void audit(enum payment_event_kind source, const char *imp_uid, const char *claimed, long long order_id,
                  enum payment_verdict v, long long amount)
{
	char verdict[64];
	snprintf(verdict, sizeof verdict, "{\"verdict\":\"%s\"}", verdict_names[v]);
	json_object *req = json_object_new_object();
	json_object_object_add(req, "imp_uid", json_object_new_string(imp_uid ? imp_uid : ""));
	if (claimed)
		json_object_object_add(req, "merchant_uid", json_object_new_string(claimed));
	struct payment_event e = {.order_id = order_id,
	                          .kind = source,
	                          .status = v == VERDICT_PAID || v == VERDICT_ALREADY_PAID || v == VERDICT_NOT_PAID
	                                        ? EVENT_OK
	                                        : EVENT_REJECTED,
	                          .imp_uid = portone_id_valid(imp_uid) ? imp_uid : NULL,
	                          .merchant_uid = portone_id_valid(claimed) ? claimed : NULL,
	                          .amount = amount,
	                          .request_json = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN),
	                          .response_json = verdict,
	                          .duration_ms = -1};
	db_payment_event(&e);
	json_object_put(req);
}

/* What the order's state makes of a payment the gateway says is paid. */
static enum payment_verdict judge(const struct order *o, const struct portone_payment *p)
{
	bool ours_paid = o->payment_state != PAYMENT_AWAITING && o->payment_state != PAYMENT_EXPIRED &&
	                 o->payment_state != PAYMENT_CANCELLED;
	if (o->method == PAY_BANK_TRANSFER)
		return VERDICT_MISMATCH;
	if (ours_paid)
		return strcmp(o->imp_uid, p->imp_uid) == 0 ? VERDICT_ALREADY_PAID : VERDICT_MISMATCH;
	if (o->payment_state != PAYMENT_AWAITING)
		return VERDICT_LATE;
	if (p->amount != o->total_amount || p->cancel_amount != 0 || strcmp(p->currency, "KRW") != 0 ||
	    strcmp(p->merchant_uid, o->merchant_uid) != 0)
		return VERDICT_MISMATCH;
	return VERDICT_PAID;
}

enum status payment_settle(const char *imp_uid, const char *claimed_merchant_uid, enum payment_event_kind source,
                           const char *lang, enum payment_verdict *verdict, long long *order_id)
{
	struct portone_payment p;
	struct order o;
	*order_id = 0;
	*verdict = VERDICT_UNKNOWN;
	enum status st = portone_payment_get(imp_uid, 0, &p);
	if (st == ST_UNAVAILABLE)
		return st;
	if (st == ST_NOT_FOUND) {
		audit(source, imp_uid, claimed_merchant_uid, 0, VERDICT_UNKNOWN, -1);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	st = portone_id_valid(p.merchant_uid) ? db_order_by_merchant_uid(p.merchant_uid, &o) : ST_NOT_FOUND;
	if (st != ST_OK && st != ST_NOT_FOUND)
		return st;
	if (strcmp(p.status, "paid") != 0) {
		*verdict = VERDICT_NOT_PAID;
	} else if (st == ST_NOT_FOUND) {
		*verdict = VERDICT_MISMATCH; /* money for no order of ours goes back */
		cancel_whole(&p, 0, "no such order");
	} else {
		*verdict = judge(&o, &p);
		if (*verdict == VERDICT_PAID) {
			bool changed;
			st = orders_paid_by_gateway(o.id, p.imp_uid, lang, &changed);
			if (st != ST_OK) {
				order_free(&o);
				return st;
			}
			if (!changed) { /* another arrival, or the expiry job, got there first: look again */
				order_free(&o);
				st = db_order_by_merchant_uid(p.merchant_uid, &o);
				if (st != ST_OK)
					return st;
				*verdict = judge(&o, &p);
			}
		}
		if (*verdict == VERDICT_MISMATCH || *verdict == VERDICT_LATE)
			cancel_whole(&p, o.id,
			             *verdict == VERDICT_LATE ? "paid after the order closed"
			                                      : "payment does not match");
	}
	if (st == ST_OK)
		*order_id = o.id;
	audit(source, imp_uid, claimed_merchant_uid, st == ST_OK ? o.id : 0, *verdict, p.amount);
	if (st == ST_OK)
		order_free(&o);
	return ST_OK;
}

struct refund_done {
	long long refund_id, order_id;
	const char *reference;
};

static enum status refund_done_tx(void *ctx)
{
	struct refund_done *d = ctx;
	struct order_lock o;
	bool changed;
	enum status st = db_order_lock(d->order_id, 0, &o);
	if (st == ST_OK)
		st = db_refund_done(d->refund_id, 0, d->reference, &changed);
	if (st == ST_OK && changed)
		st = db_order_settle_refunds(d->order_id);
	return st;
}

/* The cancel in the payment's history that this refund made: the reason names the refund. */
static const struct portone_cancellation *cancellation_of(const struct portone_payment *p, const char *reason)
{
	for (size_t i = p->ncancels; i-- > 0;)
		if (strcmp(p->cancels[i].reason, reason) == 0)
			return &p->cancels[i];
	return NULL;
}

/* With the order's refund lock held: one cancel at the gateway, then the refund recorded done. */
static enum status refund_locked(long long refund_id)
{
	struct refund r;
	enum status st = db_refund_get(refund_id, &r);
	if (st != ST_OK)
		return st;
	if (!r.gateway || strcmp(r.state, "pending") != 0)
		return ST_CONFLICT;
	/* The balance we believe the gateway holds (the checksum): the total less the refunds done. */
	long long balance = r.order_total - r.order_refunded;
	char reason[64];
	snprintf(reason, sizeof reason, "%s (LONUA refund %lld)",
	         r.reason == REFUND_CANCEL ? "order cancelled" : "line returned", refund_id);
	struct portone_payment after;
	const struct portone_cancellation *made = NULL;
	st = portone_cancel(r.imp_uid, r.order_id, r.amount, balance, reason, &after);
	if (st == ST_CONFLICT || st == ST_UNAVAILABLE) {
		/* Refused or unanswered: this refund may have been made already (an earlier attempt that
		 * timed out, or whose record failed); only its own entry in the history says so. */
		if (portone_payment_get(r.imp_uid, r.order_id, &after) == ST_OK &&
		    (made = cancellation_of(&after, reason)))
			st = ST_OK;
	} else if (st == ST_OK) {
		made = cancellation_of(&after, reason);
	}
	if (st != ST_OK) {
		db_refund_error(refund_id,
		                st == ST_CONFLICT ? "the gateway refused the cancel" : "the gateway did not answer");
		return st;
	}
	struct refund_done d = {refund_id, r.order_id, made && made->id[0] ? made->id : r.imp_uid};
	return db_transaction(refund_done_tx, &d, 4);
}

enum status payment_refund(long long refund_id)
{
	struct refund r;
	enum status st = db_refund_get(refund_id, &r);
	if (st != ST_OK)
		return st;
	/* One refund of an order at the gateway at a time, or two would send the same checksum. */
	char lock[48];
	snprintf(lock, sizeof lock, "lonua-refund-%lld", r.order_id);
	bool got;
	st = db_lock_try(lock, &got);
	if (st != ST_OK)
		return st;
	if (!got)
		return ST_UNAVAILABLE; /* another is being made: this one stays pending for the job */
	st = refund_locked(refund_id);
	db_lock_release(lock);
	return st;
}

enum status payment_refunds_retry(unsigned long *done)
{
	struct refund *list;
	size_t n;
	*done = 0;
	enum status st = db_refunds_to_retry(RETRY_BATCH, &list, &n);
	for (size_t i = 0; st == ST_OK && i < n; i++)
		if (payment_refund(list[i].id) == ST_OK)
			(*done)++;
	free(list);
	return st;
}
