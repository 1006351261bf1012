#include "db/products.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"

const char *const product_status_names[] = {"draft", "active", "hidden", NULL};
const char *const variant_status_names[] = {"active", "hidden", NULL};
const char *const measure_names[MEASURE_N] = {
    "shoulder_cm", "chest_cm", "sleeve_cm", "waist_cm", "hip_cm", "thigh_cm", "rise_cm", "hem_cm", "total_length_cm",
};

static struct db_param mm_or_null(int v)
{
	return v > 0 ? DB_INT(v) : DB_NULL;
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

/* ---- writers ---------------------------------------------------------------------------------- */

static const char sql_product_insert[] =
    "INSERT INTO products (brand_id, category_id, style_id, name, description, list_price, sale_price, status,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP() - INTERVAL ? SECOND,"
    " UTC_TIMESTAMP() - INTERVAL ? SECOND)";
static const char sql_gallery_insert[] =
    "INSERT INTO product_images (product_id, position, image_key, width, height, created_at)"
    " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP() - INTERVAL ? SECOND)";
static const char sql_description_insert[] =
    "INSERT INTO product_description_images (product_id, position, image_key, width, height, created_at)"
    " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP() - INTERVAL ? SECOND)";
static const char sql_variant_insert[] =
    "INSERT INTO product_variants (product_id, brand_id, size_label, color, sku, stock, status, sort_order,"
    " shoulder_mm, chest_mm, sleeve_mm, waist_mm, hip_mm, thigh_mm, rise_mm, hem_mm, total_length_mm, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP() - INTERVAL ? SECOND)";

enum status db_product_insert(long long brand_id, const struct product_fields *f, long long *id)
{
	struct db_param p[] = {
	    DB_INT(brand_id),
	    DB_INT(f->category_id),
	    DB_INT(f->style_id),
	    DB_TEXT(f->name),
	    f->description ? DB_TEXT(f->description) : DB_NULL,
	    DB_INT(f->list_price),
	    DB_INT(f->sale_price),
	    DB_TEXT(product_status_names[f->status]),
	    DB_INT(f->created_ago),
	    DB_INT(f->created_ago),
	};
	enum status st = db_query(sql_product_insert, p, sizeof p / sizeof *p, NULL, NULL, NULL);
	if (st == ST_OK && (*id = db_insert_id()) == 0)
		st = ST_ERROR;
	return st;
}

enum status db_product_image_insert(long long product_id, enum product_image_kind kind, int position,
                                    const struct product_image *img, long long created_ago)
{
	struct db_param p[] = {DB_INT(product_id),
	                       DB_INT(position),
	                       DB_TEXT(img->key),
	                       img->width > 0 ? DB_INT(img->width) : DB_NULL,
	                       img->height > 0 ? DB_INT(img->height) : DB_NULL,
	                       DB_INT(created_ago)};
	return db_query(kind == IMAGE_GALLERY ? sql_gallery_insert : sql_description_insert, p, sizeof p / sizeof *p,
	                NULL, NULL, NULL);
}

enum status db_variant_insert(long long product_id, long long brand_id, const struct variant_fields *v, long long *id)
{
	struct db_param p[] = {
	    DB_INT(product_id),
	    DB_INT(brand_id),
	    DB_TEXT(v->size_label),
	    DB_TEXT(v->color ? v->color : ""),
	    DB_TEXT_OR_NULL(v->sku),
	    DB_INT(v->stock),
	    DB_TEXT(variant_status_names[v->hidden ? 1 : 0]),
	    DB_INT(v->sort_order),
	    mm_or_null(v->mm[MEASURE_SHOULDER]),
	    mm_or_null(v->mm[MEASURE_CHEST]),
	    mm_or_null(v->mm[MEASURE_SLEEVE]),
	    mm_or_null(v->mm[MEASURE_WAIST]),
	    mm_or_null(v->mm[MEASURE_HIP]),
	    mm_or_null(v->mm[MEASURE_THIGH]),
	    mm_or_null(v->mm[MEASURE_RISE]),
	    mm_or_null(v->mm[MEASURE_HEM]),
	    mm_or_null(v->mm[MEASURE_LENGTH]),
	    DB_INT(v->created_ago),
	};
	enum status st = db_query(sql_variant_insert, p, sizeof p / sizeof *p, NULL, NULL, NULL);
	if (st == ST_OK && id)
		*id = db_insert_id();
	return st;
}

/* Locks the brand's product row: ST_NOT_FOUND when it is not the brand's. */
static enum status lock_product(long long brand_id, long long id)
{
	long long found = 0;
	struct db_param p[] = {DB_INT(id), DB_INT(brand_id)};
	enum status st = db_query("SELECT id FROM products WHERE id = ? AND brand_id = ? FOR UPDATE", p, 2, read_count,
	                          &found, NULL);
	return st == ST_OK && found == 0 ? ST_NOT_FOUND : st;
}

static enum status insert_images(long long product_id, enum product_image_kind kind, const struct product_image *imgs,
                                 size_t n)
{
	enum status st = ST_OK;
	for (size_t i = 0; i < n && st == ST_OK; i++)
		st = db_product_image_insert(product_id, kind, (int)i, &imgs[i], 0);
	return st;
}

struct product_tx {
	long long brand_id, id, variant_id;
	const struct product_fields *f;
	const struct product_image *gallery, *desc;
	size_t ngallery, ndesc;
	const struct variant_fields *variants;
	size_t nvariants;
	const char *why;
	bool hidden;
};

static enum status create_tx(void *ctx)
{
	struct product_tx *t = ctx;
	enum status st = db_product_insert(t->brand_id, t->f, &t->id);
	if (st == ST_OK)
		st = insert_images(t->id, IMAGE_GALLERY, t->gallery, t->ngallery);
	if (st == ST_OK)
		st = insert_images(t->id, IMAGE_DESCRIPTION, t->desc, t->ndesc);
	for (size_t i = 0; i < t->nvariants && st == ST_OK; i++)
		st = db_variant_insert(t->id, t->brand_id, &t->variants[i], NULL);
	return st;
}

enum status db_product_create(long long brand_id, const struct product_fields *f, const struct product_image *gallery,
                              size_t ngallery, const struct product_image *desc, size_t ndesc,
                              const struct variant_fields *variants, size_t nvariants, long long *id)
{
	struct product_tx t = {.brand_id = brand_id,
	                       .f = f,
	                       .gallery = gallery,
	                       .ngallery = ngallery,
	                       .desc = desc,
	                       .ndesc = ndesc,
	                       .variants = variants,
	                       .nvariants = nvariants};
	enum status st = db_transaction(create_tx, &t, 3);
	if (st == ST_OK)
		*id = t.id;
	return st;
}

static enum status update_tx(void *ctx)
{
	struct product_tx *t = ctx;
	enum status st = lock_product(t->brand_id, t->id);
	if (st != ST_OK)
		return st;
	const struct product_fields *f = t->f;
	struct db_param p[] = {
	    DB_INT(f->category_id),
	    DB_INT(f->style_id),
	    DB_TEXT(f->name),
	    DB_TEXT_OR_NULL(f->description),
	    DB_INT(f->list_price),
	    DB_INT(f->sale_price),
	    DB_TEXT(product_status_names[f->status]),
	    DB_INT(t->id),
	    DB_INT(t->brand_id),
	};
	st = db_query("UPDATE products SET category_id = ?, style_id = ?, name = ?, description = ?, list_price = ?,"
	              " sale_price = ?, status = ? WHERE id = ? AND brand_id = ?",
	              p, sizeof p / sizeof *p, NULL, NULL, NULL);
	struct db_param idp[] = {DB_INT(t->id)};
	if (st == ST_OK && t->gallery) {
		st = db_query("DELETE FROM product_images WHERE product_id = ?", idp, 1, NULL, NULL, NULL);
		if (st == ST_OK)
			st = insert_images(t->id, IMAGE_GALLERY, t->gallery, t->ngallery);
	}
	if (st == ST_OK && t->desc) {
		st = db_query("DELETE FROM product_description_images WHERE product_id = ?", idp, 1, NULL, NULL, NULL);
		if (st == ST_OK)
			st = insert_images(t->id, IMAGE_DESCRIPTION, t->desc, t->ndesc);
	}
	return st;
}

enum status db_product_update(long long brand_id, long long id, const struct product_fields *f,
                              const struct product_image *gallery, size_t ngallery, const struct product_image *desc,
                              size_t ndesc)
{
	struct product_tx t = {.brand_id = brand_id,
	                       .id = id,
	                       .f = f,
	                       .gallery = gallery,
	                       .ngallery = ngallery,
	                       .desc = desc,
	                       .ndesc = ndesc};
	return db_transaction(update_tx, &t, 3);
}

enum status db_product_usage(long long product_id, const char **why)
{
	long long n = 0;
	struct db_param idp[] = {DB_INT(product_id)};
	*why = NULL;
	enum status st =
	    db_query("SELECT EXISTS (SELECT 1 FROM order_lines WHERE product_id = ?)", idp, 1, read_count, &n, NULL);
	if (st == ST_OK && n)
		*why = "ORDERED";
	if (st == ST_OK && !n)
		st = db_query("SELECT EXISTS (SELECT 1 FROM questions WHERE product_id = ?)", idp, 1, read_count, &n,
		              NULL);
	if (st == ST_OK && n && !*why)
		*why = "HAS_QUESTIONS";
	return st;
}

enum status db_product_delete_rows(long long product_id)
{
	struct db_param idp[] = {DB_INT(product_id)};
	/* by the product's sizes (ix_product_variants_product_brand), then each size's movements */
	enum status st =
	    db_query("DELETE m FROM product_variants v STRAIGHT_JOIN stock_movements m ON m.variant_id = v.id"
	             " WHERE v.product_id = ?",
	             idp, 1, NULL, NULL, NULL);
	/* its sizes' cart lines too, rather than by the cascade, which fires no trigger: each cart's
	 * line count follows (schema/018_cart_line_count.sql) */
	if (st == ST_OK)
		st = db_query("DELETE l FROM product_variants v STRAIGHT_JOIN cart_lines l ON l.variant_id = v.id"
		              " WHERE v.product_id = ?",
		              idp, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("DELETE FROM products WHERE id = ?", idp, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("DELETE FROM product_search WHERE product_id = ?", idp, 1, NULL, NULL, NULL);
	return st;
}

static enum status delete_tx(void *ctx)
{
	struct product_tx *t = ctx;
	enum status st = lock_product(t->brand_id, t->id);
	if (st == ST_OK)
		st = db_product_usage(t->id, &t->why);
	if (st == ST_OK && t->why)
		return ST_CONFLICT;
	return st == ST_OK ? db_product_delete_rows(t->id) : st;
}

enum status db_product_delete(long long brand_id, long long id, const char **why)
{
	struct product_tx t = {.brand_id = brand_id, .id = id};
	enum status st = db_transaction(delete_tx, &t, 3);
	*why = t.why;
	return st;
}

static enum status variant_add_tx(void *ctx)
{
	struct product_tx *t = ctx;
	enum status st = lock_product(t->brand_id, t->id);
	return st == ST_OK ? db_variant_insert(t->id, t->brand_id, t->variants, &t->variant_id) : st;
}

enum status db_product_variant_add(long long brand_id, long long product_id, const struct variant_fields *v,
                                   long long *variant_id)
{
	struct product_tx t = {.brand_id = brand_id, .id = product_id, .variants = v};
	enum status st = db_transaction(variant_add_tx, &t, 3);
	if (st == ST_OK)
		*variant_id = t.variant_id;
	return st;
}

enum status db_product_variant_update(long long brand_id, long long product_id, long long variant_id,
                                      const struct variant_fields *v)
{
	long long found = 0;
	struct db_param k[] = {DB_INT(variant_id), DB_INT(product_id), DB_INT(brand_id)};
	enum status st = db_query("SELECT id FROM product_variants WHERE id = ? AND product_id = ? AND brand_id = ?", k,
	                          3, read_count, &found, NULL);
	if (st != ST_OK)
		return st;
	if (!found)
		return ST_NOT_FOUND;
	struct db_param p[] = {
	    DB_TEXT(v->size_label),
	    DB_TEXT(v->color ? v->color : ""),
	    DB_TEXT_OR_NULL(v->sku),
	    DB_INT(v->keep_stock),
	    DB_INT(v->stock),
	    DB_TEXT(variant_status_names[v->hidden ? 1 : 0]),
	    DB_INT(v->sort_order),
	    mm_or_null(v->mm[MEASURE_SHOULDER]),
	    mm_or_null(v->mm[MEASURE_CHEST]),
	    mm_or_null(v->mm[MEASURE_SLEEVE]),
	    mm_or_null(v->mm[MEASURE_WAIST]),
	    mm_or_null(v->mm[MEASURE_HIP]),
	    mm_or_null(v->mm[MEASURE_THIGH]),
	    mm_or_null(v->mm[MEASURE_RISE]),
	    mm_or_null(v->mm[MEASURE_HEM]),
	    mm_or_null(v->mm[MEASURE_LENGTH]),
	    DB_INT(variant_id),
	    DB_INT(brand_id),
	};
	return db_query(
	    "UPDATE product_variants SET size_label = ?, color = ?, sku = ?, stock = IF(?, stock, ?), status = ?,"
	    " sort_order = ?, shoulder_mm = ?, chest_mm = ?, sleeve_mm = ?, waist_mm = ?, hip_mm = ?,"
	    " thigh_mm = ?, rise_mm = ?, hem_mm = ?, total_length_mm = ? WHERE id = ? AND brand_id = ?",
	    p, sizeof p / sizeof *p, NULL, NULL, NULL);
}

enum status db_variant_ordered(long long variant_id, bool *ordered)
{
	long long n = 0;
	struct db_param v[] = {DB_INT(variant_id)};
	enum status st =
	    db_query("SELECT EXISTS (SELECT 1 FROM order_lines WHERE variant_id = ?)", v, 1, read_count, &n, NULL);
	*ordered = n != 0;
	return st;
}

enum status db_variant_remove_rows(long long variant_id, bool ordered)
{
	struct db_param v[] = {DB_INT(variant_id)};
	if (ordered)
		return db_query("UPDATE product_variants SET status = 'hidden' WHERE id = ?", v, 1, NULL, NULL, NULL);
	enum status st = db_query("DELETE FROM stock_movements WHERE variant_id = ?", v, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("DELETE FROM cart_lines WHERE variant_id = ?", v, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("DELETE FROM product_variants WHERE id = ?", v, 1, NULL, NULL, NULL);
	return st;
}

static enum status variant_remove_tx(void *ctx)
{
	struct product_tx *t = ctx;
	long long found = 0;
	struct db_param k[] = {DB_INT(t->variant_id), DB_INT(t->id), DB_INT(t->brand_id)};
	enum status st = db_query("SELECT id FROM product_variants WHERE id = ? AND product_id = ? AND brand_id = ?"
	                          " FOR UPDATE",
	                          k, 3, read_count, &found, NULL);
	if (st != ST_OK)
		return st;
	if (!found)
		return ST_NOT_FOUND;
	st = db_variant_ordered(t->variant_id, &t->hidden);
	return st == ST_OK ? db_variant_remove_rows(t->variant_id, t->hidden) : st;
}

enum status db_product_variant_remove(long long brand_id, long long product_id, long long variant_id, bool *hidden)
{
	struct product_tx t = {.brand_id = brand_id, .id = product_id, .variant_id = variant_id};
	enum status st = db_transaction(variant_remove_tx, &t, 3);
	*hidden = t.hidden;
	return st;
}

/* ---- reads ----------------------------------------------------------------------------------- */

/* The list's columns, in the order read_item reads them: stock and units sold are sums over the
 * product's variants (ix_product_variants_product_brand) and lines (ix_order_lines_product_created;
 * a cancelled or returned line sold nothing). */
#define SELLER_ITEM_FIELDS                                                                                             \
	"SELECT p.id, p.brand_id, p.category_id, p.style_id, p.name, p.list_price, p.sale_price, p.discount_percent,"  \
	" p.status, p.created_at,"                                                                                     \
	" (SELECT COALESCE(SUM(v.stock), 0) FROM product_variants v WHERE v.product_id = p.id),"                       \
	" (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.product_id = p.id"                           \
	" AND l.state NOT IN ('cancelled', 'returned')),"                                                              \
	" (SELECT i.image_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1),"           \
	" EXISTS (SELECT 1 FROM order_lines l2 WHERE l2.product_id = p.id)"

/* Fragments by filter bit, in bit order (parameters are bound in the same order). The brand's
 * products are a range of ix_products_brand_created (brand_id, status, created_at); a name is
 * searched within that range. */
static const char *const sql_seller_filters[] = {
    " AND p.name LIKE ?",
    " AND p.status = ?",
    " AND p.category_id = ?",
};
static char *seller_page_sql[SELLER_PRODUCT_NSHAPES], *seller_count_sql[SELLER_PRODUCT_NSHAPES];

const char *seller_product_sql(unsigned shape, bool count)
{
	if (shape >= SELLER_PRODUCT_NSHAPES)
		return NULL;
	char **slot = count ? &seller_count_sql[shape] : &seller_page_sql[shape];
	if (*slot)
		return *slot;
	struct buf b = BUF_INIT;
	buf_puts(&b, count ? "SELECT COUNT(*) FROM (SELECT 1" : SELLER_ITEM_FIELDS);
	buf_puts(&b, " FROM products p WHERE p.brand_id = ?");
	for (unsigned bit = 0; bit < 3; bit++)
		if (shape & (1u << bit))
			buf_puts(&b, sql_seller_filters[bit]);
	if (count)
		buf_printf(&b, " LIMIT %d) t", DB_LIST_TOTAL_CAP + 1);
	else
		buf_puts(&b, " ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?");
	*slot = b.data; /* kept: its address is the statement's key */
	return *slot;
}

static enum product_status status_of(const char *s)
{
	for (int i = 0; i < PRODUCT_NSTATUSES; i++)
		if (s && strcmp(s, product_status_names[i]) == 0)
			return (enum product_status)i;
	return PRODUCT_DRAFT;
}

struct item_list {
	struct seller_product *items;
	size_t n, cap;
};

static enum status read_item(const struct db_row *row, void *ctx)
{
	struct item_list *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct seller_product *items = realloc(l->items, cap * sizeof *items);
		if (!items)
			return ST_ERROR;
		l->items = items;
		l->cap = cap;
	}
	struct seller_product *p = &l->items[l->n++];
	memset(p, 0, sizeof *p);
	p->id = db_int(row, 0);
	p->brand_id = db_int(row, 1);
	p->category_id = db_int(row, 2);
	p->style_id = db_int(row, 3);
	db_copy(row, 4, p->name, sizeof p->name);
	p->list_price = db_int(row, 5);
	p->sale_price = db_int(row, 6);
	p->discount_percent = (int)db_int(row, 7);
	p->status = status_of(row->cols[8]);
	db_copy(row, 9, p->created_at, sizeof p->created_at);
	p->stock_total = db_int(row, 10);
	p->units_sold = db_int(row, 11);
	db_copy(row, 12, p->image_key, sizeof p->image_key);
	p->ordered = db_int(row, 13) != 0;
	return ST_OK;
}

enum status db_seller_products(const struct seller_product_filter *f, struct seller_product **items, size_t *n,
                               long long *total)
{
	*items = NULL;
	*n = 0;
	*total = 0;
	unsigned shape = 0;
	struct db_param p[6];
	size_t np = 0;
	struct buf like = BUF_INIT;
	p[np++] = DB_INT(f->brand_id);
	if (f->q && *f->q) {
		db_like_pattern(&like, f->q, false);
		shape |= SELLER_PRODUCT_F_QUERY;
		p[np++] = DB_TEXT(buf_str(&like));
	}
	if (f->status >= 0 && f->status < PRODUCT_NSTATUSES) {
		shape |= SELLER_PRODUCT_F_STATUS;
		p[np++] = DB_TEXT(product_status_names[f->status]);
	}
	if (f->category_id > 0) {
		shape |= SELLER_PRODUCT_F_CATEGORY;
		p[np++] = DB_INT(f->category_id);
	}
	enum status st = db_query(seller_product_sql(shape, true), p, np, read_count, total, NULL);
	struct item_list l = {0};
	p[np++] = DB_INT(f->per_page);
	p[np++] = DB_INT((long long)(f->page - 1) * f->per_page);
	if (st == ST_OK)
		st = db_query(seller_product_sql(shape, false), p, np, read_item, &l, NULL);
	buf_free(&like);
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*items = l.items;
	*n = l.n;
	return ST_OK;
}

static enum status read_image(const struct db_row *row, void *ctx)
{
	struct seller_product *p = ctx;
	bool gallery = db_int(row, 0) == 0;
	size_t *n = gallery ? &p->nimages : &p->ndescription_images;
	struct product_image *list = gallery ? p->images : p->description_images;
	if (*n >= PRODUCT_MAX_IMAGES)
		return ST_OK;
	struct product_image *img = &list[(*n)++];
	db_copy(row, 1, img->key, sizeof img->key);
	img->width = (int)db_int(row, 2);
	img->height = (int)db_int(row, 3);
	return ST_OK;
}

static enum status read_variant(const struct db_row *row, void *ctx)
{
	struct seller_product *p = ctx;
	if (p->nvariants >= PRODUCT_MAX_VARIANTS)
		return ST_OK;
	struct product_variant *v = &p->variants[p->nvariants++];
	v->id = db_int(row, 0);
	db_copy(row, 1, v->size_label, sizeof v->size_label);
	db_copy(row, 2, v->color, sizeof v->color);
	db_copy(row, 3, v->sku, sizeof v->sku);
	v->stock = db_int(row, 4);
	v->hidden = row->cols[5] && strcmp(row->cols[5], "hidden") == 0;
	v->sort_order = (int)db_int(row, 6);
	for (int m = 0; m < MEASURE_N; m++)
		v->mm[m] = (int)db_int(row, 7 + (size_t)m);
	v->ordered = db_int(row, 16) != 0;
	return ST_OK;
}

static enum status read_description(const struct db_row *row, void *ctx)
{
	struct seller_product *p = ctx;
	if (!db_is_null(row, 0) && !(p->description = strndup(row->cols[0], row->lens[0])))
		return ST_ERROR;
	return ST_OK;
}

static const char sql_seller_product[] = SELLER_ITEM_FIELDS " FROM products p WHERE p.id = ? AND p.brand_id = ?";

enum status db_seller_product_parts(long long brand_id, long long id, struct seller_product *sp)
{
	struct db_param p[] = {DB_INT(id), DB_INT(brand_id)};
	enum status st = db_query("SELECT description FROM products WHERE id = ? AND brand_id = ?", p, 2,
	                          read_description, sp, NULL);
	if (st == ST_OK)
		st = db_query("SELECT 0, image_key, width, height, position FROM product_images WHERE product_id = ?"
		              " UNION ALL SELECT 1, image_key, width, height, position FROM product_description_images"
		              " WHERE product_id = ? ORDER BY 1, 5",
		              (struct db_param[]){DB_INT(id), DB_INT(id)}, 2, read_image, sp, NULL);
	if (st == ST_OK)
		st = db_query(
		    "SELECT v.id, v.size_label, v.color, COALESCE(v.sku, ''), v.stock, v.status, v.sort_order,"
		    " v.shoulder_mm, v.chest_mm, v.sleeve_mm, v.waist_mm, v.hip_mm, v.thigh_mm, v.rise_mm, v.hem_mm,"
		    " v.total_length_mm, EXISTS (SELECT 1 FROM order_lines l WHERE l.variant_id = v.id)"
		    " FROM product_variants v WHERE v.product_id = ? AND v.brand_id = ? ORDER BY v.sort_order, v.id",
		    p, 2, read_variant, sp, NULL);
	return st;
}

enum status db_seller_product_get(long long brand_id, long long id, struct seller_product **out)
{
	*out = NULL;
	struct item_list l = {0};
	struct db_param p[] = {DB_INT(id), DB_INT(brand_id)};
	enum status st = db_query(sql_seller_product, p, 2, read_item, &l, NULL);
	if (st == ST_OK && l.n == 0)
		st = ST_NOT_FOUND;
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	struct seller_product *sp = l.items;
	st = db_seller_product_parts(brand_id, id, sp);
	if (st != ST_OK) {
		seller_product_free(sp);
		return st;
	}
	*out = sp;
	return ST_OK;
}

void seller_product_free(struct seller_product *p)
{
	if (!p)
		return;
	free(p->description);
	free(p);
}
