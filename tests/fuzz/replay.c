/* tests/fuzz/replay: every fuzz target's entry function over every file of its seed corpus
 * (tests/fuzz/corpus/NAME/) and its regressions (tests/fuzz/regressions/NAME/), one TAP line per
 * file. Built by make with the ordinary compiler (no clang, no libFuzzer), so CI replays what the
 * fuzzers found on every run, and under ASan/UBSan in the sanitizer build. A crash kills the
 * program: the '#' line before it names the file.
 *
 *   replay [SOURCE_DIR]          all targets (SOURCE_DIR defaults to $LONUA_SOURCE_DIR, then ".")
 *   replay -t TARGET FILE...     one target over the files given (a crash file from ci/fuzz) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tap.h"
#include "util/buf.h"

int fuzz_urlencoded(const uint8_t *data, size_t size);
int fuzz_multipart(const uint8_t *data, size_t size);
int fuzz_json(const uint8_t *data, size_t size);
int fuzz_cookies(const uint8_t *data, size_t size);
int fuzz_router(const uint8_t *data, size_t size);
int fuzz_mustache(const uint8_t *data, size_t size);
int fuzz_image(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	int (*fn)(const uint8_t *data, size_t size);
} targets[] = {
    {"urlencoded", fuzz_urlencoded}, {"multipart", fuzz_multipart}, {"json", fuzz_json},   {"cookies", fuzz_cookies},
    {"router", fuzz_router},         {"mustache", fuzz_mustache},   {"image", fuzz_image},
};
#define NTARGETS (sizeof targets / sizeof targets[0])

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs fn over path; false when the file cannot be read. */
static int run_file(int (*fn)(const uint8_t *, size_t), const char *path, size_t *size)
{
	struct buf b = BUF_INIT;
	if (buf_append_file(&b, path) != 0) {
		buf_free(&b);
		return 0;
	}
	*size = b.len;
	/* A copy of exactly its size: a target that reads past its input trips ASan here too. */
	uint8_t *copy = malloc(b.len ? b.len : 1);
	memcpy(copy, b.data ? b.data : "", b.len);
	buf_free(&b);
	fn(copy, *size);
	free(copy);
	return 1;
}

/* Every file of dir (sorted; not dot-files) through fn, one TAP line each (kind names the folder);
 * returns how many. */
static size_t run_dir(const char *target, int (*fn)(const uint8_t *, size_t), const char *kind, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap)
			names = xrealloc(names, (cap = cap ? cap * 2 : 32) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		size_t size = 0;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		tap_diag("%s < %s", target, path);
		int ran = run_file(fn, path, &size);
		tap_ok(ran, "%s: %s/%s (%zu bytes)", target, kind, names[i], size);
		free(names[i]);
	}
	free(names);
	return n;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "-t") == 0) {
		for (size_t t = 0; t < NTARGETS; t++) {
			if (strcmp(targets[t].name, argv[2]) != 0)
				continue;
			for (int i = 3; i < argc; i++) {
				size_t size = 0;
				int ran = run_file(targets[t].fn, argv[i], &size);
				tap_ok(ran, "%s < %s (%zu bytes)", argv[2], argv[i], size);
			}
			return tap_done();
		}
		fprintf(stderr, "replay: no target %s\n", argv[2]);
		return 2;
	}
	const char *src = argc > 1 ? argv[1] : getenv("LONUA_SOURCE_DIR");
	if (!src)
		src = ".";
	for (size_t t = 0; t < NTARGETS; t++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", src, targets[t].name);
		size_t seeds = run_dir(targets[t].name, targets[t].fn, "corpus", dir);
		tap_ok(seeds >= 3, "%s: a seed corpus (%zu files in %s)", targets[t].name, seeds, dir);
		snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s", src, targets[t].name);
		run_dir(targets[t].name, targets[t].fn, "regressions", dir);
	}
	return tap_done();
}
