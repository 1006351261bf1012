#include "db/carts.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"

/* ---- the cart itself ------------------------------------------------------------------------ */

static enum status read_id(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

static struct db_param owner_param(const struct cart_owner *o)
{
	return o->user_id ? DB_INT(o->user_id) : DB_BYTES(o->guest_hash, 32);
}

enum status db_cart_find(const struct cart_owner *owner, long long *cart_id)
{
	struct db_param p = owner_param(owner);
	*cart_id = 0;
	enum status st = db_query(owner->user_id ? "SELECT id FROM carts WHERE user_id = ?"
	                                         : "SELECT id FROM carts WHERE guest_token_hash = ?",
	                          &p, 1, read_id, cart_id, NULL);
	return st == ST_OK && !*cart_id ? ST_NOT_FOUND : st;
}

/* LAST_INSERT_ID(id) makes the insert id the existing cart's when there is one; the touch keeps a
 * guest cart in use from being purged. */
enum status db_cart_ensure(const struct cart_owner *owner, long long *cart_id)
{
	struct db_param p = owner_param(owner);
	enum status st = db_query(owner->user_id ? "INSERT INTO carts (user_id) VALUES (?)"
	                                           " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id),"
	                                           " updated_at = UTC_TIMESTAMP()"
	                                         : "INSERT INTO carts (guest_token_hash) VALUES (?)"
	                                           " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id),"
	                                           " updated_at = UTC_TIMESTAMP()",
	                          &p, 1, NULL, NULL, NULL);
	*cart_id = st == ST_OK ? db_insert_id() : 0;
	return st == ST_OK && !*cart_id ? ST_ERROR : st;
}

enum status db_cart_count(const struct cart_owner *owner, long long *count)
{
	struct db_param p = owner_param(owner);
	*count = 0;
	return db_query(owner->user_id ? "SELECT line_count FROM carts WHERE user_id = ?"
	                               : "SELECT line_count FROM carts WHERE guest_token_hash = ?",
	                &p, 1, read_id, count, NULL);
}

/* ---- reading the lines ---------------------------------------------------------------------- */

/* Every line with today's price and stock, whether it can be bought, its coupon and whether that
 * can be used now, and the brand's shipping terms: uq_cart_lines_cart_variant, then primary keys. */
static const char sql_read[] =
    "SELECT l.id, l.variant_id, p.id, p.brand_id, p.category_id, p.name, b.name, v.size_label, v.color,"
    " (SELECT i.image_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1),"
    " p.list_price, p.sale_price, l.quantity, v.stock,"
    " v.status = 'active' AND p.status = 'active' AND b.status = 'active',"
    " c.id, c.discount_percent, c.discount_amount, c.min_line_amount, c.category_id, c.name,"
    " c.state = 'available' AND c.valid_from <= UTC_TIMESTAMP() AND c.valid_until > UTC_TIMESTAMP(),"
    " b.shipping_fee, COALESCE(b.free_shipping_threshold, -1), b.return_shipping_cost"
    " FROM cart_lines l"
    " JOIN product_variants v ON v.id = l.variant_id"
    " JOIN products p ON p.id = v.product_id"
    " JOIN brands b ON b.id = p.brand_id"
    " LEFT JOIN coupons c ON c.id = l.coupon_id"
    " WHERE l.cart_id = ? ORDER BY l.id";

static enum status read_line(const struct db_row *row, void *ctx)
{
	struct cart *c = ctx;
	c->lines = xgrow(c->lines, c->nlines, sizeof *c->lines);
	struct cart_line *l = &c->lines[c->nlines++];
	memset(l, 0, sizeof *l);
	l->id = db_int(row, 0);
	l->variant_id = db_int(row, 1);
	l->product_id = db_int(row, 2);
	l->brand_id = db_int(row, 3);
	l->category_id = db_int(row, 4);
	db_copy(row, 5, l->product_name, sizeof l->product_name);
	db_copy(row, 6, l->brand_name, sizeof l->brand_name);
	db_copy(row, 7, l->size_label, sizeof l->size_label);
	db_copy(row, 8, l->color, sizeof l->color);
	db_copy(row, 9, l->image_key, sizeof l->image_key);
	l->list_price = db_int(row, 10);
	l->unit_price = db_int(row, 11);
	l->quantity = db_int(row, 12);
	l->stock = db_int(row, 13);
	l->available = db_int(row, 14) != 0;
	l->coupon.id = db_int(row, 15);
	l->coupon.percent = (int)db_int(row, 16);
	l->coupon.amount = db_int(row, 17);
	l->coupon.min_line_amount = db_int(row, 18);
	l->coupon.category_id = db_int(row, 19);
	db_copy(row, 20, l->coupon_name, sizeof l->coupon_name);
	l->coupon_usable = db_int(row, 21) != 0;
	l->shipping_fee = db_int(row, 22);
	l->free_threshold = db_int(row, 23);
	l->return_cost = db_int(row, 24);
	return ST_OK;
}

enum status db_cart_read(long long cart_id, struct cart *out)
{
	memset(out, 0, sizeof *out);
	out->id = cart_id;
	struct db_param p = DB_INT(cart_id);
	enum status st = db_query(sql_read, &p, 1, read_line, out, NULL);
	if (st != ST_OK)
		cart_free(out);
	return st;
}

void cart_free(struct cart *c)
{
	free(c->lines);
	c->lines = NULL;
	c->nlines = 0;
}

/* ---- changing the lines --------------------------------------------------------------------- */

/* A variant that can be bought (it, its product and its brand active): its product and stock,
 * and how many the cart already holds. */
struct variant_check {
	bool found;
	long long product_id, stock, in_cart, lines;
};

static enum status read_variant_check(const struct db_row *row, void *ctx)
{
	struct variant_check *v = ctx;
	v->found = true;
	v->product_id = db_int(row, 0);
	v->stock = db_int(row, 1);
	v->in_cart = db_int(row, 2);
	v->lines = db_int(row, 3);
	return ST_OK;
}

static enum status check_variant(long long cart_id, long long variant_id, struct variant_check *out)
{
	struct db_param p[] = {DB_INT(cart_id), DB_INT(cart_id), DB_INT(variant_id)};
	memset(out, 0, sizeof *out);
	enum status st = db_query(
	    "SELECT v.product_id, v.stock,"
	    " COALESCE((SELECT quantity FROM cart_lines WHERE cart_id = ? AND variant_id = v.id), 0),"
	    " (SELECT COUNT(*) FROM cart_lines WHERE cart_id = ?)"
	    " FROM product_variants v JOIN products p ON p.id = v.product_id JOIN brands b ON b.id = p.brand_id"
	    " WHERE v.id = ? AND v.status = 'active' AND p.status = 'active' AND b.status = 'active'",
	    p, 3, read_variant_check, out, NULL);
	return st == ST_OK && !out->found ? ST_NOT_FOUND : st;
}

enum status db_cart_add(long long cart_id, long long product_id, long long variant_id, long long quantity,
                        struct cart_add_result *out)
{
	struct variant_check v;
	enum status st = check_variant(cart_id, variant_id, &v);
	*out = (struct cart_add_result){0, v.stock, false};
	if (st == ST_OK && product_id && v.product_id != product_id)
		st = ST_NOT_FOUND;
	if (st != ST_OK)
		return st;
	long long want = v.in_cart + quantity;
	if (want > MONEY_MAX_QUANTITY)
		want = MONEY_MAX_QUANTITY;
	if (want > v.stock)
		return ST_CONFLICT;
	if (v.in_cart == 0 && v.lines >= MONEY_MAX_LINES) {
		out->cart_full = true;
		return ST_CONFLICT;
	}
	struct db_param p[] = {DB_INT(cart_id), DB_INT(variant_id), DB_INT(want)};
	st = db_query("INSERT INTO cart_lines (cart_id, variant_id, quantity) VALUES (?, ?, ?)"
	              " ON DUPLICATE KEY UPDATE quantity = VALUES(quantity), id = LAST_INSERT_ID(id)",
	              p, 3, NULL, NULL, NULL);
	out->line_id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

struct line_check {
	long long variant_id, product_id, quantity;
};

static enum status read_line_check(const struct db_row *row, void *ctx)
{
	struct line_check *l = ctx;
	l->variant_id = db_int(row, 0);
	l->product_id = db_int(row, 1);
	l->quantity = db_int(row, 2);
	return ST_OK;
}

/* The line's variant and product when the line is in the cart; ST_NOT_FOUND otherwise. */
static enum status find_line(long long cart_id, long long line_id, struct line_check *out)
{
	struct db_param p[] = {DB_INT(line_id), DB_INT(cart_id)};
	memset(out, 0, sizeof *out);
	enum status st = db_query("SELECT l.variant_id, v.product_id, l.quantity FROM cart_lines l"
	                          " JOIN product_variants v ON v.id = l.variant_id WHERE l.id = ? AND l.cart_id = ?",
	                          p, 2, read_line_check, out, NULL);
	return st == ST_OK && !out->variant_id ? ST_NOT_FOUND : st;
}

struct update_args {
	long long cart_id, line_id, variant_id, quantity;
	long long line_out, stock;
};

static enum status update_tx(void *ctx)
{
	struct update_args *a = ctx;
	struct line_check line;
	enum status st = find_line(a->cart_id, a->line_id, &line);
	if (st != ST_OK)
		return st;
	long long variant = a->variant_id ? a->variant_id : line.variant_id;
	if (!a->quantity)
		a->quantity = line.quantity;
	struct variant_check v;
	st = check_variant(a->cart_id, variant, &v);
	a->stock = v.stock;
	if (st != ST_OK)
		return st;
	if (v.product_id != line.product_id)
		return ST_NOT_FOUND;
	/* Moving to a size the cart holds already: that line takes this one's quantity too. */
	bool merge = variant != line.variant_id && v.in_cart > 0;
	long long want = merge ? v.in_cart + a->quantity : a->quantity;
	if (want > MONEY_MAX_QUANTITY)
		want = MONEY_MAX_QUANTITY;
	if (want > v.stock)
		return ST_CONFLICT;
	a->line_out = a->line_id;
	if (merge) {
		struct db_param d[] = {DB_INT(a->line_id), DB_INT(a->cart_id)};
		st = db_query("DELETE FROM cart_lines WHERE id = ? AND cart_id = ?", d, 2, NULL, NULL, NULL);
		struct db_param u[] = {DB_INT(want), DB_INT(a->cart_id), DB_INT(variant)};
		if (st == ST_OK)
			st = db_query("UPDATE cart_lines SET quantity = ? WHERE cart_id = ? AND variant_id = ?", u, 3,
			              NULL, NULL, NULL);
		struct db_param f[] = {DB_INT(a->cart_id), DB_INT(variant)};
		if (st == ST_OK)
			st = db_query("SELECT id FROM cart_lines WHERE cart_id = ? AND variant_id = ?", f, 2, read_id,
			              &a->line_out, NULL);
		return st;
	}
	struct db_param u[] = {DB_INT(variant), DB_INT(a->quantity), DB_INT(a->line_id), DB_INT(a->cart_id)};
	return db_query("UPDATE cart_lines SET variant_id = ?, quantity = ? WHERE id = ? AND cart_id = ?", u, 4, NULL,
	                NULL, NULL);
}

enum status db_cart_update(long long cart_id, long long line_id, long long variant_id, long long quantity,
                           long long *line_id_out, long long *stock)
{
	struct update_args a = {cart_id, line_id, variant_id, quantity, 0, 0};
	enum status st = db_transaction(update_tx, &a, 3);
	*line_id_out = a.line_out;
	*stock = a.stock;
	return st;
}

struct coupon_args {
	long long cart_id, line_id, user_id, coupon_id;
};

static enum status read_usable(const struct db_row *row, void *ctx)
{
	*(int *)ctx = db_int(row, 0) ? 1 : 0;
	return ST_OK;
}

static enum status set_coupon_tx(void *ctx)
{
	struct coupon_args *a = ctx;
	struct line_check line;
	enum status st = find_line(a->cart_id, a->line_id, &line);
	if (st != ST_OK)
		return st;
	if (!a->coupon_id) {
		struct db_param p[] = {DB_INT(a->line_id), DB_INT(a->cart_id)};
		return db_query("UPDATE cart_lines SET coupon_id = NULL WHERE id = ? AND cart_id = ?", p, 2, NULL, NULL,
		                NULL);
	}
	int usable = -1;
	struct db_param c[] = {DB_INT(a->coupon_id), DB_INT(a->user_id)};
	st = db_query("SELECT state = 'available' AND valid_from <= UTC_TIMESTAMP() AND valid_until > UTC_TIMESTAMP()"
	              " FROM coupons WHERE id = ? AND user_id = ?",
	              c, 2, read_usable, &usable, NULL);
	if (st != ST_OK)
		return st;
	if (usable < 0)
		return ST_NOT_FOUND;
	if (!usable)
		return ST_CONFLICT;
	struct db_param m[] = {DB_INT(a->coupon_id)};
	st = db_query("UPDATE cart_lines SET coupon_id = NULL WHERE coupon_id = ?", m, 1, NULL, NULL, NULL);
	struct db_param s[] = {DB_INT(a->coupon_id), DB_INT(a->line_id), DB_INT(a->cart_id)};
	if (st == ST_OK)
		st = db_query("UPDATE cart_lines SET coupon_id = ? WHERE id = ? AND cart_id = ?", s, 3, NULL, NULL,
		              NULL);
	return st;
}

enum status db_cart_set_coupon(long long cart_id, long long line_id, long long user_id, long long coupon_id)
{
	struct coupon_args a = {cart_id, line_id, user_id, coupon_id};
	return db_transaction(set_coupon_tx, &a, 3);
}

enum status db_cart_remove(long long cart_id, long long line_id)
{
	struct db_param p[] = {DB_INT(line_id), DB_INT(cart_id)};
	unsigned long long n = 0;
	enum status st = db_query("DELETE FROM cart_lines WHERE id = ? AND cart_id = ?", p, 2, NULL, NULL, &n);
	return st == ST_OK && n == 0 ? ST_NOT_FOUND : st;
}

enum status db_cart_clear(long long cart_id)
{
	struct db_param p = DB_INT(cart_id);
	return db_query("DELETE FROM cart_lines WHERE cart_id = ?", &p, 1, NULL, NULL, NULL);
}

struct merge_args {
	const unsigned char *guest_hash;
	long long user_id;
};

/* The guest's sizes the user's cart holds add their quantities (to MONEY_MAX_QUANTITY); the others
 * join it, oldest first, while it has room for them (MONEY_MAX_LINES); the guest cart goes. */
static enum status merge_tx(void *ctx)
{
	struct merge_args *a = ctx;
	struct cart_owner guest = {0, a->guest_hash}, user = {a->user_id, NULL};
	long long guest_id = 0, user_cart = 0, lines = 0;
	enum status st = db_cart_find(&guest, &guest_id);
	if (st == ST_NOT_FOUND)
		return ST_OK;
	if (st == ST_OK)
		st = db_cart_ensure(&user, &user_cart);
	struct db_param u[] = {DB_INT(guest_id), DB_INT(MONEY_MAX_QUANTITY), DB_INT(user_cart)};
	if (st == ST_OK)
		st = db_query("UPDATE cart_lines c JOIN cart_lines g ON g.variant_id = c.variant_id AND g.cart_id = ?"
		              " SET c.quantity = LEAST(c.quantity + g.quantity, ?) WHERE c.cart_id = ?",
		              u, 3, NULL, NULL, NULL);
	struct db_param c = DB_INT(user_cart);
	if (st == ST_OK)
		st = db_query("SELECT COUNT(*) FROM cart_lines WHERE cart_id = ?", &c, 1, read_id, &lines, NULL);
	long long room = MONEY_MAX_LINES - lines;
	struct db_param p[] = {DB_INT(user_cart), DB_INT(guest_id), DB_INT(user_cart), DB_INT(room > 0 ? room : 0)};
	if (st == ST_OK && room > 0)
		st = db_query("INSERT INTO cart_lines (cart_id, variant_id, quantity)"
		              " SELECT ?, g.variant_id, g.quantity FROM cart_lines g WHERE g.cart_id = ?"
		              " AND g.variant_id NOT IN (SELECT variant_id FROM cart_lines WHERE cart_id = ?)"
		              " ORDER BY g.id LIMIT ?",
		              p, 4, NULL, NULL, NULL);
	struct db_param d = DB_INT(guest_id);
	if (st == ST_OK)
		st = db_query("DELETE FROM carts WHERE id = ?", &d, 1, NULL, NULL, NULL);
	return st;
}

enum status db_cart_merge(const unsigned char guest_hash[32], long long user_id)
{
	struct merge_args a = {guest_hash, user_id};
	return db_transaction(merge_tx, &a, 3);
}

enum status db_cart_purge_guests(long max_age_seconds, unsigned long long *removed)
{
	struct db_param p = DB_INT(max_age_seconds);
	*removed = 0;
	return db_query("DELETE FROM carts WHERE user_id IS NULL AND updated_at < UTC_TIMESTAMP() - INTERVAL ? SECOND",
	                &p, 1, NULL, NULL, removed);
}

struct size_list {
	struct cart_size *items;
	size_t n;
};

static enum status read_size(const struct db_row *row, void *ctx)
{
	struct size_list *l = ctx;
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	struct cart_size *s = &l->items[l->n++];
	s->product_id = db_int(row, 0);
	s->variant_id = db_int(row, 1);
	db_copy(row, 2, s->size_label, sizeof s->size_label);
	db_copy(row, 3, s->color, sizeof s->color);
	s->stock = db_int(row, 4);
	return ST_OK;
}

enum status db_cart_sizes(long long cart_id, struct cart_size **out, size_t *n)
{
	struct size_list l = {NULL, 0};
	struct db_param p = DB_INT(cart_id);
	enum status st = db_query("SELECT DISTINCT v.product_id, v.id, v.size_label, v.color, v.stock, v.sort_order"
	                          " FROM cart_lines l JOIN product_variants lv ON lv.id = l.variant_id"
	                          " JOIN product_variants v ON v.product_id = lv.product_id AND v.status = 'active'"
	                          " WHERE l.cart_id = ? ORDER BY v.product_id, v.sort_order, v.id",
	                          &p, 1, read_size, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		l.items = NULL;
		l.n = 0;
	}
	*out = l.items;
	*n = l.n;
	return st;
}
