/* The cart (SPEC §4 /cart, §5 /api/v1/cart): a guest's under a cookie or a member's; add from the
 * product page, change the quantity or the size, choose a coupon per line, remove, clear. Prices,
 * stock and coupons are read afresh on every view (src/shop/cart.c prices them). The page forms
 * answer 303 back to /cart; the API answers the cart (or 204). */
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "auth/cart_owner.h"
#include "auth/session.h"
#include "db/carts.h"
#include "db/coupons.h"
#include "db/sessions.h"
#include "handlers/forms.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "present/cart.h"
#include "shop/cart.h"
#include "util/buf.h"

/* Usable coupons offered per line on the cart page. */
#define COUPON_CHOICES 50

/* The grade discount the caller's cart is priced with (a guest has none). */
static int grade_percent(const struct request *req)
{
	return session_user_id(req) ? req->session->grade_discount_percent : 0;
}

/* The cart, priced and presented (cart_id 0: an empty one); sizes for the size choice. */
static enum status cart_json(struct request *req, long long cart_id, json_object **out)
{
	struct cart c = {0};
	struct cart_size *sizes = NULL;
	size_t nsizes = 0;
	enum status st = ST_OK;
	if (cart_id)
		st = db_cart_read(cart_id, &c);
	if (st == ST_OK && cart_id)
		st = db_cart_sizes(cart_id, &sizes, &nsizes);
	if (st == ST_OK) {
		struct cart_quote *q = xmalloc(sizeof *q);
		cart_quote(c.lines, c.nlines, grade_percent(req), 0, 0, q);
		*out = present_cart(&c, q, sizes, nsizes, req->lang);
		free(q);
	}
	free(sizes);
	cart_free(&c);
	return st;
}

/* The caller's cart id, or 0 when they have none yet. */
static enum status own_cart(struct request *req, struct response *res, long long *cart_id)
{
	enum status st = cart_of_request(req, res, false, cart_id);
	return st == ST_NOT_FOUND ? ST_OK : st;
}

/* Each line's coupon choice for the page: the shopper's usable coupons, the line's own selected.
 * A coupon chosen for another line is offered too (choosing it moves it). */
static enum status add_coupon_choices(struct request *req, json_object *cart)
{
	struct coupon *coupons;
	size_t n;
	enum status st = db_coupons_of_user(session_user_id(req), 1, COUPON_CHOICES, &coupons, &n, NULL);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_object_get(cart, "items");
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *item = json_object_array_get_idx(items, i);
		json_object *chosen = json_object_object_get(json_object_object_get(item, "coupon"), "id");
		json_object *choices = json_object_new_array();
		for (size_t k = 0; k < n; k++) {
			if (!coupons[k].usable_now)
				continue;
			json_object *c = json_object_new_object();
			json_object_object_add(c, "id", json_object_new_int64(coupons[k].rule.id));
			json_object_object_add(c, "name", json_object_new_string(coupons[k].name));
			json_object_object_add(
			    c, "selected",
			    json_object_new_boolean(chosen && json_object_get_int64(chosen) == coupons[k].rule.id));
			json_object_array_add(choices, c);
		}
		json_object_object_add(item, "coupon_choices", choices);
	}
	free(coupons);
	return ST_OK;
}

/* The cart page (also drawn again after a refused change, with its message). */
enum status cart_form(struct request *req, struct response *res)
{
	long long cart_id;
	json_object *cart;
	enum status st = own_cart(req, res, &cart_id);
	if (st == ST_OK)
		st = cart_json(req, cart_id, &cart);
	if (st == ST_OK && session_user_id(req)) {
		st = add_coupon_choices(req, cart);
		if (st != ST_OK)
			json_object_put(cart);
	}
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	json_object_object_add(page, "cart", cart);
	json_object_object_add(page, "member", json_object_new_boolean(session_user_id(req) != 0));
	return response_view(res, 200, "pages/cart", page);
}

/* GET /cart: 200, with a notice after a change. */
enum status page_cart(struct request *req, struct response *res)
{
	static const char *const notices[] = {"added", "updated", "removed", "cleared", NULL};
	enum status st = cart_form(req, res);
	if (st == ST_OK && !res->done)
		form_notices(req, res->model, notices);
	return st;
}

/* GET /api/v1/cart: 200 with the cart. */
enum status api_cart_get(struct request *req, struct response *res)
{
	long long cart_id;
	json_object *cart;
	enum status st = own_cart(req, res, &cart_id);
	if (st == ST_OK)
		st = cart_json(req, cart_id, &cart);
	return st == ST_OK ? response_view(res, 200, NULL, cart) : st;
}

/* After a change: the page goes back to the cart with a notice; the API answers the cart (a new
 * one with Location: /api/v1/cart). */
static enum status answer_changed(struct request *req, struct response *res, long long cart_id, int status,
                                  const char *notice)
{
	if (!req->is_api) {
		struct buf url = BUF_INIT;
		buf_printf(&url, "/cart?%s=1", notice);
		enum status st = response_redirect(res, buf_str(&url));
		buf_free(&url);
		return st;
	}
	json_object *cart;
	enum status st = cart_json(req, cart_id, &cart);
	if (st == ST_OK && status == 201)
		response_header(res, "Location", "/api/v1/cart");
	return st == ST_OK ? response_view(res, status, NULL, cart) : st;
}

/* A refusal: the API answers code and detail (errors[field] = msg); a page form is drawn again
 * with message msg_key (the catalogue's text of msg) at the top. */
static enum status refuse(struct response *res, enum status st, const char *field, const char *msg, const char *msg_key,
                          const char *code, const char *detail)
{
	response_field_error(res, st, field, msg);
	res->form_message = msg_key;
	return response_fail(res, st, code, detail);
}

/* Sold out, or fewer left than asked for (the detail says how many). */
static enum status out_of_stock(struct response *res, long long stock)
{
	refuse(res, ST_CONFLICT, "quantity", "out_of_stock", "validation.out_of_stock", "OUT_OF_STOCK",
	       "This size is sold out.");
	if (stock > 0)
		snprintf(res->problem_detail, sizeof res->problem_detail, "Only %lld left in this size.", stock);
	return ST_CONFLICT;
}

/* The product of the add-to-cart route (the page's form names it in the path; the API does not). */
static long long product_of_route(const struct request *req)
{
	return req->is_api ? 0 : req->path_params[0];
}

/* POST /products/{id}/cart (the product page's form: 303 to /cart; the form again with a message
 * when the size is sold out or not on sale), POST /api/v1/cart/items (201 with the cart and
 * Location): 404 for a variant not on sale (or of another product), 409 OUT_OF_STOCK or CART_FULL. */
enum status cart_add_submit(struct request *req, struct response *res)
{
	long long cart_id;
	struct cart_add_result r;
	enum status st = cart_of_request(req, res, true, &cart_id);
	if (st != ST_OK)
		return st;
	st = db_cart_add(cart_id, product_of_route(req), req_int(req, "variant_id"), req_int(req, "quantity"), &r);
	if (st == ST_NOT_FOUND)
		return refuse(res, ST_NOT_FOUND, "variant_id", "not_available", "validation.not_available", "NOT_FOUND",
		              "This size is not on sale.");
	if (st == ST_CONFLICT && r.cart_full)
		return refuse(res, ST_CONFLICT, "variant_id", "cart_full", "validation.cart_full", "CART_FULL",
		              "The cart holds as many lines as it can.");
	if (st == ST_CONFLICT)
		return out_of_stock(res, r.stock);
	return st == ST_OK ? answer_changed(req, res, cart_id, 201, "added") : st;
}

/* Whether the shopper's coupon may go on the cart line once it holds quantity (0: as it is), by
 * rule 2: 404 for a coupon that is not theirs (a guest has none) or a line of another cart, 409
 * COUPON_UNUSABLE, 422 COUPON_BELOW_MINIMUM or COUPON_CATEGORY. Nothing is written. */
static enum status check_coupon(struct request *req, struct response *res, long long cart_id, long long line_id,
                                long long coupon_id, long long quantity)
{
	long long user = session_user_id(req);
	struct coupon c;
	enum status st = user ? db_coupon_read(user, coupon_id, false, &c) : ST_NOT_FOUND;
	if (st == ST_NOT_FOUND)
		return refuse(res, ST_NOT_FOUND, "coupon_id", "not_found", "validation.coupon_not_found", "NOT_FOUND",
		              "No such coupon of yours.");
	if (st != ST_OK)
		return st;
	if (!c.usable_now)
		return refuse(res, ST_CONFLICT, "coupon_id", "coupon_unusable", "validation.coupon_unusable",
		              "COUPON_UNUSABLE", "This coupon is used, expired or revoked.");
	struct cart cart;
	st = db_cart_read(cart_id, &cart);
	if (st != ST_OK)
		return st;
	enum money_error e = MONEY_OK;
	st = ST_NOT_FOUND;
	for (size_t i = 0; i < cart.nlines; i++) {
		const struct cart_line *l = &cart.lines[i];
		if (l->id == line_id) {
			e = money_coupon_check(&c.rule, l->unit_price * (quantity ? quantity : l->quantity),
			                       l->category_id);
			st = ST_OK;
		}
	}
	cart_free(&cart);
	if (st != ST_OK)
		return st;
	if (e == MONEY_COUPON_CATEGORY)
		return refuse(res, ST_INVALID, "coupon_id", "coupon_category", "validation.coupon_category",
		              "COUPON_CATEGORY", "This coupon is for another category.");
	if (e != MONEY_OK)
		return refuse(res, ST_INVALID, "coupon_id", "coupon_below_minimum", "validation.coupon_below_minimum",
		              "COUPON_BELOW_MINIMUM", "This line is below the coupon's minimum.");
	return ST_OK;
}

/* Puts the coupon checked by check_coupon on the line (0: takes it off). */
static enum status set_coupon(struct request *req, struct response *res, long long cart_id, long long line_id,
                              long long coupon_id)
{
	enum status st = db_cart_set_coupon(cart_id, line_id, session_user_id(req), coupon_id);
	if (st == ST_CONFLICT)
		return refuse(res, ST_CONFLICT, "coupon_id", "coupon_unusable", "validation.coupon_unusable",
		              "COUPON_UNUSABLE", "This coupon is used, expired or revoked.");
	return st;
}

/* POST /cart/items/{id} (quantity, size), PATCH /api/v1/cart/items/{id} (quantity, variant_id,
 * coupon_id): 303 / 200 with the cart; 404 for a line of another cart, or a size not on sale or of
 * another product, or a coupon not the shopper's; 409 OUT_OF_STOCK or COUPON_UNUSABLE; 422 for a
 * coupon that does not apply to the line. A coupon is checked first, so a refused call changes
 * nothing. Moving to a size the cart already holds adds this line's quantity to that line. */
enum status cart_update_submit(struct request *req, struct response *res)
{
	long long cart_id, line_id = req->path_params[0], now_line, stock;
	long long quantity = req_given(req, "quantity") ? req_int(req, "quantity") : 0;
	long long coupon = req_given(req, "coupon_id") ? req_int(req, "coupon_id") : -1;
	enum status st = cart_of_request(req, res, false, &cart_id);
	if (st == ST_OK && coupon > 0)
		st = check_coupon(req, res, cart_id, line_id, coupon, quantity);
	if (st != ST_OK)
		return st;
	if (quantity || req_given(req, "variant_id")) {
		st = db_cart_update(cart_id, line_id, req_int(req, "variant_id"), quantity, &now_line, &stock);
		if (st == ST_CONFLICT)
			return out_of_stock(res, stock);
		if (st != ST_OK)
			return st;
		line_id = now_line;
	}
	if (coupon >= 0) {
		st = set_coupon(req, res, cart_id, line_id, coupon);
		if (st != ST_OK)
			return st;
	}
	return answer_changed(req, res, cart_id, 200, "updated");
}

/* POST /cart/items/{id}/coupon (the page's per-line choice): 303 to /cart; see check_coupon. */
enum status cart_coupon_submit(struct request *req, struct response *res)
{
	long long cart_id, line_id = req->path_params[0], coupon = req_int(req, "coupon_id");
	enum status st = cart_of_request(req, res, false, &cart_id);
	if (st == ST_OK && coupon > 0)
		st = check_coupon(req, res, cart_id, line_id, coupon, 0);
	if (st == ST_OK)
		st = set_coupon(req, res, cart_id, line_id, coupon);
	return st == ST_OK ? answer_changed(req, res, cart_id, 200, "updated") : st;
}

/* POST /cart/items/{id}/delete, DELETE /api/v1/cart/items/{id}: 303 / 204; 404 for a line of
 * another cart. */
enum status cart_remove_submit(struct request *req, struct response *res)
{
	long long cart_id;
	enum status st = cart_of_request(req, res, false, &cart_id);
	if (st == ST_OK)
		st = db_cart_remove(cart_id, req->path_params[0]);
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : answer_changed(req, res, cart_id, 200, "removed");
}

/* POST /cart/clear, DELETE /api/v1/cart: 303 / 204 (an absent cart is already clear). */
enum status cart_clear_submit(struct request *req, struct response *res)
{
	long long cart_id;
	enum status st = cart_of_request(req, res, false, &cart_id);
	if (st == ST_OK)
		st = db_cart_clear(cart_id);
	if (st != ST_OK && st != ST_NOT_FOUND)
		return st;
	return req->is_api ? response_no_content(res) : answer_changed(req, res, cart_id, 200, "cleared");
}
