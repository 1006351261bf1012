/* The writes that move an order or one of its lines on (SPEC §6 "Payment", "Cancel, confirm,
 * return"): each statement is conditional on the state it expects, so a change that lost a race
 * changes nothing and says so. src/shop/orders.c runs them in transactions that lock the buyer
 * (when mileage moves), then the order and its lines, then variants in id order: the same order
 * checkout keeps. */
#ifndef LONUA_DB_ORDER_CHANGES_H
#define LONUA_DB_ORDER_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "db/orders.h"
#include "util/status.h"

/* An order's row as its changes need it, locked FOR UPDATE. */
struct order_lock {
	long long id, user_id;
	enum payment_method method;
	enum payment_state state;
	long long total, mileage_used, shipping, refunded;
	char imp_uid[65];
	char merchant_uid[41];
	bool overdue; /* awaiting payment past its due time */
};

/* One line with what its changes need, locked FOR UPDATE together with its order. */
struct line_lock {
	long long id, order_id, user_id, brand_id, product_id, variant_id, quantity;
	long long line_total, mileage_share, return_cost;
	enum line_state state;
	enum return_reason return_reason;
	enum payment_state payment_state;
	enum payment_method method;
	int mileage_percent;
	bool return_window_open; /* delivered less than 7 days ago */
	bool confirm_due;        /* delivered (or its return refused) and delivered 7 days ago or more */
};

/* The buyer's row, locked first by every change that moves stock or mileage (checkout does too). */
enum status db_user_lock(long long user_id);
/* The buyer of an order, or of a line (read without a lock: the buyer never changes).
 * ST_NOT_FOUND when there is no such order or line. */
enum status db_order_buyer(long long order_id, long long *user_id);
enum status db_line_buyer(long long line_id, long long *user_id);

/* Work for the jobs, at most max of each, oldest first: orders awaiting payment past their due
 * time, and lines delivered ORDER_RETURN_DAYS ago or more. Free *ids. */
enum status db_orders_overdue(size_t max, long long **ids, size_t *n);
enum status db_lines_confirm_due(size_t max, long long **ids, size_t *n);

/* The order (user_id > 0: only that buyer's; 0: any). ST_NOT_FOUND otherwise. */
enum status db_order_lock(long long order_id, long long user_id, struct order_lock *out);
/* Every line of the order, locked, by variant id (the order stock is given back in). Free *out. */
enum status db_order_lines_lock(long long order_id, struct line_lock **out, size_t *n);
/* One line and its order, locked: user_id > 0 only that buyer's, brand_id > 0 only that brand's;
 * ST_NOT_FOUND otherwise. */
enum status db_line_lock(long long line_id, long long user_id, long long brand_id, struct line_lock *out);

/* awaiting_payment or paid -> to (cancelled, expired or refund_pending), with cancelled_at. */
enum status db_order_cancel(long long order_id, enum payment_state to, bool *changed);
/* The one conditional paid transition: awaiting_payment -> paid (a bank transfer records the amount,
 * the depositor and the admin; a gateway payment its imp_uid). *changed is false when the order was
 * not awaiting payment (a second arrival changes nothing). */
enum status db_order_paid_by_transfer(long long order_id, long long amount, const char *depositor, long long admin_id,
                                      bool *changed);
enum status db_order_paid_by_gateway(long long order_id, const char *imp_uid, bool *changed);
/* An order with nothing to pay (total 0) marked paid at checkout, by neither payment. */
enum status db_order_paid_free(long long order_id, bool *changed);
/* The order's refunded amount and state from its refunds: one pending -> refund_pending; all of
 * the total returned -> refunded; some -> partially_refunded. */
enum status db_order_settle_refunds(long long order_id);

/* Every ordered or preparing line of the order -> cancelled. */
enum status db_order_lines_cancel(long long order_id);
/* A line from -> to, with the columns to needs (courier and tracking for shipped, the time of each
 * state, mileage_earned and automatic for confirmed, the reason for a return, the rejection
 * reason). *changed false when the line was not in from. */
struct line_change {
	enum line_state from, to;
	const char *courier, *tracking_number;
	long long mileage_earned;
	bool automatic;
	enum return_reason reason;
	const char *text; /* the return's note, or the rejection's reason */
};
enum status db_line_change(long long line_id, const struct line_change *c, bool *changed);

/* Gives quantity of a variant back (a cancel or a return) with its stock history row. */
enum status db_stock_give_back(long long variant_id, long long line_id, long long quantity, bool is_return);
/* The coupons the order used are available again. */
enum status db_order_coupons_release(long long order_id);

/* Popularity (SPEC §4 "popular", §6 body types): a paid line adds its units to the product's
 * 30-day count and to the counters of the buyer's body types; a refunded one takes them away
 * (sign -1). Never below zero. */
enum status db_popularity_line(long long product_id, long long quantity, int sign, int upper, int lower);
/* The buyer's body types (0 when unknown). */
enum status db_user_body_types(long long user_id, int *upper, int *lower);

enum refund_reason { REFUND_CANCEL, REFUND_RETURN };

/* Keeps the account the buyer gave on their bank-transfer order (the latest one given); the
 * refunds made for the order afterwards copy it. */
enum status db_order_set_refund_account(long long order_id, const struct refund_account *a);

/* A refund waiting to be made: the whole order's (line_id 0) or one line's; a bank transfer's
 * takes the order's refund account. */
enum status db_refund_insert(long long order_id, long long line_id, enum refund_reason reason, bool gateway,
                             long long amount, long long shipping_amount, long long return_cost_deducted,
                             long long *refund_id);
/* pending -> done (recorded_by: the admin who sent a bank refund; 0 for the gateway, with its
 * reference), and the refunded amounts of the lines (and shipping, for a whole order). *changed
 * false when it was not pending. */
enum status db_refund_done(long long refund_id, long long recorded_by, const char *gateway_reference, bool *changed);
/* A gateway refund that failed stays pending with the error (no secret in it) and the time of the
 * attempt (updated_at), for a retry. */
enum status db_refund_error(long long refund_id, const char *error);

/* A refund as the admin list and the retry job read it. */
struct refund {
	long long id, order_id, line_id, amount, shipping_amount, return_cost_deducted;
	enum refund_reason reason;
	bool gateway;
	char state[16];
	char imp_uid[65];
	char merchant_uid[41];
	long long order_total, order_refunded;
	char created_at[20], completed_at[20];
	char last_error[1001];
	struct refund_account account; /* a bank transfer's (empty when none was given) */
};
/* Refunds in a state ("pending" or "done"), oldest first, a page; *total counts them. */
enum status db_refunds_list(const char *state, int page, int per_page, struct refund **out, size_t *n,
                            long long *total);
/* Up to limit gateway refunds still pending, the least recently tried first (so refunds the
 * gateway keeps refusing do not hold back newer ones). */
enum status db_refunds_to_retry(int limit, struct refund **out, size_t *n);
enum status db_refund_get(long long refund_id, struct refund *out);

#endif
