/* src/http/compress.c: which Accept-Encoding values take gzip, which media types are compressed,
 * and that a compressed body inflates back to the same bytes. */
#include <string.h>

#include <zlib.h>

#include "http/compress.h"
#include "tap.h"
#include "util/buf.h"

static void test_accepted(void)
{
	static const struct {
		const char *header;
		bool gzip;
	} cases[] = {
	    {"gzip", true},          {"gzip, deflate, br", true}, {"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
	    {"deflate, GZIP", true}, {" gzip ;q=0.5", true},      {"gzip;q=0", false},
	    {"gzip;q=0.000", false}, {"identity", false},         {"x-gzip", false},
	    {"gzipped", false},      {"br, deflate", false},      {"", false},
	    {NULL, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		tap_ok(compress_accepted(cases[i].header) == cases[i].gzip, "Accept-Encoding \"%s\": %s",
		       cases[i].header ? cases[i].header : "(none)", cases[i].gzip ? "gzip" : "as it is");
}

static void test_types(void)
{
	tap_ok(compress_type("text/html; charset=utf-8") && compress_type("application/json") &&
	           compress_type("application/problem+json") && compress_type("text/plain; charset=utf-8"),
	       "HTML, JSON, problem+JSON and text are compressed");
	tap_ok(!compress_type("image/jpeg") && !compress_type(NULL) && !compress_type("application/octet-stream"),
	       "pictures, bytes and answers without a type are not");
}

static void test_round_trip(void)
{
	struct buf page = BUF_INIT, out = BUF_INIT;
	for (int i = 0; i < 2000; i++)
		buf_printf(&page, "<li class=\"product-card\">상품 %d</li>\n", i);
	buf_puts(&out, "prefix");
	int rc = compress_gzip(page.data, page.len, &out);
	unsigned char back[200000];
	z_stream z = {0};
	inflateInit2(&z, 15 + 16);
	z.next_in = (Bytef *)out.data + 6;
	z.avail_in = (uInt)(out.len - 6);
	z.next_out = back;
	z.avail_out = sizeof back;
	int zr = inflate(&z, Z_FINISH);
	size_t n = sizeof back - z.avail_out;
	inflateEnd(&z);
	tap_ok(rc == 0 && memcmp(out.data, "prefix", 6) == 0 && (unsigned char)out.data[6] == 0x1f &&
	           (unsigned char)out.data[7] == 0x8b,
	       "a gzip stream (1f 8b) is appended after what the buffer held");
	tap_ok(zr == Z_STREAM_END && n == page.len && memcmp(back, page.data, n) == 0,
	       "it inflates back to the same %zu bytes", page.len);
	tap_ok(out.len - 6 < page.len / 4, "and is smaller: %zu bytes for %zu", out.len - 6, page.len);
	buf_free(&page);
	buf_free(&out);
}

int main(void)
{
	test_accepted();
	test_types();
	test_round_trip();
	return tap_done();
}
