/* JSON request bodies (input_parse_json, as pipeline_body calls it: the strict RFC 8259 checker,
 * then json-c), then validation of scalar inputs and of an order's items array the way the
 * checkout API reads them (input_validate, input_validate_json_object). */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "http/input.h"
#include "fuzz.h"

static const struct input_spec specs[] = {
    {.name = "quantity", .type = INPUT_INT, .min = 1, .max = 99},
    {.name = "note", .type = INPUT_STRING, .max = 200},
    {.name = "gift", .type = INPUT_BOOL},
    {.name = "waist", .type = INPUT_TENTHS, .min = 100, .max = 2000},
    {.name = "items", .type = INPUT_JSON, .max = 50},
};
#define NSPECS (sizeof specs / sizeof specs[0])

static const struct input_spec item_specs[] = {
    {.name = "variant_id", .type = INPUT_INT, .required = true, .min = 1, .max = 1000000000},
    {.name = "quantity", .type = INPUT_INT, .required = true, .min = 1, .max = 99},
};
#define NITEM (sizeof item_specs / sizeof item_specs[0])

FUZZ_TARGET(json)
{
	/* Exactly size bytes, no terminator: the parser must not read past them. */
	char *body = malloc(size ? size : 1);
	memcpy(body, data, size);
	struct field_list fields = {0};
	int rc = input_parse_json(body, size, NULL, &fields);
	fuzz_check_fields(&fields, 1);
	if (rc == 0) {
		/* What the strict checker let through: text is well-formed UTF-8 (escapes included), a
		 * number keeps its text as written, and a member is never a file. */
		for (size_t i = 0; i < fields.count; i++) {
			const struct field *f = &fields.items[i];
			if (f->kind == FIELD_TEXT && !utf8_valid(f->value, f->len))
				abort();
			if (f->kind == FIELD_JSON_NUMBER &&
			    (f->len == 0 || strspn(f->value, "0123456789+-.eE") != f->len))
				abort();
			if (f->kind == FIELD_FILE)
				abort();
		}
		struct input_value values[NSPECS];
		memset(values, 0, sizeof values);
		json_object *errors = json_object_new_object();
		input_validate(specs, NSPECS, NULL, &fields, values, errors);
		if (values[4].present && json_object_is_type(values[4].json, json_type_array)) {
			size_t n = json_object_array_length(values[4].json);
			for (size_t i = 0; i < n && i < 50; i++) {
				struct field_list item = {0};
				struct input_value iv[NITEM];
				memset(iv, 0, sizeof iv);
				input_validate_json_object(item_specs, NITEM,
				                           json_object_array_get_idx(values[4].json, i), "items[0]",
				                           &item, iv, errors);
				field_list_free(&item);
			}
		}
		json_object_put(errors);
	}
	field_list_free(&fields);
	free(body);
	return 0;
}
