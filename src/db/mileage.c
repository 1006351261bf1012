#include "db/mileage.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"

static const char *const kind_names[] = {"earned", "spent", "reversed"};

const char *mileage_kind_name(enum mileage_kind k)
{
	return kind_names[k];
}

enum status db_mileage_add(long long user_id, enum mileage_kind kind, long long amount, long long order_id,
                           long long line_id, bool *applied)
{
	unsigned long long n = 0;
	*applied = false;
	struct db_param u[] = {DB_INT(amount), DB_INT(user_id), DB_INT(amount)};
	enum status st = db_query("UPDATE users SET mileage_balance = mileage_balance + ?"
	                          " WHERE id = ? AND mileage_balance + ? >= 0",
	                          u, 3, NULL, NULL, &n);
	if (st != ST_OK || n == 0)
		return st;
	struct db_param e[] = {DB_INT(user_id),  DB_TEXT(kind_names[kind]),           DB_INT(amount),
	                       DB_INT(order_id), line_id ? DB_INT(line_id) : DB_NULL, DB_INT(user_id)};
	st = db_query("INSERT INTO mileage_entries (user_id, kind, amount, balance_after, order_id, order_line_id)"
	              " SELECT ?, ?, ?, mileage_balance, ?, ? FROM users WHERE id = ?",
	              e, 6, NULL, NULL, NULL);
	*applied = st == ST_OK;
	return st;
}

struct entry_list {
	struct mileage_entry *items;
	size_t n;
};

static enum status read_entry(const struct db_row *row, void *ctx)
{
	struct entry_list *l = ctx;
	char word[16];
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	struct mileage_entry *e = &l->items[l->n++];
	memset(e, 0, sizeof *e);
	e->id = db_int(row, 0);
	db_copy(row, 1, word, sizeof word);
	e->kind = strcmp(word, "earned") == 0  ? MILEAGE_EARNED
	          : strcmp(word, "spent") == 0 ? MILEAGE_SPENT
	                                       : MILEAGE_REVERSED;
	e->amount = db_int(row, 2);
	e->balance_after = db_int(row, 3);
	e->order_id = db_int(row, 4);
	e->line_id = db_int(row, 5);
	db_copy(row, 6, e->product_name, sizeof e->product_name);
	db_copy(row, 7, e->created_at, sizeof e->created_at);
	return ST_OK;
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

/* ix_mileage_entries_user_created serves both statements. */
enum status db_mileage_entries(long long user_id, int page, int per_page, struct mileage_entry **out, size_t *n,
                               long long *total)
{
	struct entry_list l = {NULL, 0};
	struct db_param p[] = {DB_INT(user_id), DB_INT(per_page), DB_INT((long long)(page - 1) * per_page)};
	*out = NULL;
	*n = 0;
	struct db_param c[] = {p[0], DB_INT(DB_LIST_TOTAL_CAP + 1)};
	enum status st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM mileage_entries WHERE user_id = ? LIMIT ?) t", c,
	                          2, read_count, total, NULL);
	if (st == ST_OK)
		st = db_query(
		    "SELECT e.id, e.kind, e.amount, e.balance_after, e.order_id, e.order_line_id, l.product_name,"
		    " e.created_at FROM mileage_entries e LEFT JOIN order_lines l ON l.id = e.order_line_id"
		    " WHERE e.user_id = ? ORDER BY e.created_at DESC, e.id DESC LIMIT ? OFFSET ?",
		    p, 3, read_entry, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}
