/* Pieces of view model the shop's pages share: product cards, a strip of products, the brand's
 * shipping and return terms. Each adds display text (formatted won, links) beside the
 * data so that templates only place it. */
#ifndef LONUA_HANDLERS_SHOP_CARDS_H
#define LONUA_HANDLERS_SHOP_CARDS_H

#include <stdbool.h>

#include "util/status.h"

struct json_object;
struct request;
struct response;

/* Adds to a ProductSummary (or ProductDetail) what partials/product-card reads: url,
 * sale_price_text, list_price_text. */
void cards_product(struct json_object *product, const char *lang);

/* cards_product for each product of items, which become the page's cards: their like buttons are
 * set when the page renders (cards_likes). Returns items. */
struct json_object *cards_products(struct response *res, struct json_object *items, const char *lang);

/* {"items": [cards]} of the first `count` products of the catalogue in the order sort (an enum
 * catalog_sort), without a total; NULL when there are none. Returns ST_OK or the database's
 * failure (then *out is NULL). */
enum status cards_strip(struct response *res, int sort, int count, const char *lang, struct json_object **out);

/* The same of brand_id's `count` most popular products (the product page's), given the brand's
 * card version read with the page (catalog_brand_strip). */
enum status cards_brand_strip(struct response *res, long long brand_id, int count, unsigned long long version,
                              const char *lang, struct json_object **out);

/* Adds items (cards of catalog_brand_strips; taken) to owner as its "strip": {"items": [cards]},
 * unless there are none. */
void cards_strip_add(struct response *res, struct json_object *owner, struct json_object *items, const char *lang);

/* The like buttons of the page's cards, into the layout's data as card_likes (nothing when the
 * page has no card or the account cannot like): a shopper's {shopper: true, next} with `liked` set
 * on every card, from the likes this process keeps for them (db_likes_kept: no statement while
 * their likes have not changed), or for one who likes too many, one statement per
 * LIKES_AMONG_MAX products (src/db/likes.h); a guest's {login_url} (no statement). A failed
 * statement leaves the cards not liked (logged): the button then offers a like, which changes
 * nothing if there is one. */
void cards_likes(struct request *req, struct response *res, struct json_object *chrome);
/* Whether the signed-in shopper likes the product (their kept likes, or one statement). */
bool cards_shopper_likes(struct request *req, long long product_id);

/* The brand's terms of a BrandDetail or ProductDetail.brand as display text:
 * {free_shipping, fee_text, threshold_text, return_cost_text, return_postal_code,
 * return_address, return_courier}. */
struct json_object *cards_brand_policy(struct json_object *brand, const char *lang);

#endif
