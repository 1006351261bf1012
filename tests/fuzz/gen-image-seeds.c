/* Writes the image fuzzer's seed corpus (tests/fuzz/corpus/image/): small JPEG, PNG and WebP files
 * of the kinds uploads bring (baseline and progressive JPEG, grayscale and CMYK, EXIF orientation,
 * PNG of every colour type, depth, palette with tRNS, interlaced, WebP lossy and lossless with
 * alpha), each a few hundred bytes, made with the libraries' own encoders (the fixture helpers of
 * tests/unit/image-fixtures.h, shared with test-media.c). Not built by make; to regenerate, from a
 * configured build dir:
 *
 *   cc -I$SRC/src -D_GNU_SOURCE $SRC/tests/fuzz/gen-image-seeds.c liblonua.a \
 *      $(pkg-config --cflags --libs libjpeg libpng16 libwebp) -lm -o gen-image-seeds
 *   ./gen-image-seeds $SRC/tests/fuzz/corpus/image */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

#include "util/buf.h"

#include "../unit/image-fixtures.h"

/* ---- decoding -------------------------------------------------------------------------------- */

static const char *dir;

static void save(const char *name, const struct buf *b, size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static unsigned char *gray(unsigned w, unsigned h)
{
	unsigned char *px = xmalloc((size_t)w * h);
	for (unsigned i = 0; i < w * h; i++)
		px[i] = (unsigned char)(i * 7);
	return px;
}

static unsigned char *rgba(unsigned w, unsigned h)
{
	unsigned char *px = xmalloc((size_t)w * h * 4);
	for (unsigned i = 0; i < w * h; i++) {
		px[i * 4] = (unsigned char)(i * 5);
		px[i * 4 + 1] = (unsigned char)(i * 3);
		px[i * 4 + 2] = 200;
		px[i * 4 + 3] = (unsigned char)(i * 11);
	}
	return px;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-image-seeds DIR\n");
		return 2;
	}
	dir = argv[1];
	struct buf b = BUF_INIT;
	unsigned char *q = quadrants(8, 8), *ph = photo(16, 12), *g = gray(8, 8), *a = rgba(6, 6);
	unsigned char exif[128];

	make_rgb_jpeg(&b, q, 8, 8, 50);
	save("baseline.jpg", &b, b.len);
	save("truncated.jpg", &b, b.len / 2);
	struct jpeg_opts o = {.components = 3, .space = JCS_RGB, .quality = 40, .progressive = 1};
	make_jpeg(&b, ph, 16, 12, &o);
	save("progressive.jpg", &b, b.len);
	o = (struct jpeg_opts){.components = 1, .space = JCS_GRAYSCALE, .quality = 50};
	make_jpeg(&b, g, 8, 8, &o);
	save("gray.jpg", &b, b.len);
	unsigned char cmyk[8 * 8 * 4];
	for (size_t i = 0; i < sizeof cmyk; i++)
		cmyk[i] = (unsigned char)(i * 13);
	o = (struct jpeg_opts){.components = 4, .space = JCS_CMYK, .quality = 50};
	make_jpeg(&b, cmyk, 8, 8, &o);
	save("cmyk.jpg", &b, b.len);
	o = (struct jpeg_opts){.components = 3, .space = JCS_RGB, .quality = 50, .app1 = exif};
	o.app1_len = make_exif(exif, 6, 1);
	o.comment = "a comment";
	make_jpeg(&b, q, 8, 8, &o);
	save("exif-orientation6-gps.jpg", &b, b.len);
	o.app1_len = make_exif(exif, 8, 0);
	make_jpeg(&b, ph, 16, 12, &o);
	save("exif-orientation8.jpg", &b, b.len);

	unsigned char rgb_rows[6 * 6 * 3];
	for (size_t i = 0; i < sizeof rgb_rows; i++)
		rgb_rows[i] = (unsigned char)(i * 9);
	struct png_opts p = {.type = PNG_COLOR_TYPE_RGB, .depth = 8};
	make_png(&b, rgb_rows, 18, 6, 6, &p);
	save("rgb.png", &b, b.len);
	save("truncated.png", &b, b.len - 20);
	p.interlace = PNG_INTERLACE_ADAM7;
	p.text = "tEXt chunk";
	make_png(&b, rgb_rows, 18, 6, 6, &p);
	save("rgb-interlaced-text.png", &b, b.len);
	p = (struct png_opts){.type = PNG_COLOR_TYPE_RGBA, .depth = 8};
	make_png(&b, a, 24, 6, 6, &p);
	save("rgba.png", &b, b.len);
	p = (struct png_opts){.type = PNG_COLOR_TYPE_GRAY, .depth = 8};
	make_png(&b, g, 8, 8, 8, &p);
	save("gray.png", &b, b.len);
	unsigned char g16[4 * 4 * 2 * 2];
	for (size_t i = 0; i < sizeof g16; i++)
		g16[i] = (unsigned char)(i * 17);
	p = (struct png_opts){.type = PNG_COLOR_TYPE_GRAY_ALPHA, .depth = 16};
	make_png(&b, g16, 16, 4, 4, &p);
	save("gray-alpha16.png", &b, b.len);
	static const png_color pal[4] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {9, 9, 9}};
	static const unsigned char trans[2] = {0, 128};
	unsigned char idx[4 * 2] = {0x1B, 0xE4, 0x4E, 0xB1, 0x00, 0xFF, 0x55, 0xAA}; /* 2-bit indices */
	p = (struct png_opts){
	    .type = PNG_COLOR_TYPE_PALETTE, .depth = 2, .palette = pal, .npalette = 4, .trans = trans, .ntrans = 2};
	make_png(&b, idx, 2, 8, 4, &p);
	save("palette-trns.png", &b, b.len);
	make_png_bomb(&b, 100000, 100000);
	save("bomb.png", &b, b.len);

	make_webp(&b, ph, 16, 12, 0, 0);
	save("lossy.webp", &b, b.len);
	save("truncated.webp", &b, b.len * 2 / 3);
	make_webp(&b, a, 6, 6, 1, 0);
	save("lossy-alpha.webp", &b, b.len);
	make_webp(&b, q, 8, 8, 0, 1);
	save("lossless.webp", &b, b.len);
	make_webp(&b, a, 6, 6, 1, 1);
	save("lossless-alpha.webp", &b, b.len);

	buf_reset(&b);
	buf_append(&b, "GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);
	save("gif.gif", &b, b.len);
	free(q), free(ph), free(g), free(a);
	buf_free(&b);
	return 0;
}
