/* What every fuzz target includes. A target is one function, FUZZ_TARGET(name) { ... }, that takes
 * untrusted bytes into one production entry point (src/http, src/view, src/media) and returns 0.
 *
 * Built by ci/fuzz with clang (-fsanitize=fuzzer,address,undefined), FUZZ_TARGET defines
 * libFuzzer's LLVMFuzzerTestOneInput. Built by make (tests/fuzz/replay, any compiler, with or without
 * --enable-sanitizers), FUZZ_REPLAY is defined and each target is a plain function fuzz_NAME that
 * tests/fuzz/replay.c calls for every file of tests/fuzz/corpus/NAME and tests/fuzz/regressions/NAME:
 * the same code, one program, no clang needed. */
#ifndef LONUA_TESTS_FUZZ_H
#define LONUA_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef FUZZ_REPLAY
#define FUZZ_TARGET(name)                                                                                              \
	int fuzz_##name(const uint8_t *data, size_t size);                                                             \
	int fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name)                                                                                              \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                                                  \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* What every parser promises of the fields it produced (src/http/input.h): each name and value is
 * NUL-terminated at its length; a name holds no NUL, fits the default limit and is not empty (but
 * JSON and multipart may name a member ""); there are no more fields than the limit allows; only
 * file parts carry a file name and type, only JSON objects and arrays a json. Aborts otherwise. */
#include <stdlib.h>
#include <string.h>

#include "http/input.h"

/* The next line of the input (up to '\n' or the end) as a new string; moves *p past it. */
static inline char *fuzz_line(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	char *s = malloc(n + 1);
	memcpy(s, *p, n);
	s[n] = '\0';
	*p = nl ? nl + 1 : end;
	return s;
}

static inline void fuzz_check_fields(const struct field_list *l, int empty_names)
{
	if (l->count > input_default_limits.max_fields)
		abort();
	for (size_t i = 0; i < l->count; i++) {
		const struct field *f = &l->items[i];
		size_t n = strlen(f->name);
		if ((n == 0 && !empty_names) || n > input_default_limits.max_name_len || f->value[f->len] != '\0')
			abort();
		if ((f->kind == FIELD_FILE) != (f->filename != NULL) ||
		    (f->kind == FIELD_FILE) != (f->content_type != NULL))
			abort();
		if ((f->kind == FIELD_JSON_OTHER) != (f->json != NULL))
			abort();
	}
}

#endif
