/* Numbers as shoppers read them. Templates cannot format numbers, so handlers put the text
 * beside the number in the view model ("sale_price": 39000, "sale_price_text": "39,000원"). */
#ifndef LONUA_VIEW_FORMAT_H
#define LONUA_VIEW_FORMAT_H

#include <stddef.h>

struct buf;
struct json_object;

/* Appends n with thousands separators: -1234567 -> "-1,234,567". */
void format_grouped(struct buf *b, long long n);

/* Appends an amount of whole won: "39,000원" in Korean, "₩39,000" in English. */
void format_won(struct buf *b, long long won, const char *lang);

/* A phone number's digits as Koreans write it: 01012345678 -> 010-1234-5678, 0212345678 ->
 * 02-1234-5678, 0311234567 -> 031-123-4567; anything else as it is. */
void format_phone(const char *digits, char *out, size_t len);

/* format_grouped and format_won as new JSON strings. */
struct json_object *format_grouped_json(long long n);
struct json_object *format_won_json(long long won, const char *lang);

#endif
