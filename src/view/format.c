#include "view/format.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "util/buf.h"

void format_grouped(struct buf *b, long long n)
{
	char digits[24];
	/* The magnitude as unsigned, so that LLONG_MIN has one too. */
	unsigned long long m = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	int len = snprintf(digits, sizeof digits, "%llu", m);
	if (n < 0)
		buf_putc(b, '-');
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_putc(b, ',');
		buf_putc(b, digits[i]);
	}
}

void format_won(struct buf *b, long long won, const char *lang)
{
	bool en = lang && strcmp(lang, "en") == 0;
	if (en)
		buf_puts(b, "\xE2\x82\xA9"); /* ₩ */
	format_grouped(b, won);
	if (!en)
		buf_puts(b, "\xEC\x9B\x90"); /* 원 */
}

static json_object *take_string(struct buf *b)
{
	json_object *s = json_object_new_string_len(buf_str(b), (int)b->len);
	buf_free(b);
	return s;
}

json_object *format_grouped_json(long long n)
{
	struct buf b = BUF_INIT;
	format_grouped(&b, n);
	return take_string(&b);
}

json_object *format_won_json(long long won, const char *lang)
{
	struct buf b = BUF_INIT;
	format_won(&b, won, lang);
	return take_string(&b);
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
