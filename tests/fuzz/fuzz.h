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

#endif
