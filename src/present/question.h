/* A product question as the API answers it and the pages draw it (SPEC §3 Question): a secret
 * one is masked for everyone but its asker, the sellers of the product's brand and admins; the
 * asker's name is always shown masked ("김**"). */
#ifndef LONUA_PRESENT_QUESTION_H
#define LONUA_PRESENT_QUESTION_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;
struct question;

/* Who is looking: a shopper (user_id), a seller of a brand (brand_id), an admin, or a guest (all
 * zero). */
struct question_viewer {
	long long user_id, brand_id;
	bool admin;
};

/* Whether viewer may read q's title, content and answer. */
bool question_visible(const struct question *q, const struct question_viewer *viewer);

/* {id, product_id, product_name, type, type_text, secret, masked, title, content, asker, mine,
 * editable, answered, created_at, created_text, updated_at, answered_at, answer: null or {content,
 * created_at, created_text, updated_at}}; title, content and the answer's content are the
 * catalogue's qna.private when masked. */
struct json_object *present_question(const struct question *q, const struct question_viewer *viewer, const char *lang);

#endif
