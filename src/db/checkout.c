#include "db/checkout.h"

#include <string.h>

#include "db/db.h"

static enum status read_int(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_is_null(row, 0) ? -1 : db_int(row, 0);
	return ST_OK;
}

struct key_row {
	long long order_id;
	unsigned char *hash;
};

static enum status read_key(const struct db_row *row, void *ctx)
{
	struct key_row *k = ctx;
	k->order_id = db_int(row, 0);
	if (!db_is_null(row, 1) && row->lens[1] == 32)
		memcpy(k->hash, row->cols[1], 32);
	return ST_OK;
}

enum status db_order_by_key(long long user_id, const char *key, long long *order_id, unsigned char hash[32])
{
	struct key_row k = {0, hash};
	struct db_param p[] = {DB_INT(user_id), DB_TEXT(key)};
	memset(hash, 0, 32); /* a row without a hash matches no request */
	enum status st = db_query("SELECT id, request_hash FROM orders WHERE user_id = ? AND idempotency_key = ?", p, 2,
	                          read_key, &k, NULL);
	*order_id = k.order_id;
	return st == ST_OK && !k.order_id ? ST_NOT_FOUND : st;
}

static enum status read_buyer(const struct db_row *row, void *ctx)
{
	struct checkout_buyer *b = ctx;
	b->active = db_int(row, 0) != 0;
	b->grade_id = db_is_null(row, 2) ? 0 : db_int(row, 1); /* no such grade: none */
	b->discount_percent = (int)db_int(row, 2);
	b->mileage_percent = (int)db_int(row, 3);
	b->mileage_balance = db_int(row, 4);
	return ST_OK;
}

enum status db_checkout_lock_buyer(long long user_id, struct checkout_buyer *out)
{
	struct db_param p = DB_INT(user_id);
	memset(out, 0, sizeof *out);
	/* The user's row alone is locked: a join would lock the grade's row too, and every buyer of a
	 * grade would wait for the others' checkouts. The grade is read in subqueries, which a locking
	 * read does not lock (the grade as it stands; tests/integration/concurrency.test.mjs). */
	enum status st = db_query("SELECT u.status = 'active', u.grade_id,"
	                          " (SELECT g.discount_percent FROM grades g WHERE g.id = u.grade_id),"
	                          " (SELECT g.mileage_percent FROM grades g WHERE g.id = u.grade_id),"
	                          " u.mileage_balance FROM users u WHERE u.id = ? FOR UPDATE",
	                          &p, 1, read_buyer, out, NULL);
	return st == ST_OK && !out->grade_id ? ST_NOT_FOUND : st;
}

static enum status read_variant(const struct db_row *row, void *ctx)
{
	struct cart_line *l = ctx;
	l->product_id = db_int(row, 0);
	l->brand_id = db_int(row, 1);
	l->category_id = db_int(row, 2);
	db_copy(row, 3, l->product_name, sizeof l->product_name);
	db_copy(row, 4, l->brand_name, sizeof l->brand_name);
	db_copy(row, 5, l->size_label, sizeof l->size_label);
	db_copy(row, 6, l->color, sizeof l->color);
	db_copy(row, 7, l->image_key, sizeof l->image_key);
	l->list_price = db_int(row, 8);
	l->unit_price = db_int(row, 9);
	l->available = db_int(row, 10) != 0;
	l->shipping_fee = db_int(row, 11);
	l->free_threshold = db_int(row, 12);
	l->return_cost = db_int(row, 13);
	return ST_OK;
}

/* The lock takes the variant's row alone; the product and brand are read without locking, so two
 * buyers of one brand never wait for each other (the foreign-key checks of the order's inserts
 * later take shared locks on them, which other buyers share). The stock comes from the locking
 * read (the row as it is now, not as the transaction's snapshot saw it). */
enum status db_checkout_lock_variant(long long variant_id, struct cart_line *out)
{
	struct db_param p = DB_INT(variant_id);
	long long stock = -1;
	memset(out, 0, sizeof *out);
	out->variant_id = variant_id;
	enum status st =
	    db_query("SELECT stock FROM product_variants WHERE id = ? FOR UPDATE", &p, 1, read_int, &stock, NULL);
	if (st != ST_OK)
		return st;
	if (stock < 0)
		return ST_NOT_FOUND;
	st = db_query(
	    "SELECT p.id, p.brand_id, p.category_id, p.name, b.name, v.size_label, v.color,"
	    " (SELECT i.image_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1),"
	    " p.list_price, p.sale_price, v.status = 'active' AND p.status = 'active' AND b.status = 'active',"
	    " b.shipping_fee, COALESCE(b.free_shipping_threshold, -1), b.return_shipping_cost"
	    " FROM product_variants v JOIN products p ON p.id = v.product_id JOIN brands b ON b.id = p.brand_id"
	    " WHERE v.id = ?",
	    &p, 1, read_variant, out, NULL);
	out->stock = stock;
	return st == ST_OK && !out->product_id ? ST_NOT_FOUND : st;
}

enum status db_checkout_lock_coupon(long long user_id, long long coupon_id, struct coupon *out)
{
	return db_coupon_read(user_id, coupon_id, true, out);
}

enum status db_variant_take_stock(long long variant_id, long long quantity, bool *taken)
{
	unsigned long long n = 0;
	struct db_param p[] = {DB_INT(quantity), DB_INT(variant_id), DB_INT(quantity)};
	enum status st =
	    db_query("UPDATE product_variants SET stock = stock - ? WHERE id = ? AND stock >= ?", p, 3, NULL, NULL, &n);
	*taken = st == ST_OK && n == 1;
	return st;
}

/* brand_line_version_bump's statement, not a CALL: the shop's database user may not execute
 * routines (ci/image/db-entrypoint grants it rows only); the triggers run as their definer. */
enum status db_checkout_lock_brand_lines(long long brand_id)
{
	struct db_param p = DB_INT(brand_id);
	return db_query("INSERT INTO brand_line_versions (brand_id, version) VALUES (?, 1)"
	                " ON DUPLICATE KEY UPDATE version = version + 1",
	                &p, 1, NULL, NULL, NULL);
}

enum status db_coupon_use(long long user_id, long long coupon_id, bool *used)
{
	unsigned long long n = 0;
	struct db_param p[] = {DB_INT(coupon_id), DB_INT(user_id)};
	enum status st = db_query("UPDATE coupons SET state = 'used', used_at = UTC_TIMESTAMP()"
	                          " WHERE id = ? AND user_id = ? AND state = 'available'"
	                          " AND valid_from <= UTC_TIMESTAMP() AND valid_until > UTC_TIMESTAMP()",
	                          p, 2, NULL, NULL, &n);
	*used = st == ST_OK && n == 1;
	return st;
}

enum status db_order_insert(const struct order_insert *o, long long *order_id)
{
	const struct shipping_address *s = o->ship;
	struct db_param p[] = {
	    DB_INT(o->user_id),
	    DB_TEXT(o->merchant_uid),
	    DB_TEXT(o->idempotency_key),
	    DB_BYTES(o->request_hash, 32),
	    DB_TEXT(payment_method_names[o->method]),
	    DB_INT(o->payment_due_seconds),
	    DB_TEXT(s->recipient_name),
	    DB_TEXT(s->recipient_phone),
	    DB_TEXT(s->postal_code),
	    DB_TEXT(s->address),
	    DB_TEXT_OR_NULL(s->address_detail),
	    DB_TEXT_OR_NULL(s->delivery_memo),
	    DB_INT(o->grade_id),
	    DB_INT(o->discount_percent),
	    DB_INT(o->mileage_percent),
	    DB_INT(o->items),
	    DB_INT(o->coupon_discount),
	    DB_INT(o->grade_discount),
	    DB_INT(o->mileage),
	    DB_INT(o->shipping),
	    DB_INT(o->total),
	};
	enum status st = db_query(
	    "INSERT INTO orders (user_id, merchant_uid, idempotency_key, request_hash, payment_method, payment_due_at,"
	    " recipient_name, recipient_phone, postal_code, address, address_detail, delivery_memo, grade_id,"
	    " grade_discount_percent, mileage_percent, items_amount, coupon_discount_amount, grade_discount_amount,"
	    " mileage_used, shipping_amount, total_amount)"
	    " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP() + INTERVAL ? SECOND, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    p, sizeof p / sizeof p[0], NULL, NULL, NULL);
	*order_id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_order_shipping_insert(long long order_id, long long brand_id, long long lines_amount,
                                     long long brand_fee, long long free_threshold, long long fee)
{
	struct db_param p[] = {DB_INT(order_id),
	                       DB_INT(brand_id),
	                       DB_INT(lines_amount),
	                       DB_INT(brand_fee),
	                       free_threshold >= 0 ? DB_INT(free_threshold) : DB_NULL,
	                       DB_INT(fee)};
	return db_query("INSERT INTO order_shipping_charges (order_id, brand_id, lines_amount, brand_shipping_fee,"
	                " free_shipping_threshold, shipping_fee) VALUES (?, ?, ?, ?, ?, ?)",
	                p, 6, NULL, NULL, NULL);
}

enum status db_order_line_insert(const struct order_line_insert *l, long long *line_id)
{
	const struct cart_line *v = l->item;
	struct db_param p[] = {
	    DB_INT(l->order_id),
	    DB_INT(v->brand_id),
	    DB_INT(v->product_id),
	    DB_INT(v->variant_id),
	    DB_TEXT(v->product_name),
	    DB_TEXT(v->brand_name),
	    DB_TEXT(v->size_label),
	    DB_TEXT(v->color),
	    DB_INT(v->list_price),
	    DB_INT(v->unit_price),
	    DB_INT(l->quantity),
	    DB_INT(l->subtotal),
	    l->coupon_id ? DB_INT(l->coupon_id) : DB_NULL,
	    DB_INT(l->coupon_discount),
	    DB_INT(l->grade_discount),
	    DB_INT(l->mileage_share),
	    DB_INT(l->line_total),
	    DB_INT(v->return_cost),
	};
	enum status st = db_query(
	    "INSERT INTO order_lines (order_id, brand_id, product_id, variant_id, product_name, brand_name, size_label,"
	    " color, list_price, unit_price, quantity, subtotal, coupon_id, coupon_discount, grade_discount,"
	    " mileage_share, line_total, return_shipping_cost)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    p, sizeof p / sizeof p[0], NULL, NULL, NULL);
	*line_id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_stock_movement_sale(long long variant_id, long long line_id, long long quantity)
{
	struct db_param p[] = {DB_INT(-quantity), DB_INT(line_id), DB_INT(variant_id)};
	return db_query("INSERT INTO stock_movements (variant_id, delta, stock_after, reason, order_line_id)"
	                " SELECT id, ?, stock, 'order', ? FROM product_variants WHERE id = ?",
	                p, 3, NULL, NULL, NULL);
}

enum status db_cart_remove_variant(long long cart_id, long long variant_id)
{
	struct db_param p[] = {DB_INT(cart_id), DB_INT(variant_id)};
	return db_query("DELETE FROM cart_lines WHERE cart_id = ? AND variant_id = ?", p, 2, NULL, NULL, NULL);
}
