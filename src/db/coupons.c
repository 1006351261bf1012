#include "db/coupons.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"

#define COUPON_COLUMNS                                                                                                 \
	"SELECT id, name, COALESCE(discount_percent, 0), COALESCE(discount_amount, 0), min_line_amount,"               \
	" COALESCE(category_id, 0), valid_from, valid_until, state,"                                                   \
	" state = 'available' AND valid_from <= UTC_TIMESTAMP() AND valid_until > UTC_TIMESTAMP(), used_at"            \
	" FROM coupons"

static const char *const state_names[] = {"available", "used", "expired", "revoked"};

const char *coupon_state_name(enum coupon_state s)
{
	return state_names[s];
}

static void read_coupon(const struct db_row *row, struct coupon *c)
{
	char word[16];
	memset(c, 0, sizeof *c);
	c->rule.id = db_int(row, 0);
	db_copy(row, 1, c->name, sizeof c->name);
	c->rule.percent = (int)db_int(row, 2);
	c->rule.amount = db_int(row, 3);
	c->rule.min_line_amount = db_int(row, 4);
	c->rule.category_id = db_int(row, 5);
	db_copy(row, 6, c->valid_from, sizeof c->valid_from);
	db_copy(row, 7, c->valid_until, sizeof c->valid_until);
	db_copy(row, 8, word, sizeof word);
	c->state = COUPON_AVAILABLE;
	for (size_t i = 0; i < sizeof state_names / sizeof state_names[0]; i++)
		if (strcmp(word, state_names[i]) == 0)
			c->state = (enum coupon_state)i;
	c->usable_now = db_int(row, 9) != 0;
	db_copy(row, 10, c->used_at, sizeof c->used_at);
}

struct coupon_list {
	struct coupon *items;
	size_t n;
};

static enum status add_coupon(const struct db_row *row, void *ctx)
{
	struct coupon_list *l = ctx;
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	read_coupon(row, &l->items[l->n++]);
	return ST_OK;
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

/* ix_coupons_user_state serves the user's rows; a shopper holds a handful, so the sort is cheap. */
enum status db_coupons_of_user(long long user_id, int page, int per_page, struct coupon **out, size_t *n,
                               long long *total)
{
	struct coupon_list l = {NULL, 0};
	struct db_param p[] = {DB_INT(user_id), DB_INT(per_page), DB_INT((long long)(page - 1) * per_page)};
	struct db_param c[] = {DB_INT(user_id), DB_INT(DB_LIST_TOTAL_CAP + 1)};
	enum status st = total ? db_query("SELECT COUNT(*) FROM (SELECT 1 FROM coupons WHERE user_id = ? LIMIT ?) t", c,
	                                  2, read_count, total, NULL)
	                       : ST_OK;
	if (st == ST_OK)
		st = db_query(COUPON_COLUMNS " WHERE user_id = ?"
		                             " ORDER BY state = 'available' AND valid_until > UTC_TIMESTAMP() DESC,"
		                             " IF(state = 'available', valid_until, NULL), id DESC LIMIT ? OFFSET ?",
		              p, 3, add_coupon, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		l.items = NULL;
		l.n = 0;
	}
	*out = l.items;
	*n = l.n;
	return st;
}

static enum status read_one(const struct db_row *row, void *ctx)
{
	read_coupon(row, ctx);
	return ST_OK;
}

enum status db_coupon_read(long long user_id, long long coupon_id, bool lock, struct coupon *out)
{
	struct db_param p[] = {DB_INT(coupon_id), DB_INT(user_id)};
	memset(out, 0, sizeof *out);
	enum status st = db_query(lock ? COUPON_COLUMNS " WHERE id = ? AND user_id = ? FOR UPDATE"
	                               : COUPON_COLUMNS " WHERE id = ? AND user_id = ?",
	                          p, 2, read_one, out, NULL);
	return st == ST_OK && !out->rule.id ? ST_NOT_FOUND : st;
}
