/* Paying through the gateway (SPEC §6 "Portone"): the payment page that runs the gateway's script
 * for an order awaiting a card or KakaoPay payment, the browser's return (a form post from the
 * script's callback, or the mobile redirect), the API's equivalent, and the gateway's webhook. Each
 * hands the imp_uid to src/pay/payments.c, which trusts only the gateway's own record. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/orders.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "pay/payments.h"
#include "pay/portone.h"
#include "present/order.h"
#include "util/buf.h"
#include "util/config.h"

/* The payment page may load the gateway's script from its origin, and the gateway opens its own
 * windows and frames. Every other page keeps the strict default. */
static const char *pay_page_csp(void)
{
	static char csp[512];
	if (!csp[0]) {
		/* The script's origin: its URL up to the first '/' after "://". */
		char origin[256];
		const char *u = config.portone_script_url, *host = strstr(u, "://");
		const char *path = host ? strchr(host + 3, '/') : NULL;
		snprintf(origin, sizeof origin, "%.*s", host ? (int)(path ? path - u : (long)strlen(u)) : 0, u);
		snprintf(csp, sizeof csp,
		         "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
		         "script-src 'self' %s; connect-src 'self' https:; frame-src https:; frame-ancestors 'none'; "
		         "base-uri 'self'; form-action 'self' https:",
		         origin);
	}
	return csp;
}

/* The payment page (also drawn again with a message when the payment did not go through). An
 * order that waits for no gateway payment sends a visit to the order; drawn again after a refusal
 * (a payment too late, cancelled at the gateway), the page says why, without the gateway. */
enum status order_pay_form(struct request *req, struct response *res)
{
	struct order o;
	enum status st = db_order_get(req->path_params[0], session_user_id(req), &o);
	if (st != ST_OK)
		return st;
	bool payable = o.method != PAY_BANK_TRANSFER && o.payment_state == PAYMENT_AWAITING;
	if (!payable && !res->form_message) {
		order_free(&o);
		char url[64];
		snprintf(url, sizeof url, "/me/orders/%lld", req->path_params[0]);
		return response_redirect(res, url);
	}
	json_object *page = response_model(res), *pay = json_object_new_object();
	json_object *order = present_order(&o, req->lang);
	json_object_object_add(page, "order", order);
	json_object_object_add(page, "closed", json_object_new_boolean(!payable));
	struct buf ret = BUF_INIT;
	buf_printf(&ret, "%s/me/orders/%lld/pay/return", config.public_url, o.id);
	json_object_object_add(pay, "enabled", json_object_new_boolean(payable && portone_enabled()));
	json_object_object_add(pay, "script_url", json_object_new_string(config.portone_script_url));
	json_object_object_add(
	    pay, "merchant_code",
	    json_object_new_string(config.portone_merchant_code ? config.portone_merchant_code : ""));
	/* KakaoPay is its own "pg" in the V1 script; cards go to the configured one. */
	const char *pg = o.method == PAY_KAKAOPAY ? "kakaopay" : config.portone_pg ? config.portone_pg : "";
	json_object_object_add(pay, "pg", json_object_new_string(pg));
	json_object_object_add(pay, "pay_method",
	                       json_object_new_string(o.method == PAY_KAKAOPAY ? "kakaopay" : "card"));
	json_object_object_add(pay, "redirect_url", json_object_new_string(buf_str(&ret)));
	json_object_object_add(page, "pay", pay);
	buf_free(&ret);
	order_free(&o);
	if (payable)
		res->csp = pay_page_csp();
	return response_view(res, 200, "pages/order-pay", page);
}

/* GET /me/orders/{id}/pay (failed: back from the gateway's redirect without a payment): 200; 303
 * to the order when it waits for no gateway payment; 404. */
enum status page_order_pay(struct request *req, struct response *res)
{
	enum status st = order_pay_form(req, res);
	if (st == ST_OK && res->model && req_int(req, "failed"))
		json_object_object_add(res->model, "failed", json_object_new_boolean(true));
	return st;
}

/* How a settled payment is told: the page's message and the API's code. */
static enum status verdict_answer(struct response *res, enum payment_verdict v)
{
	switch (v) {
	case VERDICT_PAID:
	case VERDICT_ALREADY_PAID: return ST_OK;
	case VERDICT_NOT_PAID:
		res->form_message = "payment.not_paid";
		return response_fail(res, ST_CONFLICT, "PAYMENT_NOT_COMPLETED",
		                     "The gateway does not say this is paid.");
	case VERDICT_LATE:
		res->form_message = "payment.late";
		return response_fail(res, ST_CONFLICT, "ORDER_CLOSED",
		                     "The order closed before the payment arrived: it was cancelled at the gateway.");
	case VERDICT_UNKNOWN:
		res->form_message = "payment.not_paid";
		return response_fail(res, ST_INVALID, "PAYMENT_MISMATCH", "The gateway knows no such payment.");
	case VERDICT_MISMATCH: break;
	}
	res->form_message = "payment.mismatch";
	return response_fail(res, ST_INVALID, "PAYMENT_MISMATCH",
	                     "The payment does not match the order: it was cancelled at the gateway.");
}

/* Settles imp_uid for the buyer's order {id}: the verdict as a status (see verdict_answer);
 * ST_NOT_FOUND when the payment is for another order than this one. */
static enum status settle_for_order(struct request *req, struct response *res, const char *imp_uid,
                                    const char *merchant_uid)
{
	struct order o;
	enum status st = db_order_get(req->path_params[0], session_user_id(req), &o);
	if (st != ST_OK)
		return st;
	char own_uid[41];
	snprintf(own_uid, sizeof own_uid, "%s", o.merchant_uid);
	long long own_id = o.id;
	order_free(&o);
	enum payment_verdict v;
	long long settled;
	st = payment_settle(imp_uid, merchant_uid ? merchant_uid : own_uid, EVENT_BROWSER_RETURN, req->lang, &v,
	                    &settled);
	if (st == ST_UNAVAILABLE) {
		res->form_message = "payment.unavailable_now";
		return response_fail(res, st, "GATEWAY_UNAVAILABLE", "The payment gateway did not answer; try again.");
	}
	if (st != ST_OK)
		return st;
	if (settled != own_id && v != VERDICT_UNKNOWN)
		return verdict_answer(res, VERDICT_MISMATCH);
	return verdict_answer(res, v);
}

static enum status to_complete(struct request *req, struct response *res)
{
	char url[64];
	snprintf(url, sizeof url, "/me/orders/%lld/complete", req->path_params[0]);
	return response_redirect(res, url);
}

/* POST /me/orders/{id}/pay (imp_uid, merchant_uid: the script's callback): 303 to the order
 * complete page; the payment page again with a message (409 not paid or too late, 422 mismatch,
 * 503 the gateway did not answer). */
enum status order_pay_submit(struct request *req, struct response *res)
{
	enum status st = settle_for_order(req, res, req_text(req, "imp_uid"), req_text(req, "merchant_uid"));
	return st == ST_OK ? to_complete(req, res) : st;
}

/* GET /me/orders/{id}/pay/return (imp_uid, merchant_uid, imp_success, error_msg: the gateway's
 * mobile redirect): 303 to the order complete page, or to the payment page when it did not go
 * through. Reading the gateway changes nothing it does not already say. */
enum status order_pay_return(struct request *req, struct response *res)
{
	const char *imp_uid = req_text(req, "imp_uid");
	enum status st = imp_uid ? settle_for_order(req, res, imp_uid, req_text(req, "merchant_uid")) : ST_CONFLICT;
	if (st == ST_OK)
		return to_complete(req, res);
	if (st == ST_NOT_FOUND)
		return st;
	char url[64];
	snprintf(url, sizeof url, "/me/orders/%lld/pay?failed=1", req->path_params[0]);
	return response_redirect(res, url);
}

/* POST /api/v1/payments/portone/complete (imp_uid, merchant_uid): the client paid; 200 with the
 * order, paid; 404 (not the caller's order); 409 PAYMENT_NOT_COMPLETED or ORDER_CLOSED; 422
 * PAYMENT_MISMATCH (cancelled at the gateway); 503 GATEWAY_UNAVAILABLE. */
enum status api_payment_complete(struct request *req, struct response *res)
{
	struct order o;
	enum status st = db_order_by_merchant_uid(req_text(req, "merchant_uid"), &o);
	if (st != ST_OK)
		return st;
	long long id = o.id, buyer = o.user_id;
	order_free(&o);
	if (buyer != session_user_id(req))
		return ST_NOT_FOUND;
	enum payment_verdict v;
	long long settled;
	st = payment_settle(req_text(req, "imp_uid"), req_text(req, "merchant_uid"), EVENT_BROWSER_RETURN, req->lang,
	                    &v, &settled);
	if (st == ST_UNAVAILABLE)
		return response_fail(res, st, "GATEWAY_UNAVAILABLE", "The payment gateway did not answer; try again.");
	if (st == ST_OK)
		st = verdict_answer(
		    res, settled == id || v == VERDICT_UNKNOWN || v == VERDICT_NOT_PAID ? v : VERDICT_MISMATCH);
	if (st != ST_OK)
		return st;
	st = db_order_get(id, 0, &o);
	if (st != ST_OK)
		return st;
	st = response_view(res, 200, NULL, present_order(&o, req->lang));
	order_free(&o);
	return st;
}

/* POST /api/v1/payments/portone/webhook (imp_uid, merchant_uid, status; JSON or form, no CSRF: the
 * gateway calls it): 200 {verdict} once the payment is settled (a forged or mismatched one
 * included: answering 5xx would only make the gateway send it again); 503 when the gateway could
 * not be asked, so that it does. */
enum status api_portone_webhook(struct request *req, struct response *res)
{
	enum payment_verdict v;
	long long order_id;
	enum status st =
	    payment_settle(req_text(req, "imp_uid"), req_text(req, "merchant_uid"), EVENT_WEBHOOK, "ko", &v, &order_id);
	if (st == ST_UNAVAILABLE)
		return response_fail(res, st, "GATEWAY_UNAVAILABLE",
		                     "The payment gateway did not answer; send it again.");
	if (st != ST_OK)
		return st;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "verdict", json_object_new_string(payment_verdict_name(v)));
	return response_view(res, 200, NULL, o);
}
