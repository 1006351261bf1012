/* The buffer: appends, formatting, HTML escaping; arrays grown by xgrow. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/buf.h"

int main(void)
{
	struct buf b = BUF_INIT;
	tap_ok(strcmp(buf_str(&b), "") == 0, "an empty buffer reads as the empty string");
	for (int i = 0; i < 1000; i++)
		buf_puts(&b, "가");
	tap_ok(b.len == 3000 && strlen(b.data) == 3000, "1000 appends of a 3-byte character make 3000 bytes");
	buf_reset(&b);
	buf_printf(&b, "%d-%s", 42, "x");
	tap_ok(strcmp(b.data, "42-x") == 0, "printf appends formatted text");
	buf_append(&b, "a\0b", 3);
	tap_ok(b.len == 7 && b.data[5] == '\0' && b.data[6] == 'b', "append is binary-safe");

	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain", "plain"},
	    {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
	    {"a & b", "a &amp; b"},
	    {"\"quoted\"", "&quot;quoted&quot;"},
	    {"it's", "it&#39;s"},
	    {"바지 & 청바지", "바지 &amp; 청바지"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		buf_put_html(&b, cases[i].in, strlen(cases[i].in));
		tap_ok(strcmp(buf_str(&b), cases[i].out) == 0, "html escape of \"%s\"", cases[i].in);
	}
	buf_free(&b);
	tap_ok(b.data == NULL && b.len == 0, "free empties the buffer");

	/* xgrow: room for one more at every length, the elements kept, few reallocations */
	long long *items = NULL;
	size_t short_of_room = 0, moves = 0, usable = 0;
	for (size_t n = 0; n < 1000; n++) {
		items = xgrow(items, n, sizeof *items);
		if (malloc_usable_size(items) < (n + 1) * sizeof *items)
			short_of_room++;
		moves += malloc_usable_size(items) != usable;
		usable = malloc_usable_size(items);
		items[n] = (long long)n * 7;
	}
	size_t wrong = 0;
	for (size_t n = 0; n < 1000; n++)
		wrong += items[n] != (long long)n * 7;
	free(items);
	tap_ok(short_of_room == 0 && wrong == 0, "xgrow: 1000 elements appended one by one, each with room, all kept");
	tap_ok(moves <= 8, "xgrow: %zu changes of size for 1000 elements (8 at most: 8, 16, ..., 1024)", moves);
	return tap_done();
}
