/* Mustache templates over json-c values: our own engine, written to the mustache spec
 * (comments, delimiters, interpolation, sections, inverted, partials, ~inheritance and the
 * partial/parent forms of ~dynamic-names; no lambdas).
 *
 * Templates are parsed once, when added to a set, into a tree that rendering only walks.
 * `{{x}}` escapes & < > " ' (buf_put_html); `{{{x}}}` and `{{&x}}` write the value raw.
 * Falsy values are false, null, the empty list and missing keys; 0 and "" are truthy.
 * Numbers print as JSON writes them (85, 1.5); lists and objects print as compact JSON. */
#ifndef LONUA_VIEW_MUSTACHE_H
#define LONUA_VIEW_MUSTACHE_H

#include <stddef.h>

struct json_object;
struct buf;

/* Limits that keep hostile or mistaken templates from exhausting the stack or the CPU. */
#define MUSTACHE_MAX_NESTING    64      /* sections, parents and blocks open inside one template */
#define MUSTACHE_MAX_DEPTH      64      /* partials, parents and block arguments expanded inside each other */
#define MUSTACHE_MAX_CONTEXTS   512     /* sections open at once in a render, across partials */
#define MUSTACHE_MAX_EXPANSIONS 1000000 /* partial, parent and block expansions in one render */

/* A named collection of parsed templates; partials and parents resolve by name within it. */
struct mustache_set;

struct mustache_set *mustache_set_new(void);
void mustache_set_free(struct mustache_set *set);

/* Parses src (len bytes) and stores it under name (replacing an older one). Returns 0, or -1
 * with a message naming the line in err (errlen bytes) for unclosed sections, mismatched closing
 * tags, bad delimiters, unterminated or empty tags and nesting deeper than MUSTACHE_MAX_NESTING.
 * On error the set is unchanged. */
int mustache_set_add(struct mustache_set *set, const char *name, const char *src, size_t len, char *err, size_t errlen);

/* True when name was added. */
int mustache_set_has(const struct mustache_set *set, const char *name);

/* Renders template name with data (any json-c value, NULL for null) appending to out. Unknown
 * partials and parents render as empty (spec). Returns 0, or -1 when name is unknown or the
 * rendering exceeds one of the limits above (recursive partials); on -1 out is left as it was. */
int mustache_render(const struct mustache_set *set, const char *name, struct json_object *data, struct buf *out);

#endif
