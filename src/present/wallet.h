/* A shopper's coupons and mileage ledger as the API answers them and /me/coupons and /me/mileage
 * show them, with display text beside the data. */
#ifndef LONUA_PRESENT_WALLET_H
#define LONUA_PRESENT_WALLET_H

struct json_object;
struct coupon;
struct mileage_entry;

/* {id, name, percent, amount, discount_text ("10%" or "5,000원"), min_line_amount (+_text),
 * category_id, category (name or null), valid_from, valid_until, valid_until_text, state
 * ("available", "used", "expired": an available one past its end, "revoked") (+_text), usable,
 * used_at}. */
struct json_object *present_coupon(const struct coupon *c, const char *lang);

/* {id, kind (+_text), amount (+_text), balance_after (+_text), order_id, order_line_id,
 * product_name, created_at, created_text}. */
struct json_object *present_mileage_entry(const struct mileage_entry *e, const char *lang);

#endif
