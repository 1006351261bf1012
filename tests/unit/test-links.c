/* What the shop's pages print beside the data: won and counts with thousands separators, query
 * strings that carry the shopper's words safely, page links, the paths a login may return to, and
 * phone numbers (src/view/format.c, src/http/url.c, src/view/pagination.c). */
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

/* s with bytes below 0x21, DEL and bytes >= 0x80 as \xHH, for a test's name (one TAP line). */
static const char *shown(const char *s)
{
	static char out[600];
	size_t n = 0;
	for (const unsigned char *c = (const unsigned char *)s; *c && n + 5 < sizeof out; c++)
		n += (size_t)snprintf(out + n, sizeof out - n, *c < 0x21 || *c >= 0x7F ? "\\x%02x" : "%c", *c);
	out[n] = '\0';
	return out;
}

static const struct {
	const char *path;
	const char *want;
} path_cases[] = {
    {"/", "/"},
    {"/me", "/me"},
    {"/brands/3", "/brands/3"},
    {"/a/b/", "/a/b/"},
    {"/a//b", "/a//b"},
    {"/-._~AZaz09", "/-._~AZaz09"},
    {"/청바지", "/%EC%B2%AD%EB%B0%94%EC%A7%80"},
    {"/a b", "/a%20b"},
    {"/a?b=c&d", "/a%3Fb%3Dc%26d"},
    {"/a#top", "/a%23top"},
    {"/%41", "/%2541"},
    {"/\\evil.example", "/%5Cevil.example"},
    {"/\\\\evil.example", "/%5C%5Cevil.example"},
    {"/\t/evil.example", "/%09/evil.example"},
    {"/\r\nSet-Cookie: x=1", "/%0D%0ASet-Cookie%3A%20x%3D1"},
    {"/<script>\"'", "/%3Cscript%3E%22%27"},
    {"/a:b@c", "/a%3Ab%40c"},
    {"/\x7f", "/%7F"},
    {"//evil.example", "/"},
    {"//", "/"},
    {"evil", "/"},
    {"https://evil.example/", "/"},
    {"\\evil", "/"},
    {"", "/"},
    {"/\xff", "/"},
    {"/ok\xc0\xaf", "/"},
    {"/\xed\xa0\x80", "/"},
};

static void test_add_path(void)
{
	for (size_t i = 0; i < sizeof path_cases / sizeof path_cases[0]; i++) {
		struct buf b = BUF_INIT;
		url_add_path(&b, path_cases[i].path);
		tap_ok(strcmp(buf_str(&b), path_cases[i].want) == 0, "url_add_path \"%s\" -> %s (got %s)",
		       shown(path_cases[i].path), path_cases[i].want, buf_str(&b));
		buf_free(&b);
	}
	struct buf b = BUF_INIT;
	url_add_path(&b, NULL);
	tap_ok(strcmp(buf_str(&b), "/") == 0, "url_add_path NULL -> /");
	buf_reset(&b);
	buf_puts(&b, "/login?next=");
	url_add_path(&b, "/me");
	tap_ok(strcmp(buf_str(&b), "/login?next=/me") == 0, "url_add_path appends to what the buffer holds");

	/* Every byte after the first '/': kept when unreserved or '/', else %XX (upper-case hex). */
	int wrong = 0;
	for (int c = 1; c < 0x80; c++) {
		char path[4] = {'/', 'x', (char)c, '\0'};
		char want[8];
		bool keep =
		    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-._~/", c);
		if (keep)
			snprintf(want, sizeof want, "/x%c", c);
		else
			snprintf(want, sizeof want, "/x%%%02X", c);
		buf_reset(&b);
		url_add_path(&b, path);
		if (strcmp(buf_str(&b), want) != 0) {
			wrong++;
			tap_diag("byte 0x%02x: %s, want %s", c, buf_str(&b), want);
		}
	}
	tap_ok(wrong == 0, "url_add_path encodes every ASCII byte but the unreserved ones and '/'");
	/* Every byte of a multi-byte character is encoded. */
	buf_reset(&b);
	url_add_path(&b, "/\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80");
	tap_ok(strcmp(buf_str(&b), "/%C3%A9%E6%97%A5%F0%9F%98%80") == 0, "url_add_path encodes UTF-8 byte by byte (%s)",
	       buf_str(&b));
	buf_free(&b);
}

static const struct {
	const char *s;
	bool local;
} local_cases[] = {
    {"/", true},
    {"/me", true},
    {"/me/profile", true},
    {"/products?q=%EB", true},
    {"/products?q=a&page=2#top", true},
    {"/%5Cevil.example", true}, /* an encoded backslash is a path segment here, not a host */
    {"/%2F%2Fevil.example", true},
    {"/청바지", true},
    {"//evil.example", false},
    {"//", false},
    {"/\\evil.example", false},
    {"/a\\b", false},
    {"\\\\evil.example", false},
    {"/\t/evil.example", false},
    {"/a b", false},
    {"/a\x7f", false},
    {"/a\x01", false},
    {"/a\r\nSet-Cookie: x=1", false},
    {"/a\n", false},
    {"", false},
    {"me", false},
    {"https://x", false},
    {"http:/x", false},
    {"javascript:alert(1)", false},
    {" /me", false},
};

static void test_local_path(void)
{
	for (size_t i = 0; i < sizeof local_cases / sizeof local_cases[0]; i++)
		tap_ok(url_is_local_path(local_cases[i].s) == local_cases[i].local, "url_is_local_path \"%s\" is %s",
		       shown(local_cases[i].s), local_cases[i].local ? "true" : "false");
	tap_ok(!url_is_local_path(NULL), "url_is_local_path NULL is false");
	char path[502];
	memset(path, 'a', sizeof path);
	path[0] = '/';
	path[500] = '\0';
	tap_ok(url_is_local_path(path), "url_is_local_path: 500 bytes is fine");
	path[500] = 'a';
	path[501] = '\0';
	tap_ok(!url_is_local_path(path), "url_is_local_path: 501 bytes is too long");
	/* What url_add_path makes of any path is a local path (the login redirect relies on it). */
	int wrong = 0;
	for (size_t i = 0; i < sizeof path_cases / sizeof path_cases[0]; i++) {
		struct buf b = BUF_INIT;
		url_add_path(&b, path_cases[i].path);
		wrong += !url_is_local_path(buf_str(&b));
		buf_free(&b);
	}
	tap_ok(wrong == 0, "url_is_local_path accepts everything url_add_path writes");
}

static void test_phone(void)
{
	static const struct {
		const char *digits, *want;
	} cases[] = {
	    {"01012345678", "010-1234-5678"},
	    {"0101234567", "010-123-4567"},
	    {"0212345678", "02-1234-5678"},
	    {"021234567", "02-123-4567"},
	    {"0311234567", "031-123-4567"},
	    {"03112345678", "031-1234-5678"},
	    {"", ""},
	    {"0212345", "0212345"},
	    {"02123456", "02123456"},
	    {"031123456", "031123456"},
	    {"02123456789", "02123456789"},
	    {"010123456789", "010123456789"},
	    {"010-1234-5678", "010-1234-5678"},
	    {"010 1234 5678", "010 1234 5678"},
	    {"0101234567x", "0101234567x"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[32];
		format_phone(cases[i].digits, out, sizeof out);
		tap_ok(strcmp(out, cases[i].want) == 0, "format_phone \"%s\" -> \"%s\" (got \"%s\")", cases[i].digits,
		       cases[i].want, out);
	}
	char small[8];
	format_phone("01012345678", small, sizeof small);
	tap_ok(strcmp(small, "010-123") == 0, "format_phone truncates to the room it has (\"%s\")", small);
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

	test_add_path();
	test_local_path();
	test_phone();
	return tap_done();
}
