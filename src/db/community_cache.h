/* Each process's memory of what the product page shows of a product's reviews and questions (the
 * newest few of each, and the questions' total), kept with the product's community version it was
 * read at (schema/020_product_community_versions.sql). Every write to what they show moves that
 * version, so a kept list is used only while it is exactly what its statements would read.
 * The version comes from catalog_get_product_page (either of its statements), read before the
 * lists: a list read after a write is kept under the older version and read again next time,
 * never the other way round. */
#ifndef LONUA_DB_COMMUNITY_CACHE_H
#define LONUA_DB_COMMUNITY_CACHE_H
#include "db/questions.h"
#include "db/reviews.h"
#include "util/status.h"

/* The newest `count` published reviews of product_id: *out (the caller frees it), *n of them. */
enum status community_reviews(long long product_id, unsigned long long version, int count, struct review **out,
                              size_t *n);

/* The newest `count` questions of product_id (of brand_id) and their total (question_page_free). */
enum status community_questions(long long product_id, long long brand_id, unsigned long long version, int count,
                                struct question_page *out);

#endif
