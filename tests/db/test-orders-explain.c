/* The buying side's list and lookup statements against a real MariaDB (run by ci/test with LONUA_DB_*
 * set), with the likes page and the reads of size advice: each is EXPLAINed as the code really
 * sends it, by calling the function with db_query's EXPLAIN mode on (db_explain_hook), over a
 * generated shop of 6,000 orders (ANALYZEd, so the optimizer sees a shop rather than an empty
 * table). A plan fails when it reads a table with a full scan (type ALL), but for the four grades
 * (a reference table read whole on purpose). Each function is then called for real and must
 * succeed. (In EXPLAIN mode no row is found, so the statements a function runs only for rows it
 * found, such as the lines of the orders of a page, are not explained: each reads by order_id
 * through ix_order_lines_order_brand.) The fixture rows are named "explain-orders-…" and removed at
 * the end. The whole-table jobs (grades recompute, popularity recount) scan by design and are not
 * here. The seller console's products (src/db/products.c) are here too: the list's every shape,
 * one product and its parts. */
#include <mysql.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/admin.h"
#include "db/taxonomy.h"
#include "db/carts.h"
#include "db/catalog.h"
#include "db/coupons.h"
#include "db/db.h"
#include "db/fit.h"
#include "db/likes.h"
#include "db/mileage.h"
#include "db/order_changes.h"
#include "db/orders.h"
#include "db/products.h"
#include "db/outbox.h"
#include "db/questions.h"
#include "db/reviews.h"
#include "db/sessions.h"
#include "mysql-first-int.h"
#include "tap.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"

static MYSQL *conn; /* our own connection for the fixture (db_query's is the code under test) */

static int run_sql(const char *sql)
{
	if (mysql_query(conn, sql) != 0) {
		tap_diag("SQL failed: %s\n#   %.300s", mysql_error(conn), sql);
		return -1;
	}
	int status;
	do {
		MYSQL_RES *r = mysql_store_result(conn);
		if (r)
			mysql_free_result(r);
		status = mysql_next_result(conn);
		if (status > 0) {
			tap_diag("SQL failed: %s", mysql_error(conn));
			return -1;
		}
	} while (status == 0);
	return 0;
}

/* Children first: every row hangs off the fixture's users or brands. */
static const char cleanup_sql[] =
    /* the Q&A's rows first: they point at the users, products and the brand's seller */
    "DELETE a FROM answers a JOIN questions q ON q.id = a.question_id JOIN users u ON u.id = q.user_id"
    " WHERE u.email LIKE 'explain-orders-%';"
    "DELETE q FROM questions q JOIN users u ON u.id = q.user_id WHERE u.email LIKE 'explain-orders-%';"
    "DELETE FROM sellers WHERE email LIKE 'explain-orders-%';"
    "DELETE r FROM reviews r JOIN users u ON u.id = r.user_id WHERE u.email LIKE 'explain-orders-%';"
    "DELETE r FROM refunds r JOIN orders o ON o.id = r.order_id JOIN users u ON u.id = o.user_id"
    " WHERE u.email LIKE 'explain-orders-%';"
    "DELETE m FROM mileage_entries m JOIN users u ON u.id = m.user_id WHERE u.email LIKE 'explain-orders-%';"
    "DELETE l FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN users u ON u.id = o.user_id"
    " WHERE u.email LIKE 'explain-orders-%';"
    "DELETE s FROM order_shipping_charges s JOIN orders o ON o.id = s.order_id JOIN users u ON u.id = o.user_id"
    " WHERE u.email LIKE 'explain-orders-%';"
    "DELETE o FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email LIKE 'explain-orders-%';"
    "DELETE c FROM coupons c JOIN users u ON u.id = c.user_id WHERE u.email LIKE 'explain-orders-%';"
    "DELETE c FROM carts c JOIN users u ON u.id = c.user_id WHERE u.email LIKE 'explain-orders-%';"
    "DELETE FROM users WHERE email LIKE 'explain-orders-%';"
    "DELETE c FROM product_body_type_counts c JOIN products p ON p.id = c.product_id"
    " JOIN brands b ON b.id = p.brand_id WHERE b.name LIKE 'explain-orders-%';"
    "DELETE p FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name LIKE 'explain-orders-%';"
    "DELETE FROM brands WHERE name LIKE 'explain-orders-%'";

/* 200 shoppers and an admin, 200 brands with 10 products of 3 sizes each, 6,000 orders of one line each in
 * every payment and line state, their shipping rows, a mileage entry per order, 2,000 coupons, 500
 * refunds, the 10 products of one brand liked by each shopper, and a cart for every shopper: 20 lines in the first, the
 * one explained, and 3 in each other (a single cart would be the whole table, and a plan reading it first from the
 * brands would be right; a few brands or products make a full scan of them with a join buffer the cheaper plan, as on
 * an empty shop, so the shop is made big enough that it is not). */
static const char fixture_sql[] =
    "INSERT INTO users (role, status, email, password_hash, name) SELECT IF(seq = 0, 'admin', 'shopper'), 'active',"
    " CONCAT('explain-orders-', seq, '@example.test'), 'not-a-hash', 'explain' FROM seq_0_to_200;"
    "SET @u0 = (SELECT MIN(id) FROM users WHERE email LIKE 'explain-orders-%');"
    "INSERT INTO brands (name, key_hash, business_address, phone, business_registration_number, bank_name,"
    " bank_account_number, bank_account_holder, return_address, return_courier)"
    " SELECT CONCAT('explain-orders-', seq), UNHEX(SHA2(CONCAT('explain-orders-', seq), 256)), '서울시',"
    " '0212345678', '1234567890', '은행', '123', '예금주', '서울시', 'CJ' FROM seq_1_to_200;"
    "SET @b0 = (SELECT MIN(id) - 1 FROM brands WHERE name LIKE 'explain-orders-%');"
    "INSERT INTO products (brand_id, category_id, style_id, name, list_price, sale_price, status)"
    " SELECT @b0 + 1 + seq % 200, (SELECT MIN(id) FROM categories), (SELECT MIN(id) FROM styles),"
    " CONCAT('explain-orders ', seq), 20000, 19000, 'active' FROM seq_1_to_2000;"
    "INSERT INTO product_variants (product_id, brand_id, size_label, stock, sort_order)"
    " SELECT p.id, p.brand_id, z.label, 50, z.pos FROM products p JOIN brands b ON b.id = p.brand_id"
    " JOIN (SELECT 'S' AS label, 1 AS pos UNION ALL SELECT 'M', 2 UNION ALL SELECT 'L', 3) z"
    " WHERE b.name LIKE 'explain-orders-%';"
    "CREATE TEMPORARY TABLE explain_variants AS SELECT ROW_NUMBER() OVER (ORDER BY v.id) - 1 AS n, v.id,"
    " v.product_id, v.brand_id FROM product_variants v JOIN brands b ON b.id = v.brand_id"
    " WHERE b.name LIKE 'explain-orders-%';"
    "INSERT INTO orders (user_id, merchant_uid, idempotency_key, request_hash, payment_method, payment_state,"
    " payment_due_at, paid_at, cancelled_at, recipient_name, recipient_phone, postal_code, address, grade_id,"
    " grade_discount_percent, mileage_percent, items_amount, shipping_amount, total_amount, received_amount,"
    " received_at, received_confirmed_by, created_at)"
    " SELECT @u0 + 1 + seq % 200, CONCAT('explain-orders-', seq), CONCAT('explain-orders-', seq),"
    " UNHEX(SHA2(seq, 256)), 'bank_transfer', ELT(1 + seq % 3, 'awaiting_payment', 'paid', 'cancelled'),"
    " '2026-01-01' + INTERVAL seq MINUTE, IF(seq % 3 = 1, '2026-01-01', NULL), IF(seq % 3 = 2, '2026-01-01', NULL),"
    " '받는분', '01012345678', '12345', '서울시', 1, 0, 1, 19000, 0, 19000, IF(seq % 3 = 1, 19000, NULL),"
    " IF(seq % 3 = 1, '2026-01-01', NULL), IF(seq % 3 = 1, @u0, NULL), '2026-01-01' + INTERVAL seq MINUTE"
    " FROM seq_1_to_6000;"
    "INSERT INTO order_shipping_charges (order_id, brand_id, lines_amount, brand_shipping_fee, shipping_fee)"
    " SELECT o.id, v.brand_id, 19000, 0, 0 FROM orders o JOIN explain_variants v ON v.n = o.id % 150"
    " WHERE o.merchant_uid LIKE 'explain-orders-%';"
    "INSERT INTO order_lines (order_id, brand_id, product_id, variant_id, product_name, brand_name, size_label,"
    " list_price, unit_price, quantity, subtotal, line_total, state, courier, tracking_number, shipped_at,"
    " delivered_at, created_at)"
    " SELECT o.id, v.brand_id, v.product_id, v.id, 'explain', 'explain', 'M', 20000, 19000, 1, 19000, 19000,"
    " ELT(1 + o.id % 4, 'ordered', 'shipped', 'delivered', 'ordered'), IF(o.id % 4 IN (1, 2), 'CJ', NULL),"
    " IF(o.id % 4 IN (1, 2), '1', NULL), IF(o.id % 4 IN (1, 2), '2026-01-02', NULL),"
    " IF(o.id % 4 = 2, '2026-01-03', NULL), o.created_at FROM orders o JOIN explain_variants v ON v.n = o.id % 150"
    " WHERE o.merchant_uid LIKE 'explain-orders-%';"
    "INSERT INTO mileage_entries (user_id, kind, amount, balance_after, order_id, created_at)"
    " SELECT o.user_id, 'spent', -10, 0, o.id, o.created_at FROM orders o WHERE o.merchant_uid LIKE 'explain-orders-%';"
    "INSERT INTO coupons (user_id, name, discount_percent, valid_from, valid_until, state, used_at)"
    " SELECT @u0 + 1 + seq % 200, 'explain', 10, '2026-01-01', '2027-01-01', IF(seq % 2, 'available', 'used'),"
    " IF(seq % 2, NULL, '2026-02-01') FROM seq_1_to_2000;"
    "INSERT INTO refunds (order_id, reason, method, amount, created_at)"
    " SELECT o.id, 'cancel', 'bank_transfer', 19000, o.created_at FROM orders o"
    " WHERE o.merchant_uid LIKE 'explain-orders-%' AND o.payment_state = 'cancelled' LIMIT 500;"
    "INSERT INTO carts (user_id) SELECT id FROM users WHERE email LIKE 'explain-orders-%' AND role = 'shopper';"
    /* from a copy of the carts: a statement that reads carts cannot add lines, whose trigger writes
     * carts (schema/018) */
    "CREATE TEMPORARY TABLE explain_carts AS SELECT id, user_id FROM carts"
    " WHERE user_id BETWEEN @u0 + 1 AND @u0 + 200;"
    "INSERT INTO cart_lines (cart_id, variant_id, quantity) SELECT c.id, v.id, 1 FROM explain_carts c"
    " JOIN explain_variants v ON IF(c.user_id = @u0 + 1, v.n < 20, v.n BETWEEN c.id % 100 AND c.id % 100 + 2);"
    "DROP TEMPORARY TABLE explain_variants, explain_carts;"
    /* a signed-in shopper with a cart (the session's token: SESSION_TOKEN below) */
    "INSERT INTO sessions (token_hash, kind, user_id, csrf_secret, expires_at) VALUES"
    " (UNHEX(SHA2('explain-orders-session', 256)), 'cookie', @u0 + 1, UNHEX(SHA2('csrf', 256)),"
    " UTC_TIMESTAMP() + INTERVAL 1 DAY);"
    "INSERT INTO product_body_type_counts (product_id, upper1_units, upper2_units, upper3_units, lower1_units,"
    " lower2_units, lower3_units) SELECT p.id, p.id % 7, p.id % 5, p.id % 3, p.id % 4, p.id % 6, p.id % 2"
    " FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name LIKE 'explain-orders-%';"
    "INSERT INTO likes (user_id, product_id) SELECT @u0 + 1 + s.seq, p.id FROM seq_0_to_199 s"
    " JOIN products p ON p.brand_id = @b0 + 1 + s.seq;"
    /* 6,000 questions over the 2,000 products (3 a product, 30 a shopper, 30 a brand), a third answered by
     * a seller of brand 1 (the answers' foreign key wants one; the brand is not checked here) */
    "CREATE TEMPORARY TABLE explain_products AS SELECT ROW_NUMBER() OVER (ORDER BY p.id) - 1 AS n, p.id,"
    " p.brand_id FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name LIKE 'explain-orders-%';"
    "INSERT INTO questions (product_id, brand_id, user_id, type, title, body, is_secret, answered_at, created_at)"
    " SELECT p.id, p.brand_id, @u0 + 1 + s.seq % 200, ELT(1 + s.seq % 4, 'size', 'delivery', 'restock', 'details'),"
    " 'explain', 'explain', s.seq % 2, IF(s.seq % 3 = 0, '2026-01-02', NULL), '2026-01-01' + INTERVAL s.seq MINUTE"
    " FROM seq_1_to_6000 s JOIN explain_products p ON p.n = s.seq % 2000;"
    "DROP TEMPORARY TABLE explain_products;"
    "INSERT INTO sellers (brand_id, email, password_hash, name) VALUES (@b0 + 1, 'explain-orders-seller@example.test',"
    " 'not-a-hash', 'explain');"
    "INSERT INTO answers (question_id, seller_id, body) SELECT q.id, LAST_INSERT_ID(), 'explain' FROM questions q"
    " JOIN users u ON u.id = q.user_id WHERE u.email LIKE 'explain-orders-%' AND q.answered_at IS NOT NULL;"
    "ANALYZE TABLE questions, answers, sellers;"
    /* a review of every other line (3,000), with the reviewer's build on most, a photo on some */
    "INSERT INTO reviews (order_line_id, product_id, user_id, rating, body, fit, shared_height_cm,"
    " shared_upper_body_type, shared_lower_body_type, created_at) SELECT l.id, l.product_id, o.user_id,"
    " 1 + l.id % 5, 'explain', ELT(1 + l.id % 3, 'small', 'true', 'large'), IF(l.id % 5 = 0, NULL, 150 + l.id % 40),"
    " 1 + l.id % 3, 1 + l.id % 2, o.created_at FROM order_lines l JOIN orders o ON o.id = l.order_id"
    " WHERE o.merchant_uid LIKE 'explain-orders-%' AND l.id % 2 = 0;"
    "INSERT INTO review_photos (review_id, position, image_key) SELECT r.id, 1, SHA2(r.id, 256) FROM reviews r"
    " JOIN users u ON u.id = r.user_id WHERE u.email LIKE 'explain-orders-%' AND r.id % 4 = 0;"
    "ANALYZE TABLE reviews, review_photos;"
    "ANALYZE TABLE users, brands, products, product_variants, orders, order_lines, order_shipping_charges,"
    " mileage_entries, coupons, refunds, carts, cart_lines, likes, product_body_type_counts";

/* The plans seen while one function ran, with what is wrong in them. */
struct plans {
	int rows;
	struct buf problems;
};

static void on_plan(const char *sql, const struct db_row *row, void *ctx)
{
	struct plans *p = ctx;
	/* EXPLAIN's columns: id select_type table type possible_keys key key_len ref rows Extra */
	const char *table = row->ncols > 2 && row->cols[2] ? row->cols[2] : "";
	const char *type = row->ncols > 3 && row->cols[3] ? row->cols[3] : "";
	p->rows++;
	if (table[0] == '<' || strcmp(table, "g") == 0 || strcmp(table, "grades") == 0)
		return; /* derived and temporary tables; the four grades */
	if (strcmp(type, "ALL") == 0)
		buf_printf(&p->problems, "\n#   table %s is read with a full scan in: %.160s", table, sql);
}

/* A page of the shopper's likes (its cards freed: only the statements matter here). */
static enum status liked_page(long long user)
{
	struct catalog_page page;
	enum status st = catalog_liked_products(user, 1, 24, &page);
	if (st == ST_OK)
		json_object_put(page.items);
	return st;
}

/* Which of a page's cards the shopper likes: a full statement's worth of the products the
 * fixture's shoppers like and others. */
static enum status liked_among(long long user, long long first_product)
{
	long long ids[LIKES_AMONG_MAX];
	bool liked[LIKES_AMONG_MAX];
	for (size_t i = 0; i < LIKES_AMONG_MAX; i++)
		ids[i] = first_product + (long long)i;
	return db_likes_among(user, ids, LIKES_AMONG_MAX, liked);
}

/* The products most bought by a body type (their cards freed). */
static enum status body_type_items(int upper, int lower)
{
	json_object *items = json_object_new_array();
	enum status st = catalog_for_body_type(upper, lower, 12, items);
	json_object_put(items);
	return st;
}

/* Size advice's reads of one product for one shopper (src/db/fit.c), as src/handlers/shop/fit.c
 * makes them. */
static enum status fit_reads(long long user, long long product)
{
	static struct fit_size sizes[FIT_MAX_SIZES];
	static struct fit_kept kept[FIT_MAX_KEPT];
	struct fit_shopper s = {170, 65, 2, 2};
	long long category = 0;
	size_t n = 0, nk = 0;
	enum status st = db_fit_sizes(product, &category, sizes, FIT_MAX_SIZES, &n);
	if (st == ST_OK || st == ST_NOT_FOUND)
		st = db_fit_kept(user, category, kept, FIT_MAX_KEPT, &nk);
	if (st == ST_OK)
		st = db_fit_peers(product, user, &s, sizes, n);
	return st;
}

/* The Q&A's reads (src/db/questions.c): a product's, a shopper's and a brand's lists (all, open,
 * answered), one question, and the product's brand; the pages freed. */
static enum status question_reads(long long user, long long brand, long long product)
{
	struct question_page page;
	struct question q;
	long long brand_of;
	enum status st = db_questions_of_product(product, brand, 1, 24, &page);
	question_page_free(&page);
	if (st == ST_OK)
		st = db_questions_of_user(user, 2, 10, &page);
	question_page_free(&page);
	for (int answered = -1; answered <= 1 && st == ST_OK; answered++) {
		st = db_questions_of_brand(brand, answered, 1, 20, &page);
		question_page_free(&page);
	}
	if (st == ST_OK)
		st = db_question_get(
		    mysql_first_int(conn, "SELECT MAX(q.id) FROM questions q JOIN users u ON u.id = q.user_id"
		                          " WHERE u.email LIKE 'explain-orders-%'"),
		    &q);
	if (st == ST_OK || st == ST_NOT_FOUND)
		st = db_question_product_brand(product, &brand_of);
	return st;
}

/* The reviews' reads (src/db/reviews.c): a product's page (all, and of people like a viewer), its
 * summary, a shopper's page, one review, a line's review, and the product a reviews page is about. */
static enum status review_reads(long long user, long long product)
{
	struct review *items, one;
	struct review_product head;
	size_t n;
	long long total, count[6], fit[4], id, product_of;
	struct review_filter all = {false, 0, 0, 0}, like_me = {true, 2, 1, 170};
	enum status st = db_reviews_of_product(product, &all, 1, 24, &items, &n, &total);
	free(items);
	if (st == ST_OK) /* page 2: an empty page is counted (a short first page needs no count) */
		st = db_reviews_of_product(product, &like_me, 2, 24, &items, &n, &total);
	free(items);
	if (st == ST_OK)
		st = db_review_summary(product, count, fit);
	if (st == ST_OK)
		st = db_reviews_of_user(user, 2, 10, &items, &n, &total);
	free(items);
	long long review = mysql_first_int(conn, "SELECT MAX(r.id) FROM reviews r JOIN users u ON u.id = r.user_id"
	                                         " WHERE u.email LIKE 'explain-orders-%'");
	if (st == ST_OK)
		st = db_review_get(review,
		                   mysql_first_int(conn, "SELECT user_id FROM reviews WHERE id = (SELECT MAX(r.id)"
		                                         " FROM reviews r JOIN users u ON u.id = r.user_id"
		                                         " WHERE u.email LIKE 'explain-orders-%')"),
		                   &one);
	if (st == ST_OK || st == ST_NOT_FOUND)
		st = db_review_of_line(mysql_first_int(conn,
		                                       "SELECT order_line_id FROM reviews WHERE id = (SELECT MAX(r.id)"
		                                       " FROM reviews r JOIN users u ON u.id = r.user_id"
		                                       " WHERE u.email LIKE 'explain-orders-%')"),
		                       0, &id, &product_of);
	if (st == ST_OK || st == ST_NOT_FOUND)
		st = db_review_product(product, &head);
	return st;
}

/* The seller console's products: every shape of the brand's list (each subset of q, status and
 * category; with a count), then one product with its images and sizes (the row, then its parts,
 * which the EXPLAIN mode reaches only when called directly). */
static enum status seller_product_reads(long long brand, long long product)
{
	enum status st = ST_OK;
	for (unsigned shape = 0; shape < SELLER_PRODUCT_NSHAPES && (st == ST_OK || st == ST_NOT_FOUND); shape++) {
		struct seller_product_filter f = {
		    .brand_id = brand,
		    .q = shape & SELLER_PRODUCT_F_QUERY ? "explain" : NULL,
		    .status = shape & SELLER_PRODUCT_F_STATUS ? PRODUCT_ACTIVE : -1,
		    .category_id =
		        shape & SELLER_PRODUCT_F_CATEGORY ? mysql_first_int(conn, "SELECT MIN(id) FROM categories") : 0,
		    .page = 1,
		    .per_page = 24,
		};
		struct seller_product *items;
		size_t n;
		long long total;
		st = db_seller_products(&f, &items, &n, &total);
		free(items);
	}
	struct seller_product *one = NULL;
	if (st == ST_OK || st == ST_NOT_FOUND)
		st = db_seller_product_get(brand, product, &one);
	seller_product_free(one);
	if (st == ST_OK || st == ST_NOT_FOUND) {
		struct seller_product *parts = calloc(1, sizeof *parts);
		if (!parts)
			return ST_ERROR;
		st = db_seller_product_parts(brand, product, parts);
		seller_product_free(parts);
	}
	return st;
}

/* The steps of the console's deletes (in EXPLAIN mode nothing is deleted; run for real, they would
 * be: only the plans are checked). */
static enum status seller_product_deletes(long long product, long long variant)
{
	const char *why;
	bool ordered;
	enum status st = db_product_usage(product, &why);
	if (st == ST_OK)
		st = db_product_delete_rows(product);
	if (st == ST_OK)
		st = db_variant_ordered(variant, &ordered);
	if (st == ST_OK)
		st = db_variant_remove_rows(variant, false);
	if (st == ST_OK)
		st = db_variant_remove_rows(variant, true);
	return st;
}

/* The admin console's statements (db/admin.h). */
static enum status admin_counts(void)
{
	struct admin_counts c;
	return db_admin_counts(&c);
}

static enum status moderate(long long admin, bool hide)
{
	struct moderated_review r;
	bool changed;
	long long review = mysql_first_int(conn, "SELECT MAX(r.id) FROM reviews r JOIN users u ON u.id = r.user_id"
	                                         " WHERE u.email LIKE 'explain-orders-%'");
	/* the fixture writes reviews without their product's counters: make them true first */
	char fix[700];
	snprintf(fix, sizeof fix,
	         "UPDATE products p JOIN (SELECT product_id, COUNT(*) n, SUM(rating) s, SUM(fit = 'small') fs,"
	         " SUM(fit = 'true') ft, SUM(fit = 'large') fl FROM reviews WHERE status = 'published' AND product_id ="
	         " (SELECT product_id FROM reviews WHERE id = %lld) GROUP BY product_id) r ON r.product_id = p.id"
	         " SET p.review_count = r.n, p.rating_sum = r.s, p.fit_small_count = r.fs, p.fit_true_count = r.ft,"
	         " p.fit_large_count = r.fl",
	         review);
	if (run_sql(fix) != 0)
		return ST_ERROR;
	return db_review_moderate(review, hide, "explain", admin, &changed, &r);
}

static enum status seller_status(bool suspend)
{
	long long brand;
	bool changed;
	return db_seller_set_status(
	    mysql_first_int(conn, "SELECT id FROM sellers WHERE email = 'explain-orders-seller@example.test'"), suspend,
	    &brand, &changed);
}

static enum status brand_key(long long brand)
{
	unsigned char hash[32] = {1, 2, 3};
	hash[31] = (unsigned char)(brand & 0xff);
	return db_brand_set_key(brand, hash);
}

/* The fixture's shoppers are pending or active: the coupons issued go to the active ones, and
 * cleanup_sql removes them with the fixture's users (coupons of shoppers outside the fixture are
 * removed here by name). */
static enum status coupon_issue(long long user, long long admin)
{
	struct coupon_issue c = {"explain-orders-coupon", 10, 0, 0, 0, 0, 20991231};
	unsigned long long n;
	enum status st = db_coupon_issue(&c, user, admin, &n);
	run_sql("DELETE c FROM coupons c JOIN users u ON u.id = c.user_id WHERE c.name = 'explain-orders-coupon'"
	        " AND u.email NOT LIKE 'explain-orders-%'");
	return st;
}

static enum status category_exists(void)
{
	bool exists;
	return db_category_exists(mysql_first_int(conn, "SELECT MIN(id) FROM categories"), &exists);
}

static enum status coupon_revoke(long long user)
{
	bool changed;
	char state[16];
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT MAX(id) FROM coupons WHERE user_id = %lld", user);
	return db_coupon_revoke(mysql_first_int(conn, sql), &changed, state);
}

static enum status members(const char *q)
{
	struct member *list;
	size_t n;
	long long total;
	char email[64];
	if (q && strchr(q, '-')) { /* an e-mail prefix */
		snprintf(email, sizeof email, "%s@", q);
		q = email;
	}
	enum status st = db_members(q, 2, 20, &list, &n, &total);
	free(list);
	return st;
}

static enum status member(long long user)
{
	struct member m;
	return db_member(user, &m);
}

/* The fixture's shopper is not withdrawn: erasing is refused (ST_CONFLICT) after the member is read. */
static enum status member_erase(long long user)
{
	bool changed;
	enum status st = db_member_erase(user, &changed);
	return st == ST_CONFLICT ? ST_OK : st;
}

static enum status admin_sellers(long long brand)
{
	struct admin_seller *list;
	size_t n;
	long long total;
	enum status st = db_admin_sellers(brand, 1, 20, &list, &n, &total);
	free(list);
	return st;
}

static enum status admin_reviews(bool hidden)
{
	struct admin_review *list;
	size_t n;
	long long total;
	enum status st = db_admin_reviews(hidden, 1, 20, &list, &n, &total);
	free(list);
	return st;
}

static enum status admin_coupons(long long user)
{
	struct admin_coupon *list;
	size_t n;
	long long total;
	enum status st = db_admin_coupons(user, 1, 20, &list, &n, &total);
	free(list);
	return st;
}

static enum status taxa(enum taxonomy t)
{
	struct taxon *list;
	size_t n;
	enum status st = db_taxa(t, &list, &n);
	free(list);
	return st;
}

static enum status grades_list(void)
{
	struct grade_row *list;
	size_t n;
	enum status st = db_admin_grades(&list, &n);
	free(list);
	return st;
}

static enum status grade_edit(void)
{
	/* changes nothing: the same values back (what is not given stays) */
	struct grade_edit e = {NULL, NULL, -1, -1, -1};
	return db_grade_edit(1, &e);
}

static enum status admin_brands(void)
{
	struct admin_brand_row *list;
	size_t n;
	long long total;
	enum status st = db_admin_brands(2, 20, &list, &n, &total);
	free(list);
	return st;
}

static enum status admin_brand(long long brand)
{
	struct admin_brand b;
	return db_admin_brand(brand, &b);
}

static enum status brand_edit(long long brand)
{
	struct brand_edit e = {3000, -1, -1, NULL, NULL, NULL, NULL, false};
	return db_brand_edit(brand, &e);
}

static enum status brand_status(long long brand, bool active)
{
	bool changed;
	return db_brand_set_status(brand, active, &changed);
}

/* EXPLAINs what call sends, then runs it for real. */

#define CHECK(what, call)                                                                                              \
	do {                                                                                                           \
		struct plans p = {0, BUF_INIT};                                                                        \
		db_explain_ctx = &p;                                                                                   \
		db_explain_hook = on_plan;                                                                             \
		enum status st_explain = (call); /* a lookup finds nothing while it is only explained */               \
		db_explain_hook = NULL;                                                                                \
		tap_ok((st_explain == ST_OK || st_explain == ST_NOT_FOUND) && p.rows > 0 && p.problems.len == 0,       \
		       "%s: every table by an index (%d plan "                                                         \
		       "rows)%s",                                                                                      \
		       what, p.rows, buf_str(&p.problems));                                                            \
		buf_free(&p.problems);                                                                                 \
		tap_ok((call) == ST_OK, "%s runs", what);                                                              \
	} while (0)

/* users.kept_sizes_version of user. */
static long long kept_version(long long user)
{
	char sql[100];
	snprintf(sql, sizeof sql, "SELECT kept_sizes_version FROM users WHERE id = %lld", user);
	return mysql_first_int(conn, sql);
}

/* The sizes a shopper kept, kept by the process (db_fit_kept_at) at the version the session reads:
 * read once per version; a line confirmed, a size measured again, its product's category moved and
 * the line no longer confirmed each move the version (schema/023), and the sizes read again show
 * the change; a change of stock does not move it. The line is the buyer's newest, confirmed a day
 * ahead so that it is the newest kept. */
static void test_kept_sizes_kept(long long user, const unsigned char token_hash[CRYPTO_SHA256_LEN])
{
	char sql[600];
	snprintf(sql, sizeof sql,
	         "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.user_id = %lld"
	         " ORDER BY l.id DESC LIMIT 1",
	         user);
	long long line = mysql_first_int(conn, sql);
	snprintf(sql, sizeof sql, "SELECT variant_id FROM order_lines WHERE id = %lld", line);
	long long variant = mysql_first_int(conn, sql);
	snprintf(sql, sizeof sql,
	         "SELECT p.category_id FROM order_lines l JOIN products p ON p.id = l.product_id"
	         " WHERE l.id = %lld",
	         line);
	long long category = mysql_first_int(conn, sql);
	static struct fit_kept kept[FIT_MAX_KEPT];
	size_t n = 0, n_again = 0;

	long long v0 = kept_version(user), before = mysql_statements_executed(conn);
	enum status st = db_fit_kept_at(user, (unsigned long long)v0, category, kept, FIT_MAX_KEPT, &n);
	long long first = mysql_statements_executed(conn) - before;
	before = mysql_statements_executed(conn);
	enum status again = db_fit_kept_at(user, (unsigned long long)v0, category, kept, FIT_MAX_KEPT, &n_again);
	tap_ok(line > 0 && st == ST_OK && again == ST_OK && n_again == n && first == 1 &&
	           mysql_statements_executed(conn) - before == 0,
	       "a shopper's kept sizes: read in one statement (%lld), then kept (%lld more)", first,
	       mysql_statements_executed(conn) - before);

	snprintf(
	    sql, sizeof sql,
	    "UPDATE order_lines SET state = 'confirmed', courier = 'CJ', tracking_number = '1',"
	    " shipped_at = '2026-01-02', delivered_at = '2026-01-03', confirmed_at = UTC_TIMESTAMP() + INTERVAL 1 DAY"
	    " WHERE id = %lld",
	    line);
	run_sql(sql);
	long long v1 = kept_version(user);
	struct session who;
	bool session_reads = db_session_find(token_hash, SESSION_COOKIE, 86400, &who) == ST_OK &&
	                     who.kept_sizes_version == (unsigned long long)v1;
	st = db_fit_kept_at(user, (unsigned long long)v1, category, kept, FIT_MAX_KEPT, &n);
	tap_ok(v1 == v0 + 1 && session_reads && st == ST_OK && n == n_again + 1,
	       "a line confirmed moves the version (%lld -> %lld), the session reads it (%s), and the sizes read again"
	       " hold it (%zu, %zu before; %s)",
	       v0, v1, session_reads ? "yes" : "no", n, n_again, status_code(st));

	snprintf(sql, sizeof sql, "UPDATE product_variants SET stock = stock + 1 WHERE id = %lld", variant);
	run_sql(sql);
	long long v_stock = kept_version(user);
	snprintf(sql, sizeof sql, "UPDATE product_variants SET chest_mm = IFNULL(chest_mm, 500) + 7 WHERE id = %lld",
	         variant);
	run_sql(sql);
	long long v2 = kept_version(user);
	snprintf(sql, sizeof sql, "SELECT chest_mm FROM product_variants WHERE id = %lld", variant);
	long long chest = mysql_first_int(conn, sql);
	st = db_fit_kept_at(user, (unsigned long long)v2, category, kept, FIT_MAX_KEPT, &n);
	int chest_index = -1;
	for (int k = 0; k < SIZE_NMEASURES; k++)
		if (strcmp(catalog_measurement_names[k], "chest") == 0)
			chest_index = k;
	bool measured = st == ST_OK && n > 0 && chest_index >= 0 && kept[0].m.mm[chest_index] == chest;
	tap_ok(v_stock == v1 && v2 == v1 + 1 && measured,
	       "a change of stock leaves the version (%lld); the kept size measured again moves it (%lld) and is read"
	       " again (chest %lld mm; %zu sizes, %s)",
	       v_stock, v2, chest, n, status_code(st));

	snprintf(sql, sizeof sql,
	         "UPDATE products SET category_id = (SELECT MIN(id) FROM categories WHERE id <> %lld)"
	         " WHERE id = (SELECT product_id FROM order_lines WHERE id = %lld)",
	         category, line);
	run_sql(sql);
	long long v3 = kept_version(user);
	snprintf(
	    sql, sizeof sql,
	    "UPDATE products SET category_id = %lld WHERE id = (SELECT product_id FROM order_lines WHERE id = %lld)",
	    category, line);
	run_sql(sql);
	long long v4 = kept_version(user);
	snprintf(sql, sizeof sql, "UPDATE order_lines SET state = 'delivered', confirmed_at = NULL WHERE id = %lld",
	         line);
	run_sql(sql);
	long long v5 = kept_version(user);
	st = db_fit_kept_at(user, (unsigned long long)v5, category, kept, FIT_MAX_KEPT, &n);
	tap_ok(v3 > v2 && v4 > v3 && v5 == v4 + 1 && st == ST_OK && n == n_again,
	       "its product's category moved and back (%lld, %lld) and the line no longer confirmed (%lld) move the"
	       " version; the sizes read again are those before (%zu of %zu; %s)",
	       v3, v4, v5, n, n_again, status_code(st));
}

/* Who is calling, read again after run_sql(change) (none when NULL): ST_OK with *who filled, the find's
 * status, or ST_ERROR when the change failed. */
static enum status find_after(const char *change, const unsigned char token_hash[CRYPTO_SHA256_LEN],
                              struct session *who)
{
	if (change && run_sql(change) != 0)
		return ST_ERROR;
	return db_session_find(token_hash, SESSION_COOKIE, 86400, who);
}

/* The account of a session, kept by the process (db_session_find) at the session's account_stamp:
 * while nothing changed, the session's own row alone confirms it; each change to what the session
 * shows moves the stamp (schema/024), and the session read again shows the change, through the
 * triggers of the writes the shop makes (a like, a cart's line in and out, the grade's percentage, the member's
 * columns), a seller's and their brand's too. A change to a column it does not show leaves the stamp. */
static void test_session_kept(long long user, const unsigned char token_hash[CRYPTO_SHA256_LEN])
{
	char sql[400];
	struct session who, again;
	enum status st = find_after(NULL, token_hash, &who);
	long long before = mysql_statements_executed(conn);
	enum status st_again = find_after(NULL, token_hash, &again);
	long long statements = mysql_statements_executed(conn) - before;
	struct plans p = {0, BUF_INIT};
	db_explain_ctx = &p;
	db_explain_hook = on_plan;
	find_after(NULL, token_hash, &again); /* explained: found nothing, so the process forgets it */
	db_explain_hook = NULL;
	tap_ok(st == ST_OK && st_again == ST_OK && statements == 1 && p.rows == 1 && p.problems.len == 0 &&
	           again.account_id == user && again.cart_count == who.cart_count && strcmp(again.name, who.name) == 0,
	       "a session the process keeps: %lld statement reading %d table (the session's own row)%s", statements,
	       p.rows, buf_str(&p.problems));
	buf_free(&p.problems);
	st = find_after(NULL, token_hash, &who);

	snprintf(sql, sizeof sql, "UPDATE users SET address = 'explain-orders-moved' WHERE id = %lld", user);
	st_again = find_after(sql, token_hash, &again);
	tap_ok(st == ST_OK && st_again == ST_OK && again.account_stamp == who.account_stamp,
	       "a column the session does not show leaves the stamp (%llu, %llu)", who.account_stamp,
	       again.account_stamp);

	snprintf(sql, sizeof sql, "UPDATE users SET name = 'explain-orders-renamed' WHERE id = %lld", user);
	st = find_after(sql, token_hash, &again);
	tap_ok(st == ST_OK && strcmp(again.name, "explain-orders-renamed") == 0 &&
	           again.account_stamp > who.account_stamp,
	       "the member renamed: the session shows it (%s, stamp %llu -> %llu)", again.name, who.account_stamp,
	       again.account_stamp);

	snprintf(sql, sizeof sql,
	         "INSERT INTO likes (user_id, product_id) SELECT %lld, MIN(p.id) FROM products p WHERE p.id NOT IN"
	         " (SELECT product_id FROM likes WHERE user_id = %lld)",
	         user, user);
	st = find_after(sql, token_hash, &who);
	tap_ok(st == ST_OK && who.likes_version > again.likes_version,
	       "a like (likes_version through schema/016's trigger): the session shows the new version (%llu -> %llu)",
	       again.likes_version, who.likes_version);

	snprintf(sql, sizeof sql, "SELECT id FROM carts WHERE user_id = %lld", user);
	long long cart = mysql_first_int(conn, sql);
	snprintf(
	    sql, sizeof sql, /* reading carts here would stop the count's trigger (MariaDB error 1442) */
	    "INSERT INTO cart_lines (cart_id, variant_id, quantity) SELECT %lld, MIN(v.id), 1 FROM product_variants v"
	    " WHERE v.id NOT IN (SELECT variant_id FROM cart_lines WHERE cart_id = %lld)",
	    cart, cart);
	st = find_after(sql, token_hash, &again);
	tap_ok(st == ST_OK && again.cart_count == who.cart_count + 1,
	       "a line put in the cart (line_count through schema/018's trigger): the session counts it (%lld -> %lld)",
	       who.cart_count, again.cart_count);
	snprintf(sql, sizeof sql, "DELETE FROM cart_lines WHERE cart_id = %lld ORDER BY id DESC LIMIT 1", cart);
	st = find_after(sql, token_hash, &who);
	tap_ok(st == ST_OK && who.cart_count == again.cart_count - 1,
	       "the line taken out again: the session counts it (%lld -> %lld)", again.cart_count, who.cart_count);

	snprintf(sql, sizeof sql,
	         "UPDATE grades SET discount_percent = discount_percent + 1 WHERE id = (SELECT grade_id FROM users"
	         " WHERE id = %lld)",
	         user);
	st = find_after(sql, token_hash, &who);
	snprintf(sql, sizeof sql,
	         "UPDATE grades SET discount_percent = discount_percent - 1 WHERE id = (SELECT grade_id FROM users"
	         " WHERE id = %lld)",
	         user);
	st_again = find_after(sql, token_hash, &again);
	tap_ok(st == ST_OK && st_again == ST_OK && who.grade_discount_percent == again.grade_discount_percent + 1,
	       "the member's grade's discount changed and back: the session shows each (%d, then %d)",
	       who.grade_discount_percent, again.grade_discount_percent);

	snprintf(sql, sizeof sql,
	         "UPDATE users SET status = 'withdrawn', withdrawn_at = UTC_TIMESTAMP() WHERE id = %lld", user);
	st = find_after(sql, token_hash, &who);
	snprintf(sql, sizeof sql, "UPDATE users SET status = 'active', withdrawn_at = NULL WHERE id = %lld", user);
	st_again = find_after(sql, token_hash, &again);
	tap_ok(st == ST_NOT_FOUND && st_again == ST_OK,
	       "the member withdrawn: no session (%s); active again: found (%s)", status_code(st),
	       status_code(st_again));

	/* A seller's session, and their brand's name and status. */
	unsigned char seller_hash[CRYPTO_SHA256_LEN];
	crypto_sha256("explain-orders-seller-session", strlen("explain-orders-seller-session"), seller_hash);
	run_sql("INSERT INTO sessions (token_hash, kind, seller_id, csrf_secret, expires_at)"
	        " SELECT UNHEX(SHA2('explain-orders-seller-session', 256)), 'cookie', id, UNHEX(SHA2('csrf', 256)),"
	        " UTC_TIMESTAMP() + INTERVAL 1 DAY FROM sellers WHERE email = 'explain-orders-seller@example.test'");
	st = find_after(NULL, seller_hash, &who);
	snprintf(sql, sizeof sql, "UPDATE brands SET name = CONCAT(name, '-renamed') WHERE id = %lld", who.brand_id);
	st_again = find_after(sql, seller_hash, &again);
	bool renamed = st == ST_OK && st_again == ST_OK && strstr(again.brand_name, "-renamed") &&
	               !strstr(who.brand_name, "-renamed");
	snprintf(sql, sizeof sql, "UPDATE brands SET status = 'inactive' WHERE id = %lld", who.brand_id);
	st = find_after(sql, seller_hash, &again);
	bool brand_off = st == ST_OK && !again.brand_active;
	st = find_after("UPDATE sellers SET status = 'suspended' WHERE email = 'explain-orders-seller@example.test'",
	                seller_hash, &again);
	tap_ok(who.account == ACCOUNT_SELLER && renamed && brand_off && st == ST_OK &&
	           again.seller_status == SELLER_SUSPENDED,
	       "a seller's session shows their brand renamed (%s), made inactive (%s), and the seller suspended (%s)",
	       renamed ? "yes" : "no", brand_off ? "yes" : "no",
	       again.seller_status == SELLER_SUSPENDED ? "yes" : "no");
	snprintf(sql, sizeof sql,
	         "UPDATE brands SET status = 'active', name = REPLACE(name, '-renamed', '') WHERE id = %lld",
	         who.brand_id);
	run_sql(sql);
	run_sql("UPDATE sellers SET status = 'active' WHERE email = 'explain-orders-seller@example.test'");
}

int main(void)
{
	char err[256];
	if (config_load(err, sizeof err) != 0) {
		tap_ok(0, "config_load: %s", err);
		return tap_done();
	}
	conn = db_connect_new(true);
	if (!tap_ok(conn != NULL, "a connection of our own for the fixture"))
		return tap_done();
	run_sql(cleanup_sql);
	if (!tap_ok(run_sql(fixture_sql) == 0, "the fixture: 6,000 orders of 200 shoppers, coupons, refunds, a cart"))
		goto done;
	long long user = mysql_first_int(conn, "SELECT MIN(id) + 1 FROM users WHERE email LIKE 'explain-orders-%'");
	long long brand =
	    mysql_first_int(conn, "SELECT MIN(l.brand_id) FROM order_lines l JOIN orders o ON o.id = l.order_id"
	                          " WHERE o.merchant_uid LIKE 'explain-orders-%'"); /* one with lines */
	long long order =
	    mysql_first_int(conn, "SELECT MAX(id) FROM orders WHERE merchant_uid LIKE 'explain-orders-%'");
	long long line = mysql_first_int(conn, "SELECT MAX(l.id) FROM order_lines l JOIN orders o ON o.id = l.order_id"
	                                       " WHERE o.merchant_uid LIKE 'explain-orders-%'");
	long long line_buyer =
	    mysql_first_int(conn, "SELECT o.user_id FROM order_lines l JOIN orders o ON o.id = l.order_id"
	                          " WHERE o.merchant_uid LIKE 'explain-orders-%' ORDER BY l.id DESC LIMIT 1");
	long long cart = mysql_first_int(conn, "SELECT c.id FROM carts c JOIN users u ON u.id = c.user_id"
	                                       " WHERE u.email LIKE 'explain-orders-%' ORDER BY c.user_id LIMIT 1");

	struct order o, *list;
	struct brand_line *lines;
	struct refund *refunds;
	struct mileage_entry *entries;
	struct coupon *coupons;
	struct cart c;
	struct cart_size *sizes;
	long long *ids, total, id;
	size_t n;

	CHECK("a buyer's orders (count, page, their lines)", db_orders_of_user(user, 2, 10, &list, &n, &total));
	orders_free(list, n);
	struct order_summary *summaries;
	CHECK("a buyer's list of orders (count, page with its lines)",
	      db_order_summaries_of_user(user, 2, 10, &summaries, &n, &total));
	order_summaries_free(summaries, n);
	/* The total: counted only when the page does not show where the list ends. */
	char count_sql[120];
	snprintf(count_sql, sizeof count_sql, "SELECT COUNT(*) FROM orders WHERE user_id = %lld", user);
	long long orders_of_user = mysql_first_int(conn, count_sql);
	const int per_pages[] = {1, (int)orders_of_user, (int)orders_of_user + 1};
	const long long counts[] = {1, 1, 0};
	for (int i = 0; i < 3; i++) {
		long long before = mysql_statements_executed(conn);
		enum status st = db_orders_of_user(user, 1, per_pages[i], &list, &n, &total);
		long long counted =
		    mysql_statements_executed(conn) - before - 3; /* the orders, their lines, their shipping */
		if (st == ST_OK)
			orders_free(list, n);
		tap_ok(
		    st == ST_OK && total == orders_of_user && counted == counts[i],
		    "a buyer's first page of %d of their %lld orders: total %lld, %lld count statement (%lld expected)",
		    per_pages[i], orders_of_user, total, counted, counts[i]);
		before = mysql_statements_executed(conn);
		st = db_order_summaries_of_user(user, 1, per_pages[i], &summaries, &n, &total);
		counted = mysql_statements_executed(conn) - before - 1; /* the orders with their lines */
		if (st == ST_OK)
			order_summaries_free(summaries, n);
		tap_ok(st == ST_OK && total == orders_of_user && counted == counts[i],
		       "a buyer's list, first page of %d of their %lld orders: total %lld, %lld count statement (%lld "
		       "expected)",
		       per_pages[i], orders_of_user, total, counted, counts[i]);
	}
	/* The list's summaries say what the whole orders say, order by order and line by line; a few of
	 * the buyer's orders get a second line (another name and state) for the lines' order and the title. */
	char second_lines_sql[900];
	snprintf(
	    second_lines_sql, sizeof second_lines_sql,
	    "INSERT INTO order_lines (order_id, brand_id, product_id, variant_id, product_name, brand_name,"
	    " size_label, list_price, unit_price, quantity, subtotal, line_total, state, created_at)"
	    " SELECT l.order_id, l.brand_id, l.product_id, l.variant_id, 'explain second', 'explain', 'L', 20000,"
	    " 19000, 1, 19000, 19000, 'preparing', l.created_at FROM order_lines l JOIN orders o ON o.id = l.order_id"
	    " WHERE o.user_id = %lld ORDER BY o.created_at DESC LIMIT 3",
	    user);
	tap_ok(run_sql(second_lines_sql) == 0 &&
	           mysql_first_int(conn, "SELECT COUNT(*) FROM order_lines WHERE product_name = 'explain second'") == 3,
	       "three of the buyer's orders have two lines");
	size_t nfull = 0, differ = 0, two_lines = 0;
	if (db_orders_of_user(user, 1, 20, &list, &nfull, &total) == ST_OK &&
	    db_order_summaries_of_user(user, 1, 20, &summaries, &n, &total) == ST_OK) {
		for (size_t i = 0; i < n && i < nfull; i++) {
			const struct order *f = &list[i];
			const struct order_summary *m = &summaries[i];
			bool same = m->id == f->id && strcmp(m->merchant_uid, f->merchant_uid) == 0 &&
			            strcmp(m->created_at, f->created_at) == 0 && m->payment_state == f->payment_state &&
			            m->total_amount == f->total_amount && m->nlines == f->nlines &&
			            strcmp(m->first_product_name, f->nlines ? f->lines[0].product_name : "") == 0;
			for (size_t k = 0; same && k < m->nlines; k++)
				same = m->lines[k].state == f->lines[k].state &&
				       strcmp(m->lines[k].image_key, f->lines[k].image_key) == 0;
			differ += !same;
			two_lines += m->nlines == 2;
		}
		orders_free(list, nfull);
		order_summaries_free(summaries, n);
	}
	tap_ok(n == nfull && n > 1 && differ == 0 && two_lines == 3,
	       "a buyer's list: %zu summaries of %zu orders (%zu of two lines), %zu differ", n, nfull, two_lines,
	       differ);
	CHECK("one order with its lines and shipping", db_order_get(order, 0, &o));
	order_free(&o);
	CHECK("a line's order", db_order_of_line(line, line_buyer, &id));
	CHECK("a brand's lines", db_brand_lines(brand, -1, 2, 20, &lines, &n, &total));
	free(lines);
	CHECK("a brand's delivered lines", db_brand_lines(brand, LINE_DELIVERED, 1, 20, &lines, &n, &total));
	free(lines);
	CHECK("bank transfers awaiting payment",
	      db_orders_by_state(PAY_BANK_TRANSFER, PAYMENT_AWAITING, 3, 20, &list, &n, &total));
	orders_free(list, n);
	CHECK("refunds pending", db_refunds_list("pending", 2, 20, &refunds, &n, &total));
	free(refunds);
	CHECK("gateway refunds to retry", db_refunds_to_retry(50, &refunds, &n));
	free(refunds);
	CHECK("a shopper's mileage ledger", db_mileage_entries(user, 1, 20, &entries, &n, &total));
	free(entries);
	CHECK("a shopper's coupons", db_coupons_of_user(user, 2, 20, &coupons, &n, &total));
	free(coupons);
	unsigned char token_hash[CRYPTO_SHA256_LEN];
	struct session who;
	crypto_sha256("explain-orders-session", strlen("explain-orders-session"), token_hash);
	CHECK("who is calling: the session, its account, grade and cart's line count",
	      db_session_find(token_hash, SESSION_COOKIE, 86400, &who));
	char lines_sql[160];
	snprintf(lines_sql, sizeof lines_sql,
	         "SELECT COUNT(*) FROM cart_lines l JOIN carts c ON c.id = l.cart_id WHERE c.user_id = %lld", user);
	long long lines_in_cart = mysql_first_int(conn, lines_sql);
	tap_ok(who.account_id == user && lines_in_cart > 0 && who.cart_count == lines_in_cart,
	       "the session's cart count is its cart's lines (%lld of %lld), kept by the triggers of schema/018",
	       who.cart_count, lines_in_cart);
	CHECK("a cart's lines", db_cart_read(cart, &c));
	cart_free(&c);
	CHECK("a cart's sizes", db_cart_sizes(cart, &sizes, &n));
	free(sizes);
	CHECK("a shopper's likes", liked_page(user));
	CHECK("which of a page's cards a shopper likes",
	      liked_among(user,
	                  mysql_first_int(conn, "SELECT MIN(l.product_id) FROM likes l JOIN users u ON u.id = l.user_id"
	                                        " WHERE u.email LIKE 'explain-orders-%'")));
	CHECK("popular with a body type (upper 2, lower 3)", body_type_items(2, 3));
	CHECK("size advice: a product's sizes, the sizes kept in its category, similar buyers' choices",
	      fit_reads(user,
	                mysql_first_int(conn, "SELECT MIN(product_id) FROM order_lines l JOIN orders o"
	                                      " ON o.id = l.order_id WHERE o.merchant_uid LIKE 'explain-orders-%'")));
	CHECK("product questions: a product's, a shopper's, a brand's (all, open, answered), one, the product's brand",
	      question_reads(user,
	                     mysql_first_int(conn, "SELECT brand_id FROM products WHERE id = (SELECT MIN(product_id)"
	                                           " FROM questions q JOIN users u ON u.id = q.user_id"
	                                           " WHERE u.email LIKE 'explain-orders-%')"),
	                     mysql_first_int(conn,
	                                     "SELECT MIN(product_id) FROM questions q JOIN users u ON u.id = q.user_id"
	                                     " WHERE u.email LIKE 'explain-orders-%'")));
	CHECK("reviews: a product's (all, people like me), its summary, a shopper's, one, a line's, the product",
	      review_reads(user, mysql_first_int(conn, "SELECT MIN(r.product_id) FROM reviews r JOIN users u"
	                                               " ON u.id = r.user_id WHERE u.email LIKE 'explain-orders-%'")));
	CHECK(
	    "the seller console's products: the brand's list (every shape, with its count), one product and its parts",
	    seller_product_reads(brand, mysql_first_int(conn, "SELECT MIN(id) FROM products WHERE brand_id = (SELECT"
	                                                      " MIN(l.brand_id) FROM order_lines l JOIN orders o ON"
	                                                      " o.id = l.order_id WHERE o.merchant_uid LIKE"
	                                                      " 'explain-orders-%')")));
	{ /* explained only: run for real they would delete the fixture */
		struct plans p = {0, BUF_INIT};
		db_explain_ctx = &p;
		db_explain_hook = on_plan;
		enum status st_explain = seller_product_deletes(
		    mysql_first_int(conn,
		                    "SELECT MIN(l.product_id) FROM order_lines l JOIN orders o ON o.id = l.order_id"
		                    " WHERE o.merchant_uid LIKE 'explain-orders-%'"),
		    mysql_first_int(conn,
		                    "SELECT MIN(l.variant_id) FROM order_lines l JOIN orders o ON o.id = l.order_id"
		                    " WHERE o.merchant_uid LIKE 'explain-orders-%'"));
		db_explain_hook = NULL;
		tap_ok(
		    st_explain == ST_OK && p.rows > 0 && p.problems.len == 0,
		    "the seller console's deletes (whether ordered or asked about, the rows): every table by an index"
		    " (%d plan rows)%s",
		    p.rows, buf_str(&p.problems));
		buf_free(&p.problems);
	}
	CHECK("a paid order's Slack notifications (one per brand with a webhook)", db_outbox_slack_paid(order));
	char url[501];
	CHECK("a brand's webhook for a Slack delivery", db_outbox_webhook_url(brand, url, sizeof url));
	unsigned long long purged;
	CHECK("the outbox's clean-up (lonua outbox purge)", db_outbox_purge(30, &purged));
	CHECK("the admin dashboard's counts", admin_counts());
	CHECK("a review hidden by an admin (the product's counters moved)", moderate(user, true));
	CHECK("a review shown again by an admin", moderate(user, false));
	CHECK("a seller suspended", seller_status(true));
	CHECK("a seller reinstated", seller_status(false));
	CHECK("a brand's key rotated", brand_key(brand));
	CHECK("a coupon issued to one shopper", coupon_issue(user, user));
	CHECK("a coupon issued to every active shopper", coupon_issue(0, user));
	CHECK("a coupon's category looked up", category_exists());
	CHECK("a coupon revoked", coupon_revoke(user));
	CHECK("members: the newest", members(NULL));
	CHECK("members: by e-mail prefix", members("explain-orders-1"));
	CHECK("members: by name prefix", members("zzname"));
	CHECK("a member with the numbers of orders and reviews", member(user));
	CHECK("a member erased (refused: not withdrawn)", member_erase(user));
	CHECK("sellers: all", admin_sellers(0));
	CHECK("sellers: of one brand", admin_sellers(brand));
	CHECK("reviews to moderate: published", admin_reviews(false));
	CHECK("reviews to moderate: hidden", admin_reviews(true));
	CHECK("the console's brands, by name", admin_brands());
	CHECK("categories in display order", taxa(TAXONOMY_CATEGORIES));
	CHECK("styles in display order", taxa(TAXONOMY_STYLES));
	CHECK("a category edited (nothing given: unchanged)", db_taxon_edit(TAXONOMY_CATEGORIES, 1, NULL, NULL, -1));
	CHECK("a style edited (nothing given: unchanged)", db_taxon_edit(TAXONOMY_STYLES, 1, NULL, NULL, -1));
	CHECK("grades by threshold", grades_list());
	CHECK("a grade edited (nothing given: unchanged)", grade_edit());
	CHECK("the console's coupons: all", admin_coupons(0));
	CHECK("the console's coupons: of one shopper", admin_coupons(user));
	CHECK("a brand as the console edits it", admin_brand(brand));
	CHECK("a brand edited", brand_edit(brand));
	CHECK("a brand's logo set",
	      db_brand_set_logo(brand, "0000000000000000000000000000000000000000000000000000000000000000"));
	CHECK("a brand deactivated", brand_status(brand, false));
	CHECK("a brand reactivated", brand_status(brand, true));
	CHECK("orders past their payment time", db_orders_overdue(200, &ids, &n));
	free(ids);
	CHECK("lines delivered 7 days ago", db_lines_confirm_due(200, &ids, &n));
	free(ids);
	test_kept_sizes_kept(user, token_hash);
	test_session_kept(user, token_hash);

done:
	tap_ok(run_sql(cleanup_sql) == 0 &&
	           mysql_first_int(conn, "SELECT COUNT(*) FROM users WHERE email LIKE 'explain-orders-%'") == 0,
	       "the fixture is removed");
	mysql_close(conn);
	db_close();
	return tap_done();
}
