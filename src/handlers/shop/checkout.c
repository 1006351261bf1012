/* The checkout page (SPEC §4 /checkout): the cart as it will be bought, shipping details prefilled
 * from the profile, mileage to spend, the grade discount, the payment method; then the order, placed
 * from the cart in one transaction (src/shop/checkout.c), and the order complete page. The page
 * carries a key of its own (a double submit places one order) and the total it showed (a change
 * meanwhile asks the shopper to confirm again: 409). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/cart_owner.h"
#include "auth/session.h"
#include "db/carts.h"
#include "db/orders.h"
#include "db/sessions.h"
#include "db/users.h"
#include "handlers/forms.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "present/cart.h"
#include "present/common.h"
#include "pay/portone.h"
#include "present/order.h"
#include "shop/cart.h"
#include "shop/checkout.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "view/format.h"
#include "view/view.h"

/* The payment methods a shopper may choose: bank transfer always; cards and KakaoPay when the
 * gateway is configured. */
static json_object *method_choices(const struct response *res, const char *lang)
{
	static const struct form_choice all[] = {{"bank_transfer", "order.method.bank_transfer"},
	                                         {"card", "order.method.card"},
	                                         {"kakaopay", "order.method.kakaopay"},
	                                         {NULL, NULL}};
	static const struct form_choice transfer_only[] = {{"bank_transfer", "order.method.bank_transfer"},
	                                                   {NULL, NULL}};
	return form_choices(res, "payment_method", portone_enabled() ? all : transfer_only, lang);
}

/* The shipping form starts with the profile's name, phone and address. */
static void prefill_shipping(struct response *res, const struct user *u)
{
	response_form_value(res, "recipient_name", u->name);
	char phone[24];
	format_phone(u->phone, phone, sizeof phone);
	response_form_value(res, "recipient_phone", phone);
	response_form_value(res, "postal_code", u->postal_code);
	response_form_value(res, "address", u->address);
	response_form_value(res, "address_detail", u->address_detail);
	if (!form_value(res, "payment_method"))
		response_form_value(res, "payment_method", "bank_transfer");
}

/* Draws the checkout page for the shopper's cart with the mileage asked for (a mileage the rules
 * refuse is shown as an error and left out of the totals). A cart that is empty goes back to /cart. */
enum status checkout_form(struct request *req, struct response *res)
{
	long long cart_id, mileage = req_int(req, "mileage");
	struct cart c = {0};
	struct user u;
	enum status st = cart_of_request(req, res, false, &cart_id);
	if (st == ST_OK)
		st = db_cart_read(cart_id, &c);
	if (st == ST_NOT_FOUND || (st == ST_OK && c.nlines == 0)) {
		cart_free(&c);
		/* A refused checkout whose cart emptied meanwhile (placed from another tab) says so on the
		 * cart page; a visit is sent there. */
		return res->form_message ? cart_form(req, res) : response_redirect(res, "/cart");
	}
	if (st == ST_OK)
		st = db_user_by_id(session_user_id(req), &u);
	if (st != ST_OK) {
		cart_free(&c);
		return st;
	}
	struct cart_quote *q = xmalloc(sizeof *q);
	const char *mileage_error = NULL;
	cart_quote(c.lines, c.nlines, req->session->grade_discount_percent, u.mileage_balance, mileage, q);
	if (q->error == MONEY_MILEAGE_OVER_BALANCE || q->error == MONEY_MILEAGE_OVER_ITEMS) {
		mileage_error = q->error == MONEY_MILEAGE_OVER_BALANCE ? "validation.mileage_over_balance"
		                                                       : "validation.mileage_over_items";
		cart_quote(c.lines, c.nlines, req->session->grade_discount_percent, u.mileage_balance, 0, q);
		mileage = 0;
	}
	json_object *page = response_model(res);
	json_object *cart = present_cart(&c, q, NULL, 0, req->lang);
	json_object *totals = json_object_object_get(cart, "totals");
	json_object_object_add(page, "cart", cart);
	json_object *m = json_object_new_object();
	present_won(m, "balance", u.mileage_balance, req->lang);
	json_object_object_add(m, "use", json_object_new_int64(mileage));
	json_object_object_add(m, "has_balance", json_object_new_boolean(u.mileage_balance > 0));
	if (mileage_error)
		json_object_object_add(m, "error", json_object_new_string(view_message(req->lang, mileage_error)));
	json_object_object_add(page, "mileage", m);
	json_object_object_add(page, "expected_total", json_object_get(json_object_object_get(totals, "total")));

	/* The page's own key: placing this page twice places one order. A form drawn again keeps it. */
	char key[CRYPTO_TOKEN_LEN + 1];
	unsigned char unused[CRYPTO_SHA256_LEN];
	crypto_token(key, unused);
	response_form_value(res, "key", key);
	prefill_shipping(res, &u);
	json_object_object_add(page, "methods", method_choices(res, req->lang));
	free(q);
	cart_free(&c);
	return response_view(res, 200, "pages/checkout", page);
}

/* GET /checkout: 200; 303 to /cart when the cart is empty (and to /login for a guest). */
enum status page_checkout(struct request *req, struct response *res)
{
	return checkout_form(req, res);
}

/* What the page sent, as the idempotency hash sees it: the same page sent twice hashes the same. */
static void page_request_hash(const struct request *req, unsigned char out[32])
{
	static const char *const fields[] = {"key",
	                                     "expected_total",
	                                     "mileage",
	                                     "payment_method",
	                                     "recipient_name",
	                                     "recipient_phone",
	                                     "postal_code",
	                                     "address",
	                                     "address_detail",
	                                     "delivery_memo",
	                                     NULL};
	struct buf b = BUF_INIT;
	buf_puts(&b, "page");
	for (const char *const *f = fields; *f; f++) {
		const struct input_value *v = req_input(req, *f);
		buf_putc(&b, '\n');
		if (v->present && v->s)
			buf_append(&b, v->s, v->len);
		else if (v->present)
			buf_printf(&b, "%lld", v->i);
	}
	crypto_sha256(b.data, b.len, out);
	buf_free(&b);
}

static void copy_text(char *out, size_t size, const char *s)
{
	snprintf(out, size, "%s", s ? s : "");
}

/* The shipping snapshot from the declared inputs (names as the page and the API's shipping use). */
static void checkout_read_shipping(const struct request *req, struct shipping_address *s)
{
	copy_text(s->recipient_name, sizeof s->recipient_name, req_text(req, "recipient_name"));
	copy_text(s->recipient_phone, sizeof s->recipient_phone, req_text(req, "recipient_phone"));
	copy_text(s->postal_code, sizeof s->postal_code, req_text(req, "postal_code"));
	copy_text(s->address, sizeof s->address, req_text(req, "address"));
	copy_text(s->address_detail, sizeof s->address_detail, req_text(req, "address_detail"));
	copy_text(s->delivery_memo, sizeof s->delivery_memo, req_text(req, "delivery_memo"));
}

/* Fills the checkout's items from the cart's lines (their quantities and chosen coupons). */
static enum status checkout_items_from_cart(long long cart_id, struct checkout *c)
{
	struct cart cart;
	enum status st = db_cart_read(cart_id, &cart);
	if (st != ST_OK)
		return st;
	c->cart_id = cart_id;
	c->nitems = 0;
	for (size_t i = 0; i < cart.nlines && i < MONEY_MAX_LINES; i++)
		c->items[c->nitems++] =
		    (struct checkout_item){cart.lines[i].variant_id, cart.lines[i].quantity, cart.lines[i].coupon.id};
	cart_free(&cart);
	return ST_OK;
}

/* How a refused checkout is told: the page's message above the form, and the API's detail. */
static const struct refusal refusals[] = {
    {"TOTAL_CHANGED", "checkout.total_changed", "Prices or discounts changed: confirm the new total."},
    {"OUT_OF_STOCK", "checkout.out_of_stock", "An item is not in stock in that quantity."},
    {"NOT_AVAILABLE", "checkout.not_available", "An item is no longer on sale."},
    {"IN_PROGRESS", "checkout.in_progress", "This order is being placed by an earlier request."},
    {"IDEMPOTENCY_KEY_REUSED", "checkout.failed", "This Idempotency-Key was used for another request."},
    {"COUPON_UNUSABLE", "checkout.coupon_problem", "A coupon is used, expired or revoked."},
    {"COUPON_NOT_FOUND", "checkout.coupon_problem", "A coupon is not one of yours."},
    {"COUPON_BELOW_MINIMUM", "checkout.coupon_problem", "An item is below its coupon's minimum."},
    {"COUPON_CATEGORY", "checkout.coupon_problem", "A coupon is for another category."},
    {"COUPON_TWICE", "checkout.coupon_problem", "One coupon is named on two items."},
    {"MILEAGE_OVER_BALANCE", "checkout.mileage_problem", "More mileage than the balance."},
    {"MILEAGE_OVER_ITEMS", "checkout.mileage_problem", "More mileage than the items cost (shipping excluded)."},
    {"CART_EMPTY", "checkout.cart_empty", "There is nothing to buy."},
    {"DUPLICATE_ITEM", "checkout.failed", "A variant is listed twice."},
    {"ITEM_NOT_FOUND", "checkout.failed", "No such variant."},
    {"NOT_ACTIVE", "checkout.failed", "The account cannot buy now."},
    {"PAYMENT_METHOD_UNAVAILABLE", "checkout.failed", "This payment method is not offered."},
};

static const struct refusal *refusal_of(const char *code)
{
	static const struct refusal other = {"", "checkout.failed", NULL};
	const struct refusal *why = response_refusal_of(code, refusals, sizeof refusals / sizeof refusals[0]);
	return why ? why : &other;
}

/* POST /checkout: 303 to the order complete page (also for the same page sent again); the page again
 * with a message: 409 TOTAL_CHANGED (with the new totals to confirm), OUT_OF_STOCK, NOT_AVAILABLE,
 * COUPON_UNUSABLE, IN_PROGRESS; 422 for shipping fields, coupons or mileage the rules refuse. */
enum status checkout_submit(struct request *req, struct response *res)
{
	long long cart_id;
	struct checkout *c = xcalloc(1, sizeof *c);
	enum status st = cart_of_request(req, res, false, &cart_id);
	if (st == ST_OK)
		st = checkout_items_from_cart(cart_id, c);
	if (st != ST_OK) {
		free(c);
		return st == ST_NOT_FOUND ? response_redirect(res, "/cart") : st;
	}
	c->user_id = session_user_id(req);
	c->key = req_text(req, "key");
	page_request_hash(req, c->request_hash);
	checkout_read_shipping(req, &c->ship);
	c->mileage = req_int(req, "mileage");
	c->method = (enum payment_method)req_int(req, "payment_method");
	c->expected_total = req_int(req, "expected_total");
	c->mail_lang = req->lang;
	enum payment_method method = c->method;
	struct checkout_result r;
	st = checkout_place(c, &r);
	free(c);
	checkout_result_free(&r); /* the page goes to the order's own page, which reads it */
	if (st == ST_OK) {
		/* A card or KakaoPay order is paid next, on the gateway's page. */
		char url[64];
		snprintf(url, sizeof url, "/me/orders/%lld/%s", r.order_id,
		         method == PAY_BANK_TRANSFER ? "complete" : "pay");
		return response_redirect(res, url);
	}
	if (!r.code)
		return st;
	/* The page's key placed an order already (the form was changed and sent again): show that order. */
	if (strcmp(r.code, "IDEMPOTENCY_KEY_REUSED") == 0 && r.order_id) {
		char url[64];
		snprintf(url, sizeof url, "/me/orders/%lld", r.order_id);
		return response_redirect(res, url);
	}
	res->form_message = refusal_of(r.code)->message;
	return response_fail(res, st, r.code, refusal_of(r.code)->detail);
}

/* GET /me/orders/{id}/complete: the order complete page (the buyer's own order, else 404). */
enum status page_order_complete(struct request *req, struct response *res)
{
	struct order o;
	enum status st = db_order_get(req->path_params[0], session_user_id(req), &o);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	json_object_object_add(page, "order", present_order(&o, req->lang));
	order_free(&o);
	return response_view(res, 200, "pages/order-complete", page);
}

/* ---- POST /api/v1/orders ------------------------------------------------------------------- */

/* The members of the JSON body's items[], coupons[] and shipping (SPEC §5); the route declares
 * the arrays themselves. */
static const struct input_spec item_inputs[] = {
    {.name = "variant_id", .type = INPUT_INT, .required = true, .min = 1, .max = 9007199254740991LL},
    {.name = "quantity", .type = INPUT_INT, .required = true, .min = 1, .max = MONEY_MAX_QUANTITY},
    {.name = "coupon_id", .type = INPUT_INT, .min = 0, .max = 9007199254740991LL},
};
static const struct input_spec coupon_inputs[] = {
    {.name = "variant_id", .type = INPUT_INT, .required = true, .min = 1, .max = 9007199254740991LL},
    {.name = "coupon_id", .type = INPUT_INT, .required = true, .min = 1, .max = 9007199254740991LL},
};
static const struct input_spec shipping_inputs[] = {
    {.name = "recipient_name", .type = INPUT_STRING, .required = true, .min = 1, .max = 50},
    {.name = "recipient_phone", .type = INPUT_PHONE, .required = true},
    {.name = "postal_code", .type = INPUT_POSTAL, .required = true},
    {.name = "address", .type = INPUT_STRING, .required = true, .min = 1, .max = 255},
    {.name = "address_detail", .type = INPUT_STRING, .max = 255},
    {.name = "delivery_memo", .type = INPUT_STRING, .max = 200},
};
#define NITEM     (sizeof item_inputs / sizeof item_inputs[0])
#define NCOUPON   (sizeof coupon_inputs / sizeof coupon_inputs[0])
#define NSHIPPING (sizeof shipping_inputs / sizeof shipping_inputs[0])

/* The Idempotency-Key header: 1 to 100 visible ASCII characters, or NULL. */
static const char *idempotency_key(const struct request *req)
{
	const char *k = request_param(req, "HTTP_IDEMPOTENCY_KEY");
	if (!k)
		return NULL;
	size_t n = strlen(k);
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return NULL;
	return n >= 1 && n <= 100 ? k : NULL;
}

/* items[] (or the cart's lines) into c, and into canon. Field errors go to errors; returns the
 * number found, or -1 after a database failure (*st). */
static int read_items(struct request *req, struct response *res, struct checkout *c, struct buf *canon,
                      json_object *errors, enum status *st)
{
	int invalid = 0;
	char name[48];
	json_object *items = req_input(req, "items")->json;
	buf_puts(canon, "api\nitems:");
	if (!items) {
		long long cart_id;
		buf_puts(canon, "cart");
		*st = cart_of_request(req, res, false, &cart_id);
		if (*st == ST_OK)
			*st = checkout_items_from_cart(cart_id, c);
		if (*st != ST_OK && *st != ST_NOT_FOUND)
			return -1;
		*st = ST_OK;
		return 0;
	}
	if (!json_object_is_type(items, json_type_array)) {
		json_object_object_add(errors, "items", json_object_new_string("wrong_type"));
		return 1;
	}
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		struct field_list f = {0};
		struct input_value v[NITEM];
		snprintf(name, sizeof name, "items[%zu]", i);
		int bad = input_validate_json_object(item_inputs, NITEM, json_object_array_get_idx(items, i), name, &f,
		                                     v, errors);
		if (!bad)
			c->items[c->nitems++] = (struct checkout_item){v[0].i, v[1].i, v[2].i};
		invalid += bad;
		field_list_free(&f);
	}
	for (size_t i = 0; i < c->nitems; i++)
		buf_printf(canon, "%lld,%lld,%lld;", c->items[i].variant_id, c->items[i].quantity,
		           c->items[i].coupon_id);
	return invalid;
}

/* coupons[] ({variant_id, coupon_id} of the items) onto c's items, and into canon; returns the
 * number of field errors. */
static int read_coupons(struct request *req, struct checkout *c, struct buf *canon, json_object *errors)
{
	int invalid = 0;
	char name[48];
	json_object *coupons = req_input(req, "coupons")->json;
	if (coupons && !json_object_is_type(coupons, json_type_array)) {
		json_object_object_add(errors, "coupons", json_object_new_string("wrong_type"));
		return 1;
	}
	buf_puts(canon, "\ncoupons:");
	for (size_t i = 0; coupons && i < json_object_array_length(coupons); i++) {
		struct field_list f = {0};
		struct input_value v[NCOUPON];
		snprintf(name, sizeof name, "coupons[%zu]", i);
		int bad = input_validate_json_object(coupon_inputs, NCOUPON, json_object_array_get_idx(coupons, i),
		                                     name, &f, v, errors);
		size_t k = 0;
		while (!bad && k < c->nitems && c->items[k].variant_id != v[0].i)
			k++;
		if (!bad && k == c->nitems) {
			snprintf(name, sizeof name, "coupons[%zu].variant_id", i);
			json_object_object_add(errors, name, json_object_new_string("not_in_order"));
			bad = 1;
		}
		if (!bad) {
			c->items[k].coupon_id = v[1].i;
			buf_printf(canon, "%lld,%lld;", v[0].i, v[1].i);
		}
		invalid += bad;
		field_list_free(&f);
	}
	return invalid;
}

/* shipping (or the profile's address) into c, and into canon; returns the number of field errors,
 * or -1 after a database failure (*st). */
static int read_shipping(struct request *req, struct checkout *c, struct buf *canon, json_object *errors,
                         enum status *st)
{
	json_object *shipping = req_input(req, "shipping")->json;
	buf_puts(canon, "\nshipping:");
	if (shipping) {
		struct field_list f = {0};
		struct input_value v[NSHIPPING];
		int bad = input_validate_json_object(shipping_inputs, NSHIPPING, shipping, "shipping", &f, v, errors);
		if (!bad) {
			char *out[] = {c->ship.recipient_name, c->ship.recipient_phone, c->ship.postal_code,
			               c->ship.address,        c->ship.address_detail,  c->ship.delivery_memo};
			size_t sizes[] = {sizeof c->ship.recipient_name, sizeof c->ship.recipient_phone,
			                  sizeof c->ship.postal_code,    sizeof c->ship.address,
			                  sizeof c->ship.address_detail, sizeof c->ship.delivery_memo};
			for (size_t i = 0; i < NSHIPPING; i++) {
				copy_text(out[i], sizes[i], v[i].present ? v[i].s : NULL);
				buf_printf(canon, "%s\x1f", out[i]);
			}
		}
		field_list_free(&f);
		return bad;
	}
	struct user u;
	*st = db_user_by_id(c->user_id, &u);
	if (*st != ST_OK)
		return -1;
	copy_text(c->ship.recipient_name, sizeof c->ship.recipient_name, u.name);
	copy_text(c->ship.recipient_phone, sizeof c->ship.recipient_phone, u.phone);
	copy_text(c->ship.postal_code, sizeof c->ship.postal_code, u.postal_code);
	copy_text(c->ship.address, sizeof c->ship.address, u.address);
	copy_text(c->ship.address_detail, sizeof c->ship.address_detail, u.address_detail);
	buf_puts(canon, "profile");
	if (!u.phone[0] || !u.postal_code[0] || !u.address[0]) {
		json_object_object_add(errors, "shipping", json_object_new_string("required"));
		return 1;
	}
	return 0;
}

/* Reads items[] (or the cart), coupons[] and shipping (or the profile's) into c, writing the
 * canonical form of what was asked into canon for the idempotency hash. Field errors go to errors
 * (every part is read, so that all of them are listed); returns the number found, or -1 after a
 * database failure (*st). */
static int read_order_body(struct request *req, struct response *res, struct checkout *c, struct buf *canon,
                           json_object *errors, enum status *st)
{
	int invalid = read_items(req, res, c, canon, errors, st);
	if (invalid < 0)
		return -1;
	invalid += read_coupons(req, c, canon, errors);
	int bad = read_shipping(req, c, canon, errors, st);
	if (bad < 0)
		return -1;
	invalid += bad;
	buf_printf(canon, "\nmileage:%lld\nmethod:%lld\nexpected:%lld", req_int(req, "mileage"),
	           req_int(req, "payment_method"), req_int(req, "expected_total"));
	return invalid;
}

/* POST /api/v1/orders (Idempotency-Key header; items or the cart, coupons, shipping or the
 * profile's address, mileage, payment_method, expected_total): 201 with the order and Location; the
 * same key and body again: the first order (201, Idempotent-Replayed: true); 400 without a key;
 * 409 IN_PROGRESS, OUT_OF_STOCK, NOT_AVAILABLE, COUPON_UNUSABLE, TOTAL_CHANGED; 422 for fields,
 * IDEMPOTENCY_KEY_REUSED (another body), coupons and mileage the rules refuse. */
enum status api_order_create(struct request *req, struct response *res)
{
	const char *key = idempotency_key(req);
	if (!key)
		return response_fail(res, ST_BAD_REQUEST, "IDEMPOTENCY_KEY_REQUIRED",
		                     "Send an Idempotency-Key header of 1 to 100 visible ASCII characters.");
	struct checkout *c = xcalloc(1, sizeof *c);
	struct buf canon = BUF_INIT;
	json_object *errors = json_object_new_object();
	enum status st = ST_OK;
	c->user_id = session_user_id(req);
	int invalid = read_order_body(req, res, c, &canon, errors, &st);
	if (invalid != 0) {
		free(c);
		buf_free(&canon);
		if (invalid < 0) {
			json_object_put(errors);
			return st;
		}
		json_object_put(res->errors);
		res->errors = errors;
		return ST_INVALID;
	}
	json_object_put(errors);
	c->key = key;
	crypto_sha256(canon.data, canon.len, c->request_hash);
	buf_free(&canon);
	c->mileage = req_int(req, "mileage");
	c->method = (enum payment_method)req_int(req, "payment_method");
	c->expected_total = req_int(req, "expected_total");
	c->mail_lang = req->lang;
	struct checkout_result r;
	st = checkout_place(c, &r);
	free(c);
	if (st != ST_OK) {
		if (!r.code)
			return st;
		const struct refusal *why = refusal_of(r.code);
		response_fail(res, st, r.code, why->detail);
		if (r.item >= 0 && why->detail)
			snprintf(res->problem_detail, sizeof res->problem_detail, "items[%d]: %s", r.item, why->detail);
		if (strcmp(r.code, "TOTAL_CHANGED") == 0)
			snprintf(res->problem_detail, sizeof res->problem_detail,
			         "The total is now %lld won: confirm it and send it as expected_total.", r.total);
		return st;
	}
	struct order o;
	st = checkout_result_order(&r, session_user_id(req), &o);
	if (st != ST_OK)
		return st;
	char location[64];
	snprintf(location, sizeof location, "/api/v1/orders/%lld", r.order_id);
	response_header(res, "Location", location);
	if (r.replayed)
		response_header(res, "Idempotent-Replayed", "true");
	res->personal = true;
	enum status done = response_view(res, 201, NULL, present_order(&o, req->lang));
	order_free(&o);
	return done;
}
