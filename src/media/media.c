/* media_ingest: sniff, check, decode, strip, resize, encode, store; see media.h. */
#include "media/media.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "media/image.h"
#include "media/resize.h"
#include "util/crypto.h"
#include "media/store.h"
#include "util/log.h"

const struct media_size_spec media_sizes[MEDIA_NSIZES] = {
    [MEDIA_THUMB] = {"thumb", 160, 200, 1},
    [MEDIA_CARD] = {"card", 480, 600, 1},
    [MEDIA_DETAIL] = {"detail", 1080, 1350, 0},
};

static const char *format_name(enum image_format f)
{
	return f == IMAGE_JPEG ? "jpeg" : f == IMAGE_PNG ? "png" : "webp";
}

/* The size a rendition will have. For "fit" it comes from the full declared size, so it is the
 * same whether or not the decoder shrank a large JPEG on the way (and on a repeated upload). */
static void size_dims(const struct media_size_spec *s, unsigned src_w, unsigned src_h, unsigned *w, unsigned *h)
{
	if (s->cover) {
		*w = s->w;
		*h = s->h;
	} else {
		resize_fit_size(src_w, src_h, s->w, s->h, w, h);
	}
}

/* Fills out's sizes (URLs and dimensions) for an image of src_w x src_h. */
static void fill_sizes(struct media_result *out, unsigned src_w, unsigned src_h)
{
	char rel[sizeof out->size[0].url];
	for (int i = 0; i < MEDIA_NSIZES; i++) {
		store_relpath(out->hash, media_sizes[i].name, rel, sizeof rel);
		snprintf(out->size[i].url, sizeof out->size[i].url, "/media/%s", rel);
		size_dims(&media_sizes[i], src_w, src_h, &out->size[i].w, &out->size[i].h);
	}
}

/* Makes rendition i of img (RGB) and encodes it; returns 0 or -1 (err set). */
static int make_size(const struct image *img, int i, unsigned char **jpg, size_t *len, char *err, size_t errlen)
{
	const struct media_size_spec *s = &media_sizes[i];
	struct image out;
	if (s->cover) {
		resize_cover(img, s->w, s->h, &out);
	} else {
		unsigned w, h;
		size_dims(s, img->src_w, img->src_h, &w, &h);
		resize_region(img, 0, 0, img->w, img->h, w, h, &out);
	}
	int rc = store_encode_jpeg(&out, MEDIA_JPEG_QUALITY, jpg, len, err, errlen);
	image_free(&out);
	return rc;
}

int media_ingest(const char *media_dir, const void *data, size_t len, const struct media_limits *lim,
                 struct media_result *out, char *err, size_t errlen)
{
	struct media_limits l = lim ? *lim : (struct media_limits){0};
	if (!l.max_bytes)
		l.max_bytes = MEDIA_DEFAULT_MAX_BYTES;
	if (!l.max_pixels)
		l.max_pixels = MEDIA_DEFAULT_MAX_PIXELS;
	if (!l.max_side)
		l.max_side = MEDIA_DEFAULT_MAX_SIDE;
	struct image_limits il = {l.max_pixels, l.max_side};
	memset(out, 0, sizeof *out);
	if (len == 0) {
		snprintf(err, errlen, "the file is empty");
		return 415;
	}
	if (len > l.max_bytes) {
		snprintf(err, errlen, "the file is %zu bytes; at most %zu are accepted", len, l.max_bytes);
		return 413;
	}

	/* The header alone settles format and size, before a single pixel is decoded. */
	struct image img;
	int rc = image_probe(data, len, &il, &img, err, errlen);
	if (rc)
		return rc;
	crypto_sha256_hex(data, len, out->hash);
	out->format = format_name(img.format);
	out->width = img.src_w;
	out->height = img.src_h;
	fill_sizes(out, img.src_w, img.src_h);
	const char *names[MEDIA_NSIZES];
	for (int i = 0; i < MEDIA_NSIZES; i++)
		names[i] = media_sizes[i].name;
	if (store_has_all(media_dir, out->hash, names, MEDIA_NSIZES)) {
		out->existed = 1;
		return 0;
	}

	/* No rendition needs more than the largest box, so a big JPEG may decode at 1/2..1/8. */
	rc = image_decode(data, len, &il, media_sizes[MEDIA_DETAIL].w, media_sizes[MEDIA_DETAIL].h, &img, err, errlen);
	if (rc)
		return rc;
	image_flatten(&img);
	struct store_item items[MEDIA_NSIZES];
	unsigned char *jpg[MEDIA_NSIZES] = {NULL};
	for (int i = 0; i < MEDIA_NSIZES && rc == 0; i++) {
		items[i].size = media_sizes[i].name;
		if (make_size(&img, i, &jpg[i], &items[i].len, err, errlen) != 0)
			rc = 500;
		items[i].data = jpg[i];
	}
	image_free(&img);
	if (rc == 0 && store_write_all(media_dir, out->hash, items, MEDIA_NSIZES, err, errlen) != 0)
		rc = errno == ENOSPC || errno == EDQUOT ? 507 : 500;
	for (int i = 0; i < MEDIA_NSIZES; i++)
		free(jpg[i]);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

void media_remove(const char *media_dir, const char *hash)
{
	for (int i = 0; i < MEDIA_NSIZES; i++) {
		char rel[128], path[4096];
		store_relpath(hash, media_sizes[i].name, rel, sizeof rel);
		snprintf(path, sizeof path, "%s/%s", media_dir, rel);
		if (unlink(path) != 0 && errno != ENOENT)
			log_warn("media: cannot remove %s: %s", path, strerror(errno));
	}
}
