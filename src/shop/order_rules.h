/* What may happen to an order and its lines next (SPEC §3 Order line, §6 "Cancel, confirm,
 * return"): pure functions of their states, shared by the pages (which buttons to show), the API and
 * the transactions (which re-check them on the locked rows). */
#ifndef LONUA_SHOP_ORDER_RULES_H
#define LONUA_SHOP_ORDER_RULES_H

#include <stdbool.h>

#include "db/orders.h"

/* Days after delivery during which a line may be returned; after them it is confirmed by the job. */
#define ORDER_RETURN_DAYS 7

/* A line's fulfilment may move from -> to: ordered -> preparing -> shipped -> delivered ->
 * confirmed; delivered -> return_requested -> returned | return_rejected; ordered or preparing ->
 * cancelled (with the whole order); and return_rejected -> confirmed: a line whose return was
 * refused is the buyer's to keep, so it is confirmed (and earns its mileage) like a delivered one. */
bool order_line_edge_allowed(enum line_state from, enum line_state to);

/* The buyer may cancel the whole order: it is awaiting payment or paid, and nothing has shipped. */
bool order_can_cancel(const struct order *o);

/* A seller may start preparing or shipping a line only once its order is paid (a refund waiting
 * for another line, or made for it, does not stop the rest). */
bool order_payment_settled(enum payment_state s);

/* The buyer may confirm a delivered line, and return it while the return window is open. */
bool order_line_can_confirm(const struct order_line *l);
bool order_line_can_return(const struct order_line *l);
/* The buyer may review a delivered or confirmed line, once (SPEC §6 "Reviews"); the transaction
 * checks it again on the locked line. */
bool order_line_can_review(const struct order_line *l);

#endif
