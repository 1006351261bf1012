/* Reviews as the API returns them and the pages show them (SPEC §4 product page, /me/reviews). */
#ifndef LONUA_PRESENT_REVIEW_H
#define LONUA_PRESENT_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "db/reviews.h"

struct json_object;

/* {id, product_id, order_line_id, rating, fit, fit_text, body, reviewer (masked: "김**"),
 * size_label, color, shared: {height_cm, weight_kg, upper_body_type, upper_body_type_text,
 * lower_body_type, lower_body_type_text} or null, photos: [{thumb, card, detail}], has_photos, created_at,
 * created_text, edited}; with mine also status ("published" or "hidden"), hidden and product {id, name, brand_name,
 * image}. */
struct json_object *present_review(const struct review *r, bool mine, const char *lang);
/* [present_review] of n reviews. */
struct json_object *present_reviews(const struct review *r, size_t n, bool mine, const char *lang);

/* The rating and fit summary: {count, average ("4.3") or null, stars: [{rating, count, percent}]
 * from 5 down, fit: {small, true, large: {count, percent}} and fit_counted}. count[1..5] and
 * fit[1..3] as db_review_summary gives them. */
struct json_object *present_review_summary(const long long count[6], const long long fit[4]);

#endif
