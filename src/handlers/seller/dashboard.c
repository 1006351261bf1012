/* The seller console's dashboard (docs/seller-console.md): today's orders, lines to ship, open
 * questions, low stock, and 30 days of sales as an SVG chart drawn here, with its table. */
#include <time.h>

#include <json-c/json.h>

#include "handlers/seller/seller.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "present/seller_console.h"
#include "view/format.h"
#include "view/view.h"

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

static json_object *dashboard_json(const struct seller_dashboard *d, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "orders_today", json_object_new_int64(d->orders_today));
	json_object_object_add(o, "lines_to_ship", json_object_new_int64(d->lines_to_ship));
	json_object_object_add(o, "open_questions", json_object_new_int64(d->open_questions));
	json_object_object_add(o, "low_stock_total", json_object_new_int64(d->low_stock_total));
	json_object *low = json_object_new_array();
	for (size_t i = 0; i < d->nlow; i++)
		json_object_array_add(low, present_stock_variant(&d->low[i]));
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
	enum status st = db_seller_dashboard(seller_brand(req), (long long)time(NULL), d);
	if (st == ST_OK) {
		json_object *model = seller_page_model(res);
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
