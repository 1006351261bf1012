#include "shop/checkout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/checkout.h"
#include "db/db.h"
#include "db/mileage.h"
#include "pay/portone.h"
#include "shop/cart.h"
#include "shop/order_mail.h"
#include "shop/orders.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"

/* A deadlock or lock wait timeout runs the transaction again, at most this many times in all. */
#define CHECKOUT_ATTEMPTS 4

long checkout_payment_window(enum payment_method method)
{
	return method == PAY_BANK_TRANSFER ? config.bank_transfer_hours * 3600 : config.gateway_payment_minutes * 60;
}

/* What one run of the transaction works with. */
struct run {
	const struct checkout *c;
	struct checkout_result *r;
	struct cart_line lines[MONEY_MAX_LINES]; /* in basket order */
	struct cart_quote quote;
	char merchant_uid[41];
};

static enum status refuse(struct run *run, enum status st, const char *code, int item)
{
	run->r->code = code;
	run->r->item = item;
	return st;
}

/* The quote's first blocker as a refusal (stock and availability are the state of things: 409;
 * the rest is what was asked: 422). */
static enum status refuse_quote(struct run *run, const char *code, int item)
{
	bool conflict = strcmp(code, "OUT_OF_STOCK") == 0 || strcmp(code, "NOT_AVAILABLE") == 0 ||
	                strcmp(code, "COUPON_UNUSABLE") == 0;
	return refuse(run, conflict ? ST_CONFLICT : ST_INVALID, code, item);
}

/* Item indexes in the order their variants are locked: by variant id, so that two checkouts that
 * share variants always take their locks in the same order and cannot deadlock. (An insertion
 * sort: there are at most MONEY_MAX_LINES items.) */
static void lock_order(const struct checkout_item *items, size_t n, size_t order[])
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		for (; j > 0 && items[order[j - 1]].variant_id > items[i].variant_id; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

/* Locks and reads every variant (in id order) and coupon of the request into run->lines. */
static enum status lock_items(struct run *run, size_t order[])
{
	const struct checkout *c = run->c;
	for (size_t k = 0; k < c->nitems; k++) {
		size_t i = order[k];
		if (k > 0 && c->items[order[k - 1]].variant_id == c->items[i].variant_id)
			return refuse(run, ST_INVALID, "DUPLICATE_ITEM", (int)i);
		enum status st = db_checkout_lock_variant(c->items[i].variant_id, &run->lines[i]);
		if (st == ST_NOT_FOUND)
			return refuse(run, ST_INVALID, "ITEM_NOT_FOUND", (int)i);
		if (st != ST_OK)
			return st;
		run->lines[i].quantity = c->items[i].quantity;
	}
	for (size_t i = 0; i < c->nitems; i++) {
		if (!c->items[i].coupon_id)
			continue;
		struct coupon coupon;
		enum status st = db_checkout_lock_coupon(c->user_id, c->items[i].coupon_id, &coupon);
		if (st == ST_NOT_FOUND)
			return refuse(run, ST_INVALID, "COUPON_NOT_FOUND", (int)i);
		if (st != ST_OK)
			return st;
		run->lines[i].coupon = coupon.rule;
		run->lines[i].coupon_usable = coupon.usable_now;
		snprintf(run->lines[i].coupon_name, sizeof run->lines[i].coupon_name, "%s", coupon.name);
	}
	return ST_OK;
}

/* Locks the line versions of the order's brands in brand id order (an insertion sort, as above),
 * before its lines' triggers move them in the lines' order: two checkouts then take those rows in
 * the same order and cannot deadlock on them. */
static enum status lock_brand_lines(const struct money_basket *b)
{
	long long ids[MONEY_MAX_LINES];
	size_t n = 0;
	for (size_t i = 0; i < b->nbrands && n < MONEY_MAX_LINES; i++) {
		size_t j = n++;
		for (; j > 0 && ids[j - 1] > b->brands[i].brand_id; j--)
			ids[j] = ids[j - 1];
		ids[j] = b->brands[i].brand_id;
	}
	enum status st = ST_OK;
	for (size_t i = 0; i < n && st == ST_OK; i++)
		st = db_checkout_lock_brand_lines(ids[i]);
	return st;
}

/* Takes the stock (in id order) and uses the coupons of the priced lines. */
static enum status take(struct run *run, size_t order[])
{
	const struct checkout *c = run->c;
	for (size_t k = 0; k < c->nitems; k++) {
		size_t i = order[k];
		bool ok;
		enum status st = db_variant_take_stock(c->items[i].variant_id, c->items[i].quantity, &ok);
		if (st != ST_OK)
			return st;
		if (!ok)
			return refuse(run, ST_CONFLICT, "OUT_OF_STOCK", (int)i);
	}
	for (size_t i = 0; i < c->nitems; i++) {
		bool ok;
		if (!c->items[i].coupon_id)
			continue;
		enum status st = db_coupon_use(c->user_id, c->items[i].coupon_id, &ok);
		if (st != ST_OK)
			return st;
		if (!ok)
			return refuse(run, ST_CONFLICT, "COUPON_UNUSABLE", (int)i);
	}
	return ST_OK;
}

/* Writes the order, its shipping rows, its lines with their stock movements, and the cart's loss
 * of the bought lines. */
static enum status write_order(struct run *run, const struct checkout_buyer *buyer)
{
	const struct checkout *c = run->c;
	const struct money_basket *b = &run->quote.basket;
	struct order_insert o = {
	    .user_id = c->user_id,
	    .merchant_uid = run->merchant_uid,
	    .idempotency_key = c->key,
	    .request_hash = c->request_hash,
	    .method = c->method,
	    .payment_due_seconds = checkout_payment_window(c->method),
	    .ship = &c->ship,
	    .grade_id = buyer->grade_id,
	    .discount_percent = buyer->discount_percent,
	    .mileage_percent = buyer->mileage_percent,
	    .items = b->items,
	    .coupon_discount = b->coupon_discount,
	    .grade_discount = b->grade_discount,
	    .mileage = b->mileage,
	    .shipping = b->shipping,
	    .total = b->total,
	};
	long long order_id;
	enum status st = db_order_insert(&o, &order_id);
	if (st == ST_CONFLICT && strcmp(db_conflict_key(), "uq_orders_idempotency") == 0)
		return refuse(run, ST_CONFLICT, "IN_PROGRESS", -1);
	if (st != ST_OK)
		return st == ST_CONFLICT ? ST_RETRY : st; /* a merchant_uid drawn twice: draw again */
	run->r->order_id = order_id;
	for (size_t i = 0; i < b->nbrands && st == ST_OK; i++) {
		const struct money_brand *br = &b->brands[i];
		st = db_order_shipping_insert(order_id, br->brand_id, br->lines_amount, br->shipping_fee,
		                              br->free_threshold, br->fee);
	}
	for (size_t i = 0; i < c->nitems && st == ST_OK; i++) {
		const struct money_line *m = &run->quote.lines[run->quote.basket_index[i]];
		struct order_line_insert l = {
		    .order_id = order_id,
		    .item = &run->lines[i],
		    .quantity = m->quantity,
		    .subtotal = m->subtotal,
		    .coupon_id = m->coupon ? m->coupon->id : 0,
		    .coupon_discount = m->coupon_discount,
		    .grade_discount = m->grade_discount,
		    .mileage_share = m->mileage_share,
		    .line_total = m->paid,
		};
		long long line_id;
		st = db_order_line_insert(&l, &line_id);
		if (st == ST_OK)
			st = db_stock_movement_sale(c->items[i].variant_id, line_id, m->quantity);
		if (st == ST_OK && c->cart_id)
			st = db_cart_remove_variant(c->cart_id, c->items[i].variant_id);
	}
	return st;
}

/* The gateway's order number: the date and twelve random hex digits ("LN20261206-3f9a0c1b7d2e"). */
static void new_merchant_uid(char out[41])
{
	unsigned char rnd[6];
	char hex[13];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	crypto_random(rnd, sizeof rnd);
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	snprintf(out, 41, "LN%04d%02d%02d-%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, hex);
}

static enum status checkout_tx(void *ctx)
{
	struct run *run = ctx;
	const struct checkout *c = run->c;
	struct checkout_result *r = run->r;
	checkout_result_free(r); /* an earlier attempt's order, rolled back */
	*r = (struct checkout_result){.item = -1};
	new_merchant_uid(run->merchant_uid); /* drawn again if a retry follows a collision */

	struct checkout_buyer buyer;
	enum status st = db_checkout_lock_buyer(c->user_id, &buyer);
	if (st != ST_OK)
		return st;
	if (!buyer.active)
		return refuse(run, ST_FORBIDDEN, "NOT_ACTIVE", -1);
	if (c->nitems == 0)
		return refuse(run, ST_INVALID, "CART_EMPTY", -1);

	size_t order[MONEY_MAX_LINES];
	lock_order(c->items, c->nitems, order);
	st = lock_items(run, order);
	if (st != ST_OK)
		return st;

	cart_quote(run->lines, c->nitems, buyer.discount_percent, buyer.mileage_balance, c->mileage, &run->quote);
	int item;
	const char *blocker = cart_quote_blocker(&run->quote, &item);
	if (blocker)
		return refuse_quote(run, blocker, item);
	r->total = run->quote.basket.total;
	if (c->expected_total >= 0 && c->expected_total != r->total)
		return refuse(run, ST_CONFLICT, "TOTAL_CHANGED", -1);

	st = take(run, order);
	if (st == ST_OK)
		st = lock_brand_lines(&run->quote.basket);
	if (st == ST_OK)
		st = write_order(run, &buyer);
	if (st == ST_OK && c->mileage > 0) {
		bool spent;
		st = db_mileage_add(c->user_id, MILEAGE_SPENT, -c->mileage, r->order_id, 0, &spent);
		if (st == ST_OK && !spent)
			return refuse(run, ST_INVALID, "MILEAGE_OVER_BALANCE", -1);
	}
	/* Nothing to pay (discounts and mileage cover it all, and shipping is free): paid now, whatever
	 * the method, since neither a transfer nor a gateway payment of 0 won can come. */
	if (st == ST_OK && r->total == 0)
		st = orders_paid_free(r->order_id, c->user_id, c->mail_lang);
	/* The order as written, once: for its mail, and for the caller's answer. */
	if (st == ST_OK) {
		r->order = xmalloc(sizeof *r->order);
		st = db_order_get(r->order_id, 0, r->order);
		if (st != ST_OK) {
			free(r->order);
			r->order = NULL;
		}
	}
	if (st == ST_OK && c->mail_lang)
		st = order_mail_about(ORDER_MAIL_PLACED, r->order, 0, c->mail_lang);
	return st;
}

enum status checkout_result_order(struct checkout_result *r, long long user_id, struct order *out)
{
	if (!r->order)
		return db_order_get(r->order_id, user_id, out);
	*out = *r->order;
	free(r->order);
	r->order = NULL;
	return ST_OK;
}

void checkout_result_free(struct checkout_result *r)
{
	if (r->order) {
		order_free(r->order);
		free(r->order);
		r->order = NULL;
	}
}

/* The order already placed under the key, if any: the same request's (a replay) or another's. */
static enum status placed_by_key(const struct checkout *c, struct checkout_result *r)
{
	long long order_id;
	unsigned char hash[32];
	enum status st = db_order_by_key(c->user_id, c->key, &order_id, hash);
	if (st != ST_OK)
		return st;
	r->order_id = order_id; /* for another request: the key's own order, which the page shows instead */
	r->code = NULL;
	r->item = -1;
	if (crypto_equal(hash, c->request_hash, sizeof hash)) {
		r->replayed = true;
		return ST_OK;
	}
	r->code = "IDEMPOTENCY_KEY_REUSED";
	return ST_INVALID;
}

enum status checkout_place(const struct checkout *c, struct checkout_result *r)
{
	*r = (struct checkout_result){.item = -1};
	if (c->method != PAY_BANK_TRANSFER && !portone_enabled()) {
		r->code = "PAYMENT_METHOD_UNAVAILABLE";
		return ST_INVALID;
	}
	/* The key's lock: a second request with it while the first runs is told so at once. */
	char lock[64], digest[CRYPTO_SHA256_HEX + 1];
	struct buf who = BUF_INIT;
	buf_printf(&who, "%lld\n%s", c->user_id, c->key);
	crypto_sha256_hex(who.data, who.len, digest);
	buf_free(&who);
	snprintf(lock, sizeof lock, "lonua_checkout_%.40s", digest);
	bool got;
	enum status st = db_lock_try(lock, &got);
	if (st != ST_OK)
		return st;
	if (!got) {
		r->code = "IN_PROGRESS";
		return ST_CONFLICT;
	}

	st = placed_by_key(c, r);
	if (st == ST_NOT_FOUND) {
		struct run *run = xcalloc(1, sizeof *run);
		run->c = c;
		run->r = r;
		st = db_transaction(checkout_tx, run, CHECKOUT_ATTEMPTS);
		free(run);
		if (st != ST_OK)
			checkout_result_free(r); /* read in a transaction that did not commit */
		/* The key taken meanwhile: the lock was lost with a connection that was opened again, and
		 * the request that placed it has finished; its order answers as a replay would. */
		if (st == ST_CONFLICT && r->code && strcmp(r->code, "IN_PROGRESS") == 0) {
			enum status again = placed_by_key(c, r);
			if (again != ST_NOT_FOUND)
				st = again;
		}
	}
	db_lock_release(lock);
	return st;
}
