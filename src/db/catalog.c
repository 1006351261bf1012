#include "db/catalog.h"
#include "db/reviews.h"
#include "db/search_cache.h"
#include "db/product_cache.h"
#include "db/strip_cache.h"
#include "db/total_cache.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "media/media.h"
#include "media/store.h"
#include "util/buf.h"
#include "util/json_put.h"
#include "util/log.h"

const char *const catalog_sort_names[] = {
    "newest", "popular", "price_asc", "price_desc", "discount", "rating", "reviews", NULL,
};

/* ---- the listing's SQL --------------------------------------------------------------------------
 *
 * Every listing statement is assembled from the fixed fragments below, chosen by the filters a
 * request uses (its shape) and its sort; every value travels as a ? parameter. db_query keys its
 * prepared statements by the ADDRESS of the SQL text, so each shape's text is built once per
 * process (on first use, or by catalog_listing_sql for the EXPLAIN test) and kept for the life of
 * the process in the tables below: the same shape always hands db_query the same pointer. That is
 * simpler than keying the statement cache by content, and costs at most
 * CATALOG_NSHAPES x (CATALOG_NSORTS + 1) strings of ~1 KB per worker, built lazily. The statement
 * cache itself evicts the least recently used statement when full, so rarely used shapes are
 * re-prepared rather than kept.
 *
 * Plans (checked by tests/db/test-catalog.c, which EXPLAINs every shape and sort):
 * - A page also joins catalog_version's one row (a constant table, read once).
 * - Without q the only table read per row is product_cards (schema/015_product_cards.sql: one flat
 *   row per listable product, kept by triggers), read through the indexes append_indexes names:
 *   every sort has an index that InnoDB ends with id, so ORDER BY x DESC, id DESC reads the index
 *   backwards and stops at the LIMIT; filters either have their own index (category, style,
 *   brand, on_sale, price) or are checked on the rows that index delivers. A card already holds
 *   its brand's name, its first image and whether it is sold out.
 * - With q, the search table drives through its Mroonga full-text key (STRAIGHT_JOIN: MATCH can
 *   only use the index on the first table). A page reads the search table alone in a derived
 *   table: it holds each listed product's filter and sort keys (schema/017_search_sort_keys.sql),
 *   so Mroonga answers MATCH, the filters, ORDER BY and LIMIT itself as a top-k of the matches
 *   ("fast ORDER BY LIMIT": 15 ms for a word in 133,000 of a million products, against 300 ms to
 *   sort the joined matches), and only the page's cards are read by primary key. Mroonga does
 *   this only for comparisons of its own columns (not BETWEEN, not a subquery), so the price
 *   range is two comparisons and a search by size joins and sorts the matches as before. The
 *   outer SELECT keeps a card only when its filter keys agree with the search row's (Mroonga is
 *   not transactional: a rolled-back change can leave a row's keys behind its card's) and sorts
 *   the page by the card's own values. The count joins the cards, as every count does. A searched
 *   page asked again reads only its cards, by the ids each process remembers (db/search_cache.h).
 * - size is an EXISTS on the product's active variants of that label with stock, read through
 *   ix_product_variants_size_lookup (size_label, product_id, stock) or uq_product_variants_size
 *   (product_id, size_label, …). The hint is needed because status is in neither index: for a
 *   common size (M) the optimizer would otherwise materialize the matching variants with a full
 *   scan of product_variants rather than the size's range plus row reads. A hidden size never
 *   matches, even with stock left.
 * - Ties end in id in the direction of the sort key, so every order is total and stable: DESC
 *   everywhere but price_asc, whose id ASC keeps ix_product_cards_price usable in index order
 *   (a mixed ASC/DESC order would sort every matching product on each request).
 * - The count is SELECT COUNT(*) over a derived table with LIMIT 10001: it never reads more than
 *   10,001 matching rows, whatever the size of the catalogue; and each process remembers it until
 *   the catalogue's version (the page's last column) changes (db/total_cache.h). */

/* The columns a product's statement starts with, in the order product_fields() reads them (a card's
 * too, SQL_CARD_FIELDS). Whether it is sold out is its card's (pc: schema/015_product_cards.sql),
 * kept in the same transactions as its sizes' stock. */
#define SQL_PRODUCT_FIELDS                                                                                             \
	"SELECT p.id, p.name, p.brand_id, b.name, p.category_id, p.style_id, p.list_price, p.sale_price,"              \
	" p.discount_percent, p.is_on_sale, pc.sold_out,"                                                              \
	" p.like_count, p.review_count, p.rating_avg, DATE_FORMAT(p.created_at, '%Y-%m-%dT%H:%i:%sZ')"
#define PRODUCT_NFIELDS 15

/* A card (schema/015_product_cards.sql): the product fields, in the order product_fields() reads
 * them, then its first image, from product_cards p, which holds only listable products. */
#define SQL_CARD_FIELDS                                                                                                \
	"SELECT p.id, p.name, p.brand_id, p.brand_name, p.category_id, p.style_id, p.list_price, p.sale_price,"        \
	" p.discount_percent, p.is_on_sale, p.sold_out, p.like_count, p.review_count, p.rating_avg,"                   \
	" DATE_FORMAT(p.created_at, '%Y-%m-%dT%H:%i:%sZ'), p.image_key"

static const char sql_items[] = SQL_CARD_FIELDS;

/* The listing's last column: the catalogue's version, which keeps the per-process totals exact. It
 * is joined, not a subquery: MariaDB plans a subquery anew on every execution. catalog_version's row
 * is a constant table, read once before the join. (A shopper's hearts are not read here: the page
 * marks them from the likes each process keeps, src/db/likes.h db_likes_kept.) */
static const char sql_version_column[] = ", cv.version";
static const char sql_version_join[] = " JOIN catalog_version cv ON cv.id = 1";

static const char sql_from_products[] = " FROM product_cards p FORCE INDEX (";
static const char sql_from_search[] = " FROM product_search s STRAIGHT_JOIN product_cards p ON p.id = s.product_id";
static const char sql_match[] = " WHERE MATCH (s.body) AGAINST (? IN BOOLEAN MODE)";

/* The fragment of each filter bit but CATALOG_F_QUERY (which picks the FROM), in bit order: the
 * parameters are bound in the same order. */
static const char *const sql_filters[CATALOG_NFILTERS] = {
    " AND p.category_id = ?",
    " AND p.style_id = ?",
    " AND p.brand_id = ?",
    " AND EXISTS (SELECT 1 FROM product_variants v"
    " FORCE INDEX (ix_product_variants_size_lookup, uq_product_variants_size)"
    " WHERE v.product_id = p.id AND v.size_label = ? AND v.stock > 0 AND v.status = 'active')",
    " AND p.sale_price BETWEEN ? AND ?",
    " AND p.is_on_sale = ?",
    NULL,
};

/* A searched page without size: the search table alone, in a derived table (see above). Its
 * filters, in bit order, and its sorts compare the search row's own copies of the card's keys. */
static const char sql_search_page_from[] =
    " FROM (SELECT s.product_id, s.category_id, s.style_id, s.brand_id, s.sale_price, s.is_on_sale"
    " FROM product_search s WHERE MATCH (s.body) AGAINST (? IN BOOLEAN MODE) AND s.listed = 1";
static const char *const sql_search_filters[CATALOG_NFILTERS] = {
    " AND s.category_id = ?",
    " AND s.style_id = ?",
    " AND s.brand_id = ?",
    NULL,
    " AND s.sale_price >= ? AND s.sale_price <= ?",
    " AND s.is_on_sale = ?",
    NULL,
};
static const char *const sql_search_orders[CATALOG_NSORTS] = {
    " ORDER BY s.created_at DESC, s.product_id DESC",
    " ORDER BY s.units_sold_30d DESC, s.product_id DESC",
    " ORDER BY s.sale_price, s.product_id",
    " ORDER BY s.sale_price DESC, s.product_id DESC",
    " ORDER BY s.discount_percent DESC, s.product_id DESC",
    " ORDER BY s.rating_key DESC, s.product_id DESC",
    " ORDER BY s.review_count DESC, s.product_id DESC",
};
static const char sql_search_page_join[] =
    " LIMIT ? OFFSET ?) s STRAIGHT_JOIN product_cards p ON p.id = s.product_id"
    " JOIN catalog_version cv ON cv.id = 1"
    " WHERE p.category_id = s.category_id AND p.style_id = s.style_id AND p.brand_id = s.brand_id"
    " AND p.sale_price = s.sale_price AND p.is_on_sale = s.is_on_sale";

static const char *const sql_orders[CATALOG_NSORTS] = {
    " ORDER BY p.created_at DESC, p.id DESC",
    " ORDER BY p.units_sold_30d DESC, p.id DESC",
    " ORDER BY p.sale_price, p.id",
    " ORDER BY p.sale_price DESC, p.id DESC",
    " ORDER BY p.discount_percent DESC, p.id DESC",
    " ORDER BY p.rating_avg DESC, p.id DESC",
    " ORDER BY p.review_count DESC, p.id DESC",
};

/* Built texts, kept for the life of the process (see above). */
static char *page_sql[CATALOG_NSHAPES][CATALOG_NSORTS];
static char *count_sql[CATALOG_NSHAPES];

/* The indexes of product_cards the optimizer may choose from for a shape and sort (a count passes
 * sort < 0): the ones that lead with a filter the shape uses, each in the sort's order when there is
 * such an index, and the sort's own index. Naming them keeps the plan on an index however small
 * the table (a full scan and a sort look cheaper on a few hundred rows) and keeps planning cheap:
 * MariaDB plans a prepared statement on every execution, and each candidate index costs a probe. */
static void append_indexes(struct buf *b, unsigned shape, int sort)
{
	static const char *const by_sort[CATALOG_NSORTS] = {"created",  "popular", "price",  "price",
	                                                    "discount", "rating",  "reviews"};
	const char *order = sort >= 0 ? by_sort[sort] : "created";
	bool created = strcmp(order, "created") == 0;
	bool popular = strcmp(order, "popular") == 0;
	bool price = strcmp(order, "price") == 0;
	if (shape & CATALOG_F_CATEGORY)
		buf_printf(b, "ix_product_cards_category_%s, ", created || popular || price ? order : "created");
	if (shape & CATALOG_F_STYLE)
		buf_printf(b, "ix_product_cards_style_%s, ", created || popular ? order : "created");
	if (shape & CATALOG_F_BRAND)
		buf_printf(b, "ix_product_cards_brand_%s, ", created || popular ? order : "created");
	if ((shape & CATALOG_F_PRICE) && !price)
		buf_puts(b, "ix_product_cards_price, ");
	if ((shape & CATALOG_F_ON_SALE) && created)
		buf_puts(b, "ix_product_cards_on_sale, ");
	buf_printf(b, "ix_product_cards_%s)", order);
}

/* The FROM and WHERE of a shape: a page (sort >= 0) joins the catalogue's version; a count
 * (sort < 0) reads the cards alone. */
static void append_where(struct buf *b, unsigned shape, int sort)
{
	if (shape & CATALOG_F_QUERY) {
		buf_puts(b, sql_from_search);
	} else {
		buf_puts(b, sql_from_products);
		append_indexes(b, shape, sort);
	}
	if (sort >= 0)
		buf_puts(b, sql_version_join);
	buf_puts(b, shape & CATALOG_F_QUERY ? sql_match : " WHERE TRUE");
	for (unsigned bit = 0; bit < CATALOG_NFILTERS; bit++)
		if ((shape & (1u << bit)) && sql_filters[bit])
			buf_puts(b, sql_filters[bit]);
}

/* The text of a shape's page or count, built on first use. */
static const char *listing_sql(unsigned shape, enum catalog_sort sort, bool count)
{
	if (shape >= CATALOG_NSHAPES || (!count && (unsigned)sort >= CATALOG_NSORTS))
		return NULL;
	char **slot = count ? &count_sql[shape] : &page_sql[shape][sort];
	if (*slot)
		return *slot;
	struct buf b = BUF_INIT;
	if (count) {
		buf_puts(&b, "SELECT COUNT(*) FROM (SELECT 1");
		append_where(&b, shape, -1);
		buf_printf(&b, " LIMIT %d) t", CATALOG_TOTAL_CAP + 1);
	} else if ((shape & CATALOG_F_QUERY) && !(shape & CATALOG_F_SIZE)) {
		buf_puts(&b, sql_items);
		buf_puts(&b, sql_version_column);
		buf_puts(&b, sql_search_page_from);
		for (unsigned bit = 0; bit < CATALOG_NFILTERS; bit++)
			if ((shape & (1u << bit)) && sql_search_filters[bit])
				buf_puts(&b, sql_search_filters[bit]);
		buf_puts(&b, sql_search_orders[sort]);
		buf_puts(&b, sql_search_page_join);
		buf_puts(&b, sql_orders[sort]);
	} else {
		buf_puts(&b, sql_items);
		buf_puts(&b, sql_version_column);
		append_where(&b, shape, (int)sort);
		buf_puts(&b, sql_orders[sort]);
		buf_puts(&b, " LIMIT ? OFFSET ?");
	}
	*slot = b.data; /* kept: its address is the statement's key */
	return *slot;
}

const char *catalog_listing_sql(unsigned shape, enum catalog_sort sort, bool count)
{
	return listing_sql(shape, sort, count);
}

/* ---- keyword search -------------------------------------------------------------------------------- */

/* Length of the white space at s (ASCII blanks and U+3000 IDEOGRAPHIC SPACE), 0 if none. */
static size_t space_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		return 1;
	if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

/* True when q holds something other than white space. */
static bool has_text(const char *q)
{
	if (!q)
		return false;
	for (const char *s = q; *s;) {
		size_t n = space_len(s);
		if (!n)
			return true;
		s += n;
	}
	return false;
}

/* Length of the word separator at s: white space, or " and \ (which a quoted phrase cannot hold,
 * and which would glue the words around them together if they were dropped), 0 if none. */
static size_t separator_len(const char *s)
{
	return *s == '"' || *s == '\\' ? 1 : space_len(s);
}

int catalog_search_expression(const char *q, char *out, size_t outlen)
{
	size_t used = 0;
	int words = 0;
	if (outlen)
		out[0] = '\0';
	if (!q)
		return 0;
	const char *s = q;
	while (*s) {
		size_t n = separator_len(s);
		if (n) {
			s += n;
			continue;
		}
		const char *start = s;
		while (*s && !separator_len(s))
			s++;
		size_t len = (size_t)(s - start);
		size_t need = (words ? 1 : 0) + 3 + len; /* [space]+"word" */
		if (used + need + 1 > outlen)
			continue;
		if (words)
			out[used++] = ' ';
		out[used++] = '+';
		out[used++] = '"';
		memcpy(out + used, start, len);
		used += len;
		out[used++] = '"';
		out[used] = '\0';
		words++;
	}
	return words;
}

/* ---- statements ---------------------------------------------------------------------------------- */

unsigned catalog_filter_shape(const struct catalog_filter *f)
{
	unsigned shape = 0;
	if (f->category_id > 0)
		shape |= CATALOG_F_CATEGORY;
	if (f->style_id > 0)
		shape |= CATALOG_F_STYLE;
	if (f->brand_id > 0)
		shape |= CATALOG_F_BRAND;
	if (f->size && f->size[0])
		shape |= CATALOG_F_SIZE;
	if (f->min_price >= 0 || f->max_price >= 0)
		shape |= CATALOG_F_PRICE;
	if (f->on_sale == 0 || f->on_sale == 1)
		shape |= CATALOG_F_ON_SALE;
	if (has_text(f->q))
		shape |= CATALOG_F_QUERY;
	return shape;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int catalog_listing_statement(const struct catalog_filter *f, bool count, struct catalog_statement *out)
{
	unsigned shape = catalog_filter_shape(f);
	enum catalog_sort sort = (unsigned)f->sort < CATALOG_NSORTS ? f->sort : CATALOG_SORT_NEWEST;
	int words = 0;
	size_t n = 0;
	out->sql = listing_sql(shape, sort, count);
	out->match[0] = '\0';
	if (shape & CATALOG_F_QUERY) {
		words = catalog_search_expression(f->q, out->match, sizeof out->match);
		out->params[n++] = (struct db_param){DB_PARAM_TEXT, 0, out->match, strlen(out->match)};
	}
	if (shape & CATALOG_F_CATEGORY)
		out->params[n++] = DB_INT(f->category_id);
	if (shape & CATALOG_F_STYLE)
		out->params[n++] = DB_INT(f->style_id);
	if (shape & CATALOG_F_BRAND)
		out->params[n++] = DB_INT(f->brand_id);
	if (shape & CATALOG_F_SIZE)
		out->params[n++] = DB_TEXT(f->size);
	if (shape & CATALOG_F_PRICE) {
		out->params[n++] = DB_INT(f->min_price >= 0 ? f->min_price : 0);
		out->params[n++] = DB_INT(f->max_price >= 0 ? f->max_price : LLONG_MAX);
	}
	if (shape & CATALOG_F_ON_SALE)
		out->params[n++] = DB_INT(f->on_sale);
	if (!count) {
		int per_page = clamp(f->per_page, 1, 100);
		int page = clamp(f->page, 1, 100);
		out->params[n++] = DB_INT(per_page);
		out->params[n++] = DB_INT((long long)(page - 1) * per_page);
	}
	out->nparams = n;
	return words;
}

/* ---- JSON ---------------------------------------------------------------------------------------- */

static json_object *int_or_null(const char *s)
{
	return s ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

static json_object *string_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

/* A decimal from the database ("4.50") as a JSON number written the same way, or null. */
static json_object *decimal_or_null(const char *s)
{
	return s ? json_object_new_double_s(strtod(s, NULL), s) : NULL;
}

static bool truthy(const char *s)
{
	return s && strcmp(s, "0") != 0;
}

/* ---- the product listing ----------------------------------------------------------------------- */

/* The fields of SQL_PRODUCT_FIELDS (columns 0 .. PRODUCT_NFIELDS - 1) as a new object: what a
 * ProductSummary and a ProductDetail share (docs/openapi.json). */
static json_object *product_fields(const char *const *c)
{
	json_object *o = json_object_new_object();
	json_put(o, "id", int_or_null(c[0]));
	json_put(o, "name", json_object_new_string(c[1] ? c[1] : ""));
	json_object *brand = json_object_new_object();
	json_put(brand, "id", int_or_null(c[2]));
	json_put(brand, "name", json_object_new_string(c[3] ? c[3] : ""));
	json_put(o, "brand", brand);
	json_put(o, "category_id", int_or_null(c[4]));
	json_put(o, "style_id", int_or_null(c[5]));
	json_put(o, "list_price", int_or_null(c[6]));
	json_put(o, "sale_price", int_or_null(c[7]));
	json_put(o, "discount_percent", int_or_null(c[8]));
	json_put(o, "on_sale", json_object_new_boolean(truthy(c[9])));
	json_put(o, "sold_out", json_object_new_boolean(truthy(c[10])));
	json_put(o, "like_count", int_or_null(c[11]));
	json_put(o, "review_count", int_or_null(c[12]));
	json_put(o, "rating", decimal_or_null(c[13]));
	json_put(o, "created_at", json_object_new_string(c[14] ? c[14] : ""));
	return o;
}

/* The card of columns c: the product fields and its image. */
static json_object *card_object(const char *const *c)
{
	json_object *o = product_fields(c);
	json_put(o, "image", store_image_urls(c[PRODUCT_NFIELDS], false));
	return o;
}

static void append_card(json_object *items, const char *const *c)
{
	json_object_array_add(items, card_object(c));
}

static enum status add_summary(const struct db_row *row, void *ctx)
{
	append_card(ctx, row->cols);
	return ST_OK;
}

/* The rows of a listing statement, whose last column is the catalogue's version. */
struct listing_rows {
	json_object *items;
	unsigned long long version; /* 0 until a row came */
};

static unsigned long long row_version(const struct db_row *row)
{
	return strtoull(row->cols[row->ncols - 1] ? row->cols[row->ncols - 1] : "0", NULL, 10);
}

static enum status add_listing_row(const struct db_row *row, void *ctx)
{
	struct listing_rows *l = ctx;
	l->version = row_version(row);
	append_card(l->items, row->cols);
	return ST_OK;
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = row->cols[0] ? strtoll(row->cols[0], NULL, 10) : 0;
	return ST_OK;
}

/* Sets the total from the page itself when the page shows where the list ends (fewer rows than a
 * full page, and either some rows or the first page), else runs the bounded count (on the primary
 * when primary is set, else where the page was read) unless this process remembers it at version
 * (0: unknown, never remembered). */
static enum status page_total(struct catalog_page *out, size_t rows, int page, int per_page, const char *count_sql_text,
                              const struct db_param *params, size_t nparams, unsigned long long version, bool primary)
{
	out->total_is_lower_bound = false;
	if (db_page_ends_list(rows, (long long)(page - 1) * per_page, per_page, &out->total))
		return ST_OK;
	long long n = 0;
	if (!total_cache_get(count_sql_text, params, nparams, version, &n)) {
		enum status rc = primary ? db_query(count_sql_text, params, nparams, read_count, &n, NULL)
		                         : db_read(count_sql_text, params, nparams, read_count, &n);
		if (rc != ST_OK)
			return rc;
		total_cache_put(count_sql_text, params, nparams, version, n);
	}
	out->total_is_lower_bound = n > CATALOG_TOTAL_CAP;
	out->total = n > CATALOG_TOTAL_CAP ? CATALOG_TOTAL_CAP : n;
	return ST_OK;
}

/* ---- searched pages remembered (db/search_cache.h) ---- */

_Static_assert(SEARCH_CACHE_IDS <= DB_MAX_PARAMS, "the cards' statement binds every id");

/* The cards of up to SEARCH_CACHE_IDS ids, with the catalogue's version; unused places hold 0,
 * which no product has. Built once (its address is the statement's key). */
static const char *cards_by_ids_sql(void)
{
	static char *sql;
	if (!sql) {
		struct buf b = BUF_INIT;
		buf_puts(&b, sql_items);
		buf_puts(&b, sql_version_column);
		buf_puts(&b, " FROM product_cards p");
		buf_puts(&b, sql_version_join);
		buf_puts(&b, " WHERE p.id IN (?");
		for (int i = 1; i < SEARCH_CACHE_IDS; i++)
			buf_puts(&b, ", ?");
		buf_puts(&b, ")");
		sql = b.data; /* kept */
	}
	return sql;
}

const char *catalog_remembered_cards_sql(void)
{
	return cards_by_ids_sql();
}

/* The cards read for remembered ids, each in its place on the page. */
struct placed_cards {
	const long long *ids;
	size_t n;
	json_object *at[SEARCH_CACHE_IDS];
	unsigned long long version;
};

static enum status place_card(const struct db_row *row, void *ctx)
{
	struct placed_cards *p = ctx;
	long long id = strtoll(row->cols[0] ? row->cols[0] : "0", NULL, 10);
	p->version = row_version(row);
	for (size_t i = 0; i < p->n; i++)
		if (p->ids[i] == id && !p->at[i])
			p->at[i] = card_object(row->cols);
	return ST_OK;
}

/* Fills l from the ids remembered for st's page (in sort) when its cards are still at the version
 * they were found at (so the same products match); false when there is nothing remembered or it is
 * stale. The version follows what the newest, price and discount orders sort by; the sales, rating
 * and review orders are kept at most SEARCH_CACHE_SECONDS. */
static bool remembered_page(const struct catalog_statement *st, enum catalog_sort sort, struct listing_rows *l)
{
	long long ids[SEARCH_CACHE_IDS];
	size_t n;
	unsigned long long version;
	bool follows = sort != CATALOG_SORT_POPULAR && sort != CATALOG_SORT_RATING && sort != CATALOG_SORT_REVIEWS;
	if (!search_cache_get(st->sql, st->params, st->nparams, follows ? INFINITY : SEARCH_CACHE_SECONDS, ids, &n,
	                      &version) ||
	    n == 0)
		return false;
	struct db_param params[SEARCH_CACHE_IDS];
	for (size_t i = 0; i < SEARCH_CACHE_IDS; i++)
		params[i] = DB_INT(i < n ? ids[i] : 0);
	struct placed_cards p = {ids, n, {NULL}, 0};
	bool whole =
	    db_read(cards_by_ids_sql(), params, SEARCH_CACHE_IDS, place_card, &p) == ST_OK && p.version == version;
	for (size_t i = 0; i < n; i++)
		whole = whole && p.at[i];
	for (size_t i = 0; i < n; i++) {
		if (whole)
			json_object_array_add(l->items, p.at[i]);
		else
			json_object_put(p.at[i]);
	}
	if (whole)
		l->version = version;
	return whole;
}

/* Remembers the ids of the page st just read into l. */
static void remember_page(const struct catalog_statement *st, const struct listing_rows *l)
{
	long long ids[SEARCH_CACHE_IDS];
	size_t n = json_object_array_length(l->items);
	if (n == 0 || n > SEARCH_CACHE_IDS)
		return;
	for (size_t i = 0; i < n; i++) {
		json_object *id = NULL;
		json_object_object_get_ex(json_object_array_get_idx(l->items, i), "id", &id);
		ids[i] = json_object_get_int64(id);
	}
	search_cache_put(st->sql, st->params, st->nparams, ids, n, l->version);
}

/* Reads the page f asks for into l: a searched page from the ids this process remembers of it when
 * it can (db/search_cache.h), else from its statement. */
static enum status listing_page(const struct catalog_filter *f, struct listing_rows *l)
{
	struct catalog_statement st;
	int words = catalog_listing_statement(f, false, &st);
	bool searched = catalog_filter_shape(f) & CATALOG_F_QUERY;
	if (searched && words == 0)
		return ST_OK; /* only quotes and backslashes: nothing to search for, nothing found */
	if (searched && remembered_page(&st, f->sort, l))
		return ST_OK;
	enum status rc = db_read(st.sql, st.params, st.nparams, add_listing_row, l);
	if (rc == ST_OK && searched)
		remember_page(&st, l);
	return rc;
}

enum status catalog_product_items(const struct catalog_filter *f, json_object *items)
{
	struct listing_rows l = {items, 0};
	return listing_page(f, &l);
}

struct catalog_filter catalog_filter_first(enum catalog_sort sort, int count)
{
	return (struct catalog_filter){
	    .min_price = -1, .max_price = -1, .on_sale = -1, .sort = sort, .page = 1, .per_page = count};
}

enum status catalog_brand_strip(long long brand_id, int count, unsigned long long version, json_object *items)
{
	if (strip_cache_get(brand_id, count, version, items))
		return ST_OK;
	struct catalog_filter strip = catalog_filter_first(CATALOG_SORT_POPULAR, count);
	strip.brand_id = brand_id;
	json_object *cards = json_object_new_array();
	enum status rc = catalog_product_items(&strip, cards);
	if (rc == ST_OK) {
		strip_cache_put(brand_id, count, version, cards);
		if (!strip_cache_get(brand_id, count, version, items))
			rc = ST_ERROR;
	}
	json_object_put(cards);
	return rc;
}

enum status catalog_list_products(const struct catalog_filter *f, struct catalog_page *out)
{
	struct listing_rows l = {json_object_new_array(), 0};
	out->items = l.items;
	out->total = 0;
	out->total_is_lower_bound = false;
	enum status rc = listing_page(f, &l);
	if (rc == ST_OK) {
		struct catalog_statement cst;
		catalog_listing_statement(f, true, &cst);
		rc = page_total(out, json_object_array_length(out->items), clamp(f->page, 1, 100),
		                clamp(f->per_page, 1, 100), cst.sql, cst.params, cst.nparams, l.version, false);
	}
	if (rc != ST_OK) {
		json_object_put(out->items);
		out->items = NULL;
	}
	return rc;
}

/* A shopper's likes of products still shown, newest like first (ix_likes_user_created). */
static const char sql_liked[] =
    SQL_CARD_FIELDS " FROM likes l JOIN product_cards p ON p.id = l.product_id"
                    " WHERE l.user_id = ? ORDER BY l.created_at DESC, l.id DESC LIMIT ? OFFSET ?";
static const char sql_liked_count[] =
    "SELECT COUNT(*) FROM (SELECT 1 FROM likes l JOIN product_cards p ON p.id = l.product_id"
    " WHERE l.user_id = ? LIMIT 10001) t";

/* "Popular with your body type" (SPEC §6): products by the units bought by shoppers of the same
 * upper-body type, then of the same lower-body type, through the counters' (upper, lower) index;
 * only products someone of that upper type bought. One statement per pair of types. */
#define SQL_BODY_TYPE(u, l)                                                                                            \
	SQL_CARD_FIELDS " FROM product_body_type_counts c FORCE INDEX (ix_pbtc_u" #u "_l" #l ")"                       \
	                " JOIN product_cards p ON p.id = c.product_id WHERE c.upper" #u "_units > 0"                   \
	                " ORDER BY c.upper" #u "_units DESC, c.lower" #l "_units DESC LIMIT ?"
static const char *const sql_body_type[3][3] = {
    {SQL_BODY_TYPE(1, 1), SQL_BODY_TYPE(1, 2), SQL_BODY_TYPE(1, 3)},
    {SQL_BODY_TYPE(2, 1), SQL_BODY_TYPE(2, 2), SQL_BODY_TYPE(2, 3)},
    {SQL_BODY_TYPE(3, 1), SQL_BODY_TYPE(3, 2), SQL_BODY_TYPE(3, 3)},
};

enum status catalog_for_body_type(int upper, int lower, int count, json_object *items)
{
	if (upper < 1 || upper > 3 || lower < 1 || lower > 3)
		return ST_INVALID;
	struct db_param p = DB_INT(clamp(count, 1, 100));
	return db_read(sql_body_type[upper - 1][lower - 1], &p, 1, add_summary, items);
}

struct id_list {
	long long *ids;
	size_t n, max;
};

static enum status add_id(const struct db_row *row, void *ctx)
{
	struct id_list *l = ctx;
	if (l->n < l->max)
		l->ids[l->n++] = db_int(row, 0);
	return ST_OK;
}

enum status catalog_sizes_in_stock(int min_stock, long long *ids, size_t max, size_t *n)
{
	struct id_list l = {ids, 0, max};
	struct db_param p = DB_INT(min_stock);
	enum status st =
	    db_query("SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id"
	             " JOIN brands b ON b.id = p.brand_id WHERE v.status = 'active' AND p.status = 'active'"
	             " AND b.status = 'active' AND v.stock >= ? ORDER BY v.id",
	             &p, 1, add_id, &l, NULL);
	*n = l.n;
	return st;
}

enum status catalog_liked_products(long long user_id, int page, int per_page, struct catalog_page *out)
{
	page = clamp(page, 1, 100);
	per_page = clamp(per_page, 1, 100);
	struct db_param p[] = {DB_INT(user_id), DB_INT(per_page), DB_INT((long long)(page - 1) * per_page)};
	out->items = json_object_new_array();
	out->total = 0;
	out->total_is_lower_bound = false;
	enum status rc = db_query(sql_liked, p, 3, add_summary, out->items, NULL);
	if (rc == ST_OK)
		rc = page_total(out, json_object_array_length(out->items), page, per_page, sql_liked_count, p, 1, 0,
		                true);
	if (rc != ST_OK) {
		json_object_put(out->items);
		out->items = NULL;
	}
	return rc;
}

/* ---- one product ------------------------------------------------------------------------------- */

/* One statement: the product (which has a card exactly when the shop shows it), its brand's
 * terms, and its images and active variants as JSON arrays (NULL when there are none), then `more`
 * columns from the tables the `joins` add. The arrays are bounded by group_concat_max_len (1 MB by
 * default: thousands of variants). They are not ordered here: an ORDER BY inside JSON_ARRAYAGG
 * costs MariaDB a temporary table per array on every execution, so each row carries its sort key
 * and read_product sorts them. */
#define SQL_PRODUCT(more, joins)                                                                                       \
	SQL_PRODUCT_FIELDS                                                                                             \
	", p.description, DATE_FORMAT(p.updated_at, '%Y-%m-%dT%H:%i:%sZ'),"                                            \
	" b.shipping_fee, b.free_shipping_threshold, b.return_shipping_cost, b.return_postal_code,"                    \
	" b.return_address, b.return_courier,"                                                                         \
	" (SELECT JSON_ARRAYAGG(JSON_ARRAY(i.position, i.image_key))"                                                  \
	"  FROM product_images i WHERE i.product_id = p.id),"                                                          \
	" (SELECT JSON_ARRAYAGG(JSON_ARRAY(v.id, v.size_label, v.color, v.sku, v.stock, v.total_length_mm,"            \
	"  v.shoulder_mm, v.chest_mm, v.sleeve_mm, v.waist_mm, v.hip_mm, v.thigh_mm, v.rise_mm, v.hem_mm,"             \
	"  v.sort_order))"                                                                                             \
	"  FROM product_variants v WHERE v.product_id = p.id AND v.status = 'active')" more                            \
	" FROM product_cards pc JOIN products p ON p.id = pc.id JOIN brands b ON b.id = p.brand_id" joins              \
	" WHERE pc.id = ? AND p.status = 'active' AND b.status = 'active'"
static const char sql_product[] = SQL_PRODUCT("", "");
/* The versions of what the product page shows, and their tables (0 for a missing row): the brand's
 * card version (schema/019), which tells whether the strip of the brand's cards this process keeps
 * is still exact (db/strip_cache.h); the product's community version (schema/020), the same for
 * its newest reviews and questions (db/community_cache.h); the product's and its brand's versions
 * (schema/021), with the community version the same for the product itself (db/product_cache.h).
 * Then the count of the product's kept lines (schema/026), which size advice reads. */
#define SQL_PRODUCT_VERSIONS                                                                                           \
	"COALESCE(bcv.version, 0), COALESCE(pcv.version, 0), COALESCE(pv.version, 0), COALESCE(bv.version, 0),"        \
	" COALESCE(pkc.kept, 0)"
#define SQL_PRODUCT_VERSION_JOINS                                                                                      \
	" LEFT JOIN brand_card_versions bcv ON bcv.brand_id = p.brand_id"                                              \
	" LEFT JOIN product_community_versions pcv ON pcv.product_id = p.id"                                           \
	" LEFT JOIN product_versions pv ON pv.product_id = p.id"                                                       \
	" LEFT JOIN brand_versions bv ON bv.brand_id = p.brand_id"                                                     \
	" LEFT JOIN product_kept_counts pkc ON pkc.product_id = p.id"
/* The product page's: the summary of the product's reviews too (db/reviews.h), a statement fewer,
 * and the versions. */
static const char sql_product_page[] =
    SQL_PRODUCT(", " SQL_REVIEW_SUMMARY_COLUMNS ", " SQL_PRODUCT_VERSIONS, SQL_PRODUCT_VERSION_JOINS);
/* The same versions alone, and whether the shop shows the product: all the product page reads
 * while this process keeps the product at them (db/product_cache.h). Primary keys only. */
static const char sql_product_versions[] =
    "SELECT " SQL_PRODUCT_VERSIONS " FROM product_cards pc JOIN products p ON p.id = pc.id"
    " JOIN brands b ON b.id = p.brand_id" SQL_PRODUCT_VERSION_JOINS
    " WHERE pc.id = ? AND p.status = 'active' AND b.status = 'active'";

/* The measurement columns of a variant row (JSON_ARRAY positions 5..13), by their API names. */
const char *const catalog_measurement_names[CATALOG_NMEASUREMENTS] = {
    "total_length", "shoulder", "chest", "sleeve", "waist", "hip", "thigh", "rise", "hem",
};

/* Millimetres as centimetres with one decimal: 525 -> 52.5 (written exactly so, not 52.500000001). */
static json_object *mm_to_cm(int64_t mm)
{
	char s[32];
	snprintf(s, sizeof s, "%lld.%lld", (long long)(mm / 10), (long long)(mm % 10));
	return json_object_new_double_s((double)mm / 10.0, s);
}

static json_object *brand_terms(const char *const *c, json_object *brand)
{
	json_object_object_add(brand, "shipping_fee", int_or_null(c[0]));
	json_object_object_add(brand, "free_shipping_threshold", int_or_null(c[1]));
	json_object_object_add(brand, "return_shipping_cost", int_or_null(c[2]));
	json_object_object_add(brand, "return_postal_code", string_or_null(c[3]));
	json_object_object_add(brand, "return_address", json_object_new_string(c[4] ? c[4] : ""));
	json_object_object_add(brand, "return_courier", json_object_new_string(c[5] ? c[5] : ""));
	return brand;
}

/* Array element i of a JSON array as a new reference (json-c getters are borrowed). */
static json_object *elem(json_object *a, size_t i)
{
	return json_object_get(json_object_array_get_idx(a, i));
}

/* Element i of row r (a JSON array) as an integer. */
static int64_t int_at(json_object *r, size_t i)
{
	return json_object_get_int64(json_object_array_get_idx(r, i));
}

static int compare_int64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* json_object_array_sort's comparators (given pointers to the elements). Image rows [position,
 * key]: by position. */
static int by_position(const void *a, const void *b)
{
	return compare_int64(int_at(*(json_object *const *)a, 0), int_at(*(json_object *const *)b, 0));
}

/* Variant rows [id, ..., sort_order]: by sort_order, then id. */
#define VARIANT_SORT_ORDER (5 + CATALOG_NMEASUREMENTS)
static int by_sort_order(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
	int c = compare_int64(int_at(x, VARIANT_SORT_ORDER), int_at(y, VARIANT_SORT_ORDER));
	return c ? c : compare_int64(int_at(x, 0), int_at(y, 0));
}

/* Parses a JSON_ARRAYAGG column into *rows (a new array; an absent column is an empty one), sorted
 * by compare. Returns false when the text is not an array, which would be our own SQL's fault. */
static bool aggregated_rows(const char *text, int (*compare)(const void *, const void *), json_object **rows)
{
	*rows = text ? json_tokener_parse(text) : json_object_new_array();
	if (!json_object_is_type(*rows, json_type_array)) {
		json_object_put(*rows);
		*rows = NULL;
		return false;
	}
	json_object_array_sort(*rows, compare);
	return true;
}

/* Turns the images JSON of the statement into [{position, thumb, card, detail}]; sets *first to
 * the first image's {thumb, card} (or NULL). Returns NULL when the text is not what we asked for. */
static json_object *images_json(const char *text, json_object **first)
{
	*first = NULL;
	json_object *rows;
	if (!aggregated_rows(text, by_position, &rows))
		return NULL;
	json_object *out = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		const char *key = json_object_get_string(json_object_array_get_idx(r, 1));
		json_object *img = store_image_urls(key, true);
		if (!img)
			continue;
		if (!*first)
			*first = store_image_urls(key, false);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "position", elem(r, 0));
		json_object_object_foreach(img, k, v) json_object_object_add(o, k, json_object_get(v));
		json_object_put(img);
		json_object_array_add(out, o);
	}
	json_object_put(rows);
	return out;
}

/* Turns the variants JSON into [{id, size, color, sku, stock, in_stock, measurements}]. Returns
 * NULL when the text is not what we asked for. */
static json_object *variants_json(const char *text)
{
	json_object *rows;
	if (!aggregated_rows(text, by_sort_order, &rows))
		return NULL;
	json_object *out = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		int64_t stock = json_object_get_int64(json_object_array_get_idx(r, 4));
		const char *color = json_object_get_string(json_object_array_get_idx(r, 2));
		json_object *sku = json_object_array_get_idx(r, 3);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", elem(r, 0));
		json_object_object_add(o, "size", elem(r, 1));
		json_object_object_add(o, "color", color && color[0] ? json_object_new_string(color) : NULL);
		json_object_object_add(o, "sku",
		                       json_object_is_type(sku, json_type_string) ? json_object_get(sku) : NULL);
		json_object_object_add(o, "stock", json_object_new_int64(stock));
		json_object_object_add(o, "in_stock", json_object_new_boolean(stock > 0));
		json_object *m = json_object_new_object();
		for (size_t k = 0; k < CATALOG_NMEASUREMENTS; k++) {
			json_object *mm = json_object_array_get_idx(r, 5 + k);
			if (json_object_is_type(mm, json_type_int))
				json_object_object_add(m, catalog_measurement_names[k],
				                       mm_to_cm(json_object_get_int64(mm)));
		}
		json_object_object_add(o, "measurements", m);
		json_object_array_add(out, o);
	}
	json_object_put(rows);
	return out;
}

/* The columns of sql_product after the shared fields. */
enum { P_DESCRIPTION = PRODUCT_NFIELDS, P_UPDATED, P_TERMS, P_IMAGES = P_TERMS + 6, P_VARIANTS };

static enum status read_product(const struct db_row *row, void *ctx)
{
	json_object **out = ctx;
	const char *const *c = row->cols;
	json_object *first, *images = images_json(c[P_IMAGES], &first);
	json_object *variants = variants_json(c[P_VARIANTS]);
	if (!images || !variants) {
		log_error("catalogue: product %s: images or variants are not the JSON arrays asked for", c[0]);
		json_object_put(images);
		json_object_put(variants);
		json_object_put(first);
		return ST_ERROR;
	}
	json_object *o = product_fields(c);
	json_object_object_add(o, "description", c[P_DESCRIPTION] ? json_object_new_string(c[P_DESCRIPTION]) : NULL);
	brand_terms(c + P_TERMS, json_object_object_get(o, "brand"));
	json_object_object_add(o, "image", first);
	json_object_object_add(o, "images", images);
	json_object_object_add(o, "variants", variants);
	json_object_object_add(o, "updated_at", json_object_new_string(c[P_UPDATED] ? c[P_UPDATED] : ""));
	json_object_put(*out);
	*out = o;
	return ST_OK;
}

/* Runs a statement that selects one row by id and lets read_row (given ctx: out itself, or what
 * holds it) build *out from it. Returns ST_OK, ST_NOT_FOUND when there is no such row, or the
 * database's failure (then *out is NULL). */
static enum status get_one(const char *sql, long long id, db_row_fn read_row, void *ctx, json_object **out)
{
	*out = NULL;
	struct db_param p[] = {DB_INT(id)};
	enum status rc = db_read(sql, p, 1, read_row, ctx);
	if (rc != ST_OK) {
		json_object_put(*out);
		*out = NULL;
		return rc;
	}
	return *out ? ST_OK : ST_NOT_FOUND;
}

enum status catalog_get_product(long long id, json_object **out)
{
	return get_one(sql_product, id, read_product, out, out);
}

const char *catalog_product_sql(void)
{
	return sql_product;
}

struct product_page {
	json_object *product;
	struct catalog_product_page *extra;
	bool found; /* the versions' statement: a row */
};

/* SQL_PRODUCT_VERSIONS' five columns from column `first` on. */
static void read_versions(const struct db_row *row, size_t first, struct catalog_product_page *extra)
{
	extra->brand_cards_version = (unsigned long long)db_int(row, first);
	extra->community_version = (unsigned long long)db_int(row, first + 1);
	extra->product_version = (unsigned long long)db_int(row, first + 2);
	extra->brand_version = (unsigned long long)db_int(row, first + 3);
	extra->kept_lines = db_int(row, first + 4);
}

static enum status read_product_versions(const struct db_row *row, void *ctx)
{
	struct product_page *pp = ctx;
	pp->found = true;
	read_versions(row, 0, pp->extra);
	return ST_OK;
}

static enum status read_product_page(const struct db_row *row, void *ctx)
{
	struct product_page *pp = ctx;
	struct catalog_review_summary *summary = &pp->extra->summary;
	if (!db_review_summary_read(row->cols + P_VARIANTS + 1, summary->count, summary->fit)) {
		log_error("catalogue: product %s: its review summary is not the columns asked for", row->cols[0]);
		return ST_ERROR;
	}
	read_versions(row, P_VARIANTS + 1 + REVIEW_SUMMARY_NCOLUMNS, pp->extra);
	return read_product(row, &pp->product);
}

enum status catalog_get_product_page(long long id, json_object **out, struct catalog_product_page *extra)
{
	memset(extra, 0, sizeof *extra);
	*out = NULL;
	struct product_page pp = {NULL, extra, false};
	if (product_cache_holds(id)) {
		struct db_param p[] = {DB_INT(id)};
		enum status rc = db_read(sql_product_versions, p, 1, read_product_versions, &pp);
		if (rc != ST_OK)
			return rc;
		if (!pp.found)
			return ST_NOT_FOUND;
		if (product_cache_get(id, extra, out, &extra->summary))
			return ST_OK;
	}
	enum status rc = get_one(sql_product_page, id, read_product_page, &pp, &pp.product);
	if (rc == ST_OK)
		product_cache_put(id, extra, pp.product);
	*out = pp.product;
	return rc;
}

const char *catalog_product_page_sql(void)
{
	return sql_product_page;
}

const char *catalog_product_versions_sql(void)
{
	return sql_product_versions;
}

/* ---- brands ------------------------------------------------------------------------------------ */

/* A brand's product count: its cards, counted on ix_product_cards_brand_created alone (for a brand
 * with a fifth of the catalogue the optimizer would rather scan every card, 94,000 rows at 100,000
 * products). Every card of the brand is read: 24 ms for the biggest brand at a million products. */
#define SQL_BRAND_PRODUCT_COUNT                                                                                        \
	"(SELECT COUNT(*) FROM product_cards p FORCE INDEX (ix_product_cards_brand_created) WHERE p.brand_id = b.id)"

/* The public columns of a brand: profile, product count (count: SQL_BRAND_PRODUCT_COUNT, or NULL),
 * then the shipping and return terms. */
#define SQL_BRAND_COLUMNS(count)                                                                                       \
	"SELECT b.id, b.name, b.introduction, b.style_label, b.logo_image, " count ","                                 \
	" b.shipping_fee, b.free_shipping_threshold, b.return_shipping_cost, b.return_postal_code,"                    \
	" b.return_address, b.return_courier"

static const char sql_brands_page[] = SQL_BRAND_COLUMNS(
    SQL_BRAND_PRODUCT_COUNT) " FROM brands b WHERE b.status = 'active' ORDER BY b.name, b.id LIMIT ? OFFSET ?";
static const char sql_brands_count[] =
    "SELECT COUNT(*) FROM (SELECT 1 FROM brands b WHERE b.status = 'active' LIMIT 10001) t";
static const char sql_brand[] =
    SQL_BRAND_COLUMNS(SQL_BRAND_PRODUCT_COUNT) " FROM brands b WHERE b.id = ? AND b.status = 'active'";
static const char sql_brand_uncounted[] =
    SQL_BRAND_COLUMNS("NULL") " FROM brands b WHERE b.id = ? AND b.status = 'active'";

static json_object *brand_json(const char *const *c, bool terms)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", int_or_null(c[0]));
	json_object_object_add(o, "name", json_object_new_string(c[1] ? c[1] : ""));
	json_object_object_add(o, "introduction", string_or_null(c[2]));
	json_object_object_add(o, "style_label", string_or_null(c[3]));
	json_object_object_add(o, "logo", store_image_urls(c[4], false));
	json_object_object_add(o, "product_count", int_or_null(c[5]));
	if (terms)
		brand_terms(c + 6, o);
	return o;
}

static enum status add_brand(const struct db_row *row, void *ctx)
{
	json_object_array_add(ctx, brand_json(row->cols, false));
	return ST_OK;
}

static enum status read_brand(const struct db_row *row, void *ctx)
{
	json_object **out = ctx;
	json_object_put(*out);
	*out = brand_json(row->cols, true);
	return ST_OK;
}

enum status catalog_list_brands(int page, int per_page, struct catalog_page *out)
{
	page = clamp(page, 1, 100);
	per_page = clamp(per_page, 1, 100);
	out->items = json_object_new_array();
	out->total = 0;
	out->total_is_lower_bound = false;
	struct db_param p[] = {DB_INT(per_page), DB_INT((long long)(page - 1) * per_page)};
	enum status rc = db_read(sql_brands_page, p, 2, add_brand, out->items);
	if (rc == ST_OK)
		rc = page_total(out, json_object_array_length(out->items), page, per_page, sql_brands_count, NULL, 0, 0,
		                false);
	if (rc != ST_OK) {
		json_object_put(out->items);
		out->items = NULL;
	}
	return rc;
}

/* The strips of up to CATALOG_MAX_STRIPS brands in one statement: one parenthesised SELECT per brand,
 * each reading `count` cards through ix_product_cards_brand_popular, joined by UNION ALL. The text
 * for n brands is built on first use and kept (db_query keys statements by its address). */
static const char sql_strip_one[] =
    "(" SQL_CARD_FIELDS " FROM product_cards p FORCE INDEX (ix_product_cards_brand_popular)"
    " WHERE p.brand_id = ? ORDER BY p.units_sold_30d DESC, p.id DESC LIMIT ?)";
static char *strips_sql[CATALOG_MAX_STRIPS + 1];

const char *catalog_brand_strips_sql(size_t n)
{
	if (n == 0 || n > CATALOG_MAX_STRIPS)
		return NULL;
	if (!strips_sql[n]) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_puts(&b, " UNION ALL ");
			buf_puts(&b, sql_strip_one);
		}
		strips_sql[n] = b.data; /* kept: its address is the statement's key */
	}
	return strips_sql[n];
}

/* Appends a strip row to the items array of its brand (ctx: the strips, parallel to the ids). */
struct strip_rows {
	const long long *brand_ids;
	size_t n;
	json_object **items;
};

static enum status add_strip_row(const struct db_row *row, void *ctx)
{
	struct strip_rows *s = ctx;
	long long brand = strtoll(row->cols[2] ? row->cols[2] : "0", NULL, 10);
	for (size_t i = 0; i < s->n; i++) {
		if (s->brand_ids[i] == brand) {
			append_card(s->items[i], row->cols);
			break;
		}
	}
	return ST_OK;
}

enum status catalog_brand_strips(const long long *brand_ids, size_t n, int count, json_object **items)
{
	for (size_t i = 0; i < n; i++)
		items[i] = json_object_new_array();
	if (n == 0)
		return ST_OK;
	struct db_param p[2 * CATALOG_MAX_STRIPS];
	const char *sql = catalog_brand_strips_sql(n);
	if (!sql)
		return ST_INVALID;
	for (size_t i = 0; i < n; i++) {
		p[2 * i] = DB_INT(brand_ids[i]);
		p[2 * i + 1] = DB_INT(clamp(count, 1, 100));
	}
	struct strip_rows s = {brand_ids, n, items};
	return db_read(sql, p, 2 * n, add_strip_row, &s);
}

const char *catalog_brand_sql(void)
{
	return sql_brand;
}

enum status catalog_get_brand(long long id, bool counted, json_object **out)
{
	return get_one(counted ? sql_brand : sql_brand_uncounted, id, read_brand, out, out);
}

static enum status read_counts(const struct db_row *row, void *ctx)
{
	long *out = ctx;
	for (size_t i = 0; i < row->ncols; i++)
		out[i] = (long)db_int(row, i);
	return ST_OK;
}

enum status catalog_reference_counts(long out[3])
{
	return db_query("SELECT (SELECT COUNT(*) FROM categories), (SELECT COUNT(*) FROM styles),"
	                " (SELECT COUNT(*) FROM grades)",
	                NULL, 0, read_counts, out, NULL);
}

enum status catalog_shop_counts(long out[8])
{
	return db_query(
	    "SELECT (SELECT COUNT(*) FROM brands), (SELECT COUNT(*) FROM products),"
	    " (SELECT COUNT(*) FROM products WHERE status = 'active'), (SELECT COUNT(*) FROM product_variants),"
	    " (SELECT COUNT(*) FROM product_images), (SELECT COUNT(*) FROM products WHERE is_on_sale = 1),"
	    " (SELECT COUNT(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM product_variants v"
	    " WHERE v.product_id = p.id AND v.stock > 0)), (SELECT COUNT(*) FROM product_search)",
	    NULL, 0, read_counts, out, NULL);
}
