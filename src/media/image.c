/* Decoding JPEG (libjpeg API), PNG (libpng) and WebP (libwebp) from memory; see image.h.
 *
 * libjpeg and libpng report errors by longjmp. Each decoder keeps all of its state in a "job"
 * struct that lives in the caller's frame and runs the library inside one small function holding
 * the setjmp: after a longjmp that function only reads the job through its (unchanged) pointer
 * argument, and the caller frees whatever the job holds on both paths. So no local variable is
 * read after a longjmp (nothing to make volatile) and no error path can leak. */
#include "media/image.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <webp/decode.h>

#include "util/buf.h"

/* A normal progressive JPEG has about 10 scans; thousands of tiny scans make decoding quadratic
 * (a known CPU denial of service), so more than this is refused as corrupt. */
#define JPEG_MAX_SCANS 100
/* Ancillary PNG chunks we keep are few and small; this bounds what libpng will inflate or cache. */
#define PNG_CHUNK_MALLOC_MAX (1u << 20)
#define PNG_CHUNK_CACHE_MAX  64

enum image_format image_sniff(const void *data, size_t len, const char **what)
{
	const unsigned char *p = data;
	if (what)
		*what = NULL;
	if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return IMAGE_JPEG;
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return IMAGE_PNG;
	if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return IMAGE_WEBP;
	if (!what)
		return IMAGE_NONE;
	/* Recognised only to say what was sent instead of "not an image". */
	if (len >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		*what = "GIF";
	else if (len >= 2 && memcmp(p, "BM", 2) == 0)
		*what = "BMP";
	else if (len >= 4 && (memcmp(p, "II*\0", 4) == 0 || memcmp(p, "MM\0*", 4) == 0))
		*what = "TIFF";
	else if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0)
		*what = memcmp(p + 8, "avi", 3) == 0 ? "AVIF" : "HEIC";
	else if (len >= 4 && memcmp(p, "%PDF", 4) == 0)
		*what = "PDF";
	return IMAGE_NONE;
}

/* Checks declared dimensions against the limits. Returns 0, 422 (zero size) or 413. */
static int check_size(unsigned long long w, unsigned long long h, const struct image_limits *lim, char *err,
                      size_t errlen)
{
	if (w == 0 || h == 0) {
		snprintf(err, errlen, "the image declares a zero size");
		return 422;
	}
	if (w > lim->max_side || h > lim->max_side || w * h > lim->max_pixels) {
		snprintf(err, errlen, "the image is %llux%llu; at most %llu pixels and %u on a side are accepted", w, h,
		         lim->max_pixels, lim->max_side);
		return 413;
	}
	return 0;
}

/* ---- EXIF orientation ------------------------------------------------------------------------ */

static unsigned rd16(const unsigned char *p, int le)
{
	return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t rd32(const unsigned char *p, int le)
{
	return le ? (uint32_t)rd16(p, 1) | (uint32_t)rd16(p + 2, 1) << 16
	          : (uint32_t)rd16(p, 0) << 16 | (uint32_t)rd16(p + 2, 0);
}

/* Finds the Orientation tag (0x0112) in IFD0 of an APP1 "Exif" payload. Returns 1..8, or 1
 * (as stored) when it is absent or anything about the block is malformed. */
static int exif_orientation(const unsigned char *p, size_t n)
{
	if (n < 6 + 8 || memcmp(p, "Exif\0\0", 6) != 0)
		return 1;
	p += 6;
	n -= 6;
	int le = p[0] == 'I' && p[1] == 'I';
	if (!le && !(p[0] == 'M' && p[1] == 'M'))
		return 1;
	if (rd16(p + 2, le) != 42)
		return 1;
	uint32_t ifd = rd32(p + 4, le);
	if (ifd < 8 || ifd > n - 2)
		return 1;
	unsigned count = rd16(p + ifd, le);
	for (unsigned i = 0; i < count; i++) {
		size_t e = ifd + 2 + (size_t)12 * i;
		if (e + 12 > n)
			break;
		if (rd16(p + e, le) == 0x0112 && rd16(p + e + 2, le) == 3 /* SHORT */) {
			unsigned v = rd16(p + e + 8, le);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

/* Rotates and mirrors img as EXIF orientation o (2..8) asks, replacing its pixels. */
static void image_orient(struct image *img, int o)
{
	unsigned w = img->w, h = img->h, c = img->channels;
	int swap = o >= 5;
	unsigned dw = swap ? h : w, dh = swap ? w : h;
	unsigned char *dst = xmalloc((size_t)w * h * c);
	for (unsigned y = 0; y < dh; y++) {
		for (unsigned x = 0; x < dw; x++) {
			unsigned sx, sy;
			switch (o) {
			case 2: sx = w - 1 - x, sy = y; break;         /* mirror left-right */
			case 3: sx = w - 1 - x, sy = h - 1 - y; break; /* rotate 180 */
			case 4: sx = x, sy = h - 1 - y; break;         /* mirror top-bottom */
			case 5: sx = y, sy = x; break;                 /* transpose */
			case 6: sx = y, sy = h - 1 - x; break;         /* rotate 90 clockwise */
			case 7: sx = w - 1 - y, sy = h - 1 - x; break; /* transverse */
			default: sx = w - 1 - y, sy = x; break;        /* 8: rotate 90 counter-clockwise */
			}
			memcpy(dst + ((size_t)y * dw + x) * c, img->px + ((size_t)sy * w + sx) * c, c);
		}
	}
	free(img->px);
	img->px = dst;
	img->w = dw;
	img->h = dh;
}

/* ---- JPEG ------------------------------------------------------------------------------------ */

struct jpeg_job {
	struct jpeg_error_mgr mgr; /* first: libjpeg's err pointer is cast back to the job */
	struct jpeg_progress_mgr progress;
	struct jpeg_decompress_struct cinfo;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
	unsigned char *px;   /* output pixels */
	unsigned char *cmyk; /* one CMYK scanline */
	int orientation;
};

static void jpeg_fail(j_common_ptr c)
{
	struct jpeg_job *job = (struct jpeg_job *)(void *)c->err;
	c->err->format_message(c, job->msg);
	longjmp(job->jump, 1);
}

/* Warnings that mean the pixel data is damaged (truncated file, bad entropy code) stop the
 * decoder: libjpeg would otherwise fill the rest with grey and call it a success. Warnings about
 * metadata oddities are tolerated. Trace messages (level > 0) are dropped. */
static void jpeg_message(j_common_ptr c, int level)
{
	if (level >= 0)
		return;
	switch (c->err->msg_code) {
	case JWRN_JPEG_EOF:
	case JWRN_HIT_MARKER:
	case JWRN_HUFF_BAD_CODE:
	case JWRN_ARITH_BAD_CODE:
	case JWRN_MUST_RESYNC:
	case JWRN_NOT_SEQUENTIAL:
	case JWRN_BOGUS_PROGRESSION: jpeg_fail(c); break;
	default: break;
	}
}

static void jpeg_progress(j_common_ptr c)
{
	struct jpeg_job *job = (struct jpeg_job *)(void *)c->err;
	if (c->is_decompressor && ((j_decompress_ptr)c)->input_scan_number > JPEG_MAX_SCANS) {
		snprintf(job->msg, sizeof job->msg, "more than %d scans", JPEG_MAX_SCANS);
		longjmp(job->jump, 1);
	}
}

/* Picks the largest JPEG scale-down (8, 4, 2 or 1) that keeps each side at or above what was asked
 * for (or the whole side, when the image is smaller). w, h and the minimum are in stored order. */
static unsigned jpeg_pick_denom(unsigned w, unsigned h, unsigned min_w, unsigned min_h)
{
	if (min_w == 0 || min_h == 0)
		return 1;
	unsigned need_w = w < min_w ? w : min_w, need_h = h < min_h ? h : min_h;
	for (unsigned d = 8; d > 1; d /= 2)
		if ((w + d - 1) / d >= need_w && (h + d - 1) / d >= need_h)
			return d;
	return 1;
}

/* Runs libjpeg over job: header, limits, then (unless header_only) the pixels into job->px.
 * Returns a status; on error err says why. The caller destroys cinfo and frees the job's buffers. */
static int jpeg_run(struct jpeg_job *job, const unsigned char *data, size_t len, const struct image_limits *lim,
                    unsigned min_w, unsigned min_h, int header_only, struct image *out, char *err, size_t errlen)
{
	struct jpeg_decompress_struct *ci = &job->cinfo;
	if (setjmp(job->jump)) {
		snprintf(err, errlen, "corrupt JPEG: %s", job->msg);
		return 422;
	}
	jpeg_create_decompress(ci);
	ci->progress = &job->progress;
	jpeg_mem_src(ci, data, (unsigned long)len);
	/* Only APP1 is kept, for the orientation; every other marker is skipped unread. */
	jpeg_save_markers(ci, JPEG_APP0 + 1, 0xFFFF);
	jpeg_read_header(ci, TRUE);
	/* The first APP1 may be XMP rather than EXIF: look until one gives an orientation. */
	for (jpeg_saved_marker_ptr m = ci->marker_list; m && job->orientation == 1; m = m->next)
		if (m->marker == JPEG_APP0 + 1)
			job->orientation = exif_orientation(m->data, m->data_length);
	int swap = job->orientation >= 5;
	out->src_w = swap ? ci->image_height : ci->image_width;
	out->src_h = swap ? ci->image_width : ci->image_height;
	int rc = check_size(ci->image_width, ci->image_height, lim, err, errlen);
	if (rc || header_only)
		return rc;

	int cmyk = ci->jpeg_color_space == JCS_CMYK || ci->jpeg_color_space == JCS_YCCK;
	if (!cmyk && ci->num_components != 1 && ci->num_components != 3) {
		snprintf(err, errlen, "unsupported JPEG colour space (%d components)", ci->num_components);
		return 415;
	}
	ci->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	ci->scale_num = 1;
	ci->scale_denom = swap ? jpeg_pick_denom(ci->image_width, ci->image_height, min_h, min_w)
	                       : jpeg_pick_denom(ci->image_width, ci->image_height, min_w, min_h);
	jpeg_start_decompress(ci);
	unsigned w = ci->output_width, h = ci->output_height;
	job->px = xmalloc((size_t)w * h * 3);
	if (cmyk)
		job->cmyk = xmalloc((size_t)w * 4);
	while (ci->output_scanline < h) {
		unsigned char *row = job->px + (size_t)ci->output_scanline * w * 3;
		JSAMPROW into = cmyk ? job->cmyk : row;
		if (jpeg_read_scanlines(ci, &into, 1) != 1) {
			snprintf(err, errlen, "corrupt JPEG: the data ends early");
			return 422;
		}
		/* Adobe's CMYK JPEGs (the ones with an Adobe marker) store inverted ink values. */
		for (unsigned x = 0; cmyk && x < w; x++) {
			const unsigned char *k = job->cmyk + 4 * x;
			for (int i = 0; i < 3; i++)
				row[3 * x + i] =
				    (unsigned char)(ci->saw_Adobe_marker ? (k[i] * k[3] + 127) / 255
				                                         : ((255 - k[i]) * (255 - k[3]) + 127) / 255);
		}
	}
	jpeg_finish_decompress(ci);
	out->w = w;
	out->h = h;
	out->channels = 3;
	return 0;
}

static int jpeg_decode(const unsigned char *data, size_t len, const struct image_limits *lim, unsigned min_w,
                       unsigned min_h, int header_only, struct image *out, char *err, size_t errlen)
{
	struct jpeg_job *job = xcalloc(1, sizeof *job);
	job->cinfo.err = jpeg_std_error(&job->mgr);
	job->mgr.error_exit = jpeg_fail;
	job->mgr.emit_message = jpeg_message;
	job->progress.progress_monitor = jpeg_progress;
	job->orientation = 1;
	int rc = jpeg_run(job, data, len, lim, min_w, min_h, header_only, out, err, errlen);
	jpeg_destroy_decompress(&job->cinfo);
	free(job->cmyk);
	if (rc == 0 && !header_only) {
		out->px = job->px;
		if (job->orientation != 1)
			image_orient(out, job->orientation);
	} else {
		free(job->px);
	}
	free(job);
	return rc;
}

/* ---- PNG ------------------------------------------------------------------------------------- */

struct png_job {
	png_structp png;
	png_infop info;
	const unsigned char *data;
	size_t len, pos;
	char msg[160];
	unsigned char *px;
	png_bytep *rows;
};

static void png_on_error(png_structp png, png_const_charp msg)
{
	struct png_job *job = png_get_error_ptr(png);
	snprintf(job->msg, sizeof job->msg, "%s", msg);
	png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void png_on_read(png_structp png, png_bytep into, size_t n)
{
	struct png_job *job = png_get_io_ptr(png);
	if (n > job->len - job->pos)
		png_error(png, "the file ends early");
	memcpy(into, job->data + job->pos, n);
	job->pos += n;
}

/* Reads the size from the IHDR chunk, which the PNG format requires to come first, so a bomb is
 * refused before libpng is even started. Returns 0 or 422. */
static int png_header_size(const unsigned char *p, size_t len, unsigned *w, unsigned *h, char *err, size_t errlen)
{
	if (len < 8 + 8 + 13 || memcmp(p + 8, "\0\0\0\x0dIHDR", 8) != 0) {
		snprintf(err, errlen, "corrupt PNG: no image header");
		return 422;
	}
	*w = (unsigned)rd32(p + 16, 0);
	*h = (unsigned)rd32(p + 20, 0);
	return 0;
}

/* Runs libpng over job with every pixel format transformed to 8-bit RGB or RGBA. Returns a
 * status; the caller destroys the libpng structs and frees the job's buffers. */
static int png_run(struct png_job *job, const struct image_limits *lim, struct image *out, char *err, size_t errlen)
{
	png_structp png = job->png;
	png_infop info = job->info;
	if (setjmp(png_jmpbuf(png))) {
		snprintf(err, errlen, "corrupt PNG: %s", job->msg);
		return 422;
	}
	png_set_read_fn(png, job, png_on_read);
	png_set_user_limits(png, lim->max_side, lim->max_side);
	png_set_chunk_malloc_max(png, PNG_CHUNK_MALLOC_MAX);
	png_set_chunk_cache_max(png, PNG_CHUNK_CACHE_MAX);
	/* Skip every ancillary chunk but tRNS: text, EXIF, ICC, times are never even parsed. */
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
	png_read_info(png, info);
	png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
	int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
	png_set_expand(png); /* palette to RGB, gray below 8 bits to 8, tRNS to an alpha channel */
	if (depth == 16)
		png_set_scale_16(png);
	if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
		png_set_gray_to_rgb(png);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	unsigned channels = png_get_channels(png, info);
	if ((channels != 3 && channels != 4) || png_get_rowbytes(png, info) != (size_t)w * channels) {
		snprintf(err, errlen, "unsupported PNG pixel format");
		return 415;
	}
	job->px = xmalloc((size_t)w * h * channels);
	job->rows = xmalloc((size_t)h * sizeof *job->rows);
	for (png_uint_32 y = 0; y < h; y++)
		job->rows[y] = job->px + (size_t)y * w * channels;
	png_read_image(png, job->rows);
	png_read_end(png, NULL); /* checks the rest up to IEND, so a cut file is refused */
	out->w = w;
	out->h = h;
	out->channels = channels;
	return 0;
}

static int png_decode(const unsigned char *data, size_t len, const struct image_limits *lim, int header_only,
                      struct image *out, char *err, size_t errlen)
{
	unsigned w = 0, h = 0;
	int rc = png_header_size(data, len, &w, &h, err, errlen);
	if (rc == 0)
		rc = check_size(w, h, lim, err, errlen);
	out->src_w = w;
	out->src_h = h;
	if (rc || header_only)
		return rc;
	struct png_job job = {.data = data, .len = len};
	job.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &job, png_on_error, png_on_warning);
	if (!job.png || !(job.info = png_create_info_struct(job.png))) {
		fputs("lonua: out of memory\n", stderr);
		abort();
	}
	rc = png_run(&job, lim, out, err, errlen);
	png_destroy_read_struct(&job.png, &job.info, NULL);
	free(job.rows);
	if (rc == 0)
		out->px = job.px;
	else
		free(job.px);
	return rc;
}

/* ---- WebP ------------------------------------------------------------------------------------ */

static int webp_decode(const unsigned char *data, size_t len, const struct image_limits *lim, int header_only,
                       struct image *out, char *err, size_t errlen)
{
	WebPBitstreamFeatures f;
	if (WebPGetFeatures(data, len, &f) != VP8_STATUS_OK) {
		snprintf(err, errlen, "corrupt WebP: unreadable header");
		return 422;
	}
	out->src_w = (unsigned)f.width;
	out->src_h = (unsigned)f.height;
	int rc = check_size((unsigned)f.width, (unsigned)f.height, lim, err, errlen);
	if (rc)
		return rc;
	if (f.has_animation) {
		snprintf(err, errlen, "animated WebP is not supported");
		return 415;
	}
	if (header_only)
		return 0;
	unsigned w = (unsigned)f.width, h = (unsigned)f.height, channels = f.has_alpha ? 4 : 3;
	size_t size = (size_t)w * h * channels;
	unsigned char *px = xmalloc(size);
	uint8_t *ok = channels == 4 ? WebPDecodeRGBAInto(data, len, px, size, (int)(w * channels))
	                            : WebPDecodeRGBInto(data, len, px, size, (int)(w * channels));
	if (!ok) {
		free(px);
		snprintf(err, errlen, "corrupt WebP: the image data does not decode");
		return 422;
	}
	out->w = w;
	out->h = h;
	out->channels = channels;
	out->px = px;
	return 0;
}

/* ---- entry points ---------------------------------------------------------------------------- */

static int image_read(const void *data, size_t len, const struct image_limits *lim, unsigned min_w, unsigned min_h,
                      int header_only, struct image *out, char *err, size_t errlen)
{
	const char *what;
	memset(out, 0, sizeof *out);
	out->format = image_sniff(data, len, &what);
	int rc;
	switch (out->format) {
	case IMAGE_JPEG: rc = jpeg_decode(data, len, lim, min_w, min_h, header_only, out, err, errlen); break;
	case IMAGE_PNG: rc = png_decode(data, len, lim, header_only, out, err, errlen); break;
	case IMAGE_WEBP: rc = webp_decode(data, len, lim, header_only, out, err, errlen); break;
	default:
		if (what)
			snprintf(err, errlen, "%s images are not supported: send JPEG, PNG or WebP", what);
		else
			snprintf(err, errlen, "not an image: send JPEG, PNG or WebP");
		return 415;
	}
	if (rc) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	if (header_only) {
		out->w = out->src_w;
		out->h = out->src_h;
	}
	return 0;
}

int image_probe(const void *data, size_t len, const struct image_limits *lim, struct image *out, char *err,
                size_t errlen)
{
	return image_read(data, len, lim, 0, 0, 1, out, err, errlen);
}

int image_decode(const void *data, size_t len, const struct image_limits *lim, unsigned min_w, unsigned min_h,
                 struct image *out, char *err, size_t errlen)
{
	return image_read(data, len, lim, min_w, min_h, 0, out, err, errlen);
}

void image_flatten(struct image *img)
{
	if (img->channels != 4)
		return;
	size_t n = (size_t)img->w * img->h;
	unsigned char *p = img->px;
	/* Writing 3 bytes per pixel behind reading 4 never overtakes the reader. */
	for (size_t i = 0; i < n; i++) {
		unsigned a = p[4 * i + 3];
		for (int c = 0; c < 3; c++)
			p[3 * i + c] = (unsigned char)((p[4 * i + c] * a + 255 * (255 - a) + 127) / 255);
	}
	img->channels = 3;
}

void image_free(struct image *img)
{
	free(img->px);
	img->px = NULL;
}
