#include "shop/order_rules.h"

bool order_line_edge_allowed(enum line_state from, enum line_state to)
{
	switch (to) {
	case LINE_PREPARING: return from == LINE_ORDERED;
	case LINE_SHIPPED: return from == LINE_PREPARING;
	case LINE_DELIVERED: return from == LINE_SHIPPED;
	case LINE_CONFIRMED: return from == LINE_DELIVERED || from == LINE_RETURN_REJECTED; /* kept */
	case LINE_CANCELLED: return from == LINE_ORDERED || from == LINE_PREPARING;
	case LINE_RETURN_REQUESTED: return from == LINE_DELIVERED;
	case LINE_RETURNED:
	case LINE_RETURN_REJECTED: return from == LINE_RETURN_REQUESTED;
	case LINE_ORDERED:
	case LINE_NSTATES: break;
	}
	return false;
}

bool order_can_cancel(const struct order *o)
{
	if (o->payment_state != PAYMENT_AWAITING && o->payment_state != PAYMENT_PAID)
		return false;
	for (size_t i = 0; i < o->nlines; i++)
		if (!order_line_edge_allowed(o->lines[i].state, LINE_CANCELLED))
			return false;
	return o->nlines > 0;
}

bool order_payment_settled(enum payment_state s)
{
	/* A refund waiting for one line leaves the others to ship (a cancelled order's lines are
	 * cancelled, so nothing moves them). */
	return s == PAYMENT_PAID || s == PAYMENT_REFUND_PENDING || s == PAYMENT_PARTIALLY_REFUNDED;
}

bool order_line_can_confirm(const struct order_line *l)
{
	return order_line_edge_allowed(l->state, LINE_CONFIRMED);
}

bool order_line_can_return(const struct order_line *l)
{
	return l->state == LINE_DELIVERED && l->return_window_open;
}

bool order_line_can_review(const struct order_line *l)
{
	return (l->state == LINE_DELIVERED || l->state == LINE_CONFIRMED) && l->review_id == 0;
}
