#include "db/questions.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"

const char *const question_type_names[] = {"size", "delivery", "restock", "details", NULL};

/* A question with its asker's name, its product's name and its answer (at most one:
 * uq_answers_question); users, products and answers are read by primary or unique key. */
#define QUESTION_COLUMNS                                                                                               \
	"SELECT q.id, q.product_id, q.brand_id, q.user_id, q.type, q.is_secret, q.title, q.body, q.created_at,"        \
	" q.updated_at, q.answered_at, u.name, p.name, a.id, a.body, a.created_at, a.updated_at, u.email"              \
	" FROM questions q JOIN users u ON u.id = q.user_id JOIN products p ON p.id = q.product_id"                    \
	" LEFT JOIN answers a ON a.question_id = q.id"
#define NEWEST " ORDER BY q.created_at DESC, q.id DESC"

/* Lists: by the index that starts with the filter and ends in created_at (the primary key
 * follows it in InnoDB, so the order needs no sort), a page of it; the counts stop at 10,001. */
static const char sql_of_product[] =
    QUESTION_COLUMNS " WHERE q.product_id = ? AND q.brand_id = ?" NEWEST " LIMIT ? OFFSET ?";
static const char sql_of_product_count[] =
    "SELECT COUNT(*) FROM (SELECT 1 FROM questions WHERE product_id = ? AND brand_id = ? LIMIT 10001) t";
static const char sql_of_user[] = QUESTION_COLUMNS " WHERE q.user_id = ?" NEWEST " LIMIT ? OFFSET ?";
static const char sql_of_user_count[] =
    "SELECT COUNT(*) FROM (SELECT 1 FROM questions WHERE user_id = ? LIMIT 10001) t";
/* A brand's: all of them and the answered ones are a range of ix_questions_brand_answered_created
 * sorted by date (a brand's questions, not the shop's); the open ones are its answered_at IS NULL
 * part, already in date order. */
static const char *const sql_of_brand[] = {
    QUESTION_COLUMNS " WHERE q.brand_id = ?" NEWEST " LIMIT ? OFFSET ?",
    QUESTION_COLUMNS " WHERE q.brand_id = ? AND q.answered_at IS NULL" NEWEST " LIMIT ? OFFSET ?",
    QUESTION_COLUMNS " WHERE q.brand_id = ? AND q.answered_at IS NOT NULL" NEWEST " LIMIT ? OFFSET ?",
};
static const char *const sql_of_brand_count[] = {
    "SELECT COUNT(*) FROM (SELECT 1 FROM questions WHERE brand_id = ? LIMIT 10001) t",
    "SELECT COUNT(*) FROM (SELECT 1 FROM questions WHERE brand_id = ? AND answered_at IS NULL LIMIT 10001) t",
    "SELECT COUNT(*) FROM (SELECT 1 FROM questions WHERE brand_id = ? AND answered_at IS NOT NULL LIMIT 10001) t",
};

static int type_of(const char *text)
{
	for (int i = 0; question_type_names[i]; i++)
		if (strcmp(question_type_names[i], text) == 0)
			return i;
	return 0;
}

static void fill_question(const struct db_row *row, struct question *q)
{
	char word[16];
	memset(q, 0, sizeof *q);
	q->id = db_int(row, 0);
	q->product_id = db_int(row, 1);
	q->brand_id = db_int(row, 2);
	q->user_id = db_int(row, 3);
	db_copy(row, 4, word, sizeof word);
	q->type = type_of(word);
	q->secret = db_int(row, 5) != 0;
	db_copy(row, 6, q->title, sizeof q->title);
	db_copy(row, 7, q->content, sizeof q->content);
	db_copy(row, 8, q->created_at, sizeof q->created_at);
	db_copy(row, 9, q->updated_at, sizeof q->updated_at);
	db_copy(row, 10, q->answered_at, sizeof q->answered_at);
	db_copy(row, 11, q->asker_name, sizeof q->asker_name);
	db_copy(row, 12, q->product_name, sizeof q->product_name);
	q->answer_id = db_int(row, 13);
	db_copy(row, 14, q->answer, sizeof q->answer);
	db_copy(row, 15, q->answer_created_at, sizeof q->answer_created_at);
	db_copy(row, 16, q->answer_updated_at, sizeof q->answer_updated_at);
	db_copy(row, 17, q->asker_email, sizeof q->asker_email);
}

static enum status add_question(const struct db_row *row, void *ctx)
{
	struct question_page *p = ctx;
	struct question *grown = realloc(p->items, (p->n + 1) * sizeof *grown);
	if (!grown)
		return ST_ERROR;
	p->items = grown;
	fill_question(row, &p->items[p->n++]);
	return ST_OK;
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

/* The page of list_sql with its nfilter filter parameters (at most two), and count_sql's count. A
 * page that is not full ends the list, and its count needs no statement (a product page's few
 * questions cost one). */
static enum status read_page(const char *list_sql, const char *count_sql, const struct db_param *filter, size_t nfilter,
                             int page, int per_page, struct question_page *out)
{
	*out = (struct question_page){NULL, 0, 0};
	struct db_param p[4];
	memcpy(p, filter, nfilter * sizeof *p);
	p[nfilter] = DB_INT(per_page);
	p[nfilter + 1] = DB_INT((long long)(page - 1) * per_page);
	enum status st = db_query(list_sql, p, nfilter + 2, add_question, out, NULL);
	if (st == ST_OK && (out->n > 0 || page == 1) && out->n < (size_t)per_page)
		out->total = (long long)(page - 1) * per_page + (long long)out->n;
	else if (st == ST_OK)
		st = db_query(count_sql, filter, nfilter, read_count, &out->total, NULL);
	if (st != ST_OK)
		question_page_free(out);
	return st;
}

enum status db_questions_of_product(long long product_id, long long brand_id, int page, int per_page,
                                    struct question_page *out)
{
	struct db_param f[] = {DB_INT(product_id), DB_INT(brand_id)};
	return read_page(sql_of_product, sql_of_product_count, f, 2, page, per_page, out);
}

enum status db_questions_of_user(long long user_id, int page, int per_page, struct question_page *out)
{
	struct db_param f = DB_INT(user_id);
	return read_page(sql_of_user, sql_of_user_count, &f, 1, page, per_page, out);
}

enum status db_questions_of_brand(long long brand_id, int answered, int page, int per_page, struct question_page *out)
{
	struct db_param f = DB_INT(brand_id);
	int k = answered < 0 ? 0 : answered == 0 ? 1 : 2;
	return read_page(sql_of_brand[k], sql_of_brand_count[k], &f, 1, page, per_page, out);
}

void question_page_free(struct question_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

static enum status read_one(const struct db_row *row, void *ctx)
{
	struct question_page *p = ctx;
	if (p->n == 0)
		fill_question(row, p->items);
	p->n = 1;
	return ST_OK;
}

enum status db_question_get(long long id, struct question *out)
{
	struct db_param p = DB_INT(id);
	struct question_page one = {out, 0, 0};
	enum status st = db_query(QUESTION_COLUMNS " WHERE q.id = ?", &p, 1, read_one, &one, NULL);
	return st == ST_OK && one.n == 0 ? ST_NOT_FOUND : st;
}

enum status db_question_product_brand(long long product_id, long long *brand_id)
{
	struct db_param p = DB_INT(product_id);
	*brand_id = 0;
	enum status st = db_query("SELECT p.brand_id FROM products p JOIN brands b ON b.id = p.brand_id"
	                          " WHERE p.id = ? AND p.status = 'active' AND b.status = 'active'",
	                          &p, 1, read_count, brand_id, NULL);
	return st == ST_OK && *brand_id == 0 ? ST_NOT_FOUND : st;
}

enum status db_question_create(long long user_id, long long product_id, const struct question_input *in, long long *id)
{
	struct db_param p[] = {DB_INT(user_id),
	                       DB_TEXT(question_type_names[in->type]),
	                       DB_TEXT(in->title),
	                       DB_TEXT(in->content),
	                       DB_INT(in->secret ? 1 : 0),
	                       DB_INT(product_id)};
	unsigned long long n = 0;
	*id = 0;
	/* The product's brand is copied from its row (fk_questions_product_brand proves it), and only a
	 * product the shop shows takes a question. */
	enum status st =
	    db_query("INSERT INTO questions (product_id, brand_id, user_id, type, title, body, is_secret)"
	             " SELECT p.id, p.brand_id, ?, ?, ?, ?, ? FROM products p JOIN brands b ON b.id = p.brand_id"
	             " WHERE p.id = ? AND p.status = 'active' AND b.status = 'active'",
	             p, 6, NULL, NULL, &n);
	if (st != ST_OK)
		return st;
	if (n == 0)
		return ST_NOT_FOUND;
	*id = db_insert_id();
	return ST_OK;
}

struct lock_state {
	bool found, answered;
	long long brand_id, user_id;
};

static enum status read_lock(const struct db_row *row, void *ctx)
{
	struct lock_state *s = ctx;
	s->found = true;
	s->brand_id = db_int(row, 0);
	s->user_id = db_int(row, 1);
	s->answered = !db_is_null(row, 2);
	return ST_OK;
}

static enum status lock_question(long long id, struct lock_state *s)
{
	struct db_param p = DB_INT(id);
	*s = (struct lock_state){false, false, 0, 0};
	enum status st = db_query("SELECT brand_id, user_id, answered_at FROM questions WHERE id = ? FOR UPDATE", &p, 1,
	                          read_lock, s, NULL);
	return st == ST_OK && !s->found ? ST_NOT_FOUND : st;
}

struct change_args {
	long long id, user_id;
	const struct question_input *in;
};

static enum status change_tx(void *ctx)
{
	struct change_args *a = ctx;
	struct lock_state s;
	enum status st = lock_question(a->id, &s);
	if (st != ST_OK)
		return st;
	if (s.user_id != a->user_id)
		return ST_NOT_FOUND;
	if (s.answered)
		return ST_CONFLICT;
	struct db_param id = DB_INT(a->id);
	if (!a->in)
		return db_query("DELETE FROM questions WHERE id = ?", &id, 1, NULL, NULL, NULL);
	struct db_param p[] = {DB_TEXT(question_type_names[a->in->type]), DB_TEXT(a->in->title),
	                       DB_TEXT(a->in->content), DB_INT(a->in->secret ? 1 : 0), id};
	return db_query("UPDATE questions SET type = ?, title = ?, body = ?, is_secret = ? WHERE id = ?", p, 5, NULL,
	                NULL, NULL);
}

enum status db_question_change(long long id, long long user_id, const struct question_input *in)
{
	struct change_args a = {id, user_id, in};
	return db_transaction(change_tx, &a, 4);
}

enum status db_question_lock(long long id, long long *brand_id, bool *answered)
{
	struct lock_state s;
	enum status st = lock_question(id, &s);
	*brand_id = s.brand_id;
	*answered = s.answered;
	return st;
}

enum status db_question_answer(long long id, long long seller_id, const char *content, bool was_answered)
{
	struct db_param p[] = {DB_INT(id), DB_INT(seller_id), DB_TEXT(content)};
	/* one answer per question (uq_answers_question): a second one rewrites it */
	enum status st = db_query("INSERT INTO answers (question_id, seller_id, body) VALUES (?, ?, ?)"
	                          " ON DUPLICATE KEY UPDATE seller_id = VALUES(seller_id), body = VALUES(body)",
	                          p, 3, NULL, NULL, NULL);
	if (st != ST_OK || was_answered)
		return st;
	return db_query("UPDATE questions SET answered_at = UTC_TIMESTAMP() WHERE id = ?", p, 1, NULL, NULL, NULL);
}
