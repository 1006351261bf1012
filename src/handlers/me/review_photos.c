#include "handlers/me/review_photos.h"

#include <string.h>

void review_photos_discard(const struct review_photos *p)
{
	uploads_discard(&p->u);
}

enum status review_photos_ingest(struct request *req, struct response *res, struct review_input *in,
                                 struct review_photos *out)
{
	memset(out, 0, sizeof *out);
	enum status st =
	    uploads_ingest(req, res, "photos", in->nphotos, REVIEW_MAX_PHOTOS, REVIEW_PHOTO_MAX_BYTES, &out->u);
	for (size_t i = 0; st == ST_OK && i < out->u.n; i++)
		in->photo_keys[in->nphotos++] = out->u.keys[i];
	return st;
}
