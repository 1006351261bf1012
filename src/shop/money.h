/* The money rules of SPEC §6 as pure functions on whole won (docs/money.md restates them with
 * worked baskets that tests/unit/test-money.c recomputes). Checkout prices a basket with
 * money_price; refunds and earned mileage use the small functions below. */
#ifndef LONUA_SHOP_MONEY_H
#define LONUA_SHOP_MONEY_H

#include <stdbool.h>
#include <stddef.h>

/* Bounds that keep every sum far inside a long long (and the mileage split inside __int128). */
#define MONEY_MAX_LINES    100
#define MONEY_MAX_PRICE    100000000LL /* a unit price */
#define MONEY_MAX_QUANTITY 999

/* A coupon as the rules see it: a percent (1..100) or else a fixed amount, the minimum line
 * subtotal it needs, and the one category it is for (0: any). */
struct money_coupon {
	long long id;
	int percent;
	long long amount;
	long long min_line_amount;
	long long category_id;
};

/* One line of a basket: what it is, then what the rules make of it. */
struct money_line {
	long long unit_price; /* the sale price, re-read at checkout */
	long long quantity;
	long long brand_id;
	long long category_id;
	const struct money_coupon *coupon; /* or NULL */

	long long subtotal;        /* rule 1: unit price x quantity */
	long long coupon_discount; /* rule 2 */
	long long grade_discount;  /* rule 3 */
	long long discounted;      /* subtotal - coupon - grade discount */
	long long mileage_share;   /* rule 5 */
	long long paid;            /* discounted - mileage share: what the line paid */
};

/* A brand's shipping terms, then what the rules charge (rule 4). */
struct money_brand {
	long long brand_id;
	long long shipping_fee;
	long long free_threshold; /* < 0: never free */

	long long lines_amount; /* the brand's discounted lines */
	long long fee;          /* charged */
};

struct money_basket {
	int grade_percent;         /* the shopper's grade discount */
	long long mileage_balance; /* what the shopper has */
	long long mileage;         /* what the shopper wants to spend */
	struct money_line *lines;  /* in basket order: the mileage remainder goes to the last */
	size_t nlines;
	struct money_brand *brands; /* one per brand of the lines */
	size_t nbrands;

	long long items;           /* sum of subtotals */
	long long coupon_discount; /* sum of coupon discounts */
	long long grade_discount;  /* sum of grade discounts */
	long long discounted;      /* items - coupon - grade discounts */
	long long shipping;        /* sum of brand fees */
	long long total;           /* rule 6: discounted - mileage + shipping */
	size_t error_line;         /* the line a coupon error is about */
};

enum money_error {
	MONEY_OK,
	MONEY_EMPTY,                /* no lines */
	MONEY_OUT_OF_BOUNDS,        /* a price, quantity, percent or line count outside its bounds */
	MONEY_COUPON_BELOW_MINIMUM, /* the line's subtotal is below the coupon's minimum */
	MONEY_COUPON_CATEGORY,      /* the coupon is for another category */
	MONEY_COUPON_TWICE,         /* one coupon on two lines */
	MONEY_MILEAGE_OVER_BALANCE, /* more mileage than the shopper has */
	MONEY_MILEAGE_OVER_ITEMS,   /* more mileage than the discounted items (shipping excluded) */
	MONEY_NO_BRAND,             /* a line's brand has no terms in brands (a caller's bug) */
};

/* Prices the basket by rules 1 to 6, filling every computed field. Returns MONEY_OK, or the
 * first broken rule (error_line names the line of a coupon error); on error the computed fields
 * are not to be used. */
enum money_error money_price(struct money_basket *b);

/* Rule 2's conditions for putting coupon c on a line of this subtotal and category: MONEY_OK,
 * MONEY_COUPON_BELOW_MINIMUM or MONEY_COUPON_CATEGORY. */
enum money_error money_coupon_check(const struct money_coupon *c, long long subtotal, long long category_id);

/* The stable code of an error for problem+json ("COUPON_BELOW_MINIMUM"...); "" for MONEY_OK. */
const char *money_error_code(enum money_error e);

/* Rule 6: the mileage a confirmed line earns, floor(paid x percent / 100). */
long long money_mileage_earned(long long paid, int mileage_percent);

/* Rule 7: what a returned line gets back: what it paid, less the brand's return cost when the
 * shopper changed their mind (never below zero). */
long long money_line_refund(long long paid, bool change_of_mind, long long return_cost);

#endif
