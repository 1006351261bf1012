/* GET /products/{id}: the product page (SPEC §4): images, brand, prices and discount, sizes with
 * their stock state, the measurement table, the brand's shipping and return terms, and more
 * from the brand, the add-to-cart form, the like button, size advice and the reviews' summary. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/catalog.h"
#include "db/reference.h"
#include "handlers/forms.h"
#include "handlers/shop/cards.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "view/view.h"

/* Sizes with this many or fewer left say so. */
#define FEW_LEFT 3
/* Products in the "more from the brand" strip. */
#define MORE_FROM_BRAND 10

/* {columns: [{label}], rows: [{size, color, cells: [{value}]}]} for the measurements any size has, in
 * centimetres ("52.5"; "-" where a size lacks one), or NULL when no size has any. */
static json_object *measurement_table(json_object *variants, const char *lang)
{
	bool used[CATALOG_NMEASUREMENTS] = {0};
	size_t nused = 0;
	for (size_t v = 0; v < json_object_array_length(variants); v++) {
		json_object *m = json_object_object_get(json_object_array_get_idx(variants, v), "measurements");
		for (size_t k = 0; k < CATALOG_NMEASUREMENTS; k++)
			if (!used[k] && json_object_object_get(m, catalog_measurement_names[k]))
				used[k] = true, nused++;
	}
	if (nused == 0)
		return NULL;
	json_object *columns = json_object_new_array();
	for (size_t k = 0; k < CATALOG_NMEASUREMENTS; k++) {
		if (!used[k])
			continue;
		char key[48];
		snprintf(key, sizeof key, "measure.%s", catalog_measurement_names[k]);
		json_object *c = json_object_new_object();
		json_object_object_add(c, "label", json_object_new_string(view_message(lang, key)));
		json_object_array_add(columns, c);
	}
	json_object *rows = json_object_new_array();
	for (size_t v = 0; v < json_object_array_length(variants); v++) {
		json_object *variant = json_object_array_get_idx(variants, v);
		json_object *m = json_object_object_get(variant, "measurements");
		json_object *cells = json_object_new_array();
		for (size_t k = 0; k < CATALOG_NMEASUREMENTS; k++) {
			if (!used[k])
				continue;
			json_object *value = json_object_object_get(m, catalog_measurement_names[k]);
			json_object *c = json_object_new_object();
			json_object_object_add(c, "value",
			                       json_object_new_string(value ? json_object_get_string(value) : "-"));
			json_object_array_add(cells, c);
		}
		json_object *row = json_object_new_object();
		json_object_object_add(row, "size", json_object_get(json_object_object_get(variant, "size")));
		json_object_object_add(row, "color", json_object_get(json_object_object_get(variant, "color")));
		json_object_object_add(row, "cells", cells);
		json_object_array_add(rows, row);
	}
	json_object *t = json_object_new_object();
	json_object_object_add(t, "columns", columns);
	json_object_object_add(t, "rows", rows);
	return t;
}

/* Marks each variant with the stock state the size list shows: sold_out, or few_left (the count
 * is shown) when FEW_LEFT or fewer remain. */
static void mark_stock(json_object *variants)
{
	for (size_t v = 0; v < json_object_array_length(variants); v++) {
		json_object *o = json_object_array_get_idx(variants, v);
		long long stock = json_object_get_int64(json_object_object_get(o, "stock"));
		json_object_object_add(o, "sold_out", json_object_new_boolean(stock <= 0));
		json_object_object_add(o, "few_left", json_object_new_boolean(stock > 0 && stock <= FEW_LEFT));
	}
}

/* The size the add-to-cart form had chosen, when it is drawn again after a refusal. */
static void mark_chosen(json_object *variants, const struct response *res)
{
	const char *chosen = form_value(res, "variant_id");
	for (size_t v = 0; chosen && v < json_object_array_length(variants); v++) {
		json_object *o = json_object_array_get_idx(variants, v);
		if (strcmp(json_object_get_string(json_object_object_get(o, "id")), chosen) == 0)
			json_object_object_add(o, "checked", json_object_new_boolean(1));
	}
}

/* Drops the product id (this page's) from a strip's items, and the last item when it was not
 * there, so the strip shows MORE_FROM_BRAND others. Returns false when none is left. */
static bool without_product(json_object *items, long long id)
{
	size_t n = json_object_array_length(items), drop = n; /* n: nothing to drop */
	for (size_t i = 0; i < n; i++)
		if (json_object_get_int64(json_object_object_get(json_object_array_get_idx(items, i), "id")) == id)
			drop = i;
	if (drop == n && n > MORE_FROM_BRAND)
		drop = n - 1;
	if (drop < n)
		json_object_array_del_idx(items, drop, 1);
	return json_object_array_length(items) > 0;
}

/* The like button: a shopper's state (their kept likes) and size advice, a guest's way to log in;
 * other accounts see the count. */
static enum status personal_parts(struct request *req, json_object *product, long long kept_lines, json_object *page)
{
	json_object *like = json_object_new_object();
	json_object_object_add(page, "like", like);
	if (req->role == ROLE_SHOPPER) {
		json_object_object_add(like, "shopper", json_object_new_boolean(true));
		json_object_object_add(like, "liked",
		                       json_object_new_boolean(cards_shopper_likes(req, req->path_params[0])));
		json_object *advice;
		enum status st = fit_advice(req, req->path_params[0], product, kept_lines, &advice);
		if (st != ST_OK)
			return st;
		/* the page links to the profile when the advice asks for something in it */
		json_object_object_add(
		    advice, "ask_profile",
		    json_object_new_boolean(json_object_array_length(json_object_object_get(advice, "missing")) > 0));
		json_object_object_add(page, "size_advice", advice);
	} else if (req->role == ROLE_GUEST) {
		char next[64];
		snprintf(next, sizeof next, "/login?next=%%2Fproducts%%2F%lld", req->path_params[0]);
		json_object_object_add(like, "login_url", json_object_new_string(next));
	}
	return ST_OK;
}

/* 200, 404 (absent, hidden, or its brand inactive), 503. */
enum status page_product(struct request *req, struct response *res)
{
	json_object *p;
	struct catalog_product_page extra;
	enum status st = catalog_get_product_page(req->path_params[0], &p, &extra);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	json_object_object_add(page, "product", p);
	cards_product(p, req->lang);

	json_object *brand = json_object_object_get(p, "brand");
	json_object *variants = json_object_object_get(p, "variants");
	mark_stock(variants);
	mark_chosen(variants, res);
	const char *quantity = form_value(res, "quantity");
	json_object_object_add(page, "quantity", json_object_new_string(quantity ? quantity : "1"));
	json_object *table = measurement_table(variants, req->lang);
	if (table)
		json_object_object_add(page, "measurements", table);
	json_object_object_add(brand, "policy", cards_brand_policy(brand, req->lang));

	json_object *strip = NULL;
	st = reference_attach(p, req->lang);
	if (st == ST_OK)
		st = cards_brand_strip(res, json_object_get_int64(json_object_object_get(brand, "id")),
		                       MORE_FROM_BRAND + 1, extra.brand_cards_version, req->lang, &strip);
	if (st != ST_OK)
		return st;
	if (strip && without_product(json_object_object_get(strip, "items"), req->path_params[0]))
		json_object_object_add(page, "more_from_brand", strip);
	else
		json_object_put(strip);
	st = reviews_attach(req, req->path_params[0], &extra, page);
	if (st == ST_OK)
		st = personal_parts(req, p, extra.kept_lines, page);
	if (st == ST_OK)
		st = questions_attach(req, res, extra.community_version, page);
	if (st != ST_OK)
		return st;
	return response_view(res, 200, "pages/product", page);
}
