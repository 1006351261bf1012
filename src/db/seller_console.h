/* The seller console's own reads and writes (issue 10; docs/seller-console.md): the dashboard's
 * figures, the brand's variants with their stock, stock adjustments as deltas with their history
 * (schema/006 stock_movements, schema/014), and the brand's branches (schema/003). Every statement
 * names the brand, so another brand's rows are ST_NOT_FOUND; each reads by an index
 * (tests/db/test-seller-explain.c). */
#ifndef LONUA_DB_SELLER_CONSOLE_H
#define LONUA_DB_SELLER_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* ---- dashboard ---- */

#define DASHBOARD_DAYS      30
#define DASHBOARD_LOW_STOCK 3  /* a variant with this many or fewer is low */
#define DASHBOARD_LOW_MAX   20 /* the most low-stock variants listed */

struct stock_variant {
	long long id, product_id, stock;
	char product_name[601];
	char size_label[81];
	char color[201];
	char sku[257];
	char status[16]; /* the variant's: active, hidden */
};

struct seller_dashboard {
	long long orders_today;   /* orders placed today (KST) with a line of the brand */
	long long lines_to_ship;  /* paid lines ordered or preparing */
	long long open_questions; /* unanswered questions */
	long long low_stock_total;
	struct stock_variant low[DASHBOARD_LOW_MAX]; /* active variants with stock <= 3, fewest first */
	size_t nlow;
	/* sales of the last 30 days (KST), oldest first: day[29] is today */
	char day[DASHBOARD_DAYS][11]; /* YYYY-MM-DD */
	long long sales[DASHBOARD_DAYS], units[DASHBOARD_DAYS];
};

/* The figures of brand's dashboard at now (a UTC time_t). Sales of a day: what the brand's lines of
 * paid orders placed that day paid (line_total), cancelled and returned lines not counted. */
enum status db_seller_dashboard(long long brand_id, long long now, struct seller_dashboard *out);

/* ---- stock ---- */

/* A page of the brand's variants (products of any status), by product then position; q (may be
 * "") is a substring of the product name or the SKU. *total counts them. Free *out. */
enum status db_brand_variants(long long brand_id, const char *q, int page, int per_page, struct stock_variant **out,
                              size_t *n, long long *total);
/* One of the brand's variants; ST_NOT_FOUND for another brand's. */
enum status db_brand_variant(long long brand_id, long long variant_id, struct stock_variant *out);

#define STOCK_DELTA_MAX  100000 /* |delta| of one adjustment */
#define STOCK_REASON_MAX 200    /* characters (stock_movements.note) */

/* One adjustment: the variant by id (or, when 0, by the brand's sku), its delta, why. */
struct stock_adjustment {
	long long variant_id;
	const char *sku;
	long long delta;
	const char *reason;
	int line;          /* the CSV's line number (0 for a form) */
	long long stock;   /* out: the stock after */
	const char *error; /* out: "not_found", "below_zero" */
};

/* Applies the adjustments in one transaction, each as stock = stock + delta with a stock_movements
 * row (seller, their name, the reason); all or nothing. ST_OK, or ST_INVALID with every failing
 * adjustment's error set (nothing applied), or ST_RETRY/ST_ERROR/ST_UNAVAILABLE. */
enum status db_stock_adjust(long long brand_id, long long seller_id, const char *seller_name,
                            struct stock_adjustment *adj, size_t n);

struct stock_movement {
	long long id, delta, stock_after, order_line_id;
	char reason[20]; /* order, cancel, return, seller_adjustment */
	char note[801];
	char seller_name[201];
	char created_at[20];
};
/* A page of the history of one of the brand's variants, newest first. Free *out. */
enum status db_stock_history(long long brand_id, long long variant_id, int page, int per_page,
                             struct stock_movement **out, size_t *n, long long *total);

/* ---- branches ---- */

struct branch {
	long long id;
	char name[401];
	char postal_code[6];
	char address[1021];
	char phone[16];
	char created_at[20];
};

#define BRANCHES_MAX 200 /* a brand's branches are one page */

/* The brand's branches by name (at most BRANCHES_MAX). Free *out. */
enum status db_branches(long long brand_id, struct branch **out, size_t *n);
enum status db_branch_get(long long brand_id, long long id, struct branch *out);
/* Create (sets *id) or update one (id > 0): ST_CONFLICT (db_conflict_key: uq_branches_brand_name or
 * _address), ST_NOT_FOUND. postal_code and phone may be NULL or "". */
enum status db_branch_save(long long brand_id, long long *id, const char *name, const char *postal_code,
                           const char *address, const char *phone);
enum status db_branch_delete(long long brand_id, long long id);

#endif
