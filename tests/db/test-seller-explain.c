/* The seller console's statements (src/db/seller_console.c, and the order lines' search of
 * src/db/orders.c) against a real MariaDB (run by ci/test with LONUA_DB_* set): each is EXPLAINed
 * as the code sends it (db_query's EXPLAIN mode, db_explain_hook) over a generated shop of 200
 * brands, 6,000 sizes, 6,000 order lines, 6,000 questions, 12,000 stock movements and 1,000
 * branches (ANALYZEd), and fails when a table is read with a full scan (type ALL); then each
 * function is called for real and must succeed. The fixture rows are named "explain-seller-…" and
 * removed at the end. */
#include <mysql.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/orders.h"
#include "db/seller_console.h"
#include "mysql-first-int.h"
#include "tap.h"
#include "util/buf.h"
#include "util/config.h"

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

static const char cleanup_sql[] =
    "DELETE m FROM stock_movements m JOIN product_variants v ON v.id = m.variant_id JOIN brands b ON b.id = v.brand_id"
    " WHERE b.name LIKE 'explain-seller-%';"
    "DELETE a FROM answers a JOIN questions q ON q.id = a.question_id JOIN users u ON u.id = q.user_id"
    " WHERE u.email LIKE 'explain-seller-%';"
    "DELETE q FROM questions q JOIN users u ON u.id = q.user_id WHERE u.email LIKE 'explain-seller-%';"
    "DELETE FROM sellers WHERE email LIKE 'explain-seller-%';"
    "DELETE l FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN users u ON u.id = o.user_id"
    " WHERE u.email LIKE 'explain-seller-%';"
    "DELETE s FROM order_shipping_charges s JOIN orders o ON o.id = s.order_id JOIN users u ON u.id = o.user_id"
    " WHERE u.email LIKE 'explain-seller-%';"
    "DELETE o FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email LIKE 'explain-seller-%';"
    "DELETE FROM users WHERE email LIKE 'explain-seller-%';"
    "DELETE p FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name LIKE 'explain-seller-%';"
    "DELETE FROM brands WHERE name LIKE 'explain-seller-%'";

/* 200 shoppers, 200 brands with 10 products of 3 sizes each (some with little stock, each with a
 * SKU), 6,000 orders of one line each over the days up to now, 6,000 questions (a third answered),
 * 2 stock movements a size, 5 branches a brand. */
static const char fixture_sql[] =
    "INSERT INTO users (role, status, email, password_hash, name) SELECT IF(seq = 0, 'admin', 'shopper'), 'active',"
    " CONCAT('explain-seller-', seq, '@example.test'), 'not-a-hash', 'explain' FROM seq_0_to_200;"
    "SET @u0 = (SELECT MIN(id) FROM users WHERE email LIKE 'explain-seller-%');"
    "INSERT INTO brands (name, key_hash, business_address, phone, business_registration_number, bank_name,"
    " bank_account_number, bank_account_holder, return_address, return_courier)"
    " SELECT CONCAT('explain-seller-', seq), UNHEX(SHA2(CONCAT('explain-seller-', seq), 256)), '서울시',"
    " '0212345678', '1234567890', '은행', '123', '예금주', '서울시', 'CJ' FROM seq_1_to_200;"
    "SET @b0 = (SELECT MIN(id) - 1 FROM brands WHERE name LIKE 'explain-seller-%');"
    "INSERT INTO products (brand_id, category_id, style_id, name, list_price, sale_price, status)"
    " SELECT @b0 + 1 + seq % 200, (SELECT MIN(id) FROM categories), (SELECT MIN(id) FROM styles),"
    " CONCAT('explain-seller ', seq), 20000, 19000, 'active' FROM seq_1_to_2000;"
    "INSERT INTO product_variants (product_id, brand_id, size_label, sku, stock, sort_order)"
    " SELECT p.id, p.brand_id, z.label, CONCAT('ES-', p.id, '-', z.label), (p.id * z.pos) % 40, z.pos FROM products p"
    " JOIN brands b ON b.id = p.brand_id"
    " JOIN (SELECT 'S' AS label, 1 AS pos UNION ALL SELECT 'M', 2 UNION ALL SELECT 'L', 3) z"
    " WHERE b.name LIKE 'explain-seller-%';"
    "CREATE TEMPORARY TABLE explain_variants AS SELECT ROW_NUMBER() OVER (ORDER BY v.id) - 1 AS n, v.id,"
    " v.product_id, v.brand_id FROM product_variants v JOIN brands b ON b.id = v.brand_id"
    " WHERE b.name LIKE 'explain-seller-%';"
    "INSERT INTO orders (user_id, merchant_uid, idempotency_key, request_hash, payment_method, payment_state,"
    " payment_due_at, paid_at, cancelled_at, recipient_name, recipient_phone, postal_code, address, grade_id,"
    " grade_discount_percent, mileage_percent, items_amount, shipping_amount, total_amount, received_amount,"
    " received_at, received_confirmed_by, created_at)"
    " SELECT @u0 + 1 + seq % 200, CONCAT('explain-seller-', seq), CONCAT('explain-seller-', seq),"
    " UNHEX(SHA2(seq, 256)), 'bank_transfer', ELT(1 + seq % 3, 'awaiting_payment', 'paid', 'cancelled'),"
    " UTC_TIMESTAMP() - INTERVAL seq * 10 MINUTE, IF(seq % 3 = 1, UTC_TIMESTAMP(), NULL),"
    " IF(seq % 3 = 2, UTC_TIMESTAMP(), NULL), '받는분', '01012345678', '12345', '서울시', 1, 0, 1, 19000, 0, 19000,"
    " IF(seq % 3 = 1, 19000, NULL), IF(seq % 3 = 1, UTC_TIMESTAMP(), NULL), IF(seq % 3 = 1, @u0, NULL),"
    " UTC_TIMESTAMP() - INTERVAL seq * 10 MINUTE FROM seq_1_to_6000;"
    "INSERT INTO order_shipping_charges (order_id, brand_id, lines_amount, brand_shipping_fee, shipping_fee)"
    " SELECT o.id, v.brand_id, 19000, 0, 0 FROM orders o JOIN explain_variants v ON v.n = o.id % 6000"
    " WHERE o.merchant_uid LIKE 'explain-seller-%';"
    "INSERT INTO order_lines (order_id, brand_id, product_id, variant_id, product_name, brand_name, size_label,"
    " list_price, unit_price, quantity, subtotal, line_total, state, courier, tracking_number, shipped_at,"
    " delivered_at, cancelled_at, created_at)"
    " SELECT o.id, v.brand_id, v.product_id, v.id, 'explain', 'explain', 'M', 20000, 19000, 1, 19000, 19000,"
    " IF(o.payment_state = 'cancelled', 'cancelled', ELT(1 + o.id % 4, 'ordered', 'shipped', 'delivered', "
    "'preparing')),"
    " IF(o.id % 4 IN (1, 2) AND o.payment_state <> 'cancelled', 'CJ', NULL),"
    " IF(o.id % 4 IN (1, 2) AND o.payment_state <> 'cancelled', '1', NULL),"
    " IF(o.id % 4 IN (1, 2) AND o.payment_state <> 'cancelled', o.created_at, NULL),"
    " IF(o.id % 4 = 2 AND o.payment_state <> 'cancelled', o.created_at, NULL),"
    " IF(o.payment_state = 'cancelled', o.created_at, NULL), o.created_at"
    " FROM orders o JOIN explain_variants v ON v.n = o.id % 6000 WHERE o.merchant_uid LIKE 'explain-seller-%';"
    "INSERT INTO sellers (brand_id, email, password_hash, name) SELECT id, CONCAT('explain-seller-', id, "
    "'@example.test'),"
    " 'not-a-hash', 'explain' FROM brands WHERE name LIKE 'explain-seller-%';"
    "INSERT INTO stock_movements (variant_id, delta, stock_after, reason, seller_id, seller_name, note, created_at)"
    " SELECT v.id, 1 + z.seq, 10, 'seller_adjustment', s.id, 'explain', 'explain', '2026-01-01' + INTERVAL z.seq DAY"
    " FROM explain_variants v JOIN sellers s ON s.brand_id = v.brand_id JOIN seq_0_to_1 z;"
    "DROP TEMPORARY TABLE explain_variants;"
    "CREATE TEMPORARY TABLE explain_products AS SELECT ROW_NUMBER() OVER (ORDER BY p.id) - 1 AS n, p.id,"
    " p.brand_id FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name LIKE 'explain-seller-%';"
    "INSERT INTO questions (product_id, brand_id, user_id, type, title, body, is_secret, answered_at, created_at)"
    " SELECT p.id, p.brand_id, @u0 + 1 + s.seq % 200, 'size', 'explain', 'explain', s.seq % 2,"
    " IF(s.seq % 3 = 0, '2026-01-02', NULL), '2026-01-01' + INTERVAL s.seq MINUTE"
    " FROM seq_1_to_6000 s JOIN explain_products p ON p.n = s.seq % 2000;"
    "DROP TEMPORARY TABLE explain_products;"
    "INSERT INTO branches (brand_id, name, address) SELECT b.id, CONCAT('매장 ', z.seq), CONCAT('서울시 ', z.seq)"
    " FROM brands b JOIN seq_1_to_5 z WHERE b.name LIKE 'explain-seller-%';"
    "ANALYZE TABLE users, brands, products, product_variants, orders, order_lines, order_shipping_charges,"
    " sellers, stock_movements, questions, branches";

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
	if (strncmp(sql, "INSERT", 6) == 0 && !strstr(sql, "SELECT"))
		return; /* EXPLAIN INSERT … VALUES names its table with type ALL, and reads nothing */
	if (strcmp(type, "ALL") == 0)
		buf_printf(&p->problems, "\n#   table %s is read with a full scan in: %.160s", table, sql);
}

static long long brand, variant, seller, branch;

static enum status dashboard(void)
{
	static struct seller_dashboard d;
	return db_seller_dashboard(brand, (long long)time(NULL), &d);
}

static enum status variants(const char *q)
{
	struct stock_variant *list;
	size_t n;
	long long total;
	enum status st = db_brand_variants(brand, q, 2, 20, &list, &n, &total);
	free(list);
	return st;
}

static enum status one_variant(void)
{
	struct stock_variant v;
	return db_brand_variant(brand, variant, &v);
}

static enum status history(void)
{
	struct stock_movement *list;
	size_t n;
	long long total;
	enum status st = db_stock_history(brand, variant, 1, 20, &list, &n, &total);
	free(list);
	return st;
}

/* By id and by SKU, +1 then -1 (the stock ends as it was). */
static enum status adjust(void)
{
	char sku[64];
	snprintf(sku, sizeof sku, "%s", "");
	MYSQL_RES *r;
	if (mysql_query(conn, "SELECT sku FROM product_variants WHERE id = (SELECT MIN(v.id) FROM product_variants v"
	                      " JOIN brands b ON b.id = v.brand_id WHERE b.name LIKE 'explain-seller-%')") == 0 &&
	    (r = mysql_store_result(conn))) {
		MYSQL_ROW row = mysql_fetch_row(r);
		if (row && row[0])
			snprintf(sku, sizeof sku, "%s", row[0]);
		mysql_free_result(r);
	}
	struct stock_adjustment a[] = {
	    {.variant_id = variant, .delta = 1, .reason = "explain"},
	    {.sku = sku, .delta = 1, .reason = "explain"},
	    {.variant_id = variant, .delta = -1, .reason = "explain"},
	};
	enum status st = db_stock_adjust(brand, seller, "explain", a, 3);
	/* While explained, the UPDATE changes no row, so each adjustment ends as "not found" after its
	 * lookups (the history row's INSERT … SELECT and the stock read after it are by primary key). */
	return db_explain_hook && st == ST_INVALID ? ST_OK : st;
}

static enum status lines(int state, const char *q)
{
	struct console_line *list;
	size_t n;
	long long total;
	enum status st = db_console_lines(brand, state, q, 2, 20, &list, &n, &total);
	free(list);
	return st;
}

static enum status branches(void)
{
	struct branch *list, b;
	size_t n;
	enum status st = db_branches(brand, &list, &n);
	free(list);
	if (st == ST_OK)
		st = db_branch_get(brand, branch, &b);
	long long id = 0;
	if (st == ST_OK || st == ST_NOT_FOUND)
		st = db_branch_save(brand, &id, "explain-new", "04524", "explain-new address", "0212345678");
	if (st == ST_OK && id) {
		st = db_branch_save(brand, &id, "explain-new 2", NULL, "explain-new address 2", NULL);
		if (st == ST_OK)
			st = db_branch_delete(brand, id);
	} else if (st == ST_OK) { /* explained only: nothing was inserted; explain the update and delete too */
		long long b2 = branch;
		st = db_branch_save(brand, &b2, "explain-upd", NULL, "explain-upd address", NULL);
		if (st == ST_OK || st == ST_NOT_FOUND)
			st = db_branch_delete(brand, branch + 1000000000LL);
		if (st == ST_NOT_FOUND)
			st = ST_OK;
	}
	return st;
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
	if (!tap_ok(run_sql(fixture_sql) == 0,
	            "the fixture: 200 brands, 6,000 sizes and order lines, questions, movements"))
		goto done;
	brand = mysql_first_int(conn, "SELECT MIN(l.brand_id) FROM order_lines l JOIN orders o ON o.id = l.order_id"
	                              " WHERE o.merchant_uid LIKE 'explain-seller-%'");
	variant = mysql_first_int(conn, "SELECT MIN(v.id) FROM product_variants v WHERE v.brand_id = "
	                                "(SELECT MIN(l.brand_id) FROM order_lines l JOIN orders o ON o.id = l.order_id"
	                                " WHERE o.merchant_uid LIKE 'explain-seller-%')");
	seller = mysql_first_int(conn, "SELECT MIN(id) FROM sellers WHERE email LIKE 'explain-seller-%'");
	branch = mysql_first_int(
	    conn, "SELECT MIN(id) FROM branches WHERE name = '매장 1' AND brand_id = (SELECT MIN(l.brand_id)"
	          " FROM order_lines l JOIN orders o ON o.id = l.order_id"
	          " WHERE o.merchant_uid LIKE 'explain-seller-%')");

	CHECK("the dashboard (today's orders, lines to ship, open questions, low stock, 30 days of sales)",
	      dashboard());
	CHECK("the brand's variants", variants(""));
	CHECK("the brand's variants matching a name or SKU", variants("explain"));
	CHECK("one of the brand's variants", one_variant());
	CHECK("a variant's stock history", history());
	CHECK("stock adjustments by id and by SKU", adjust());
	CHECK("the brand's lines (search, any state)", lines(-1, "받는"));
	CHECK("the brand's lines (search, one state)", lines(LINE_SHIPPED, "12"));
	CHECK("the brand's lines (no search, one state)", lines(LINE_ORDERED, ""));
	CHECK("the brand's lines (no search, any state)", lines(-1, NULL));
	CHECK("branches: list, one, add, change, delete", branches());

	/* The console's lines say what the brand's whole lines say (db_brand_lines, the API's), line by
	 * line, in every state and in one. */
	const int states[] = {-1, LINE_SHIPPED};
	char returns_sql[320]; /* some lines with a return asked, so that its columns are compared too */
	snprintf(returns_sql, sizeof returns_sql,
	         "UPDATE order_lines SET return_reason = 'size', return_reason_text = 'explain note',"
	         " return_rejection_reason = 'explain refusal' WHERE brand_id = %lld AND state = 'shipped' LIMIT 3",
	         brand);
	tap_ok(run_sql(returns_sql) == 0 &&
	           mysql_first_int(conn, "SELECT COUNT(*) FROM order_lines WHERE return_reason_text = 'explain note'") >
	               0,
	       "some of the brand's lines have a return");
	for (size_t i = 0; i < 2; i++) {
		struct brand_line *whole;
		struct console_line *console;
		size_t nwhole = 0, nconsole = 0, differ = 0;
		long long twhole = -1, tconsole = -2;
		if (db_brand_lines(brand, states[i], 1, 50, &whole, &nwhole, &twhole) == ST_OK &&
		    db_console_lines(brand, states[i], NULL, 1, 50, &console, &nconsole, &tconsole) == ST_OK) {
			for (size_t k = 0; k < nwhole && k < nconsole; k++) {
				const struct order *o = &whole[k].order;
				const struct order_line *w = &whole[k].line;
				const struct console_line *c = &console[k];
				differ +=
				    !(c->id == w->id && strcmp(c->merchant_uid, o->merchant_uid) == 0 &&
				      strcmp(c->created_at, o->created_at) == 0 && c->paid == (o->paid_at[0] != '\0') &&
				      memcmp(&c->ship, &o->ship, sizeof c->ship) == 0 &&
				      strcmp(c->product_name, w->product_name) == 0 &&
				      strcmp(c->size_label, w->size_label) == 0 && strcmp(c->color, w->color) == 0 &&
				      c->quantity == w->quantity && c->state == w->state &&
				      strcmp(c->courier, w->courier) == 0 &&
				      strcmp(c->tracking_number, w->tracking_number) == 0 &&
				      c->return_reason == w->return_reason &&
				      strcmp(c->return_reason_text, w->return_reason_text) == 0 &&
				      strcmp(c->return_rejection_reason, w->return_rejection_reason) == 0);
			}
			free(whole);
			free(console);
		}
		tap_ok(nwhole > 1 && nconsole == nwhole && tconsole == twhole && differ == 0,
		       "the console's lines (state %d): %zu of %lld, the whole lines %zu of %lld, %zu differ",
		       states[i], nconsole, tconsole, nwhole, twhole, differ);
	}

	/* A page reads the brand's line version with its rows; the count follows in a statement of its
	 * own only when this process has none kept at that version (the version moved just before each
	 * shape, as any write of the brand's lines moves it): the first page counts, the second reuses
	 * the count, and a page past the end, which has no version, counts alone. Every line of the
	 * fixture's is shipped to "받는분", so the search matches them all. */
	static const struct {
		int state;
		const char *q, *state_name;
	} shapes[] = {
	    {-1, NULL, NULL}, {LINE_ORDERED, "", "ordered"}, {-1, "받는", NULL}, {LINE_SHIPPED, "받는", "shipped"}};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM order_lines WHERE brand_id = %lld%s%s%s", brand,
		         shapes[i].state_name ? " AND state = '" : "", shapes[i].state_name ? shapes[i].state_name : "",
		         shapes[i].state_name ? "'" : "");
		long long want = mysql_first_int(conn, sql);
		snprintf(sql, sizeof sql, "UPDATE brand_line_versions SET version = version + 1 WHERE brand_id = %lld",
		         brand);
		if (run_sql(sql) != 0)
			goto done;
		const int pages[][2] = {{1, 2}, {1, 1000}, {100, 2}}; /* a full page, every line, past the end */
		const long long statements[] = {2, 1, 2};
		for (size_t k = 0; k < 3; k++) {
			struct console_line *list;
			size_t n;
			long long total = -1, before = mysql_statements_executed(conn);
			enum status st = db_console_lines(brand, shapes[i].state, shapes[i].q, pages[k][0], pages[k][1],
			                                  &list, &n, &total);
			long long ran = mysql_statements_executed(conn) - before;
			size_t shown = want < (long long)pages[k][0] * pages[k][1] - pages[k][1]
			                   ? 0
			                   : (size_t)(want - ((long long)pages[k][0] - 1) * pages[k][1]);
			if (shown > (size_t)pages[k][1])
				shown = (size_t)pages[k][1];
			if (st == ST_OK)
				free(list);
			tap_ok(st == ST_OK && want > 2 && total == want && n == shown && ran == statements[k],
			       "the brand's lines (state %d, q \"%s\"), page %d of %d: total %lld of %lld, %zu lines "
			       "of %zu, "
			       "%lld statements (%lld expected)",
			       shapes[i].state, shapes[i].q ? shapes[i].q : "", pages[k][0], pages[k][1], total, want,
			       n, shown, ran, statements[k]);
		}
	}

done:
	tap_ok(run_sql(cleanup_sql) == 0 &&
	           mysql_first_int(conn, "SELECT COUNT(*) FROM users WHERE email LIKE 'explain-seller-%'") == 0,
	       "the fixture is removed");
	mysql_close(conn);
	db_close();
	return tap_done();
}
