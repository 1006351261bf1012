/* The shopper's catalogue pages (SPEC §4): HTML, or the view model as JSON on
 * Accept: application/json. 200, 404 (absent or not shown), 422 (an invalid filter), 503. */
#ifndef LONUA_HANDLERS_SHOP_SHOP_H
#define LONUA_HANDLERS_SHOP_SHOP_H

#include "util/status.h"

struct request;
struct response;
struct json_object;

enum status page_home(struct request *req, struct response *res);
enum status page_products(struct request *req, struct response *res);
enum status page_category(struct request *req, struct response *res);
enum status page_style(struct request *req, struct response *res);
enum status page_brand(struct request *req, struct response *res);
enum status page_brands(struct request *req, struct response *res);
enum status page_product(struct request *req, struct response *res);
/* for_me.c */
enum status page_for_me(struct request *req, struct response *res);
/* The signed-in account's upper and lower body types and style from its profile (0: not given). */
enum status for_me_profile(const struct request *req, long long picks[3]);
/* The recommendations for picks (upper, lower, style; 0: unknown), the first count of each, into
 * page: body_type {items, empty} ("popular with your body type", when both types are known) and
 * style {items, empty, more_url} ("your style", when known). Their cards are the page's. */
enum status for_me_lists(struct response *res, const long long picks[3], int count, const char *lang,
                         struct json_object *page);

/* fit.c */
enum status api_size_advice(struct request *req, struct response *res);
/* The size advice for the signed-in shopper on product_id (a SizeAdvice object in *out);
 * ST_NOT_FOUND when the product is not shown. */
enum status fit_advice(struct request *req, long long product_id, struct json_object **out);

/* cart.c */
enum status page_cart(struct request *req, struct response *res);
enum status cart_form(struct request *req, struct response *res);
enum status api_cart_get(struct request *req, struct response *res);
enum status cart_add_submit(struct request *req, struct response *res);
enum status cart_update_submit(struct request *req, struct response *res);
enum status cart_coupon_submit(struct request *req, struct response *res);
enum status cart_remove_submit(struct request *req, struct response *res);
enum status cart_clear_submit(struct request *req, struct response *res);

/* checkout.c */
enum status page_checkout(struct request *req, struct response *res);
enum status checkout_form(struct request *req, struct response *res);
enum status checkout_submit(struct request *req, struct response *res);
enum status page_order_complete(struct request *req, struct response *res);
enum status api_order_create(struct request *req, struct response *res);

/* payment.c */
enum status page_order_pay(struct request *req, struct response *res);
enum status order_pay_form(struct request *req, struct response *res);
enum status order_pay_submit(struct request *req, struct response *res);
enum status order_pay_return(struct request *req, struct response *res);
enum status api_payment_complete(struct request *req, struct response *res);
enum status api_portone_webhook(struct request *req, struct response *res);

#endif
