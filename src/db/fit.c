#include "db/fit.h"

#include <string.h>

#include "db/db.h"
#include "util/buf.h"

/* The measurement columns in the order of SIZE_NMEASURES. */
#define MEASURE_COLUMNS                                                                                                \
	"v.total_length_mm, v.shoulder_mm, v.chest_mm, v.sleeve_mm, v.waist_mm, v.hip_mm, v.thigh_mm, v.rise_mm,"      \
	" v.hem_mm"

static void read_measures(const struct db_row *row, size_t first, struct size_measures *m)
{
	for (size_t i = 0; i < SIZE_NMEASURES; i++)
		m->mm[i] = db_is_null(row, first + i) ? 0 : (int)db_int(row, first + i);
}

struct size_list {
	struct fit_size *items;
	size_t n, max;
	long long category_id;
	bool found;
};

static enum status read_size(const struct db_row *row, void *ctx)
{
	struct size_list *l = ctx;
	l->found = true;
	l->category_id = db_int(row, 3);
	if (db_is_null(row, 0) || l->n == l->max) /* a product without active sizes; or enough */
		return ST_OK;
	struct fit_size *s = &l->items[l->n++];
	memset(s, 0, sizeof *s);
	s->variant_id = db_int(row, 0);
	db_copy(row, 1, s->label, sizeof s->label);
	db_copy(row, 2, s->color, sizeof s->color);
	read_measures(row, 4, &s->option.m);
	return ST_OK;
}

enum status db_fit_sizes(long long product_id, long long *category_id, struct fit_size *out, size_t max, size_t *n)
{
	struct size_list l = {out, 0, max, 0, false};
	struct db_param p = DB_INT(product_id);
	enum status st = db_query("SELECT v.id, v.size_label, v.color, p.category_id, " MEASURE_COLUMNS
	                          " FROM products p JOIN brands b ON b.id = p.brand_id"
	                          " LEFT JOIN product_variants v ON v.product_id = p.id AND v.status = 'active'"
	                          " WHERE p.id = ? AND p.status = 'active' AND b.status = 'active'"
	                          " ORDER BY v.sort_order, v.id",
	                          &p, 1, read_size, &l, NULL);
	*n = l.n;
	*category_id = l.category_id;
	return st == ST_OK && !l.found ? ST_NOT_FOUND : st;
}

struct kept_list {
	struct fit_kept *items;
	size_t n, max;
};

static enum status read_kept(const struct db_row *row, void *ctx)
{
	struct kept_list *l = ctx;
	if (l->n == l->max)
		return ST_OK;
	struct fit_kept *k = &l->items[l->n++];
	memset(k, 0, sizeof *k);
	db_copy(row, 0, k->label, sizeof k->label);
	db_copy(row, 1, k->brand, sizeof k->brand);
	db_copy(row, 2, k->product, sizeof k->product);
	read_measures(row, 3, &k->m);
	return ST_OK;
}

/* The shopper's kept sizes in the category (schema/022: one range of
 * ix_kept_sizes_user_category_confirmed, in order), their lines, and the sizes as they are
 * measured now. */
enum status db_fit_kept(long long user_id, long long category_id, struct fit_kept *out, size_t max, size_t *n)
{
	struct kept_list l = {out, 0, max};
	struct db_param p[] = {DB_INT(user_id), DB_INT(category_id), DB_INT((long long)max)};
	enum status st = db_query("SELECT ol.size_label, ol.brand_name, ol.product_name, " MEASURE_COLUMNS
	                          " FROM kept_sizes k JOIN order_lines ol ON ol.id = k.order_line_id"
	                          " JOIN product_variants v ON v.id = ol.variant_id"
	                          " WHERE k.user_id = ? AND k.category_id = ?"
	                          " ORDER BY k.confirmed_at DESC, k.order_line_id DESC LIMIT ?",
	                          p, 3, read_kept, &l, NULL);
	*n = l.n;
	return st;
}

/* ---- the kept sizes, kept per process ------------------------------------------------------------ */

/* A shopper's kept sizes in a category, remembered per process in slots by shopper and category
 * (another pair of the slot replaces one); each slot's sizes are allocated when first used. */
#define KEPT_SLOTS 64

struct kept_slot {
	long long user_id, category_id; /* user 0: empty */
	unsigned long long version;
	struct fit_kept *items; /* FIT_MAX_KEPT */
	size_t n;
};

static struct kept_slot kept_slots[KEPT_SLOTS];

enum status db_fit_kept_at(long long user_id, unsigned long long version, long long category_id, struct fit_kept *out,
                           size_t max, size_t *n)
{
	struct kept_slot *k =
	    &kept_slots[((unsigned long long)user_id * 31 + (unsigned long long)category_id) % KEPT_SLOTS];
	if (k->user_id != user_id || k->category_id != category_id || k->version != version) {
		if (!k->items)
			k->items = xmalloc(FIT_MAX_KEPT * sizeof *k->items);
		k->user_id = 0;
		enum status st = db_fit_kept(user_id, category_id, k->items, FIT_MAX_KEPT, &k->n);
		if (st != ST_OK)
			return st;
		k->user_id = user_id;
		k->category_id = category_id;
		k->version = version;
	}
	*n = k->n < max ? k->n : max;
	memcpy(out, k->items, *n * sizeof *out);
	return ST_OK;
}

struct peer_counts {
	struct fit_size *sizes;
	size_t n;
	long long variant, user; /* the row before, to count each buyer once per size */
};

/* A kept line (size, buyer), in that order: a buyer who kept a size twice comes twice in a row. */
static enum status read_peers(const struct db_row *row, void *ctx)
{
	struct peer_counts *c = ctx;
	long long variant = db_int(row, 0), user = db_int(row, 1);
	if (variant == c->variant && user == c->user)
		return ST_OK;
	c->variant = variant;
	c->user = user;
	for (size_t i = 0; i < c->n; i++)
		if (c->sizes[i].variant_id == variant)
			c->sizes[i].option.peers_kept++;
	return ST_OK;
}

/* The product's kept lines (kept_sizes: its confirmed lines, ix_kept_sizes_product) of buyers like
 * the shopper, then their lines for the size. The kept rows come first (STRAIGHT_JOIN), so only
 * confirmed lines are read: from the product's lines, every line of every state was read to find
 * them. The buyers are counted here, from rows in order: COUNT(DISTINCT) and GROUP BY made MariaDB
 * a temporary table on every execution, rows or not (226 against 158 µs for none at 1M). */
enum status db_fit_peers(long long product_id, long long user_id, const struct fit_shopper *s, struct fit_size *sizes,
                         size_t n)
{
	struct peer_counts c = {sizes, n, 0, 0};
	for (size_t i = 0; i < n; i++)
		sizes[i].option.peers_kept = 0;
	struct db_param p[] = {DB_INT(product_id),
	                       DB_INT(s->upper),
	                       DB_INT(s->lower),
	                       DB_INT(s->height_cm - FIT_SIMILAR_HEIGHT_CM),
	                       DB_INT(s->height_cm + FIT_SIMILAR_HEIGHT_CM),
	                       DB_INT(s->weight_kg - FIT_SIMILAR_WEIGHT_KG),
	                       DB_INT(s->weight_kg + FIT_SIMILAR_WEIGHT_KG),
	                       DB_INT(user_id)};
	return db_query("SELECT STRAIGHT_JOIN ol.variant_id, k.user_id"
	                " FROM kept_sizes k FORCE INDEX (ix_kept_sizes_product) JOIN users u ON u.id = k.user_id"
	                " JOIN order_lines ol ON ol.id = k.order_line_id"
	                " WHERE k.product_id = ? AND u.upper_body_type = ? AND u.lower_body_type = ?"
	                " AND u.height_cm BETWEEN ? AND ? AND u.weight_kg BETWEEN ? AND ? AND u.id <> ?"
	                " ORDER BY ol.variant_id, k.user_id",
	                p, 8, read_peers, &c, NULL);
}
