#include "shop/orders.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/mileage.h"
#include "db/order_changes.h"
#include "db/outbox.h"
#include "shop/money.h"
#include "shop/order_mail.h"
#include "shop/order_rules.h"
#include "util/log.h"

/* A deadlock or lock wait timeout runs a change again, at most this many times in all. */
#define ATTEMPTS 4
/* The jobs take this many at a time. */
#define JOB_BATCH 200

static enum status refuse(struct order_outcome *out, enum status st, const char *code)
{
	out->code = code;
	return st;
}

/* A paid line counts for popularity; a refunded one no longer does. */
static enum status popularity(long long user_id, const struct line_lock *lines, size_t n, int sign)
{
	int upper, lower;
	enum status st = db_user_body_types(user_id, &upper, &lower);
	for (size_t i = 0; i < n && st == ST_OK; i++)
		st = db_popularity_line(lines[i].product_id, lines[i].quantity, sign, upper, lower);
	return st;
}

/* ---- cancel --------------------------------------------------------------------------------- */

struct cancel {
	long long order_id, user_id; /* user_id: the buyer who asks (0 for the job) */
	bool expire;                 /* the job: only an order still unpaid past its due time */
	const struct refund_account *account;
	const char *lang;
	struct order_outcome *out;
};

static enum status cancel_tx(void *ctx)
{
	struct cancel *c = ctx;
	long long buyer = c->user_id;
	enum status st = buyer ? ST_OK : db_order_buyer(c->order_id, &buyer);
	if (st == ST_OK)
		st = db_user_lock(buyer);
	struct order_lock o;
	if (st == ST_OK)
		st = db_order_lock(c->order_id, c->user_id, &o);
	if (st != ST_OK)
		return st;
	if (c->expire && !o.overdue)
		return refuse(c->out, ST_CONFLICT, "NOT_DUE");
	struct line_lock *lines;
	size_t n;
	st = db_order_lines_lock(c->order_id, &lines, &n);
	if (st != ST_OK)
		return st;
	bool cancellable = (o.state == PAYMENT_AWAITING || o.state == PAYMENT_PAID) && n > 0;
	for (size_t i = 0; i < n; i++)
		if (!order_line_edge_allowed(lines[i].state, LINE_CANCELLED))
			cancellable = false;
	if (!cancellable) {
		free(lines);
		return refuse(c->out, ST_CONFLICT, "NOT_CANCELLABLE");
	}
	bool was_paid = o.state == PAYMENT_PAID;
	if (was_paid && o.total > 0 && o.method == PAY_BANK_TRANSFER) { /* the money goes back by hand */
		st = c->account ? db_order_set_refund_account(c->order_id, c->account)
		                : refuse(c->out, ST_INVALID, "REFUND_ACCOUNT_REQUIRED");
		if (st != ST_OK) {
			free(lines);
			return st;
		}
	}
	enum payment_state to = c->expire                 ? PAYMENT_EXPIRED
	                        : was_paid && o.total > 0 ? PAYMENT_REFUND_PENDING
	                                                  : PAYMENT_CANCELLED;
	bool changed;
	st = db_order_cancel(c->order_id, to, &changed);
	if (st == ST_OK && !changed)
		st = refuse(c->out, ST_CONFLICT, "NOT_CANCELLABLE");
	if (st == ST_OK)
		st = db_order_lines_cancel(c->order_id);
	for (size_t i = 0; i < n && st == ST_OK; i++)
		st = db_stock_give_back(lines[i].variant_id, lines[i].id, lines[i].quantity, false);
	if (st == ST_OK)
		st = db_order_coupons_release(c->order_id);
	if (st == ST_OK && o.mileage_used > 0) {
		bool applied;
		st = db_mileage_add(buyer, MILEAGE_REVERSED, o.mileage_used, c->order_id, 0, &applied);
	}
	if (st == ST_OK && was_paid) {
		st = popularity(buyer, lines, n, -1);
		if (st == ST_OK && o.total > 0) {
			c->out->gateway_refund = o.method != PAY_BANK_TRANSFER;
			st = db_refund_insert(c->order_id, 0, REFUND_CANCEL, c->out->gateway_refund, o.total,
			                      o.shipping, 0, &c->out->refund_id);
		}
	}
	free(lines);
	if (st == ST_OK)
		st = order_mail(ORDER_MAIL_CANCELLED, c->order_id, 0, c->lang);
	return st;
}

enum status orders_cancel(long long order_id, long long user_id, const struct refund_account *account, const char *lang,
                          struct order_outcome *out)
{
	*out = (struct order_outcome){0};
	struct cancel c = {order_id, user_id, false, account, lang, out};
	return db_transaction(cancel_tx, &c, ATTEMPTS);
}

/* ---- the buyer's lines ---------------------------------------------------------------------- */

struct line_args {
	long long line_id, user_id, brand_id;
	bool automatic;
	enum line_state to;
	enum return_reason reason;
	const char *text, *courier, *tracking;
	const struct refund_account *account;
	bool approve;
	const char *lang;
	struct order_outcome *out;
};

static enum status confirm_tx(void *ctx)
{
	struct line_args *a = ctx;
	long long buyer = a->user_id;
	enum status st = buyer ? ST_OK : db_line_buyer(a->line_id, &buyer);
	if (st == ST_OK)
		st = db_user_lock(buyer);
	struct line_lock l;
	if (st == ST_OK)
		st = db_line_lock(a->line_id, a->user_id, 0, &l);
	if (st != ST_OK)
		return st;
	if (!order_line_edge_allowed(l.state, LINE_CONFIRMED) || (a->automatic && !l.confirm_due))
		return refuse(a->out, ST_CONFLICT, "NOT_DELIVERED");
	long long earned = money_mileage_earned(l.line_total, l.mileage_percent);
	struct line_change ch = {
	    .from = l.state, .to = LINE_CONFIRMED, .mileage_earned = earned, .automatic = a->automatic};
	bool changed;
	st = db_line_change(a->line_id, &ch, &changed);
	if (st == ST_OK && !changed)
		return refuse(a->out, ST_CONFLICT, "NOT_DELIVERED");
	if (st == ST_OK && earned > 0) {
		bool applied;
		st = db_mileage_add(buyer, MILEAGE_EARNED, earned, l.order_id, l.id, &applied);
	}
	return st;
}

enum status orders_confirm_line(long long line_id, long long user_id, struct order_outcome *out)
{
	*out = (struct order_outcome){0};
	struct line_args a = {.line_id = line_id, .user_id = user_id, .out = out};
	return db_transaction(confirm_tx, &a, ATTEMPTS);
}

static enum status return_request_tx(void *ctx)
{
	struct line_args *a = ctx;
	struct line_lock l;
	enum status st = db_line_lock(a->line_id, a->user_id, 0, &l);
	if (st != ST_OK)
		return st;
	if (l.state != LINE_DELIVERED)
		return refuse(a->out, ST_CONFLICT, "NOT_DELIVERED");
	if (!l.return_window_open)
		return refuse(a->out, ST_CONFLICT, "RETURN_WINDOW_CLOSED");
	if (l.method == PAY_BANK_TRANSFER && l.line_total > 0) { /* a refund, if approved, is sent by hand */
		st = a->account ? db_order_set_refund_account(l.order_id, a->account)
		                : refuse(a->out, ST_INVALID, "REFUND_ACCOUNT_REQUIRED");
		if (st != ST_OK)
			return st;
	}
	struct line_change ch = {
	    .from = LINE_DELIVERED, .to = LINE_RETURN_REQUESTED, .reason = a->reason, .text = a->text};
	bool changed;
	st = db_line_change(a->line_id, &ch, &changed);
	return st == ST_OK && !changed ? refuse(a->out, ST_CONFLICT, "NOT_DELIVERED") : st;
}

enum status orders_request_return(long long line_id, long long user_id, enum return_reason reason, const char *note,
                                  const struct refund_account *account, struct order_outcome *out)
{
	*out = (struct order_outcome){0};
	struct line_args a = {
	    .line_id = line_id, .user_id = user_id, .reason = reason, .text = note, .account = account, .out = out};
	return db_transaction(return_request_tx, &a, ATTEMPTS);
}

/* ---- the brand's lines ---------------------------------------------------------------------- */

static enum status seller_move_tx(void *ctx)
{
	struct line_args *a = ctx;
	struct line_lock l;
	enum status st = db_line_lock(a->line_id, 0, a->brand_id, &l);
	if (st != ST_OK)
		return st;
	if (!order_payment_settled(l.payment_state) && a->to != LINE_DELIVERED)
		return refuse(a->out, ST_CONFLICT, "NOT_PAID");
	if (!order_line_edge_allowed(l.state, a->to))
		return refuse(a->out, ST_CONFLICT, "WRONG_STATE");
	struct line_change ch = {.from = l.state, .to = a->to, .courier = a->courier, .tracking_number = a->tracking};
	bool changed;
	st = db_line_change(a->line_id, &ch, &changed);
	if (st == ST_OK && !changed)
		return refuse(a->out, ST_CONFLICT, "WRONG_STATE");
	if (st == ST_OK && a->to == LINE_SHIPPED)
		st = order_mail(ORDER_MAIL_SHIPPED, l.order_id, l.id, a->lang);
	return st;
}

enum status orders_seller_move(long long line_id, long long brand_id, enum line_state to, const char *courier,
                               const char *tracking_number, const char *lang, struct order_outcome *out)
{
	*out = (struct order_outcome){0};
	struct line_args a = {.line_id = line_id,
	                      .brand_id = brand_id,
	                      .to = to,
	                      .courier = courier,
	                      .tracking = tracking_number,
	                      .lang = lang,
	                      .out = out};
	return db_transaction(seller_move_tx, &a, ATTEMPTS);
}

static enum status decide_return_tx(void *ctx)
{
	struct line_args *a = ctx;
	long long buyer;
	enum status st = db_line_buyer(a->line_id, &buyer);
	if (st == ST_OK)
		st = db_user_lock(buyer);
	struct line_lock l;
	if (st == ST_OK)
		st = db_line_lock(a->line_id, 0, a->brand_id, &l);
	if (st != ST_OK)
		return st;
	if (l.state != LINE_RETURN_REQUESTED)
		return refuse(a->out, ST_CONFLICT, "WRONG_STATE");
	struct line_change ch = {
	    .from = LINE_RETURN_REQUESTED, .to = a->approve ? LINE_RETURNED : LINE_RETURN_REJECTED, .text = a->text};
	bool changed;
	st = db_line_change(a->line_id, &ch, &changed);
	if (st == ST_OK && !changed)
		return refuse(a->out, ST_CONFLICT, "WRONG_STATE");
	if (st == ST_OK && a->approve) {
		st = db_stock_give_back(l.variant_id, l.id, l.quantity, true);
		if (st == ST_OK && l.mileage_share > 0) {
			bool applied;
			st = db_mileage_add(buyer, MILEAGE_REVERSED, l.mileage_share, l.order_id, l.id, &applied);
		}
		if (st == ST_OK)
			st = popularity(buyer, &l, 1, -1);
		/* Money rule 7: what the line paid, less the return cost when the buyer changed their mind. */
		long long refund =
		    money_line_refund(l.line_total, l.return_reason == RETURN_CHANGE_OF_MIND, l.return_cost);
		if (st == ST_OK && refund > 0) {
			a->out->gateway_refund = l.method != PAY_BANK_TRANSFER;
			st = db_refund_insert(l.order_id, l.id, REFUND_RETURN, a->out->gateway_refund, refund, 0,
			                      l.line_total - refund, &a->out->refund_id);
		}
		if (st == ST_OK)
			st = db_order_settle_refunds(l.order_id);
	}
	if (st == ST_OK)
		st = order_mail(ORDER_MAIL_RETURN, l.order_id, l.id, a->lang);
	return st;
}

enum status orders_decide_return(long long line_id, long long brand_id, bool approve, const char *rejection,
                                 const char *lang, struct order_outcome *out)
{
	*out = (struct order_outcome){0};
	struct line_args a = {
	    .line_id = line_id, .brand_id = brand_id, .approve = approve, .text = rejection, .lang = lang, .out = out};
	return db_transaction(decide_return_tx, &a, ATTEMPTS);
}

/* ---- payment -------------------------------------------------------------------------------- */

/* What being paid sets off, once: the lines count for popularity, each brand with a webhook is
 * notified (through the outbox), and the buyer is mailed. */
static enum status paid_effects(long long order_id, long long user_id, const char *lang)
{
	struct line_lock *lines;
	size_t n;
	enum status st = db_order_lines_lock(order_id, &lines, &n);
	if (st == ST_OK)
		st = popularity(user_id, lines, n, +1);
	free(lines);
	if (st == ST_OK) /* each brand's Slack webhook, when it has one: delivered by the jobs */
		st = db_outbox_slack_paid(order_id);
	if (st == ST_OK && lang)
		st = order_mail(ORDER_MAIL_PAID, order_id, 0, lang);
	return st;
}

enum status orders_paid_free(long long order_id, long long user_id, const char *lang)
{
	bool changed;
	enum status st = db_order_paid_free(order_id, &changed);
	if (st == ST_OK && !changed)
		return ST_CONFLICT;
	return st == ST_OK ? paid_effects(order_id, user_id, lang) : st;
}

struct transfer {
	long long order_id, amount, admin_id;
	const char *depositor, *lang;
	struct order_outcome *out;
};

static enum status transfer_tx(void *ctx)
{
	struct transfer *t = ctx;
	struct order_lock o;
	enum status st = db_order_lock(t->order_id, 0, &o);
	if (st != ST_OK)
		return st;
	if (o.method != PAY_BANK_TRANSFER || o.state != PAYMENT_AWAITING)
		return refuse(t->out, ST_CONFLICT, "NOT_AWAITING");
	if (t->amount != o.total)
		return refuse(t->out, ST_INVALID, "AMOUNT_MISMATCH");
	bool changed;
	st = db_order_paid_by_transfer(t->order_id, t->amount, t->depositor, t->admin_id, &changed);
	if (st == ST_OK && !changed)
		return refuse(t->out, ST_CONFLICT, "NOT_AWAITING");
	return st == ST_OK ? paid_effects(t->order_id, o.user_id, t->lang) : st;
}

enum status orders_record_transfer(long long order_id, long long amount, const char *depositor, long long admin_id,
                                   const char *lang, struct order_outcome *out)
{
	*out = (struct order_outcome){0};
	struct transfer t = {order_id, amount, admin_id, depositor, lang, out};
	return db_transaction(transfer_tx, &t, ATTEMPTS);
}

struct gateway_paid {
	long long order_id;
	const char *imp_uid, *lang;
	bool changed;
};

static enum status gateway_paid_tx(void *ctx)
{
	struct gateway_paid *g = ctx;
	long long buyer;
	g->changed = false;
	enum status st = db_order_buyer(g->order_id, &buyer);
	if (st == ST_OK)
		st = db_order_paid_by_gateway(g->order_id, g->imp_uid, &g->changed);
	if (st == ST_OK && g->changed)
		st = paid_effects(g->order_id, buyer, g->lang);
	return st;
}

enum status orders_paid_by_gateway(long long order_id, const char *imp_uid, const char *lang, bool *changed)
{
	struct gateway_paid g = {order_id, imp_uid, lang, false};
	enum status st = db_transaction(gateway_paid_tx, &g, ATTEMPTS);
	*changed = st == ST_OK && g.changed;
	return st;
}

struct refund_record {
	long long refund_id, admin_id;
	struct order_outcome *out;
};

static enum status refund_record_tx(void *ctx)
{
	struct refund_record *r = ctx;
	struct refund f;
	enum status st = db_refund_get(r->refund_id, &f);
	if (st != ST_OK)
		return st;
	struct order_lock o;
	st = db_order_lock(f.order_id, 0, &o);
	if (st != ST_OK)
		return st;
	if (f.gateway || strcmp(f.state, "pending") != 0)
		return refuse(r->out, ST_CONFLICT, "NOT_PENDING");
	bool changed;
	st = db_refund_done(r->refund_id, r->admin_id, NULL, &changed);
	if (st == ST_OK && !changed)
		return refuse(r->out, ST_CONFLICT, "NOT_PENDING");
	return st == ST_OK ? db_order_settle_refunds(f.order_id) : st;
}

enum status orders_record_refund(long long refund_id, long long admin_id, struct order_outcome *out)
{
	*out = (struct order_outcome){0};
	struct refund_record r = {refund_id, admin_id, out};
	return db_transaction(refund_record_tx, &r, ATTEMPTS);
}

/* ---- jobs ----------------------------------------------------------------------------------- */

enum status orders_expire_overdue(unsigned long *done)
{
	long long *ids;
	size_t n;
	*done = 0;
	enum status st = db_orders_overdue(JOB_BATCH, &ids, &n);
	for (size_t i = 0; i < n && st == ST_OK; i++) {
		struct order_outcome out = {0};
		struct cancel c = {ids[i], 0, true, NULL, "ko", &out};
		enum status one = db_transaction(cancel_tx, &c, ATTEMPTS);
		if (one == ST_OK)
			(*done)++;
		else if (!out.code) /* a refusal means someone else got there first */
			st = one;
	}
	free(ids);
	return st;
}

enum status orders_confirm_due(unsigned long *done)
{
	long long *ids;
	size_t n;
	*done = 0;
	enum status st = db_lines_confirm_due(JOB_BATCH, &ids, &n);
	for (size_t i = 0; i < n && st == ST_OK; i++) {
		struct order_outcome out = {0};
		struct line_args a = {.line_id = ids[i], .automatic = true, .out = &out};
		enum status one = db_transaction(confirm_tx, &a, ATTEMPTS);
		if (one == ST_OK)
			(*done)++;
		else if (!out.code)
			st = one;
	}
	free(ids);
	return st;
}
