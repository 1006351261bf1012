/* SPEC §6's money rules (docs/money.md). Integers only; every division is a floor. */
#include "shop/money.h"

static struct money_brand *brand_of(struct money_basket *b, long long brand_id)
{
	for (size_t i = 0; i < b->nbrands; i++)
		if (b->brands[i].brand_id == brand_id)
			return &b->brands[i];
	return NULL;
}

static bool line_in_bounds(const struct money_line *l)
{
	if (l->unit_price < 0 || l->unit_price > MONEY_MAX_PRICE || l->quantity < 1 || l->quantity > MONEY_MAX_QUANTITY)
		return false;
	const struct money_coupon *c = l->coupon;
	return !c || (c->percent >= 1 && c->percent <= 100) || (c->percent == 0 && c->amount > 0);
}

enum money_error money_coupon_check(const struct money_coupon *c, long long subtotal, long long category_id)
{
	if (subtotal < c->min_line_amount)
		return MONEY_COUPON_BELOW_MINIMUM;
	if (c->category_id && c->category_id != category_id)
		return MONEY_COUPON_CATEGORY;
	return MONEY_OK;
}

/* Rules 1 to 3 for one line; a coupon that does not apply is an error. */
static enum money_error price_line(struct money_line *l, int grade_percent)
{
	l->subtotal = l->unit_price * l->quantity;
	l->coupon_discount = 0;
	const struct money_coupon *c = l->coupon;
	if (c) {
		enum money_error e = money_coupon_check(c, l->subtotal, l->category_id);
		if (e != MONEY_OK)
			return e;
		l->coupon_discount =
		    c->percent ? l->subtotal * c->percent / 100 : (c->amount < l->subtotal ? c->amount : l->subtotal);
	}
	l->grade_discount = (l->subtotal - l->coupon_discount) * grade_percent / 100;
	l->discounted = l->subtotal - l->coupon_discount - l->grade_discount;
	return MONEY_OK;
}

/* Rule 5: mileage shared in proportion to the discounted amounts, each share floored; the
 * remainder goes to the last line, and what a line cannot take (a share never exceeds the line's
 * discounted amount) to the line before it. The product can exceed 64 bits (10^13 x 10^13), so
 * it is taken in 128. */
static void share_mileage(struct money_basket *b)
{
	long long rest = b->mileage;
	for (size_t i = 0; i < b->nlines; i++) {
		struct money_line *l = &b->lines[i];
		l->mileage_share =
		    b->discounted ? (long long)((__int128)b->mileage * l->discounted / b->discounted) : 0;
		rest -= l->mileage_share;
	}
	for (size_t i = b->nlines; i-- > 0 && rest > 0;) {
		struct money_line *l = &b->lines[i];
		long long room = l->discounted - l->mileage_share;
		long long take = room < rest ? room : rest;
		l->mileage_share += take;
		rest -= take;
	}
	for (size_t i = 0; i < b->nlines; i++)
		b->lines[i].paid = b->lines[i].discounted - b->lines[i].mileage_share;
}

enum money_error money_price(struct money_basket *b)
{
	if (b->nlines == 0)
		return MONEY_EMPTY;
	if (b->nlines > MONEY_MAX_LINES || b->grade_percent < 0 || b->grade_percent > 100 || b->mileage < 0 ||
	    b->mileage_balance < 0)
		return MONEY_OUT_OF_BOUNDS;
	b->items = b->coupon_discount = b->grade_discount = b->discounted = b->shipping = 0;
	for (size_t i = 0; i < b->nbrands; i++)
		b->brands[i].lines_amount = 0;

	for (size_t i = 0; i < b->nlines; i++) {
		struct money_line *l = &b->lines[i];
		b->error_line = i;
		if (!line_in_bounds(l))
			return MONEY_OUT_OF_BOUNDS;
		for (size_t j = 0; l->coupon && j < i; j++)
			if (b->lines[j].coupon && b->lines[j].coupon->id == l->coupon->id)
				return MONEY_COUPON_TWICE;
		enum money_error e = price_line(l, b->grade_percent);
		if (e != MONEY_OK)
			return e;
		struct money_brand *br = brand_of(b, l->brand_id);
		if (!br)
			return MONEY_NO_BRAND;
		br->lines_amount += l->discounted;
		b->items += l->subtotal;
		b->coupon_discount += l->coupon_discount;
		b->grade_discount += l->grade_discount;
		b->discounted += l->discounted;
	}
	b->error_line = 0;

	/* Rule 4: a brand ships free once its discounted lines reach its threshold. */
	for (size_t i = 0; i < b->nbrands; i++) {
		struct money_brand *br = &b->brands[i];
		bool free = br->free_threshold >= 0 && br->lines_amount >= br->free_threshold;
		br->fee = free ? 0 : br->shipping_fee;
		b->shipping += br->fee;
	}

	if (b->mileage > b->mileage_balance)
		return MONEY_MILEAGE_OVER_BALANCE;
	if (b->mileage > b->discounted)
		return MONEY_MILEAGE_OVER_ITEMS;
	share_mileage(b);
	b->total = b->discounted - b->mileage + b->shipping;
	return MONEY_OK;
}

const char *money_error_code(enum money_error e)
{
	switch (e) {
	case MONEY_OK: return "";
	case MONEY_EMPTY: return "EMPTY";
	case MONEY_OUT_OF_BOUNDS: return "OUT_OF_BOUNDS";
	case MONEY_COUPON_BELOW_MINIMUM: return "COUPON_BELOW_MINIMUM";
	case MONEY_COUPON_CATEGORY: return "COUPON_CATEGORY";
	case MONEY_COUPON_TWICE: return "COUPON_TWICE";
	case MONEY_MILEAGE_OVER_BALANCE: return "MILEAGE_OVER_BALANCE";
	case MONEY_MILEAGE_OVER_ITEMS: return "MILEAGE_OVER_ITEMS";
	case MONEY_NO_BRAND: return "NO_BRAND";
	}
	return "";
}

long long money_mileage_earned(long long paid, int mileage_percent)
{
	return paid > 0 && mileage_percent > 0 ? paid * mileage_percent / 100 : 0;
}

long long money_line_refund(long long paid, bool change_of_mind, long long return_cost)
{
	long long refund = change_of_mind ? paid - return_cost : paid;
	return refund > 0 ? refund : 0;
}
