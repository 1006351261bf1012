/* The seller console's order lines (docs/seller-console.md): the brand's lines with their next
 * step as page forms over the shop's fulfilment code, and their CSV export for the courier. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "handlers/forms.h"
#include "handlers/seller/seller.h"
#include "http/request.h"
#include "http/response.h"
#include "pay/payments.h"
#include "http/url.h"
#include "present/common.h"
#include "present/order.h"
#include "shop/orders.h"
#include "util/csv.h"
#include "view/format.h"
#include "view/pagination.h"

static int state_of(const struct request *req)
{
	if (!req_given(req, "state"))
		return -1;
	const char *s = req_text(req, "state");
	for (int i = 0; line_state_names[i]; i++)
		if (strcmp(line_state_names[i], s) == 0)
			return i;
	return -1;
}

static const char *q_of(const struct request *req)
{
	return req_given(req, "q") ? req_text(req, "q") : "";
}

/* What a page may do with a line in its state (the API's moves, as forms). */
static void line_actions(json_object *line, const struct console_line *l)
{
	bool paid = l->paid;
	enum line_state s = l->state;
	json_object_object_add(line, "can_prepare", json_object_new_boolean(paid && s == LINE_ORDERED));
	json_object_object_add(line, "can_ship", json_object_new_boolean(paid && s == LINE_PREPARING));
	json_object_object_add(line, "can_deliver", json_object_new_boolean(s == LINE_SHIPPED));
	json_object_object_add(line, "can_decide_return", json_object_new_boolean(s == LINE_RETURN_REQUESTED));
	json_object_object_add(line, "awaiting_payment", json_object_new_boolean(!paid && s == LINE_ORDERED));
}

/* The orders page (also drawn again after a refused move). */
enum status seller_orders_form(struct request *req, struct response *res)
{
	struct console_line *list;
	size_t n;
	long long total;
	int state = state_of(req), page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	const char *q = q_of(req);
	enum status st = db_console_lines(seller_brand(req), state, q, page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *model = seller_page_model(res);
	json_object *items = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		json_object *line = present_console_line(&list[i], req->lang);
		line_actions(line, &list[i]);
		json_object_array_add(items, line);
	}
	free(list);
	json_object_object_add(model, "lines", items);
	json_object_object_add(model, "total", json_object_new_int64(total));
	json_object_object_add(model, "empty", json_object_new_boolean(total == 0));
	json_object_object_add(model, "q", json_object_new_string(q));
	json_object *states = json_object_new_array();
	for (int i = 0; line_state_names[i]; i++) {
		json_object *o = json_object_new_object();
		present_coded(o, "value", "order.line", line_state_names[i], req->lang);
		json_object_object_add(o, "selected", json_object_new_boolean(i == state));
		json_object_array_add(states, o);
	}
	json_object_object_add(model, "states", states);
	struct buf query = BUF_INIT;
	if (state >= 0)
		url_add_param(&query, "state", line_state_names[state]);
	if (*q)
		url_add_param(&query, "q", q);
	json_object_object_add(model, "query", json_object_new_string(buf_str(&query)));
	struct buf base = BUF_INIT;
	buf_printf(&base, "/seller/orders%s", buf_str(&query));
	json_object *links = pagination_links(buf_str(&base), page, pagination_last_page(total, per_page));
	if (links)
		json_object_object_add(model, "pagination", links);
	buf_free(&base);
	buf_free(&query);
	return response_view(res, res->form_message || res->errors ? 409 : 200, "pages/seller-orders", model);
}

/* GET /seller/orders (state, q, page; ?moved=1 after an action). */
enum status page_seller_orders(struct request *req, struct response *res)
{
	static const char *const notices[] = {"moved", NULL};
	form_notices(req, seller_page_model(res), notices);
	return seller_orders_form(req, res);
}

static const struct refusal move_refusals[] = {
    {"NOT_PAID", "seller_ops.not_paid", "The order is not paid yet."},
    {"WRONG_STATE", "seller_ops.wrong_state", "The line is not in a state this step follows."},
};

static enum status page_moved(struct request *req, struct response *res, enum status st,
                              const struct order_outcome *out)
{
	(void)req;
	if (st != ST_OK)
		return response_refused(res, st, out->code, move_refusals,
		                        sizeof move_refusals / sizeof *move_refusals);
	return response_redirect(res, "/seller/orders?moved=1");
}

static enum status page_move(struct request *req, struct response *res, enum line_state to)
{
	struct order_outcome out = {0};
	const char *courier = to == LINE_SHIPPED ? req_text(req, "courier") : NULL;
	const char *tracking = to == LINE_SHIPPED ? req_text(req, "tracking_number") : NULL;
	enum status st =
	    orders_seller_move(req->path_params[0], seller_brand(req), to, courier, tracking, req->lang, &out);
	return page_moved(req, res, st, &out);
}

/* POST /seller/orders/{id}/prepare, /ship (courier, tracking_number), /deliver: 303 to
 * /seller/orders?moved=1; 404; 409 (the page again with why); 422. */
enum status seller_page_prepare(struct request *req, struct response *res)
{
	return page_move(req, res, LINE_PREPARING);
}

enum status seller_page_ship(struct request *req, struct response *res)
{
	return page_move(req, res, LINE_SHIPPED);
}

enum status seller_page_deliver(struct request *req, struct response *res)
{
	return page_move(req, res, LINE_DELIVERED);
}

static enum status page_decide(struct request *req, struct response *res, bool approve)
{
	struct order_outcome out = {0};
	enum status st = orders_decide_return(req->path_params[0], seller_brand(req), approve,
	                                      approve ? NULL : req_text(req, "reason"), req->lang, &out);
	if (st == ST_OK && out.gateway_refund)
		payment_refund(out.refund_id);
	return page_moved(req, res, st, &out);
}

/* POST /seller/orders/{id}/return/approve, /return/reject (reason). */
enum status seller_page_return_approve(struct request *req, struct response *res)
{
	return page_decide(req, res, true);
}

enum status seller_page_return_reject(struct request *req, struct response *res)
{
	return page_decide(req, res, false);
}

#define EXPORT_PAGE  100
#define EXPORT_PAGES 50 /* at most 5,000 lines a file */

/* The export's columns: the shipping snapshot of each line only, no amounts of the order. */
static const char *const export_head[] = {"line_id",        "order_number",    "ordered_at",  "product",
                                          "size",           "color",           "quantity",    "state",
                                          "recipient_name", "recipient_phone", "postal_code", "address",
                                          "address_detail", "delivery_memo",   "courier",     "tracking_number"};
#define EXPORT_NCOLUMNS (sizeof export_head / sizeof *export_head)

static void export_row(struct buf *out, const struct console_line *l)
{
	const struct shipping_address *ship = &l->ship;
	char id[24], qty[24], phone[24];
	format_phone(ship->recipient_phone, phone, sizeof phone); /* 010-…: a spreadsheet keeps the 0 */
	snprintf(id, sizeof id, "%lld", l->id);
	snprintf(qty, sizeof qty, "%lld", l->quantity);
	json_object *when = present_kst_text(l->created_at);
	const char *cells[EXPORT_NCOLUMNS] = {id,
	                                      l->merchant_uid,
	                                      when ? json_object_get_string(when) : "",
	                                      l->product_name,
	                                      l->size_label,
	                                      l->color,
	                                      qty,
	                                      line_state_names[l->state],
	                                      ship->recipient_name,
	                                      phone,
	                                      ship->postal_code,
	                                      ship->address,
	                                      ship->address_detail,
	                                      ship->delivery_memo,
	                                      l->courier,
	                                      l->tracking_number};
	for (size_t c = 0; c < EXPORT_NCOLUMNS; c++)
		csv_write_cell(out, cells[c], c + 1 == EXPORT_NCOLUMNS);
	json_object_put(when);
}

/* GET /seller/orders.csv (state, q): the brand's lines as the courier needs them, newest first,
 * as an attachment named by today's date in Korea. */
enum status page_seller_orders_csv(struct request *req, struct response *res)
{
	struct buf out = BUF_INIT;
	buf_puts(&out, "\xEF\xBB\xBF"); /* spreadsheets read UTF-8 with the BOM */
	for (size_t i = 0; i < EXPORT_NCOLUMNS; i++)
		csv_write_cell(&out, export_head[i], i + 1 == EXPORT_NCOLUMNS);
	size_t n = EXPORT_PAGE;
	for (int page = 1; page <= EXPORT_PAGES && n == EXPORT_PAGE; page++) {
		struct console_line *list;
		long long total;
		enum status st =
		    db_console_lines(seller_brand(req), state_of(req), q_of(req), page, EXPORT_PAGE, &list, &n, &total);
		if (st != ST_OK) {
			buf_free(&out);
			return st;
		}
		for (size_t i = 0; i < n; i++)
			export_row(&out, &list[i]);
		free(list);
	}
	res->personal = true;
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	char disposition[96];
	time_t now = time(NULL) + 9 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(disposition, sizeof disposition, "attachment; filename=\"order-lines-%Y%m%d.csv\"", &tm);
	response_header(res, "Content-Disposition", disposition);
	buf_reset(&res->body);
	buf_append(&res->body, out.data, out.len);
	buf_free(&out);
	res->done = true;
	return ST_OK;
}
