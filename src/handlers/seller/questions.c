/* The brand's product questions for its sellers (SPEC §4 seller questions, §5
 * /api/v1/seller/questions): the list, open or answered ones, and answering (or editing the
 * answer). Another brand's question is 404. The asker is mailed at the first answer. */
#include <json-c/json.h>

#include "auth/session.h"
#include "db/questions.h"
#include "db/sessions.h"
#include "handlers/seller/seller.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "shop/qna.h"

static long long brand_of(const struct request *req)
{
	return req->session ? req->session->brand_id : 0;
}

/* GET /api/v1/seller/questions (answered: 0 open, 1 answered, else all; page, per_page): 200 with
 * a page of the brand's questions, newest first, secret ones readable. */
enum status api_seller_questions(struct request *req, struct response *res)
{
	struct question_page p;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	enum status st = db_questions_of_brand(brand_of(req), (int)req_int(req, "answered"), page, per_page, &p);
	if (st != ST_OK)
		return st;
	struct question_viewer v = {0, brand_of(req), false};
	json_object *list = present_list(questions_present(&p, &v, req->lang), page, per_page, p.total);
	question_page_free(&p);
	return response_view(res, 200, NULL, list);
}

/* POST /api/v1/seller/questions/{id}/answer (content): writes or rewrites the answer; 200 with the
 * Question; 404 (none, or another brand's); 422. */
enum status api_seller_answer(struct request *req, struct response *res)
{
	enum status st =
	    qna_answer(req->path_params[0], brand_of(req), session_seller_id(req), req_text(req, "content"), req->lang);
	return st == ST_OK ? questions_answer_one(req, res, req->path_params[0], 200) : st;
}
