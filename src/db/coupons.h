/* A shopper's coupons (SPEC §3 Coupon; schema/005_shopping.sql) as C structs. Checkout marks them
 * used in its own transaction (src/db/orders.c); cancelling an order gives them back. */
#ifndef LONUA_DB_COUPONS_H
#define LONUA_DB_COUPONS_H

#include <stdbool.h>
#include <stddef.h>

#include "shop/money.h"
#include "util/status.h"

enum coupon_state { COUPON_AVAILABLE, COUPON_USED, COUPON_EXPIRED, COUPON_REVOKED };

struct coupon {
	struct money_coupon rule; /* id, percent or amount, minimum, category */
	char name[401];
	char valid_from[20], valid_until[20]; /* YYYY-MM-DD HH:MM:SS, UTC */
	enum coupon_state state;
	bool usable_now; /* available and within its dates */
	char used_at[20];
};

/* A page of the user's coupons, usable ones first (by the end of their validity), then the rest
 * newest first; *total (may be NULL) counts them all, to one past DB_LIST_TOTAL_CAP. Free *out. */
enum status db_coupons_of_user(long long user_id, int page, int per_page, struct coupon **out, size_t *n,
                               long long *total);
/* One of the user's coupons (locked FOR UPDATE when lock, in a transaction); ST_NOT_FOUND when it
 * is not theirs. */
enum status db_coupon_read(long long user_id, long long coupon_id, bool lock, struct coupon *out);

/* "available", "used", "expired", "revoked". */
const char *coupon_state_name(enum coupon_state s);

#endif
