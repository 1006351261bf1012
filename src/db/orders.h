/* Orders (SPEC §3 Order, Order line; schema/006_orders.sql) as C structs: an order with its
 * shipping snapshot, amounts and payment, its lines with their shares of every discount, and the
 * shipping charged per brand. Orders are never deleted: every change is a state plus its time. */
#ifndef LONUA_DB_ORDERS_H
#define LONUA_DB_ORDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

enum payment_method { PAY_BANK_TRANSFER, PAY_CARD, PAY_KAKAOPAY, PAY_NMETHODS };

enum payment_state {
	PAYMENT_AWAITING,
	PAYMENT_PAID,
	PAYMENT_EXPIRED,
	PAYMENT_CANCELLED,
	PAYMENT_REFUND_PENDING,
	PAYMENT_REFUNDED,
	PAYMENT_PARTIALLY_REFUNDED,
	PAYMENT_NSTATES
};

enum line_state {
	LINE_ORDERED,
	LINE_PREPARING,
	LINE_SHIPPED,
	LINE_DELIVERED,
	LINE_CONFIRMED,
	LINE_CANCELLED,
	LINE_RETURN_REQUESTED,
	LINE_RETURNED,
	LINE_RETURN_REJECTED,
	LINE_NSTATES
};

enum return_reason {
	RETURN_NONE,
	RETURN_CHANGE_OF_MIND,
	RETURN_SIZE,
	RETURN_DEFECTIVE,
	RETURN_WRONG_ITEM,
	RETURN_OTHER
};

/* The enum values as the database and the API write them ("bank_transfer", "awaiting_payment",
 * "return_requested", "change_of_mind"); NULL-terminated, in enum order. */
extern const char *const payment_method_names[];
extern const char *const payment_state_names[];
extern const char *const line_state_names[];
extern const char *const return_reason_names[]; /* from RETURN_CHANGE_OF_MIND */

/* Where a bank-transfer order's money goes back, as its buyer gave it when cancelling or asking to
 * return (schema/010): bank, account number, holder. */
struct refund_account {
	char bank[201], number[121], holder[201]; /* 50, 30 and 50 characters of UTF-8 */
};

/* Where an order goes (a snapshot: later profile changes do not move it). */
struct shipping_address {
	char recipient_name[201];
	char recipient_phone[16];
	char postal_code[6];
	char address[1021];
	char address_detail[1021];
	char delivery_memo[801];
};

struct order_line {
	long long id, order_id, brand_id, product_id, variant_id;
	char product_name[601];
	char brand_name[401];
	char size_label[81];
	char color[201];
	char image_key[101];
	long long list_price, unit_price, quantity, subtotal;
	long long coupon_id, coupon_discount, grade_discount, mileage_share, line_total;
	long long mileage_earned, refunded_amount, return_shipping_cost;
	enum line_state state;
	char courier[201];
	char tracking_number[201];
	char shipped_at[20], delivered_at[20], confirmed_at[20], cancelled_at[20];
	char return_requested_at[20], return_decided_at[20];
	enum return_reason return_reason;
	char return_reason_text[2001];
	char return_rejection_reason[2001];
	bool return_window_open; /* delivered less than 7 days ago */
	long long review_id;     /* its review, or 0 */
};

/* The shipping charged for one brand of an order (money rule 4). */
struct order_shipping {
	long long brand_id;
	char brand_name[401];
	long long lines_amount, fee, refunded_amount;
};

struct order {
	long long id, user_id;
	char merchant_uid[41];
	enum payment_method method;
	enum payment_state payment_state;
	char imp_uid[65];
	char payment_due_at[20], paid_at[20], cancelled_at[20], created_at[20];
	struct shipping_address ship;
	int grade_discount_percent, mileage_percent;
	long long items_amount, coupon_discount_amount, grade_discount_amount, mileage_used, shipping_amount;
	long long total_amount, refunded_amount;
	long long received_amount;
	char received_at[20];
	char buyer_name[201], buyer_email[255];
	struct order_line *lines;
	size_t nlines;
	struct order_shipping *shipping;
	size_t nshipping;
};

/* One order with its lines and shipping rows. user_id > 0 reads only that buyer's order (another
 * buyer's is ST_NOT_FOUND, so ids cannot be probed); 0 reads any (admins, jobs). */
enum status db_order_get(long long order_id, long long user_id, struct order *out);
/* The order of a gateway's merchant_uid (any buyer). */
enum status db_order_by_merchant_uid(const char *merchant_uid, struct order *out);
void order_free(struct order *o);

/* A page of the buyer's orders, newest first, each with its lines and shipping rows (the list shows
 * them); *total is the buyer's order count (to one past DB_LIST_TOTAL_CAP). Free with orders_free. */
enum status db_orders_of_user(long long user_id, int page, int per_page, struct order **out, size_t *n,
                              long long *total);
void orders_free(struct order *list, size_t n);

/* An order as the buyer's list shows it (/me/orders): which, when, its payment state and total, its
 * first line's product, and each line's picture and state. */
struct order_summary_line {
	char image_key[101];
	enum line_state state;
};
struct order_summary {
	long long id;
	char merchant_uid[41];
	char created_at[20];
	enum payment_state payment_state;
	long long total_amount;
	char first_product_name[601];
	struct order_summary_line *lines;
	size_t nlines;
};
/* A page of the buyer's orders as db_orders_of_user, in one statement (the count aside). Free with
 * order_summaries_free. */
enum status db_order_summaries_of_user(long long user_id, int page, int per_page, struct order_summary **out, size_t *n,
                                       long long *total);
void order_summaries_free(struct order_summary *list, size_t n);

/* One line of a brand's with its order (the order's lines and shipping rows are not read). */
struct brand_line {
	struct order order;
	struct order_line line;
};
/* A page of the brand's lines, newest first (state < 0: every state); *total counts them. Free *out. */
enum status db_brand_lines(long long brand_id, int state, int page, int per_page, struct brand_line **out, size_t *n,
                           long long *total);

/* One of the brand's lines; ST_NOT_FOUND for another brand's. */
enum status db_brand_line(long long brand_id, long long line_id, struct brand_line *out);

/* A brand's line as the seller console lists and exports it (/seller/orders and its CSV): the line,
 * its order's number, time, payment and shipping snapshot; never the order's amounts. */
struct console_line {
	long long id;
	char merchant_uid[41];
	char created_at[20];
	bool paid;
	struct shipping_address ship;
	char product_name[601];
	char size_label[81];
	char color[201];
	long long quantity;
	enum line_state state;
	char courier[201];
	char tracking_number[201];
	enum return_reason return_reason;
	char return_reason_text[2001];
	char return_rejection_reason[2001];
};
/* A page of the brand's lines for the console, newest first (state < 0: every state), with a search:
 * q (may be NULL or "") is a substring of the product name, the recipient's name, the tracking number
 * or the order number, or the order's id. *total counts them. Free *out. */
enum status db_console_lines(long long brand_id, int state, const char *q, int page, int per_page,
                             struct console_line **out, size_t *n, long long *total);

/* A page of the orders of one payment method in one payment state, oldest first, with their lines
 * and shipping rows (the admin's queue of transfers to check); *total counts them. Free with
 * orders_free. */
enum status db_orders_by_state(enum payment_method method, enum payment_state state, int page, int per_page,
                               struct order **out, size_t *n, long long *total);

/* The user's order of an order line (for routes that name a line): ST_NOT_FOUND when the line is
 * not theirs. */
enum status db_order_of_line(long long line_id, long long user_id, long long *order_id);

/* How many orders have an idempotency key starting with prefix (the seed's "seed-"). */
enum status db_orders_keyed_count(const char *prefix, long long *count);

#endif
