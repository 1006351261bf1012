/* What happens to an order after checkout (SPEC §6 "Payment", "Cancel, confirm, return"), each a
 * transaction that locks in the order checkout keeps: the buyer (when the change moves their
 * mileage: cancel, confirm, a return decided), then the order and its lines, then variants in id
 * order; and re-checks the rule (src/shop/order_rules.c) on the locked rows: the buyer cancels, confirms or
 * asks to return; the brand prepares, ships, delivers and decides returns; an admin records a bank
 * transfer or a refund sent; the jobs expire unpaid orders and confirm delivered lines. */
#ifndef LONUA_SHOP_ORDERS_H
#define LONUA_SHOP_ORDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "db/orders.h"
#include "util/status.h"

/* Why a change was refused (a stable problem code), and the refund it left to make, if any. */
struct order_outcome {
	const char *code;
	long long refund_id; /* a refund waiting: through the gateway when gateway_refund */
	bool gateway_refund;
};

/* The buyer cancels the whole order while nothing has shipped: stock, coupons and mileage come
 * back; a paid order's money waits as a refund, a bank transfer's to the account given (account:
 * may be NULL for any other order). 404 not theirs; 409 NOT_CANCELLABLE; 422
 * REFUND_ACCOUNT_REQUIRED (a paid bank transfer without one). */
enum status orders_cancel(long long order_id, long long user_id, const struct refund_account *account, const char *lang,
                          struct order_outcome *out);
/* The buyer confirms a delivered line (or the job does, 7 days after delivery): the line's mileage
 * is credited. 404; 409 NOT_DELIVERED. */
enum status orders_confirm_line(long long line_id, long long user_id, struct order_outcome *out);
/* The buyer asks to return a delivered line within 7 days, naming where the money goes back when
 * the line paid something by bank transfer (account may be NULL otherwise). 404; 409 NOT_DELIVERED or
 * RETURN_WINDOW_CLOSED; 422 REFUND_ACCOUNT_REQUIRED. */
enum status orders_request_return(long long line_id, long long user_id, enum return_reason reason, const char *note,
                                  const struct refund_account *account, struct order_outcome *out);

/* A brand moves its line on: preparing, shipped (courier and tracking number; the buyer is mailed)
 * or delivered, along the allowed edges, and not before the order is paid. 404 another brand's;
 * 409 NOT_PAID or WRONG_STATE. */
enum status orders_seller_move(long long line_id, long long brand_id, enum line_state to, const char *courier,
                               const char *tracking_number, const char *lang, struct order_outcome *out);
/* A brand approves a return (stock back, the line's mileage share back, a refund of what it paid
 * less the return cost for a change of mind) or rejects it with a reason. 404; 409 WRONG_STATE. */
enum status orders_decide_return(long long line_id, long long brand_id, bool approve, const char *rejection,
                                 const char *lang, struct order_outcome *out);

/* An admin records a bank transfer received: it must be the order's total. 404; 409 NOT_AWAITING
 * (paid already, cancelled or expired); 422 AMOUNT_MISMATCH. */
enum status orders_record_transfer(long long order_id, long long amount, const char *depositor, long long admin_id,
                                   const char *lang, struct order_outcome *out);
/* The gateway says the order is paid (checked by src/pay/): the one conditional paid transition
 * and, only when it changed the order, its side effects (popularity, the mail). *changed says
 * which. */
enum status orders_paid_by_gateway(long long order_id, const char *imp_uid, const char *lang, bool *changed);
/* An admin records a bank refund as sent. 404; 409 NOT_PENDING (done already, or a gateway refund). */
enum status orders_record_refund(long long refund_id, long long admin_id, struct order_outcome *out);

/* The jobs: cancel as expired every order still unpaid past its due time; confirm every line
 * delivered 7 days ago or more. *done counts what they changed. */
enum status orders_expire_overdue(unsigned long *done);
enum status orders_confirm_due(unsigned long *done);

/* Inside checkout's transaction: an order with nothing to pay (total 0) is paid at once, with the
 * side effects of a payment (popularity; the paid mail in lang, unless NULL). */
enum status orders_paid_free(long long order_id, long long user_id, const char *lang);

#endif
