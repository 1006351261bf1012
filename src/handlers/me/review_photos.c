#include "handlers/me/review_photos.h"

#include <string.h>

#include "http/request.h"
#include "http/response.h"
#include "media/media.h"
#include "util/config.h"
#include "util/log.h"

/* The field error for what media_ingest refused. */
static const char *refusal_code(int rc)
{
	switch (rc) {
	case 413: return "image_too_large";
	case 415: return "not_an_image";
	default: return "corrupt_image";
	}
}

/* A file part named "photos" with a file chosen (a form's empty file box sends one with no name and
 * no bytes). */
static bool is_photo(const struct field *f)
{
	return f->kind == FIELD_FILE && strcmp(f->name, "photos") == 0 && (f->len > 0 || (f->filename && *f->filename));
}

void review_photos_discard(const struct review_photos *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->written[i])
			media_remove(config.media_dir, p->keys[i]);
}

enum status review_photos_ingest(struct request *req, struct response *res, struct review_input *in,
                                 struct review_photos *out)
{
	(void)req_input(req, "photos"); /* the route declares it (the first part is checked there) */
	memset(out, 0, sizeof *out);
	const struct field_list *fields = &req->body_fields;
	size_t given = 0;
	for (size_t i = 0; i < fields->count; i++)
		given += is_photo(&fields->items[i]);
	if (in->nphotos + given > REVIEW_MAX_PHOTOS)
		return response_field_error(res, ST_INVALID, "photos", "too_many_photos");
	struct media_limits lim = {.max_bytes = REVIEW_PHOTO_MAX_BYTES};
	for (size_t i = 0; i < fields->count; i++) {
		const struct field *f = &fields->items[i];
		if (!is_photo(f))
			continue;
		struct media_result m;
		char err[256];
		int rc = media_ingest(config.media_dir, f->value, f->len, &lim, &m, err, sizeof err);
		if (rc != 0) {
			review_photos_discard(out);
			if (rc == 500) {
				log_error("review photo: %s", err);
				return ST_ERROR;
			}
			return response_field_error(res, ST_INVALID, "photos", refusal_code(rc));
		}
		memcpy(out->keys[out->n], m.hash, sizeof out->keys[0]);
		out->written[out->n] = !m.existed;
		in->photo_keys[in->nphotos++] = out->keys[out->n++];
	}
	return ST_OK;
}
