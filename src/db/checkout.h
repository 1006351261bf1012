/* The statements of a checkout (SPEC §6 "Checkout is one transaction"), each a named step that
 * src/shop/checkout.c runs inside one transaction in the order the rule gives: lock the buyer, lock
 * the variants in id order and re-read them, lock the coupons, take stock with a conditional update,
 * mark the coupons used, write the order, its shipping rows, lines and stock movements, spend the
 * mileage (src/db/mileage.c), remove the bought cart lines. */
#ifndef LONUA_DB_CHECKOUT_H
#define LONUA_DB_CHECKOUT_H

#include <stdbool.h>

#include "db/carts.h"
#include "db/coupons.h"
#include "db/orders.h"
#include "util/status.h"

/* The buyer's order under an Idempotency-Key, with the hash of the request that made it;
 * ST_NOT_FOUND when the key is new. */
enum status db_order_by_key(long long user_id, const char *key, long long *order_id, unsigned char hash[32]);

/* The buyer as checkout prices them, locked (FOR UPDATE) so that one buyer's checkouts run one
 * after another: status, grade and its percents, mileage balance. */
struct checkout_buyer {
	bool active;
	long long grade_id;
	int discount_percent, mileage_percent;
	long long mileage_balance;
};
enum status db_checkout_lock_buyer(long long user_id, struct checkout_buyer *out);

/* One variant, locked (FOR UPDATE on its row only: other buyers of the product and the brand never
 * wait; the order's inserts hold shared locks on the product and brand rows for their foreign
 * keys, so a seller's edit of them waits for the checkout to commit), with today's product, price, stock and brand
 * terms in a cart line (id 0, quantity and coupon unset). ST_NOT_FOUND when there is no such variant. */
enum status db_checkout_lock_variant(long long variant_id, struct cart_line *out);

/* One of the buyer's coupons, locked. ST_NOT_FOUND when it is not theirs. */
enum status db_checkout_lock_coupon(long long user_id, long long coupon_id, struct coupon *out);

/* stock = stock - quantity, only while that stays >= 0: *taken is false when it would not. */
enum status db_variant_take_stock(long long variant_id, long long quantity, bool *taken);
/* available -> used: *used is false when the coupon was not available. */
enum status db_coupon_use(long long user_id, long long coupon_id, bool *used);

/* Moves the brand's line version (schema/025_brand_line_versions.sql), which locks its row until the
 * checkout ends: called for each of the order's brands in id order before any line is written. */
enum status db_checkout_lock_brand_lines(long long brand_id);

/* What an order row is written with. */
struct order_insert {
	long long user_id;
	const char *merchant_uid;
	const char *idempotency_key;
	const unsigned char *request_hash; /* 32 bytes */
	enum payment_method method;
	long payment_due_seconds;
	const struct shipping_address *ship;
	long long grade_id;
	int discount_percent, mileage_percent;
	long long items, coupon_discount, grade_discount, mileage, shipping, total;
};
enum status db_order_insert(const struct order_insert *o, long long *order_id);
enum status db_order_shipping_insert(long long order_id, long long brand_id, long long lines_amount,
                                     long long brand_fee, long long free_threshold, long long fee);

/* A line with its snapshot (from the locked variant) and its shares (from the money rules). */
struct order_line_insert {
	long long order_id;
	const struct cart_line *item;
	long long quantity, subtotal, coupon_id, coupon_discount, grade_discount, mileage_share, line_total;
};
enum status db_order_line_insert(const struct order_line_insert *l, long long *line_id);
/* The stock history row of a line's sale (delta -quantity, the stock after). */
enum status db_stock_movement_sale(long long variant_id, long long line_id, long long quantity);

/* Removes a bought variant's line from a cart. */
enum status db_cart_remove_variant(long long cart_id, long long variant_id);

#endif
