/* Pieces of view model the shop's pages share: product cards, a strip of products, the brand's
 * shipping and return terms, page links. Each adds display text (formatted won, links) beside the
 * data so that templates only place it. */
#ifndef LONUA_HANDLERS_SHOP_SHOP_H
#define LONUA_HANDLERS_SHOP_SHOP_H

struct json_object;

/* Adds to a ProductSummary (or ProductDetail) what partials/product-card reads: url,
 * sale_price_text, list_price_text. */
void shop_product_card(struct json_object *product, const char *lang);

/* shop_product_card for each product of items. Returns items. */
struct json_object *shop_product_cards(struct json_object *items, const char *lang);

/* {"items": [cards]} of the first `count` products of the catalogue (brand_id 0) or of one brand
 * in the order sort (an enum catalog_sort), without a total; NULL when there are none. Returns
 * DB_OK or a negative db_status (then *out is NULL). */
int shop_product_strip(long long brand_id, int sort, int count, const char *lang, struct json_object **out);

/* The brand's terms of a BrandDetail or ProductDetail.brand as display text:
 * {free_shipping, fee_text, threshold_text, return_cost_text, return_postal_code,
 * return_address, return_courier}. */
struct json_object *shop_brand_policy(struct json_object *brand, const char *lang);

/* Page links under base_url (a URL that may already hold a query; page=N is appended, page 1
 * is left out): {prev_url, next_url, pages: [{number, url, current} or {gap: true}]}, or NULL
 * when last <= 1. */
struct json_object *shop_pagination(const char *base_url, int page, int last);

/* The last page of a list of total items, per_page a page, capped at page 100 (SPEC §5). */
int shop_last_page(long long total, int per_page);

#endif
