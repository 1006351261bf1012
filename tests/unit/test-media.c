/* The media pipeline: decoding each format, limits (bombs), corrupt input, metadata stripping,
 * resizing, content-addressed storage and its all-or-nothing promise.
 *
 * Every fixture is made here with the libraries' own encoders (or by hand, byte by byte, for the
 * malformed ones), so nothing binary is committed and each case says what it contains. */
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

#include "media/image.h"
#include "media/media.h"
#include "media/resize.h"
#include "util/crypto.h"
#include "media/store.h"
#include "image-fixtures.h"
#include "tap.h"
#include "util/buf.h"

#define ERRLEN 256

static const struct image_limits default_limits = {MEDIA_DEFAULT_MAX_PIXELS, MEDIA_DEFAULT_MAX_SIDE};
static char media_dir[256];

/* ---- helpers: time, pixels, files ------------------------------------------------------------ */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const unsigned char *pixel(const struct image *img, unsigned x, unsigned y)
{
	return img->px + ((size_t)y * img->w + x) * img->channels;
}

/* Whether pixel (x, y) is within tol of r, g, b (and of a, unless a < 0). */
static int near(const struct image *img, unsigned x, unsigned y, int r, int g, int b, int a, int tol)
{
	const unsigned char *p = pixel(img, x, y);
	int want[4] = {r, g, b, a};
	for (unsigned c = 0; c < img->channels && c < 4; c++) {
		if (c == 3 && a < 0)
			continue;
		if (abs(p[c] - want[c]) > tol)
			return 0;
	}
	return 1;
}

static struct buf lines;
static size_t root_len;

static int list_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	if (strlen(path) > root_len)
		buf_printf(&lines, "%s %c %lld\n", path + root_len, type == FTW_D ? 'd' : 'f',
		           type == FTW_D ? 0LL : (long long)st->st_size);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists everything under dir (path, kind, size), sorted, into out: two equal listings mean
 * nothing was added, removed or changed in size. */
static void listing(const char *dir, struct buf *out)
{
	buf_reset(&lines);
	root_len = strlen(dir);
	nftw(dir, list_one, 16, FTW_PHYS);
	char *rows[256];
	size_t n = 0;
	for (char *p = lines.data, *nl; p && *p && n < 256; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		rows[n++] = p;
	}
	qsort(rows, n, sizeof *rows, cmp_str);
	buf_reset(out);
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s\n", rows[i]);
}

static int count_files(const char *dir)
{
	struct buf l = BUF_INIT;
	listing(dir, &l);
	int n = 0;
	for (const char *p = buf_str(&l); (p = strstr(p, " f ")); p++)
		n++;
	buf_free(&l);
	return n;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Empties the media folder between cases. */
static void reset_media_dir(void)
{
	remove_tree(media_dir);
	mkdir(media_dir, 0755);
}

/* Finds the markers of a JPEG file, in order, into m; returns how many, or -1 if malformed. */
static int jpeg_markers(const unsigned char *p, size_t n, unsigned char *m, int max)
{
	int k = 0;
	if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return -1;
	m[k++] = 0xD8;
	for (size_t i = 2; i + 1 < n;) {
		if (p[i] != 0xFF)
			return -1;
		unsigned char t = p[i + 1];
		if (t == 0xFF) {
			i++;
			continue;
		}
		if (k < max)
			m[k++] = t;
		if (t == 0xD9)
			return k;
		if (i + 4 > n)
			return -1;
		i += 2 + ((size_t)p[i + 2] << 8 | p[i + 3]);
		if (t == 0xDA) /* entropy-coded data runs to the next marker that is not a stuffed 00 or RSTn */
			while (i + 1 < n && !(p[i] == 0xFF && p[i + 1] != 0 && (p[i + 1] < 0xD0 || p[i + 1] > 0xD7)))
				i++;
	}
	return -1;
}

static int contains(const void *hay, size_t n, const void *needle, size_t m)
{
	return memmem(hay, n, needle, m) != NULL;
}

/* ---- decoding -------------------------------------------------------------------------------- */

static void test_sniff(void)
{
	const char *what;
	tap_ok(image_sniff("\xff\xd8\xff\xe0", 4, &what) == IMAGE_JPEG, "sniff: FF D8 FF is JPEG");
	tap_ok(image_sniff("\x89PNG\r\n\x1a\n", 8, &what) == IMAGE_PNG, "sniff: the PNG signature is PNG");
	tap_ok(image_sniff("RIFF\0\0\0\0WEBPVP8 ", 16, &what) == IMAGE_WEBP, "sniff: RIFF....WEBP is WebP");
	tap_ok(image_sniff("GIF89a", 6, &what) == IMAGE_NONE && what && strcmp(what, "GIF") == 0,
	       "sniff: GIF is recognised and named, not accepted");
	tap_ok(image_sniff("\0\0\0\030ftypheic", 12, &what) == IMAGE_NONE && what && strcmp(what, "HEIC") == 0,
	       "sniff: HEIC is recognised and named, not accepted");
	tap_ok(image_sniff("hello.jpg", 9, &what) == IMAGE_NONE && what == NULL, "sniff: text is nothing");
	tap_ok(image_sniff("\xff\xd8", 2, &what) == IMAGE_NONE, "sniff: two bytes of JPEG are not enough");
}

static void test_decode_jpeg(void)
{
	struct buf f = BUF_INIT;
	struct image img;
	char err[ERRLEN];
	unsigned char *px = quadrants(64, 48);
	make_rgb_jpeg(&f, px, 64, 48, 95);
	int rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 64 && img.h == 48 && img.channels == 3 && img.format == IMAGE_JPEG,
	       "JPEG decodes to 64x48 RGB (rc %d)", rc);
	tap_ok(rc == 0 && near(&img, 8, 8, 255, 0, 0, -1, 8) && near(&img, 56, 8, 0, 255, 0, -1, 8) &&
	           near(&img, 8, 40, 0, 0, 255, -1, 8) && near(&img, 56, 40, 255, 255, 255, -1, 8),
	       "JPEG quadrants come back red, green, blue, white");
	image_free(&img);

	/* The decoder may shrink by 1/2..1/8 but never below what was asked for. */
	unsigned char *big = photo(1000, 800);
	make_rgb_jpeg(&f, big, 1000, 800, 80);
	rc = image_decode(f.data, f.len, &default_limits, 200, 100, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 250 && img.h == 200 && img.src_w == 1000 && img.src_h == 800,
	       "a 1000x800 JPEG asked for at least 200x100 decodes at 1/4: %ux%u of %ux%u", img.w, img.h, img.src_w,
	       img.src_h);
	image_free(&img);
	rc = image_decode(f.data, f.len, &default_limits, 2000, 2000, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 1000 && img.h == 800, "asked for more than it has, it decodes at full size");
	image_free(&img);
	free(big);

	unsigned char grey[16 * 16];
	memset(grey, 128, sizeof grey);
	struct jpeg_opts go = {.components = 1, .space = JCS_GRAYSCALE, .quality = 95};
	make_jpeg(&f, grey, 16, 16, &go);
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.channels == 3 && near(&img, 8, 8, 128, 128, 128, -1, 2),
	       "a greyscale JPEG decodes to RGB grey");
	image_free(&img);

	/* Adobe CMYK, stored inverted as Photoshop does: full magenta and yellow ink is red. */
	unsigned char cmyk[16 * 16 * 4];
	for (int i = 0; i < 16 * 16; i++)
		memcpy(cmyk + 4 * i, "\xff\x00\x00\xff", 4);
	struct jpeg_opts co = {.components = 4, .space = JCS_CMYK, .quality = 95};
	make_jpeg(&f, cmyk, 16, 16, &co);
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.channels == 3 && near(&img, 8, 8, 255, 0, 0, -1, 8),
	       "an Adobe CMYK JPEG decodes to RGB (rc %d: %s)", rc, rc ? err : "ok");
	image_free(&img);
	free(px);
	buf_free(&f);
}

/* Each EXIF orientation shows the four quadrants (a b / c d) of the stored picture in its own
 * arrangement; the decoder must hand out the upright picture. */
static void test_orientation(void)
{
	static const char *expect[9] = {"", "abcd", "badc", "dcba", "cdab", "acbd", "cadb", "dbca", "bdac"};
	static const int colour[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
	unsigned char *px = quadrants(64, 32);
	unsigned char exif[128];
	struct buf f = BUF_INIT;
	char err[ERRLEN];
	for (int o = 1; o <= 8; o++) {
		struct jpeg_opts jo = {.components = 3, .space = JCS_RGB, .quality = 95, .app1 = exif};
		jo.app1_len = make_exif(exif, o, 0);
		make_jpeg(&f, px, 64, 32, &jo);
		struct image img;
		int rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
		unsigned w = o >= 5 ? 32 : 64, h = o >= 5 ? 64 : 32;
		int ok = rc == 0 && img.w == w && img.h == h && img.src_w == w && img.src_h == h;
		unsigned cx[4] = {4, w - 5, 4, w - 5}, cy[4] = {4, 4, h - 5, h - 5};
		for (int k = 0; ok && k < 4; k++) {
			const int *c = colour[expect[o][k] - 'a'];
			ok = near(&img, cx[k], cy[k], c[0], c[1], c[2], -1, 10);
		}
		tap_ok(ok, "EXIF orientation %d: %ux%u upright, corners %s", o, w, h, expect[o]);
		image_free(&img);
	}
	struct image img;
	struct jpeg_opts jo = {.components = 3, .space = JCS_RGB, .quality = 95, .app1 = exif};
	jo.app1_len = make_exif(exif, 6, 0);
	make_jpeg(&f, px, 64, 32, &jo);
	int rc = image_probe(f.data, f.len, &default_limits, &img, err, sizeof err);
	tap_ok(rc == 0 && img.src_w == 32 && img.src_h == 64 && img.px == NULL,
	       "the probe reports the upright size of a rotated JPEG without decoding it");
	free(px);
	buf_free(&f);
}

static void test_decode_png(void)
{
	struct buf f = BUF_INIT;
	struct image img;
	char err[ERRLEN];
	int rc;

	unsigned char rgba[4 * 4 * 4];
	for (int i = 0; i < 16; i++)
		memcpy(rgba + 4 * i, i < 8 ? "\xff\x00\x00\x80" : "\x00\x00\xff\xff", 4);
	make_png(&f, rgba, 16, 4, 4, &(struct png_opts){.type = PNG_COLOR_TYPE_RGBA, .depth = 8, .text = "secret"});
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 4 && img.h == 4 && img.channels == 4 && near(&img, 0, 0, 255, 0, 0, 128, 0) &&
	           near(&img, 3, 3, 0, 0, 255, 255, 0),
	       "RGBA PNG decodes to exact RGBA pixels, alpha kept");
	image_flatten(&img);
	tap_ok(img.channels == 3 && near(&img, 0, 0, 255, 127, 127, -1, 0) && near(&img, 3, 3, 0, 0, 255, -1, 0),
	       "flattening puts half-transparent red on white as (255,127,127)");
	image_free(&img);

	/* A 2-bit palette with one transparent entry: expanded to RGBA. */
	static const png_color pal[4] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 20, 30}};
	static const unsigned char trans[1] = {0};
	unsigned char idx[2] = {0x1b, 0xe4}; /* 4 pixels a row at 2 bits: 0 1 2 3 / 3 2 1 0 */
	make_png(&f, idx, 1, 4, 2,
	         &(struct png_opts){.type = PNG_COLOR_TYPE_PALETTE,
	                            .depth = 2,
	                            .palette = pal,
	                            .npalette = 4,
	                            .trans = trans,
	                            .ntrans = 1});
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 4 && img.h == 2 && img.channels == 4 && near(&img, 0, 0, 255, 0, 0, 0, 0) &&
	           near(&img, 1, 0, 0, 255, 0, 255, 0) && near(&img, 3, 0, 10, 20, 30, 255, 0) &&
	           near(&img, 0, 1, 10, 20, 30, 255, 0),
	       "2-bit palette PNG with tRNS decodes to RGBA (entry 0 transparent)");
	image_free(&img);
	make_png(&f, idx, 1, 4, 2,
	         &(struct png_opts){.type = PNG_COLOR_TYPE_PALETTE, .depth = 2, .palette = pal, .npalette = 4});
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.channels == 3 && near(&img, 2, 0, 0, 0, 255, -1, 0),
	       "palette PNG without transparency decodes to RGB");
	image_free(&img);

	/* 16 bits a sample, big-endian: 0xFFFF, 0x8080 and 0 scale to 255, 128, 0. */
	unsigned char deep[2 * 6] = {0xff, 0xff, 0x80, 0x80, 0x00, 0x00, 0x00, 0x00, 0x80, 0x80, 0xff, 0xff};
	make_png(&f, deep, 12, 2, 1, &(struct png_opts){.type = PNG_COLOR_TYPE_RGB, .depth = 16});
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 2 && img.channels == 3 && near(&img, 0, 0, 255, 128, 0, -1, 0) &&
	           near(&img, 1, 0, 0, 128, 255, -1, 0),
	       "16-bit PNG is scaled to 8 bits");
	image_free(&img);

	unsigned char bits[1] = {0xa0}; /* 1-bit grey: white black white black */
	make_png(&f, bits, 1, 4, 1, &(struct png_opts){.type = PNG_COLOR_TYPE_GRAY, .depth = 1});
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.channels == 3 && near(&img, 0, 0, 255, 255, 255, -1, 0) &&
	           near(&img, 1, 0, 0, 0, 0, -1, 0),
	       "1-bit greyscale PNG expands to RGB black and white");
	image_free(&img);

	unsigned char ga[4] = {200, 255, 50, 0};
	make_png(&f, ga, 4, 2, 1, &(struct png_opts){.type = PNG_COLOR_TYPE_GRAY_ALPHA, .depth = 8});
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.channels == 4 && near(&img, 0, 0, 200, 200, 200, 255, 0) &&
	           near(&img, 1, 0, 50, 50, 50, 0, 0),
	       "grey+alpha PNG decodes to RGBA");
	image_free(&img);

	unsigned char *q = quadrants(33, 17);
	make_png(&f, q, 33 * 3, 33, 17,
	         &(struct png_opts){.type = PNG_COLOR_TYPE_RGB, .depth = 8, .interlace = PNG_INTERLACE_ADAM7});
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 33 && img.h == 17 && memcmp(img.px, q, 33 * 17 * 3) == 0,
	       "interlaced (Adam7) PNG decodes to exactly the pixels encoded");
	image_free(&img);
	free(q);
	buf_free(&f);
}

static void test_decode_webp(void)
{
	struct buf f = BUF_INIT;
	struct image img;
	char err[ERRLEN];
	unsigned char rgba[8 * 6 * 4];
	for (int i = 0; i < 48; i++)
		memcpy(rgba + 4 * i, i % 8 < 4 ? "\x10\x80\xf0\x40" : "\xff\xff\x00\xff", 4);
	make_webp(&f, rgba, 8, 6, 1, 1);
	int rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 8 && img.h == 6 && img.channels == 4 && img.format == IMAGE_WEBP &&
	           near(&img, 0, 0, 0x10, 0x80, 0xf0, 0x40, 0) && near(&img, 7, 5, 255, 255, 0, 255, 0),
	       "lossless WebP with alpha decodes to exact RGBA (rc %d)", rc);
	image_free(&img);

	unsigned char *q = quadrants(64, 48);
	make_webp(&f, q, 64, 48, 0, 0);
	rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && img.w == 64 && img.h == 48 && img.channels == 3 && near(&img, 8, 8, 255, 0, 0, -1, 12) &&
	           near(&img, 56, 40, 255, 255, 255, -1, 12),
	       "lossy opaque WebP decodes to RGB with the right colours");
	image_free(&img);
	free(q);
	buf_free(&f);
}

/* A progressive greyscale JPEG whose scan script is legal but has 128 scans (DC and each of the
 * 63 AC coefficients in two successive-approximation passes). */
static void test_jpeg_scan_limit(void)
{
	jpeg_scan_info scans[128];
	int n = 0;
	scans[n++] = (jpeg_scan_info){1, {0}, 0, 0, 0, 1};
	for (int k = 1; k < 64; k++)
		scans[n++] = (jpeg_scan_info){1, {0}, k, k, 0, 1};
	scans[n++] = (jpeg_scan_info){1, {0}, 0, 0, 1, 0};
	for (int k = 1; k < 64; k++)
		scans[n++] = (jpeg_scan_info){1, {0}, k, k, 1, 0};
	unsigned char grey[64 * 64];
	for (int i = 0; i < 64 * 64; i++)
		grey[i] = (unsigned char)(i * 7);
	struct jpeg_opts o = {.components = 1, .space = JCS_GRAYSCALE, .quality = 90, .scans = scans, .nscans = n};
	struct buf f = BUF_INIT;
	make_jpeg(&f, grey, 64, 64, &o);
	struct image img;
	char err[ERRLEN];
	int rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 422 && strstr(err, "scans"), "a JPEG with %d scans is refused (rc %d: %s)", n, rc, err);
	buf_free(&f);
}

/* ---- limits and bad input -------------------------------------------------------------------- */

/* Ingests data expecting status want, and checks the media folder did not change. */
static void expect_refused(const char *what, const void *data, size_t len, const struct media_limits *lim, int want,
                           double max_ms)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct media_result r;
	char err[ERRLEN] = "";
	listing(media_dir, &before);
	double t0 = now_ms();
	int rc = media_ingest(media_dir, data, len, lim, &r, err, sizeof err);
	double ms = now_ms() - t0;
	listing(media_dir, &after);
	tap_ok(rc == want && strcmp(buf_str(&before), buf_str(&after)) == 0 && (max_ms <= 0 || ms < max_ms),
	       "%s: %d in %.2f ms, nothing stored (%s)", what, rc, ms, err);
	buf_free(&before);
	buf_free(&after);
}

static void test_bombs(void)
{
	struct buf f = BUF_INIT;
	struct image img;
	char err[ERRLEN];
	/* The folder already holds an upload, so "unchanged" means more than "still empty". */
	unsigned char *q = quadrants(20, 20);
	make_rgb_jpeg(&f, q, 20, 20, 80);
	struct media_result r;
	tap_ok(media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err) == 0, "an upload to start with");

	/* 50000 x 50000 x 3 bytes would be 7.5 GB: refused from the header in well under a
	 * millisecond; 100 ms leaves room for valgrind and sanitizers. */
	make_png_bomb(&f, 50000, 50000);
	double t0 = now_ms();
	int rc = image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err);
	double ms = now_ms() - t0;
	tap_ok(rc == 413 && img.px == NULL && ms < 100, "PNG claiming 50000x50000 in %zu bytes: 413 in %.3f ms (%s)",
	       f.len, ms, err);
	expect_refused("PNG bomb through media_ingest", f.data, f.len, NULL, 413, 100);
	make_png_bomb(&f, 9000, 10);
	expect_refused("PNG 9000 pixels wide (side over 8192)", f.data, f.len, NULL, 413, 100);

	/* A real 8x8 JPEG with its frame header rewritten to 60000 x 60000. */
	make_rgb_jpeg(&f, q, 8, 8, 80);
	unsigned char *p = (unsigned char *)f.data;
	for (size_t i = 2; i + 9 < f.len; i++) {
		if (p[i] == 0xFF && p[i + 1] == 0xC0) {
			p[i + 5] = p[i + 7] = 0xEA;
			p[i + 6] = p[i + 8] = 0x60;
			break;
		}
	}
	expect_refused("JPEG claiming 60000x60000", f.data, f.len, NULL, 413, 100);

	/* A lossless WebP whose VP8L header is rewritten to 16384 x 16384. */
	unsigned char rgba[8 * 8 * 4] = {0};
	make_webp(&f, rgba, 8, 8, 1, 1);
	p = (unsigned char *)f.data;
	if (f.len > 25 && memcmp(p + 12, "VP8L", 4) == 0 && p[20] == 0x2f) {
		uint32_t v = 0x3fff | 0x3fffu << 14 | (uint32_t)(p[24] & 0xf0) << 24;
		p[21] = (unsigned char)v, p[22] = (unsigned char)(v >> 8), p[23] = (unsigned char)(v >> 16),
		p[24] = (unsigned char)(v >> 24);
	}
	expect_refused("WebP claiming 16384x16384", f.data, f.len, NULL, 413, 100);

	/* Limits the caller sets are honoured. */
	unsigned char *ph = photo(100, 100);
	make_rgb_jpeg(&f, ph, 100, 100, 80);
	expect_refused("100x100 with max_pixels 5000", f.data, f.len, &(struct media_limits){.max_pixels = 5000}, 413,
	               0);
	expect_refused("a file over max_bytes", f.data, f.len, &(struct media_limits){.max_bytes = 100}, 413, 0);
	free(ph);
	free(q);
	buf_free(&f);
}

static void test_bad_input(void)
{
	struct buf f = BUF_INIT;
	unsigned char *ph = photo(64, 64);

	make_rgb_jpeg(&f, ph, 64, 64, 90);
	expect_refused("JPEG cut in half", f.data, f.len / 2, NULL, 422, 0);
	expect_refused("JPEG without its last two bytes (EOI)", f.data, f.len - 2, NULL, 422, 0);
	struct jpeg_opts po = {.components = 3, .space = JCS_RGB, .quality = 90, .progressive = 1};
	make_jpeg(&f, ph, 64, 64, &po);
	expect_refused("progressive JPEG cut after 60%", f.data, f.len * 6 / 10, NULL, 422, 0);
	expect_refused("JPEG magic then garbage", "\xff\xd8\xff\xe0 this is not a JPEG at all", 31, NULL, 422, 0);

	make_png(&f, ph, 64 * 3, 64, 64, &(struct png_opts){.type = PNG_COLOR_TYPE_RGB, .depth = 8});
	expect_refused("PNG cut in half", f.data, f.len / 2, NULL, 422, 0);
	expect_refused("PNG without IEND", f.data, f.len - 12, NULL, 422, 0);
	f.data[f.len / 2] ^= 0x55; /* inside IDAT: the CRC no longer matches */
	expect_refused("PNG with a flipped byte in its image data", f.data, f.len, NULL, 422, 0);
	expect_refused("PNG signature alone", "\x89PNG\r\n\x1a\n", 8, NULL, 422, 0);

	make_webp(&f, ph, 64, 64, 0, 0);
	expect_refused("WebP cut in half", f.data, f.len / 2, NULL, 422, 0);

	static const char text[] = "this is a text file named photo.jpg\n";
	expect_refused("text named .jpg", text, sizeof text - 1, NULL, 415, 0);
	expect_refused("zero bytes", "", 0, NULL, 415, 0);
	expect_refused("GIF", "GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14, NULL, 415, 0);
	expect_refused("SVG (script-capable, never accepted)", "<svg xmlns='http://www.w3.org/2000/svg'/>", 41, NULL,
	               415, 0);
	free(ph);
	buf_free(&f);
}

/* ---- resizing -------------------------------------------------------------------------------- */

static void test_resize_sizes(void)
{
	static const struct {
		unsigned w, h, tw, th, dw, dh;
		const char *what;
	} fit[] = {
	    {2000, 2500, 1080, 1350, 1080, 1350, "4:5 portrait fills the box"},
	    {3000, 2000, 1080, 1350, 1080, 720, "landscape: width limits"},
	    {1000, 3000, 1080, 1350, 450, 1350, "tall portrait: height limits"},
	    {100, 50, 1080, 1350, 100, 50, "small image is not enlarged"},
	    {1080, 1350, 1080, 1350, 1080, 1350, "exact size stays"},
	    {1600, 900, 1080, 1350, 1080, 608, "16:9 rounds to nearest (607.5 -> 608)"},
	    {8192, 1, 1080, 1350, 1080, 1, "a 1-pixel line keeps at least 1 pixel"},
	    {1, 8192, 160, 200, 1, 200, "a 1-pixel column keeps at least 1 pixel"},
	};
	for (size_t i = 0; i < sizeof fit / sizeof fit[0]; i++) {
		unsigned dw, dh;
		resize_fit_size(fit[i].w, fit[i].h, fit[i].tw, fit[i].th, &dw, &dh);
		tap_ok(dw == fit[i].dw && dh == fit[i].dh, "fit %ux%u in %ux%u -> %ux%u: %s (got %ux%u)", fit[i].w,
		       fit[i].h, fit[i].tw, fit[i].th, fit[i].dw, fit[i].dh, fit[i].what, dw, dh);
	}
	static const struct {
		unsigned w, h, tw, th, x, y, cw, ch;
		const char *what;
	} cover[] = {
	    {2000, 2500, 480, 600, 0, 0, 2000, 2500, "same aspect: all of it"},
	    {3000, 1000, 480, 600, 1100, 0, 800, 1000, "landscape: the middle 4:5"},
	    {1000, 3000, 480, 600, 0, 875, 1000, 1250, "tall: the middle 4:5"},
	    {100, 50, 480, 600, 30, 0, 40, 50, "small: the middle 4:5, to be enlarged"},
	};
	for (size_t i = 0; i < sizeof cover / sizeof cover[0]; i++) {
		unsigned x, y, cw, ch;
		resize_cover_rect(cover[i].w, cover[i].h, cover[i].tw, cover[i].th, &x, &y, &cw, &ch);
		tap_ok(x == cover[i].x && y == cover[i].y && cw == cover[i].cw && ch == cover[i].ch,
		       "cover %ux%u to %ux%u takes %ux%u at %u,%u: %s", cover[i].w, cover[i].h, cover[i].tw,
		       cover[i].th, cover[i].cw, cover[i].ch, cover[i].x, cover[i].y, cover[i].what);
	}

	unsigned char *q = quadrants(100, 50);
	struct image src = {.w = 100, .h = 50, .channels = 3, .px = q}, out;
	resize_cover(&src, 480, 600, &out);
	tap_ok(out.w == 480 && out.h == 600, "cover enlarges a 100x50 image to exactly 480x600");
	image_free(&out);
	resize_fit(&src, 1080, 1350, &out);
	tap_ok(out.w == 100 && out.h == 50 && memcmp(out.px, q, 100 * 50 * 3) == 0,
	       "fit leaves a 100x50 image its size and its exact pixels");
	image_free(&out);
	resize_fit(&src, 50, 50, &out);
	tap_ok(out.w == 50 && out.h == 25 && near(&out, 5, 5, 255, 0, 0, -1, 0) &&
	           near(&out, 45, 20, 255, 255, 255, -1, 0),
	       "fit halves 100x50 into 50x50 as 50x25 with clean quadrants");
	image_free(&out);
	free(q);
}

static void test_resize_quality(void)
{
	/* Flat colours survive every scale exactly (the linear-light tables round-trip). */
	unsigned char px[13 * 7 * 3];
	int exact = 1;
	for (int v = 0; v < 256 && exact; v++) {
		memset(px, v, sizeof px);
		struct image src = {.w = 13, .h = 7, .channels = 3, .px = px}, out;
		resize_region(&src, 0, 0, 13, 7, 5, 3, &out);
		for (size_t i = 0; i < 5 * 3 * 3; i++)
			exact &= out.px[i] == v;
		image_free(&out);
		resize_region(&src, 0, 0, 13, 7, 40, 21, &out);
		for (size_t i = 0; i < 40 * 21 * 3; i++)
			exact &= out.px[i] == v;
		image_free(&out);
	}
	tap_ok(exact, "every flat grey 0..255 stays exact when shrunk (13x7->5x3) and enlarged (->40x21)");

	/* Black and white averaged in linear light is sRGB 188, not the 128 naive averaging gives
	 * (which is why striped garments don't go dark in thumbnails). */
	unsigned char check[4 * 4 * 3];
	for (int i = 0; i < 16; i++)
		memset(check + 3 * i, ((i % 4) + (i / 4)) % 2 ? 255 : 0, 3);
	struct image src = {.w = 4, .h = 4, .channels = 3, .px = check}, out;
	resize_region(&src, 0, 0, 4, 4, 2, 2, &out);
	tap_ok(near(&out, 0, 0, 188, 188, 188, -1, 1) && near(&out, 1, 1, 188, 188, 188, -1, 1),
	       "a black/white checkerboard shrinks to linear-light grey 188 (got %d)", out.px[0]);
	image_free(&out);

	/* Area coverage: 3 -> 2 gives the middle pixel half to each side, so each output is one
	 * third white in linear light: sRGB 156. */
	unsigned char row[3 * 3] = {0, 0, 0, 255, 255, 255, 0, 0, 0};
	src = (struct image){.w = 3, .h = 1, .channels = 3, .px = row};
	resize_region(&src, 0, 0, 3, 1, 2, 1, &out);
	tap_ok(out.px[0] == out.px[3] && near(&out, 0, 0, 156, 156, 156, -1, 1),
	       "3->2 splits the middle pixel evenly (%d, %d)", out.px[0], out.px[3]);
	image_free(&out);

	/* Cover takes the centre: thirds red | green | blue cropped to a square are all green. */
	unsigned char thirds[30 * 10 * 3];
	for (int y = 0; y < 10; y++)
		for (int x = 0; x < 30; x++)
			memcpy(thirds + (y * 30 + x) * 3, x < 10 ? "\xff\0\0" : x < 20 ? "\0\xff\0" : "\0\0\xff", 3);
	src = (struct image){.w = 30, .h = 10, .channels = 3, .px = thirds};
	resize_cover(&src, 5, 5, &out);
	int green = 1;
	for (unsigned y = 0; y < 5; y++)
		for (unsigned x = 0; x < 5; x++)
			green &= near(&out, x, y, 0, 255, 0, -1, 0);
	tap_ok(green, "cover-cropping red|green|blue to a square keeps only the green middle");
	image_free(&out);
}

/* ---- ingest and storage ---------------------------------------------------------------------- */

/* Reads the stored file behind a /media/ URL into f; returns 0 or -1. */
static int read_stored(const char *url, struct buf *f)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", media_dir, url + strlen("/media/"));
	buf_reset(f);
	return buf_append_file(f, path);
}

/* Checks that every stored size decodes as a progressive JPEG of the promised size, holding no
 * APPn but the JFIF APP0 and no comment; returns 1 if all do. */
static int stored_clean(const struct media_result *r, const char *what)
{
	struct buf f = BUF_INIT;
	int all = 1;
	for (int i = 0; i < MEDIA_NSIZES; i++) {
		struct image img = {0};
		char err[ERRLEN];
		unsigned char m[64];
		int ok = read_stored(r->size[i].url, &f) == 0;
		int n = ok ? jpeg_markers((unsigned char *)f.data, f.len, m, 64) : -1;
		int sof2 = 0;
		ok = ok && n > 0;
		for (int k = 0; ok && k < n; k++) {
			if ((m[k] >= 0xE1 && m[k] <= 0xEF) || m[k] == 0xFE)
				ok = 0;
			sof2 |= m[k] == 0xC2;
		}
		ok = ok && sof2 && !contains(f.data, f.len, "Exif", 4);
		ok = ok && image_decode(f.data, f.len, &default_limits, 0, 0, &img, err, sizeof err) == 0 &&
		     img.w == r->size[i].w && img.h == r->size[i].h;
		tap_ok(ok, "%s: %s is a clean progressive %ux%u JPEG (%zu bytes, %d markers)", what,
		       media_sizes[i].name, r->size[i].w, r->size[i].h, f.len, n);
		all &= ok;
		image_free(&img);
	}
	buf_free(&f);
	return all;
}

static void test_ingest_strips_metadata(void)
{
	reset_media_dir();
	unsigned char *ph = photo(600, 800);
	unsigned char exif[160];
	size_t exif_len = make_exif(exif, 1, 1);
	struct jpeg_opts o = {.components = 3,
	                      .space = JCS_RGB,
	                      .quality = 90,
	                      .app1 = exif,
	                      .app1_len = exif_len,
	                      .comment = "shot at 37.5534N 126.9812E"};
	struct buf f = BUF_INIT;
	make_jpeg(&f, ph, 600, 800, &o);
	unsigned char m[64];
	int n = jpeg_markers((unsigned char *)f.data, f.len, m, 64);
	tap_ok(n > 0 && memchr(m, 0xE1, (size_t)n) && memchr(m, 0xFE, (size_t)n) &&
	           contains(f.data, f.len, exif + 74, 24),
	       "the upload carries an APP1 EXIF block with GPS latitude and a comment");

	struct media_result r;
	char err[ERRLEN];
	int rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	char hash[65];
	crypto_sha256_hex(f.data, f.len, hash);
	tap_ok(rc == 0 && strcmp(r.hash, hash) == 0 && strcmp(r.format, "jpeg") == 0 && r.width == 600 &&
	           r.height == 800 && !r.existed,
	       "a 600x800 JPEG is ingested under the SHA-256 of its bytes (rc %d %s)", rc, rc ? err : "");
	char url[128];
	snprintf(url, sizeof url, "/media/%.2s/%.2s/%s-card.jpg", hash, hash + 2, hash);
	tap_ok(strcmp(r.size[MEDIA_CARD].url, url) == 0, "the card URL is %s", r.size[MEDIA_CARD].url);
	tap_ok(r.size[MEDIA_THUMB].w == 160 && r.size[MEDIA_THUMB].h == 200 && r.size[MEDIA_CARD].w == 480 &&
	           r.size[MEDIA_CARD].h == 600 && r.size[MEDIA_DETAIL].w == 600 && r.size[MEDIA_DETAIL].h == 800,
	       "sizes: thumb 160x200, card 480x600, detail 600x800 (smaller than 1080x1350, so not enlarged)");
	stored_clean(&r, "EXIF+GPS JPEG");
	struct buf s = BUF_INIT;
	int leak = 0;
	for (int i = 0; i < MEDIA_NSIZES; i++)
		if (read_stored(r.size[i].url, &s) == 0)
			leak |= contains(s.data, s.len, exif + 74, 24) || contains(s.data, s.len, "37.5534N", 8);
	tap_ok(!leak, "neither the GPS latitude bytes nor the comment appear in any stored file");
	struct stat st;
	snprintf(url, sizeof url, "%s/%.2s/%.2s/%s-detail.jpg", media_dir, hash, hash + 2, hash);
	tap_ok(stat(url, &st) == 0 && (st.st_mode & 0777) == 0644, "stored files are 0644 (nginx may be another user)");

	/* A PNG with a text chunk and transparency: stored flattened on white, no text. */
	unsigned char rgba[40 * 30 * 4];
	for (int i = 0; i < 40 * 30; i++)
		memcpy(rgba + 4 * i, "\x00\x00\xff\x00", 4); /* fully transparent blue */
	make_png(&f, rgba, 160, 40, 30,
	         &(struct png_opts){.type = PNG_COLOR_TYPE_RGBA, .depth = 8, .text = "GPS 37.5"});
	rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	tap_ok(rc == 0 && strcmp(r.format, "png") == 0 && r.size[MEDIA_DETAIL].w == 40 &&
	           r.size[MEDIA_DETAIL].h == 30 && r.size[MEDIA_CARD].w == 480 && r.size[MEDIA_CARD].h == 600,
	       "a tiny 40x30 PNG: detail stays 40x30, card and thumb are enlarged to their exact size");
	stored_clean(&r, "transparent PNG");
	struct image img;
	read_stored(r.size[MEDIA_CARD].url, &s);
	rc = image_decode(s.data, s.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && near(&img, 240, 300, 255, 255, 255, -1, 2) && !contains(s.data, s.len, "GPS 37.5", 8),
	       "transparent pixels are stored white, the text chunk is gone");
	image_free(&img);

	/* WebP, landscape. */
	unsigned char *wide = photo(900, 500);
	make_webp(&f, wide, 900, 500, 0, 0);
	rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	tap_ok(rc == 0 && strcmp(r.format, "webp") == 0 && r.size[MEDIA_DETAIL].w == 900 &&
	           r.size[MEDIA_DETAIL].h == 500,
	       "a 900x500 WebP is ingested (detail 900x500)");
	stored_clean(&r, "landscape WebP");

	/* An EXIF-rotated phone photo is stored upright. */
	o = (struct jpeg_opts){.components = 3, .space = JCS_RGB, .quality = 90, .app1 = exif};
	o.app1_len = make_exif(exif, 6, 1);
	unsigned char *q = quadrants(1440, 1080);
	make_jpeg(&f, q, 1440, 1080, &o);
	rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	tap_ok(rc == 0 && r.width == 1080 && r.height == 1440 && r.size[MEDIA_DETAIL].w == 1013 &&
	           r.size[MEDIA_DETAIL].h == 1350,
	       "a 1440x1080 JPEG with orientation 6 is stored upright: 1080x1440, detail %ux%u", r.size[MEDIA_DETAIL].w,
	       r.size[MEDIA_DETAIL].h);
	read_stored(r.size[MEDIA_DETAIL].url, &s);
	rc = image_decode(s.data, s.len, &default_limits, 0, 0, &img, err, sizeof err);
	tap_ok(rc == 0 && near(&img, 20, 20, 0, 0, 255, -1, 12) && near(&img, 990, 20, 255, 0, 0, -1, 12),
	       "its top left is the stored bottom left (blue), its top right the stored top left (red)");
	image_free(&img);
	free(q);
	free(wide);
	free(ph);
	buf_free(&s);
	buf_free(&f);
}

static void test_ingest_dedup(void)
{
	reset_media_dir();
	unsigned char *ph = photo(300, 400);
	struct buf f = BUF_INIT, first = BUF_INIT, second = BUF_INIT;
	make_rgb_jpeg(&f, ph, 300, 400, 85);
	struct media_result a, b;
	char err[ERRLEN];
	int rc1 = media_ingest(media_dir, f.data, f.len, NULL, &a, err, sizeof err);
	listing(media_dir, &first);
	int rc2 = media_ingest(media_dir, f.data, f.len, NULL, &b, err, sizeof err);
	listing(media_dir, &second);
	tap_ok(rc1 == 0 && rc2 == 0 && strcmp(a.hash, b.hash) == 0 && !a.existed && b.existed,
	       "the same bytes twice: same hash, the second time nothing to do");
	tap_ok(strcmp(buf_str(&first), buf_str(&second)) == 0 && count_files(media_dir) == 3,
	       "no duplicate files: still exactly 3, unchanged");
	tap_ok(memcmp(&a.size, &b.size, sizeof a.size) == 0 && a.width == b.width && a.height == b.height,
	       "the repeated upload reports the same URLs and sizes");
	f.data[f.len - 3] ^= 1; /* one bit in the last entropy bytes: other bytes, another name */
	struct media_result c;
	int rc3 = media_ingest(media_dir, f.data, f.len, NULL, &c, err, sizeof err);
	tap_ok(rc3 == 0 && strcmp(c.hash, a.hash) != 0 && count_files(media_dir) == 6,
	       "different bytes get a different name (rc %d)", rc3);
	free(ph);
	buf_free(&f);
	buf_free(&first);
	buf_free(&second);
}

static void test_storage_failures(void)
{
	reset_media_dir();
	unsigned char *ph = photo(520, 650);
	struct buf f = BUF_INIT, before = BUF_INIT, after = BUF_INIT;
	make_rgb_jpeg(&f, ph, 520, 650, 85);
	struct media_result r;
	char err[ERRLEN];
	char hash[65], path[512];
	crypto_sha256_hex(f.data, f.len, hash);

	/* Files may not grow past 8 KB: the thumbnail fits, the card does not. Everything this call
	 * made (the thumbnail, both folders) must go again. */
	struct rlimit old, small = {8192, 8192};
	getrlimit(RLIMIT_FSIZE, &old);
	small.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	listing(media_dir, &before);
	setrlimit(RLIMIT_FSIZE, &small);
	int rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	setrlimit(RLIMIT_FSIZE, &old);
	listing(media_dir, &after);
	tap_ok(rc == 500 && strcmp(buf_str(&before), buf_str(&after)) == 0,
	       "a write failing half-way: 500, and the files and folders already made are removed (%s)", err);

	/* Something that is not a file sits where the detail goes: thumb and card are undone, the
	 * folders (which were there before) stay. */
	snprintf(path, sizeof path, "%s/%.2s", media_dir, hash);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%.2s/%.2s", media_dir, hash, hash + 2);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%.2s/%.2s/%s-detail.jpg", media_dir, hash, hash + 2, hash);
	mkdir(path, 0755);
	listing(media_dir, &before);
	rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	listing(media_dir, &after);
	tap_ok(rc == 500 && strcmp(buf_str(&before), buf_str(&after)) == 0,
	       "the last rename failing: 500, earlier sizes removed, folders kept (%s)", err);
	rmdir(path);
	rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	tap_ok(rc == 0 && count_files(media_dir) == 3, "once the obstacle is gone the same upload stores");

	char missing[300];
	snprintf(missing, sizeof missing, "%s/does-not-exist", media_dir);
	rc = media_ingest(missing, f.data, f.len, NULL, &r, err, sizeof err);
	struct stat st;
	tap_ok(rc == 500 && stat(missing, &st) != 0, "a missing media folder is 500 and is not created (%s)", err);

	struct store_item bad = {"../x", (const unsigned char *)"x", 1};
	tap_ok(store_write_all(media_dir, hash, &bad, 1, err, sizeof err) == -1,
	       "store refuses a size name that is not plain letters and digits");
	tap_ok(store_write_all(media_dir, "../../etc", &bad, 0, err, sizeof err) == -1,
	       "store refuses a hash that is not 64 hex digits");
	free(ph);
	buf_free(&f);
	buf_free(&before);
	buf_free(&after);
}

/* Ingests a w x h photo-like JPEG (or PNG) into an empty folder and reports the time. */
static void bench_one(unsigned w, unsigned h, int png)
{
	reset_media_dir();
	struct buf f = BUF_INIT;
	struct media_result r;
	char err[ERRLEN];
	unsigned char *ph = photo(w, h);
	if (png)
		make_png(&f, ph, (size_t)w * 3, w, h, &(struct png_opts){.type = PNG_COLOR_TYPE_RGB, .depth = 8});
	else
		make_rgb_jpeg(&f, ph, w, h, 90);
	free(ph);
	double t0 = now_ms();
	int rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	double ms = now_ms() - t0;
	tap_ok(rc == 0, "bench: a %ux%u %s (%zu KB) ingests", w, h, png ? "PNG" : "JPEG", f.len / 1024);
	tap_diag("ingest of a %ux%u %s: %.1f ms (detail %ux%u)", w, h, png ? "PNG" : "JPEG", ms, r.size[MEDIA_DETAIL].w,
	         r.size[MEDIA_DETAIL].h);
	t0 = now_ms();
	rc = media_ingest(media_dir, f.data, f.len, NULL, &r, err, sizeof err);
	tap_diag("the same upload again (already stored): %.2f ms", now_ms() - t0);
	buf_free(&f);
}

/* Timings are a benchmark, not a behaviour: they run when LONUA_MEDIA_BENCH is set (under
 * valgrind they would take most of a minute). */
static void test_timing(void)
{
	if (!getenv("LONUA_MEDIA_BENCH")) {
		tap_diag("timings skipped: set LONUA_MEDIA_BENCH=1 to run them");
		return;
	}
	bench_one(2000, 2500, 0);
	bench_one(4000, 5000, 0);
	bench_one(6000, 4000, 0);
	bench_one(2000, 2500, 1);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(media_dir, sizeof media_dir, "%s/lonua-media-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(media_dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_sniff();
	test_decode_jpeg();
	test_orientation();
	test_decode_png();
	test_decode_webp();
	test_jpeg_scan_limit();
	test_bombs();
	test_bad_input();
	test_resize_sizes();
	test_resize_quality();
	test_ingest_strips_metadata();
	test_ingest_dedup();
	test_storage_failures();
	test_timing();
	remove_tree(media_dir);
	buf_free(&lines);
	return tap_done();
}
