/* Mustache templates: mustache_set_add (the parser, as view.c loads templates/) and mustache_render
 * over a small fixed model with escaping, lists, nesting, numbers and missing keys. The input is
 * up to three templates separated by NUL bytes: the main one, a partial "p" and a parent "base";
 * all three may refer to each other (and themselves: the render limits must hold). */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/buf.h"
#include "view/mustache.h"

static const char model_json[] =
    "{\"title\":\"<b>Coat & \\\"Jacket\\\"</b>\",\"price\":129000,\"ratio\":1.5,\"empty\":\"\",\"zero\":0,"
    "\"yes\":true,\"no\":false,\"none\":null,\"lang\":\"ko\",\"name\":\"\\ud55c\\uae00 \\uc774\\ub984\","
    "\"items\":[{\"id\":1,\"name\":\"a\",\"tags\":[\"x\",\"y\"]},{\"id\":2,\"name\":\"<i>\",\"tags\":[]}],"
    "\"user\":{\"name\":\"kim\",\"cart\":{\"count\":3,\"lines\":[{\"q\":1}]}},\"list\":[1,2,3],\"nested\":[[1],[2,[3]]]"
    ","
    "\"dynamic\":\"p\",\"parent\":\"base\"}";

static json_object *model;

static void add(struct mustache_set *set, const char *name, const uint8_t *s, size_t n)
{
	char err[256];
	mustache_set_add(set, name, (const char *)s, n, err, sizeof err);
}

FUZZ_TARGET(mustache)
{
	if (!model)
		model = json_tokener_parse(model_json);
	const uint8_t *p = data, *end = data + size;
	static const char *const names[] = {"main", "p", "base"};
	struct mustache_set *set = mustache_set_new();
	for (size_t i = 0; i < 3 && p <= end; i++) {
		const uint8_t *z = memchr(p, '\0', (size_t)(end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
		add(set, names[i], p, n);
		if (!z)
			break;
		p = z + 1;
	}
	if (mustache_set_has(set, "main")) {
		struct buf out = BUF_INIT;
		mustache_render(set, "main", model, &out);
		buf_free(&out);
	}
	mustache_set_free(set);
	return 0;
}
