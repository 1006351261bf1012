/* What size advice reads (src/shop/size_advice.c; SPEC §6 "Size advice"): a product's sizes with
 * their measurements and how many similar buyers kept each, the sizes a shopper kept in a category,
 * and the shopper's profile. "Kept" is a line confirmed (never one returned). */
#ifndef LONUA_DB_FIT_H
#define LONUA_DB_FIT_H

#include <stddef.h>

#include "shop/size_advice.h"
#include "util/status.h"

/* Similar buyers: the same upper- and lower-body types, a height and a weight this close. */
#define FIT_SIMILAR_HEIGHT_CM 5
#define FIT_SIMILAR_WEIGHT_KG 5
/* The kept sizes compared at most (the most recently kept). */
#define FIT_MAX_KEPT 20
/* The sizes of a product advised among at most. */
#define FIT_MAX_SIZES 40

struct fit_size {
	long long variant_id;
	char label[41], color[81];
	struct size_option option;
};

struct fit_kept {
	char label[41], brand[201], product[401];
	struct size_measures m;
};

/* A shopper's height, weight and body types (0: not given); the session reads them with the
 * account (struct session). */
struct fit_shopper {
	int height_cm, weight_kg, upper, lower;
};

/* The active sizes of a product the shop shows (maybe none), in the seller's order, and its
 * category. ST_NOT_FOUND when the product is not shown. */
enum status db_fit_sizes(long long product_id, long long *category_id, struct fit_size *out, size_t max, size_t *n);
/* The sizes the shopper kept in the category, most recently kept first. */
enum status db_fit_kept(long long user_id, long long category_id, struct fit_kept *out, size_t max, size_t *n);
/* The same, read once per process for each version of the shopper's kept sizes (the session's
 * kept_sizes_version, which every change to them moves: schema/023); max at most FIT_MAX_KEPT. */
enum status db_fit_kept_at(long long user_id, unsigned long long version, long long category_id, struct fit_kept *out,
                           size_t max, size_t *n);
/* Sets each size's peers_kept: how many similar buyers (not the shopper) kept it. The shopper's
 * profile must be whole. */
enum status db_fit_peers(long long product_id, long long user_id, const struct fit_shopper *s, struct fit_size *sizes,
                         size_t n);

#endif
