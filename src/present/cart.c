#include "present/cart.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db/carts.h"
#include "media/store.h"
#include "present/common.h"
#include "shop/cart.h"

static const char *state_name(enum cart_line_problem p)
{
	return p == CART_LINE_UNAVAILABLE ? "unavailable" : p == CART_LINE_OUT_OF_STOCK ? "out_of_stock" : "ok";
}

static json_object *sizes_of(const struct cart_line *l, const struct cart_size *sizes, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		if (sizes[i].product_id != l->product_id)
			continue;
		json_object *s = json_object_new_object();
		json_object_object_add(s, "variant_id", json_object_new_int64(sizes[i].variant_id));
		json_object_object_add(s, "size", json_object_new_string(sizes[i].size_label));
		json_object_object_add(s, "color", present_text_or_null(sizes[i].color));
		json_object_object_add(s, "stock", json_object_new_int64(sizes[i].stock));
		json_object_object_add(s, "sold_out", json_object_new_boolean(sizes[i].stock <= 0));
		json_object_object_add(s, "selected", json_object_new_boolean(sizes[i].variant_id == l->variant_id));
		json_object_array_add(a, s);
	}
	return a;
}

static json_object *coupon_of(const struct cart_line *l, const struct cart_quote *q, size_t i,
                              const struct money_line *m, const char *lang)
{
	if (!l->coupon.id)
		return NULL;
	json_object *c = json_object_new_object();
	json_object_object_add(c, "id", json_object_new_int64(l->coupon.id));
	json_object_object_add(c, "name", json_object_new_string(l->coupon_name));
	present_won(c, "discount", m ? m->coupon_discount : 0, lang);
	json_object_object_add(c, "applied", json_object_new_boolean(m && m->coupon));
	const char *problem = q->coupon_unusable[i]            ? "COUPON_UNUSABLE"
	                      : q->coupon_error[i] != MONEY_OK ? money_error_code(q->coupon_error[i])
	                                                       : NULL;
	json_object_object_add(c, "problem", present_text_or_null(problem));
	return c;
}

static json_object *item(const struct cart_line *l, const struct cart_quote *q, size_t i, const struct cart_size *sizes,
                         size_t nsizes, const char *lang)
{
	const struct money_line *m = q->basket_index[i] >= 0 ? &q->lines[q->basket_index[i]] : NULL;
	json_object *o = json_object_new_object(), *product = json_object_new_object(),
	            *brand = json_object_new_object();
	char url[48];
	json_object_object_add(o, "id", json_object_new_int64(l->id));
	json_object_object_add(o, "variant_id", json_object_new_int64(l->variant_id));
	json_object_object_add(product, "id", json_object_new_int64(l->product_id));
	json_object_object_add(product, "name", json_object_new_string(l->product_name));
	snprintf(url, sizeof url, "/products/%lld", l->product_id);
	json_object_object_add(product, "url", json_object_new_string(url));
	json_object_object_add(o, "product", product);
	json_object_object_add(brand, "id", json_object_new_int64(l->brand_id));
	json_object_object_add(brand, "name", json_object_new_string(l->brand_name));
	json_object_object_add(o, "brand", brand);
	json_object_object_add(o, "size", json_object_new_string(l->size_label));
	json_object_object_add(o, "color", present_text_or_null(l->color));
	json_object_object_add(o, "image", store_image_urls(l->image_key, false));
	present_won(o, "unit_price", l->unit_price, lang);
	present_won(o, "list_price", l->list_price, lang);
	json_object_object_add(o, "on_sale", json_object_new_boolean(l->unit_price < l->list_price));
	json_object_object_add(o, "quantity", json_object_new_int64(l->quantity));
	json_object_object_add(o, "stock", json_object_new_int64(l->stock));
	json_object_object_add(o, "state", json_object_new_string(state_name(q->problem[i])));
	json_object_object_add(o, "unavailable", json_object_new_boolean(q->problem[i] == CART_LINE_UNAVAILABLE));
	json_object_object_add(o, "out_of_stock", json_object_new_boolean(q->problem[i] == CART_LINE_OUT_OF_STOCK));
	present_won(o, "subtotal", l->unit_price * l->quantity, lang);
	json_object_object_add(o, "coupon", coupon_of(l, q, i, m, lang));
	present_won(o, "grade_discount", m ? m->grade_discount : 0, lang);
	json_object_object_add(o, "has_grade_discount", json_object_new_boolean(m && m->grade_discount > 0));
	present_won(o, "discounted", m ? m->discounted : 0, lang);
	if (sizes) {
		json_object *list = sizes_of(l, sizes, nsizes);
		json_object_object_add(o, "size_choice", json_object_new_boolean(json_object_array_length(list) > 1));
		json_object_object_add(o, "sizes", list);
	}
	return o;
}

static const char *brand_name(const struct cart *c, long long brand_id)
{
	for (size_t i = 0; i < c->nlines; i++)
		if (c->lines[i].brand_id == brand_id)
			return c->lines[i].brand_name;
	return "";
}

static json_object *brands(const struct cart *c, const struct cart_quote *q, const char *lang)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < q->basket.nbrands; i++) {
		const struct money_brand *b = &q->brands[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(b->brand_id));
		json_object_object_add(o, "name", json_object_new_string(brand_name(c, b->brand_id)));
		present_won(o, "lines_amount", b->lines_amount, lang);
		present_won(o, "shipping_fee", q->error == MONEY_OK ? b->fee : b->shipping_fee, lang);
		if (b->free_threshold >= 0) {
			present_won(o, "free_shipping_threshold", b->free_threshold, lang);
			long long short_of = b->free_threshold - b->lines_amount;
			if (short_of > 0)
				present_won(o, "short_of_free", short_of, lang);
		} else {
			json_object_object_add(o, "free_shipping_threshold", NULL);
		}
		json_object_object_add(o, "free", json_object_new_boolean(q->error == MONEY_OK && b->fee == 0));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *totals(const struct cart_quote *q, const char *lang)
{
	const struct money_basket *b = &q->basket;
	bool ok = q->error == MONEY_OK;
	json_object *o = json_object_new_object();
	present_won(o, "items", ok ? b->items : 0, lang);
	present_won(o, "coupon_discount", ok ? b->coupon_discount : 0, lang);
	present_won(o, "grade_discount", ok ? b->grade_discount : 0, lang);
	present_won(o, "discounted", ok ? b->discounted : 0, lang);
	present_won(o, "mileage", ok ? b->mileage : 0, lang);
	present_won(o, "shipping", ok ? b->shipping : 0, lang);
	present_won(o, "total", ok ? b->total : 0, lang);
	json_object_object_add(o, "grade_percent", json_object_new_int(b->grade_percent));
	json_object_object_add(o, "has_coupon_discount", json_object_new_boolean(ok && b->coupon_discount > 0));
	json_object_object_add(o, "has_grade_discount", json_object_new_boolean(ok && b->grade_discount > 0));
	return o;
}

json_object *present_cart(const struct cart *c, const struct cart_quote *q, const struct cart_size *sizes,
                          size_t nsizes, const char *lang)
{
	json_object *o = json_object_new_object(), *items = json_object_new_array();
	for (size_t i = 0; i < q->nlines; i++)
		json_object_array_add(items, item(&c->lines[i], q, i, sizes, nsizes, lang));
	json_object_object_add(o, "count", json_object_new_int64((long long)c->nlines));
	json_object_object_add(o, "empty", json_object_new_boolean(c->nlines == 0));
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "brands", brands(c, q, lang));
	json_object_object_add(o, "totals", totals(q, lang));
	int line;
	const char *blocker = cart_quote_blocker(q, &line);
	json_object_object_add(o, "can_checkout", json_object_new_boolean(!blocker));
	json_object_object_add(o, "blocker", present_text_or_null(blocker));
	return o;
}
