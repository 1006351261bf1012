/* The media pipeline's one entry point: an uploaded (or generated) image in, stored renditions out.
 *
 * media_ingest sniffs the format from the bytes (JPEG, PNG, WebP), checks the byte size and the
 * declared pixel count before decoding anything, decodes, applies the EXIF orientation, drops every
 * piece of metadata (EXIF with GPS, XMP, ICC, comments, text chunks: only pixels survive), flattens
 * transparency onto white, and stores three progressive JPEGs (quality 82) named by the SHA-256
 * of the bytes sent, so the same upload is stored once:
 *
 *   thumb   160 x 200   cover-cropped (4:5, lists)            MEDIA_DIR/ab/cd/<hash>-thumb.jpg
 *   card    480 x 600   cover-cropped (4:5, product cards)    MEDIA_DIR/ab/cd/<hash>-card.jpg
 *   detail  fit within 1080 x 1350, never enlarged           MEDIA_DIR/ab/cd/<hash>-detail.jpg
 *
 * nginx serves MEDIA_DIR at /media/. "Cover" always yields exactly its size, so a grid of cards
 * lines up: an image smaller than 480 x 600 is enlarged for the card (and below 160 x 200 for the
 * thumbnail); "fit" never enlarges, so a small image's detail is its own size.
 *
 * A rejected upload leaves nothing behind: every refusal happens before the first byte is
 * written, and a storage failure removes whatever this call had written. */
#ifndef LONUA_MEDIA_MEDIA_H
#define LONUA_MEDIA_MEDIA_H

#include <stddef.h>

#define MEDIA_DEFAULT_MAX_BYTES  (20u * 1024 * 1024) /* a 24-megapixel camera JPEG is 8-15 MB */
#define MEDIA_DEFAULT_MAX_PIXELS 25000000ull         /* 6000 x 4000 cameras, 12-megapixel phones */
#define MEDIA_DEFAULT_MAX_SIDE   8192u
#define MEDIA_JPEG_QUALITY       82

/* Zero fields (or a NULL pointer) take the defaults above. */
struct media_limits {
	size_t max_bytes;
	unsigned long long max_pixels; /* width * height as the file declares it */
	unsigned max_side;
};

enum media_size { MEDIA_THUMB, MEDIA_CARD, MEDIA_DETAIL, MEDIA_NSIZES };

struct media_size_spec {
	const char *name; /* in the file name and URL */
	unsigned w, h;
	int cover; /* 1: crop to fill exactly w x h; 0: fit within, never enlarge */
};
extern const struct media_size_spec media_sizes[MEDIA_NSIZES];

struct media_result {
	char hash[65];          /* SHA-256 of the bytes sent, lowercase hex */
	const char *format;     /* what was sent: "jpeg", "png" or "webp" */
	unsigned width, height; /* the original, upright (after EXIF orientation) */
	int existed;            /* 1: these bytes were already stored, nothing was written */
	struct {
		char url[96]; /* "/media/ab/cd/<hash>-card.jpg" */
		unsigned w, h;
	} size[MEDIA_NSIZES];
};

/* Ingests one image (data, len) into media_dir, which must exist. Returns 0 with out filled, or an
 * HTTP-ish status with a message for the client in err: 415 not an image or an unsupported format
 * (GIF, HEIC, animated WebP, ...), 413 too many bytes or pixels, 422 corrupt or truncated, 507 the
 * disk (or the quota) is full, 500 the files could not be written for another reason (err then
 * names the path: log it, don't show it). Nothing is left behind on a failure. */
int media_ingest(const char *media_dir, const void *data, size_t len, const struct media_limits *lim,
                 struct media_result *out, char *err, size_t errlen);

/* Removes the renditions of hash (an ingest whose upload was refused afterwards: its review was
 * not written). Only for files this request wrote itself (media_result.existed 0). */
void media_remove(const char *media_dir, const char *hash);

#endif
