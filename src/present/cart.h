/* The cart as the API answers it and as the cart and checkout pages show it: one object for both,
 * with display text beside every amount. */
#ifndef LONUA_PRESENT_CART_H
#define LONUA_PRESENT_CART_H

#include <stddef.h>

struct json_object;
struct cart;
struct cart_quote;
struct cart_size;

/* {count, items[], brands[], totals, can_checkout, blocker}:
 * items[] {id, variant_id, product {id, name, url}, brand {id, name}, size, color, image, unit_price,
 *   list_price, on_sale, quantity, stock, state ("ok", "unavailable", "out_of_stock"), subtotal,
 *   coupon (null or {id, name, discount, applied, problem}), grade_discount, discounted, sizes[]
 *   {variant_id, size, color, stock, sold_out, selected}};
 * brands[] {id, name, lines_amount, shipping_fee, free_shipping_threshold, free, short_of_free};
 * totals {items, coupon_discount, grade_discount, discounted, mileage, shipping, total}: the lines
 * that can be bought, priced by the quote. sizes may be NULL. */
struct json_object *present_cart(const struct cart *c, const struct cart_quote *q, const struct cart_size *sizes,
                                 size_t nsizes, const char *lang);

#endif
