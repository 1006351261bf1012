/* The seller console's statements (src/db/seller_console.h). */
#include "db/seller_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "util/buf.h"

#define KST_OFFSET (9 * 3600)

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

/* "YYYY-MM-DD HH:MM:SS" of a UTC time_t, as the DATETIME columns hold it. */
static void utc_datetime(time_t t, char out[20])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---- dashboard -------------------------------------------------------------------------------- */

#define VARIANT_COLUMNS                                                                                                \
	"SELECT v.id, v.product_id, v.stock, p.name, v.size_label, v.color, v.sku, v.status"                           \
	" FROM product_variants v JOIN products p ON p.id = v.product_id"

static void fill_variant(const struct db_row *row, struct stock_variant *v)
{
	v->id = db_int(row, 0);
	v->product_id = db_int(row, 1);
	v->stock = db_int(row, 2);
	db_copy(row, 3, v->product_name, sizeof v->product_name);
	db_copy(row, 4, v->size_label, sizeof v->size_label);
	db_copy(row, 5, v->color, sizeof v->color);
	db_copy(row, 6, v->sku, sizeof v->sku);
	db_copy(row, 7, v->status, sizeof v->status);
}

static enum status read_low(const struct db_row *row, void *ctx)
{
	struct seller_dashboard *d = ctx;
	if (d->nlow < DASHBOARD_LOW_MAX)
		fill_variant(row, &d->low[d->nlow++]);
	return ST_OK;
}

static enum status read_sales(const struct db_row *row, void *ctx)
{
	struct seller_dashboard *d = ctx;
	char day[11];
	db_copy(row, 0, day, sizeof day);
	for (int i = 0; i < DASHBOARD_DAYS; i++) {
		if (strcmp(d->day[i], day) == 0) {
			d->sales[i] = db_int(row, 1);
			d->units[i] = db_int(row, 2);
		}
	}
	return ST_OK;
}

enum status db_seller_dashboard(long long brand_id, long long now, struct seller_dashboard *out)
{
	memset(out, 0, sizeof *out);
	/* today in Korea, as the UTC time its midnight is */
	time_t today = (time_t)(((now + KST_OFFSET) / 86400) * 86400 - KST_OFFSET);
	time_t first = today - (DASHBOARD_DAYS - 1) * 86400;
	for (int i = 0; i < DASHBOARD_DAYS; i++) {
		time_t kst = first + (time_t)i * 86400 + KST_OFFSET;
		struct tm tm;
		gmtime_r(&kst, &tm);
		strftime(out->day[i], sizeof out->day[i], "%Y-%m-%d", &tm);
	}
	char today_at[20], first_at[20];
	utc_datetime(today, today_at);
	utc_datetime(first, first_at);

	struct db_param p[] = {DB_INT(brand_id), DB_TEXT(today_at)};
	enum status st =
	    db_query("SELECT COUNT(DISTINCT order_id) FROM order_lines WHERE brand_id = ? AND created_at >= ?", p, 2,
	             read_count, &out->orders_today, NULL);
	struct db_param b[] = {DB_INT(brand_id)};
	if (st == ST_OK)
		st = db_query("SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id"
		              " WHERE l.brand_id = ? AND l.state IN ('ordered', 'preparing') AND o.paid_at IS NOT NULL",
		              b, 1, read_count, &out->lines_to_ship, NULL);
	if (st == ST_OK)
		st = db_query("SELECT COUNT(*) FROM questions WHERE brand_id = ? AND answered_at IS NULL", b, 1,
		              read_count, &out->open_questions, NULL);
	struct db_param l[] = {DB_INT(brand_id), DB_INT(DASHBOARD_LOW_STOCK), DB_INT(DASHBOARD_LOW_MAX)};
	if (st == ST_OK)
		st = db_query(
		    "SELECT COUNT(*) FROM product_variants WHERE brand_id = ? AND stock <= ? AND status = 'active'", l,
		    2, read_count, &out->low_stock_total, NULL);
	if (st == ST_OK)
		st = db_query(VARIANT_COLUMNS " WHERE v.brand_id = ? AND v.stock <= ? AND v.status = 'active'"
		                              " ORDER BY v.stock, v.id LIMIT ?",
		              l, 3, read_low, out, NULL);
	struct db_param s[] = {DB_INT(brand_id), DB_TEXT(first_at)};
	if (st == ST_OK)
		st = db_query("SELECT DATE_FORMAT(l.created_at + INTERVAL 9 HOUR, '%Y-%m-%d') AS d, SUM(l.line_total),"
		              " SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id"
		              " WHERE l.brand_id = ? AND l.created_at >= ? AND o.paid_at IS NOT NULL"
		              " AND l.state NOT IN ('cancelled', 'returned') GROUP BY d",
		              s, 2, read_sales, out, NULL);
	return st;
}

/* ---- stock ------------------------------------------------------------------------------------ */

struct variant_list {
	struct stock_variant *items;
	size_t n;
};

static enum status read_variant(const struct db_row *row, void *ctx)
{
	struct variant_list *l = ctx;
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	fill_variant(row, &l->items[l->n++]);
	return ST_OK;
}

enum status db_brand_variants(long long brand_id, const char *q, int page, int per_page, struct stock_variant **out,
                              size_t *n, long long *total)
{
	struct variant_list l = {NULL, 0};
	long long offset = (long long)(page - 1) * per_page;
	*out = NULL;
	*n = 0;
	*total = 0;
	enum status st;
	if (q && *q) {
		struct buf like = BUF_INIT;
		db_like_pattern(&like, q, false);
		const char *pattern = buf_str(&like);
		struct db_param p[] = {DB_INT(brand_id), DB_TEXT(pattern), DB_TEXT(pattern), DB_INT(per_page),
		                       DB_INT(offset)};
		struct db_param c[] = {p[0], p[1], p[2], DB_INT(DB_LIST_TOTAL_CAP + 1)};
		st = db_query(
		    "SELECT COUNT(*) FROM (SELECT 1 FROM product_variants v JOIN products p ON p.id = v.product_id"
		    " WHERE v.brand_id = ? AND (p.name LIKE ? OR v.sku LIKE ?) LIMIT ?) t",
		    c, 4, read_count, total, NULL);
		if (st == ST_OK)
			st =
			    db_query(VARIANT_COLUMNS " WHERE v.brand_id = ? AND (p.name LIKE ? OR v.sku LIKE ?)"
			                             " ORDER BY v.product_id DESC, v.sort_order, v.id LIMIT ? OFFSET ?",
			             p, 5, read_variant, &l, NULL);
		buf_free(&like);
	} else {
		struct db_param p[] = {DB_INT(brand_id), DB_INT(per_page), DB_INT(offset)};
		struct db_param c[] = {p[0], DB_INT(DB_LIST_TOTAL_CAP + 1)};
		st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM product_variants WHERE brand_id = ? LIMIT ?) t", c,
		              2, read_count, total, NULL);
		if (st == ST_OK)
			st =
			    db_query(VARIANT_COLUMNS " WHERE v.brand_id = ?"
			                             " ORDER BY v.product_id DESC, v.sort_order, v.id LIMIT ? OFFSET ?",
			             p, 3, read_variant, &l, NULL);
	}
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

enum status db_brand_variant(long long brand_id, long long variant_id, struct stock_variant *out)
{
	struct variant_list l = {NULL, 0};
	struct db_param p[] = {DB_INT(variant_id), DB_INT(brand_id)};
	enum status st = db_query(VARIANT_COLUMNS " WHERE v.id = ? AND v.brand_id = ?", p, 2, read_variant, &l, NULL);
	if (st == ST_OK && l.n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		*out = l.items[0];
	free(l.items);
	return st;
}

struct adjust_ctx {
	long long brand_id, seller_id;
	const char *seller_name;
	struct stock_adjustment *adj;
	size_t n;
};

static enum status adjust_one(struct adjust_ctx *c, struct stock_adjustment *a, bool *failed)
{
	long long id = a->variant_id;
	enum status st = ST_OK;
	if (!id) {
		struct db_param p[] = {DB_INT(c->brand_id), DB_TEXT(a->sku ? a->sku : "")};
		st = db_query("SELECT id FROM product_variants WHERE brand_id = ? AND sku = ?", p, 2, read_count, &id,
		              NULL);
		if (st != ST_OK)
			return st;
		if (!id) {
			a->error = "not_found";
			*failed = true;
			return ST_OK;
		}
	}
	/* the change is relative: a sale made meanwhile is never overwritten */
	struct db_param u[] = {DB_INT(a->delta), DB_INT(id), DB_INT(c->brand_id), DB_INT(a->delta)};
	unsigned long long changed = 0;
	st = db_query("UPDATE product_variants SET stock = stock + ? WHERE id = ? AND brand_id = ? AND stock + ? >= 0",
	              u, 4, NULL, NULL, &changed);
	if (st != ST_OK)
		return st;
	if (changed == 0) {
		long long found = -1;
		struct db_param f[] = {DB_INT(id), DB_INT(c->brand_id)};
		st = db_query("SELECT stock FROM product_variants WHERE id = ? AND brand_id = ?", f, 2, read_count,
		              &found, NULL);
		if (st != ST_OK)
			return st;
		a->error = found < 0 ? "not_found" : "below_zero";
		a->stock = found < 0 ? 0 : found;
		*failed = true;
		return ST_OK;
	}
	a->variant_id = id;
	struct db_param m[] = {DB_INT(a->delta), DB_INT(c->seller_id), DB_TEXT(c->seller_name), DB_TEXT(a->reason),
	                       DB_INT(id)};
	st = db_query(
	    "INSERT INTO stock_movements (variant_id, delta, stock_after, reason, seller_id, seller_name, note)"
	    " SELECT id, ?, stock, 'seller_adjustment', ?, ?, ? FROM product_variants WHERE id = ?",
	    m, 5, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("SELECT stock FROM product_variants WHERE id = ?", &m[4], 1, read_count, &a->stock, NULL);
	return st;
}

static enum status adjust_all(void *ctx)
{
	struct adjust_ctx *c = ctx;
	bool failed = false;
	for (size_t i = 0; i < c->n; i++) { /* a retried transaction starts over */
		c->adj[i].error = NULL;
		c->adj[i].stock = 0;
	}
	for (size_t i = 0; i < c->n; i++) {
		enum status st = adjust_one(c, &c->adj[i], &failed);
		if (st != ST_OK)
			return st;
	}
	return failed ? ST_INVALID : ST_OK; /* any failure rolls every row back */
}

enum status db_stock_adjust(long long brand_id, long long seller_id, const char *seller_name,
                            struct stock_adjustment *adj, size_t n)
{
	struct adjust_ctx c = {brand_id, seller_id, seller_name, adj, n};
	return db_transaction(adjust_all, &c, 5);
}

struct movement_list {
	struct stock_movement *items;
	size_t n;
};

static enum status read_movement(const struct db_row *row, void *ctx)
{
	struct movement_list *l = ctx;
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	struct stock_movement *m = &l->items[l->n++];
	m->id = db_int(row, 0);
	m->delta = db_int(row, 1);
	m->stock_after = db_int(row, 2);
	m->order_line_id = db_int(row, 3);
	db_copy(row, 4, m->reason, sizeof m->reason);
	db_copy(row, 5, m->note, sizeof m->note);
	db_copy(row, 6, m->seller_name, sizeof m->seller_name);
	db_copy(row, 7, m->created_at, sizeof m->created_at);
	return ST_OK;
}

enum status db_stock_history(long long brand_id, long long variant_id, int page, int per_page,
                             struct stock_movement **out, size_t *n, long long *total)
{
	struct movement_list l = {NULL, 0};
	*out = NULL;
	*n = 0;
	*total = 0;
	struct db_param p[] = {DB_INT(variant_id), DB_INT(brand_id), DB_INT(per_page),
	                       DB_INT((long long)(page - 1) * per_page)};
	struct db_param c[] = {p[0], p[1], DB_INT(DB_LIST_TOTAL_CAP + 1)};
	enum status st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM stock_movements m JOIN product_variants v"
	                          " ON v.id = m.variant_id WHERE m.variant_id = ? AND v.brand_id = ? LIMIT ?) t",
	                          c, 3, read_count, total, NULL);
	if (st == ST_OK)
		st = db_query(
		    "SELECT m.id, m.delta, m.stock_after, m.order_line_id, m.reason, m.note,"
		    " COALESCE(m.seller_name, s.name), m.created_at FROM stock_movements m"
		    " JOIN product_variants v ON v.id = m.variant_id LEFT JOIN sellers s ON s.id = m.seller_id"
		    " WHERE m.variant_id = ? AND v.brand_id = ? ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?",
		    p, 4, read_movement, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

/* ---- branches --------------------------------------------------------------------------------- */

struct branch_list {
	struct branch *items;
	size_t n;
};

static enum status read_branch(const struct db_row *row, void *ctx)
{
	struct branch_list *l = ctx;
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	struct branch *b = &l->items[l->n++];
	b->id = db_int(row, 0);
	db_copy(row, 1, b->name, sizeof b->name);
	db_copy(row, 2, b->postal_code, sizeof b->postal_code);
	db_copy(row, 3, b->address, sizeof b->address);
	db_copy(row, 4, b->phone, sizeof b->phone);
	db_copy(row, 5, b->created_at, sizeof b->created_at);
	return ST_OK;
}

enum status db_branches(long long brand_id, struct branch **out, size_t *n)
{
	struct branch_list l = {NULL, 0};
	struct db_param p[] = {DB_INT(brand_id), DB_INT(BRANCHES_MAX)};
	enum status st = db_query("SELECT id, name, postal_code, address, phone, created_at FROM branches"
	                          " WHERE brand_id = ? ORDER BY name LIMIT ?",
	                          p, 2, read_branch, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		l.items = NULL;
		l.n = 0;
	}
	*out = l.items;
	*n = l.n;
	return st;
}

enum status db_branch_get(long long brand_id, long long id, struct branch *out)
{
	struct branch_list l = {NULL, 0};
	struct db_param p[] = {DB_INT(id), DB_INT(brand_id)};
	enum status st = db_query("SELECT id, name, postal_code, address, phone, created_at FROM branches"
	                          " WHERE id = ? AND brand_id = ?",
	                          p, 2, read_branch, &l, NULL);
	if (st == ST_OK && l.n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		*out = l.items[0];
	free(l.items);
	return st;
}

enum status db_branch_save(long long brand_id, long long *id, const char *name, const char *postal_code,
                           const char *address, const char *phone)
{
	if (*id == 0) {
		struct db_param p[] = {DB_INT(brand_id), DB_TEXT(name), DB_TEXT_OR_NULL(postal_code), DB_TEXT(address),
		                       DB_TEXT_OR_NULL(phone)};
		enum status st = db_query("INSERT INTO branches (brand_id, name, postal_code, address, phone)"
		                          " VALUES (?, ?, ?, ?, ?)",
		                          p, 5, NULL, NULL, NULL);
		if (st == ST_OK)
			*id = db_insert_id();
		return st;
	}
	struct db_param p[] = {DB_TEXT(name),    DB_TEXT_OR_NULL(postal_code),
	                       DB_TEXT(address), DB_TEXT_OR_NULL(phone),
	                       DB_INT(*id),      DB_INT(brand_id)};
	long long found = 0;
	struct db_param f[] = {DB_INT(*id), DB_INT(brand_id)};
	enum status st =
	    db_query("SELECT id FROM branches WHERE id = ? AND brand_id = ?", f, 2, read_count, &found, NULL);
	if (st == ST_OK && !found)
		return ST_NOT_FOUND;
	if (st == ST_OK)
		st = db_query("UPDATE branches SET name = ?, postal_code = ?, address = ?, phone = ?"
		              " WHERE id = ? AND brand_id = ?",
		              p, 6, NULL, NULL, NULL);
	return st;
}

enum status db_branch_delete(long long brand_id, long long id)
{
	struct db_param p[] = {DB_INT(id), DB_INT(brand_id)};
	unsigned long long changed = 0;
	enum status st = db_query("DELETE FROM branches WHERE id = ? AND brand_id = ?", p, 2, NULL, NULL, &changed);
	return st == ST_OK && changed == 0 ? ST_NOT_FOUND : st;
}
