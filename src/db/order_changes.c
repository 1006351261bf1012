#include "db/order_changes.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"

static int index_of(const char *const *names, const char *text)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], text) == 0)
			return i;
	return 0;
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

enum status db_user_lock(long long user_id)
{
	long long found = 0;
	struct db_param p = DB_INT(user_id);
	enum status st = db_query("SELECT id FROM users WHERE id = ? FOR UPDATE", &p, 1, read_count, &found, NULL);
	return st == ST_OK && !found ? ST_NOT_FOUND : st;
}

/* ---- the order ------------------------------------------------------------------------------ */

static enum status read_order_lock(const struct db_row *row, void *ctx)
{
	struct order_lock *o = ctx;
	char word[32];
	o->id = db_int(row, 0);
	o->user_id = db_int(row, 1);
	db_copy(row, 2, word, sizeof word);
	o->method = (enum payment_method)index_of(payment_method_names, word);
	db_copy(row, 3, word, sizeof word);
	o->state = (enum payment_state)index_of(payment_state_names, word);
	o->total = db_int(row, 4);
	o->mileage_used = db_int(row, 5);
	o->shipping = db_int(row, 6);
	o->refunded = db_int(row, 7);
	db_copy(row, 8, o->imp_uid, sizeof o->imp_uid);
	db_copy(row, 9, o->merchant_uid, sizeof o->merchant_uid);
	o->overdue = db_int(row, 10) != 0;
	return ST_OK;
}

enum status db_order_lock(long long order_id, long long user_id, struct order_lock *out)
{
	struct db_param p[] = {DB_INT(order_id), DB_INT(user_id), DB_INT(user_id)};
	memset(out, 0, sizeof *out);
	enum status st = db_query("SELECT id, user_id, payment_method, payment_state, total_amount, mileage_used,"
	                          " shipping_amount, refunded_amount, imp_uid, merchant_uid,"
	                          " payment_state = 'awaiting_payment' AND payment_due_at <= UTC_TIMESTAMP()"
	                          " FROM orders WHERE id = ? AND (? = 0 OR user_id = ?) FOR UPDATE",
	                          p, 3, read_order_lock, out, NULL);
	return st == ST_OK && !out->id ? ST_NOT_FOUND : st;
}

#define LINE_LOCK_COLUMNS                                                                                              \
	"SELECT l.id, l.order_id, o.user_id, l.brand_id, l.product_id, l.variant_id, l.quantity, l.line_total,"        \
	" l.mileage_share, l.return_shipping_cost, l.state, l.return_reason, o.payment_state, o.payment_method,"       \
	" o.mileage_percent, l.state = 'delivered' AND l.delivered_at > UTC_TIMESTAMP() - INTERVAL 7 DAY,"             \
	" l.state IN ('delivered', 'return_rejected') AND l.delivered_at <= UTC_TIMESTAMP() - INTERVAL 7 DAY"          \
	" FROM order_lines l JOIN orders o ON o.id = l.order_id"

struct line_list {
	struct line_lock *items;
	size_t n;
};

static enum status read_line_lock(const struct db_row *row, void *ctx)
{
	struct line_list *l = ctx;
	char word[32];
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	struct line_lock *x = &l->items[l->n++];
	memset(x, 0, sizeof *x);
	x->id = db_int(row, 0);
	x->order_id = db_int(row, 1);
	x->user_id = db_int(row, 2);
	x->brand_id = db_int(row, 3);
	x->product_id = db_int(row, 4);
	x->variant_id = db_int(row, 5);
	x->quantity = db_int(row, 6);
	x->line_total = db_int(row, 7);
	x->mileage_share = db_int(row, 8);
	x->return_cost = db_int(row, 9);
	db_copy(row, 10, word, sizeof word);
	x->state = (enum line_state)index_of(line_state_names, word);
	db_copy(row, 11, word, sizeof word);
	x->return_reason =
	    db_is_null(row, 11) ? RETURN_NONE : (enum return_reason)(index_of(return_reason_names, word) + 1);
	db_copy(row, 12, word, sizeof word);
	x->payment_state = (enum payment_state)index_of(payment_state_names, word);
	db_copy(row, 13, word, sizeof word);
	x->method = (enum payment_method)index_of(payment_method_names, word);
	x->mileage_percent = (int)db_int(row, 14);
	x->return_window_open = db_int(row, 15) != 0;
	x->confirm_due = db_int(row, 16) != 0;
	return ST_OK;
}

enum status db_order_lines_lock(long long order_id, struct line_lock **out, size_t *n)
{
	struct line_list l = {NULL, 0};
	struct db_param p = DB_INT(order_id);
	enum status st = db_query(LINE_LOCK_COLUMNS " WHERE l.order_id = ? ORDER BY l.variant_id, l.id FOR UPDATE", &p,
	                          1, read_line_lock, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		l.items = NULL;
		l.n = 0;
	}
	*out = l.items;
	*n = l.n;
	return st;
}

enum status db_line_lock(long long line_id, long long user_id, long long brand_id, struct line_lock *out)
{
	struct line_list l = {NULL, 0};
	struct db_param p[] = {DB_INT(line_id), DB_INT(user_id), DB_INT(user_id), DB_INT(brand_id), DB_INT(brand_id)};
	enum status st = db_query(LINE_LOCK_COLUMNS " WHERE l.id = ? AND (? = 0 OR o.user_id = ?)"
	                                            " AND (? = 0 OR l.brand_id = ?) FOR UPDATE",
	                          p, 5, read_line_lock, &l, NULL);
	if (st == ST_OK && l.n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		*out = l.items[0];
	free(l.items);
	return st;
}

enum status db_order_cancel(long long order_id, enum payment_state to, bool *changed)
{
	unsigned long long n = 0;
	struct db_param p[] = {DB_TEXT(payment_state_names[to]), DB_INT(order_id)};
	enum status st = db_query("UPDATE orders SET payment_state = ?, cancelled_at = UTC_TIMESTAMP()"
	                          " WHERE id = ? AND payment_state IN ('awaiting_payment', 'paid')",
	                          p, 2, NULL, NULL, &n);
	*changed = st == ST_OK && n == 1;
	return st;
}

enum status db_order_paid_by_transfer(long long order_id, long long amount, const char *depositor, long long admin_id,
                                      bool *changed)
{
	unsigned long long n = 0;
	struct db_param p[] = {DB_INT(amount), DB_TEXT_OR_NULL(depositor), DB_INT(admin_id), DB_INT(order_id)};
	enum status st =
	    db_query("UPDATE orders SET payment_state = 'paid', paid_at = UTC_TIMESTAMP(),"
	             " received_amount = ?, received_at = UTC_TIMESTAMP(), depositor_name = ?,"
	             " received_confirmed_by = ?"
	             " WHERE id = ? AND payment_state = 'awaiting_payment' AND payment_method = 'bank_transfer'",
	             p, 4, NULL, NULL, &n);
	*changed = st == ST_OK && n == 1;
	return st;
}

enum status db_order_paid_free(long long order_id, bool *changed)
{
	unsigned long long n = 0;
	struct db_param p = DB_INT(order_id);
	enum status st = db_query("UPDATE orders SET payment_state = 'paid', paid_at = UTC_TIMESTAMP()"
	                          " WHERE id = ? AND payment_state = 'awaiting_payment' AND total_amount = 0",
	                          &p, 1, NULL, NULL, &n);
	*changed = st == ST_OK && n == 1;
	return st;
}

enum status db_order_paid_by_gateway(long long order_id, const char *imp_uid, bool *changed)
{
	unsigned long long n = 0;
	struct db_param p[] = {DB_TEXT(imp_uid), DB_INT(order_id)};
	enum status st =
	    db_query("UPDATE orders SET payment_state = 'paid', paid_at = UTC_TIMESTAMP(), imp_uid = ?"
	             " WHERE id = ? AND payment_state = 'awaiting_payment' AND payment_method <> 'bank_transfer'",
	             p, 2, NULL, NULL, &n);
	*changed = st == ST_OK && n == 1;
	return st;
}

enum status db_order_settle_refunds(long long order_id)
{
	struct db_param p[] = {DB_INT(order_id), DB_INT(order_id), DB_INT(order_id)};
	return db_query(
	    "UPDATE orders o"
	    " JOIN (SELECT COALESCE(SUM(IF(state = 'done', amount, 0)), 0) AS done,"
	    "       COALESCE(SUM(state = 'pending'), 0) AS pending FROM refunds WHERE order_id = ?) r"
	    " SET o.refunded_amount = r.done,"
	    " o.payment_state = CASE WHEN r.pending > 0 THEN 'refund_pending'"
	    "   WHEN r.done >= o.total_amount AND o.total_amount > 0 THEN 'refunded'"
	    "   WHEN r.done > 0 THEN 'partially_refunded' ELSE o.payment_state END"
	    " WHERE o.id = ? AND o.paid_at IS NOT NULL AND EXISTS (SELECT 1 FROM refunds WHERE order_id = ?)",
	    p, 3, NULL, NULL, NULL);
}

/* ---- lines ---------------------------------------------------------------------------------- */

enum status db_order_lines_cancel(long long order_id)
{
	struct db_param p = DB_INT(order_id);
	return db_query("UPDATE order_lines SET state = 'cancelled', cancelled_at = UTC_TIMESTAMP()"
	                " WHERE order_id = ? AND state IN ('ordered', 'preparing')",
	                &p, 1, NULL, NULL, NULL);
}

enum status db_line_change(long long line_id, const struct line_change *c, bool *changed)
{
	unsigned long long n = 0;
	enum status st;
	struct db_param from = DB_TEXT(line_state_names[c->from]), id = DB_INT(line_id);
	switch (c->to) {
	case LINE_PREPARING: {
		struct db_param p[] = {id, from};
		st = db_query("UPDATE order_lines SET state = 'preparing' WHERE id = ? AND state = ?", p, 2, NULL, NULL,
		              &n);
		break;
	}
	case LINE_SHIPPED: {
		struct db_param p[] = {DB_TEXT(c->courier), DB_TEXT(c->tracking_number), id, from};
		st = db_query("UPDATE order_lines SET state = 'shipped', courier = ?, tracking_number = ?,"
		              " shipped_at = UTC_TIMESTAMP() WHERE id = ? AND state = ?",
		              p, 4, NULL, NULL, &n);
		break;
	}
	case LINE_DELIVERED: {
		struct db_param p[] = {id, from};
		st = db_query("UPDATE order_lines SET state = 'delivered', delivered_at = UTC_TIMESTAMP()"
		              " WHERE id = ? AND state = ?",
		              p, 2, NULL, NULL, &n);
		break;
	}
	case LINE_CONFIRMED: {
		struct db_param p[] = {DB_INT(c->mileage_earned), DB_INT(c->automatic), id, from};
		st = db_query("UPDATE order_lines SET state = 'confirmed', confirmed_at = UTC_TIMESTAMP(),"
		              " mileage_earned = ?, confirmed_automatically = ? WHERE id = ? AND state = ?",
		              p, 4, NULL, NULL, &n);
		break;
	}
	case LINE_RETURN_REQUESTED: {
		struct db_param p[] = {DB_TEXT(return_reason_names[c->reason - 1]), DB_TEXT_OR_NULL(c->text), id, from};
		st =
		    db_query("UPDATE order_lines SET state = 'return_requested', return_requested_at = UTC_TIMESTAMP(),"
		             " return_reason = ?, return_reason_text = ? WHERE id = ? AND state = ?",
		             p, 4, NULL, NULL, &n);
		break;
	}
	case LINE_RETURNED: {
		struct db_param p[] = {id, from};
		st = db_query("UPDATE order_lines SET state = 'returned', return_decided_at = UTC_TIMESTAMP()"
		              " WHERE id = ? AND state = ?",
		              p, 2, NULL, NULL, &n);
		break;
	}
	case LINE_RETURN_REJECTED: {
		struct db_param p[] = {DB_TEXT(c->text), id, from};
		st = db_query("UPDATE order_lines SET state = 'return_rejected', return_decided_at = UTC_TIMESTAMP(),"
		              " return_rejection_reason = ? WHERE id = ? AND state = ?",
		              p, 3, NULL, NULL, &n);
		break;
	}
	default: return ST_ERROR; /* cancelling goes through db_order_lines_cancel */
	}
	*changed = st == ST_OK && n == 1;
	return st;
}

enum status db_stock_give_back(long long variant_id, long long line_id, long long quantity, bool is_return)
{
	struct db_param p[] = {DB_INT(quantity), DB_INT(variant_id)};
	enum status st = db_query("UPDATE product_variants SET stock = stock + ? WHERE id = ?", p, 2, NULL, NULL, NULL);
	struct db_param m[] = {DB_INT(quantity), DB_TEXT(is_return ? "return" : "cancel"), DB_INT(line_id),
	                       DB_INT(variant_id)};
	if (st == ST_OK)
		st = db_query("INSERT INTO stock_movements (variant_id, delta, stock_after, reason, order_line_id)"
		              " SELECT id, ?, stock, ?, ? FROM product_variants WHERE id = ?",
		              m, 4, NULL, NULL, NULL);
	return st;
}

enum status db_order_coupons_release(long long order_id)
{
	struct db_param p = DB_INT(order_id);
	return db_query("UPDATE coupons c JOIN order_lines l ON l.coupon_id = c.id"
	                " SET c.state = 'available', c.used_at = NULL WHERE l.order_id = ? AND c.state = 'used'",
	                &p, 1, NULL, NULL, NULL);
}

/* ---- popularity ----------------------------------------------------------------------------- */

enum status db_popularity_line(long long product_id, long long quantity, int sign, int upper, int lower)
{
	long long d = sign * quantity;
	struct db_param p[] = {DB_INT(d), DB_INT(d), DB_INT(product_id)};
	enum status st = db_query("UPDATE products SET units_sold_30d = IF(CAST(units_sold_30d AS SIGNED) + ? < 0, 0,"
	                          " units_sold_30d + ?) WHERE id = ?",
	                          p, 3, NULL, NULL, NULL);
	if (st != ST_OK || (upper < 1 && lower < 1))
		return st;
	/* The product's row of counters (made at zero the first time), then each column moves only
	 * when it is the buyer's type. */
	struct db_param id = DB_INT(product_id);
	st = db_query("INSERT IGNORE INTO product_body_type_counts (product_id) VALUES (?)", &id, 1, NULL, NULL, NULL);
	struct db_param c[] = {DB_INT(upper), DB_INT(d),     DB_INT(upper),     DB_INT(d),     DB_INT(upper),
	                       DB_INT(d),     DB_INT(lower), DB_INT(d),         DB_INT(lower), DB_INT(d),
	                       DB_INT(lower), DB_INT(d),     DB_INT(product_id)};
	if (st == ST_OK)
		st = db_query("UPDATE product_body_type_counts SET"
		              " upper1_units = GREATEST(CAST(upper1_units AS SIGNED) + IF(? = 1, ?, 0), 0),"
		              " upper2_units = GREATEST(CAST(upper2_units AS SIGNED) + IF(? = 2, ?, 0), 0),"
		              " upper3_units = GREATEST(CAST(upper3_units AS SIGNED) + IF(? = 3, ?, 0), 0),"
		              " lower1_units = GREATEST(CAST(lower1_units AS SIGNED) + IF(? = 1, ?, 0), 0),"
		              " lower2_units = GREATEST(CAST(lower2_units AS SIGNED) + IF(? = 2, ?, 0), 0),"
		              " lower3_units = GREATEST(CAST(lower3_units AS SIGNED) + IF(? = 3, ?, 0), 0)"
		              " WHERE product_id = ?",
		              c, 13, NULL, NULL, NULL);
	return st;
}

struct body_types {
	int upper, lower;
};

static enum status read_types(const struct db_row *row, void *ctx)
{
	struct body_types *t = ctx;
	t->upper = (int)db_int(row, 0);
	t->lower = (int)db_int(row, 1);
	return ST_OK;
}

enum status db_user_body_types(long long user_id, int *upper, int *lower)
{
	struct body_types t = {0, 0};
	struct db_param p = DB_INT(user_id);
	enum status st =
	    db_query("SELECT upper_body_type, lower_body_type FROM users WHERE id = ?", &p, 1, read_types, &t, NULL);
	*upper = t.upper;
	*lower = t.lower;
	return st;
}

/* ---- refunds -------------------------------------------------------------------------------- */

enum status db_order_set_refund_account(long long order_id, const struct refund_account *a)
{
	struct db_param p[] = {DB_TEXT(a->bank), DB_TEXT(a->number), DB_TEXT(a->holder), DB_INT(order_id)};
	return db_query("UPDATE orders SET refund_bank_name = ?, refund_account_number = ?, refund_account_holder = ?"
	                " WHERE id = ? AND payment_method = 'bank_transfer'",
	                p, 4, NULL, NULL, NULL);
}

enum status db_refund_insert(long long order_id, long long line_id, enum refund_reason reason, bool gateway,
                             long long amount, long long shipping_amount, long long return_cost_deducted,
                             long long *refund_id)
{
	struct db_param p[] = {line_id ? DB_INT(line_id) : DB_NULL,
	                       DB_TEXT(reason == REFUND_CANCEL ? "cancel" : "return"),
	                       DB_TEXT(gateway ? "gateway" : "bank_transfer"),
	                       DB_INT(amount),
	                       DB_INT(shipping_amount),
	                       DB_INT(return_cost_deducted),
	                       DB_INT(order_id)};
	enum status st = db_query(
	    "INSERT INTO refunds (order_id, order_line_id, reason, method, amount, shipping_amount,"
	    " return_cost_deducted, refund_bank_name, refund_account_number, refund_account_holder)"
	    " SELECT o.id, ?, ?, ?, ?, ?, ?, o.refund_bank_name, o.refund_account_number, o.refund_account_holder"
	    " FROM orders o WHERE o.id = ?",
	    p, 7, NULL, NULL, NULL);
	*refund_id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_refund_done(long long refund_id, long long recorded_by, const char *gateway_reference, bool *changed)
{
	unsigned long long n = 0;
	struct db_param p[] = {recorded_by ? DB_INT(recorded_by) : DB_NULL, DB_TEXT_OR_NULL(gateway_reference),
	                       DB_INT(refund_id)};
	enum status st = db_query("UPDATE refunds SET state = 'done', completed_at = UTC_TIMESTAMP(), recorded_by = ?,"
	                          " gateway_reference = ?, last_error = NULL WHERE id = ? AND state = 'pending'",
	                          p, 3, NULL, NULL, &n);
	*changed = st == ST_OK && n == 1;
	if (!*changed)
		return st;
	/* A line's refund is its line's; a whole order's covers every line and the shipping. */
	struct db_param r = DB_INT(refund_id);
	st = db_query("UPDATE order_lines l JOIN refunds r ON r.order_line_id = l.id"
	              " SET l.refunded_amount = r.amount WHERE r.id = ?",
	              &r, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query(
		    "UPDATE order_lines l JOIN refunds r ON r.order_id = l.order_id AND r.order_line_id IS NULL"
		    " SET l.refunded_amount = l.line_total WHERE r.id = ?",
		    &r, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("UPDATE order_shipping_charges s JOIN refunds r ON r.order_id = s.order_id"
		              " AND r.order_line_id IS NULL SET s.refunded_amount = s.shipping_fee WHERE r.id = ?",
		              &r, 1, NULL, NULL, NULL);
	return st;
}

enum status db_refund_error(long long refund_id, const char *error)
{
	struct db_param p[] = {DB_TEXT(error), DB_INT(refund_id)};
	return db_query("UPDATE refunds SET last_error = LEFT(?, 1000), updated_at = UTC_TIMESTAMP()"
	                " WHERE id = ? AND state = 'pending'",
	                p, 2, NULL, NULL, NULL);
}

#define REFUND_COLUMNS                                                                                                 \
	"SELECT r.id, r.order_id, r.order_line_id, r.amount, r.shipping_amount, r.return_cost_deducted, r.reason,"     \
	" r.method, r.state, o.imp_uid, o.merchant_uid, o.total_amount, o.refunded_amount, r.created_at,"              \
	" r.completed_at, r.last_error, r.refund_bank_name, r.refund_account_number, r.refund_account_holder"          \
	" FROM refunds r JOIN orders o ON o.id = r.order_id"

struct refund_list {
	struct refund *items;
	size_t n;
};

static enum status read_refund(const struct db_row *row, void *ctx)
{
	struct refund_list *l = ctx;
	char word[16];
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	struct refund *r = &l->items[l->n++];
	memset(r, 0, sizeof *r);
	r->id = db_int(row, 0);
	r->order_id = db_int(row, 1);
	r->line_id = db_int(row, 2);
	r->amount = db_int(row, 3);
	r->shipping_amount = db_int(row, 4);
	r->return_cost_deducted = db_int(row, 5);
	db_copy(row, 6, word, sizeof word);
	r->reason = strcmp(word, "cancel") == 0 ? REFUND_CANCEL : REFUND_RETURN;
	db_copy(row, 7, word, sizeof word);
	r->gateway = strcmp(word, "gateway") == 0;
	db_copy(row, 8, r->state, sizeof r->state);
	db_copy(row, 9, r->imp_uid, sizeof r->imp_uid);
	db_copy(row, 10, r->merchant_uid, sizeof r->merchant_uid);
	r->order_total = db_int(row, 11);
	r->order_refunded = db_int(row, 12);
	db_copy(row, 13, r->created_at, sizeof r->created_at);
	db_copy(row, 14, r->completed_at, sizeof r->completed_at);
	db_copy(row, 15, r->last_error, sizeof r->last_error);
	db_copy(row, 16, r->account.bank, sizeof r->account.bank);
	db_copy(row, 17, r->account.number, sizeof r->account.number);
	db_copy(row, 18, r->account.holder, sizeof r->account.holder);
	return ST_OK;
}

/* ix_refunds_state_created serves a state's page; all refunds come by primary key. */
enum status db_refunds_list(const char *state, int page, int per_page, struct refund **out, size_t *n, long long *total)
{
	struct refund_list l = {NULL, 0};
	struct db_param p[] = {DB_TEXT(state), DB_INT(per_page), DB_INT((long long)(page - 1) * per_page)};
	*out = NULL;
	*n = 0;
	struct db_param c[] = {p[0], DB_INT(DB_LIST_TOTAL_CAP + 1)};
	enum status st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM refunds WHERE state = ? LIMIT ?) t", c, 2,
	                          read_count, total, NULL);
	if (st == ST_OK)
		st = db_query(REFUND_COLUMNS " WHERE r.state = ? ORDER BY r.created_at, r.id LIMIT ? OFFSET ?", p, 3,
		              read_refund, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

enum status db_refunds_to_retry(int limit, struct refund **out, size_t *n)
{
	struct refund_list l = {NULL, 0};
	struct db_param p = DB_INT(limit);
	enum status st = db_query(REFUND_COLUMNS " WHERE r.state = 'pending' AND r.method = 'gateway'"
	                                         " ORDER BY r.updated_at, r.id LIMIT ?",
	                          &p, 1, read_refund, &l, NULL);
	*out = st == ST_OK ? l.items : NULL;
	*n = st == ST_OK ? l.n : 0;
	if (st != ST_OK)
		free(l.items);
	return st;
}

enum status db_refund_get(long long refund_id, struct refund *out)
{
	struct refund_list l = {NULL, 0};
	struct db_param p = DB_INT(refund_id);
	enum status st = db_query(REFUND_COLUMNS " WHERE r.id = ?", &p, 1, read_refund, &l, NULL);
	if (st == ST_OK && l.n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		*out = l.items[0];
	free(l.items);
	return st;
}

enum status db_order_buyer(long long order_id, long long *user_id)
{
	struct db_param p = DB_INT(order_id);
	*user_id = 0;
	enum status st = db_query("SELECT user_id FROM orders WHERE id = ?", &p, 1, read_count, user_id, NULL);
	return st == ST_OK && !*user_id ? ST_NOT_FOUND : st;
}

enum status db_line_buyer(long long line_id, long long *user_id)
{
	struct db_param p = DB_INT(line_id);
	*user_id = 0;
	enum status st =
	    db_query("SELECT o.user_id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.id = ?", &p, 1,
	             read_count, user_id, NULL);
	return st == ST_OK && !*user_id ? ST_NOT_FOUND : st;
}

struct id_list {
	long long *items;
	size_t n;
};

static enum status read_id(const struct db_row *row, void *ctx)
{
	struct id_list *l = ctx;
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	l->items[l->n++] = db_int(row, 0);
	return ST_OK;
}

static enum status id_query(const char *sql, size_t max, long long **ids, size_t *n)
{
	struct id_list l = {NULL, 0};
	struct db_param p = DB_INT((long long)max);
	enum status st = db_query(sql, &p, 1, read_id, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		l.items = NULL;
		l.n = 0;
	}
	*ids = l.items;
	*n = l.n;
	return st;
}

/* ix_orders_state_due and ix_order_lines_state_delivered: a range of one index each. */
enum status db_orders_overdue(size_t max, long long **ids, size_t *n)
{
	return id_query("SELECT id FROM orders WHERE payment_state = 'awaiting_payment'"
	                " AND payment_due_at <= UTC_TIMESTAMP() ORDER BY payment_due_at LIMIT ?",
	                max, ids, n);
}

enum status db_lines_confirm_due(size_t max, long long **ids, size_t *n)
{
	return id_query("SELECT id FROM order_lines WHERE state IN ('delivered', 'return_rejected')"
	                " AND delivered_at <= UTC_TIMESTAMP() - INTERVAL 7 DAY ORDER BY delivered_at LIMIT ?",
	                max, ids, n);
}
