/* Product Q&A (SPEC §3 Question, §4 the product page, §5 /api/v1/products/{id}/questions): the
 * product page's newest questions with their answers and the form to ask (a plain form post), the
 * page of all of a product's questions, and their API twins. A secret question is masked for all
 * but its asker, the sellers of the product's brand and admins (src/present/question.c). */
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/catalog.h"
#include "db/community_cache.h"
#include "db/questions.h"
#include "handlers/forms.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "present/question.h"
#include "view/pagination.h"

/* Questions the product page shows; the rest are a link away. */
#define PRODUCT_PAGE_QUESTIONS 5

static const struct form_choice question_types[] = {
    {"size", "qna.type.size"},
    {"delivery", "qna.type.delivery"},
    {"restock", "qna.type.restock"},
    {"details", "qna.type.details"},
    {NULL, NULL},
};

struct question_viewer questions_viewer(const struct request *req)
{
	struct question_viewer v = {0, 0, req->role == ROLE_ADMIN};
	if (req->role == ROLE_SHOPPER || req->role == ROLE_PENDING_SHOPPER)
		v.user_id = session_user_id(req);
	else if (req->role == ROLE_SELLER && req->session)
		v.brand_id = req->session->brand_id;
	return v;
}

json_object *questions_present(const struct question_page *p, const struct question_viewer *v, const char *lang)
{
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < p->n; i++)
		json_object_array_add(items, present_question(&p->items[i], v, lang));
	return items;
}

void questions_read_input(const struct request *req, struct question_input *in)
{
	in->type = (int)req_int(req, "type");
	in->title = req_text(req, "title");
	in->content = req_text(req, "content");
	in->secret = req_int(req, "secret") == 1;
}

json_object *questions_form(const struct response *res, const char *lang)
{
	json_object *form = json_object_new_object();
	const char *title = form_value(res, "title"), *content = form_value(res, "content");
	const char *secret = form_value(res, "secret");
	json_object_object_add(form, "types", form_choices(res, "type", question_types, lang));
	json_object_object_add(form, "title", json_object_new_string(title ? title : ""));
	json_object_object_add(form, "content", json_object_new_string(content ? content : ""));
	json_object_object_add(form, "secret", json_object_new_boolean(secret && secret[0] && secret[0] != '0'));
	/* drawn again after a refused question: shown open, with its messages */
	json_object_object_add(form, "open", json_object_new_boolean(title || content || form_value(res, "type")));
	return form;
}

/* The product page's Q&A section (page.questions): the newest questions, the count, a link to all
 * of them, and for a shopper the form (drawn again with what was entered), for a guest a way to
 * log in. Reads no input, so it also draws the page again after a refused question. */
enum status questions_attach(struct request *req, struct response *res, unsigned long long community_version,
                             json_object *page)
{
	long long product_id = req->path_params[0];
	json_object *brand = json_object_object_get(json_object_object_get(page, "product"), "brand");
	struct question_page p;
	enum status st = community_questions(product_id, json_object_get_int64(json_object_object_get(brand, "id")),
	                                     community_version, PRODUCT_PAGE_QUESTIONS, &p);
	if (st != ST_OK)
		return st;
	struct question_viewer v = questions_viewer(req);
	json_object *q = json_object_new_object();
	json_object_object_add(page, "questions", q);
	json_object_object_add(q, "items", questions_present(&p, &v, req->lang));
	json_object_object_add(q, "total", json_object_new_int64(p.total));
	char url[64];
	snprintf(url, sizeof url, "/products/%lld/questions", product_id);
	json_object_object_add(q, "action", json_object_new_string(url));
	if (p.total > (long long)p.n)
		json_object_object_add(q, "more_url", json_object_new_string(url));
	if (req->role == ROLE_SHOPPER) {
		json_object_object_add(q, "ask", questions_form(res, req->lang));
	} else if (req->role == ROLE_GUEST) {
		snprintf(url, sizeof url, "/login?next=%%2Fproducts%%2F%lld", product_id);
		json_object_object_add(q, "login_url", json_object_new_string(url));
	}
	question_page_free(&p);
	return ST_OK;
}

/* A page of product_id's questions for the caller, or ST_NOT_FOUND when the shop does not show it. */
static enum status product_questions(struct request *req, long long brand_id, struct question_page *p)
{
	enum status st = ST_OK;
	if (!brand_id)
		st = db_question_product_brand(req->path_params[0], &brand_id);
	if (st == ST_OK)
		st = db_questions_of_product(req->path_params[0], brand_id, (int)req_int(req, "page"),
		                             (int)req_int(req, "per_page"), p);
	return st;
}

/* GET /api/v1/products/{id}/questions (page, per_page): 200 with a page of Question items, newest
 * first, secret ones masked unless the caller may read them; 404 for a product the shop does not
 * show; 422. */
enum status api_product_questions(struct request *req, struct response *res)
{
	struct question_page p;
	enum status st = product_questions(req, 0, &p);
	if (st != ST_OK)
		return st;
	struct question_viewer v = questions_viewer(req);
	json_object *list = present_list(questions_present(&p, &v, req->lang), (int)req_int(req, "page"),
	                                 (int)req_int(req, "per_page"), p.total);
	question_page_free(&p);
	return response_view(res, 200, NULL, list);
}

/* GET /products/{id}/questions (page, per_page): every question of the product, paged; 404. */
enum status page_product_questions(struct request *req, struct response *res)
{
	json_object *product;
	enum status st = catalog_get_product(req->path_params[0], &product);
	if (st != ST_OK)
		return st;
	json_object *model = response_model(res);
	json_object_object_add(model, "product", product);
	json_object *brand = json_object_object_get(product, "brand");
	struct question_page p;
	st = product_questions(req, json_object_get_int64(json_object_object_get(brand, "id")), &p);
	if (st != ST_OK)
		return st;
	struct question_viewer v = questions_viewer(req);
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	json_object_object_add(model, "items", questions_present(&p, &v, req->lang));
	json_object_object_add(model, "total", json_object_new_int64(p.total));
	char path[64];
	snprintf(path, sizeof path, "/products/%lld/questions", req->path_params[0]);
	json_object *links = pagination_list_links(path, page, per_page, req_given(req, "per_page"), p.total);
	if (links)
		json_object_object_add(model, "pagination", links);
	question_page_free(&p);
	return response_view(res, 200, "pages/product-questions", model);
}

/* Answers the question id as the caller sees it, with HTTP status http. */
enum status questions_answer_one(struct request *req, struct response *res, long long id, int http)
{
	struct question *q = malloc(sizeof *q);
	if (!q)
		return ST_ERROR;
	enum status st = db_question_get(id, q);
	if (st == ST_OK) {
		struct question_viewer v = questions_viewer(req);
		st = response_view(res, http, NULL, present_question(q, &v, req->lang));
	}
	free(q);
	return st;
}

/* GET /api/v1/questions/{id}: 200 with the Question (masked unless the caller may read it); 404. */
enum status api_question_get(struct request *req, struct response *res)
{
	return questions_answer_one(req, res, req->path_params[0], 200);
}

/* POST /products/{id}/questions (type, title, content, secret) and POST
 * /api/v1/products/{id}/questions: the shopper asks. The page goes back to the product's Q&A
 * (303; invalid fields draw it again, 422); the API answers 201 with the Question and its
 * Location. 404 for a product the shop does not show. */
enum status question_submit(struct request *req, struct response *res)
{
	struct question_input in;
	questions_read_input(req, &in);
	long long id;
	enum status st = db_question_create(session_user_id(req), req->path_params[0], &in, &id);
	if (st != ST_OK)
		return st;
	char url[64];
	if (!req->is_api) {
		snprintf(url, sizeof url, "/products/%lld#questions", req->path_params[0]);
		return response_redirect(res, url);
	}
	snprintf(url, sizeof url, "/api/v1/questions/%lld", id);
	response_header(res, "Location", url);
	return questions_answer_one(req, res, id, 201);
}
