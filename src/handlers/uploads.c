#include "handlers/uploads.h"

#include <string.h>
#include <strings.h>

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

/* A file part named field with a file chosen. */
static bool is_file(const struct field *f, const char *field)
{
	return f->kind == FIELD_FILE && strcmp(f->name, field) == 0 && (f->len > 0 || (f->filename && *f->filename));
}

/* A file name is a name: no folder ("../x.jpg", "C:\\x.jpg", "/etc/x.jpg"), no control character. */
static bool name_ok(const char *name)
{
	if (!name)
		return true;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		if (*s == '/' || *s == '\\' || *s < 0x20 || *s == 0x7f ||
		    (*s == ':' && s != (const unsigned char *)name))
			return false;
	return true;
}

/* True when the bytes hold markup or script (a polyglot: a picture that is also an HTML page,
 * an SVG or a PHP script, which a browser or server might run if the file were ever served as
 * it came). Seven or more bytes in a row: in compressed picture data a chance match is never seen. */
static bool has_markup(const char *data, size_t len)
{
	static const char *const markers[] = {"<script", "<html", "<?php", "<svg", "<iframe", "<body", "javascript:"};
	for (size_t i = 0; i < len; i++) {
		if (data[i] != '<' && data[i] != 'j' && data[i] != 'J')
			continue;
		for (size_t m = 0; m < sizeof markers / sizeof *markers; m++) {
			size_t n = strlen(markers[m]);
			if (i + n <= len && strncasecmp(data + i, markers[m], n) == 0)
				return true;
		}
	}
	return false;
}

size_t uploads_count(const struct request *req, const char *field)
{
	size_t n = 0;
	for (size_t i = 0; i < req->body_fields.count; i++)
		n += is_file(&req->body_fields.items[i], field);
	return n;
}

void uploads_discard(const struct uploads *u)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->written[i])
			media_remove(config.media_dir, u->keys[i]);
}

enum status uploads_ingest(struct request *req, struct response *res, const char *field, size_t kept, size_t max,
                           size_t max_bytes, struct uploads *out)
{
	(void)req_input(req, field); /* the route declares it (the first part is checked there) */
	const struct field_list *fields = &req->body_fields;
	size_t given = uploads_count(req, field);
	if (kept + given > max || out->n + given > UPLOADS_MAX) {
		uploads_discard(out);
		return response_field_error(res, ST_INVALID, field, "too_many_photos");
	}
	for (size_t i = 0; i < fields->count; i++) {
		const struct field *f = &fields->items[i];
		if (!is_file(f, field))
			continue;
		const char *why = !name_ok(f->filename)          ? "bad_file_name"
		                  : has_markup(f->value, f->len) ? "polyglot"
		                                                 : NULL;
		if (why) {
			uploads_discard(out);
			return response_field_error(res, ST_INVALID, field, why);
		}
	}
	struct media_limits lim = {.max_bytes = max_bytes};
	for (size_t i = 0; i < fields->count; i++) {
		const struct field *f = &fields->items[i];
		if (!is_file(f, field))
			continue;
		struct media_result m;
		char err[256];
		int rc = media_ingest(config.media_dir, f->value, f->len, &lim, &m, err, sizeof err);
		if (rc != 0) {
			uploads_discard(out);
			if (rc == 500 || rc == 507) {
				log_error("upload: %s", err);
				return rc == 507 ? ST_UNAVAILABLE : ST_ERROR; /* a full disk: 503, try again later */
			}
			return response_field_error(res, ST_INVALID, field, refusal_code(rc));
		}
		memcpy(out->keys[out->n], m.hash, sizeof out->keys[0]);
		out->width[out->n] = m.width;
		out->height[out->n] = m.height;
		out->written[out->n] = !m.existed;
		out->n++;
	}
	return ST_OK;
}
