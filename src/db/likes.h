/* Likes (SPEC §3 Product "like count", §4 like button, /me/likes): a shopper's like of a product,
 * one per shopper and product (uq_likes_user_product), and the product's like_count moved with it
 * in the same transaction, so the count changes by exactly the likes made and taken back. */
#ifndef LONUA_DB_LIKES_H
#define LONUA_DB_LIKES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* The shopper likes (on) or no longer likes the product; liking again or unliking what was not
 * liked changes nothing. *like_count is the product's count afterwards. ST_NOT_FOUND when there is
 * no such product, or when liking one that is not shown (hidden, draft, or its brand inactive);
 * taking a like back works on any product. Likes of one product run one after another (its row
 * is locked). */
enum status db_like_set(long long user_id, long long product_id, bool on, long long *like_count);

/* The most products db_likes_among asks about in one statement: the largest page of a listing
 * (per_page 100). */
#define LIKES_AMONG_MAX 100

/* Which of ids[0..n) (n <= LIKES_AMONG_MAX) the shopper likes: liked[i] for ids[i]. One indexed
 * statement (uq_likes_user_product) with a fixed number of ids, whatever n is. */
enum status db_likes_among(long long user_id, const long long *ids, size_t n, bool *liked);

/* The likes this process keeps per shopper at most; one who likes more is asked per page
 * (db_likes_among). */
#define LIKES_KEPT_MAX 1000

/* Every product the shopper likes, as of version (their users.likes_version, which the session
 * read): *ids sorted ascending, *n of them, kept by this process until the version moves (then
 * read again, on the primary, in one statement through uq_likes_user_product). *ids is NULL when
 * they like more than LIKES_KEPT_MAX. The array stays valid until the next call. */
enum status db_likes_kept(long long user_id, unsigned long long version, const long long **ids, size_t *n);
/* Whether sorted ids[0..n) holds id. */
bool likes_kept_has(const long long *ids, size_t n, long long id);

#endif
