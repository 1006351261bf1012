/* Carts (SPEC §3 Cart line; schema/005_shopping.sql): one per shopper, or one per guest cookie (only
 * the cookie's SHA-256 is stored), merged into the shopper's at login. Lines are read with today's
 * prices, stock, the brand's shipping terms and the chosen coupon, in one statement. */
#ifndef LONUA_DB_CARTS_H
#define LONUA_DB_CARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "shop/money.h"
#include "util/status.h"

/* Whose cart: a user's (user_id > 0) or a guest cookie's (guest_hash). */
struct cart_owner {
	long long user_id;
	const unsigned char *guest_hash; /* 32 bytes, when user_id is 0 */
};

/* One line as the cart page, the API and checkout need it. Text columns hold at most their
 * VARCHAR length in characters (4 bytes each). */
struct cart_line {
	long long id;
	long long variant_id, product_id, brand_id, category_id;
	char product_name[601];
	char brand_name[401];
	char size_label[81];
	char color[201];
	char image_key[101]; /* the first gallery image, or "" */
	long long list_price, unit_price;
	long long quantity;
	long long stock;
	bool available;             /* the product, the size and the brand are all on sale */
	struct money_coupon coupon; /* id 0: none chosen */
	char coupon_name[401];
	bool coupon_usable;                                  /* still the shopper's, unused and within its dates */
	long long shipping_fee, free_threshold, return_cost; /* the brand's terms (threshold -1: none) */
};

struct cart {
	long long id; /* 0: the owner has no cart yet */
	struct cart_line *lines;
	size_t nlines;
};

/* The owner's cart id; ST_NOT_FOUND when there is none. */
enum status db_cart_find(const struct cart_owner *owner, long long *cart_id);
/* The owner's cart id, making the cart when there is none. */
enum status db_cart_ensure(const struct cart_owner *owner, long long *cart_id);
/* The cart's lines, oldest first (cart_free releases them). An unknown id reads as empty. */
enum status db_cart_read(long long cart_id, struct cart *out);
void cart_free(struct cart *c);
/* A size a cart line could switch to: an active variant of a product in the cart. */
struct cart_size {
	long long product_id, variant_id, stock;
	char size_label[81];
	char color[201];
};

/* The sizes on sale of every product in the cart, by product then the seller's order. Free *out. */
enum status db_cart_sizes(long long cart_id, struct cart_size **out, size_t *n);

/* The number of lines in the owner's cart (the header's count; 0 without a cart). */
enum status db_cart_count(const struct cart_owner *owner, long long *count);

/* What an addition did, or why it could not. */
struct cart_add_result {
	long long line_id;
	long long stock; /* the variant's */
	bool cart_full;  /* the cart already holds MONEY_MAX_LINES other lines */
};

/* Adds quantity of the variant (to the line it has, if any, up to MONEY_MAX_QUANTITY). ST_NOT_FOUND
 * when the variant is not on sale (or, product_id > 0, not of that product); ST_CONFLICT when the line would hold more
 * than the stock (OUT_OF_STOCK) or the cart is full (cart_full). */
enum status db_cart_add(long long cart_id, long long product_id, long long variant_id, long long quantity,
                        struct cart_add_result *out);
/* Sets a line's quantity (0: keeps it) and, when variant_id is not 0, its size (another variant of the same
 * product; a line that already holds that size takes this one's quantity too, and this one goes). ST_NOT_FOUND for a
 * line of another cart or a variant not on sale or of another product; ST_CONFLICT (OUT_OF_STOCK) beyond the stock.
 * Sets *line_id to the line that now holds it. */
enum status db_cart_update(long long cart_id, long long line_id, long long variant_id, long long quantity,
                           long long *line_id_out, long long *stock);
/* Chooses the shopper's coupon for a line (coupon_id 0: none). ST_NOT_FOUND for a line of another
 * cart or a coupon that is not the user's; ST_CONFLICT (COUPON_UNUSABLE) for a coupon used,
 * expired or revoked. A coupon chosen for another line moves to this one. */
enum status db_cart_set_coupon(long long cart_id, long long line_id, long long user_id, long long coupon_id);
/* Removes one line (ST_NOT_FOUND for a line of another cart), or every line. */
enum status db_cart_remove(long long cart_id, long long line_id);
enum status db_cart_clear(long long cart_id);
/* Moves the guest cart's lines into the user's cart (quantities of the same size add up, to
 * MONEY_MAX_QUANTITY; new sizes join while the cart has fewer than MONEY_MAX_LINES lines) and
 * deletes the guest cart. Nothing to do is ST_OK. One transaction. */
enum status db_cart_merge(const unsigned char guest_hash[32], long long user_id);
/* Deletes guest carts untouched for max_age_seconds; sets *removed. */
enum status db_cart_purge_guests(long max_age_seconds, unsigned long long *removed);

#endif
