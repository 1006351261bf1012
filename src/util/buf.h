/* Growable byte buffer: the one way to build strings and response bodies. */
#ifndef LONUA_UTIL_BUF_H
#define LONUA_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                                                                       \
	{                                                                                                              \
		NULL, 0, 0                                                                                             \
	}

/* Makes room for at least n more bytes at once (a page about to be rendered), so appends that
 * follow do not grow the buffer step by step, copying it each time. */
void buf_reserve(struct buf *b, size_t n);
/* Each append aborts the process on out-of-memory: a worker that cannot allocate
 * cannot answer anyway, and the master restarts it. */
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s with & < > " ' replaced by entities (HTML text and attribute values). */
void buf_put_html(struct buf *b, const char *s, size_t len);
/* Appends the whole file at path. Returns 0, or -1 when it cannot be read. */
int buf_append_file(struct buf *b, const char *path);
/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Returns the contents (never NULL: "" when empty). */
const char *buf_str(const struct buf *b);

/* Allocation helpers that abort on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* The array p of n elements of size bytes, with room for one more: the room doubles whenever n
 * reaches a power of two from 8, so an array grown one element at a time from (NULL, 0) is copied
 * O(n) times in all rather than O(n²). Only for arrays grown by xgrow alone. */
void *xgrow(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
