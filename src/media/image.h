/* Decoding uploaded images (JPEG, PNG, WebP) from memory into 8-bit RGB or RGBA pixels.
 *
 * The format comes from the magic bytes only, never from a file name or a Content-Type. The pixel
 * count and side length are checked against the limits from the file's header before any pixel
 * memory is allocated, so a small file that declares a huge image (a decompression bomb) costs
 * nothing. No metadata survives decoding: the pixels are all that comes out. The one piece of
 * metadata that changes what the picture looks like, the EXIF orientation of a JPEG, is applied to
 * the pixels, so a phone photo still stands upright once its EXIF is gone.
 *
 * Statuses (HTTP-ish): 0 ok, 415 not an image or an unsupported format, 413 too many pixels,
 * 422 corrupt or truncated. Out-of-memory aborts, as everywhere in LONUA (util/buf.h). */
#ifndef LONUA_MEDIA_IMAGE_H
#define LONUA_MEDIA_IMAGE_H

#include <stddef.h>

enum image_format { IMAGE_NONE = 0, IMAGE_JPEG, IMAGE_PNG, IMAGE_WEBP };

struct image_limits {
	unsigned long long max_pixels; /* width * height as the header declares it */
	unsigned max_side;             /* each of width and height */
};

struct image {
	unsigned w, h;         /* of px, in display orientation */
	unsigned channels;     /* 3 (RGB) or 4 (RGBA, straight alpha) */
	unsigned char *px;     /* w * h * channels bytes, rows packed top to bottom; NULL after a probe */
	unsigned src_w, src_h; /* full size the file declares, in display orientation (px may be a
	                        * 1/2, 1/4 or 1/8 reduction of it for a large JPEG, see image_decode) */
	enum image_format format;
};

/* Names the format from its first bytes. Returns IMAGE_NONE for anything else; then *what (when
 * what is not NULL) names a recognised but unsupported format ("GIF", "HEIC", ...) or is NULL. */
enum image_format image_sniff(const void *data, size_t len, const char **what);

/* Reads only the header: fills out->format, src_w, src_h (w, h equal them, px stays NULL) and
 * checks the limits. Returns 0, 415, 413 or 422 with a message in err. */
int image_probe(const void *data, size_t len, const struct image_limits *lim, struct image *out, char *err,
                size_t errlen);

/* Decodes the whole image. A JPEG larger than min_w x min_h (display orientation) in both sides
 * may be decoded at 1/2, 1/4 or 1/8 scale by the JPEG decoder itself (fast and memory-light), but
 * never below min(src_w, min_w) x min(src_h, min_h); min_w or min_h 0 means full size. On success
 * the caller owns out->px (image_free). Returns 0, 415, 413 or 422 with a message in err; on
 * failure nothing is left allocated. */
int image_decode(const void *data, size_t len, const struct image_limits *lim, unsigned min_w, unsigned min_h,
                 struct image *out, char *err, size_t errlen);

/* Composites an RGBA image onto white and leaves it RGB, in place (as a browser shows a
 * transparent picture on a white page). RGB images are left alone. */
void image_flatten(struct image *img);

void image_free(struct image *img);

#endif
