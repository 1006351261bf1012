/* Mails about an order (SPEC §6 "Mail and notifications": order confirmation, shipped with tracking,
 * return decisions, cancellation), rendered from templates/mails/order-<kind> and queued in the
 * outbox in the caller's transaction, once per order (and line) and kind. */
#ifndef LONUA_SHOP_ORDER_MAIL_H
#define LONUA_SHOP_ORDER_MAIL_H

#include "util/status.h"

struct order;

enum order_mail_kind {
	ORDER_MAIL_PLACED,    /* what was ordered; for a bank transfer, the account and the deadline */
	ORDER_MAIL_PAID,      /* the payment arrived */
	ORDER_MAIL_SHIPPED,   /* a line is on its way: courier and tracking number */
	ORDER_MAIL_CANCELLED, /* the order was cancelled (by the buyer, or unpaid in time) */
	ORDER_MAIL_RETURN,    /* the brand approved or rejected a line's return */
};

/* Queues the mail of kind about the order (line_id: the line it is about, or 0) to its buyer, in
 * lang. A buyer without an e-mail (a Kakao account that gave none) gets nothing: ST_OK. */
enum status order_mail(enum order_mail_kind kind, long long order_id, long long line_id, const char *lang);

/* The same about an order already read (in the caller's transaction). */
enum status order_mail_about(enum order_mail_kind kind, const struct order *o, long long line_id, const char *lang);

#endif
