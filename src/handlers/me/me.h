/* The shopper's own pages (SPEC §4 /me…) and the API's /api/v1/me: the dashboard, the profile
 * (after re-entering the password), the password, withdrawal; orders, coupons, mileage and likes.
 * reviews. Later work adds questions here. */
#ifndef LONUA_HANDLERS_ME_ME_H
#define LONUA_HANDLERS_ME_ME_H

#include "util/status.h"

struct request;
struct response;

/* me.c */
enum status page_me(struct request *req, struct response *res);
enum status me_get(struct request *req, struct response *res);

/* profile.c */
enum status page_profile(struct request *req, struct response *res);
enum status profile_form(struct request *req, struct response *res);
enum status profile_reauth(struct request *req, struct response *res);
enum status profile_submit(struct request *req, struct response *res);
enum status password_submit(struct request *req, struct response *res);

/* orders.c */
enum status page_my_orders(struct request *req, struct response *res);
enum status api_orders_list(struct request *req, struct response *res);
enum status page_my_order(struct request *req, struct response *res);
enum status my_order_form(struct request *req, struct response *res);
enum status my_line_form(struct request *req, struct response *res);
enum status order_cancel_submit(struct request *req, struct response *res);
enum status line_confirm_submit(struct request *req, struct response *res);
enum status line_return_submit(struct request *req, struct response *res);

/* wallet.c */
enum status page_my_coupons(struct request *req, struct response *res);
enum status api_my_coupons(struct request *req, struct response *res);
enum status page_my_mileage(struct request *req, struct response *res);
enum status api_my_mileage(struct request *req, struct response *res);

/* likes.c */
enum status api_like(struct request *req, struct response *res);
enum status api_unlike(struct request *req, struct response *res);
enum status like_submit(struct request *req, struct response *res);
enum status page_my_likes(struct request *req, struct response *res);

/* reviews.c */
enum status page_review_new(struct request *req, struct response *res);
enum status review_create_submit(struct request *req, struct response *res);
enum status page_review_edit(struct request *req, struct response *res);
enum status review_update_submit(struct request *req, struct response *res);
enum status review_delete_submit(struct request *req, struct response *res);
enum status api_review_get(struct request *req, struct response *res);
enum status page_my_reviews(struct request *req, struct response *res);

/* questions.c */
enum status page_my_questions(struct request *req, struct response *res);
enum status my_questions_form(struct request *req, struct response *res);
enum status page_question_edit(struct request *req, struct response *res);
enum status question_update_submit(struct request *req, struct response *res);
enum status question_delete_submit(struct request *req, struct response *res);

/* withdraw.c */
enum status page_withdraw(struct request *req, struct response *res);
enum status withdraw_submit(struct request *req, struct response *res);

#endif
