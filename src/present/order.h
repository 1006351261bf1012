/* Orders as the API answers them and as the order pages and mails show them: one object for the
 * buyer (everything), and one line object for a brand's seller (the line and where to ship it,
 * never the order's totals or other brands' lines). Display text sits beside the data. */
#ifndef LONUA_PRESENT_ORDER_H
#define LONUA_PRESENT_ORDER_H

struct json_object;
struct order;
struct order_line;
struct order_summary;
struct console_line;

/* {id, merchant_uid, created_at, payment_method (+_text), payment_state (+_text), payment_due_at,
 * paid_at, cancelled_at, bank_transfer {account, due_at, due_text} (a transfer still to make),
 * shipping {recipient_name, recipient_phone, recipient_phone_text, postal_code, address,
 * address_detail, delivery_memo}, amounts {items, coupon_discount, grade_discount, mileage_used,
 * shipping, total, refunded} (each with _text), grade_discount_percent, mileage_percent, brands[]
 * {id, name, lines_amount, shipping_fee}, lines[] (present_order_line), title ("first product and
 * N more"), can_cancel}. */
struct json_object *present_order(const struct order *o, const char *lang);
/* An order as the buyer's list shows it: the same members as present_order's, fewer of them (id,
 * merchant_uid, created_at and _text, payment_state and _text, amounts.total and _text, title, lines[]
 * with image and state and _text). */
struct json_object *present_order_summary(const struct order_summary *o, const char *lang);

/* {id, order_id, product {id, name, url}, brand {id, name}, size, color, image, list_price,
 * unit_price, quantity, subtotal, coupon_discount, grade_discount, mileage_share, line_total (each
 * amount with _text), state (+_text), courier, tracking_number, shipped_at, delivered_at,
 * confirmed_at, cancelled_at, mileage_earned, refunded_amount, return {reason (+_text), note,
 * requested_at, decided_at, rejection_reason} or null, can_confirm, can_return}. */
struct json_object *present_order_line(const struct order_line *l, const char *lang);

/* A brand's view of its line: the line (without the buyer's shares of discounts and mileage) and
 * the order's number, date, payment state and shipping snapshot. */
struct json_object *present_seller_line(const struct order *o, const struct order_line *l, const char *lang);

/* A line as the seller console lists it: the same members as present_seller_line's, fewer of them
 * (id, order {merchant_uid, created_at}, product {name}, size, color, quantity, state and _text,
 * courier, tracking_number, return {reason and _text, note, rejection_reason} or null, shipping). */
struct json_object *present_console_line(const struct console_line *l, const char *lang);

#endif
