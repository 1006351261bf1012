/* A brand's products as its sellers manage them (SPEC §4 seller pages, docs/seller-console.md
 * "Products"): the writers of products, their images and their sizes (variants), used by the
 * seller console and by `lonua seed` alike, and the console's list with search and filters.
 * Every statement that touches one product names the brand too (WHERE id = ? AND brand_id = ?),
 * so another brand's product is ST_NOT_FOUND. What shoppers read is in src/db/catalog.c. */
#ifndef LONUA_DB_PRODUCTS_H
#define LONUA_DB_PRODUCTS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

enum product_status { PRODUCT_DRAFT, PRODUCT_ACTIVE, PRODUCT_HIDDEN, PRODUCT_NSTATUSES };
extern const char *const product_status_names[]; /* "draft", "active", "hidden", NULL */
extern const char *const variant_status_names[]; /* "active", "hidden", NULL */

/* The measurements of a size, in millimetres (0: not given, stored as NULL). */
enum measure {
	MEASURE_SHOULDER,
	MEASURE_CHEST,
	MEASURE_SLEEVE,
	MEASURE_WAIST,
	MEASURE_HIP,
	MEASURE_THIGH,
	MEASURE_RISE,
	MEASURE_HEM,
	MEASURE_LENGTH,
	MEASURE_N
};
/* Their names in the API and forms, in cm: "shoulder_cm", …, "total_length_cm". */
extern const char *const measure_names[MEASURE_N];

/* A product's fields as written. created_ago: seconds before now for created_at (the seed's
 * history; 0 for the console). */
struct product_fields {
	long long category_id, style_id;
	const char *name, *description; /* description may be NULL or "" */
	long long list_price, sale_price;
	enum product_status status;
	long long created_ago;
};

enum product_image_kind { IMAGE_GALLERY, IMAGE_DESCRIPTION };

/* One image as stored: its media key (SHA-256 hex) and size in pixels (0: unknown). */
struct product_image {
	char key[65];
	int width, height;
};

/* A size as written. sku may be NULL or "" (none). */
struct variant_fields {
	const char *size_label, *color, *sku;
	long long stock;
	bool keep_stock; /* an update leaves the stock as it is (a sale made meanwhile is kept) */
	bool hidden;
	int sort_order;
	int mm[MEASURE_N];
	long long created_ago;
};

/* A size as read. */
struct product_variant {
	long long id;
	char size_label[21], color[51], sku[65];
	long long stock;
	bool hidden, ordered;
	int sort_order;
	int mm[MEASURE_N];
};

#define PRODUCT_MAX_IMAGES   10 /* gallery or description, each */
#define PRODUCT_MAX_VARIANTS 30

/* One product of the brand as the console shows it. */
struct seller_product {
	long long id, brand_id, category_id, style_id;
	char name[151];
	char *description; /* malloc'd (may be NULL) */
	long long list_price, sale_price;
	int discount_percent;
	enum product_status status;
	long long stock_total, units_sold;
	bool ordered;
	char created_at[21];
	char image_key[65]; /* the first gallery image, "" if none (lists) */
	struct product_image images[PRODUCT_MAX_IMAGES], description_images[PRODUCT_MAX_IMAGES];
	size_t nimages, ndescription_images;
	struct product_variant variants[PRODUCT_MAX_VARIANTS];
	size_t nvariants;
};

/* ---- writers (inside or outside a transaction) ------------------------------------------- */

/* Inserts a product of brand_id; sets *id. */
enum status db_product_insert(long long brand_id, const struct product_fields *f, long long *id);
/* Inserts one image at position. */
enum status db_product_image_insert(long long product_id, enum product_image_kind kind, int position,
                                    const struct product_image *img, long long created_ago);
/* Inserts a size; sets *id (may be NULL). ST_CONFLICT: the size and colour, or the SKU, is taken
 * (db_conflict_key() says which). */
enum status db_variant_insert(long long product_id, long long brand_id, const struct variant_fields *v, long long *id);

/* The console's writes, each its own transaction. Another brand's product is ST_NOT_FOUND. */
enum status db_product_create(long long brand_id, const struct product_fields *f, const struct product_image *gallery,
                              size_t ngallery, const struct product_image *desc, size_t ndesc,
                              const struct variant_fields *variants, size_t nvariants, long long *id);
/* Replaces the fields and, when the lists are given (non-NULL), the images in their new order. */
enum status db_product_update(long long brand_id, long long id, const struct product_fields *f,
                              const struct product_image *gallery, size_t ngallery, const struct product_image *desc,
                              size_t ndesc);
/* Deletes a product never ordered (and never asked about): ST_CONFLICT with *why "ORDERED" or
 * "HAS_QUESTIONS" otherwise. */
enum status db_product_delete(long long brand_id, long long id, const char **why);
/* Adds a size to the brand's product; sets *variant_id. */
enum status db_product_variant_add(long long brand_id, long long product_id, const struct variant_fields *v,
                                   long long *variant_id);
enum status db_product_variant_update(long long brand_id, long long product_id, long long variant_id,
                                      const struct variant_fields *v);
/* Deletes a size never ordered; an ordered one is hidden instead (*hidden true). */
enum status db_product_variant_remove(long long brand_id, long long product_id, long long variant_id, bool *hidden);

/* The steps of the deletes (each inside the caller's transaction; for the EXPLAIN test too):
 * whether a product may go (*why NULL) or was ordered ("ORDERED") or asked about
 * ("HAS_QUESTIONS"); its rows; whether a size was ordered; removing a size (hiding it when it was
 * ordered). */
enum status db_product_usage(long long product_id, const char **why);
enum status db_product_delete_rows(long long product_id);
enum status db_variant_ordered(long long variant_id, bool *ordered);
enum status db_variant_remove_rows(long long variant_id, bool ordered);

/* ---- reads -------------------------------------------------------------------------------- */

/* The brand's product with its images and sizes (malloc'd: seller_product_free). */
enum status db_seller_product_get(long long brand_id, long long id, struct seller_product **out);
void seller_product_free(struct seller_product *p);
/* What db_seller_product_get reads after the product's row: description, images, sizes (into sp;
 * for the EXPLAIN test, which finds no row to go on from). */
enum status db_seller_product_parts(long long brand_id, long long id, struct seller_product *sp);

/* The console's list: q (a part of the name) and the filters are optional (NULL, -1, 0). */
struct seller_product_filter {
	long long brand_id;
	const char *q;
	int status;            /* enum product_status, or -1 */
	long long category_id; /* 0: any */
	int page, per_page;
};
#define SELLER_PRODUCT_F_QUERY    1u
#define SELLER_PRODUCT_F_STATUS   2u
#define SELLER_PRODUCT_F_CATEGORY 4u
#define SELLER_PRODUCT_NSHAPES    8u
/* The statement of a shape (page or count), built once; for the EXPLAIN test. */
const char *seller_product_sql(unsigned shape, bool count);
/* A page of the brand's products, newest first (list fields only: no images but the first, no
 * variants, no description). */
enum status db_seller_products(const struct seller_product_filter *f, struct seller_product **items, size_t *n,
                               long long *total);

#endif
