/* Fulfilment for a brand's sellers (SPEC §3 Order line, §5 /api/v1/seller/order-lines): the brand's
 * lines with where to ship them (never another brand's lines or the order's totals), and moving
 * each along preparing -> shipped (courier, tracking number) -> delivered, and approving or
 * rejecting a return. Another brand's line is 404. The console pages come later; this is the API. */
#include <stdlib.h>

#include <json-c/json.h>

#include "db/orders.h"
#include "db/sessions.h"
#include "handlers/seller/seller.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "pay/payments.h"
#include "present/order.h"
#include "shop/orders.h"

static long long brand_of(const struct request *req)
{
	return req->session ? req->session->brand_id : 0;
}

/* GET /api/v1/seller/order-lines (state, page, per_page): 200 with a page of the brand's lines,
 * newest first. */
enum status api_seller_lines(struct request *req, struct response *res)
{
	struct brand_line *list;
	size_t n;
	long long total;
	int state = req_given(req, "state") ? (int)req_int(req, "state") : -1;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	enum status st = db_brand_lines(brand_of(req), state, page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_seller_line(&list[i].order, &list[i].line, req->lang));
	free(list);
	return response_view(res, 200, NULL, present_list(items, page, per_page, total));
}

/* The brand's line {id} as the seller sees it. */
static enum status answer_line(struct request *req, struct response *res, long long line_id)
{
	struct brand_line *b = malloc(sizeof *b);
	if (!b)
		return ST_ERROR;
	enum status st = db_brand_line(brand_of(req), line_id, b);
	if (st == ST_OK)
		st = response_view(res, 200, NULL, present_seller_line(&b->order, &b->line, req->lang));
	free(b);
	return st;
}

/* GET /api/v1/seller/order-lines/{id}: 200, 404. */
enum status api_seller_line(struct request *req, struct response *res)
{
	return answer_line(req, res, req->path_params[0]);
}

static enum status refused(struct response *res, enum status st, const struct order_outcome *out)
{
	static const struct refusal why[] = {
	    {"NOT_PAID", NULL, "The order is not paid yet."},
	    {"WRONG_STATE", NULL, "The line is not in a state this step follows."},
	};
	return response_refused(res, st, out->code, why, sizeof why / sizeof why[0]);
}

static enum status move(struct request *req, struct response *res, enum line_state to, const char *courier,
                        const char *tracking_number)
{
	struct order_outcome out = {0};
	enum status st =
	    orders_seller_move(req->path_params[0], brand_of(req), to, courier, tracking_number, req->lang, &out);
	return st == ST_OK ? answer_line(req, res, req->path_params[0]) : refused(res, st, &out);
}

/* POST /api/v1/seller/order-lines/{id}/prepare, /ship (courier, tracking_number; the buyer is
 * mailed), /deliver: 200 with the line; 404; 409 NOT_PAID (preparing and shipping wait for the
 * payment) or WRONG_STATE; 422 (ship without courier or tracking number). */
enum status seller_line_prepare(struct request *req, struct response *res)
{
	return move(req, res, LINE_PREPARING, NULL, NULL);
}

enum status seller_line_ship(struct request *req, struct response *res)
{
	return move(req, res, LINE_SHIPPED, req_text(req, "courier"), req_text(req, "tracking_number"));
}

enum status seller_line_deliver(struct request *req, struct response *res)
{
	return move(req, res, LINE_DELIVERED, NULL, NULL);
}

static enum status decide(struct request *req, struct response *res, bool approve, const char *reason)
{
	struct order_outcome out = {0};
	enum status st = orders_decide_return(req->path_params[0], brand_of(req), approve, reason, req->lang, &out);
	if (st == ST_OK && out.gateway_refund)
		payment_refund(out.refund_id); /* retried by the jobs process if the gateway cannot be reached */
	return st == ST_OK ? answer_line(req, res, req->path_params[0]) : refused(res, st, &out);
}

/* POST /api/v1/seller/order-lines/{id}/return/approve (stock back, the refund of money rule 7),
 * /return/reject (reason): 200 with the line; 404; 409 WRONG_STATE (no return requested); 422. */
enum status seller_return_approve(struct request *req, struct response *res)
{
	return decide(req, res, true, NULL);
}

enum status seller_return_reject(struct request *req, struct response *res)
{
	return decide(req, res, false, req_text(req, "reason"));
}
