/* A review's uploaded photos through the shared upload helper (src/handlers/uploads.c) and the
 * media pipeline (SPEC §6 "Media"): every file part named "photos" is ingested (format from its
 * bytes, size and pixel limits, metadata stripped), and the files this request wrote are removed
 * again when the review is refused afterwards, so a refused upload leaves nothing behind. */
#ifndef LONUA_HANDLERS_ME_REVIEW_PHOTOS_H
#define LONUA_HANDLERS_ME_REVIEW_PHOTOS_H

#include <stdbool.h>
#include <stddef.h>

#include "db/reviews.h"
#include "handlers/uploads.h"
#include "util/status.h"

struct request;
struct response;

/* Each photo at most this large (nginx caps a whole request at 10 MiB). */
#define REVIEW_PHOTO_MAX_BYTES (10u * 1024 * 1024)

struct review_photos {
	struct uploads u; /* through the shared helper: src/handlers/uploads.c */
};

/* Ingests the request's photos after the `kept` ones already in in->photo_keys (in->nphotos of
 * them) and appends their keys there. More than REVIEW_MAX_PHOTOS in all, or a file that is not
 * a JPEG, PNG or WebP image, too large or corrupt, named with a path or holding markup: a field
 * error on "photos" (422), nothing kept. */
enum status review_photos_ingest(struct request *req, struct response *res, struct review_input *in,
                                 struct review_photos *out);
/* Removes what review_photos_ingest wrote (the review was not written). */
void review_photos_discard(const struct review_photos *p);

#endif
