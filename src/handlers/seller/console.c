/* The seller console's pages and their API (issue 10; docs/seller-console.md): the dashboard with
 * its chart, stock adjustments (a form, a CSV upload) with their history, the brand's order lines
 * with their actions and a CSV export, the brand's questions, and its branches. Every read and
 * write names the signed-in seller's brand, so another brand's rows are 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/db.h"
#include "db/orders.h"
#include "db/questions.h"
#include "db/seller_console.h"
#include "db/sellers.h"
#include "db/sessions.h"
#include "handlers/forms.h"
#include "handlers/seller/seller.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/input.h"
#include "http/response.h"
#include "http/url.h"
#include "pay/payments.h"
#include "present/common.h"
#include "present/order.h"
#include "present/question.h"
#include "shop/orders.h"
#include "shop/qna.h"
#include "util/buf.h"
#include "view/format.h"
#include "view/pagination.h"
#include "view/view.h"

static long long brand_of(const struct request *req)
{
	return req->session ? req->session->brand_id : 0;
}

static json_object *page_model(struct response *res)
{
	res->personal = true;
	return response_model(res);
}

/* ---- dashboard ------------------------------------------------------------------------------- */

#define CHART_W   640
#define CHART_H   220
#define CHART_TOP 16
#define CHART_BOT 28
#define CHART_L   8

/* The 30 days of sales as an SVG bar chart: attributes only (the CSP forbids inline styles), a
 * title per bar; the page has the same figures as a table for screen readers. */
static void sales_svg(const struct seller_dashboard *d, const char *lang, struct buf *out)
{
	long long max = 0;
	for (int i = 0; i < DASHBOARD_DAYS; i++)
		if (d->sales[i] > max)
			max = d->sales[i];
	int plot_h = CHART_H - CHART_TOP - CHART_BOT;
	int slot = (CHART_W - 2 * CHART_L) / DASHBOARD_DAYS;
	buf_printf(out,
	           "<svg class=\"sales-chart\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\""
	           " aria-labelledby=\"sales-chart-title\" xmlns=\"http://www.w3.org/2000/svg\">"
	           "<title id=\"sales-chart-title\">%s</title>",
	           CHART_W, CHART_H, view_message(lang, "seller_ops.sales_chart"));
	buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8a8a8a\" stroke-width=\"1\"/>",
	           CHART_L, CHART_H - CHART_BOT, CHART_W - CHART_L, CHART_H - CHART_BOT);
	for (int i = 0; i < DASHBOARD_DAYS; i++) {
		int h = max > 0 ? (int)(d->sales[i] * plot_h / max) : 0;
		if (d->sales[i] > 0 && h < 2)
			h = 2;
		int x = CHART_L + i * slot + 2;
		struct buf won = BUF_INIT;
		format_won(&won, d->sales[i], lang);
		buf_printf(
		    out,
		    "<rect class=\"sales-chart__bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#1f6feb\">"
		    "<title>%s: %s</title></rect>",
		    x, CHART_H - CHART_BOT - h, slot - 4, h, d->day[i], buf_str(&won));
		buf_free(&won);
		if ((DASHBOARD_DAYS - 1 - i) % 7 == 0) /* today, and every 7 days back */
			buf_printf(out,
			           "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555555\" "
			           "text-anchor=\"middle\">%.5s</text>",
			           x + (slot - 4) / 2, CHART_H - 10, d->day[i] + 5);
	}
	struct buf top = BUF_INIT;
	format_won(&top, max, lang);
	buf_printf(out, "<text x=\"%d\" y=\"12\" font-size=\"11\" fill=\"#555555\">%s</text></svg>", CHART_L,
	           buf_str(&top));
	buf_free(&top);
}

static json_object *variant_json(const struct stock_variant *v)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(v->id));
	json_object_object_add(o, "product_id", json_object_new_int64(v->product_id));
	json_object_object_add(o, "product_name", json_object_new_string(v->product_name));
	json_object_object_add(o, "size", json_object_new_string(v->size_label));
	json_object_object_add(o, "color", present_text_or_null(v->color));
	json_object_object_add(o, "sku", present_text_or_null(v->sku));
	json_object_object_add(o, "stock", json_object_new_int64(v->stock));
	json_object_object_add(o, "status", json_object_new_string(v->status));
	return o;
}

static json_object *dashboard_json(const struct seller_dashboard *d, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "orders_today", json_object_new_int64(d->orders_today));
	json_object_object_add(o, "lines_to_ship", json_object_new_int64(d->lines_to_ship));
	json_object_object_add(o, "open_questions", json_object_new_int64(d->open_questions));
	json_object_object_add(o, "low_stock_total", json_object_new_int64(d->low_stock_total));
	json_object *low = json_object_new_array();
	for (size_t i = 0; i < d->nlow; i++)
		json_object_array_add(low, variant_json(&d->low[i]));
	json_object_object_add(o, "low_stock", low);
	json_object_object_add(o, "has_low", json_object_new_boolean(d->nlow > 0));
	json_object *days = json_object_new_array();
	long long sum = 0;
	for (int i = 0; i < DASHBOARD_DAYS; i++) {
		json_object *day = json_object_new_object();
		json_object_object_add(day, "date", json_object_new_string(d->day[i]));
		present_won(day, "sales", d->sales[i], lang);
		json_object_object_add(day, "units", json_object_new_int64(d->units[i]));
		json_object_array_add(days, day);
		sum += d->sales[i];
	}
	json_object_object_add(o, "sales", days);
	present_won(o, "sales_total", sum, lang);
	return o;
}

enum status seller_dashboard_model(struct request *req, struct response *res)
{
	struct seller_dashboard *d = malloc(sizeof *d);
	if (!d)
		return ST_ERROR;
	enum status st = db_seller_dashboard(brand_of(req), (long long)time(NULL), d);
	if (st == ST_OK) {
		json_object *model = page_model(res);
		json_object_object_add(model, "dashboard", dashboard_json(d, req->lang));
		if (!req->is_api) {
			struct buf svg = BUF_INIT;
			sales_svg(d, req->lang, &svg);
			json_object_object_add(model, "sales_chart", json_object_new_string(buf_str(&svg)));
			buf_free(&svg);
		}
	}
	free(d);
	return st;
}

/* GET /api/v1/seller/dashboard: 200 with the figures. */
enum status api_seller_dashboard(struct request *req, struct response *res)
{
	enum status st = seller_dashboard_model(req, res);
	if (st != ST_OK)
		return st;
	json_object *dash = NULL;
	json_object_object_get_ex(res->model, "dashboard", &dash);
	return response_view(res, 200, NULL, json_object_get(dash));
}

/* ---- stock ----------------------------------------------------------------------------------- */

static json_object *movement_json(const struct stock_movement *m, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(m->id));
	json_object_object_add(o, "delta", json_object_new_int64(m->delta));
	char delta[32];
	snprintf(delta, sizeof delta, "%+lld", m->delta);
	json_object_object_add(o, "delta_text", json_object_new_string(delta));
	json_object_object_add(o, "stock_after", json_object_new_int64(m->stock_after));
	present_coded(o, "kind", "seller_ops.movement", m->reason, lang);
	json_object_object_add(o, "reason", present_text_or_null(m->note));
	json_object_object_add(o, "order_line_id", present_int_or_null(m->order_line_id));
	json_object_object_add(o, "seller_name", present_text_or_null(m->seller_name));
	json_object_object_add(o, "created_at", present_timestamp(m->created_at));
	json_object_object_add(o, "created_text", present_kst_text(m->created_at));
	return o;
}

/* The stock list (page, filter), as the page and the API show it. */
static enum status variants_list(struct request *req, json_object **items, long long *total)
{
	struct stock_variant *list;
	size_t n;
	const char *q = req_given(req, "q") ? req_text(req, "q") : "";
	enum status st = db_brand_variants(brand_of(req), q, (int)req_int(req, "page"), (int)req_int(req, "per_page"),
	                                   &list, &n, total);
	if (st != ST_OK)
		return st;
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, variant_json(&list[i]));
	free(list);
	return ST_OK;
}

/* The stock page (also drawn again after a refused adjustment or upload). */
enum status seller_stock_form(struct request *req, struct response *res)
{
	json_object *items;
	long long total;
	enum status st = variants_list(req, &items, &total);
	if (st != ST_OK)
		return st;
	json_object *model = page_model(res);
	json_object_object_add(model, "variants", items);
	json_object_object_add(model, "total", json_object_new_int64(total));
	json_object_object_add(model, "empty", json_object_new_boolean(total == 0));
	const char *q = req_given(req, "q") ? req_text(req, "q") : "";
	json_object_object_add(model, "q", json_object_new_string(q));
	struct buf base = BUF_INIT;
	buf_puts(&base, "/seller/stock");
	if (*q)
		url_add_param(&base, "q", q);
	json_object *links = pagination_links(buf_str(&base), (int)req_int(req, "page"),
	                                      pagination_last_page(total, (int)req_int(req, "per_page")));
	buf_free(&base);
	if (links)
		json_object_object_add(model, "pagination", links);
	return response_view(res, res->errors || res->form_message ? 422 : 200, "pages/seller-stock", model);
}

/* GET /seller/stock (q, page; ?adjusted=1, ?uploaded=N after a POST). */
enum status page_seller_stock(struct request *req, struct response *res)
{
	static const char *const notices[] = {"adjusted", NULL};
	form_notices(req, page_model(res), notices);
	if (req_given(req, "uploaded"))
		json_object_object_add(page_model(res), "uploaded", json_object_new_int64(req_int(req, "uploaded")));
	return seller_stock_form(req, res);
}

/* GET /api/v1/seller/variants (q, page, per_page): 200 with a page of the brand's variants. */
enum status api_seller_variants(struct request *req, struct response *res)
{
	json_object *items;
	long long total;
	enum status st = variants_list(req, &items, &total);
	if (st != ST_OK)
		return st;
	return response_view(res, 200, NULL,
	                     present_list(items, (int)req_int(req, "page"), (int)req_int(req, "per_page"), total));
}

/* One variant with a page of its history. */
static enum status variant_with_history(struct request *req, long long id, json_object **out)
{
	struct stock_variant v;
	enum status st = db_brand_variant(brand_of(req), id, &v);
	if (st != ST_OK)
		return st;
	struct stock_movement *list;
	size_t n;
	long long total;
	int page = req_given(req, "page") ? (int)req_int(req, "page") : 1;
	int per_page = req_given(req, "per_page") ? (int)req_int(req, "per_page") : 20;
	st = db_stock_history(brand_of(req), id, page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, movement_json(&list[i], req->lang));
	free(list);
	*out = variant_json(&v);
	json_object_object_add(*out, "history", present_list(items, page, per_page, total));
	json_object_object_add(*out, "has_history", json_object_new_boolean(n > 0));
	return ST_OK;
}

/* The variant's page (also drawn again after a refused adjustment). */
enum status seller_variant_form(struct request *req, struct response *res)
{
	json_object *v;
	enum status st = variant_with_history(req, req->path_params[0], &v);
	if (st != ST_OK)
		return st;
	json_object *model = page_model(res);
	json_object_object_add(model, "variant", v);
	return response_view(res, res->errors || res->form_message ? 422 : 200, "pages/seller-variant", model);
}

/* GET /seller/stock/{id} (?adjusted=1). */
enum status page_seller_variant(struct request *req, struct response *res)
{
	static const char *const notices[] = {"adjusted", NULL};
	form_notices(req, page_model(res), notices);
	return seller_variant_form(req, res);
}

/* GET /api/v1/seller/variants/{id} (page, per_page): the variant's stock and history. */
enum status api_seller_variant_stock(struct request *req, struct response *res)
{
	json_object *v;
	enum status st = variant_with_history(req, req->path_params[0], &v);
	return st == ST_OK ? response_view(res, 200, NULL, v) : st;
}

static enum status seller_name(const struct request *req, char *out, size_t size)
{
	struct seller s;
	enum status st = db_seller_by_id(session_seller_id(req), &s);
	if (st == ST_OK)
		snprintf(out, size, "%s", s.name);
	return st;
}

/* POST /seller/stock/{id} (delta, reason; from=list goes back to the list), POST
 * /api/v1/seller/variants/{id}/stock: stock = stock + delta with its history row. 303 / 200 with
 * the variant; 404; 409 BELOW_ZERO (nothing changes); 422. */
enum status seller_stock_adjust_submit(struct request *req, struct response *res)
{
	long long delta = req_int(req, "delta");
	if (delta == 0)
		return response_field_error(res, ST_INVALID, "delta", "not_zero");
	char name[201];
	enum status st = seller_name(req, name, sizeof name);
	if (st != ST_OK)
		return st;
	struct stock_adjustment a = {
	    .variant_id = req->path_params[0], .delta = delta, .reason = req_text(req, "reason")};
	st = db_stock_adjust(brand_of(req), session_seller_id(req), name, &a, 1);
	if (st == ST_INVALID && a.error && strcmp(a.error, "not_found") == 0)
		return ST_NOT_FOUND;
	if (st == ST_INVALID) {
		response_fail(res, ST_CONFLICT, "BELOW_ZERO", "The stock would go below zero.");
		if (req->is_api) /* the problem's schema has no field errors */
			return ST_CONFLICT;
		res->form_message = "seller_ops.below_zero";
		return response_field_error(res, ST_CONFLICT, "delta", "below_zero");
	}
	if (st != ST_OK)
		return st;
	if (req->is_api)
		return api_seller_variant_stock(req, res);
	char to[64];
	if (req_given(req, "from") && strcmp(req_text(req, "from"), "list") == 0)
		snprintf(to, sizeof to, "/seller/stock?adjusted=1");
	else
		snprintf(to, sizeof to, "/seller/stock/%lld?adjusted=1", a.variant_id);
	return response_redirect(res, to);
}

/* ---- the CSV upload of stock deltas ------------------------------------------------------------ */

#define CSV_MAX_ROWS  2000
#define CSV_MAX_CELLS 8

struct csv_row {
	int line;
	int ncells;
	char *cells[CSV_MAX_CELLS];
};

/* Splits RFC 4180 text (quoted cells with "" inside, CRLF or LF) into rows; NUL bytes refused.
 * Returns the rows (free with csv_free), or NULL with *error set to a line number. */
static struct csv_row *csv_parse(const char *s, size_t len, size_t *nrows, int *bad_line)
{
	struct csv_row *rows = NULL;
	size_t n = 0;
	int line = 1;
	size_t i = 0;
	if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
		i = 3; /* a BOM, as spreadsheets write it */
	while (i < len) {
		struct csv_row r = {.line = line};
		struct buf cell = BUF_INIT;
		bool end_row = false;
		while (!end_row) {
			buf_reset(&cell);
			if (i < len && s[i] == '"') {
				i++;
				for (;;) {
					if (i >= len)
						goto bad;
					if (s[i] == '"') {
						if (i + 1 < len && s[i + 1] == '"') {
							buf_putc(&cell, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (s[i] == '\n')
						line++;
					if (s[i] == '\0')
						goto bad;
					buf_putc(&cell, s[i++]);
				}
				if (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
					goto bad;
			} else {
				while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
					if (s[i] == '\0' || s[i] == '"')
						goto bad;
					buf_putc(&cell, s[i++]);
				}
			}
			if (r.ncells >= CSV_MAX_CELLS)
				goto bad;
			r.cells[r.ncells++] = strdup(buf_str(&cell));
			if (i < len && s[i] == ',') {
				i++;
				continue;
			}
			if (i < len && s[i] == '\r')
				i++;
			if (i < len && s[i] == '\n')
				i++;
			end_row = true;
		}
		buf_free(&cell);
		line++;
		if (r.ncells == 1 && r.cells[0][0] == '\0') { /* a blank line */
			free(r.cells[0]);
			continue;
		}
		if (n >= CSV_MAX_ROWS) {
			for (int c = 0; c < r.ncells; c++)
				free(r.cells[c]);
			*bad_line = r.line;
			goto fail;
		}
		rows = xrealloc(rows, (n + 1) * sizeof *rows);
		rows[n++] = r;
		continue;
	bad:
		buf_free(&cell);
		for (int c = 0; c < r.ncells; c++)
			free(r.cells[c]);
		*bad_line = r.line;
		goto fail;
	}
	*nrows = n;
	return rows ? rows : xmalloc(sizeof *rows);
fail:
	for (size_t k = 0; k < n; k++)
		for (int c = 0; c < rows[k].ncells; c++)
			free(rows[k].cells[c]);
	free(rows);
	*nrows = 0;
	return NULL;
}

static void csv_free(struct csv_row *rows, size_t n)
{
	for (size_t k = 0; k < n; k++)
		for (int c = 0; c < rows[k].ncells; c++)
			free(rows[k].cells[c]);
	free(rows);
}

static void add_line_error(json_object *errors, int line, const char *code, const char *lang)
{
	json_object *e = json_object_new_object();
	json_object_object_add(e, "line", json_object_new_int(line));
	char key[64];
	snprintf(key, sizeof key, "seller_ops.csv_error.%s", code);
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", json_object_new_string(view_message(lang, key)));
	json_object_array_add(errors, e);
}

/* Whether s is a whole number within [lo, hi]. */
static bool parse_int(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	if (!*s || strlen(s) > 18)
		return false;
	const char *p = s[0] == '+' ? s + 1 : s;
	long long v = strtoll(p, &end, 10);
	if (*end || end == p || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* POST /seller/stock/upload, POST /api/v1/seller/stock/csv (file: a CSV whose header is
 * "sku,delta,reason" or "variant_id,delta,reason"): every row is checked, then all are applied in
 * one transaction or none. 303 to /seller/stock?uploaded=N / 200 {applied}; 422 with the errors by
 * line number (nothing changes). */
enum status seller_stock_upload_submit(struct request *req, struct response *res)
{
	const struct input_value *file = req_input(req, "file");
	json_object *errors = json_object_new_array();
	size_t n = 0;
	int bad_line = 0;
	struct csv_row *rows = csv_parse(file->s, file->len, &n, &bad_line);
	struct stock_adjustment *adj = NULL;
	size_t nadj = 0;
	enum status st = ST_OK;
	bool by_sku = false;
	if (!rows) {
		add_line_error(errors, bad_line, bad_line > CSV_MAX_ROWS ? "too_many_rows" : "malformed", req->lang);
	} else if (n == 0 || rows[0].ncells != 3 || strcmp(rows[0].cells[1], "delta") != 0 ||
	           strcmp(rows[0].cells[2], "reason") != 0 ||
	           (strcmp(rows[0].cells[0], "sku") != 0 && strcmp(rows[0].cells[0], "variant_id") != 0)) {
		add_line_error(errors, n ? rows[0].line : 1, "header", req->lang);
	} else if (n == 1) {
		add_line_error(errors, rows[0].line, "no_rows", req->lang);
	} else {
		by_sku = strcmp(rows[0].cells[0], "sku") == 0;
		adj = xmalloc((n - 1) * sizeof *adj);
		for (size_t k = 1; k < n; k++) {
			struct csv_row *r = &rows[k];
			struct stock_adjustment a = {.line = r->line};
			if (r->ncells != 3) {
				add_line_error(errors, r->line, "columns", req->lang);
				continue;
			}
			if (by_sku) {
				if (!r->cells[0][0] || strlen(r->cells[0]) > 64) {
					add_line_error(errors, r->line, "sku", req->lang);
					continue;
				}
				a.sku = r->cells[0];
			} else if (!parse_int(r->cells[0], 1, 9007199254740991LL, &a.variant_id)) {
				add_line_error(errors, r->line, "variant_id", req->lang);
				continue;
			}
			if (!parse_int(r->cells[1], -STOCK_DELTA_MAX, STOCK_DELTA_MAX, &a.delta) || a.delta == 0) {
				add_line_error(errors, r->line, "delta", req->lang);
				continue;
			}
			size_t rl = strlen(r->cells[2]);
			if (rl == 0 || !utf8_valid(r->cells[2], rl) ||
			    utf8_length(r->cells[2], rl) > STOCK_REASON_MAX) {
				add_line_error(errors, r->line, "reason", req->lang);
				continue;
			}
			a.reason = r->cells[2];
			adj[nadj++] = a;
		}
	}
	if (json_object_array_length(errors) == 0) {
		char name[201];
		st = seller_name(req, name, sizeof name);
		if (st == ST_OK)
			st = db_stock_adjust(brand_of(req), session_seller_id(req), name, adj, nadj);
		if (st == ST_INVALID)
			for (size_t k = 0; k < nadj; k++)
				if (adj[k].error)
					add_line_error(errors, adj[k].line, adj[k].error, req->lang);
	}
	free(adj);
	csv_free(rows, n);
	if (json_object_array_length(errors) > 0) {
		json_object_object_add(page_model(res), "csv_errors", errors);
		json_object_object_add(page_model(res), "has_csv_errors", json_object_new_boolean(true));
		if (req->is_api) {
			json_object *problem = json_object_new_object();
			json_object_object_add(problem, "type",
			                       json_object_new_string("urn:lonua:problem:csv-invalid"));
			json_object_object_add(problem, "title", json_object_new_string(response_reason(422)));
			json_object_object_add(problem, "status", json_object_new_int(422));
			json_object_object_add(problem, "detail",
			                       json_object_new_string("Nothing was applied: fix the lines listed."));
			json_object_object_add(problem, "code", json_object_new_string("CSV_INVALID"));
			json_object_object_add(problem, "request_id",
			                       json_object_new_string(req->request_id ? req->request_id : ""));
			json_object_object_add(problem, "lines", json_object_get(errors));
			response_json(res, 422, problem);
			res->content_type = "application/problem+json";
			return ST_OK;
		}
		res->form_message = "seller_ops.csv_refused";
		return seller_stock_form(req, res);
	}
	json_object_put(errors);
	if (st != ST_OK)
		return st;
	if (req->is_api) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "applied", json_object_new_int64((long long)nadj));
		return response_view(res, 200, NULL, o);
	}
	char to[64];
	snprintf(to, sizeof to, "/seller/stock?uploaded=%zu", nadj);
	return response_redirect(res, to);
}

/* ---- orders ---------------------------------------------------------------------------------- */

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
static void line_actions(json_object *line, const struct brand_line *b)
{
	bool paid = b->order.paid_at[0] != '\0';
	enum line_state s = b->line.state;
	json_object_object_add(line, "can_prepare", json_object_new_boolean(paid && s == LINE_ORDERED));
	json_object_object_add(line, "can_ship", json_object_new_boolean(paid && s == LINE_PREPARING));
	json_object_object_add(line, "can_deliver", json_object_new_boolean(s == LINE_SHIPPED));
	json_object_object_add(line, "can_decide_return", json_object_new_boolean(s == LINE_RETURN_REQUESTED));
	json_object_object_add(line, "awaiting_payment", json_object_new_boolean(!paid && s == LINE_ORDERED));
}

/* The orders page (also drawn again after a refused move). */
enum status seller_orders_form(struct request *req, struct response *res)
{
	struct brand_line *list;
	size_t n;
	long long total;
	int state = state_of(req), page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	const char *q = q_of(req);
	enum status st = db_brand_lines_search(brand_of(req), state, q, page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *model = page_model(res);
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *line = present_seller_line(&list[i].order, &list[i].line, req->lang);
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
	form_notices(req, page_model(res), notices);
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
	enum status st = orders_seller_move(req->path_params[0], brand_of(req), to, courier, tracking, req->lang, &out);
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
	enum status st = orders_decide_return(req->path_params[0], brand_of(req), approve,
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

/* One CSV cell: quoted when it holds a comma, a quote or a line break; a cell a spreadsheet would
 * run as a formula (starting with = + - @, a tab or a carriage return) is prefixed with '. */
static void csv_cell(struct buf *out, const char *s, bool last)
{
	bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			buf_putc(out, '"');
		buf_putc(out, *c);
	}
	if (quote)
		buf_putc(out, '"');
	buf_puts(out, last ? "\r\n" : ",");
}

#define EXPORT_PAGE  100
#define EXPORT_PAGES 50 /* at most 5,000 lines a file */

/* GET /seller/orders.csv (state, q): the brand's lines as the courier needs them, newest first,
 * as an attachment. The shipping snapshot of each line only: no amounts of the order. */
enum status page_seller_orders_csv(struct request *req, struct response *res)
{
	struct buf out = BUF_INIT;
	buf_puts(&out, "\xEF\xBB\xBF"); /* spreadsheets read UTF-8 with the BOM */
	static const char *const head[] = {"line_id",        "order_number",    "ordered_at",  "product",
	                                   "size",           "color",           "quantity",    "state",
	                                   "recipient_name", "recipient_phone", "postal_code", "address",
	                                   "address_detail", "delivery_memo",   "courier",     "tracking_number"};
	size_t nh = sizeof head / sizeof *head;
	for (size_t i = 0; i < nh; i++)
		csv_cell(&out, head[i], i + 1 == nh);
	int state = state_of(req);
	const char *q = q_of(req);
	for (int page = 1; page <= EXPORT_PAGES; page++) {
		struct brand_line *list;
		size_t n;
		long long total;
		enum status st = db_brand_lines_search(brand_of(req), state, q, page, EXPORT_PAGE, &list, &n, &total);
		if (st != ST_OK) {
			buf_free(&out);
			return st;
		}
		for (size_t i = 0; i < n; i++) {
			const struct order *o = &list[i].order;
			const struct order_line *l = &list[i].line;
			char id[24], qty[24], phone[24];
			format_phone(o->ship.recipient_phone, phone,
			             sizeof phone); /* 010-…: a spreadsheet keeps the 0 */
			snprintf(id, sizeof id, "%lld", l->id);
			snprintf(qty, sizeof qty, "%lld", l->quantity);
			json_object *when = present_kst_text(o->created_at);
			const char *cells[] = {id,
			                       o->merchant_uid,
			                       when ? json_object_get_string(when) : "",
			                       l->product_name,
			                       l->size_label,
			                       l->color,
			                       qty,
			                       line_state_names[l->state],
			                       o->ship.recipient_name,
			                       phone,
			                       o->ship.postal_code,
			                       o->ship.address,
			                       o->ship.address_detail,
			                       o->ship.delivery_memo,
			                       l->courier,
			                       l->tracking_number};
			for (size_t c = 0; c < nh; c++)
				csv_cell(&out, cells[c], c + 1 == nh);
			json_object_put(when);
		}
		free(list);
		if (n < EXPORT_PAGE)
			break;
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

/* ---- questions ------------------------------------------------------------------------------- */

/* The questions page (also drawn again after a refused answer). */
enum status seller_questions_form(struct request *req, struct response *res)
{
	struct question_page p;
	int page = (int)req_int(req, "page"), per_page = (int)req_int(req, "per_page");
	int answered = (int)req_int(req, "answered");
	enum status st = db_questions_of_brand(brand_of(req), answered, page, per_page, &p);
	if (st != ST_OK)
		return st;
	struct question_viewer v = {0, brand_of(req), false};
	json_object *model = page_model(res);
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
	form_notices(req, page_model(res), notices);
	return seller_questions_form(req, res);
}

/* POST /seller/questions/{id}/answer (content): writes or rewrites the answer through qna_answer
 * (the asker is mailed at the first). 303 to /seller/questions?saved=1; 404; 422. */
enum status seller_page_answer(struct request *req, struct response *res)
{
	enum status st =
	    qna_answer(req->path_params[0], brand_of(req), session_seller_id(req), req_text(req, "content"), req->lang);
	return st == ST_OK ? response_redirect(res, "/seller/questions?saved=1") : st;
}

/* ---- branches -------------------------------------------------------------------------------- */

static json_object *branch_json(const struct branch *b)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(b->id));
	json_object_object_add(o, "name", json_object_new_string(b->name));
	json_object_object_add(o, "postal_code", present_text_or_null(b->postal_code));
	json_object_object_add(o, "address", json_object_new_string(b->address));
	json_object_object_add(o, "phone", present_text_or_null(b->phone));
	json_object_object_add(o, "created_at", present_timestamp(b->created_at));
	return o;
}

static enum status branches_json(struct request *req, json_object **out)
{
	struct branch *list;
	size_t n;
	enum status st = db_branches(brand_of(req), &list, &n);
	if (st != ST_OK)
		return st;
	*out = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*out, branch_json(&list[i]));
	free(list);
	return ST_OK;
}

/* The branches page with the form to add one (also drawn again after a refused add). */
enum status seller_branches_form(struct request *req, struct response *res)
{
	json_object *items;
	enum status st = branches_json(req, &items);
	if (st != ST_OK)
		return st;
	json_object *model = page_model(res);
	json_object_object_add(model, "branches", items);
	json_object_object_add(model, "empty", json_object_new_boolean(json_object_array_length(items) == 0));
	return response_view(res, res->errors ? 422 : 200, "pages/seller-branches", model);
}

/* GET /seller/branches (?saved=1, ?deleted=1). */
enum status page_seller_branches(struct request *req, struct response *res)
{
	static const char *const notices[] = {"saved", "deleted", NULL};
	form_notices(req, page_model(res), notices);
	return seller_branches_form(req, res);
}

/* The edit form of one branch (also drawn again after a refused change). */
enum status seller_branch_form(struct request *req, struct response *res)
{
	struct branch b;
	enum status st = db_branch_get(brand_of(req), req->path_params[0], &b);
	if (st != ST_OK)
		return st;
	response_form_value(res, "name", b.name);
	response_form_value(res, "postal_code", b.postal_code);
	response_form_value(res, "address", b.address);
	response_form_value(res, "phone", b.phone);
	json_object_object_add(page_model(res), "branch", branch_json(&b));
	return response_view(res, res->errors ? 422 : 200, "pages/seller-branch", res->model);
}

/* GET /seller/branches/{id}. */
enum status page_seller_branch(struct request *req, struct response *res)
{
	return seller_branch_form(req, res);
}

/* Saves (creates when id is 0) from the request: the given fields over the stored ones (PATCH). */
static enum status branch_save(struct request *req, struct response *res, long long *id)
{
	struct branch b = {0};
	if (*id) {
		enum status st = db_branch_get(brand_of(req), *id, &b);
		if (st != ST_OK)
			return st;
	}
	if (req_given(req, "name"))
		snprintf(b.name, sizeof b.name, "%s", req_text(req, "name"));
	if (req_given(req, "address"))
		snprintf(b.address, sizeof b.address, "%s", req_text(req, "address"));
	if (req_given(req, "postal_code") || !req->is_api)
		snprintf(b.postal_code, sizeof b.postal_code, "%s",
		         req_given(req, "postal_code") ? req_text(req, "postal_code") : "");
	if (req_given(req, "phone") || !req->is_api)
		snprintf(b.phone, sizeof b.phone, "%s", req_given(req, "phone") ? req_text(req, "phone") : "");
	if (!b.name[0])
		return response_field_error(res, ST_INVALID, "name", "required");
	if (!b.address[0])
		return response_field_error(res, ST_INVALID, "address", "required");
	enum status st = db_branch_save(brand_of(req), id, b.name, b.postal_code, b.address, b.phone);
	if (st == ST_CONFLICT) {
		const char *field = strstr(db_conflict_key(), "address") ? "address" : "name";
		response_fail(res, ST_CONFLICT, "BRANCH_TAKEN", "The brand has a branch of that name or address.");
		return req->is_api ? ST_CONFLICT : response_field_error(res, ST_CONFLICT, field, "branch_taken");
	}
	return st;
}

static enum status answer_branch(struct request *req, struct response *res, long long id, int status)
{
	struct branch b;
	enum status st = db_branch_get(brand_of(req), id, &b);
	return st == ST_OK ? response_view(res, status, NULL, branch_json(&b)) : st;
}

/* POST /seller/branches, POST /api/v1/seller/branches (name, address, postal_code, phone): 303 to
 * /seller/branches?saved=1 / 201 with the branch; 409 BRANCH_TAKEN; 422. */
enum status seller_branch_create_submit(struct request *req, struct response *res)
{
	long long id = 0;
	enum status st = branch_save(req, res, &id);
	if (st != ST_OK)
		return st;
	if (!req->is_api)
		return response_redirect(res, "/seller/branches?saved=1");
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/seller/branches/%lld", id);
	response_header(res, "Location", loc);
	return answer_branch(req, res, id, 201);
}

/* POST /seller/branches/{id}, PATCH /api/v1/seller/branches/{id}: 303 / 200; 404; 409; 422. */
enum status seller_branch_update_submit(struct request *req, struct response *res)
{
	long long id = req->path_params[0];
	enum status st = branch_save(req, res, &id);
	if (st != ST_OK)
		return st;
	return req->is_api ? answer_branch(req, res, id, 200) : response_redirect(res, "/seller/branches?saved=1");
}

/* POST /seller/branches/{id}/delete, DELETE /api/v1/seller/branches/{id}: 303 / 204; 404. */
enum status seller_branch_delete_submit(struct request *req, struct response *res)
{
	enum status st = db_branch_delete(brand_of(req), req->path_params[0]);
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : response_redirect(res, "/seller/branches?deleted=1");
}

/* GET /api/v1/seller/branches: 200 {items}. GET /api/v1/seller/branches/{id}: 200; 404. */
enum status api_seller_branches(struct request *req, struct response *res)
{
	json_object *items;
	enum status st = branches_json(req, &items);
	if (st != ST_OK)
		return st;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", items);
	return response_view(res, 200, NULL, o);
}

enum status api_seller_branch(struct request *req, struct response *res)
{
	return answer_branch(req, res, req->path_params[0], 200);
}
