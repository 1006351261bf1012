#include "db/orders.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/total_cache.h"
#include "util/buf.h"

const char *const payment_method_names[] = {"bank_transfer", "card", "kakaopay", NULL};
const char *const payment_state_names[] = {
    "awaiting_payment", "paid", "expired", "cancelled", "refund_pending", "refunded", "partially_refunded", NULL};
const char *const line_state_names[] = {"ordered",   "preparing",        "shipped",  "delivered",       "confirmed",
                                        "cancelled", "return_requested", "returned", "return_rejected", NULL};
const char *const return_reason_names[] = {"change_of_mind", "size", "defective", "wrong_item", "other", NULL};

/* The index of column col's word in the NULL-terminated names (an enum's value), or 0. */
static int column_index(const struct db_row *row, size_t col, const char *const *names)
{
	char word[32];
	db_copy(row, col, word, sizeof word);
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], word) == 0)
			return i;
	return 0;
}

/* The return reason of column col: RETURN_NONE for NULL. */
static enum return_reason column_return_reason(const struct db_row *row, size_t col)
{
	return db_is_null(row, col) ? RETURN_NONE
	                            : (enum return_reason)(column_index(row, col, return_reason_names) + 1);
}

/* An order's columns (orders o JOIN users u), in the order fill_order reads them. */
#define ORDER_FIELDS                                                                                                   \
	"o.id, o.user_id, o.merchant_uid, o.payment_method, o.payment_state, o.imp_uid, o.payment_due_at,"             \
	" o.paid_at, o.cancelled_at, o.created_at, o.recipient_name, o.recipient_phone, o.postal_code, o.address,"     \
	" o.address_detail, o.delivery_memo, o.grade_discount_percent, o.mileage_percent, o.items_amount,"             \
	" o.coupon_discount_amount, o.grade_discount_amount, o.mileage_used, o.shipping_amount, o.total_amount,"       \
	" o.refunded_amount, o.received_amount, o.received_at, u.name, u.email"
#define ORDER_COLUMNS "SELECT " ORDER_FIELDS " FROM orders o JOIN users u ON u.id = o.user_id"

/* A line's columns (order_lines l with LINE_JOINS), in the order fill_line reads them. Its product's
 * first picture is its card's (lc: the same definition, kept exact by triggers) while the product is
 * listed, else read from its images; its review (lr) is joined by uq_reviews_order_line. A
 * subquery for each costs MariaDB an execution per line: a third of a page of lines' statement. */
#define LINE_IMAGE                                                                                                     \
	"COALESCE(lc.image_key, (SELECT i.image_key FROM product_images i WHERE i.product_id = l.product_id"           \
	" ORDER BY i.position LIMIT 1))"
#define LINE_FIELDS                                                                                                    \
	"l.id, l.order_id, l.brand_id, l.product_id, l.variant_id, l.product_name, l.brand_name, l.size_label,"        \
	" l.color, " LINE_IMAGE ", l.list_price, l.unit_price, l.quantity, l.subtotal, l.coupon_id,"                   \
	" l.coupon_discount, l.grade_discount, l.mileage_share, l.line_total, l.mileage_earned, l.refunded_amount,"    \
	" l.return_shipping_cost, l.state, l.courier, l.tracking_number, l.shipped_at, l.delivered_at,"                \
	" l.confirmed_at, l.cancelled_at, l.return_requested_at, l.return_decided_at, l.return_reason,"                \
	" l.return_reason_text, l.return_rejection_reason,"                                                            \
	" l.state = 'delivered' AND l.delivered_at > UTC_TIMESTAMP() - INTERVAL 7 DAY, lr.id"
#define LINE_JOINS   " LEFT JOIN product_cards lc ON lc.id = l.product_id LEFT JOIN reviews lr ON lr.order_line_id = l.id"
#define LINE_COLUMNS "SELECT " LINE_FIELDS " FROM order_lines l" LINE_JOINS

/* A growing array of orders (a list, or one). */
struct order_list {
	struct order *items;
	size_t n;
};

/* The shipping snapshot's six columns (recipient_name … delivery_memo) from column col on. */
static void fill_ship(const struct db_row *row, size_t col, struct shipping_address *s)
{
	db_copy(row, col, s->recipient_name, sizeof s->recipient_name);
	db_copy(row, col + 1, s->recipient_phone, sizeof s->recipient_phone);
	db_copy(row, col + 2, s->postal_code, sizeof s->postal_code);
	db_copy(row, col + 3, s->address, sizeof s->address);
	db_copy(row, col + 4, s->address_detail, sizeof s->address_detail);
	db_copy(row, col + 5, s->delivery_memo, sizeof s->delivery_memo);
}

/* The ORDER_COLUMNS of a row, from column base on. */
static void fill_order(const struct db_row *row, size_t base, struct order *o)
{
	struct db_row r = {row->ncols - base, row->cols + base, row->lens + base};
	row = &r;
	memset(o, 0, sizeof *o);
	o->id = db_int(row, 0);
	o->user_id = db_int(row, 1);
	db_copy(row, 2, o->merchant_uid, sizeof o->merchant_uid);
	o->method = (enum payment_method)column_index(row, 3, payment_method_names);
	o->payment_state = (enum payment_state)column_index(row, 4, payment_state_names);
	db_copy(row, 5, o->imp_uid, sizeof o->imp_uid);
	db_copy(row, 6, o->payment_due_at, sizeof o->payment_due_at);
	db_copy(row, 7, o->paid_at, sizeof o->paid_at);
	db_copy(row, 8, o->cancelled_at, sizeof o->cancelled_at);
	db_copy(row, 9, o->created_at, sizeof o->created_at);
	fill_ship(row, 10, &o->ship);
	o->grade_discount_percent = (int)db_int(row, 16);
	o->mileage_percent = (int)db_int(row, 17);
	o->items_amount = db_int(row, 18);
	o->coupon_discount_amount = db_int(row, 19);
	o->grade_discount_amount = db_int(row, 20);
	o->mileage_used = db_int(row, 21);
	o->shipping_amount = db_int(row, 22);
	o->total_amount = db_int(row, 23);
	o->refunded_amount = db_int(row, 24);
	o->received_amount = db_int(row, 25);
	db_copy(row, 26, o->received_at, sizeof o->received_at);
	db_copy(row, 27, o->buyer_name, sizeof o->buyer_name);
	db_copy(row, 28, o->buyer_email, sizeof o->buyer_email);
}

static enum status read_order(const struct db_row *row, void *ctx)
{
	struct order_list *l = ctx;
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	fill_order(row, 0, &l->items[l->n++]);
	return ST_OK;
}

/* The order a line belongs to, among those read. */
static struct order *order_in(struct order_list *l, long long id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].id == id)
			return &l->items[i];
	return NULL;
}

/* The LINE_COLUMNS of a row, from column base on. */
static void fill_line(const struct db_row *row, size_t base, struct order_line *l)
{
	struct db_row r = {row->ncols - base, row->cols + base, row->lens + base};
	row = &r;
	memset(l, 0, sizeof *l);
	l->id = db_int(row, 0);
	l->order_id = db_int(row, 1);
	l->brand_id = db_int(row, 2);
	l->product_id = db_int(row, 3);
	l->variant_id = db_int(row, 4);
	db_copy(row, 5, l->product_name, sizeof l->product_name);
	db_copy(row, 6, l->brand_name, sizeof l->brand_name);
	db_copy(row, 7, l->size_label, sizeof l->size_label);
	db_copy(row, 8, l->color, sizeof l->color);
	db_copy(row, 9, l->image_key, sizeof l->image_key);
	l->list_price = db_int(row, 10);
	l->unit_price = db_int(row, 11);
	l->quantity = db_int(row, 12);
	l->subtotal = db_int(row, 13);
	l->coupon_id = db_int(row, 14);
	l->coupon_discount = db_int(row, 15);
	l->grade_discount = db_int(row, 16);
	l->mileage_share = db_int(row, 17);
	l->line_total = db_int(row, 18);
	l->mileage_earned = db_int(row, 19);
	l->refunded_amount = db_int(row, 20);
	l->return_shipping_cost = db_int(row, 21);
	l->state = (enum line_state)column_index(row, 22, line_state_names);
	db_copy(row, 23, l->courier, sizeof l->courier);
	db_copy(row, 24, l->tracking_number, sizeof l->tracking_number);
	db_copy(row, 25, l->shipped_at, sizeof l->shipped_at);
	db_copy(row, 26, l->delivered_at, sizeof l->delivered_at);
	db_copy(row, 27, l->confirmed_at, sizeof l->confirmed_at);
	db_copy(row, 28, l->cancelled_at, sizeof l->cancelled_at);
	db_copy(row, 29, l->return_requested_at, sizeof l->return_requested_at);
	db_copy(row, 30, l->return_decided_at, sizeof l->return_decided_at);
	l->return_reason = column_return_reason(row, 31);
	db_copy(row, 32, l->return_reason_text, sizeof l->return_reason_text);
	db_copy(row, 33, l->return_rejection_reason, sizeof l->return_rejection_reason);
	l->return_window_open = db_int(row, 34) != 0;
	l->review_id = db_int(row, 35);
}

static enum status read_line(const struct db_row *row, void *ctx)
{
	struct order *o = order_in(ctx, db_int(row, 1));
	if (!o)
		return ST_OK;
	o->lines = xgrow(o->lines, o->nlines, sizeof *o->lines);
	fill_line(row, 0, &o->lines[o->nlines++]);
	return ST_OK;
}

static enum status read_shipping(const struct db_row *row, void *ctx)
{
	struct order *o = order_in(ctx, db_int(row, 0));
	if (!o)
		return ST_OK;
	o->shipping = xgrow(o->shipping, o->nshipping, sizeof *o->shipping);
	struct order_shipping *s = &o->shipping[o->nshipping++];
	s->brand_id = db_int(row, 1);
	db_copy(row, 2, s->brand_name, sizeof s->brand_name);
	s->lines_amount = db_int(row, 3);
	s->fee = db_int(row, 4);
	s->refunded_amount = db_int(row, 5);
	return ST_OK;
}

void order_free(struct order *o)
{
	free(o->lines);
	free(o->shipping);
	o->lines = NULL;
	o->shipping = NULL;
	o->nlines = o->nshipping = 0;
}

void orders_free(struct order *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		order_free(&list[i]);
	free(list);
}

/* Reads the lines and shipping rows of the single order read into l. */
#define SHIPPING_COLUMNS                                                                                               \
	"SELECT s.order_id, s.brand_id, b.name, s.lines_amount, s.shipping_fee, s.refunded_amount"                     \
	" FROM order_shipping_charges s JOIN brands b ON b.id = s.brand_id"

static enum status read_children(struct order_list *l)
{
	struct db_param p = DB_INT(l->items[0].id);
	enum status st = db_query(LINE_COLUMNS " WHERE l.order_id = ? ORDER BY l.id", &p, 1, read_line, l, NULL);
	if (st == ST_OK)
		st = db_query(SHIPPING_COLUMNS " WHERE s.order_id = ? ORDER BY s.id", &p, 1, read_shipping, l, NULL);
	return st;
}

/* Finishes a one-order read: moves it into out, or says why not. */
static enum status one_order(enum status st, struct order_list *l, struct order *out)
{
	if (st == ST_OK && l->n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		st = read_children(l);
	if (st == ST_OK)
		*out = l->items[0]; /* the lines and rows move with it */
	else if (l->n)
		order_free(&l->items[0]);
	free(l->items);
	return st;
}

enum status db_order_get(long long order_id, long long user_id, struct order *out)
{
	struct order_list l = {NULL, 0};
	struct db_param p[] = {DB_INT(order_id), DB_INT(user_id), DB_INT(user_id)};
	memset(out, 0, sizeof *out);
	enum status st =
	    db_query(ORDER_COLUMNS " WHERE o.id = ? AND (? = 0 OR o.user_id = ?)", p, 3, read_order, &l, NULL);
	return one_order(st, &l, out);
}

enum status db_order_by_merchant_uid(const char *merchant_uid, struct order *out)
{
	struct order_list l = {NULL, 0};
	struct db_param p = DB_TEXT(merchant_uid);
	memset(out, 0, sizeof *out);
	enum status st = db_query(ORDER_COLUMNS " WHERE o.merchant_uid = ?", &p, 1, read_order, &l, NULL);
	return one_order(st, &l, out);
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

/* The three statements of a page of orders, from the statement that picks the page's ids and the
 * order they come in (string literals, so that each statement is one cached statement): the orders,
 * their lines, their shipping rows. */
/* clang-format off */
#define ORDER_PAGE(ids, order) {                                                \
	ORDER_COLUMNS " JOIN (" ids ") page ON page.id = o.id ORDER BY " order, \
	LINE_COLUMNS " JOIN (" ids ") page ON page.id = l.order_id ORDER BY l.id", \
	SHIPPING_COLUMNS " JOIN (" ids ") page ON page.id = s.order_id ORDER BY s.id"}
/* clang-format on */
struct order_page_sql {
	const char *orders, *lines, *shipping;
};

/* A page of orders with their lines and shipping rows; each statement takes params p. */
static enum status read_page(const struct order_page_sql *sql, const struct db_param *p, size_t np, struct order **out,
                             size_t *n)
{
	struct order_list l = {NULL, 0};
	enum status st = db_query(sql->orders, p, np, read_order, &l, NULL);
	if (st == ST_OK && l.n > 0)
		st = db_query(sql->lines, p, np, read_line, &l, NULL);
	if (st == ST_OK && l.n > 0)
		st = db_query(sql->shipping, p, np, read_shipping, &l, NULL);
	if (st != ST_OK) {
		orders_free(l.items, l.n);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

/* The buyer's order count, to one past DB_LIST_TOTAL_CAP (ix_orders_user_created). */
static enum status count_orders_of_user(long long user_id, long long *total)
{
	struct db_param c[] = {DB_INT(user_id), DB_INT(DB_LIST_TOTAL_CAP + 1)};
	return db_query("SELECT COUNT(*) FROM (SELECT 1 FROM orders WHERE user_id = ? LIMIT ?) t", c, 2, read_count,
	                total, NULL);
}

/* ix_orders_user_created gives the page; the lines and shipping rows of the page's orders come by
 * their order ids (ix_order_lines_order_brand, uq_order_shipping_charges_order_brand). */
enum status db_orders_of_user(long long user_id, int page, int per_page, struct order **out, size_t *n,
                              long long *total)
{
	long long offset = (long long)(page - 1) * per_page;
	struct db_param p[] = {DB_INT(user_id), DB_INT(per_page), DB_INT(offset)};
	*out = NULL;
	*n = 0;
	*total = 0;
	static const struct order_page_sql sql =
	    ORDER_PAGE("SELECT id FROM orders WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
	               "o.created_at DESC, o.id DESC");
	enum status st = read_page(&sql, p, 3, out, n);
	if (st != ST_OK || db_page_ends_list(*n, offset, per_page, total))
		return st; /* most buyers' orders fit on the first page: no count */
	st = count_orders_of_user(user_id, total);
	if (st != ST_OK) {
		orders_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return st;
}

/* ---- a buyer's list of orders ------------------------------------------------------------------ */

struct summary_list {
	struct order_summary *items;
	size_t n;
};

/* A row: the order's columns, then one of its lines' (NULL for an order without lines), in line order:
 * an order's first row brings its first line's product name. */
static enum status read_summary_row(const struct db_row *row, void *ctx)
{
	struct summary_list *l = ctx;
	long long id = db_int(row, 0);
	if (l->n == 0 || l->items[l->n - 1].id != id) {
		l->items = xgrow(l->items, l->n, sizeof *l->items);
		struct order_summary *o = &l->items[l->n++];
		memset(o, 0, sizeof *o);
		o->id = id;
		db_copy(row, 1, o->merchant_uid, sizeof o->merchant_uid);
		db_copy(row, 2, o->created_at, sizeof o->created_at);
		o->payment_state = (enum payment_state)column_index(row, 3, payment_state_names);
		o->total_amount = db_int(row, 4);
		db_copy(row, 5, o->first_product_name, sizeof o->first_product_name);
	}
	if (db_is_null(row, 6))
		return ST_OK;
	struct order_summary *o = &l->items[l->n - 1];
	o->lines = xgrow(o->lines, o->nlines, sizeof *o->lines);
	struct order_summary_line *line = &o->lines[o->nlines++];
	line->state = (enum line_state)column_index(row, 6, line_state_names);
	db_copy(row, 7, line->image_key, sizeof line->image_key);
	return ST_OK;
}

void order_summaries_free(struct order_summary *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].lines);
	free(list);
}

/* One statement: the page's ids from ix_orders_user_created, each order by its primary key, its lines
 * by ix_order_lines_order_brand in their order (an order's first row names it: its first line's
 * product). */
enum status db_order_summaries_of_user(long long user_id, int page, int per_page, struct order_summary **out, size_t *n,
                                       long long *total)
{
	long long offset = (long long)(page - 1) * per_page;
	struct db_param p[] = {DB_INT(user_id), DB_INT(per_page), DB_INT(offset)};
	struct summary_list l = {NULL, 0};
	*out = NULL;
	*n = 0;
	*total = 0;
	enum status st = db_query(
	    "SELECT o.id, o.merchant_uid, o.created_at, o.payment_state, o.total_amount,"
	    " l.product_name, l.state, " LINE_IMAGE
	    " FROM (SELECT id FROM orders WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?) page"
	    " JOIN orders o ON o.id = page.id LEFT JOIN order_lines l ON l.order_id = o.id"
	    " LEFT JOIN product_cards lc ON lc.id = l.product_id ORDER BY o.created_at DESC, o.id DESC, l.id",
	    p, 3, read_summary_row, &l, NULL);
	if (st == ST_OK && !db_page_ends_list(l.n, offset, per_page, total))
		st = count_orders_of_user(user_id, total); /* most buyers' orders fit on the first page: no count */
	if (st != ST_OK) {
		order_summaries_free(l.items, l.n);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

enum status db_order_of_line(long long line_id, long long user_id, long long *order_id)
{
	struct db_param p[] = {DB_INT(line_id), DB_INT(user_id)};
	*order_id = 0;
	enum status st = db_query("SELECT o.id FROM order_lines l JOIN orders o ON o.id = l.order_id"
	                          " WHERE l.id = ? AND o.user_id = ?",
	                          p, 2, read_count, order_id, NULL);
	return st == ST_OK && !*order_id ? ST_NOT_FOUND : st;
}

/* ---- a brand's lines ------------------------------------------------------------------------ */

/* The order's columns, then the line's, for one brand's lines: ix_order_lines_brand_state_created.
 * The lines come first (STRAIGHT_JOIN): with few buyers the optimizer read every user, their orders
 * and lines, then sorted them (5 ms for a brand of 348 lines; 0.37 ms in this order). */
#define BRAND_LINE_COLUMNS ORDER_FIELDS ", " LINE_FIELDS
#define BRAND_LINE_FROM                                                                                                \
	" FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN users u ON u.id = o.user_id" LINE_JOINS
#define ORDER_NCOLUMNS 29

struct brand_line_list {
	struct brand_line *items;
	size_t n;
	long long version; /* the brand's line version, which came with the page */
};

static void add_brand_line(struct brand_line_list *l, const struct db_row *row, size_t base)
{
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	struct brand_line *b = &l->items[l->n++];
	fill_order(row, base, &b->order);
	fill_line(row, base + ORDER_NCOLUMNS, &b->line);
}

static enum status read_brand_line(const struct db_row *row, void *ctx)
{
	add_brand_line(ctx, row, 0);
	return ST_OK;
}

/* A row of a page: the brand's line version, then the line. */
static enum status read_versioned_brand_line(const struct db_row *row, void *ctx)
{
	struct brand_line_list *l = ctx;
	l->version = db_int(row, 0);
	add_brand_line(l, row, 1);
	return ST_OK;
}

/* A page of a brand's lines and their count (to one past DB_LIST_TOTAL_CAP). The page's first
 * column is the brand's line version (schema/025_brand_line_versions.sql; a constant table, read
 * once), and each process keeps a count until that version moves (db/total_cache.h): a page costs
 * its count, up to 10,001 of the brand's lines, only once per change of the brand's lines. */
struct brand_page_sql {
	const char *page, *count;
};
/* clang-format off */
#define BRAND_PAGE_SQL(columns_from, count_sql, where) {                                   \
	"SELECT STRAIGHT_JOIN COALESCE(bv.version, 0), " columns_from                           \
	" LEFT JOIN brand_line_versions bv ON bv.brand_id = ? WHERE " where                     \
	" ORDER BY l.created_at DESC, l.id DESC LIMIT ? OFFSET ?",                              \
	count_sql}
/* clang-format on */

/* The most parameters a filter takes: the brand, a state, the search's four patterns and an id. */
#define BRAND_PAGE_MAX_WHERE 7

/* Runs a page of sql with the filter's parameters where (the brand first; BRAND_PAGE_MAX_WHERE at
 * most), which the count takes too, and sets *total. read_row gets each row with list, sets
 * *version from it and counts the rows in *rows. A first page without a row has nothing to count;
 * a page past the end has no version to keep its count at. */
static enum status read_brand_page(const struct brand_page_sql *sql, const struct db_param *where, size_t nwhere,
                                   int page, int per_page, db_row_fn read_row, void *list, const size_t *rows,
                                   const long long *version, long long *total)
{
	struct db_param p[BRAND_PAGE_MAX_WHERE + 3]; /* the version's brand, where, limit and offset */
	struct db_param c[BRAND_PAGE_MAX_WHERE + 1]; /* where and the cap */
	size_t np = 0, nc = 0;
	long long offset = (long long)(page - 1) * per_page;
	*total = 0;
	if (nwhere > BRAND_PAGE_MAX_WHERE)
		return ST_ERROR;
	p[np++] = where[0];
	for (size_t i = 0; i < nwhere; i++)
		p[np++] = c[nc++] = where[i];
	p[np++] = DB_INT(per_page);
	p[np++] = DB_INT(offset);
	c[nc++] = DB_INT(DB_LIST_TOTAL_CAP + 1);
	enum status st = db_query(sql->page, p, np, read_row, list, NULL);
	if (st != ST_OK || (*rows == 0 && offset == 0))
		return st;
	if (*rows > 0 && total_cache_get(sql->count, c, nc, (unsigned long long)*version, total))
		return ST_OK;
	st = db_query(sql->count, c, nc, read_count, total, NULL);
	if (st == ST_OK && *rows > 0)
		total_cache_put(sql->count, c, nc, (unsigned long long)*version, *total);
	return st;
}

enum status db_brand_lines(long long brand_id, int state, int page, int per_page, struct brand_line **out, size_t *n,
                           long long *total)
{
	static const struct brand_page_sql every_state = BRAND_PAGE_SQL(
	    BRAND_LINE_COLUMNS BRAND_LINE_FROM,
	    "SELECT COUNT(*) FROM (SELECT 1 FROM order_lines WHERE brand_id = ? LIMIT ?) t", "l.brand_id = ?");
	static const struct brand_page_sql one_state = BRAND_PAGE_SQL(
	    BRAND_LINE_COLUMNS BRAND_LINE_FROM,
	    "SELECT COUNT(*) FROM (SELECT 1 FROM order_lines WHERE brand_id = ? AND state = ? LIMIT ?) t",
	    "l.brand_id = ? AND l.state = ?");
	struct db_param w[] = {DB_INT(brand_id), DB_TEXT(state >= 0 ? line_state_names[state] : "")};
	struct brand_line_list l = {NULL, 0, 0};
	enum status st = read_brand_page(state >= 0 ? &one_state : &every_state, w, state >= 0 ? 2 : 1, page, per_page,
	                                 read_versioned_brand_line, &l, &l.n, &l.version, total);
	if (st != ST_OK) {
		free(l.items);
		l = (struct brand_line_list){NULL, 0, 0};
	}
	*out = l.items;
	*n = l.n;
	return st;
}

enum status db_brand_line(long long brand_id, long long line_id, struct brand_line *out)
{
	struct brand_line_list l = {NULL, 0, 0};
	struct db_param p[] = {DB_INT(line_id), DB_INT(brand_id)};
	enum status st =
	    db_query("SELECT STRAIGHT_JOIN " BRAND_LINE_COLUMNS BRAND_LINE_FROM " WHERE l.id = ? AND l.brand_id = ?", p,
	             2, read_brand_line, &l, NULL);
	if (st == ST_OK && l.n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		*out = l.items[0];
	free(l.items);
	return st;
}

/* ---- the seller console's list of lines ------------------------------------------------------- */

/* A console line's columns, after the count, in the order read_console_line reads them. */
#define CONSOLE_LINE_COLUMNS_FROM                                                                                      \
	"l.id, o.merchant_uid, o.created_at, o.paid_at IS NOT NULL, o.recipient_name, o.recipient_phone,"              \
	" o.postal_code, o.address, o.address_detail, o.delivery_memo, l.product_name, l.size_label, l.color,"         \
	" l.quantity, l.state, l.courier, l.tracking_number, l.return_reason, l.return_reason_text,"                   \
	" l.return_rejection_reason FROM order_lines l JOIN orders o ON o.id = l.order_id"

struct console_line_list {
	struct console_line *items;
	size_t n;
	long long version; /* the brand's line version, which came with the page */
};

static enum status read_console_line(const struct db_row *row, void *ctx)
{
	struct console_line_list *list = ctx;
	list->version = db_int(row, 0);
	list->items = xgrow(list->items, list->n, sizeof *list->items);
	struct console_line *l = &list->items[list->n++];
	memset(l, 0, sizeof *l);
	l->id = db_int(row, 1);
	db_copy(row, 2, l->merchant_uid, sizeof l->merchant_uid);
	db_copy(row, 3, l->created_at, sizeof l->created_at);
	l->paid = db_int(row, 4) != 0;
	fill_ship(row, 5, &l->ship);
	db_copy(row, 11, l->product_name, sizeof l->product_name);
	db_copy(row, 12, l->size_label, sizeof l->size_label);
	db_copy(row, 13, l->color, sizeof l->color);
	l->quantity = db_int(row, 14);
	l->state = (enum line_state)column_index(row, 15, line_state_names);
	db_copy(row, 16, l->courier, sizeof l->courier);
	db_copy(row, 17, l->tracking_number, sizeof l->tracking_number);
	l->return_reason = column_return_reason(row, 18);
	db_copy(row, 19, l->return_reason_text, sizeof l->return_reason_text);
	db_copy(row, 20, l->return_rejection_reason, sizeof l->return_rejection_reason);
	return ST_OK;
}

/* The console's search: a line whose product, recipient, tracking number or order number contains q,
 * or whose order id is q. Four shapes (state given or not, q given or not); each reads the brand's
 * lines by ix_order_lines_brand_state_created (or _brand_created) and its orders by primary key. */
#define BRAND_LINE_MATCH                                                                                               \
	" AND (l.product_name LIKE ? OR o.recipient_name LIKE ? OR l.tracking_number LIKE ? OR o.merchant_uid LIKE ?"  \
	" OR l.order_id = ?)"
#define BRAND_LINE_COUNT "SELECT COUNT(*) FROM (SELECT 1 FROM order_lines l JOIN orders o ON o.id = l.order_id"

enum status db_console_lines(long long brand_id, int state, const char *q, int page, int per_page,
                             struct console_line **out, size_t *n, long long *total)
{
	static const struct brand_page_sql shapes[2][2] = {
	    {BRAND_PAGE_SQL(CONSOLE_LINE_COLUMNS_FROM,
	                    "SELECT COUNT(*) FROM (SELECT 1 FROM order_lines WHERE brand_id = ? LIMIT ?) t",
	                    "l.brand_id = ?"),
	     BRAND_PAGE_SQL(
	         CONSOLE_LINE_COLUMNS_FROM,
	         "SELECT COUNT(*) FROM (SELECT 1 FROM order_lines WHERE brand_id = ? AND state = ? LIMIT ?) t",
	         "l.brand_id = ? AND l.state = ?")},
	    {BRAND_PAGE_SQL(CONSOLE_LINE_COLUMNS_FROM,
	                    BRAND_LINE_COUNT " WHERE l.brand_id = ?" BRAND_LINE_MATCH " LIMIT ?) t",
	                    "l.brand_id = ?" BRAND_LINE_MATCH),
	     BRAND_PAGE_SQL(CONSOLE_LINE_COLUMNS_FROM,
	                    BRAND_LINE_COUNT " WHERE l.brand_id = ? AND l.state = ?" BRAND_LINE_MATCH " LIMIT ?) t",
	                    "l.brand_id = ? AND l.state = ?" BRAND_LINE_MATCH)}};
	bool search = q && *q;
	struct buf like = BUF_INIT;
	struct db_param w[BRAND_PAGE_MAX_WHERE];
	size_t nw = 0;
	w[nw++] = DB_INT(brand_id);
	if (state >= 0)
		w[nw++] = DB_TEXT(line_state_names[state]);
	if (search) {
		db_like_pattern(&like, q, false);
		char *end;
		long long id = strtoll(q, &end, 10);
		for (int i = 0; i < 4; i++)
			w[nw++] = DB_TEXT(buf_str(&like));
		w[nw++] = DB_INT(*end || id < 0 ? 0 : id);
	}
	struct console_line_list l = {NULL, 0, 0};
	enum status st = read_brand_page(&shapes[search][state >= 0], w, nw, page, per_page, read_console_line, &l,
	                                 &l.n, &l.version, total);
	buf_free(&like);
	if (st != ST_OK) {
		free(l.items);
		l = (struct console_line_list){NULL, 0, 0};
	}
	*out = l.items;
	*n = l.n;
	return st;
}

/* ix_orders_method_state_created: the admin's queue of one method in one state, oldest first. */
enum status db_orders_by_state(enum payment_method method, enum payment_state state, int page, int per_page,
                               struct order **out, size_t *n, long long *total)
{
	struct db_param p[] = {DB_TEXT(payment_method_names[method]), DB_TEXT(payment_state_names[state]),
	                       DB_INT(per_page), DB_INT((long long)(page - 1) * per_page)};
	*out = NULL;
	*n = 0;
	*total = 0;
	struct db_param c[] = {p[0], p[1], DB_INT(DB_LIST_TOTAL_CAP + 1)};
	enum status st =
	    db_query("SELECT COUNT(*) FROM (SELECT 1 FROM orders WHERE payment_method = ? AND payment_state = ?"
	             " LIMIT ?) t",
	             c, 3, read_count, total, NULL);
	static const struct order_page_sql sql =
	    ORDER_PAGE("SELECT id FROM orders WHERE payment_method = ? AND payment_state = ?"
	               " ORDER BY created_at, id LIMIT ? OFFSET ?",
	               "o.created_at, o.id");
	return st == ST_OK ? read_page(&sql, p, 4, out, n) : st;
}

enum status db_orders_keyed_count(const char *prefix, long long *count)
{
	struct db_param p = DB_TEXT(prefix);
	*count = 0;
	return db_query("SELECT COUNT(*) FROM orders WHERE idempotency_key LIKE CONCAT(?, '%')", &p, 1, read_count,
	                count, NULL);
}
