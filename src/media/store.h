/* Encoding the stored renditions and writing them under content-derived names.
 *
 * Layout: MEDIA_DIR/ab/cd/<hash>-<size>.jpg, where <hash> is the SHA-256 (hex) of the bytes the
 * client sent and ab, cd are its first four digits (so no folder grows past 65536 entries). The
 * names never change meaning, which is what lets nginx serve them as immutable. */
#ifndef LONUA_MEDIA_STORE_H
#define LONUA_MEDIA_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "media/image.h"

/* Encodes an RGB image as a progressive JPEG (optimised Huffman tables, 4:2:0) at quality 1..100.
 * The file holds only the JFIF header and the picture: no EXIF, no comment, no ICC profile.
 * Returns 0 with a malloc'd buffer in *out (free it), or -1 with err set (alpha not flattened, or
 * the encoder failed). */
int store_encode_jpeg(const struct image *img, int quality, unsigned char **out, size_t *outlen, char *err,
                      size_t errlen);

/* One rendition to store: its size name ("card": lowercase letters and digits) and bytes. */
struct store_item {
	const char *size;
	const unsigned char *data;
	size_t len;
};

/* Writes "ab/cd/<hash>-<size>.jpg" into out (the path under MEDIA_DIR and, after "/media/", the URL). */
void store_relpath(const char *hash, const char *size, char *out, size_t outlen);

/* The URLs of a stored image's renditions as a new JSON object {"thumb", "card"} (and "detail"
 * when asked), or NULL when key is empty or not a media hash (a bad key is logged). */
struct json_object *store_image_urls(const char *key, bool detail);

/* Returns 1 when a regular file already exists for every size (the same bytes were stored before). */
int store_has_all(const char *media_dir, const char *hash, const char *const *sizes, size_t n);

/* Stores every item, each written to a temporary file in its final folder, flushed to disk and
 * renamed into place, so a reader never sees half a file. Files that already exist are kept as
 * they are. All or nothing: on any failure every file and folder this call created is removed.
 * MEDIA_DIR itself must exist. Returns 0, or -1 with err set and errno that of the failure
 * (ENOSPC: the disk is full). */
int store_write_all(const char *media_dir, const char *hash, const struct store_item *items, size_t n, char *err,
                    size_t errlen);

#endif
