#include "handlers/shop/cards.h"

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "db/catalog.h"
#include "view/format.h"

static long long int_field(json_object *o, const char *key)
{
	return json_object_get_int64(json_object_object_get(o, key));
}

void cards_product(json_object *p, const char *lang)
{
	char url[48];
	snprintf(url, sizeof url, "/products/%lld", int_field(p, "id"));
	json_object_object_add(p, "url", json_object_new_string(url));
	json_object_object_add(p, "sale_price_text", format_won_json(int_field(p, "sale_price"), lang));
	json_object_object_add(p, "list_price_text", format_won_json(int_field(p, "list_price"), lang));
}

json_object *cards_products(json_object *items, const char *lang)
{
	for (size_t i = 0; i < json_object_array_length(items); i++)
		cards_product(json_object_array_get_idx(items, i), lang);
	return items;
}

enum status cards_strip(long long brand_id, int sort, int count, const char *lang, json_object **out)
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
	enum status rc = catalog_product_items(&strip, items);
	if (rc != ST_OK || json_object_array_length(items) == 0) {
		json_object_put(items);
		return rc;
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "items", cards_products(items, lang));
	return ST_OK;
}

json_object *cards_brand_policy(json_object *brand, const char *lang)
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
