/* multipart/form-data bodies (input_parse_multipart, as pipeline_body calls it), then validation of
 * text and file inputs over its parts. The first line of the input is the Content-Type header value
 * (so the boundary parameter is fuzzed too), the rest is the body. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "http/input.h"
#include "fuzz.h"

static const struct input_spec specs[] = {
    {.name = "title", .type = INPUT_STRING, .max = 80},
    {.name = "rating", .type = INPUT_INT, .min = 1, .max = 5},
    {.name = "photo", .type = INPUT_FILE, .max = 1 << 20},
    {.name = "csrf", .type = INPUT_STRING},
};
#define NSPECS (sizeof specs / sizeof specs[0])

FUZZ_TARGET(multipart)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	if (!nl)
		return 0;
	size_t ctlen = (size_t)(nl - s);
	char *ct = malloc(ctlen + 1);
	memcpy(ct, s, ctlen);
	ct[ctlen] = '\0';
	/* The body gets its own allocation of exactly its size, so ASan sees any read past it. */
	size_t blen = size - ctlen - 1;
	char *body = malloc(blen ? blen : 1);
	memcpy(body, nl + 1, blen);

	struct field_list fields = {0};
	int rc = input_parse_multipart(ct, body, blen, NULL, &fields);
	fuzz_check_fields(&fields, 1);
	if (rc == 0) {
		struct input_value values[NSPECS];
		memset(values, 0, sizeof values);
		json_object *errors = json_object_new_object();
		input_validate(specs, NSPECS, NULL, &fields, values, errors);
		json_object_put(errors);
	}
	field_list_free(&fields);
	free(body);
	free(ct);
	return 0;
}
