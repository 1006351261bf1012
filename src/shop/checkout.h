/* Checkout (SPEC §6): one transaction that re-reads prices, takes stock, uses coupons, spends
 * mileage and writes the order, priced by the money rules; and the idempotency around it (the
 * same key and request answers the first order, a key in flight is refused, a key reused for
 * another request is refused). */
#ifndef LONUA_SHOP_CHECKOUT_H
#define LONUA_SHOP_CHECKOUT_H

#include <stdbool.h>

#include "db/orders.h"
#include "shop/money.h"
#include "util/status.h"

/* One thing to buy, in basket order (the mileage remainder goes to the last). */
struct checkout_item {
	long long variant_id, quantity, coupon_id; /* coupon 0: none */
};

struct checkout {
	long long user_id;
	const char *key;                /* the Idempotency-Key, or the checkout page's key */
	unsigned char request_hash[32]; /* of the request as sent: a replay must match it */
	struct checkout_item items[MONEY_MAX_LINES];
	size_t nitems;
	long long cart_id; /* the cart whose bought lines go (0: the items are not the cart's) */
	struct shipping_address ship;
	long long mileage;
	enum payment_method method;
	long long expected_total; /* the total the shopper saw (-1: none): another is TOTAL_CHANGED */
	/* The language of the confirmation mail (and of the paid mail of an order with nothing to
	 * pay), queued in the transaction; NULL: no mail (the seed's demo orders). */
	const char *mail_lang;
};

struct checkout_result {
	long long order_id; /* placed, or answered again; with IDEMPOTENCY_KEY_REUSED the key's order */
	bool replayed;      /* the key's first order, answered again */
	const char *code;   /* why not (a stable problem code), when refused */
	int item;           /* the item it is about, or -1 */
	long long total;    /* the total as priced now (with TOTAL_CHANGED) */
	/* The order as its transaction wrote it, read there for its mail (ST_OK, not replayed), so
	 * that the caller need not read it again; else NULL. Free with checkout_result_free. */
	struct order *order;
};

/* Places the order. ST_OK with order_id (replayed when the key had one for the same request);
 * otherwise the status and result->code: ST_CONFLICT for IN_PROGRESS (the key's first request is
 * still running), OUT_OF_STOCK, NOT_AVAILABLE, COUPON_UNUSABLE, TOTAL_CHANGED; ST_INVALID for
 * IDEMPOTENCY_KEY_REUSED, PAYMENT_METHOD_UNAVAILABLE (a card without the gateway), CART_EMPTY, DUPLICATE_ITEM,
 * ITEM_NOT_FOUND, COUPON_NOT_FOUND, the money rules' coupon and mileage errors; ST_FORBIDDEN for NOT_ACTIVE; or the
 * database's failure. A refusal leaves nothing behind. */
enum status checkout_place(const struct checkout *c, struct checkout_result *r);

/* The order of an ST_OK result into *out (free with order_free): the one its transaction read,
 * taken out of r, or for a replay the key's order read now (as user_id's; 0: anyone's). */
enum status checkout_result_order(struct checkout_result *r, long long user_id, struct order *out);

void checkout_result_free(struct checkout_result *r);

/* How long an order may stay unpaid (bank transfer: config.bank_transfer_hours; a gateway:
 * config.gateway_payment_minutes), in seconds. */
long checkout_payment_window(enum payment_method method);

#endif
