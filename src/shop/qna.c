#include "shop/qna.h"

#include <stdbool.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "db/db.h"
#include "db/outbox.h"
#include "db/questions.h"
#include "util/buf.h"
#include "util/config.h"
#include "view/view.h"

/* Queues "your question was answered" to the asker of q (nobody once the account is erased). */
static enum status answered_mail(const struct question *q, const char *lang)
{
	if (!q->asker_email[0])
		return ST_OK;
	json_object *model = json_object_new_object();
	json_object_object_add(model, "name", json_object_new_string(q->asker_name));
	json_object_object_add(model, "product_name", json_object_new_string(q->product_name));
	json_object_object_add(model, "title", json_object_new_string(q->title));
	struct buf link = BUF_INIT, key = BUF_INIT, subject = BUF_INIT, text = BUF_INIT;
	buf_printf(&link, "%s/me/questions#question-%lld", config.public_url, q->id);
	json_object_object_add(model, "link", json_object_new_string(buf_str(&link)));
	/* one mail per question, however often the transaction that queues it runs */
	buf_printf(&key, "question-answered:%lld", q->id);
	enum status st = ST_ERROR;
	if (view_render_mail(lang, "question-answered", model, &subject, &text) == 0)
		st = db_outbox_mail(buf_str(&key), q->asker_email, buf_str(&subject), buf_str(&text));
	json_object_put(model);
	buf_free(&link);
	buf_free(&key);
	buf_free(&subject);
	buf_free(&text);
	return st;
}

struct answer_args {
	long long question_id, brand_id, seller_id;
	const char *content, *lang;
};

static enum status answer_tx(void *ctx)
{
	struct answer_args *a = ctx;
	long long brand_id;
	bool answered;
	enum status st = db_question_lock(a->question_id, &brand_id, &answered);
	if (st != ST_OK)
		return st;
	if (brand_id != a->brand_id) /* another brand's question is not there for this seller */
		return ST_NOT_FOUND;
	st = db_question_answer(a->question_id, a->seller_id, a->content, answered);
	if (st != ST_OK || answered)
		return st;
	struct question *q = malloc(sizeof *q);
	if (!q)
		return ST_ERROR;
	st = db_question_get(a->question_id, q);
	if (st == ST_OK)
		st = answered_mail(q, a->lang);
	free(q);
	return st;
}

enum status qna_answer(long long question_id, long long brand_id, long long seller_id, const char *content,
                       const char *lang)
{
	struct answer_args a = {question_id, brand_id, seller_id, content, lang};
	return db_transaction(answer_tx, &a, 4);
}
