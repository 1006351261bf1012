#include "db/reviews.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/admin.h"
#include "db/db.h"
#include "util/buf.h"

const char *const review_fit_names[] = {"small", "true", "large", NULL};

/* A review with its line's size, its product, its reviewer's name and its photos' keys (by
 * uq_review_photos_position, comma-separated: keys are hex digests). */
#define REVIEW_COLUMNS                                                                                                 \
	"SELECT r.id, r.order_line_id, r.product_id, r.user_id, r.rating, r.fit, r.status = 'published',"              \
	" r.shared_height_cm, r.shared_weight_kg, r.shared_upper_body_type, r.shared_lower_body_type, r.body, u.name," \
	" l.size_label, l.color, l.product_name, l.brand_name, (SELECT i.image_key FROM product_images i"              \
	" WHERE i.product_id = r.product_id ORDER BY i.position LIMIT 1), r.created_at, r.updated_at,"                 \
	" (SELECT GROUP_CONCAT(ph.image_key ORDER BY ph.position SEPARATOR ',') FROM review_photos ph"                 \
	" WHERE ph.review_id = r.id)"                                                                                  \
	" FROM reviews r JOIN order_lines l ON l.id = r.order_line_id JOIN users u ON u.id = r.user_id"

static enum review_fit fit_of(const char *word)
{
	for (int i = 0; review_fit_names[i]; i++)
		if (strcmp(review_fit_names[i], word) == 0)
			return (enum review_fit)(i + 1);
	return REVIEW_FIT_TRUE;
}

static void split_keys(const struct db_row *row, size_t col, struct review *r)
{
	char keys[(REVIEW_MAX_PHOTOS + 1) * 101];
	db_copy(row, col, keys, sizeof keys);
	r->nphotos = 0;
	for (char *save = NULL, *k = strtok_r(keys, ",", &save); k && r->nphotos < REVIEW_MAX_PHOTOS;
	     k = strtok_r(NULL, ",", &save))
		snprintf(r->photo_keys[r->nphotos++], sizeof r->photo_keys[0], "%s", k);
}

static void fill_review(const struct db_row *row, struct review *r)
{
	char word[16];
	memset(r, 0, sizeof *r);
	r->id = db_int(row, 0);
	r->order_line_id = db_int(row, 1);
	r->product_id = db_int(row, 2);
	r->user_id = db_int(row, 3);
	r->rating = (int)db_int(row, 4);
	db_copy(row, 5, word, sizeof word);
	r->fit = fit_of(word);
	r->published = db_int(row, 6) != 0;
	r->height_cm = (int)db_int(row, 7);
	r->weight_kg = (int)db_int(row, 8);
	r->upper = (int)db_int(row, 9);
	r->lower = (int)db_int(row, 10);
	db_copy(row, 11, r->body, sizeof r->body);
	db_copy(row, 12, r->reviewer, sizeof r->reviewer);
	db_copy(row, 13, r->size_label, sizeof r->size_label);
	db_copy(row, 14, r->color, sizeof r->color);
	db_copy(row, 15, r->product_name, sizeof r->product_name);
	db_copy(row, 16, r->brand_name, sizeof r->brand_name);
	db_copy(row, 17, r->product_image, sizeof r->product_image);
	db_copy(row, 18, r->created_at, sizeof r->created_at);
	db_copy(row, 19, r->updated_at, sizeof r->updated_at);
	split_keys(row, 20, r);
}

struct review_list {
	struct review *items;
	size_t n;
};

static enum status read_review(const struct db_row *row, void *ctx)
{
	struct review_list *l = ctx;
	l->items = xgrow(l->items, l->n, sizeof *l->items);
	fill_review(row, &l->items[l->n++]);
	return ST_OK;
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

static enum status read_list(const char *sql, const struct db_param *p, size_t np, struct review **out, size_t *n)
{
	struct review_list l = {NULL, 0};
	enum status st = db_query(sql, p, np, read_review, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		l.items = NULL;
		l.n = 0;
	}
	*out = l.items;
	*n = l.n;
	return st;
}

/* ix_reviews_product_status_created gives the page; like_me reads ix_reviews_product_status_build.
 * Only like_me's total is counted here (a page that is not full needs no count): all of a
 * product's is its summary's. */
enum status db_reviews_of_product(long long product_id, const struct review_filter *f, int page, int per_page,
                                  struct review **out, size_t *n, long long *total)
{
	long long offset = (long long)(page - 1) * per_page;
	if (!f->like_me) {
		struct db_param p[] = {DB_INT(product_id), DB_INT(per_page), DB_INT(offset)};
		return read_list(REVIEW_COLUMNS " WHERE r.product_id = ? AND r.status = 'published'"
		                                " ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?",
		                 p, 3, out, n);
	}
	struct db_param c[] = {DB_INT(product_id),
	                       DB_INT(f->upper),
	                       DB_INT(f->lower),
	                       DB_INT(f->height_cm - REVIEW_SIMILAR_CM),
	                       DB_INT(f->height_cm + REVIEW_SIMILAR_CM),
	                       DB_INT(DB_LIST_TOTAL_CAP + 1)};
	struct db_param p[] = {c[0], c[1], c[2], c[3], c[4], DB_INT(per_page), DB_INT(offset)};
	enum status st = read_list(REVIEW_COLUMNS " WHERE r.product_id = ? AND r.status = 'published'"
	                                          " AND r.shared_upper_body_type = ? AND r.shared_lower_body_type = ?"
	                                          " AND r.shared_height_cm BETWEEN ? AND ?"
	                                          " ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?",
	                           p, 7, out, n);
	if (st != ST_OK || !total)
		return st;
	if ((*n > 0 || page == 1) && *n < (size_t)per_page) {
		*total = offset + (long long)*n;
		return ST_OK;
	}
	return db_query("SELECT COUNT(*) FROM (SELECT 1 FROM reviews WHERE product_id = ? AND status = 'published'"
	                " AND shared_upper_body_type = ? AND shared_lower_body_type = ?"
	                " AND shared_height_cm BETWEEN ? AND ? LIMIT ?) t",
	                c, 6, read_count, total, NULL);
}

static enum status read_product(const struct db_row *row, void *ctx)
{
	struct review_product *p = ctx;
	db_copy(row, 0, p->name, sizeof p->name);
	db_copy(row, 1, p->brand_name, sizeof p->brand_name);
	db_copy(row, 2, p->image_key, sizeof p->image_key);
	return ST_OK;
}

enum status db_review_product(long long product_id, struct review_product *out)
{
	struct db_param id = DB_INT(product_id);
	memset(out, 0, sizeof *out);
	enum status st = db_query("SELECT p.name, b.name, (SELECT i.image_key FROM product_images i"
	                          " WHERE i.product_id = p.id ORDER BY i.position LIMIT 1)"
	                          " FROM products p JOIN brands b ON b.id = p.brand_id"
	                          " WHERE p.id = ? AND p.status = 'active' AND b.status = 'active'",
	                          &id, 1, read_product, out, NULL);
	return st == ST_OK && !out->name[0] ? ST_NOT_FOUND : st;
}

bool db_review_summary_read(const char *const *cols, long long count[6], long long fit[4])
{
	count[0] = fit[0] = 0;
	for (int i = 1; i <= 3; i++)
		fit[i] = cols[i - 1] ? strtoll(cols[i - 1], NULL, 10) : 0;
	return cols[3] && sscanf(cols[3], " [ %lld , %lld , %lld , %lld , %lld ]", &count[1], &count[2], &count[3],
	                         &count[4], &count[5]) == 5;
}

struct summary {
	long long *count, *fit;
};

static enum status read_summary(const struct db_row *row, void *ctx)
{
	struct summary *s = ctx;
	return db_review_summary_read(row->cols, s->count, s->fit) ? ST_OK : ST_ERROR;
}

/* The summary's columns over the product's row. */
enum status db_review_summary(long long product_id, long long count[6], long long fit[4])
{
	struct db_param id = DB_INT(product_id);
	struct summary s = {count, fit};
	memset(count, 0, 6 * sizeof *count); /* no such product: no reviews */
	memset(fit, 0, 4 * sizeof *fit);
	return db_query("SELECT " SQL_REVIEW_SUMMARY_COLUMNS " FROM products p WHERE p.id = ?", &id, 1, read_summary,
	                &s, NULL);
}

/* ix_reviews_user_created */
enum status db_reviews_of_user(long long user_id, int page, int per_page, struct review **out, size_t *n,
                               long long *total)
{
	long long offset = (long long)(page - 1) * per_page;
	struct db_param c[] = {DB_INT(user_id), DB_INT(DB_LIST_TOTAL_CAP + 1)};
	*out = NULL;
	*n = 0;
	*total = 0;
	enum status st = db_query("SELECT COUNT(*) FROM (SELECT 1 FROM reviews WHERE user_id = ? LIMIT ?) t", c, 2,
	                          read_count, total, NULL);
	struct db_param p[] = {DB_INT(user_id), DB_INT(per_page), DB_INT(offset)};
	return st != ST_OK ? st
	                   : read_list(REVIEW_COLUMNS " WHERE r.user_id = ? ORDER BY r.created_at DESC, r.id DESC"
	                                              " LIMIT ? OFFSET ?",
	                               p, 3, out, n);
}

enum status db_review_get(long long review_id, long long user_id, struct review *out)
{
	struct db_param p[] = {DB_INT(review_id), DB_INT(user_id)};
	struct review *items;
	size_t n;
	enum status st = read_list(REVIEW_COLUMNS " WHERE r.id = ? AND r.user_id = ?", p, 2, &items, &n);
	if (st == ST_OK && n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		*out = items[0];
	free(items);
	return st;
}

struct line_review {
	bool found;
	long long product_id, review_id;
};

static enum status read_line_review(const struct db_row *row, void *ctx)
{
	struct line_review *l = ctx;
	l->found = true;
	l->product_id = db_int(row, 0);
	l->review_id = db_int(row, 1);
	return ST_OK;
}

enum status db_review_of_line(long long line_id, long long user_id, long long *review_id, long long *product_id)
{
	struct db_param p[] = {DB_INT(line_id), DB_INT(user_id)};
	struct line_review l = {false, 0, 0};
	enum status st = db_query("SELECT l.product_id, r.id FROM order_lines l JOIN orders o ON o.id = l.order_id"
	                          " LEFT JOIN reviews r ON r.order_line_id = l.id WHERE l.id = ? AND o.user_id = ?",
	                          p, 2, read_line_review, &l, NULL);
	if (st != ST_OK)
		return st;
	if (product_id)
		*product_id = l.product_id;
	*review_id = l.review_id;
	return l.found && l.review_id ? ST_OK : ST_NOT_FOUND;
}

/* ---- writing ------------------------------------------------------------------------------------ */

/* Moves the product's counters by one published review of rating and fit, in (+1) or out (-1). */
static enum status move_summary(long long product_id, int sign, int rating, enum review_fit fit)
{
	struct db_param p[] = {DB_INT(sign),
	                       DB_INT(sign * rating),
	                       DB_INT(fit == REVIEW_FIT_SMALL ? sign : 0),
	                       DB_INT(fit == REVIEW_FIT_TRUE ? sign : 0),
	                       DB_INT(fit == REVIEW_FIT_LARGE ? sign : 0),
	                       DB_INT(product_id)};
	return db_query("UPDATE products SET review_count = review_count + ?, rating_sum = rating_sum + ?,"
	                " fit_small_count = fit_small_count + ?, fit_true_count = fit_true_count + ?,"
	                " fit_large_count = fit_large_count + ? WHERE id = ?",
	                p, 6, NULL, NULL, NULL);
}

static enum status lock_product(long long product_id)
{
	struct db_param id = DB_INT(product_id);
	return db_query("SELECT id FROM products WHERE id = ? FOR UPDATE", &id, 1, NULL, NULL, NULL);
}

struct profile {
	long long height, weight, upper, lower;
};

static enum status read_profile(const struct db_row *row, void *ctx)
{
	struct profile *p = ctx;
	p->height = db_int(row, 0);
	p->weight = db_int(row, 1);
	p->upper = db_int(row, 2);
	p->lower = db_int(row, 3);
	return ST_OK;
}

/* The fields both writes set: rating, fit, body, and the profile when it is shared (else NULLs). */
static enum status review_fields(long long user_id, const struct review_input *in, struct db_param p[7])
{
	struct profile pr = {0, 0, 0, 0};
	if (in->share_profile) {
		struct db_param id = DB_INT(user_id);
		enum status st =
		    db_query("SELECT height_cm, weight_kg, upper_body_type, lower_body_type FROM users WHERE id = ?",
		             &id, 1, read_profile, &pr, NULL);
		if (st != ST_OK)
			return st;
	}
	p[0] = DB_INT(in->rating);
	p[1] = DB_TEXT(review_fit_names[in->fit - 1]);
	p[2] = DB_TEXT(in->body);
	p[3] = pr.height ? DB_INT(pr.height) : DB_NULL;
	p[4] = pr.weight ? DB_INT(pr.weight) : DB_NULL;
	p[5] = pr.upper ? DB_INT(pr.upper) : DB_NULL;
	p[6] = pr.lower ? DB_INT(pr.lower) : DB_NULL;
	return ST_OK;
}

static enum status write_photos(long long review_id, const struct review_input *in)
{
	struct db_param id = DB_INT(review_id);
	enum status st = db_query("DELETE FROM review_photos WHERE review_id = ?", &id, 1, NULL, NULL, NULL);
	for (size_t i = 0; st == ST_OK && i < in->nphotos; i++) {
		struct db_param p[] = {id, DB_INT((long long)i + 1), DB_TEXT(in->photo_keys[i])};
		st = db_query("INSERT INTO review_photos (review_id, position, image_key) VALUES (?, ?, ?)", p, 3, NULL,
		              NULL, NULL);
	}
	return st;
}

struct line_state {
	bool found, reviewable;
	long long product_id;
};

static enum status read_line_state(const struct db_row *row, void *ctx)
{
	struct line_state *l = ctx;
	l->found = true;
	l->product_id = db_int(row, 0);
	l->reviewable = db_int(row, 1) != 0;
	return ST_OK;
}

struct create_args {
	long long user_id, line_id, review_id;
	const struct review_input *in;
	const char *why;
};

/* The line, then its product, are locked: a line's state cannot change under its review, and the
 * product's counters move one review at a time. */
static enum status create_tx(void *ctx)
{
	struct create_args *a = ctx;
	struct db_param p[] = {DB_INT(a->line_id), DB_INT(a->user_id)};
	struct line_state l = {false, false, 0};
	enum status st = db_query("SELECT l.product_id, l.state IN ('delivered', 'confirmed') FROM order_lines l"
	                          " JOIN orders o ON o.id = l.order_id WHERE l.id = ? AND o.user_id = ? FOR UPDATE",
	                          p, 2, read_line_state, &l, NULL);
	if (st != ST_OK)
		return st;
	if (!l.found)
		return ST_NOT_FOUND;
	if (!l.reviewable)
		return a->why = "NOT_DELIVERED", ST_CONFLICT;
	st = lock_product(l.product_id);
	struct db_param f[10];
	if (st == ST_OK)
		st = review_fields(a->user_id, a->in, f + 3);
	if (st != ST_OK)
		return st;
	f[0] = DB_INT(a->line_id), f[1] = DB_INT(l.product_id), f[2] = DB_INT(a->user_id);
	st = db_query("INSERT INTO reviews (order_line_id, product_id, user_id, rating, fit, body, shared_height_cm,"
	              " shared_weight_kg, shared_upper_body_type, shared_lower_body_type)"
	              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	              f, 10, NULL, NULL, NULL);
	if (st == ST_CONFLICT)
		return a->why = "ALREADY_REVIEWED", ST_CONFLICT;
	if (st != ST_OK)
		return st;
	a->review_id = db_insert_id();
	st = write_photos(a->review_id, a->in);
	return st == ST_OK ? move_summary(l.product_id, +1, a->in->rating, a->in->fit) : st;
}

enum status db_review_create(long long user_id, long long line_id, const struct review_input *in, long long *review_id,
                             const char **why)
{
	struct create_args a = {user_id, line_id, 0, in, NULL};
	enum status st = db_transaction(create_tx, &a, 4);
	*review_id = a.review_id;
	*why = a.why;
	return st;
}

struct own_review {
	bool found, published;
	long long product_id;
	int rating;
	enum review_fit fit;
};

static enum status read_own(const struct db_row *row, void *ctx)
{
	struct own_review *r = ctx;
	char word[16];
	r->found = true;
	r->product_id = db_int(row, 0);
	r->rating = (int)db_int(row, 1);
	db_copy(row, 2, word, sizeof word);
	r->fit = fit_of(word);
	r->published = db_int(row, 3) != 0;
	return ST_OK;
}

/* The shopper's review, locked after its product (the order create_tx takes them in). */
static enum status lock_own(long long user_id, long long review_id, struct own_review *r)
{
	struct db_param p[] = {DB_INT(review_id), DB_INT(user_id)};
	enum status st = db_query("SELECT product_id, rating, fit, status = 'published' FROM reviews"
	                          " WHERE id = ? AND user_id = ?",
	                          p, 2, read_own, r, NULL);
	if (st != ST_OK)
		return st;
	if (!r->found)
		return ST_NOT_FOUND;
	st = lock_product(r->product_id);
	r->found = false;
	if (st == ST_OK)
		st = db_query("SELECT product_id, rating, fit, status = 'published' FROM reviews"
		              " WHERE id = ? AND user_id = ? FOR UPDATE",
		              p, 2, read_own, r, NULL);
	return st == ST_OK && !r->found ? ST_NOT_FOUND : st;
}

struct update_args {
	long long user_id, review_id;
	const struct review_input *in;
};

static enum status update_tx(void *ctx)
{
	struct update_args *a = ctx;
	struct own_review old = {false, false, 0, 0, REVIEW_FIT_TRUE};
	enum status st = lock_own(a->user_id, a->review_id, &old);
	struct db_param f[8];
	if (st == ST_OK)
		st = review_fields(a->user_id, a->in, f);
	if (st != ST_OK)
		return st;
	f[7] = DB_INT(a->review_id);
	st = db_query("UPDATE reviews SET rating = ?, fit = ?, body = ?, shared_height_cm = ?, shared_weight_kg = ?,"
	              " shared_upper_body_type = ?, shared_lower_body_type = ? WHERE id = ?",
	              f, 8, NULL, NULL, NULL);
	if (st == ST_OK)
		st = write_photos(a->review_id, a->in);
	if (st == ST_OK && old.published)
		st = move_summary(old.product_id, -1, old.rating, old.fit);
	if (st == ST_OK && old.published)
		st = move_summary(old.product_id, +1, a->in->rating, a->in->fit);
	return st;
}

enum status db_review_update(long long user_id, long long review_id, const struct review_input *in)
{
	struct update_args a = {user_id, review_id, in};
	return db_transaction(update_tx, &a, 4);
}

struct delete_args {
	long long user_id, review_id;
};

static enum status delete_tx(void *ctx)
{
	struct delete_args *a = ctx;
	struct own_review old = {false, false, 0, 0, REVIEW_FIT_TRUE};
	enum status st = lock_own(a->user_id, a->review_id, &old);
	struct db_param id = DB_INT(a->review_id);
	if (st == ST_OK) /* its photos go with it (ON DELETE CASCADE) */
		st = db_query("DELETE FROM reviews WHERE id = ?", &id, 1, NULL, NULL, NULL);
	if (st == ST_OK && old.published)
		st = move_summary(old.product_id, -1, old.rating, old.fit);
	return st;
}

enum status db_review_delete(long long user_id, long long review_id)
{
	struct delete_args a = {user_id, review_id};
	return db_transaction(delete_tx, &a, 4);
}

/* ---- moderation (the admin console; declared in db/admin.h) -------------------------------------- */

static enum status read_moderated(const struct db_row *row, void *ctx)
{
	struct moderated_review *r = ctx;
	r->id = db_int(row, 0);
	r->product_id = db_int(row, 1);
	r->user_id = db_int(row, 2);
	r->hidden = db_int(row, 3) != 0;
	db_copy(row, 4, r->reason, sizeof r->reason);
	return ST_OK;
}

struct moderate_args {
	long long review_id, admin_id;
	bool hide;
	const char *reason;
	bool changed;
	struct moderated_review *out;
};

#define MODERATED_COLUMNS "SELECT id, product_id, user_id, status = 'hidden', hidden_reason FROM reviews WHERE id = ?"

static enum status moderate_tx(void *ctx)
{
	struct moderate_args *a = ctx;
	struct db_param id = DB_INT(a->review_id);
	struct own_review old = {false, false, 0, 0, REVIEW_FIT_TRUE};
	a->changed = false;
	/* the product first, then the review: the order every review write takes them in */
	enum status st = db_query("SELECT product_id, rating, fit, status = 'published' FROM reviews WHERE id = ?", &id,
	                          1, read_own, &old, NULL);
	if (st != ST_OK)
		return st;
	if (!old.found)
		return ST_NOT_FOUND;
	st = lock_product(old.product_id);
	old.found = false;
	if (st == ST_OK)
		st = db_query(
		    "SELECT product_id, rating, fit, status = 'published' FROM reviews WHERE id = ? FOR UPDATE", &id, 1,
		    read_own, &old, NULL);
	if (st == ST_OK && !old.found)
		st = ST_NOT_FOUND;
	if (st != ST_OK)
		return st;
	if (a->hide && old.published) {
		struct db_param p[] = {DB_INT(a->admin_id), DB_TEXT(a->reason), DB_INT(a->review_id)};
		st = db_query("UPDATE reviews SET status = 'hidden', hidden_by = ?, hidden_reason = ? WHERE id = ?", p,
		              3, NULL, NULL, NULL);
		if (st == ST_OK)
			st = move_summary(old.product_id, -1, old.rating, old.fit);
		a->changed = true;
	} else if (!a->hide && !old.published) {
		st = db_query(
		    "UPDATE reviews SET status = 'published', hidden_by = NULL, hidden_reason = NULL WHERE id = ?", &id,
		    1, NULL, NULL, NULL);
		if (st == ST_OK)
			st = move_summary(old.product_id, +1, old.rating, old.fit);
		a->changed = true;
	}
	if (st == ST_OK)
		st = db_query(MODERATED_COLUMNS, &id, 1, read_moderated, a->out, NULL);
	return st;
}

enum status db_review_moderate(long long review_id, bool hide, const char *reason, long long admin_id, bool *changed,
                               struct moderated_review *out)
{
	struct moderate_args a = {review_id, admin_id, hide, reason ? reason : "", false, out};
	memset(out, 0, sizeof *out);
	enum status st = db_transaction(moderate_tx, &a, 4);
	*changed = st == ST_OK && a.changed;
	return st;
}
