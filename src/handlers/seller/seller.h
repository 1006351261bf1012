/* The seller's side (SPEC §4 seller pages): sign-up with the brand's id and key, login, the
 * console's front page and the account (password, deletion), and their API twins. The console's
 * products, stock, orders and questions come with the seller console work. */
#ifndef LONUA_HANDLERS_SELLER_SELLER_H
#define LONUA_HANDLERS_SELLER_SELLER_H

#include "util/status.h"

struct json_object;
struct request;
struct response;

enum status page_seller_signup(struct request *req, struct response *res);
enum status seller_signup_submit(struct request *req, struct response *res);
enum status page_seller_login(struct request *req, struct response *res);
enum status seller_login_form(struct request *req, struct response *res);
enum status seller_login_submit(struct request *req, struct response *res);
enum status page_seller_home(struct request *req, struct response *res);
enum status page_seller_account(struct request *req, struct response *res);
enum status seller_account_form(struct request *req, struct response *res);
enum status seller_password_submit(struct request *req, struct response *res);
enum status page_seller_delete(struct request *req, struct response *res);
enum status seller_delete_submit(struct request *req, struct response *res);
enum status seller_me_get(struct request *req, struct response *res);

/* orders.c */
enum status api_seller_lines(struct request *req, struct response *res);
enum status api_seller_line(struct request *req, struct response *res);
enum status seller_line_prepare(struct request *req, struct response *res);
enum status seller_line_ship(struct request *req, struct response *res);
enum status seller_line_deliver(struct request *req, struct response *res);
enum status seller_return_approve(struct request *req, struct response *res);
enum status seller_return_reject(struct request *req, struct response *res);

/* questions.c */
enum status api_seller_questions(struct request *req, struct response *res);
enum status api_seller_answer(struct request *req, struct response *res);

/* products.c */
#define PRODUCT_IMAGE_MAX_BYTES (10u * 1024 * 1024) /* each image (nginx caps a request at 10 MiB) */
enum status page_seller_products(struct request *req, struct response *res);
enum status page_seller_product_new(struct request *req, struct response *res);
enum status page_seller_product(struct request *req, struct response *res);
enum status seller_product_form(struct request *req, struct response *res);
enum status seller_product_create(struct request *req, struct response *res);
enum status seller_product_update(struct request *req, struct response *res);
enum status seller_product_delete(struct request *req, struct response *res);
enum status seller_variant_create(struct request *req, struct response *res);
enum status seller_variant_update(struct request *req, struct response *res);
enum status seller_variant_delete(struct request *req, struct response *res);

/* common.c: the signed-in seller's brand (0 when none), and the model of a console page (personal:
 * one brand's rows). */
long long seller_brand(const struct request *req);
struct json_object *seller_page_model(struct response *res);

/* dashboard.c, stock.c, lines.c, questions.c, branches.c: the console's pages and their API */
enum status seller_dashboard_model(struct request *req, struct response *res);
enum status api_seller_dashboard(struct request *req, struct response *res);
enum status page_seller_stock(struct request *req, struct response *res);
enum status seller_stock_form(struct request *req, struct response *res);
enum status api_seller_variants(struct request *req, struct response *res);
enum status page_seller_variant(struct request *req, struct response *res);
enum status seller_variant_form(struct request *req, struct response *res);
enum status api_seller_variant_stock(struct request *req, struct response *res);
enum status seller_stock_adjust_submit(struct request *req, struct response *res);
enum status seller_stock_upload_submit(struct request *req, struct response *res);
enum status page_seller_orders(struct request *req, struct response *res);
enum status seller_orders_form(struct request *req, struct response *res);
enum status seller_page_prepare(struct request *req, struct response *res);
enum status seller_page_ship(struct request *req, struct response *res);
enum status seller_page_deliver(struct request *req, struct response *res);
enum status seller_page_return_approve(struct request *req, struct response *res);
enum status seller_page_return_reject(struct request *req, struct response *res);
enum status page_seller_orders_csv(struct request *req, struct response *res);
enum status page_seller_questions(struct request *req, struct response *res);
enum status seller_questions_form(struct request *req, struct response *res);
enum status seller_page_answer(struct request *req, struct response *res);
enum status page_seller_branches(struct request *req, struct response *res);
enum status seller_branches_form(struct request *req, struct response *res);
enum status page_seller_branch(struct request *req, struct response *res);
enum status seller_branch_form(struct request *req, struct response *res);
enum status seller_branch_create_submit(struct request *req, struct response *res);
enum status seller_branch_update_submit(struct request *req, struct response *res);
enum status seller_branch_delete_submit(struct request *req, struct response *res);
enum status api_seller_branches(struct request *req, struct response *res);
enum status api_seller_branch(struct request *req, struct response *res);

#endif
