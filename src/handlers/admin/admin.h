/* The admin's side (SPEC §4 admin console, §5 /api/v1/admin/…). The money an admin records
 * (payments.c: bank transfers received, refunds sent) and the console (console.c). */
#ifndef LONUA_HANDLERS_ADMIN_ADMIN_H
#define LONUA_HANDLERS_ADMIN_ADMIN_H

#include <stdbool.h>

#include "util/status.h"

struct request;
struct response;

/* payments.c */
enum status api_admin_orders(struct request *req, struct response *res);
enum status api_admin_order(struct request *req, struct response *res);
enum status api_admin_order_payment(struct request *req, struct response *res);
enum status api_admin_refunds(struct request *req, struct response *res);
enum status api_admin_refund_record(struct request *req, struct response *res);

/* console.c */
enum status api_admin_dashboard(struct request *req, struct response *res);
enum status page_admin_reviews(struct request *req, struct response *res);
enum status api_admin_review_hide(struct request *req, struct response *res);
enum status api_admin_review_unhide(struct request *req, struct response *res);
enum status api_admin_sellers(struct request *req, struct response *res);
enum status api_admin_seller_suspend(struct request *req, struct response *res);
enum status api_admin_seller_reinstate(struct request *req, struct response *res);
enum status api_admin_brand_key(struct request *req, struct response *res);
enum status api_admin_coupon_issue(struct request *req, struct response *res);
/* The issue shared by the API and the page: to one shopper (user > 0; user_field names the input
 * that named them, for the 422) or to all (0). */
enum status admin_coupon_issue(struct request *req, struct response *res, long long user, const char *user_field);
enum status api_admin_coupon_revoke(struct request *req, struct response *res);
enum status api_admin_members(struct request *req, struct response *res);
enum status api_admin_member(struct request *req, struct response *res);
enum status api_admin_member_withdraw(struct request *req, struct response *res);
enum status api_admin_member_erase(struct request *req, struct response *res);
enum status api_admin_brand_create(struct request *req, struct response *res);
enum status api_admin_brand_edit(struct request *req, struct response *res);
enum status api_admin_brand_deactivate(struct request *req, struct response *res);
enum status api_admin_brand_reactivate(struct request *req, struct response *res);

/* The page links of a console list at path (filter=value kept when value; per_page when not the
 * default), or NULL for one page. */
struct json_object *admin_page_links(const char *path, const char *filter, const char *value, int page, int per_page,
                                     long long total);

/* brand_pages.c: the console's brand pages (the changes are console.c's API handlers) */
enum status page_admin_brands(struct request *req, struct response *res);
enum status page_admin_brand_new(struct request *req, struct response *res);
enum status page_admin_brand(struct request *req, struct response *res);
/* The page after a brand's creation (created) or key rotation: the key, shown this once. */
enum status page_admin_brand_key_shown(struct request *req, struct response *res, long long id, const char *key,
                                       bool created);

/* coupon_pages.c: the console's coupons page (issue and revoke are console.c's) */
enum status page_admin_coupons(struct request *req, struct response *res);
enum status page_admin_coupon_issue(struct request *req, struct response *res);

/* taxonomy.c: categories, styles and grades, listed and edited (API and pages) */
enum status api_admin_categories(struct request *req, struct response *res);
enum status api_admin_styles(struct request *req, struct response *res);
enum status page_admin_category(struct request *req, struct response *res);
enum status page_admin_style(struct request *req, struct response *res);
enum status api_admin_category_edit(struct request *req, struct response *res);
enum status api_admin_category_create(struct request *req, struct response *res);
enum status api_admin_style_create(struct request *req, struct response *res);
enum status api_admin_style_edit(struct request *req, struct response *res);
enum status api_admin_grades(struct request *req, struct response *res);
enum status page_admin_grade(struct request *req, struct response *res);
enum status api_admin_grade_edit(struct request *req, struct response *res);

#endif
