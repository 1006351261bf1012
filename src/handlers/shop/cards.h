/* Pieces of view model the shop's pages share: product cards, a strip of products, the brand's
 * shipping and return terms. Each adds display text (formatted won, links) beside the
 * data so that templates only place it. */
#ifndef LONUA_HANDLERS_SHOP_CARDS_H
#define LONUA_HANDLERS_SHOP_CARDS_H

#include "util/status.h"

struct json_object;

/* Adds to a ProductSummary (or ProductDetail) what partials/product-card reads: url,
 * sale_price_text, list_price_text. */
void cards_product(struct json_object *product, const char *lang);

/* cards_product for each product of items. Returns items. */
struct json_object *cards_products(struct json_object *items, const char *lang);

/* {"items": [cards]} of the first `count` products of the catalogue (brand_id 0) or of one brand
 * in the order sort (an enum catalog_sort), without a total; NULL when there are none. Returns
 * ST_OK or the database's failure (then *out is NULL). */
enum status cards_strip(long long brand_id, int sort, int count, const char *lang, struct json_object **out);

/* The brand's terms of a BrandDetail or ProductDetail.brand as display text:
 * {free_shipping, fee_text, threshold_text, return_cost_text, return_postal_code,
 * return_address, return_courier}. */
struct json_object *cards_brand_policy(struct json_object *brand, const char *lang);

#endif
