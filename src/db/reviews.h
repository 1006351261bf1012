/* Reviews (SPEC §3 Review, §6 "Reviews"): a buyer's review of one delivered or confirmed order line,
 * with a rating, text, fit feedback, up to REVIEW_MAX_PHOTOS photos and, when shared, the
 * reviewer's height, weight and body types as they were then. Each write moves the product's
 * review_count, rating_sum and fit counters in its own transaction, counting published reviews
 * only (an admin may hide one). */
#ifndef LONUA_DB_REVIEWS_H
#define LONUA_DB_REVIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

#define REVIEW_MAX_PHOTOS 5
#define REVIEW_MAX_BODY   2000 /* characters */
#define REVIEW_SIMILAR_CM 5    /* "people like me": the same body types, a height this close */

enum review_fit { REVIEW_FIT_SMALL = 1, REVIEW_FIT_TRUE, REVIEW_FIT_LARGE };
/* "small", "true", "large" (the API's and the column's words), NULL-terminated. */
extern const char *const review_fit_names[];

/* What a shopper writes (create and edit alike). */
struct review_input {
	int rating; /* 1..5 */
	enum review_fit fit;
	const char *body;
	bool share_profile; /* copy the profile's height, weight and body types onto the review */
	/* photos after the write: the kept ones (edit) then the new ones, in order */
	const char *photo_keys[REVIEW_MAX_PHOTOS];
	size_t nphotos;
};

struct review {
	long long id, order_line_id, product_id, user_id;
	int rating;
	enum review_fit fit;
	bool published;
	int height_cm, weight_kg, upper, lower; /* 0: not shared */
	char body[4 * REVIEW_MAX_BODY + 1];
	char reviewer[201]; /* the reviewer's name, to be masked by the presenter */
	char size_label[81], color[201];
	char product_name[601], brand_name[401], product_image[101];
	char created_at[20], updated_at[20];
	char photo_keys[REVIEW_MAX_PHOTOS][101];
	size_t nphotos;
};

/* A product's published reviews, newest first: all of them, or (like_me) those whose reviewer
 * shared the same body types and a height within REVIEW_SIMILAR_CM of height_cm. total (may be
 * NULL), like_me only: the bounded count of those like me (all of them: db_review_summary). */
struct review_filter {
	bool like_me;
	int upper, lower, height_cm;
};
enum status db_reviews_of_product(long long product_id, const struct review_filter *f, int page, int per_page,
                                  struct review **out, size_t *n, long long *total);
/* The product a reviews page is about, when the shop shows it (ST_NOT_FOUND otherwise). */
struct review_product {
	char name[601], brand_name[401], image_key[101];
};
enum status db_review_product(long long product_id, struct review_product *out);
/* How many published reviews gave each rating (count[1..5]) and each fit (fit[1..3]), in one
 * statement. */
enum status db_review_summary(long long product_id, long long count[6], long long fit[4]);
/* The same summary as columns of a statement over products p, so that a page that reads the
 * product anyway gets it without a statement of its own: the fit counters, then each rating's
 * count as a JSON array from one read of the product's published reviews in
 * ix_reviews_product_status_rating. db_review_summary_read reads them. */
#define SQL_REVIEW_SUMMARY_COLUMNS                                                                                     \
	"p.fit_small_count, p.fit_true_count, p.fit_large_count,"                                                      \
	" (SELECT JSON_ARRAY(COUNT(r.rating = 1 OR NULL), COUNT(r.rating = 2 OR NULL), COUNT(r.rating = 3 OR NULL),"   \
	" COUNT(r.rating = 4 OR NULL), COUNT(r.rating = 5 OR NULL))"                                                   \
	" FROM reviews r FORCE INDEX (ix_reviews_product_status_rating)"                                               \
	" WHERE r.product_id = p.id AND r.status = 'published')"
#define REVIEW_SUMMARY_NCOLUMNS 4
/* Reads the REVIEW_SUMMARY_NCOLUMNS columns at cols into count[1..5] and fit[1..3] (index 0 is
 * 0). False when the counts are not the array of five asked for. */
bool db_review_summary_read(const char *const *cols, long long count[6], long long fit[4]);
/* The shopper's reviews, newest first, published or hidden. */
enum status db_reviews_of_user(long long user_id, int page, int per_page, struct review **out, size_t *n,
                               long long *total);
/* One of the shopper's reviews: ST_NOT_FOUND when it is not theirs. */
enum status db_review_get(long long review_id, long long user_id, struct review *out);
/* The review of an order line of the shopper's (ST_NOT_FOUND when there is none or the line is
 * not theirs); *product_id, when not NULL, gets the line's product either way. */
enum status db_review_of_line(long long line_id, long long user_id, long long *review_id, long long *product_id);

/* Publishes the review of the shopper's line: ST_NOT_FOUND (not their line), ST_CONFLICT with
 * *why "NOT_DELIVERED" (the line is not delivered or confirmed) or "ALREADY_REVIEWED". */
enum status db_review_create(long long user_id, long long line_id, const struct review_input *in, long long *review_id,
                             const char **why);
/* Rewrites the shopper's review (rating, fit, text, sharing, photos): ST_NOT_FOUND. */
enum status db_review_update(long long user_id, long long review_id, const struct review_input *in);
/* Deletes it with its photos: ST_NOT_FOUND. */
enum status db_review_delete(long long user_id, long long review_id);

#endif
