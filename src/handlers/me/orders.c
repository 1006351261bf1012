/* The buyer's orders (SPEC §4 /me/orders, §5 /api/v1/orders): the list, one order with its lines,
 * bank transfer details and history, and what the buyer may do: cancel while nothing has shipped,
 * confirm a delivered line, ask to return one within 7 days. The same handlers answer the pages (a
 * POST, then 303 back to the order) and the API (the order, or the line, as JSON). Another buyer's
 * order or line is 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/orders.h"
#include "handlers/forms.h"
#include "handlers/me/me.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "pay/payments.h"
#include "present/order.h"
#include "shop/orders.h"
#include "util/buf.h"
#include "view/pagination.h"
#include "view/view.h"

/* Why a buyer returns a line (enum return_reason from RETURN_CHANGE_OF_MIND, as the route's enum). */
static const struct form_choice order_return_reasons[] = {
    {"change_of_mind", "order.return_reason.change_of_mind"},
    {"size", "order.return_reason.size"},
    {"defective", "order.return_reason.defective"},
    {"wrong_item", "order.return_reason.wrong_item"},
    {"other", "order.return_reason.other"},
    {NULL, NULL},
};

/* GET /me/orders: 200. The list shows less of each order than the API's (present_order_summary). */
enum status page_my_orders(struct request *req, struct response *res)
{
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	struct order_summary *list;
	size_t n;
	long long total;
	enum status st = db_order_summaries_of_user(session_user_id(req), page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_order_summary(&list[i], req->lang));
	order_summaries_free(list, n);
	json_object *model = response_model(res);
	json_object_object_add(model, "orders", items);
	json_object_object_add(model, "total", json_object_new_int64(total));
	json_object_object_add(model, "empty", json_object_new_boolean(total == 0));
	json_object *links = pagination_list_links("/me/orders", page, per_page, req_given(req, "per_page"), total);
	if (links)
		json_object_object_add(model, "pagination", links);
	return response_view(res, 200, "pages/my-orders", model);
}

/* GET /api/v1/orders: 200 with a page of the buyer's orders, each whole (present_order). */
enum status api_orders_list(struct request *req, struct response *res)
{
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	struct order *list;
	size_t n;
	long long total;
	enum status st = db_orders_of_user(session_user_id(req), page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_order(&list[i], req->lang));
	orders_free(list, n);
	return response_view(res, 200, NULL, present_list(items, page, per_page, total));
}

/* The buyer's order {id} presented; 404 for another buyer's. */
static enum status own_order(struct request *req, long long order_id, json_object **out)
{
	struct order o;
	enum status st = db_order_get(order_id, session_user_id(req), &o);
	if (st != ST_OK)
		return st;
	*out = present_order(&o, req->lang);
	order_free(&o);
	return ST_OK;
}

/* GET /me/orders/{id} (with a notice after a change), GET /api/v1/orders/{id}: 200, 404. */
enum status page_my_order(struct request *req, struct response *res)
{
	static const char *const notices[] = {"cancelled", "confirmed", "return_requested", NULL};
	json_object *order;
	enum status st = own_order(req, req->path_params[0], &order);
	if (st != ST_OK)
		return st;
	if (req->is_api)
		return response_view(res, 200, NULL, order);
	json_object *page = response_model(res);
	json_object_object_add(page, "order", order);
	json_object_object_add(page, "return_reasons", form_choices(res, "reason", order_return_reasons, req->lang));
	form_notices(req, page, notices);
	return response_view(res, 200, "pages/my-order", page);
}

/* The refund account of the form or body (refund_bank_name, refund_account_number,
 * refund_account_holder): *given when all three came (not blank); none is fine (the order may not
 * need one, and a page's form sends them empty); some but not all, or a number that is not digits
 * and hyphens, is a 422 on the field. */
static enum status refund_account_of(struct request *req, struct response *res, struct refund_account *a, bool *given)
{
	static const char *const fields[] = {"refund_bank_name", "refund_account_number", "refund_account_holder"};
	char *const into[] = {a->bank, a->number, a->holder};
	const size_t sizes[] = {sizeof a->bank, sizeof a->number, sizeof a->holder};
	int n = 0;
	for (size_t i = 0; i < 3; i++)
		n += req_text(req, fields[i]) != NULL;
	*given = n == 3;
	if (n == 0)
		return ST_OK;
	for (size_t i = 0; i < 3; i++) {
		const char *text = req_text(req, fields[i]);
		if (!text)
			return response_field_error(res, ST_INVALID, fields[i], "required");
		snprintf(into[i], sizes[i], "%s", text);
	}
	size_t len = strlen(a->number), digits = 0;
	for (size_t i = 0; i < len; i++)
		digits += a->number[i] >= '0' && a->number[i] <= '9';
	if (len < 6 || len > 30 || strspn(a->number, "0123456789-") != len || digits < 6)
		return response_field_error(res, ST_INVALID, "refund_account_number", "invalid_account_number");
	return ST_OK;
}

/* After a change: the page goes back to the order with a notice; the API answers the order. */
static enum status answer_order(struct request *req, struct response *res, long long order_id, const char *notice)
{
	if (req->is_api) {
		json_object *order;
		enum status st = own_order(req, order_id, &order);
		return st == ST_OK ? response_view(res, 200, NULL, order) : st;
	}
	char url[96];
	snprintf(url, sizeof url, "/me/orders/%lld?%s=1", order_id, notice);
	return response_redirect(res, url);
}

/* A refusal: its code and detail for the API, its message above the page's form. */
static enum status refused(struct response *res, enum status st, const struct order_outcome *out)
{
	static const struct refusal why[] = {
	    {"NOT_CANCELLABLE", "order.not_cancellable", "Something has shipped, or the order is no longer open."},
	    {"NOT_DELIVERED", "order.not_delivered", "The line is not delivered (or was confirmed already)."},
	    {"RETURN_WINDOW_CLOSED", "order.return_window_closed", "Returns are possible for 7 days after delivery."},
	    {"REFUND_ACCOUNT_REQUIRED", "order.refund_account_required",
	     "The order was paid by bank transfer: give refund_bank_name, refund_account_number and "
	     "refund_account_holder for the refund."},
	};
	return response_refused(res, st, out->code, why, sizeof why / sizeof why[0]);
}

/* POST /me/orders/{id}/cancel, POST /api/v1/orders/{id}/cancel: 303 / 200 with the order; 404;
 * 409 NOT_CANCELLABLE; 422 REFUND_ACCOUNT_REQUIRED or a refund account field. A paid order's money
 * waits as a refund (bank transfer: until an admin sends it to the account given and records it; a
 * gateway's: refunded at once by src/pay/). */
enum status order_cancel_submit(struct request *req, struct response *res)
{
	struct order_outcome out = {0};
	long long order_id = req->path_params[0];
	struct refund_account account;
	bool given;
	enum status st = refund_account_of(req, res, &account, &given);
	if (st != ST_OK)
		return st;
	st = orders_cancel(order_id, session_user_id(req), given ? &account : NULL, req->lang, &out);
	if (st != ST_OK)
		return refused(res, st, &out);
	/* A card payment goes back at once; if the gateway cannot be reached the jobs process retries. */
	if (out.gateway_refund)
		payment_refund(out.refund_id);
	return answer_order(req, res, order_id, "cancelled");
}

/* POST /me/order-lines/{id}/confirm, POST /api/v1/order-lines/{id}/confirm: 303 / 200 with the
 * order; 404; 409 NOT_DELIVERED. The line's mileage is credited. */
enum status line_confirm_submit(struct request *req, struct response *res)
{
	struct order_outcome out = {0};
	long long order_id;
	enum status st = db_order_of_line(req->path_params[0], session_user_id(req), &order_id);
	if (st == ST_OK)
		st = orders_confirm_line(req->path_params[0], session_user_id(req), &out);
	if (st != ST_OK)
		return refused(res, st, &out);
	return answer_order(req, res, order_id, "confirmed");
}

/* POST /me/order-lines/{id}/return, POST /api/v1/order-lines/{id}/return (reason, note, and the
 * refund account for a bank transfer): 303 / 200 with the order; 404; 409 NOT_DELIVERED or
 * RETURN_WINDOW_CLOSED; 422 without a reason, or REFUND_ACCOUNT_REQUIRED. */
enum status line_return_submit(struct request *req, struct response *res)
{
	struct order_outcome out = {0};
	long long order_id;
	struct refund_account account;
	bool given;
	enum status st = db_order_of_line(req->path_params[0], session_user_id(req), &order_id);
	if (st == ST_OK)
		st = refund_account_of(req, res, &account, &given);
	if (st == ST_OK)
		st = orders_request_return(req->path_params[0], session_user_id(req),
		                           (enum return_reason)(req_int(req, "reason") + 1), req_text(req, "note"),
		                           given ? &account : NULL, &out);
	if (st != ST_OK)
		return refused(res, st, &out);
	return answer_order(req, res, order_id, "return_requested");
}

/* The order page, drawn again after a refused change. */
static enum status draw_order(struct request *req, struct response *res, long long order_id)
{
	json_object *order;
	enum status st = own_order(req, order_id, &order);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	json_object_object_add(page, "order", order);
	json_object_object_add(page, "return_reasons", form_choices(res, "reason", order_return_reasons, req->lang));
	return response_view(res, 200, "pages/my-order", page);
}

/* The form of the order routes (/me/orders/{id}/...). */
enum status my_order_form(struct request *req, struct response *res)
{
	return draw_order(req, res, req->path_params[0]);
}

/* The form of the line routes (/me/order-lines/{id}/...): the line's order. */
enum status my_line_form(struct request *req, struct response *res)
{
	long long order_id;
	enum status st = db_order_of_line(req->path_params[0], session_user_id(req), &order_id);
	return st == ST_OK ? draw_order(req, res, order_id) : st;
}
