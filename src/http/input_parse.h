/* Helpers shared by the input parsers (input.c, multipart.c, json_body.c, utf8.c); not for
 * handlers. */
#ifndef LONUA_HTTP_INPUT_PARSE_H
#define LONUA_HTTP_INPUT_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "http/input.h"

/* lim, or the defaults when lim is NULL. */
const struct input_limits *input_limits_or_default(const struct input_limits *lim);
/* Appends a field (name and value copied, NUL-terminated) and returns it, so that callers can
 * fill in the kind-specific members. */
struct field *input_field_push(struct field_list *l, const char *name, size_t name_len, const char *value,
                               size_t value_len, enum field_kind kind);
/* True for an RFC 9110 token character. */
bool input_is_tchar(unsigned char c);
/* The value of a hex digit, or -1. */
int input_hex_value(unsigned char c);
/* The length of the well-formed UTF-8 sequence at s (at most n bytes), or 0 when it is not one. */
size_t utf8_seq_length(const unsigned char *s, size_t n);

#endif
