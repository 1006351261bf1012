/* Product questions and their answers (SPEC §3 Question, Answer; schema/007_community.sql): a
 * shopper asks about a product, a seller of its brand answers once (and may edit the answer), and
 * the asker may edit or delete the question until it is answered. Every read is indexed: a
 * product's list by ix_questions_product_created, a shopper's by ix_questions_user_created, a
 * brand's by ix_questions_brand_answered_created (tests/db/test-orders-explain.c checks them). */
#ifndef LONUA_DB_QUESTIONS_H
#define LONUA_DB_QUESTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* The four kinds of question, as questions.type spells them. NULL-terminated. */
extern const char *const question_type_names[];

/* Lengths in characters (the route table's bounds); the buffers hold 4 bytes a character. */
#define QUESTION_TITLE_MAX   100
#define QUESTION_CONTENT_MAX 1000
#define ANSWER_CONTENT_MAX   2000

struct question {
	long long id, product_id, brand_id, user_id;
	int type; /* index into question_type_names */
	bool secret;
	char title[QUESTION_TITLE_MAX * 4 + 1];
	char content[QUESTION_CONTENT_MAX * 4 + 1];
	char created_at[20], updated_at[20]; /* YYYY-MM-DD HH:MM:SS, UTC */
	char answered_at[20];                /* "" while open */
	char asker_name[201];                /* users.name ("" once erased) */
	char asker_email[255];               /* for the answer's mail only, never shown */
	char product_name[601];
	/* the answer: answer_id 0 while there is none */
	long long answer_id;
	char answer[ANSWER_CONTENT_MAX * 4 + 1];
	char answer_created_at[20], answer_updated_at[20];
};

/* A page of questions, newest first; *total is exact up to DB_LIST_TOTAL_CAP and one more beyond
 * it. The caller frees *out. */
struct question_page {
	struct question *items;
	size_t n;
	long long total;
};

/* The questions of product_id (of brand brand_id, which the index needs). */
enum status db_questions_of_product(long long product_id, long long brand_id, int page, int per_page,
                                    struct question_page *out);
/* The questions user_id asked, of any product. */
enum status db_questions_of_user(long long user_id, int page, int per_page, struct question_page *out);
/* The questions about brand_id's products: answered -1 all, 0 open ones, 1 answered ones. */
enum status db_questions_of_brand(long long brand_id, int answered, int page, int per_page, struct question_page *out);
void question_page_free(struct question_page *p);

/* One question with its answer. ST_NOT_FOUND when there is none. */
enum status db_question_get(long long id, struct question *out);

/* The brand of product_id when the shop shows it (active, its brand active), else ST_NOT_FOUND. */
enum status db_question_product_brand(long long product_id, long long *brand_id);

/* What a new or edited question says. */
struct question_input {
	int type;
	const char *title, *content;
	bool secret;
};

/* Stores user_id's question about product_id; ST_NOT_FOUND when the shop does not show the
 * product. Sets *id. */
enum status db_question_create(long long user_id, long long product_id, const struct question_input *in, long long *id);
/* Changes (in) or deletes (in NULL) question id of user_id, in one transaction that locks it:
 * ST_NOT_FOUND when it is absent or another's, ST_CONFLICT once it is answered. */
enum status db_question_change(long long id, long long user_id, const struct question_input *in);

/* Inside a transaction: locks question id and reads its brand and whether it is answered.
 * ST_NOT_FOUND when there is none. */
enum status db_question_lock(long long id, long long *brand_id, bool *answered);
/* Inside that transaction: writes (or rewrites) the question's answer by seller_id, and sets
 * questions.answered_at when it was open. */
enum status db_question_answer(long long id, long long seller_id, const char *content, bool was_answered);

#endif
