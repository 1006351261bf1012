/* The money an admin records (SPEC §6 "Payment"): the orders waiting for a bank transfer, the
 * amount received (exactly the total) that marks one paid, and the refunds waiting to be sent back
 * by bank transfer, marked done once sent. */
#include <stdlib.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/order_changes.h"
#include "db/orders.h"
#include "handlers/admin/admin.h"
#include "handlers/forms.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "present/order.h"
#include "shop/orders.h"
#include "view/pagination.h"

/* The page links of a console list at path (which may hold its filter). */
static void add_pages(json_object *model, const char *path, int page, int per_page, long long total)
{
	json_object *links = pagination_list_links(path, page, per_page, false, total);
	if (links)
		json_object_object_add(model, "pagination", links);
}

/* GET /api/v1/admin/orders (payment_method, payment_state: by default bank transfers awaiting
 * payment; page, per_page): 200 with a page of orders, oldest first. */
enum status api_admin_orders(struct request *req, struct response *res)
{
	struct order *list;
	size_t n;
	long long total;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	if (page < 1) /* the page drawn again after a refused form: the form's inputs have no page */
		page = 1;
	if (per_page < 1)
		per_page = 20;
	enum status st =
	    db_orders_by_state((enum payment_method)req_int(req, "payment_method"),
	                       (enum payment_state)req_int(req, "payment_state"), page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_order(&list[i], req->lang));
	orders_free(list, n);
	if (req->is_api)
		return response_view(res, 200, NULL, present_list(items, page, per_page, total));
	json_object *model = response_model(res);
	json_object_object_add(model, "list", present_list(items, page, per_page, total));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	add_pages(model, "/admin/orders", page, per_page, total);
	static const char *const notices[] = {"recorded", NULL};
	if (req_given(req, "recorded"))
		form_notices(req, model, notices);
	return response_view(res, 200, "pages/admin-orders", model);
}

static enum status answer_order(struct request *req, struct response *res, long long order_id)
{
	struct order o;
	enum status st = db_order_get(order_id, 0, &o);
	if (st != ST_OK)
		return st;
	json_object *j = present_order(&o, req->lang);
	json_object_object_add(j, "buyer_id", json_object_new_int64(o.user_id));
	present_won(j, "received_amount", o.received_amount, req->lang);
	json_object_object_add(j, "received_at", present_timestamp(o.received_at));
	order_free(&o);
	return response_view(res, 200, NULL, j);
}

/* GET /api/v1/admin/orders/{id}: 200 with any order, 404. */
enum status api_admin_order(struct request *req, struct response *res)
{
	return answer_order(req, res, req->path_params[0]);
}

static enum status refused(struct response *res, enum status st, const struct order_outcome *out)
{
	static const struct refusal why[] = {
	    {"NOT_AWAITING", NULL, "The order is not a bank transfer awaiting payment."},
	    {"AMOUNT_MISMATCH", NULL, "The amount received must equal the order's total."},
	    {"NOT_PENDING", NULL, "The refund is not a bank refund waiting to be sent."},
	};
	return response_refused(res, st, out->code, why, sizeof why / sizeof why[0]);
}

/* POST /api/v1/admin/orders/{id}/payment (amount, depositor_name): the bank transfer received;
 * 200 with the order, now paid; 404; 409 NOT_AWAITING; 422 AMOUNT_MISMATCH. */
enum status api_admin_order_payment(struct request *req, struct response *res)
{
	struct order_outcome out = {0};
	enum status st = orders_record_transfer(req->path_params[0], req_int(req, "amount"),
	                                        req_text(req, "depositor_name"), session_user_id(req), req->lang, &out);
	if (st != ST_OK)
		return refused(res, st, &out);
	return req->is_api ? answer_order(req, res, req->path_params[0])
	                   : response_redirect(res, "/admin/orders?recorded=1");
}

static json_object *present_refund(const struct refund *r, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_add(o, "order_id", json_object_new_int64(r->order_id));
	json_object_object_add(o, "order_line_id", present_int_or_null(r->line_id));
	json_object_object_add(o, "merchant_uid", json_object_new_string(r->merchant_uid));
	json_object_object_add(o, "reason", json_object_new_string(r->reason == REFUND_CANCEL ? "cancel" : "return"));
	json_object_object_add(o, "method", json_object_new_string(r->gateway ? "gateway" : "bank_transfer"));
	json_object_object_add(o, "state", json_object_new_string(r->state));
	present_won(o, "amount", r->amount, lang);
	present_won(o, "shipping_amount", r->shipping_amount, lang);
	present_won(o, "return_cost_deducted", r->return_cost_deducted, lang);
	json_object_object_add(o, "created_at", present_timestamp(r->created_at));
	json_object_object_add(o, "completed_at", present_timestamp(r->completed_at));
	json_object_object_add(o, "last_error", present_text_or_null(r->last_error));
	json_object *account = NULL; /* where a bank transfer's refund is to be sent */
	if (r->account.bank[0]) {
		account = json_object_new_object();
		json_object_object_add(account, "bank_name", json_object_new_string(r->account.bank));
		json_object_object_add(account, "account_number", json_object_new_string(r->account.number));
		json_object_object_add(account, "account_holder", json_object_new_string(r->account.holder));
	}
	json_object_object_add(o, "refund_account", account);
	return o;
}

/* GET /api/v1/admin/refunds (state: pending by default, or done; page, per_page): 200. */
enum status api_admin_refunds(struct request *req, struct response *res)
{
	static const char *const states[] = {"pending", "done"};
	struct refund *list;
	size_t n;
	long long total;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	if (page < 1)
		page = 1;
	if (per_page < 1)
		per_page = 20;
	enum status st = db_refunds_list(states[req_int(req, "state")], page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_refund(&list[i], req->lang));
	free(list);
	if (req->is_api)
		return response_view(res, 200, NULL, present_list(items, page, per_page, total));
	json_object *model = response_model(res);
	json_object_object_add(model, "list", present_list(items, page, per_page, total));
	json_object_object_add(model, "empty", json_object_new_boolean(n == 0));
	add_pages(model,
	          !req_given(req, "state") ? "/admin/refunds"
	          : req_int(req, "state")  ? "/admin/refunds?state=done"
	                                   : "/admin/refunds?state=pending",
	          page, per_page, total);
	static const char *const notices[] = {"recorded", NULL};
	if (req_given(req, "recorded"))
		form_notices(req, model, notices);
	return response_view(res, 200, "pages/admin-refunds", model);
}

/* POST /api/v1/admin/refunds/{id}/record: the bank refund was sent; 200 with the refund; 404;
 * 409 NOT_PENDING (done already, or one the gateway makes). */
enum status api_admin_refund_record(struct request *req, struct response *res)
{
	struct order_outcome out = {0};
	struct refund r;
	enum status st = orders_record_refund(req->path_params[0], session_user_id(req), &out);
	if (st != ST_OK)
		return refused(res, st, &out);
	if (!req->is_api)
		return response_redirect(res, "/admin/refunds?recorded=1");
	st = db_refund_get(req->path_params[0], &r);
	return st == ST_OK ? response_view(res, 200, NULL, present_refund(&r, req->lang)) : st;
}
