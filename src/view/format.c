#include "view/format.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "util/buf.h"

/* Writes n with thousands separators backwards from end (at least 28 bytes before it); returns
 * where it starts. By hand: every card shows two prices, and snprintf was a tenth of a listing. */
static char *grouped_backwards(char *end, long long n)
{
	/* The magnitude as unsigned, so that LLONG_MIN has one too. */
	unsigned long long m = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	char *p = end;
	int digits = 0;
	do {
		if (digits > 0 && digits % 3 == 0)
			*--p = ',';
		*--p = (char)('0' + m % 10);
		digits++;
	} while (m /= 10);
	if (n < 0)
		*--p = '-';
	return p;
}

void format_grouped(struct buf *b, long long n)
{
	char tmp[32];
	char *start = grouped_backwards(tmp + sizeof tmp, n);
	buf_append(b, start, (size_t)(tmp + sizeof tmp - start));
}

/* The amount with its currency sign into tmp (40 bytes); returns its length. */
static size_t won_text(char tmp[40], long long won, const char *lang)
{
	bool en = lang && strcmp(lang, "en") == 0;
	char digits[32];
	char *start = grouped_backwards(digits + sizeof digits, won);
	size_t len = (size_t)(digits + sizeof digits - start), n = 0;
	if (en) {
		memcpy(tmp, "\xE2\x82\xA9", 3); /* ₩ */
		n = 3;
	}
	memcpy(tmp + n, start, len);
	n += len;
	if (!en) {
		memcpy(tmp + n, "\xEC\x9B\x90", 3); /* 원 */
		n += 3;
	}
	return n;
}

void format_won(struct buf *b, long long won, const char *lang)
{
	char tmp[40];
	buf_append(b, tmp, won_text(tmp, won, lang));
}

json_object *format_grouped_json(long long n)
{
	char tmp[32];
	char *start = grouped_backwards(tmp + sizeof tmp, n);
	return json_object_new_string_len(start, (int)(tmp + sizeof tmp - start));
}

json_object *format_won_json(long long won, const char *lang)
{
	char tmp[40];
	return json_object_new_string_len(tmp, (int)won_text(tmp, won, lang));
}

void format_phone(const char *d, char *out, size_t len)
{
	size_t n = strlen(d);
	/* The area code: 02 (Seoul), else three digits (010, 031, …). */
	size_t area = strncmp(d, "02", 2) == 0 ? 2 : 3;
	/* The exchange in the middle has 3 or 4 digits; other lengths (031123456 would be
	 * "031-12-3456", 02123456789 "02-12345-6789") are no Korean number: shown as they are. */
	size_t middle = n > area + 4 ? n - area - 4 : 0;
	if (middle < 3 || middle > 4 || strspn(d, "0123456789") != n) {
		snprintf(out, len, "%s", d);
		return;
	}
	snprintf(out, len, "%.*s-%.*s-%s", (int)area, d, (int)middle, d + area, d + area + middle);
}
