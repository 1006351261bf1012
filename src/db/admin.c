#include "db/admin.h"

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
