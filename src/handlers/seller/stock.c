/* The seller console's stock (docs/seller-console.md): the brand's sizes with their stock, one
 * size's history, adjustments as deltas with a reason, and a CSV of deltas applied all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "handlers/forms.h"
#include "handlers/seller/seller.h"
#include "http/request.h"
#include "http/response.h"
#include "http/url.h"
#include "present/common.h"
#include "present/seller_console.h"
#include "util/buf.h"
#include "util/csv.h"
#include "view/pagination.h"
#include "view/view.h"

/* The stock list (page, filter), as the page and the API show it. */
static enum status variants_list(struct request *req, json_object **items, long long *total)
{
	struct stock_variant *list;
	size_t n;
	const char *q = req_given(req, "q") ? req_text(req, "q") : "";
	enum status st = db_brand_variants(seller_brand(req), q, (int)req_int(req, "page"),
	                                   (int)req_int(req, "per_page"), &list, &n, total);
	if (st != ST_OK)
		return st;
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, present_stock_variant(&list[i]));
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
	json_object *model = seller_page_model(res);
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
	form_notices(req, seller_page_model(res), notices);
	if (req_given(req, "uploaded"))
		json_object_object_add(seller_page_model(res), "uploaded",
		                       json_object_new_int64(req_int(req, "uploaded")));
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
	enum status st = db_brand_variant(seller_brand(req), id, &v);
	if (st != ST_OK)
		return st;
	struct stock_movement *list;
	size_t n;
	long long total;
	int page = req_given(req, "page") ? (int)req_int(req, "page") : 1;
	int per_page = req_given(req, "per_page") ? (int)req_int(req, "per_page") : 20;
	st = db_stock_history(seller_brand(req), id, page, per_page, &list, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_stock_movement(&list[i], req->lang));
	free(list);
	*out = present_stock_variant(&v);
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
	json_object *model = seller_page_model(res);
	json_object_object_add(model, "variant", v);
	return response_view(res, res->errors || res->form_message ? 422 : 200, "pages/seller-variant", model);
}

/* GET /seller/stock/{id} (?adjusted=1). */
enum status page_seller_variant(struct request *req, struct response *res)
{
	static const char *const notices[] = {"adjusted", NULL};
	form_notices(req, seller_page_model(res), notices);
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
	st = db_stock_adjust(seller_brand(req), session_seller_id(req), name, &a, 1);
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

/* One row of the upload after its header as an adjustment, or its error on errors. by_sku: the
 * first column names a SKU, else a variant id. */
static bool csv_adjustment(const struct csv_row *r, bool by_sku, struct stock_adjustment *a, json_object *errors,
                           const char *lang)
{
	*a = (struct stock_adjustment){.line = r->line};
	const char *bad = NULL;
	size_t rl = r->ncells == 3 ? strlen(r->cells[2]) : 0;
	if (r->ncells != 3)
		bad = "columns";
	else if (by_sku && (!r->cells[0][0] || strlen(r->cells[0]) > 64))
		bad = "sku";
	else if (!by_sku && !parse_int(r->cells[0], 1, 9007199254740991LL, &a->variant_id))
		bad = "variant_id";
	else if (!parse_int(r->cells[1], -STOCK_DELTA_MAX, STOCK_DELTA_MAX, &a->delta) || a->delta == 0)
		bad = "delta";
	else if (rl == 0 || !utf8_valid(r->cells[2], rl) || utf8_length(r->cells[2], rl) > STOCK_REASON_MAX)
		bad = "reason";
	if (bad) {
		add_line_error(errors, r->line, bad, lang);
		return false;
	}
	a->sku = by_sku ? r->cells[0] : NULL;
	a->reason = r->cells[2];
	return true;
}

/* The adjustments of the upload's rows (adj holds n - 1), or the errors by line: the file, its
 * header ("sku,delta,reason" or "variant_id,delta,reason"), each row. */
static size_t csv_adjustments(const struct csv_row *rows, size_t n, int bad_line, struct stock_adjustment *adj,
                              json_object *errors, const char *lang)
{
	if (!rows) {
		add_line_error(errors, bad_line, bad_line > CSV_MAX_ROWS ? "too_many_rows" : "malformed", lang);
		return 0;
	}
	const char *const *head = (const char *const *)rows[0].cells;
	if (n == 0 || rows[0].ncells != 3 || strcmp(head[1], "delta") != 0 || strcmp(head[2], "reason") != 0 ||
	    (strcmp(head[0], "sku") != 0 && strcmp(head[0], "variant_id") != 0)) {
		add_line_error(errors, n ? rows[0].line : 1, "header", lang);
		return 0;
	}
	if (n == 1)
		add_line_error(errors, rows[0].line, "no_rows", lang);
	size_t nadj = 0;
	for (size_t k = 1; k < n; k++)
		if (csv_adjustment(&rows[k], strcmp(head[0], "sku") == 0, &adj[nadj], errors, lang))
			nadj++;
	return nadj;
}

/* The refused upload: the page again with its errors by line, or the API's 422 problem with them
 * (problem.lines). Nothing was applied. */
static enum status csv_refused(struct request *req, struct response *res, json_object *errors)
{
	if (req->is_api) {
		res->problem_members = json_object_new_object();
		json_object_object_add(res->problem_members, "lines", errors);
		return response_fail(res, ST_INVALID, "CSV_INVALID", "Nothing was applied: fix the lines listed.");
	}
	json_object_object_add(seller_page_model(res), "csv_errors", errors);
	json_object_object_add(seller_page_model(res), "has_csv_errors", json_object_new_boolean(true));
	res->form_message = "seller_ops.csv_refused";
	return seller_stock_form(req, res);
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
	struct stock_adjustment *adj = xcalloc(n ? n : 1, sizeof *adj);
	size_t nadj = csv_adjustments(rows, n, bad_line, adj, errors, req->lang);
	enum status st = ST_OK;
	if (json_object_array_length(errors) == 0) {
		char name[201];
		st = seller_name(req, name, sizeof name);
		if (st == ST_OK)
			st = db_stock_adjust(seller_brand(req), session_seller_id(req), name, adj, nadj);
		for (size_t k = 0; st == ST_INVALID && k < nadj; k++) /* the rows the database refused */
			if (adj[k].error)
				add_line_error(errors, adj[k].line, adj[k].error, req->lang);
	}
	free(adj);
	csv_free(rows, n);
	if (json_object_array_length(errors) > 0)
		return csv_refused(req, res, errors);
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
