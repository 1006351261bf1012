/* The shopper's catalogue pages (SPEC §4): HTML, or the view model as JSON on
 * Accept: application/json. 200, 404 (absent or not shown), 422 (an invalid filter), 503. */
#ifndef LONUA_HANDLERS_SHOP_SHOP_H
#define LONUA_HANDLERS_SHOP_SHOP_H

#include "present/question.h"
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
 * ST_NOT_FOUND when the product is not shown. product: its ProductDetail when the caller has it
 * (its sizes are not read again), or NULL. kept_lines: how many of the product's lines were kept
 * (struct catalog_product_page), when the caller read it, else -1: with none, no buyer like the
 * shopper kept a size, and that is not asked. */
enum status fit_advice(struct request *req, long long product_id, struct json_object *product, long long kept_lines,
                       struct json_object **out);

/* reviews.c */
enum status page_product_reviews(struct request *req, struct response *res);
/* Adds page.reviews (the rating and fit summary, which the product's statement read with the
 * product's community version, and the newest reviews) to the product page. */
struct catalog_product_page;
enum status reviews_attach(struct request *req, long long product_id, const struct catalog_product_page *extra,
                           struct json_object *page);

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

/* questions.c: the product page's Q&A section and the product's questions, page and API; what
 * me/questions.c and seller/questions.c share with them. */
struct question_page;
struct question_input;
enum status questions_attach(struct request *req, struct response *res, unsigned long long community_version,
                             struct json_object *page);
enum status page_product_questions(struct request *req, struct response *res);
enum status api_product_questions(struct request *req, struct response *res);
enum status api_question_get(struct request *req, struct response *res);
enum status question_submit(struct request *req, struct response *res);
/* Who the caller is to a question (the asker, a seller of a brand, an admin, or anyone). */
struct question_viewer questions_viewer(const struct request *req);
/* The page's questions as the viewer sees them (an array of Question). */
struct json_object *questions_present(const struct question_page *p, const struct question_viewer *v, const char *lang);
/* The type, title, content and secret inputs of a question form or body. */
void questions_read_input(const struct request *req, struct question_input *in);
/* The question form's state: {types[] {value, label, checked}, title, content, secret}. */
struct json_object *questions_form(const struct response *res, const char *lang);
/* Answers question id as the caller sees it with HTTP status http; ST_NOT_FOUND. */
enum status questions_answer_one(struct request *req, struct response *res, long long id, int http);

#endif
