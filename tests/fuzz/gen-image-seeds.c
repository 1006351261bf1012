/* Writes the image fuzzer's seed corpus (tests/fuzz/corpus/image/): small JPEG, PNG and WebP files
 * of the kinds uploads bring (baseline and progressive JPEG, grayscale and CMYK, EXIF orientation,
 * PNG of every colour type, depth, palette with tRNS, interlaced, WebP lossy and lossless with
 * alpha), each a few hundred bytes, made with the libraries' own encoders (the fixture helpers are
 * those of tests/unit/test-media.c). Not built by make; to regenerate, from a configured build dir:
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

struct jpeg_opts {
	int components; /* 1, 3 or 4 */
	J_COLOR_SPACE space;
	int quality;
	int progressive;
	const unsigned char *app1; /* payload of an APP1 marker, or NULL */
	size_t app1_len;
	const char *comment; /* a COM marker, or NULL */
	const jpeg_scan_info *scans;
	int nscans;
};

/* Encodes px (w x h x o->components) as a JPEG file into out. */
static void make_jpeg(struct buf *out, unsigned char *px, unsigned w, unsigned h, const struct jpeg_opts *o)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *mem = NULL;
	unsigned long len = 0;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &len);
	c.image_width = w;
	c.image_height = h;
	c.input_components = o->components;
	c.in_color_space = o->space;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, o->quality, TRUE);
	if (o->progressive)
		jpeg_simple_progression(&c);
	if (o->scans) {
		c.scan_info = o->scans;
		c.num_scans = o->nscans;
	}
	jpeg_start_compress(&c, TRUE);
	if (o->app1)
		jpeg_write_marker(&c, JPEG_APP0 + 1, o->app1, (unsigned)o->app1_len);
	if (o->comment)
		jpeg_write_marker(&c, JPEG_COM, (const JOCTET *)o->comment, (unsigned)strlen(o->comment));
	while (c.next_scanline < h) {
		JSAMPROW row = px + (size_t)c.next_scanline * w * o->components;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	buf_reset(out);
	buf_append(out, mem, len);
	free(mem);
}

static void make_rgb_jpeg(struct buf *out, unsigned char *px, unsigned w, unsigned h, int quality)
{
	struct jpeg_opts o = {.components = 3, .space = JCS_RGB, .quality = quality};
	make_jpeg(out, px, w, h, &o);
}

/* Fills w x h RGB with four quadrants: red, green / blue, white. */
static unsigned char *quadrants(unsigned w, unsigned h)
{
	static const unsigned char colour[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
	unsigned char *px = xmalloc((size_t)w * h * 3);
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++)
			memcpy(px + ((size_t)y * w + x) * 3, colour[(y >= h / 2) * 2 + (x >= w / 2)], 3);
	return px;
}

/* Fills w x h RGB with something photo-like: smooth gradients plus fine noise, which is what
 * makes JPEG and resizing work as hard as on a real photo. */
static unsigned char *photo(unsigned w, unsigned h)
{
	unsigned char *px = xmalloc((size_t)w * h * 3);
	uint32_t seed = 12345;
	for (unsigned y = 0; y < h; y++) {
		for (unsigned x = 0; x < w; x++) {
			seed = seed * 1103515245 + 12345;
			int noise = (int)(seed >> 27) - 16;
			unsigned char *p = px + ((size_t)y * w + x) * 3;
			int v[3] = {(int)(x * 255 / w) + noise, (int)(y * 255 / h) + noise,
			            (int)((x + y) * 127 / (w + h)) + 64};
			for (int c = 0; c < 3; c++)
				p[c] = (unsigned char)(v[c] < 0 ? 0 : v[c] > 255 ? 255 : v[c]);
		}
	}
	return px;
}

/* A little-endian EXIF block: IFD0 with the Orientation and, when gps, a GPS IFD holding
 * latitude 37 33' 12.34" N (the kind of thing a review photo must not leak). */
static size_t make_exif(unsigned char *p, int orientation, int gps)
{
	static const unsigned char head[14] = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0};
	const unsigned char orient[12] = {0x12, 0x01, 3, 0, 1, 0, 0, 0, (unsigned char)orientation, 0, 0, 0};
	static const unsigned char gps_pointer[12] = {0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0};
	/* clang-format off */
	static const unsigned char gps_ifd[2 + 24 + 4] = {
		2, 0,                                  /* two entries */
		1, 0, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0,  /* GPSLatitudeRef, ASCII[2] "N" */
		2, 0, 5, 0, 3, 0, 0, 0, 68, 0, 0, 0,   /* GPSLatitude, RATIONAL[3] at offset 68 */
		0, 0, 0, 0,                            /* no next IFD */
	};
	static const unsigned char lat[24] = {
		37, 0, 0, 0, 1, 0, 0, 0,               /* 37/1 degrees */
		33, 0, 0, 0, 1, 0, 0, 0,               /* 33/1 minutes */
		0xd2, 0x04, 0, 0, 100, 0, 0, 0,        /* 1234/100 seconds */
	};
	/* clang-format on */
	size_t n = 0;
	memcpy(p, head, sizeof head); /* "Exif", TIFF header, IFD0 at offset 8 */
	n += sizeof head;
	p[n++] = gps ? 2 : 1;
	p[n++] = 0;
	memcpy(p + n, orient, sizeof orient);
	n += sizeof orient;
	if (gps) {
		memcpy(p + n, gps_pointer, sizeof gps_pointer);
		n += sizeof gps_pointer;
	}
	memset(p + n, 0, 4); /* no next IFD */
	n += 4;
	if (!gps)
		return n;
	memcpy(p + n, gps_ifd, sizeof gps_ifd); /* at TIFF offset 38 */
	n += sizeof gps_ifd;
	memcpy(p + n, lat, sizeof lat); /* at TIFF offset 68 */
	return n + sizeof lat;
}

/* ---- fixtures: PNG and WebP ------------------------------------------------------------------ */

struct png_opts {
	int type, depth, interlace;
	const png_color *palette;
	int npalette;
	const unsigned char *trans;
	int ntrans;
	const char *text; /* a tEXt chunk, or NULL */
};

static void png_to_buf(png_structp png, png_bytep data, size_t n)
{
	buf_append(png_get_io_ptr(png), data, n);
}

static void png_no_flush(png_structp png)
{
	(void)png;
}

/* Encodes rows (each rowbytes long, in PNG's own byte order) as a PNG file into out. */
static void make_png(struct buf *out, unsigned char *rows, size_t rowbytes, unsigned w, unsigned h,
                     const struct png_opts *o)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	buf_reset(out);
	png_set_write_fn(png, out, png_to_buf, png_no_flush);
	png_set_compression_level(png, 1);
	png_set_IHDR(png, info, w, h, o->depth, o->type, o->interlace, PNG_COMPRESSION_TYPE_DEFAULT,
	             PNG_FILTER_TYPE_DEFAULT);
	if (o->palette)
		png_set_PLTE(png, info, o->palette, o->npalette);
	if (o->trans)
		png_set_tRNS(png, info, o->trans, o->ntrans, NULL);
	if (o->text) {
		char key[] = "Comment", *text = xstrdup(o->text);
		png_text t = {.compression = PNG_TEXT_COMPRESSION_NONE, .key = key, .text = text};
		png_set_text(png, info, &t, 1); /* copies */
		free(text);
	}
	png_bytep *rp = xmalloc(h * sizeof *rp);
	for (unsigned y = 0; y < h; y++)
		rp[y] = rows + y * rowbytes;
	png_set_rows(png, info, rp);
	png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
	png_destroy_write_struct(&png, &info);
	free(rp);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return ~c;
}

static void put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	                      (unsigned char)v};
	buf_append(b, x, 4);
}

/* Appends a PNG chunk with a correct CRC. */
static void png_chunk(struct buf *b, const char *type, const void *data, size_t n)
{
	put32(b, (uint32_t)n);
	size_t at = b->len;
	buf_append(b, type, 4);
	buf_append(b, data, n);
	put32(b, crc32_of((const unsigned char *)b->data + at, n + 4));
}

/* A well-formed PNG that declares w x h RGB but carries one deflated byte: a decompression bomb. */
static void make_png_bomb(struct buf *out, uint32_t w, uint32_t h)
{
	unsigned char ihdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0}; /* 8-bit RGB */
	for (int i = 0; i < 4; i++) {
		ihdr[i] = (unsigned char)(w >> (24 - 8 * i));
		ihdr[4 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	static const unsigned char idat[] = {0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01};
	buf_reset(out);
	buf_append(out, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(out, "IHDR", ihdr, sizeof ihdr);
	png_chunk(out, "IDAT", idat, sizeof idat);
	png_chunk(out, "IEND", "", 0);
}

static void make_webp(struct buf *out, const unsigned char *px, unsigned w, unsigned h, int rgba, int lossless)
{
	uint8_t *mem = NULL;
	size_t n;
	if (lossless)
		n = rgba ? WebPEncodeLosslessRGBA(px, (int)w, (int)h, (int)w * 4, &mem)
		         : WebPEncodeLosslessRGB(px, (int)w, (int)h, (int)w * 3, &mem);
	else
		n = rgba ? WebPEncodeRGBA(px, (int)w, (int)h, (int)w * 4, 90, &mem)
		         : WebPEncodeRGB(px, (int)w, (int)h, (int)w * 3, 90, &mem);
	buf_reset(out);
	buf_append(out, mem, n);
	WebPFree(mem);
}

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
