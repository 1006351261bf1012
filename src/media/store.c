/* JPEG encoding (libjpeg API) and atomic, all-or-nothing storage; see store.h. */
#include "media/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <json-c/json.h>

#include "media/media.h"
#include "util/buf.h"
#include "util/json_put.h"
#include "util/log.h"

/* ---- encoding -------------------------------------------------------------------------------- */

/* As in image.c, all libjpeg state lives in a job the caller owns, so the function holding the
 * setjmp reads no local variable after a longjmp and the caller frees on both paths. */
struct enc_job {
	struct jpeg_error_mgr mgr; /* first: cinfo.err is cast back to the job */
	struct jpeg_compress_struct cinfo;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
	unsigned char *buf; /* grown by jpeg_mem_dest with malloc */
	unsigned long len;
};

static void enc_fail(j_common_ptr c)
{
	struct enc_job *job = (struct enc_job *)(void *)c->err;
	c->err->format_message(c, job->msg);
	longjmp(job->jump, 1);
}

static void enc_message(j_common_ptr c, int level)
{
	(void)c;
	(void)level;
}

/* Runs the encoder over job; returns 0 or -1 (err set). The caller destroys cinfo, frees buf. */
static int enc_run(struct enc_job *job, const struct image *img, int quality, char *err, size_t errlen)
{
	struct jpeg_compress_struct *ci = &job->cinfo;
	if (setjmp(job->jump)) {
		snprintf(err, errlen, "JPEG encoder: %s", job->msg);
		return -1;
	}
	jpeg_create_compress(ci);
	jpeg_mem_dest(ci, &job->buf, &job->len);
	ci->image_width = img->w;
	ci->image_height = img->h;
	ci->input_components = 3;
	ci->in_color_space = JCS_RGB;
	jpeg_set_defaults(ci);
	jpeg_set_quality(ci, quality, TRUE);
	jpeg_simple_progression(ci); /* pictures appear whole at once, then sharpen */
	ci->optimize_coding = TRUE;
	jpeg_start_compress(ci, TRUE);
	while (ci->next_scanline < ci->image_height) {
		JSAMPROW row = img->px + (size_t)ci->next_scanline * img->w * 3;
		jpeg_write_scanlines(ci, &row, 1);
	}
	jpeg_finish_compress(ci);
	return 0;
}

int store_encode_jpeg(const struct image *img, int quality, unsigned char **out, size_t *outlen, char *err,
                      size_t errlen)
{
	*out = NULL;
	*outlen = 0;
	if (img->channels != 3 || !img->px || img->w == 0 || img->h == 0) {
		snprintf(err, errlen, "JPEG encoder: needs a non-empty RGB image");
		return -1;
	}
	struct enc_job *job = xcalloc(1, sizeof *job);
	job->cinfo.err = jpeg_std_error(&job->mgr);
	job->mgr.error_exit = enc_fail;
	job->mgr.emit_message = enc_message;
	int rc = enc_run(job, img, quality, err, errlen);
	jpeg_destroy_compress(&job->cinfo);
	if (rc == 0) {
		*out = job->buf;
		*outlen = job->len;
	} else {
		free(job->buf);
	}
	free(job);
	return rc;
}

/* ---- files ----------------------------------------------------------------------------------- */

void store_relpath(const char *hash, const char *size, char *out, size_t outlen)
{
	snprintf(out, outlen, "%.2s/%.2s/%s-%s.jpg", hash, hash + 2, hash, size);
}

/* Adds "/media/" + store_relpath of a checked 64-digit key, put together without printf: a page
 * of cards has dozens of these. */
static void add_url(json_object *o, const char *key, enum media_size size)
{
	const char *name = media_sizes[size].name;
	size_t n = strlen(name);
	char url[7 + 6 + 64 + 1 + 16 + 4 + 1];
	if (n > 16)
		return;
	char *p = url;
	memcpy(p, "/media/", 7), p += 7;
	memcpy(p, key, 2), p[2] = '/', p += 3;
	memcpy(p, key + 2, 2), p[2] = '/', p += 3;
	memcpy(p, key, 64), p += 64;
	*p++ = '-';
	memcpy(p, name, n), p += n;
	memcpy(p, ".jpg", 4), p += 4;
	json_put(o, name, json_object_new_string_len(url, (int)(p - url))); /* name: a literal of media_sizes */
}

json_object *store_image_urls(const char *key, bool detail)
{
	if (!key || !*key)
		return NULL;
	if (strlen(key) != 64 || strspn(key, "0123456789abcdef") != 64) {
		log_warn("image key \"%.80s\" is not a media hash; shown as no image", key);
		return NULL;
	}
	json_object *o = json_object_new_object();
	add_url(o, key, MEDIA_THUMB);
	add_url(o, key, MEDIA_CARD);
	if (detail)
		add_url(o, key, MEDIA_DETAIL);
	return o;
}

/* A hash is 64 lowercase hex digits and a size name is short lowercase letters and digits: the
 * names are built into paths, so nothing else may get through. */
static int name_ok(const char *s, size_t min, size_t max, const char *alphabet)
{
	size_t n = strlen(s);
	return n >= min && n <= max && strspn(s, alphabet) == n;
}

static int is_regular(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int store_has_all(const char *media_dir, const char *hash, const char *const *sizes, size_t n)
{
	char rel[PATH_MAX], path[PATH_MAX];
	for (size_t i = 0; i < n; i++) {
		store_relpath(hash, sizes[i], rel, sizeof rel);
		snprintf(path, sizeof path, "%s/%s", media_dir, rel);
		if (!is_regular(path))
			return 0;
	}
	return 1;
}

/* Creates dir unless it exists; returns 1 if created, 0 if it was there, -1 on failure. */
static int make_dir(const char *dir)
{
	if (mkdir(dir, 0755) == 0) {
		chmod(dir, 0755); /* whatever the umask: nginx must be able to enter it */
		return 1;
	}
	struct stat st;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST)
		errno = ENOTDIR;
	return -1;
}

/* Writes data to a new temporary file in dir, flushes it and renames it to path. Returns 0, or
 * -1 with errno set and no temporary file left. */
static int write_atomic(const char *dir, const char *path, const unsigned char *data, size_t len)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s/.upload-XXXXXX", dir) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	/* mkstemp makes 0600; nginx, often another user, must read the file. */
	int ok = fchmod(fd, 0644) == 0;
	for (size_t done = 0; ok && done < len;) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		done += ok ? (size_t)n : 0;
	}
	ok = ok && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		saved = errno;
	}
	if (ok && rename(tmp, path) == 0)
		return 0;
	if (ok)
		saved = errno;
	unlink(tmp);
	errno = saved;
	return -1;
}

int store_write_all(const char *media_dir, const char *hash, const struct store_item *items, size_t n, char *err,
                    size_t errlen)
{
	static const char hex[] = "0123456789abcdef";
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char dirs[2][PATH_MAX], rel[PATH_MAX], path[PATH_MAX];
	int made[2] = {0, 0};
	size_t written = 0;
	char **created = xcalloc(n ? n : 1, sizeof *created);
	int rc = -1;

	if (!name_ok(hash, 64, 64, hex)) {
		snprintf(err, errlen, "storage: bad content hash");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!name_ok(items[i].size, 1, 16, alnum)) {
			snprintf(err, errlen, "storage: bad size name");
			goto out;
		}
	}
	snprintf(dirs[0], sizeof dirs[0], "%s/%.2s", media_dir, hash);
	snprintf(dirs[1], sizeof dirs[1], "%s/%.2s/%.2s", media_dir, hash, hash + 2);
	for (int d = 0; d < 2; d++) {
		if ((made[d] = make_dir(dirs[d])) < 0) {
			made[d] = 0;
			snprintf(err, errlen, "storage: cannot create %s: %s", dirs[d], strerror(errno));
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		store_relpath(hash, items[i].size, rel, sizeof rel);
		if (snprintf(path, sizeof path, "%s/%s", media_dir, rel) >= (int)sizeof path) {
			snprintf(err, errlen, "storage: path too long");
			goto out;
		}
		if (is_regular(path)) /* the same bytes were stored before: same name, same content */
			continue;
		if (write_atomic(dirs[1], path, items[i].data, items[i].len) != 0) {
			snprintf(err, errlen, "storage: cannot write %s: %s", path, strerror(errno));
			goto out;
		}
		created[written++] = xstrdup(path);
	}
	/* Makes the new names themselves durable, not just the files' contents. */
	int dfd = open(dirs[1], O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:;
	int saved = errno; /* the cleanup below must not hide why it failed (ENOSPC) */
	for (size_t i = 0; i < written; i++) {
		if (rc != 0)
			unlink(created[i]);
		free(created[i]);
	}
	free(created);
	/* rmdir refuses a folder that is not empty, so only an unused folder we made goes. */
	for (int d = 1; rc != 0 && d >= 0; d--)
		if (made[d])
			rmdir(dirs[d]);
	errno = saved;
	return rc;
}
