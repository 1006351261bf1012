/* What the admin console reads and changes (SPEC §4 admin console): the dashboard's counts, a
 * review hidden or shown again (the product's counters moved in the same transaction), a seller
 * suspended or reinstated, a brand's key rotated. Every statement reads by an index
 * (tests/db/test-orders-explain.c). */
#ifndef LONUA_DB_ADMIN_H
#define LONUA_DB_ADMIN_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* The dashboard: each one indexed count. */
struct admin_counts {
	long long members;            /* active shoppers (ix_users_role_status_created) */
	long long pending_members;    /* shoppers who have not confirmed the e-mail address */
	long long sellers;            /* active sellers (ix_sellers_brand_status) */
	long long suspended_sellers;  /* suspended sellers */
	long long brands;             /* active brands (ix_brands_status_name) */
	long long inactive_brands;    /* inactive brands */
	long long products;           /* active products (ix_products_status_created) */
	long long awaiting_transfers; /* bank transfers awaiting payment (ix_orders_method_state_created) */
	long long refunds_pending;    /* refunds pending (ix_refunds_state_created) */
	long long reviews_hidden;     /* hidden reviews (ix_reviews_status_created) */
};
enum status db_admin_counts(struct admin_counts *out);

/* A review as moderation sees it. */
struct moderated_review {
	long long id, product_id, user_id;
	bool hidden;
	char reason[501]; /* "" when shown */
};

/* Hides (hide: with reason and the admin) or shows again a review of any shopper: a published
 * review's rating and fit leave the product's review_count, rating_sum and fit_*_count in the same
 * transaction (and come back when shown again). *changed is false when the review was in that
 * state already (nothing changes; a hidden review keeps its first reason). ST_NOT_FOUND. */
enum status db_review_moderate(long long review_id, bool hide, const char *reason, long long admin_id, bool *changed,
                               struct moderated_review *out);

/* A seller's status: suspended (suspend) or active again; *changed false when it was so already.
 * ST_NOT_FOUND. A suspended seller is refused on every seller route (ACCOUNT_SUSPENDED). */
enum status db_seller_set_status(long long seller_id, bool suspend, long long *brand_id, bool *changed);

/* A new key for the brand: its SHA-256 replaces the old one (which no longer signs a seller up),
 * key_rotated_at now. ST_NOT_FOUND. */
enum status db_brand_set_key(long long brand_id, const unsigned char hash[32]);

/* A coupon an admin issues (SPEC §3 Coupon): percent (1-100) or amount (exactly one > 0), the
 * minimum line amount, a category (0: any), valid from the day valid_from (YYYYMMDD; 0: now) to the
 * end of the day valid_until (YYYYMMDD, UTC). */
struct coupon_issue {
	const char *name;
	long long percent, amount, min_line_amount, category_id;
	long long valid_from, valid_until;
};
/* Issues the coupon to one active shopper (user_id > 0) or to every active shopper (0), in one
 * statement; *issued: how many (0 when user_id is no active shopper). */
enum status db_coupon_issue(const struct coupon_issue *c, long long user_id, long long admin_id,
                            unsigned long long *issued);
/* True when the category exists. */
enum status db_category_exists(long long id, bool *exists);
/* Revokes an available coupon; *changed false when it was used, expired or revoked already (its
 * state in *state). ST_NOT_FOUND. */
enum status db_coupon_revoke(long long coupon_id, bool *changed, char state[16]);

/* A coupon as the console lists it. */
struct admin_coupon {
	long long id, user_id, percent, amount, min_line_amount, category_id;
	char name[101], email[255], state[16], valid_until[20], created_at[20];
};
/* A page of coupons newest first (the primary key): of one shopper (user_id > 0,
 * ix_coupons_user_state) or of all. *total capped at DB_LIST_TOTAL_CAP + 1. Free *out. */
enum status db_admin_coupons(long long user_id, int page, int per_page, struct admin_coupon **out, size_t *n,
                             long long *total);

/* A member (a shopper account) as the console lists it. */
struct member {
	long long id, grade_id, mileage_balance, orders, reviews;
	char email[255], name[51], status[16], created_at[20], withdrawn_at[20];
	bool erased;
};
/* A page of shoppers, newest first: q with an '@' an e-mail prefix (uq_users_email), other q a
 * name prefix (ix_users_name), no q every shopper (ix_users_role_status_created). *total is capped
 * at DB_LIST_TOTAL_CAP + 1. orders and reviews are 0 here. Free *out. */
enum status db_members(const char *q, int page, int per_page, struct member **out, size_t *n, long long *total);
/* One shopper with the numbers of their orders and reviews. ST_NOT_FOUND. */
enum status db_member(long long id, struct member *out);
/* Erases a withdrawn shopper's personal data that withdrawal kept (the name, the gender, the
 * preferred style and body types, the shared build on their reviews) and sets erased_at; the rows
 * their orders, reviews and questions point to stay. ST_NOT_FOUND when no such shopper;
 * ST_CONFLICT when not withdrawn; *changed false when erased already. */
enum status db_member_erase(long long id, bool *changed);

/* A brand as the console edits it. */
struct admin_brand {
	long long id, shipping_fee, free_shipping_threshold; /* -1: never free */
	long long return_shipping_cost;
	char name[101], status[16], return_courier[51], return_address[256];
	char introduction[5001];
	bool has_webhook;
};
/* What an edit changes: a field left NULL (texts) or -1 (numbers) stays as it is;
 * webhook_clear removes the webhook. */
struct brand_edit {
	long long shipping_fee, free_shipping_threshold, return_shipping_cost;
	const char *return_courier, *return_address, *introduction, *webhook_url;
	bool webhook_clear;
};
enum status db_admin_brand(long long id, struct admin_brand *out);
/* ST_NOT_FOUND when there is no such brand. */
enum status db_brand_edit(long long id, const struct brand_edit *e);
/* active or inactive; *changed false when it was so already. ST_NOT_FOUND. */
enum status db_brand_set_status(long long id, bool active, bool *changed);

/* A brand as the console lists it. */
struct admin_brand_row {
	long long id, shipping_fee;
	char name[101], status[16];
};
/* A page of all the brands, active and inactive, by name (uq_brands_name); *total capped at
 * DB_LIST_TOTAL_CAP + 1. Free *out. */
enum status db_admin_brands(int page, int per_page, struct admin_brand_row **out, size_t *n, long long *total);

/* The brand's logo (a media key, the SHA-256 of the file as media_ingest stored it). */
enum status db_brand_set_logo(long long id, const char *key);

/* A review as moderation lists it. */
struct admin_review {
	long long id, product_id, rating;
	bool hidden;
	char product_name[151], body[1001], reason[501], created_at[20];
};
/* A page of reviews in one state (hidden or published), newest first (ix_reviews_status_created);
 * *total capped at DB_LIST_TOTAL_CAP + 1. Free *out. */
enum status db_admin_reviews(bool hidden, int page, int per_page, struct admin_review **out, size_t *n,
                             long long *total);

/* A seller as the console lists them. */
struct admin_seller {
	long long id, brand_id;
	char brand_name[101], email[255], name[51], status[16], last_login_at[20];
};
/* A page of sellers, newest first: of one brand (brand_id > 0, ix_sellers_brand_status) or of all
 * (the primary key). *total capped at DB_LIST_TOTAL_CAP + 1. Free *out. */
enum status db_admin_sellers(long long brand_id, int page, int per_page, struct admin_seller **out, size_t *n,
                             long long *total);

#endif
