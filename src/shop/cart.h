/* A cart (or a checkout's lines) priced by the money rules: which lines can be bought now, which
 * coupons apply, and the totals. The cart page, the cart API, the checkout page and the checkout
 * transaction all price through cart_quote, so they can never disagree. */
#ifndef LONUA_SHOP_CART_H
#define LONUA_SHOP_CART_H

#include <stdbool.h>

#include "db/carts.h"
#include "shop/money.h"

/* Why a line cannot be bought now. */
enum cart_line_problem {
	CART_LINE_OK,
	CART_LINE_UNAVAILABLE,  /* the product, size or brand is no longer on sale */
	CART_LINE_OUT_OF_STOCK, /* fewer in stock than the line's quantity */
};

struct cart_quote {
	struct money_basket basket; /* the lines that can be bought, in cart order */
	struct money_line lines[MONEY_MAX_LINES];
	struct money_brand brands[MONEY_MAX_LINES];
	struct money_coupon coupons[MONEY_MAX_LINES];
	/* per cart line */
	int basket_index[MONEY_MAX_LINES]; /* its place in basket.lines, or -1 */
	enum cart_line_problem problem[MONEY_MAX_LINES];
	enum money_error coupon_error[MONEY_MAX_LINES]; /* why its chosen coupon is left out (MONEY_OK: it is
	                                                 * applied, or none was chosen) */
	bool coupon_unusable[MONEY_MAX_LINES];          /* its coupon is used, expired or revoked */
	size_t nlines;                                  /* cart lines looked at (at most MONEY_MAX_LINES) */
	enum money_error error; /* money_price's answer; MONEY_EMPTY when nothing can be bought */
};

/* Prices the lines that can be bought, with the coupons that apply (the others are left out and
 * noted), the grade discount, and mileage (checked against balance). */
void cart_quote(const struct cart_line *lines, size_t n, int grade_percent, long long balance, long long mileage,
                struct cart_quote *q);

/* For checkout, which buys exactly what it shows: the stable code of the first thing that stops the
 * quote from being bought as it is ("OUT_OF_STOCK", "NOT_AVAILABLE", "COUPON_UNUSABLE",
 * "COUPON_BELOW_MINIMUM", "MILEAGE_OVER_BALANCE"...), with *line the cart line it is about (or -1);
 * NULL when nothing does. */
const char *cart_quote_blocker(const struct cart_quote *q, int *line);

#endif
