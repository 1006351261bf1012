#include "shop/cart.h"

#include <string.h>

static struct money_brand *brand_slot(struct cart_quote *q, const struct cart_line *l)
{
	for (size_t i = 0; i < q->basket.nbrands; i++)
		if (q->brands[i].brand_id == l->brand_id)
			return &q->brands[i];
	struct money_brand *b = &q->brands[q->basket.nbrands++];
	*b = (struct money_brand){
	    .brand_id = l->brand_id, .shipping_fee = l->shipping_fee, .free_threshold = l->free_threshold};
	return b;
}

void cart_quote(const struct cart_line *lines, size_t n, int grade_percent, long long balance, long long mileage,
                struct cart_quote *q)
{
	memset(q, 0, sizeof *q);
	q->nlines = n < MONEY_MAX_LINES ? n : MONEY_MAX_LINES;
	q->basket = (struct money_basket){.grade_percent = grade_percent,
	                                  .mileage_balance = balance,
	                                  .mileage = mileage,
	                                  .lines = q->lines,
	                                  .brands = q->brands};
	for (size_t i = 0; i < q->nlines; i++) {
		const struct cart_line *l = &lines[i];
		q->basket_index[i] = -1;
		if (!l->available) {
			q->problem[i] = CART_LINE_UNAVAILABLE;
			continue;
		}
		if (l->quantity > l->stock) {
			q->problem[i] = CART_LINE_OUT_OF_STOCK;
			continue;
		}
		struct money_line *m = &q->lines[q->basket.nlines];
		*m = (struct money_line){.unit_price = l->unit_price,
		                         .quantity = l->quantity,
		                         .brand_id = l->brand_id,
		                         .category_id = l->category_id};
		if (l->coupon.id) {
			q->coupon_unusable[i] = !l->coupon_usable;
			/* a price out of bounds is refused by money_price below; the product is not computed for it */
			q->coupon_error[i] =
			    l->unit_price > MONEY_MAX_PRICE || l->quantity > MONEY_MAX_QUANTITY
			        ? MONEY_OUT_OF_BOUNDS
			        : money_coupon_check(&l->coupon, l->unit_price * l->quantity, l->category_id);
			/* A coupon an earlier line names already: that is what is wrong first (money rule 2). */
			for (size_t j = 0; j < i; j++)
				if (lines[j].coupon.id == l->coupon.id)
					q->coupon_error[i] = MONEY_COUPON_TWICE;
			if (!q->coupon_unusable[i] && q->coupon_error[i] == MONEY_OK) {
				q->coupons[i] = l->coupon;
				m->coupon = &q->coupons[i];
			}
		}
		brand_slot(q, l);
		q->basket_index[i] = (int)q->basket.nlines++;
	}
	q->error = money_price(&q->basket);
}

static const char *problem_code(enum cart_line_problem p)
{
	return p == CART_LINE_UNAVAILABLE ? "NOT_AVAILABLE" : "OUT_OF_STOCK";
}

const char *cart_quote_blocker(const struct cart_quote *q, int *line)
{
	for (size_t i = 0; i < q->nlines; i++) {
		*line = (int)i;
		if (q->problem[i] != CART_LINE_OK)
			return problem_code(q->problem[i]);
		if (q->coupon_error[i] == MONEY_COUPON_TWICE)
			return money_error_code(q->coupon_error[i]);
		if (q->coupon_unusable[i])
			return "COUPON_UNUSABLE";
		if (q->coupon_error[i] != MONEY_OK)
			return money_error_code(q->coupon_error[i]);
	}
	*line = -1;
	if (q->error == MONEY_OK)
		return NULL;
	if (q->error == MONEY_EMPTY)
		return "CART_EMPTY";
	if (q->error == MONEY_COUPON_TWICE)
		for (size_t i = 0; i < q->nlines; i++)
			if (q->basket_index[i] == (int)q->basket.error_line)
				*line = (int)i;
	return money_error_code(q->error);
}
