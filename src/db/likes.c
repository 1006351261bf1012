#include "db/likes.h"

#include "db/db.h"

struct product_state {
	long long like_count;
	bool found, shown;
};

static enum status read_state(const struct db_row *row, void *ctx)
{
	struct product_state *s = ctx;
	s->found = true;
	s->like_count = db_int(row, 0);
	s->shown = db_int(row, 1) != 0;
	return ST_OK;
}

struct like_args {
	long long user_id, product_id, like_count;
	bool on;
};

static enum status like_tx(void *ctx)
{
	struct like_args *a = ctx;
	struct db_param p[] = {DB_INT(a->user_id), DB_INT(a->product_id)};
	unsigned long long n = 0;
	/* Only a product the shop shows can be liked; the unique key makes a second like change nothing. */
	enum status st = a->on
	                     ? db_query("INSERT IGNORE INTO likes (user_id, product_id)"
	                                " SELECT ?, p.id FROM products p JOIN brands b ON b.id = p.brand_id"
	                                " WHERE p.id = ? AND p.status = 'active' AND b.status = 'active'",
	                                p, 2, NULL, NULL, &n)
	                     : db_query("DELETE FROM likes WHERE user_id = ? AND product_id = ?", p, 2, NULL, NULL, &n);
	if (st == ST_OK && n == 1) {
		struct db_param id = DB_INT(a->product_id);
		st = db_query(a->on ? "UPDATE products SET like_count = like_count + 1 WHERE id = ?"
		                    : "UPDATE products SET like_count = GREATEST(like_count, 1) - 1 WHERE id = ?",
		              &id, 1, NULL, NULL, NULL);
	}
	struct product_state s = {0, false, false};
	if (st == ST_OK)
		st = db_query("SELECT p.like_count, p.status = 'active' AND b.status = 'active'"
		              " FROM products p JOIN brands b ON b.id = p.brand_id WHERE p.id = ?",
		              p + 1, 1, read_state, &s, NULL);
	if (st != ST_OK)
		return st;
	if (!s.found || (a->on && !s.shown && n == 0)) /* nothing to like (a like kept from before stays) */
		return ST_NOT_FOUND;
	a->like_count = s.like_count;
	return ST_OK;
}

enum status db_like_set(long long user_id, long long product_id, bool on, long long *like_count)
{
	struct like_args a = {user_id, product_id, 0, on};
	enum status st = db_transaction(like_tx, &a, 4);
	*like_count = a.like_count;
	return st;
}

static enum status read_one(const struct db_row *row, void *ctx)
{
	(void)row;
	*(bool *)ctx = true;
	return ST_OK;
}

enum status db_like_get(long long user_id, long long product_id, bool *liked)
{
	struct db_param p[] = {DB_INT(user_id), DB_INT(product_id)};
	*liked = false;
	return db_query("SELECT 1 FROM likes WHERE user_id = ? AND product_id = ?", p, 2, read_one, liked, NULL);
}
