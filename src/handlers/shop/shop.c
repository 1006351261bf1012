#include "handlers/shop/shop.h"

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "db/catalog.h"
#include "http/url.h"
#include "util/buf.h"
#include "view/format.h"

static long long int_field(json_object *o, const char *key)
{
	return json_object_get_int64(json_object_object_get(o, key));
}

void shop_product_card(json_object *p, const char *lang)
{
	char url[48];
	snprintf(url, sizeof url, "/products/%lld", int_field(p, "id"));
	json_object_object_add(p, "url", json_object_new_string(url));
	json_object_object_add(p, "sale_price_text", format_won_json(int_field(p, "sale_price"), lang));
	json_object_object_add(p, "list_price_text", format_won_json(int_field(p, "list_price"), lang));
}

json_object *shop_product_cards(json_object *items, const char *lang)
{
	for (size_t i = 0; i < json_object_array_length(items); i++)
		shop_product_card(json_object_array_get_idx(items, i), lang);
	return items;
}

int shop_product_strip(long long brand_id, int sort, int count, const char *lang, json_object **out)
{
	*out = NULL;
	struct catalog_filter strip = {
	    .brand_id = brand_id,
	    .min_price = -1,
	    .max_price = -1,
	    .on_sale = -1,
	    .sort = (enum catalog_sort)sort,
	    .page = 1,
	    .per_page = count,
	};
	json_object *items = json_object_new_array();
	int rc = catalog_product_items(&strip, items);
	if (rc != DB_OK || json_object_array_length(items) == 0) {
		json_object_put(items);
		return rc;
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "items", shop_product_cards(items, lang));
	return DB_OK;
}

json_object *shop_brand_policy(json_object *brand, const char *lang)
{
	json_object *o = json_object_new_object();
	long long fee = int_field(brand, "shipping_fee");
	json_object *threshold = json_object_object_get(brand, "free_shipping_threshold");
	json_object_object_add(o, "free_shipping", json_object_new_boolean(fee == 0));
	json_object_object_add(o, "fee_text", format_won_json(fee, lang));
	if (fee > 0 && threshold)
		json_object_object_add(o, "threshold_text", format_won_json(json_object_get_int64(threshold), lang));
	json_object_object_add(o, "return_cost_text", format_won_json(int_field(brand, "return_shipping_cost"), lang));
	static const char *const copied[] = {"return_postal_code", "return_address", "return_courier"};
	for (size_t i = 0; i < sizeof copied / sizeof *copied; i++)
		json_object_object_add(o, copied[i], json_object_get(json_object_object_get(brand, copied[i])));
	return o;
}

static json_object *page_url(const char *base_url, int page)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, base_url);
	if (page > 1)
		url_add_int(&b, "page", page);
	json_object *s = json_object_new_string(buf_str(&b));
	buf_free(&b);
	return s;
}

int shop_last_page(long long total, int per_page)
{
	long long last = per_page > 0 ? (total + per_page - 1) / per_page : 1;
	return last > 100 ? 100 : last < 1 ? 1 : (int)last;
}

/* Shows the first and last page, and two pages either side of the current one. */
#define PAGE_WINDOW 2

json_object *shop_pagination(const char *base_url, int page, int last)
{
	if (last <= 1)
		return NULL;
	json_object *o = json_object_new_object();
	if (page > 1) /* past the end (a stale link): back to the last page */
		json_object_object_add(o, "prev_url", page_url(base_url, page > last ? last : page - 1));
	if (page < last)
		json_object_object_add(o, "next_url", page_url(base_url, page + 1));
	json_object *pages = json_object_new_array();
	bool gap = false;
	for (int n = 1; n <= last; n++) {
		if (n != 1 && n != last && (n < page - PAGE_WINDOW || n > page + PAGE_WINDOW)) {
			if (!gap) {
				json_object *g = json_object_new_object();
				json_object_object_add(g, "gap", json_object_new_boolean(1));
				json_object_array_add(pages, g);
			}
			gap = true;
			continue;
		}
		gap = false;
		json_object *p = json_object_new_object();
		json_object_object_add(p, "number", json_object_new_int(n));
		json_object_object_add(p, "url", page_url(base_url, n));
		json_object_object_add(p, "current", json_object_new_boolean(n == page));
		json_object_array_add(pages, p);
	}
	json_object_object_add(o, "pages", pages);
	return o;
}
