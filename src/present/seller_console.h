/* The seller console's rows as its pages and API show them (docs/openapi.json StockVariant,
 * StockMovement, Branch). */
#ifndef LONUA_PRESENT_SELLER_CONSOLE_H
#define LONUA_PRESENT_SELLER_CONSOLE_H

#include "db/seller_console.h"

struct json_object;

/* {id, product_id, product_name, size, color, sku, stock, status} */
struct json_object *present_stock_variant(const struct stock_variant *v);
/* {id, delta, delta_text ("+3"), stock_after, kind, kind_text, reason, order_line_id, seller_name,
 * created_at, created_text} */
struct json_object *present_stock_movement(const struct stock_movement *m, const char *lang);
/* {id, name, postal_code, address, phone, created_at} */
struct json_object *present_branch(const struct branch *b);

#endif
