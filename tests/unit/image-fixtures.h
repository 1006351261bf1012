/* Encoders of small test images (JPEG with its options and EXIF, PNG of every kind, WebP), shared by
 * tests/unit/test-media.c and tests/fuzz/gen-image-seeds.c (the image fuzzer's seeds). */
#ifndef LONUA_TESTS_IMAGE_FIXTURES_H
#define LONUA_TESTS_IMAGE_FIXTURES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

#include "util/buf.h"

/* ---- fixtures: JPEG -------------------------------------------------------------------------- */

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
__attribute__((unused)) static void make_jpeg(struct buf *out, unsigned char *px, unsigned w, unsigned h,
                                              const struct jpeg_opts *o)
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

__attribute__((unused)) static void make_rgb_jpeg(struct buf *out, unsigned char *px, unsigned w, unsigned h,
                                                  int quality)
{
	struct jpeg_opts o = {.components = 3, .space = JCS_RGB, .quality = quality};
	make_jpeg(out, px, w, h, &o);
}

/* Fills w x h RGB with four quadrants: red, green / blue, white. */
__attribute__((unused)) static unsigned char *quadrants(unsigned w, unsigned h)
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
__attribute__((unused)) static unsigned char *photo(unsigned w, unsigned h)
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
__attribute__((unused)) static size_t make_exif(unsigned char *p, int orientation, int gps)
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

__attribute__((unused)) static void png_to_buf(png_structp png, png_bytep data, size_t n)
{
	buf_append(png_get_io_ptr(png), data, n);
}

__attribute__((unused)) static void png_no_flush(png_structp png)
{
	(void)png;
}

/* Encodes rows (each rowbytes long, in PNG's own byte order) as a PNG file into out. */
__attribute__((unused)) static void make_png(struct buf *out, unsigned char *rows, size_t rowbytes, unsigned w,
                                             unsigned h, const struct png_opts *o)
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

__attribute__((unused)) static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return ~c;
}

__attribute__((unused)) static void put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	                      (unsigned char)v};
	buf_append(b, x, 4);
}

/* Appends a PNG chunk with a correct CRC. */
__attribute__((unused)) static void png_chunk(struct buf *b, const char *type, const void *data, size_t n)
{
	put32(b, (uint32_t)n);
	size_t at = b->len;
	buf_append(b, type, 4);
	buf_append(b, data, n);
	put32(b, crc32_of((const unsigned char *)b->data + at, n + 4));
}

/* A well-formed PNG that declares w x h RGB but carries one deflated byte: a decompression bomb. */
__attribute__((unused)) static void make_png_bomb(struct buf *out, uint32_t w, uint32_t h)
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

__attribute__((unused)) static void make_webp(struct buf *out, const unsigned char *px, unsigned w, unsigned h,
                                              int rgba, int lossless)
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

#endif
