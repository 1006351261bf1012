#include "present/order.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db/orders.h"
#include "media/store.h"
#include "present/common.h"
#include "shop/order_rules.h"
#include "util/config.h"
#include "view/format.h"
#include "view/view.h"

static json_object *product_of(const struct order_line *l)
{
	json_object *p = json_object_new_object();
	char url[48];
	snprintf(url, sizeof url, "/products/%lld", l->product_id);
	json_object_object_add(p, "id", json_object_new_int64(l->product_id));
	json_object_object_add(p, "name", json_object_new_string(l->product_name));
	json_object_object_add(p, "url", json_object_new_string(url));
	return p;
}

static json_object *brand_of(long long id, const char *name)
{
	json_object *b = json_object_new_object();
	json_object_object_add(b, "id", json_object_new_int64(id));
	json_object_object_add(b, "name", json_object_new_string(name));
	return b;
}

/* {reason (+_text), note, rejection_reason} of a return asked for, or NULL. */
static json_object *return_of(enum return_reason reason, const char *note, const char *rejection, const char *lang)
{
	if (reason == RETURN_NONE)
		return NULL;
	json_object *ret = json_object_new_object();
	present_coded(ret, "reason", "order.return_reason", return_reason_names[reason - 1], lang);
	json_object_object_add(ret, "note", present_text_or_null(note));
	json_object_object_add(ret, "rejection_reason", present_text_or_null(rejection));
	return ret;
}

/* What every view of a line shows: the goods, the state and the delivery. */
static json_object *line_common(const struct order_line *l, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(l->id));
	json_object_object_add(o, "order_id", json_object_new_int64(l->order_id));
	json_object_object_add(o, "product", product_of(l));
	json_object_object_add(o, "brand", brand_of(l->brand_id, l->brand_name));
	json_object_object_add(o, "variant_id", json_object_new_int64(l->variant_id));
	json_object_object_add(o, "size", json_object_new_string(l->size_label));
	json_object_object_add(o, "color", present_text_or_null(l->color));
	json_object_object_add(o, "image", store_image_urls(l->image_key, false));
	present_won(o, "unit_price", l->unit_price, lang);
	json_object_object_add(o, "quantity", json_object_new_int64(l->quantity));
	present_won(o, "subtotal", l->subtotal, lang);
	present_coded(o, "state", "order.line", line_state_names[l->state], lang);
	json_object_object_add(o, "courier", present_text_or_null(l->courier));
	json_object_object_add(o, "tracking_number", present_text_or_null(l->tracking_number));
	json_object_object_add(o, "shipped_at", present_timestamp(l->shipped_at));
	json_object_object_add(o, "delivered_at", present_timestamp(l->delivered_at));
	json_object_object_add(o, "confirmed_at", present_timestamp(l->confirmed_at));
	json_object_object_add(o, "cancelled_at", present_timestamp(l->cancelled_at));
	json_object *ret = return_of(l->return_reason, l->return_reason_text, l->return_rejection_reason, lang);
	if (ret) {
		json_object_object_add(ret, "requested_at", present_timestamp(l->return_requested_at));
		json_object_object_add(ret, "decided_at", present_timestamp(l->return_decided_at));
	}
	json_object_object_add(o, "return", ret);
	return o;
}

json_object *present_order_line(const struct order_line *l, const char *lang)
{
	json_object *o = line_common(l, lang);
	present_won(o, "list_price", l->list_price, lang);
	present_won(o, "coupon_discount", l->coupon_discount, lang);
	present_won(o, "grade_discount", l->grade_discount, lang);
	present_won(o, "mileage_share", l->mileage_share, lang);
	present_won(o, "line_total", l->line_total, lang);
	present_won(o, "mileage_earned", l->mileage_earned, lang);
	present_won(o, "refunded_amount", l->refunded_amount, lang);
	json_object_object_add(o, "can_confirm", json_object_new_boolean(order_line_can_confirm(l)));
	json_object_object_add(o, "can_return", json_object_new_boolean(order_line_can_return(l)));
	json_object_object_add(o, "can_review", json_object_new_boolean(order_line_can_review(l)));
	json_object_object_add(o, "review_id", l->review_id ? json_object_new_int64(l->review_id) : NULL);
	return o;
}

static json_object *shipping_of(const struct shipping_address *s)
{
	json_object *o = json_object_new_object();
	char phone[24];
	format_phone(s->recipient_phone, phone, sizeof phone);
	json_object_object_add(o, "recipient_name", json_object_new_string(s->recipient_name));
	json_object_object_add(o, "recipient_phone", json_object_new_string(s->recipient_phone));
	json_object_object_add(o, "recipient_phone_text", json_object_new_string(phone));
	json_object_object_add(o, "postal_code", json_object_new_string(s->postal_code));
	json_object_object_add(o, "address", json_object_new_string(s->address));
	json_object_object_add(o, "address_detail", present_text_or_null(s->address_detail));
	json_object_object_add(o, "delivery_memo", present_text_or_null(s->delivery_memo));
	return o;
}

/* An order's title: "first product 외 2건" / "first product and 2 more". */
static void add_title(json_object *j, const char *first_product, size_t nlines, const char *lang)
{
	char title[760];
	if (nlines > 1)
		snprintf(title, sizeof title, "%s%s%d%s", first_product, view_message(lang, "order.more_before"),
		         (int)nlines - 1, view_message(lang, "order.more_after"));
	else
		snprintf(title, sizeof title, "%s", first_product);
	json_object_object_add(j, "title", json_object_new_string(title));
}

/* An order's object with what names it: id, merchant_uid, created_at and _text, payment_state and _text. */
static json_object *order_head(long long id, const char *merchant_uid, const char *created_at, enum payment_state state,
                               const char *lang)
{
	json_object *j = json_object_new_object();
	json_object_object_add(j, "id", json_object_new_int64(id));
	json_object_object_add(j, "merchant_uid", json_object_new_string(merchant_uid));
	json_object_object_add(j, "created_at", present_timestamp(created_at));
	json_object_object_add(j, "created_text", present_kst_text(created_at));
	present_coded(j, "payment_state", "order.payment", payment_state_names[state], lang);
	return j;
}

json_object *present_order(const struct order *o, const char *lang)
{
	json_object *j = order_head(o->id, o->merchant_uid, o->created_at, o->payment_state, lang);
	present_coded(j, "payment_method", "order.method", payment_method_names[o->method], lang);
	json_object_object_add(j, "payment_due_at", present_timestamp(o->payment_due_at));
	json_object_object_add(j, "paid_at", present_timestamp(o->paid_at));
	json_object_object_add(j, "cancelled_at", present_timestamp(o->cancelled_at));
	json_object *transfer = NULL;
	if (o->method == PAY_BANK_TRANSFER && o->payment_state == PAYMENT_AWAITING) {
		transfer = json_object_new_object();
		json_object_object_add(transfer, "account", json_object_new_string(config.bank_account));
		present_won(transfer, "amount", o->total_amount, lang);
		json_object_object_add(transfer, "due_at", present_timestamp(o->payment_due_at));
		json_object_object_add(transfer, "due_text", present_kst_text(o->payment_due_at));
	}
	json_object_object_add(j, "bank_transfer", transfer);
	json_object *gateway = NULL; /* a card or KakaoPay order still to pay: where to, and by when */
	if (o->method != PAY_BANK_TRANSFER && o->payment_state == PAYMENT_AWAITING) {
		char url[64];
		snprintf(url, sizeof url, "/me/orders/%lld/pay", o->id);
		gateway = json_object_new_object();
		json_object_object_add(gateway, "url", json_object_new_string(url));
		json_object_object_add(gateway, "due_at", present_timestamp(o->payment_due_at));
		json_object_object_add(gateway, "due_text", present_kst_text(o->payment_due_at));
	}
	json_object_object_add(j, "gateway_payment", gateway);
	json_object_object_add(j, "shipping", shipping_of(&o->ship));

	json_object *a = json_object_new_object();
	present_won(a, "items", o->items_amount, lang);
	present_won(a, "coupon_discount", o->coupon_discount_amount, lang);
	present_won(a, "grade_discount", o->grade_discount_amount, lang);
	present_won(a, "mileage_used", o->mileage_used, lang);
	present_won(a, "shipping", o->shipping_amount, lang);
	present_won(a, "total", o->total_amount, lang);
	present_won(a, "refunded", o->refunded_amount, lang);
	json_object_object_add(a, "has_coupon_discount", json_object_new_boolean(o->coupon_discount_amount > 0));
	json_object_object_add(a, "has_grade_discount", json_object_new_boolean(o->grade_discount_amount > 0));
	json_object_object_add(a, "has_mileage", json_object_new_boolean(o->mileage_used > 0));
	json_object_object_add(a, "has_refund", json_object_new_boolean(o->refunded_amount > 0));
	json_object_object_add(j, "amounts", a);
	json_object_object_add(j, "grade_discount_percent", json_object_new_int(o->grade_discount_percent));
	json_object_object_add(j, "mileage_percent", json_object_new_int(o->mileage_percent));

	json_object *brands = json_object_new_array();
	for (size_t i = 0; i < o->nshipping; i++) {
		json_object *b = brand_of(o->shipping[i].brand_id, o->shipping[i].brand_name);
		present_won(b, "lines_amount", o->shipping[i].lines_amount, lang);
		present_won(b, "shipping_fee", o->shipping[i].fee, lang);
		json_object_array_add(brands, b);
	}
	json_object_object_add(j, "brands", brands);
	json_object *lines = json_object_new_array();
	for (size_t i = 0; i < o->nlines; i++)
		json_object_array_add(lines, present_order_line(&o->lines[i], lang));
	json_object_object_add(j, "lines", lines);

	add_title(j, o->nlines ? o->lines[0].product_name : "", o->nlines, lang);
	json_object_object_add(j, "can_cancel", json_object_new_boolean(order_can_cancel(o)));
	/* a paid bank transfer's refund is sent by hand: the cancel and return forms ask where to */
	json_object_object_add(
	    j, "refund_account_needed",
	    json_object_new_boolean(o->method == PAY_BANK_TRANSFER && order_payment_settled(o->payment_state)));
	return j;
}

json_object *present_order_summary(const struct order_summary *o, const char *lang)
{
	json_object *j = order_head(o->id, o->merchant_uid, o->created_at, o->payment_state, lang);
	json_object *a = json_object_new_object();
	present_won(a, "total", o->total_amount, lang);
	json_object_object_add(j, "amounts", a);
	json_object *lines = json_object_new_array_ext((int)o->nlines);
	for (size_t i = 0; i < o->nlines; i++) {
		json_object *l = json_object_new_object();
		json_object_object_add(l, "image", store_image_urls(o->lines[i].image_key, false));
		present_coded(l, "state", "order.line", line_state_names[o->lines[i].state], lang);
		json_object_array_add(lines, l);
	}
	json_object_object_add(j, "lines", lines);
	add_title(j, o->first_product_name, o->nlines, lang);
	return j;
}

json_object *present_seller_line(const struct order *o, const struct order_line *l, const char *lang)
{
	json_object *j = line_common(l, lang);
	json_object *order = json_object_new_object();
	json_object_object_add(order, "id", json_object_new_int64(o->id));
	json_object_object_add(order, "merchant_uid", json_object_new_string(o->merchant_uid));
	json_object_object_add(order, "created_at", present_timestamp(o->created_at));
	present_coded(order, "payment_state", "order.payment", payment_state_names[o->payment_state], lang);
	json_object_object_add(j, "order", order);
	json_object_object_add(j, "shipping", shipping_of(&o->ship));
	return j;
}

json_object *present_console_line(const struct console_line *l, const char *lang)
{
	json_object *j = json_object_new_object();
	json_object_object_add(j, "id", json_object_new_int64(l->id));
	json_object *order = json_object_new_object();
	json_object_object_add(order, "merchant_uid", json_object_new_string(l->merchant_uid));
	json_object_object_add(order, "created_at", present_timestamp(l->created_at));
	json_object_object_add(j, "order", order);
	json_object *product = json_object_new_object();
	json_object_object_add(product, "name", json_object_new_string(l->product_name));
	json_object_object_add(j, "product", product);
	json_object_object_add(j, "size", json_object_new_string(l->size_label));
	json_object_object_add(j, "color", present_text_or_null(l->color));
	json_object_object_add(j, "quantity", json_object_new_int64(l->quantity));
	present_coded(j, "state", "order.line", line_state_names[l->state], lang);
	json_object_object_add(j, "courier", present_text_or_null(l->courier));
	json_object_object_add(j, "tracking_number", present_text_or_null(l->tracking_number));
	json_object_object_add(j, "return",
	                       return_of(l->return_reason, l->return_reason_text, l->return_rejection_reason, lang));
	json_object_object_add(j, "shipping", shipping_of(&l->ship));
	return j;
}
