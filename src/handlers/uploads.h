/* Uploaded images through the media pipeline (SPEC §6 "Media"), for every form that takes
 * several files in one repeated file part (a review's "photos", a product's "images" and
 * "description_images"): each file is ingested (format from its bytes, size and pixel limits,
 * metadata stripped); a file name holding a path is refused; and the files this request wrote are
 * removed again when the write is refused afterwards (uploads_discard), so a refused upload
 * leaves nothing behind. */
#ifndef LONUA_HANDLERS_UPLOADS_H
#define LONUA_HANDLERS_UPLOADS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

struct request;
struct response;

#define UPLOADS_MAX 10

struct uploads {
	char keys[UPLOADS_MAX][65];
	unsigned width[UPLOADS_MAX], height[UPLOADS_MAX];
	bool written[UPLOADS_MAX]; /* stored by this request (not there before) */
	size_t n;
};

/* The number of files sent in the parts named field (an empty file box sends a part with no name
 * and no bytes: not counted). */
size_t uploads_count(const struct request *req, const char *field);

/* Ingests every file of the parts named field, each at most max_bytes, appending to out (which
 * the caller zeroes once; several fields may share it). At most `max` files in this field, given
 * that `kept` are kept already: more is a field error "too_many_photos". A file that is not a
 * JPEG, PNG or WebP image ("not_an_image"), too large ("image_too_large"), corrupt
 * ("corrupt_image"), whose name holds a path ("bad_file_name"), or that holds markup or script as
 * well as a picture ("polyglot"): a field error on field (422),
 * and every file this request wrote (in out) is removed. */
enum status uploads_ingest(struct request *req, struct response *res, const char *field, size_t kept, size_t max,
                           size_t max_bytes, struct uploads *out);

/* Removes what uploads_ingest wrote into out (the write was refused). */
void uploads_discard(const struct uploads *u);

#endif
