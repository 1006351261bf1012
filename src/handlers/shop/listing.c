/* The product listing pages (SPEC §4): /products with its filters, sorts, keyword search and
 * pages, and the same listing pre-filtered by the path: /categories/{id}, /styles/{id},
 * /brands/{id}. The inputs are the API's (src/http/routes.c), and so are the rules. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db/catalog.h"
#include "db/reference.h"
#include "handlers/filter.h"
#include "handlers/shop/cards.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "auth/session.h"
#include "http/response.h"
#include "http/url.h"
#include "util/buf.h"
#include "view/format.h"
#include "view/pagination.h"
#include "view/view.h"

struct listing {
	const char *base; /* the page's own path: "/products", "/categories/3", … */
	unsigned fixed;   /* the filter the path sets (CATALOG_F_CATEGORY, …), or 0 */
	struct catalog_filter f;
};

/* The listing's URL with its current filters and the given sort, without a page (appended by
 * shop_pagination). The filter the path fixes is not repeated in the query. */
static void listing_url(const struct listing *l, enum catalog_sort sort, struct buf *b)
{
	const struct catalog_filter *f = &l->f;
	buf_puts(b, l->base);
	if (f->q)
		url_add_param(b, "q", f->q);
	if (f->category_id > 0 && !(l->fixed & CATALOG_F_CATEGORY))
		url_add_int(b, "category", f->category_id);
	if (f->style_id > 0 && !(l->fixed & CATALOG_F_STYLE))
		url_add_int(b, "style", f->style_id);
	if (f->brand_id > 0 && !(l->fixed & CATALOG_F_BRAND))
		url_add_int(b, "brand", f->brand_id);
	if (f->size)
		url_add_param(b, "size", f->size);
	if (f->min_price >= 0)
		url_add_int(b, "min_price", f->min_price);
	if (f->max_price >= 0)
		url_add_int(b, "max_price", f->max_price);
	if (f->on_sale >= 0)
		url_add_param(b, "on_sale", f->on_sale ? "true" : "false");
	if (sort != CATALOG_SORT_NEWEST)
		url_add_param(b, "sort", catalog_sort_names[sort]);
	if (f->per_page != FILTER_DEFAULT_PER_PAGE)
		url_add_int(b, "per_page", f->per_page);
}

/* The <option>s of a list of choices (partials/filter-options) as a new string. */
static json_object *render_options(json_object *list, bool by_code)
{
	json_object *model = json_object_new_object();
	json_object_object_add(model, "items", json_object_get(list));
	json_object_object_add(model, "by_code", json_object_new_boolean(by_code));
	struct buf html = BUF_INIT;
	view_render_part("partials/filter-options", model, &html);
	json_object_put(model);
	json_object *s = json_object_new_string_len(buf_str(&html), (int)html.len);
	buf_free(&html);
	return s;
}

/* The options of the shared lists (nothing chosen: reference_choices hands out the list each
 * process keeps per kind and language until the cache reloads), rendered once per list: a listing
 * over a million products offers a thousand brands, and rendering them was half a worker's time
 * on the page. The reference held on a list keeps its address from being reused while its
 * options are kept. */
static struct kept_options {
	json_object *list;
	json_object *options;
} kept_options[8];
static size_t kept_next;

static json_object *shared_options(json_object *list, bool by_code)
{
	for (size_t i = 0; i < sizeof kept_options / sizeof *kept_options; i++)
		if (kept_options[i].list == list)
			return json_object_get(kept_options[i].options);
	struct kept_options *k = &kept_options[kept_next++ % (sizeof kept_options / sizeof *kept_options)];
	json_object_put(k->list);
	json_object_put(k->options);
	k->list = json_object_get(list);
	k->options = render_options(list, by_code);
	return json_object_get(k->options);
}

/* Adds the choices of a filter (cached reference data; the item chosen by selected_id or
 * selected_code marked "selected") under key: {"items": [...]} for the page's JSON, {"options":
 * HTML} for its template. Nothing is added when there is nothing to choose from, nor when the
 * database hiccups (the page goes on without that filter). */
static void add_choices(const struct request *req, json_object *form, const char *key, enum reference_kind kind,
                        long long selected_id, const char *selected_code)
{
	json_object *list;
	if (reference_choices(kind, req->lang, selected_id, selected_code, &list) != ST_OK)
		return;
	if (json_object_array_length(list) == 0) {
		json_object_put(list);
		return;
	}
	/* nothing chosen: list is the shared one (db/reference.h), whose options each worker keeps */
	bool chosen = selected_id > 0 || (selected_code && *selected_code);
	bool by_code = kind == REFERENCE_SIZES;
	json_object *o = json_object_new_object();
	if (req->wants_json) {
		json_object_object_add(o, "items", list);
	} else {
		json_object_object_add(o, "options",
		                       chosen ? render_options(list, by_code) : shared_options(list, by_code));
		json_object_put(list);
	}
	json_object_object_add(form, key, o);
}

/* The filter form's state: the choices of each filter the path leaves open, the values entered,
 * and how many filters are in use. */
static json_object *filter_form(const struct request *req, const struct listing *l)
{
	const struct catalog_filter *f = &l->f;
	json_object *o = json_object_new_object();
	if (!(l->fixed & CATALOG_F_CATEGORY))
		add_choices(req, o, "categories", REFERENCE_CATEGORIES, f->category_id, NULL);
	if (!(l->fixed & CATALOG_F_STYLE))
		add_choices(req, o, "styles", REFERENCE_STYLES, f->style_id, NULL);
	if (!(l->fixed & CATALOG_F_BRAND))
		add_choices(req, o, "brands", REFERENCE_BRANDS, f->brand_id, NULL);
	add_choices(req, o, "sizes", REFERENCE_SIZES, 0, f->size);
	if (f->min_price >= 0)
		json_object_object_add(o, "min_price", json_object_new_int64(f->min_price));
	if (f->max_price >= 0)
		json_object_object_add(o, "max_price", json_object_new_int64(f->max_price));
	json_object_object_add(o, "on_sale", json_object_new_boolean(f->on_sale == 1));
	if (f->q)
		json_object_object_add(o, "q", json_object_new_string(f->q));
	if (f->sort != CATALOG_SORT_NEWEST)
		json_object_object_add(o, "sort", json_object_new_string(catalog_sort_names[f->sort]));
	if (f->per_page != FILTER_DEFAULT_PER_PAGE)
		json_object_object_add(o, "per_page", json_object_new_int(f->per_page));
	/* Absent rather than 0, which Mustache treats as true. */
	unsigned used = catalog_filter_shape(f) & ~(l->fixed | CATALOG_F_QUERY);
	if (used)
		json_object_object_add(o, "active_count", json_object_new_int(__builtin_popcount(used)));
	return o;
}

/* One link per sort order, the current one marked. */
static json_object *sort_links(const struct listing *l, const char *lang)
{
	json_object *a = json_object_new_array();
	struct buf url = BUF_INIT;
	for (int s = 0; s < CATALOG_NSORTS; s++) {
		char key[32];
		snprintf(key, sizeof key, "sort.%s", catalog_sort_names[s]);
		buf_reset(&url);
		listing_url(l, (enum catalog_sort)s, &url);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "label", json_object_new_string(view_message(lang, key)));
		json_object_object_add(o, "url", json_object_new_string(buf_str(&url)));
		json_object_object_add(o, "current", json_object_new_boolean(s == (int)l->f.sort));
		json_object_array_add(a, o);
	}
	buf_free(&url);
	return a;
}

/* Lists what l asks for into the page model (which already holds the heading) and answers it
 * through pages/products. */
static enum status respond_listing(struct request *req, struct response *res, const struct listing *l)
{
	struct catalog_page p;
	enum status st = catalog_list_products(&l->f, &p);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	size_t shown = json_object_array_length(p.items);
	json_object_object_add(page, "items", cards_products(res, p.items, req->lang));
	json_object_object_add(page, "empty", json_object_new_boolean(shown == 0));
	json_object_object_add(page, "total", json_object_new_int64(p.total));
	json_object_object_add(page, "total_is_lower_bound", json_object_new_boolean(p.total_is_lower_bound));
	json_object_object_add(page, "total_text", format_grouped_json(p.total));
	json_object_object_add(page, "page", json_object_new_int(l->f.page));
	json_object_object_add(page, "base_url", json_object_new_string(l->base));
	json_object_object_add(page, "filters", filter_form(req, l));
	json_object_object_add(page, "sorts", sort_links(l, req->lang));
	struct buf url = BUF_INIT;
	listing_url(l, l->f.sort, &url);
	json_object *pages = pagination_links(buf_str(&url), l->f.page, pagination_last_page(p.total, l->f.per_page));
	buf_free(&url);
	if (pages)
		json_object_object_add(page, "pagination", pages);
	return response_view(res, 200, "pages/products", page);
}

/* Puts the kicker (the small line above the heading) and the heading into the page model. */
static void heading(struct response *res, const char *kicker, const char *text)
{
	json_object *page = response_model(res);
	json_object_object_add(page, "kicker", json_object_new_string(kicker));
	json_object_object_add(page, "heading", json_object_new_string(text));
}

/* GET /products: 200, 422 (an invalid filter), 503. */
enum status page_products(struct request *req, struct response *res)
{
	struct listing l = {.base = "/products"};
	enum status st = filter_from_request(req, res, &l.f);
	if (st != ST_OK)
		return st;
	if (l.f.q) {
		heading(res, view_message(req->lang, "listing.search_kicker"), l.f.q);
		json_object_object_add(response_model(res), "q", json_object_new_string(l.f.q));
	} else {
		heading(res, view_message(req->lang, "listing.all_kicker"),
		        view_message(req->lang, "nav.all_products"));
	}
	return respond_listing(req, res, &l);
}

/* The listings of one category or style: 200, 404 (no such id), 422, 503. */
static enum status reference_listing(struct request *req, struct response *res, enum reference_kind kind)
{
	long long id = req->path_params[0];
	char base[48];
	snprintf(base, sizeof base, kind == REFERENCE_CATEGORIES ? "/categories/%lld" : "/styles/%lld", id);
	struct listing l = {.base = base, .fixed = kind == REFERENCE_CATEGORIES ? CATALOG_F_CATEGORY : CATALOG_F_STYLE};
	enum status st = filter_from_request(req, res, &l.f);
	json_object *item;
	if (st == ST_OK)
		st = reference_get(kind, id, req->lang, &item);
	if (st != ST_OK)
		return st;
	json_object_object_add(response_model(res), kind == REFERENCE_CATEGORIES ? "category" : "style", item);
	if (kind == REFERENCE_CATEGORIES)
		l.f.category_id = id;
	else
		l.f.style_id = id;
	heading(res, view_message(req->lang, kind == REFERENCE_CATEGORIES ? "nav.category" : "nav.style"),
	        json_object_get_string(json_object_object_get(item, "name")));
	return respond_listing(req, res, &l);
}

/* GET /categories/{id} */
enum status page_category(struct request *req, struct response *res)
{
	return reference_listing(req, res, REFERENCE_CATEGORIES);
}

/* GET /styles/{id} */
enum status page_style(struct request *req, struct response *res)
{
	return reference_listing(req, res, REFERENCE_STYLES);
}

/* GET /brands/{id}: the brand's introduction and terms above its listing. 200, 404, 422, 503. */
enum status page_brand(struct request *req, struct response *res)
{
	long long id = req->path_params[0];
	char base[48];
	snprintf(base, sizeof base, "/brands/%lld", id);
	struct listing l = {.base = base, .fixed = CATALOG_F_BRAND};
	enum status st = filter_from_request(req, res, &l.f);
	json_object *brand;
	if (st == ST_OK)
		st = catalog_get_brand(id, false, &brand); /* the listing below counts its products */
	if (st != ST_OK)
		return st;
	json_object_object_add(response_model(res), "brand", brand);
	l.f.brand_id = id;
	heading(res, view_message(req->lang, "nav.brand"),
	        json_object_get_string(json_object_object_get(brand, "name")));
	json_object_object_add(brand, "policy", cards_brand_policy(brand, req->lang));
	return respond_listing(req, res, &l);
}
