/* What the shop's pages print beside the data: won and counts with thousands separators, query
 * strings that carry the shopper's words safely, and page links (src/view/format.c,
 * src/http/url.c, src/view/pagination.c). */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "view/pagination.h"
#include "http/url.h"
#include "tap.h"
#include "util/buf.h"
#include "view/format.h"

static void check_grouped(long long n, const char *want)
{
	struct buf b = BUF_INIT;
	format_grouped(&b, n);
	tap_ok(strcmp(buf_str(&b), want) == 0, "grouped %lld -> \"%s\" (got \"%s\")", n, want, buf_str(&b));
	buf_free(&b);
}

static void check_won(long long n, const char *lang, const char *want)
{
	json_object *s = format_won_json(n, lang);
	tap_ok(strcmp(json_object_get_string(s), want) == 0, "won %lld in %s -> \"%s\" (got \"%s\")", n, lang, want,
	       json_object_get_string(s));
	json_object_put(s);
}

static void check_url(const char *base, const char *name, const char *value, const char *want)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, base);
	url_add_param(&b, name, value);
	tap_ok(strcmp(buf_str(&b), want) == 0, "%s + %s=%s -> %s (got %s)", base, name, value, want, buf_str(&b));
	buf_free(&b);
}

/* The page numbers of a pagination as text ("1 … 4 5 [6] 7 8 … 100"), and its prev/next. */
static void check_pages(int page, int last, const char *want_pages, const char *want_prev, const char *want_next)
{
	json_object *p = pagination_links("/products?q=%EB%B0%94", page, last);
	if (!want_pages) {
		tap_ok(p == NULL, "page %d of %d: no pagination", page, last);
		return;
	}
	struct buf s = BUF_INIT;
	json_object *pages = json_object_object_get(p, "pages");
	bool urls_ok = true;
	for (size_t i = 0; i < json_object_array_length(pages); i++) {
		json_object *e = json_object_array_get_idx(pages, i);
		if (i)
			buf_putc(&s, ' ');
		if (json_object_object_get(e, "gap")) {
			buf_puts(&s, "…");
			continue;
		}
		int n = json_object_get_int(json_object_object_get(e, "number"));
		bool current = json_object_get_boolean(json_object_object_get(e, "current"));
		buf_printf(&s, current ? "[%d]" : "%d", n);
		char want_url[64];
		if (n == 1)
			snprintf(want_url, sizeof want_url, "/products?q=%%EB%%B0%%94");
		else
			snprintf(want_url, sizeof want_url, "/products?q=%%EB%%B0%%94&page=%d", n);
		urls_ok = urls_ok && strcmp(json_object_get_string(json_object_object_get(e, "url")), want_url) == 0;
	}
	const char *prev = json_object_get_string(json_object_object_get(p, "prev_url"));
	const char *next = json_object_get_string(json_object_object_get(p, "next_url"));
	tap_ok(strcmp(buf_str(&s), want_pages) == 0, "page %d of %d shows \"%s\" (got \"%s\")", page, last, want_pages,
	       buf_str(&s));
	tap_ok(urls_ok, "page %d of %d: each link keeps the query and leaves page 1 out", page, last);
	tap_ok((!want_prev && !prev) || (want_prev && prev && strcmp(prev, want_prev) == 0), "page %d of %d: prev %s",
	       page, last, want_prev ? want_prev : "none");
	tap_ok((!want_next && !next) || (want_next && next && strcmp(next, want_next) == 0), "page %d of %d: next %s",
	       page, last, want_next ? want_next : "none");
	buf_free(&s);
	json_object_put(p);
}

int main(void)
{
	check_grouped(0, "0");
	check_grouped(999, "999");
	check_grouped(1000, "1,000");
	check_grouped(39000, "39,000");
	check_grouped(1234567, "1,234,567");
	check_grouped(-1234567, "-1,234,567");
	check_grouped(LLONG_MIN, "-9,223,372,036,854,775,808");
	check_won(39000, "ko", "39,000원");
	check_won(39000, "en", "₩39,000");
	check_won(0, "ko", "0원");
	check_won(100000000, "en", "₩100,000,000");

	check_url("/products", "q", "청바지", "/products?q=%EC%B2%AD%EB%B0%94%EC%A7%80");
	check_url("/products?q=a", "size", "M", "/products?q=a&size=M");
	check_url("/products", "q", "a&b=c d+e", "/products?q=a%26b%3Dc%20d%2Be");
	check_url("/products", "q", "<script>\"'#%", "/products?q=%3Cscript%3E%22%27%23%25");
	check_url("/products", "q", "-._~AZaz09", "/products?q=-._~AZaz09");
	struct buf b = BUF_INIT;
	buf_puts(&b, "/brands/3");
	url_add_int(&b, "min_price", 10000);
	url_add_int(&b, "page", 2);
	tap_ok(strcmp(buf_str(&b), "/brands/3?min_price=10000&page=2") == 0, "integers: %s", buf_str(&b));
	buf_free(&b);

	tap_ok(pagination_last_page(0, 24) == 1, "an empty list has one page");
	tap_ok(pagination_last_page(24, 24) == 1 && pagination_last_page(25, 24) == 2, "24 items: 1 page, 25: 2 pages");
	tap_ok(pagination_last_page(10000, 24) == 100, "10,000 items stop at page 100 (SPEC §5)");
	check_pages(1, 1, NULL, NULL, NULL);
	check_pages(1, 3, "[1] 2 3", NULL, "/products?q=%EB%B0%94&page=2");
	check_pages(2, 3, "1 [2] 3", "/products?q=%EB%B0%94", "/products?q=%EB%B0%94&page=3");
	check_pages(6, 100, "1 … 4 5 [6] 7 8 … 100", "/products?q=%EB%B0%94&page=5", "/products?q=%EB%B0%94&page=7");
	check_pages(100, 100, "1 … 98 99 [100]", "/products?q=%EB%B0%94&page=99", NULL);
	check_pages(4, 10, "1 2 3 [4] 5 6 … 10", "/products?q=%EB%B0%94&page=3", "/products?q=%EB%B0%94&page=5");
	return tap_done();
}
