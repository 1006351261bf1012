/* The catalogue as shoppers read it: the product listing (filters, sorts, pages, bounded totals,
 * keyword search), one product with its images and sizes, and the brands. Only active products
 * of active brands are ever shown. All of its SQL is in catalog.c.
 *
 * The listing is the one query whose shape depends on the request: each filter adds a FIXED
 * fragment with ? placeholders and each sort a fixed ORDER BY, so the SQL of a request is chosen
 * from 2^CATALOG_NFILTERS x CATALOG_NSORTS texts that never contain input.
 * catalog_listing_sql() returns those texts so a test can EXPLAIN every one of them. */
#ifndef LONUA_DB_CATALOG_H
#define LONUA_DB_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

struct json_object;

/* The sort orders of SPEC §5, in the order of catalog_sort_names (the route's enum choices). */
enum catalog_sort {
	CATALOG_SORT_NEWEST,
	CATALOG_SORT_POPULAR, /* units paid in the last 30 days */
	CATALOG_SORT_PRICE_ASC,
	CATALOG_SORT_PRICE_DESC,
	CATALOG_SORT_DISCOUNT,
	CATALOG_SORT_RATING,  /* products without reviews last */
	CATALOG_SORT_REVIEWS, /* review count */
	CATALOG_NSORTS
};

/* "newest", "popular", …, NULL: the names of enum catalog_sort, in order. */
extern const char *const catalog_sort_names[];

/* One bit per filter of the listing: a shape is the set of filters a request uses. */
enum catalog_filter_bit {
	CATALOG_F_CATEGORY = 1u << 0,
	CATALOG_F_STYLE = 1u << 1,
	CATALOG_F_BRAND = 1u << 2,
	CATALOG_F_SIZE = 1u << 3,    /* a variant of that size label with stock */
	CATALOG_F_PRICE = 1u << 4,   /* min_price and/or max_price on the sale price */
	CATALOG_F_ON_SALE = 1u << 5, /* on sale, or (false) at list price */
	CATALOG_F_QUERY = 1u << 6,   /* keyword search through product_search */
};
#define CATALOG_NFILTERS 7
#define CATALOG_NSHAPES  (1u << CATALOG_NFILTERS)

/* Totals are exact up to this many rows, else this with total_is_lower_bound (SPEC §5). */
#define CATALOG_TOTAL_CAP 10000

/* A listing request. Zero ids, NULL strings and negative prices mean "not filtered". */
struct catalog_filter {
	long long category_id, style_id, brand_id;
	const char *size;               /* a size label, e.g. "M" or "270" */
	long long min_price, max_price; /* whole won, on the sale price; < 0: unbounded */
	int on_sale;                    /* -1 any, 1 on sale only, 0 at list price only */
	const char *q;                  /* the shopper's words */
	enum catalog_sort sort;
	int page;     /* 1.. */
	int per_page; /* 1..100 */
};

/* A filter of nothing (every listed product, no price bound, on sale or not): the first `count`
 * products in the order sort. Callers narrow it (a brand's strip, a style's list). */
struct catalog_filter catalog_filter_first(enum catalog_sort sort, int count);

/* A page of a list, in the shape of SPEC §5. */
struct catalog_page {
	struct json_object *items; /* array (owned by the caller on ST_OK) */
	long long total;           /* exact, or CATALOG_TOTAL_CAP with total_is_lower_bound */
	bool total_is_lower_bound;
};

/* The longest boolean-mode search expression catalog_search_expression writes (with its NUL):
 * q is at most 100 code points (400 bytes), each word adds +"" and a space. */
#define CATALOG_MATCH_MAX 1024

/* A listing statement ready to run: the SQL of the filter's shape and its parameters, in the
 * order of the placeholders. params may point into match: use the struct where it was filled. */
struct catalog_statement {
	const char *sql;
	struct db_param params[12];
	size_t nparams;
	char match[CATALOG_MATCH_MAX];
};

/* The shape (set of CATALOG_F_* bits) of a filter. A q without a searchable word still sets
 * CATALOG_F_QUERY: it matches nothing. */
unsigned catalog_filter_shape(const struct catalog_filter *f);

/* The SQL text of a shape: the page of items in sort order (count false), or the bounded count
 * of the matching rows (count true; sort is ignored). Built once per process and kept, so the
 * pointer is stable (db_query keys prepared statements by address). NULL for a shape or sort out
 * of range. */
const char *catalog_listing_sql(unsigned shape, enum catalog_sort sort, bool count);

/* Fills out with the SQL and parameters that list (count false: the page; count true: the bounded
 * count) what f asks for. Returns the number of searchable words of f->q (0 without q). */
int catalog_listing_statement(const struct catalog_filter *f, bool count, struct catalog_statement *out);

/* Turns the shopper's words into a Mroonga boolean-mode expression that requires each word as a
 * quoted phrase (+"청바지" +"spao"), so no operator of the input is ever interpreted: words are
 * split on white space (ASCII and U+3000) and on " and \ (which a phrase cannot hold). Writes at
 * most outlen bytes (NUL included; a word that does not fit is left out). Returns the number of
 * words written. */
int catalog_search_expression(const char *q, char *out, size_t outlen);

/* One page of the product listing: items are ProductSummary objects (docs/openapi.json). Uses one
 * statement for the page and, unless the page itself shows where the list ends, one bounded count.
 * Returns ST_OK (fills out) or the database's failure. */
enum status catalog_list_products(const struct catalog_filter *f, struct catalog_page *out);

/* The items of one page of the listing, without the total (a strip of a few products: home
 * sections, a brand's strip): appends ProductSummary objects to items (an array). Returns ST_OK or
 * the database's failure. */
enum status catalog_product_items(const struct catalog_filter *f, struct json_object *items);

/* The `count` most popular cards of brand_id (the product page's strip), appended to items as
 * ProductSummary objects. version is the brand's card version read with the page
 * (catalog_get_product_page): while it is the one the process last read the strip at, the strip
 * costs no statement (db/strip_cache.h). Returns ST_OK or the database's failure. */
enum status catalog_brand_strip(long long brand_id, int count, unsigned long long version, struct json_object *items);

/* The measurements of a size (variants[].measurements of a ProductDetail), in the order a
 * measurement table shows them: "total_length", "shoulder", "chest", … */
#define CATALOG_NMEASUREMENTS 9
extern const char *const catalog_measurement_names[CATALOG_NMEASUREMENTS];

/* One active product of an active brand with its images, variants (active sizes, in the seller's
 * order) and the brand's shipping and return terms, in one statement. Sets *out to a new
 * ProductDetail object without the language-dependent category and style objects (the caller adds
 * them). Returns ST_OK, ST_NOT_FOUND when there is no such product to show, or the database's
 * failure. */
enum status catalog_get_product(long long id, struct json_object **out);
/* The rating and fit summary of a product's published reviews: count[1..5] reviews of each rating,
 * fit[1..3] of each fit (db_review_summary's). */
struct catalog_review_summary {
	long long count[6], fit[4];
};
/* What the product page reads besides the product: the summary of its reviews, its brand's card
 * version (for catalog_brand_strip), its community version (for the reviews and questions a
 * process keeps: db/community_cache.h), its own and its brand's versions (for the product a
 * process keeps: db/product_cache.h), and how many of its lines were kept (schema/026: size advice
 * asks what buyers like the shopper kept only when some were), read on every request. */
struct catalog_product_page {
	struct catalog_review_summary summary;
	unsigned long long brand_cards_version, community_version, product_version, brand_version;
	long long kept_lines;
};
/* catalog_get_product for the product page, with *extra: one statement of the versions, by primary
 * key, while this process keeps the product at them; else the product's statement (after the
 * versions' when it keeps the product at others). */
enum status catalog_get_product_page(long long id, struct json_object **out, struct catalog_product_page *extra);
/* The SQL of catalog_get_product and of catalog_get_product_page's two statements (for the
 * EXPLAIN test): ? the product. */
const char *catalog_product_sql(void);
const char *catalog_product_page_sql(void);
const char *catalog_product_versions_sql(void);
/* The SQL that reads a remembered searched page's cards (for the EXPLAIN test): SEARCH_CACHE_IDS ?,
 * the ids (db/search_cache.h). */
const char *catalog_remembered_cards_sql(void);
/* The most popular `count` cards of each of n brands (n <= CATALOG_MAX_STRIPS: a page of /brands)
 * in one statement: sets items[i] to a new array of brand_ids[i]'s ProductSummary objects (empty
 * when it has none). Returns ST_OK or the database's failure (the arrays are the caller's either
 * way); ST_INVALID for n out of range. */
#define CATALOG_MAX_STRIPS 100
enum status catalog_brand_strips(const long long *brand_ids, size_t n, int count, struct json_object **items);
/* The SQL of catalog_get_brand (for the EXPLAIN test). */
const char *catalog_brand_sql(void);
/* The SQL of catalog_brand_strips for n brands (for the EXPLAIN test), NULL for n out of range. */
const char *catalog_brand_strips_sql(size_t n);

/* What `lonua seed` reports: out[0..2] the categories, styles and grades; out[0..7] the brands,
 * products, active products, variants, images, products on sale, sold-out products and search
 * rows (whole-table counts: a command's, never a request's). */
enum status catalog_reference_counts(long out[3]);
enum status catalog_shop_counts(long out[8]);

/* Up to count products most bought by shoppers of the upper-body type, then of the lower-body type
 * (1 slim, 2 average, 3 heavy), as ProductSummary items appended to items. ST_INVALID for a type
 * out of range. */
enum status catalog_for_body_type(int upper, int lower, int count, struct json_object *items);

/* The ids of up to max active sizes with at least min_stock in stock, of products the shop shows,
 * by id (the demo orders' choices). */
enum status catalog_sizes_in_stock(int min_stock, long long *ids, size_t max, size_t *n);

/* One page of the products the shopper likes that the shop still shows, newest like first:
 * ProductSummary items, the total as catalog_list_products counts it. */
enum status catalog_liked_products(long long user_id, int page, int per_page, struct catalog_page *out);

/* One page of the active brands, by name, each with its count of active products. */
enum status catalog_list_brands(int page, int per_page, struct catalog_page *out);

/* One active brand with its shipping and return terms, and its product count when counted (else
 * product_count is null: the count reads every card of the brand). Returns ST_OK, ST_NOT_FOUND
 * when there is no such active brand, or the database's failure. */
enum status catalog_get_brand(long long id, bool counted, struct json_object **out);

#endif
