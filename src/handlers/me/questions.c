/* The shopper's questions (SPEC §4 /me/questions, §5 /api/v1/me/questions and
 * /api/v1/questions/{id}): the list, newest first, with the answers; editing and deleting a
 * question until it is answered (then 409 QUESTION_ANSWERED). Another shopper's question is 404. */
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/questions.h"
#include "handlers/forms.h"
#include "handlers/me/me.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "view/pagination.h"

static const struct refusal why[] = {
    {"QUESTION_ANSWERED", "qna.answered_locked", "The question has been answered: it can no longer be changed."},
};

static enum status refused(struct response *res, enum status st)
{
	return st == ST_CONFLICT ? response_refused(res, st, "QUESTION_ANSWERED", why, sizeof why / sizeof why[0]) : st;
}

/* The list page (or its JSON) of the shopper's questions. */
static enum status draw_list(struct request *req, struct response *res, int page, int per_page, bool keep_per_page)
{
	struct question_page p;
	enum status st = db_questions_of_user(session_user_id(req), page, per_page, &p);
	if (st != ST_OK)
		return st;
	struct question_viewer v = {session_user_id(req), 0, false};
	json_object *items = questions_present(&p, &v, req->lang);
	long long total = p.total;
	question_page_free(&p);
	if (req->is_api)
		return response_view(res, 200, NULL, present_list(items, page, per_page, total));
	json_object *model = response_model(res);
	json_object_object_add(model, "items", items);
	json_object_object_add(model, "total", json_object_new_int64(total));
	json_object_object_add(model, "empty", json_object_new_boolean(total == 0));
	json_object *links = pagination_list_links("/me/questions", page, per_page, keep_per_page, total);
	if (links)
		json_object_object_add(model, "pagination", links);
	return response_view(res, 200, "pages/my-questions", model);
}

/* GET /me/questions (saved, deleted, page, per_page) and GET /api/v1/me/questions (page,
 * per_page): 200 with the shopper's questions, newest first, each with its answer; 422. */
enum status page_my_questions(struct request *req, struct response *res)
{
	if (!req->is_api) {
		static const char *const notices[] = {"saved", "deleted", NULL};
		form_notices(req, response_model(res), notices);
	}
	return draw_list(req, res, (int)req_int(req, "page"), (int)req_int(req, "per_page"),
	                 req_given(req, "per_page"));
}

/* The list drawn again after a refused delete (it reads no input). */
enum status my_questions_form(struct request *req, struct response *res)
{
	return draw_list(req, res, 1, 24, false);
}

/* The shopper's question id into q: ST_NOT_FOUND when absent or another's. */
static enum status own_question(const struct request *req, long long id, struct question *q)
{
	enum status st = db_question_get(id, q);
	return st == ST_OK && q->user_id != session_user_id(req) ? ST_NOT_FOUND : st;
}

/* GET /me/questions/{id}/edit: the edit form (200), or, once answered, why it cannot change (409);
 * 404. Draws the form again after a refused POST. */
enum status page_question_edit(struct request *req, struct response *res)
{
	struct question *q = malloc(sizeof *q);
	if (!q)
		return ST_ERROR;
	enum status st = own_question(req, req->path_params[0], q);
	if (st == ST_OK) {
		response_form_value(res, "type", question_type_names[q->type]);
		response_form_value(res, "title", q->title);
		response_form_value(res, "content", q->content);
		response_form_value(res, "secret", q->secret ? "1" : "0");
		struct question_viewer v = {q->user_id, 0, false};
		json_object *model = response_model(res);
		json_object_object_add(model, "question", present_question(q, &v, req->lang));
		json_object_object_add(model, "fields", questions_form(res, req->lang));
		st = response_view(res, q->answered_at[0] ? 409 : 200, "pages/question-edit", model);
	}
	free(q);
	return st;
}

/* q with what the body changes (what it leaves out stays as it is), stored: ST_OK, 422 for a
 * title or content sent blank (the API's are optional, never empty), 404, 409. */
static enum status changed_question(struct request *req, struct response *res, const struct question *q)
{
	struct question_input in = {q->type, q->title, q->content, q->secret};
	if (req_given(req, "type"))
		in.type = (int)req_int(req, "type");
	if (req_given(req, "title") && !(in.title = req_text(req, "title")))
		return response_field_error(res, ST_INVALID, "title", "required");
	if (req_given(req, "content") && !(in.content = req_text(req, "content")))
		return response_field_error(res, ST_INVALID, "content", "required");
	if (req_given(req, "secret") || !req->is_api) /* an unticked box sends nothing */
		in.secret = req_int(req, "secret") == 1;
	return db_question_change(q->id, session_user_id(req), &in);
}

/* POST /me/questions/{id} (type, title, content, secret: all given) and PATCH
 * /api/v1/questions/{id} (any of them): 303 to /me/questions?saved=1, or 200 with the Question;
 * 404; 409 QUESTION_ANSWERED; 422 (the form drawn again). */
enum status question_update_submit(struct request *req, struct response *res)
{
	long long id = req->path_params[0];
	struct question *q = malloc(sizeof *q);
	if (!q)
		return ST_ERROR;
	enum status st = own_question(req, id, q);
	if (st == ST_OK)
		st = changed_question(req, res, q);
	free(q);
	if (st != ST_OK)
		return refused(res, st);
	return req->is_api ? questions_answer_one(req, res, id, 200) : response_redirect(res, "/me/questions?saved=1");
}

/* POST /me/questions/{id}/delete and DELETE /api/v1/questions/{id}: 303 to
 * /me/questions?deleted=1, or 204; 404; 409 QUESTION_ANSWERED. */
enum status question_delete_submit(struct request *req, struct response *res)
{
	enum status st = db_question_change(req->path_params[0], session_user_id(req), NULL);
	if (st != ST_OK)
		return refused(res, st);
	return req->is_api ? response_no_content(res) : response_redirect(res, "/me/questions?deleted=1");
}
