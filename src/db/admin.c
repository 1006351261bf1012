#include "db/admin.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"

static enum status read_counts(const struct db_row *row, void *ctx)
{
	struct admin_counts *c = ctx;
	long long *v[] = {&c->members,         &c->pending_members, &c->sellers,  &c->suspended_sellers,
	                  &c->brands,          &c->inactive_brands, &c->products, &c->awaiting_transfers,
	                  &c->refunds_pending, &c->reviews_hidden};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		*v[i] = db_int(row, i);
	return ST_OK;
}

enum status db_admin_counts(struct admin_counts *out)
{
	memset(out, 0, sizeof *out);
	return db_query("SELECT (SELECT COUNT(*) FROM users WHERE role = 'shopper' AND status = 'active'),"
	                " (SELECT COUNT(*) FROM users WHERE role = 'shopper' AND status = 'pending'),"
	                " (SELECT COUNT(*) FROM sellers WHERE status = 'active'),"
	                " (SELECT COUNT(*) FROM sellers WHERE status = 'suspended'),"
	                " (SELECT COUNT(*) FROM brands WHERE status = 'active'),"
	                " (SELECT COUNT(*) FROM brands WHERE status = 'inactive'),"
	                " (SELECT COUNT(*) FROM products WHERE status = 'active'),"
	                " (SELECT COUNT(*) FROM orders WHERE payment_method = 'bank_transfer' AND payment_state = "
	                "'awaiting_payment'),"
	                " (SELECT COUNT(*) FROM refunds WHERE state = 'pending'),"
	                " (SELECT COUNT(*) FROM reviews WHERE status = 'hidden')",
	                NULL, 0, read_counts, out, NULL);
}

struct seller_row {
	bool found;
	long long brand_id;
	bool suspended;
};

static enum status read_seller_row(const struct db_row *row, void *ctx)
{
	struct seller_row *s = ctx;
	s->found = true;
	s->brand_id = db_int(row, 0);
	s->suspended = db_int(row, 1) != 0;
	return ST_OK;
}

enum status db_seller_set_status(long long seller_id, bool suspend, long long *brand_id, bool *changed)
{
	struct seller_row s = {false, 0, false};
	struct db_param id = DB_INT(seller_id);
	*changed = false;
	enum status st = db_query("SELECT brand_id, status = 'suspended' FROM sellers WHERE id = ?", &id, 1,
	                          read_seller_row, &s, NULL);
	if (st != ST_OK)
		return st;
	if (!s.found)
		return ST_NOT_FOUND;
	*brand_id = s.brand_id;
	unsigned long long n = 0;
	struct db_param p[] = {DB_TEXT(suspend ? "suspended" : "active"), DB_INT(seller_id),
	                       DB_TEXT(suspend ? "suspended" : "active")};
	st = db_query("UPDATE sellers SET status = ? WHERE id = ? AND status <> ?", p, 3, NULL, NULL, &n);
	*changed = st == ST_OK && n == 1;
	return st;
}

enum status db_brand_set_key(long long brand_id, const unsigned char hash[32])
{
	unsigned long long n = 0;
	struct db_param p[] = {DB_BYTES(hash, 32), DB_INT(brand_id)};
	enum status st = db_query("UPDATE brands SET key_hash = ?, key_rotated_at = UTC_TIMESTAMP() WHERE id = ?", p, 2,
	                          NULL, NULL, &n);
	return st == ST_OK && n == 0 ? ST_NOT_FOUND : st;
}

enum status db_coupon_issue(const struct coupon_issue *c, long long user_id, long long admin_id,
                            unsigned long long *issued)
{
	struct db_param p[] = {DB_TEXT(c->name),
	                       c->percent ? DB_INT(c->percent) : DB_NULL,
	                       c->amount ? DB_INT(c->amount) : DB_NULL,
	                       DB_INT(c->min_line_amount),
	                       c->category_id ? DB_INT(c->category_id) : DB_NULL,
	                       DB_INT(c->valid_from),
	                       DB_INT(c->valid_from),
	                       DB_INT(c->valid_until),
	                       DB_INT(admin_id),
	                       DB_INT(user_id)};
#define COUPON_ISSUE                                                                                                   \
	"INSERT INTO coupons (user_id, name, discount_percent, discount_amount, min_line_amount, category_id,"         \
	" valid_from, valid_until, issued_by_user_id)"                                                                 \
	" SELECT u.id, ?, ?, ?, ?, ?, IF(? = 0, UTC_TIMESTAMP(), STR_TO_DATE(?, '%Y%m%d')),"                           \
	" STR_TO_DATE(?, '%Y%m%d') + INTERVAL 1 DAY, ? FROM users u WHERE u.role = 'shopper' AND u.status = 'active'"
	*issued = 0;
	/* one shopper by the primary key; every active shopper by ix_users_role_status_created */
	return user_id > 0 ? db_query(COUPON_ISSUE " AND u.id = ?", p, 10, NULL, NULL, issued)
	                   : db_query(COUPON_ISSUE, p, 9, NULL, NULL, issued);
#undef COUPON_ISSUE
}

static enum status read_found(const struct db_row *row, void *ctx)
{
	(void)row;
	*(bool *)ctx = true;
	return ST_OK;
}

enum status db_category_exists(long long id, bool *exists)
{
	struct db_param p = DB_INT(id);
	*exists = false;
	return db_query("SELECT id FROM categories WHERE id = ?", &p, 1, read_found, exists, NULL);
}

static enum status read_state(const struct db_row *row, void *ctx)
{
	db_copy(row, 0, ctx, 16);
	return ST_OK;
}

enum status db_coupon_revoke(long long coupon_id, bool *changed, char state[16])
{
	struct db_param id = DB_INT(coupon_id);
	unsigned long long n = 0;
	*changed = false;
	state[0] = '\0';
	enum status st = db_query("UPDATE coupons SET state = 'revoked' WHERE id = ? AND state = 'available'", &id, 1,
	                          NULL, NULL, &n);
	if (st == ST_OK)
		st = db_query("SELECT state FROM coupons WHERE id = ?", &id, 1, read_state, state, NULL);
	if (st == ST_OK && !state[0])
		return ST_NOT_FOUND;
	*changed = st == ST_OK && n == 1;
	return st;
}

#define MEMBER_COLUMNS                                                                                                 \
	"SELECT u.id, u.grade_id, u.mileage_balance, COALESCE(u.email, ''), COALESCE(u.name, ''), u.status,"           \
	" DATE_FORMAT(u.created_at, '%Y-%m-%dT%H:%i:%S'), COALESCE(DATE_FORMAT(u.withdrawn_at, '%Y-%m-%dT%H:%i:%S'), " \
	"''),"                                                                                                         \
	" u.erased_at IS NOT NULL"

struct member_list {
	struct member *items;
	size_t n;
};

static void read_member_row(const struct db_row *row, struct member *m)
{
	memset(m, 0, sizeof *m);
	m->id = db_int(row, 0);
	m->grade_id = db_int(row, 1);
	m->mileage_balance = db_int(row, 2);
	db_copy(row, 3, m->email, sizeof m->email);
	db_copy(row, 4, m->name, sizeof m->name);
	db_copy(row, 5, m->status, sizeof m->status);
	db_copy(row, 6, m->created_at, sizeof m->created_at);
	db_copy(row, 7, m->withdrawn_at, sizeof m->withdrawn_at);
	m->erased = db_int(row, 8) != 0;
}

static enum status read_member_list(const struct db_row *row, void *ctx)
{
	struct member_list *l = ctx;
	l->items = realloc(l->items, (l->n + 1) * sizeof *l->items);
	if (!l->items)
		return ST_ERROR;
	read_member_row(row, &l->items[l->n++]);
	return ST_OK;
}

static enum status read_total(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

enum status db_members(const char *q, int page, int per_page, struct member **out, size_t *n, long long *total)
{
	struct member_list l = {NULL, 0};
	char like[260];
	*out = NULL;
	*n = 0;
	*total = 0;
	enum status st;
	long long offset = (long long)(page - 1) * per_page;
	if (q && *q) {
		/* a prefix: the LIKE's own wildcards in q are taken literally */
		size_t j = 0;
		for (const char *c = q; *c && j < sizeof like - 3; c++) {
			if (*c == '%' || *c == '_' || *c == '\\')
				like[j++] = '\\';
			like[j++] = *c;
		}
		like[j++] = '%';
		like[j] = '\0';
		bool email = strchr(q, '@') != NULL;
		struct db_param c[] = {DB_TEXT(like), DB_INT(DB_LIST_TOTAL_CAP + 1)};
		struct db_param p[] = {DB_TEXT(like), DB_INT(per_page), DB_INT(offset)};
		st = db_query(
		    email
		        ? "SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE email LIKE ? AND role = 'shopper' LIMIT ?) t"
		        : "SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE name LIKE ? AND role = 'shopper' LIMIT ?) t",
		    c, 2, read_total, total, NULL);
		if (st == ST_OK)
			st = db_query(email ? MEMBER_COLUMNS " FROM users u WHERE u.email LIKE ? AND u.role = 'shopper'"
			                                     " ORDER BY u.email, u.id LIMIT ? OFFSET ?"
			                    : MEMBER_COLUMNS " FROM users u WHERE u.name LIKE ? AND u.role = 'shopper'"
			                                     " ORDER BY u.name, u.id LIMIT ? OFFSET ?",
			              p, 3, read_member_list, &l, NULL);
	} else {
		struct db_param c[] = {DB_INT(DB_LIST_TOTAL_CAP + 1)};
		struct db_param p[] = {DB_INT(per_page), DB_INT(offset)};
		st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE role = 'shopper' LIMIT ?) t", c, 1,
		              read_total, total, NULL);
		if (st == ST_OK)
			st = db_query(MEMBER_COLUMNS
			              " FROM users u WHERE u.role = 'shopper' ORDER BY u.id DESC LIMIT ? OFFSET ?",
			              p, 2, read_member_list, &l, NULL);
	}
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

static enum status read_one_member(const struct db_row *row, void *ctx)
{
	struct member *m = ctx;
	read_member_row(row, m);
	m->orders = db_int(row, 9);
	m->reviews = db_int(row, 10);
	return ST_OK;
}

enum status db_member(long long id, struct member *out)
{
	struct db_param p[] = {DB_INT(id)};
	memset(out, 0, sizeof *out);
	enum status st = db_query(MEMBER_COLUMNS ", (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id),"
	                                         " (SELECT COUNT(*) FROM reviews r WHERE r.user_id = u.id)"
	                                         " FROM users u WHERE u.id = ? AND u.role = 'shopper'",
	                          p, 1, read_one_member, out, NULL);
	return st == ST_OK && out->id == 0 ? ST_NOT_FOUND : st;
}

struct erase_args {
	long long id;
	bool changed;
};

static enum status erase_tx(void *ctx)
{
	struct erase_args *a = ctx;
	struct member m;
	a->changed = false;
	enum status st = db_member(a->id, &m);
	if (st != ST_OK)
		return st;
	if (strcmp(m.status, "withdrawn") != 0)
		return ST_CONFLICT;
	struct db_param p[] = {DB_INT(a->id)};
	unsigned long long n = 0;
	st = db_query("UPDATE users SET name = NULL, gender = NULL, preferred_style_id = NULL, upper_body_type = NULL,"
	              " lower_body_type = NULL, email = NULL, email_verified_at = NULL, phone = NULL, kakao_id = NULL,"
	              " password_hash = NULL, birth_date = NULL, postal_code = NULL, address = NULL,"
	              " address_detail = NULL, height_cm = NULL, weight_kg = NULL, erased_at = UTC_TIMESTAMP()"
	              " WHERE id = ? AND role = 'shopper' AND status = 'withdrawn' AND erased_at IS NULL",
	              p, 1, NULL, NULL, &n);
	if (st == ST_OK && n == 1)
		st = db_query("UPDATE reviews SET shared_height_cm = NULL, shared_weight_kg = NULL,"
		              " shared_upper_body_type = NULL, shared_lower_body_type = NULL WHERE user_id = ?",
		              p, 1, NULL, NULL, NULL);
	a->changed = st == ST_OK && n == 1;
	return st;
}

enum status db_member_erase(long long id, bool *changed)
{
	struct erase_args a = {id, false};
	enum status st = db_transaction(erase_tx, &a, 3);
	*changed = st == ST_OK && a.changed;
	return st;
}

static enum status read_admin_brand(const struct db_row *row, void *ctx)
{
	struct admin_brand *b = ctx;
	b->id = db_int(row, 0);
	db_copy(row, 1, b->name, sizeof b->name);
	db_copy(row, 2, b->status, sizeof b->status);
	b->shipping_fee = db_int(row, 3);
	b->free_shipping_threshold = row->cols[4] ? db_int(row, 4) : -1;
	b->return_shipping_cost = db_int(row, 5);
	db_copy(row, 6, b->return_courier, sizeof b->return_courier);
	db_copy(row, 7, b->return_address, sizeof b->return_address);
	b->has_webhook = db_int(row, 8) != 0;
	db_copy(row, 9, b->introduction, sizeof b->introduction);
	return ST_OK;
}

enum status db_admin_brand(long long id, struct admin_brand *out)
{
	struct db_param p[] = {DB_INT(id)};
	memset(out, 0, sizeof *out);
	enum status st =
	    db_query("SELECT id, name, status, shipping_fee, free_shipping_threshold, return_shipping_cost,"
	             " return_courier, return_address, COALESCE(notify_webhook_url, '') <> '', introduction"
	             " FROM brands WHERE id = ?",
	             p, 1, read_admin_brand, out, NULL);
	return st == ST_OK && out->id == 0 ? ST_NOT_FOUND : st;
}

enum status db_brand_edit(long long id, const struct brand_edit *e)
{
	struct admin_brand b;
	enum status st = db_admin_brand(id, &b);
	if (st != ST_OK)
		return st;
	struct db_param p[] = {
	    e->shipping_fee >= 0 ? DB_INT(e->shipping_fee) : DB_NULL,
	    e->free_shipping_threshold >= 0 ? DB_INT(e->free_shipping_threshold) : DB_NULL,
	    e->return_shipping_cost >= 0 ? DB_INT(e->return_shipping_cost) : DB_NULL,
	    DB_TEXT_OR_NULL(e->return_courier),
	    DB_TEXT_OR_NULL(e->return_address),
	    DB_TEXT_OR_NULL(e->introduction),
	    DB_INT(e->webhook_clear),
	    DB_TEXT_OR_NULL(e->webhook_url),
	    DB_INT(id),
	};
	return db_query("UPDATE brands SET shipping_fee = COALESCE(?, shipping_fee),"
	                " free_shipping_threshold = COALESCE(?, free_shipping_threshold),"
	                " return_shipping_cost = COALESCE(?, return_shipping_cost),"
	                " return_courier = COALESCE(?, return_courier), return_address = COALESCE(?, return_address),"
	                " introduction = COALESCE(?, introduction),"
	                " notify_webhook_url = IF(? = 1, NULL, COALESCE(?, notify_webhook_url)) WHERE id = ?",
	                p, sizeof p / sizeof *p, NULL, NULL, NULL);
}

enum status db_brand_set_status(long long id, bool active, bool *changed)
{
	struct admin_brand b;
	*changed = false;
	enum status st = db_admin_brand(id, &b);
	if (st != ST_OK)
		return st;
	unsigned long long n = 0;
	struct db_param p[] = {DB_TEXT(active ? "active" : "inactive"), DB_INT(id),
	                       DB_TEXT(active ? "active" : "inactive")};
	st = db_query("UPDATE brands SET status = ? WHERE id = ? AND status <> ?", p, 3, NULL, NULL, &n);
	*changed = st == ST_OK && n == 1;
	return st;
}

enum status db_brand_set_logo(long long id, const char *key)
{
	struct db_param p[] = {DB_TEXT(key), DB_INT(id)};
	return db_query("UPDATE brands SET logo_image = ? WHERE id = ?", p, 2, NULL, NULL, NULL);
}

struct review_list {
	struct admin_review *items;
	size_t n;
};

static enum status read_admin_review(const struct db_row *row, void *ctx)
{
	struct review_list *l = ctx;
	struct admin_review *grown = realloc(l->items, (l->n + 1) * sizeof *l->items);
	if (!grown)
		return ST_ERROR;
	l->items = grown;
	struct admin_review *r = &l->items[l->n++];
	memset(r, 0, sizeof *r);
	r->id = db_int(row, 0);
	r->product_id = db_int(row, 1);
	db_copy(row, 2, r->product_name, sizeof r->product_name);
	r->rating = db_int(row, 3);
	db_copy(row, 4, r->body, sizeof r->body);
	r->hidden = db_int(row, 5) != 0;
	db_copy(row, 6, r->reason, sizeof r->reason);
	db_copy(row, 7, r->created_at, sizeof r->created_at);
	return ST_OK;
}

enum status db_admin_reviews(bool hidden, int page, int per_page, struct admin_review **out, size_t *n,
                             long long *total)
{
	struct review_list l = {NULL, 0};
	const char *state = hidden ? "hidden" : "published";
	struct db_param c[] = {DB_TEXT(state), DB_INT(DB_LIST_TOTAL_CAP + 1)};
	struct db_param p[] = {DB_TEXT(state), DB_INT(per_page), DB_INT((long long)(page - 1) * per_page)};
	*out = NULL;
	*n = 0;
	enum status st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM reviews WHERE status = ? LIMIT ?) t", c, 2,
	                          read_total, total, NULL);
	if (st == ST_OK)
		st = db_query("SELECT r.id, r.product_id, p.name, r.rating, LEFT(COALESCE(r.body, ''), 1000),"
		              " r.status = 'hidden', COALESCE(r.hidden_reason, ''), r.created_at"
		              " FROM reviews r JOIN products p ON p.id = r.product_id WHERE r.status = ?"
		              " ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?",
		              p, 3, read_admin_review, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

struct seller_list {
	struct admin_seller *items;
	size_t n;
};

static enum status read_admin_seller(const struct db_row *row, void *ctx)
{
	struct seller_list *l = ctx;
	struct admin_seller *grown = realloc(l->items, (l->n + 1) * sizeof *l->items);
	if (!grown)
		return ST_ERROR;
	l->items = grown;
	struct admin_seller *s = &l->items[l->n++];
	memset(s, 0, sizeof *s);
	s->id = db_int(row, 0);
	s->brand_id = db_int(row, 1);
	db_copy(row, 2, s->brand_name, sizeof s->brand_name);
	db_copy(row, 3, s->email, sizeof s->email);
	db_copy(row, 4, s->name, sizeof s->name);
	db_copy(row, 5, s->status, sizeof s->status);
	db_copy(row, 6, s->last_login_at, sizeof s->last_login_at);
	return ST_OK;
}

#define SELLER_COLUMNS                                                                                                 \
	"SELECT s.id, s.brand_id, b.name, s.email, s.name, s.status, s.last_login_at FROM sellers s"                   \
	" JOIN brands b ON b.id = s.brand_id"

enum status db_admin_sellers(long long brand_id, int page, int per_page, struct admin_seller **out, size_t *n,
                             long long *total)
{
	struct seller_list l = {NULL, 0};
	long long offset = (long long)(page - 1) * per_page;
	enum status st;
	*out = NULL;
	*n = 0;
	if (brand_id > 0) {
		struct db_param c[] = {DB_INT(brand_id), DB_INT(DB_LIST_TOTAL_CAP + 1)};
		struct db_param p[] = {DB_INT(brand_id), DB_INT(per_page), DB_INT(offset)};
		st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM sellers WHERE brand_id = ? LIMIT ?) t", c, 2,
		              read_total, total, NULL);
		if (st == ST_OK)
			st = db_query(SELLER_COLUMNS " WHERE s.brand_id = ? ORDER BY s.id DESC LIMIT ? OFFSET ?", p, 3,
			              read_admin_seller, &l, NULL);
	} else {
		struct db_param c[] = {DB_INT(DB_LIST_TOTAL_CAP + 1)};
		struct db_param p[] = {DB_INT(per_page), DB_INT(offset)};
		st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM sellers LIMIT ?) t", c, 1, read_total, total, NULL);
		if (st == ST_OK)
			st = db_query(SELLER_COLUMNS " ORDER BY s.id DESC LIMIT ? OFFSET ?", p, 2, read_admin_seller,
			              &l, NULL);
	}
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

struct brand_rows {
	struct admin_brand_row *items;
	size_t n;
};

static enum status read_brand_row(const struct db_row *row, void *ctx)
{
	struct brand_rows *l = ctx;
	struct admin_brand_row *grown = realloc(l->items, (l->n + 1) * sizeof *l->items);
	if (!grown)
		return ST_ERROR;
	l->items = grown;
	struct admin_brand_row *b = &l->items[l->n++];
	memset(b, 0, sizeof *b);
	b->id = db_int(row, 0);
	db_copy(row, 1, b->name, sizeof b->name);
	db_copy(row, 2, b->status, sizeof b->status);
	b->shipping_fee = db_int(row, 3);
	return ST_OK;
}

enum status db_admin_brands(int page, int per_page, struct admin_brand_row **out, size_t *n, long long *total)
{
	struct brand_rows l = {NULL, 0};
	struct db_param c[] = {DB_INT(DB_LIST_TOTAL_CAP + 1)};
	struct db_param p[] = {DB_INT(per_page), DB_INT((long long)(page - 1) * per_page)};
	*out = NULL;
	*n = 0;
	enum status st =
	    db_query("SELECT COUNT(*) FROM (SELECT 1 FROM brands LIMIT ?) t", c, 1, read_total, total, NULL);
	/* by the name's index: with a few hundred brands the optimizer would rather sort a scan */
	if (st == ST_OK)
		st = db_query("SELECT id, name, status, shipping_fee FROM brands FORCE INDEX (uq_brands_name)"
		              " ORDER BY name LIMIT ? OFFSET ?",
		              p, 2, read_brand_row, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

struct coupon_rows {
	struct admin_coupon *items;
	size_t n;
};

static enum status read_admin_coupon(const struct db_row *row, void *ctx)
{
	struct coupon_rows *l = ctx;
	struct admin_coupon *grown = realloc(l->items, (l->n + 1) * sizeof *l->items);
	if (!grown)
		return ST_ERROR;
	l->items = grown;
	struct admin_coupon *c = &l->items[l->n++];
	memset(c, 0, sizeof *c);
	c->id = db_int(row, 0);
	c->user_id = db_int(row, 1);
	db_copy(row, 2, c->email, sizeof c->email);
	db_copy(row, 3, c->name, sizeof c->name);
	c->percent = row->cols[4] ? db_int(row, 4) : 0;
	c->amount = row->cols[5] ? db_int(row, 5) : 0;
	c->min_line_amount = db_int(row, 6);
	c->category_id = row->cols[7] ? db_int(row, 7) : 0;
	db_copy(row, 8, c->state, sizeof c->state);
	db_copy(row, 9, c->valid_until, sizeof c->valid_until);
	db_copy(row, 10, c->created_at, sizeof c->created_at);
	return ST_OK;
}

#define COUPON_COLUMNS                                                                                                 \
	"SELECT c.id, c.user_id, u.email, c.name, c.discount_percent, c.discount_amount, c.min_line_amount,"           \
	" c.category_id, c.state, c.valid_until, c.created_at FROM coupons c JOIN users u ON u.id = c.user_id"

enum status db_admin_coupons(long long user_id, int page, int per_page, struct admin_coupon **out, size_t *n,
                             long long *total)
{
	struct coupon_rows l = {NULL, 0};
	long long offset = (long long)(page - 1) * per_page;
	enum status st;
	*out = NULL;
	*n = 0;
	if (user_id > 0) {
		struct db_param c[] = {DB_INT(user_id), DB_INT(DB_LIST_TOTAL_CAP + 1)};
		struct db_param p[] = {DB_INT(user_id), DB_INT(per_page), DB_INT(offset)};
		st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM coupons WHERE user_id = ? LIMIT ?) t", c, 2,
		              read_total, total, NULL);
		if (st == ST_OK)
			st = db_query(COUPON_COLUMNS " WHERE c.user_id = ? ORDER BY c.id DESC LIMIT ? OFFSET ?", p, 3,
			              read_admin_coupon, &l, NULL);
	} else {
		struct db_param c[] = {DB_INT(DB_LIST_TOTAL_CAP + 1)};
		struct db_param p[] = {DB_INT(per_page), DB_INT(offset)};
		st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM coupons LIMIT ?) t", c, 1, read_total, total, NULL);
		if (st == ST_OK)
			st = db_query(COUPON_COLUMNS " ORDER BY c.id DESC LIMIT ? OFFSET ?", p, 2, read_admin_coupon,
			              &l, NULL);
	}
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}
