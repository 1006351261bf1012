/* Small pieces every presenter uses: nullable values, times as RFC 3339, and amounts of won with
 * their display text beside them ("total": 42000, "total_text": "42,000원"). */
#ifndef LONUA_PRESENT_COMMON_H
#define LONUA_PRESENT_COMMON_H

#include <stddef.h>

struct json_object;

/* A text, or null when empty. */
struct json_object *present_text_or_null(const char *s);
/* A number, or null when 0 (unknown). */
struct json_object *present_int_or_null(long long v);
/* "2026-12-06 02:10:39" (UTC) as RFC 3339 "2026-12-06T02:10:39Z", or null when not a time. */
struct json_object *present_timestamp(const char *s);
/* "2026-12-06 02:10:39" (UTC) as people in Korea read it: "2026-12-06 11:10" (KST, UTC+9 all year), or
 * null when not a time. */
struct json_object *present_kst_text(const char *s);
/* The list shape of SPEC §5 (takes items): {items, page, per_page, total, total_is_lower_bound}. */
struct json_object *present_list(struct json_object *items, int page, int per_page, long long total);
/* Adds key: won and key_text: the amount as shoppers read it in lang. */
void present_won(struct json_object *o, const char *key, long long won, const char *lang);
/* A person's name as others see it: the first character, then one '*' for each other character
 * ("김민수" → "김**"); a one-character name is one '*', an empty one "***". */
void present_masked_name(const char *name, char *out, size_t size);
/* Adds key: code and key_text: the catalogue's "<group>.<code>" in lang ("state": "shipped",
 * "state_text": "배송 중" for group "order.line"). */
void present_coded(struct json_object *o, const char *key, const char *group, const char *code, const char *lang);

#endif
