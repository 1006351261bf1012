#include "db/likes.h"

#include "db/db.h"
#include "util/buf.h"

struct product_state {
	long long like_count, brand_id;
	bool found, shown;
};

static enum status read_state(const struct db_row *row, void *ctx)
{
	struct product_state *s = ctx;
	s->found = true;
	s->like_count = db_int(row, 0);
	s->shown = db_int(row, 1) != 0;
	s->brand_id = db_int(row, 2);
	return ST_OK;
}

static enum status read_flag(const struct db_row *row, void *ctx)
{
	*(bool *)ctx = db_int(row, 0) != 0;
	return ST_OK;
}

struct like_args {
	long long user_id, product_id, like_count;
	bool on;
};

/* The product's row is locked first, in both directions: likes of one product then run one after
 * another, and none takes a shared lock it must later raise (an INSERT … SELECT from products
 * would, and two of them deadlock on the count's update). */
static enum status like_tx(void *ctx)
{
	struct like_args *a = ctx;
	struct db_param id = DB_INT(a->product_id);
	struct product_state s = {0, 0, false, false};
	enum status st =
	    db_query("SELECT like_count, status = 'active', brand_id FROM products WHERE id = ? FOR UPDATE", &id, 1,
	             read_state, &s, NULL);
	if (st != ST_OK)
		return st;
	if (!s.found)
		return ST_NOT_FOUND;
	if (a->on && s.shown) { /* only a product the shop shows can be liked: its brand active too */
		struct db_param brand = DB_INT(s.brand_id);
		s.shown = false;
		st =
		    db_query("SELECT status = 'active' FROM brands WHERE id = ?", &brand, 1, read_flag, &s.shown, NULL);
		if (st != ST_OK)
			return st;
	}
	if (a->on && !s.shown)
		return ST_NOT_FOUND;
	struct db_param p[] = {DB_INT(a->user_id), DB_INT(a->product_id)};
	unsigned long long n = 0;
	/* the unique key makes a second like change nothing */
	st = a->on ? db_query("INSERT IGNORE INTO likes (user_id, product_id) VALUES (?, ?)", p, 2, NULL, NULL, &n)
	           : db_query("DELETE FROM likes WHERE user_id = ? AND product_id = ?", p, 2, NULL, NULL, &n);
	if (st == ST_OK && n == 1) {
		st = db_query(a->on ? "UPDATE products SET like_count = like_count + 1 WHERE id = ?"
		                    : "UPDATE products SET like_count = GREATEST(like_count, 1) - 1 WHERE id = ?",
		              &id, 1, NULL, NULL, NULL);
		s.like_count = a->on ? s.like_count + 1 : (s.like_count > 0 ? s.like_count - 1 : 0);
	}
	a->like_count = s.like_count;
	return st;
}

enum status db_like_set(long long user_id, long long product_id, bool on, long long *like_count)
{
	struct like_args a = {user_id, product_id, 0, on};
	enum status st = db_transaction(like_tx, &a, 4);
	*like_count = a.like_count;
	return st;
}

/* Ten placeholders; LIKES_AMONG_MAX of them fill the list of db_likes_among's one statement. */
#define TEN_IDS "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
#define HUNDRED_IDS                                                                                                    \
	TEN_IDS ", " TEN_IDS ", " TEN_IDS ", " TEN_IDS ", " TEN_IDS ", " TEN_IDS ", " TEN_IDS ", " TEN_IDS             \
	        ", " TEN_IDS ", " TEN_IDS
_Static_assert(sizeof HUNDRED_IDS == LIKES_AMONG_MAX * 3 - 1, "one placeholder per id of LIKES_AMONG_MAX");
_Static_assert(1 + LIKES_AMONG_MAX <= DB_MAX_PARAMS, "db_query binds them all");

/* One statement for any number of ids (its address keys the statement cache): the unused
 * placeholders are 0, which no product has. */
static const char likes_among_sql[] =
    "SELECT product_id FROM likes WHERE user_id = ? AND product_id IN (" HUNDRED_IDS ")";

struct among {
	const long long *ids;
	size_t n;
	bool *liked;
};

static enum status read_among(const struct db_row *row, void *ctx)
{
	struct among *a = ctx;
	long long id = db_int(row, 0);
	for (size_t i = 0; i < a->n; i++)
		if (a->ids[i] == id)
			a->liked[i] = true;
	return ST_OK;
}

enum status db_likes_among(long long user_id, const long long *ids, size_t n, bool *liked)
{
	struct db_param p[1 + LIKES_AMONG_MAX];
	if (n > LIKES_AMONG_MAX)
		return ST_ERROR;
	p[0] = DB_INT(user_id);
	for (size_t i = 0; i < LIKES_AMONG_MAX; i++)
		p[1 + i] = DB_INT(i < n ? ids[i] : 0);
	for (size_t i = 0; i < n; i++)
		liked[i] = false;
	struct among a = {ids, n, liked};
	return db_query(likes_among_sql, p, 1 + LIKES_AMONG_MAX, read_among, &a, NULL);
}

/* ---- a shopper's likes, kept per process ---------------------------------------------------------- */

/* Shoppers remembered per process, by user id modulo this (another shopper of the slot replaces one). */
#define KEPT_SLOTS 256

struct kept {
	long long user_id; /* 0: empty */
	unsigned long long version;
	bool too_many; /* more than LIKES_KEPT_MAX: not kept */
	long long *ids;
	size_t n;
};

static struct kept kept_slots[KEPT_SLOTS];

/* By uq_likes_user_product: the shopper's product ids in order, one more than are kept at most. */
static const char sql_kept[] = "SELECT product_id FROM likes WHERE user_id = ? ORDER BY product_id LIMIT ?";

static enum status read_kept(const struct db_row *row, void *ctx)
{
	struct kept *k = ctx;
	if (k->n < LIKES_KEPT_MAX)
		k->ids[k->n] = db_int(row, 0);
	k->n++;
	return ST_OK;
}

enum status db_likes_kept(long long user_id, unsigned long long version, const long long **ids, size_t *n)
{
	struct kept *k = &kept_slots[(unsigned long long)user_id % KEPT_SLOTS];
	if (k->user_id != user_id || k->version != version) {
		if (!k->ids)
			k->ids = xmalloc(LIKES_KEPT_MAX * sizeof *k->ids);
		k->user_id = 0;
		k->n = 0;
		struct db_param p[] = {DB_INT(user_id), DB_INT(LIKES_KEPT_MAX + 1)};
		/* Read where the likes were written: the version came from the primary too. */
		enum status st = db_query(sql_kept, p, 2, read_kept, k, NULL);
		if (st != ST_OK)
			return st;
		k->user_id = user_id;
		k->version = version;
		k->too_many = k->n > LIKES_KEPT_MAX;
	}
	*ids = k->too_many ? NULL : k->ids;
	*n = k->too_many ? 0 : k->n;
	return ST_OK;
}

bool likes_kept_has(const long long *ids, size_t n, long long id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return true;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}
