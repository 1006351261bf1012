/* The brand's product questions for its sellers (SPEC §4 seller questions, §5
 * /api/v1/seller/questions): the list, open or answered ones, and answering (or editing the
 * answer). Another brand's question is 404. The asker is mailed at the first answer. */

#include <json-c/json.h>

#include "auth/session.h"
#include "db/questions.h"
#include "handlers/seller/seller.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "view/pagination.h"
#include "handlers/forms.h"
#include "http/response.h"
#include "present/common.h"
#include "shop/qna.h"

/* GET /api/v1/seller/questions (answered: 0 open, 1 answered, else all; page, per_page): 200 with
 * a page of the brand's questions, newest first, secret ones readable. */
enum status api_seller_questions(struct request *req, struct response *res)
{
	struct question_page p;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	enum status st = db_questions_of_brand(seller_brand(req), (int)req_int(req, "answered"), page, per_page, &p);
	if (st != ST_OK)
		return st;
	struct question_viewer v = {0, seller_brand(req), false};
	json_object *list = present_list(questions_present(&p, &v, req->lang), page, per_page, p.total);
	question_page_free(&p);
	return response_view(res, 200, NULL, list);
}

/* POST /api/v1/seller/questions/{id}/answer (content): writes or rewrites the answer; 200 with the
 * Question; 404 (none, or another brand's); 422. */
enum status api_seller_answer(struct request *req, struct response *res)
{
	enum status st = qna_answer(req->path_params[0], seller_brand(req), session_seller_id(req),
	                            req_text(req, "content"), req->lang);
	return st == ST_OK ? questions_answer_one(req, res, req->path_params[0], 200) : st;
}

/* The questions page (also drawn again after a refused answer). */
enum status seller_questions_form(struct request *req, struct response *res)
{
	struct question_page p;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	int answered = (int)req_int(req, "answered");
	enum status st = db_questions_of_brand(seller_brand(req), answered, page, per_page, &p);
	if (st != ST_OK)
		return st;
	struct question_viewer v = {0, seller_brand(req), false};
	json_object *model = seller_page_model(res);
	json_object_object_add(model, "questions", questions_present(&p, &v, req->lang));
	json_object_object_add(model, "total", json_object_new_int64(p.total));
	json_object_object_add(model, "empty", json_object_new_boolean(p.total == 0));
	json_object_object_add(model, "filter_open", json_object_new_boolean(answered == 0));
	json_object_object_add(model, "filter_answered", json_object_new_boolean(answered == 1));
	json_object_object_add(model, "filter_all", json_object_new_boolean(answered != 0 && answered != 1));
	const char *base = answered == 0   ? "/seller/questions?answered=0"
	                   : answered == 1 ? "/seller/questions?answered=1"
	                                   : "/seller/questions";
	json_object *links = pagination_links(base, page, pagination_last_page(p.total, per_page));
	if (links)
		json_object_object_add(model, "pagination", links);
	question_page_free(&p);
	return response_view(res, res->errors || res->form_message ? 422 : 200, "pages/seller-questions", model);
}

/* GET /seller/questions (answered, page; ?saved=1 after an answer). */
enum status page_seller_questions(struct request *req, struct response *res)
{
	static const char *const notices[] = {"saved", NULL};
	form_notices(req, seller_page_model(res), notices);
	return seller_questions_form(req, res);
}

/* POST /seller/questions/{id}/answer (content): writes or rewrites the answer through qna_answer
 * (the asker is mailed at the first). 303 to /seller/questions?saved=1; 404; 422. */
enum status seller_page_answer(struct request *req, struct response *res)
{
	enum status st = qna_answer(req->path_params[0], seller_brand(req), session_seller_id(req),
	                            req_text(req, "content"), req->lang);
	return st == ST_OK ? response_redirect(res, "/seller/questions?saved=1") : st;
}
