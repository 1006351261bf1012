/* The query string and urlencoded form parser (input_parse_urlencoded, as pipeline_parse and
 * pipeline_body call it), then the declared-parameter validation of every input type over the
 * fields it produced, as pipeline_validate does. */
#include <json-c/json.h>
#include <string.h>

#include "http/input.h"
#include "fuzz.h"

static const char *const colours[] = {"black", "white", "navy", NULL};

static const struct input_spec specs[] = {
    {.name = "page", .type = INPUT_INT, .min = 1, .max = 1000, .def = 1},
    {.name = "q", .type = INPUT_STRING, .max = 100},
    {.name = "name", .type = INPUT_STRING, .required = true, .min = 2, .max = 40},
    {.name = "sale", .type = INPUT_BOOL},
    {.name = "agree", .type = INPUT_BOOL, .min = 1},
    {.name = "colour", .type = INPUT_ENUM, .choices = colours},
    {.name = "email", .type = INPUT_EMAIL},
    {.name = "phone", .type = INPUT_PHONE},
    {.name = "password", .type = INPUT_PASSWORD, .flags = INPUT_SECRET},
    {.name = "password2", .type = INPUT_STRING, .same_as = "password", .flags = INPUT_SECRET},
    {.name = "birthday", .type = INPUT_DATE, .min = 19000101},
    {.name = "postal", .type = INPUT_POSTAL},
    {.name = "waist", .type = INPUT_TENTHS, .min = 100, .max = 2000},
    {.name = "price", .type = INPUT_INT, .sources = INPUT_FROM_BODY},
};
#define NSPECS (sizeof specs / sizeof specs[0])

FUZZ_TARGET(urlencoded)
{
	struct field_list query = {0}, body = {0};
	/* The first line is the query string, the rest the body (either may be empty). */
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t qlen = nl ? (size_t)(nl - s) : size;
	int rq = input_parse_urlencoded(s, qlen, NULL, &query);
	int rb = nl ? input_parse_urlencoded(nl + 1, size - qlen - 1, NULL, &body) : 0;
	fuzz_check_fields(&query, 0);
	fuzz_check_fields(&body, 0);
	if (rq == 0 && rb == 0) {
		struct input_value values[NSPECS];
		memset(values, 0, sizeof values);
		json_object *errors = json_object_new_object();
		input_validate(specs, NSPECS, &query, &body, values, errors);
		json_object_put(errors);
	}
	field_list_free(&query);
	field_list_free(&body);
	return 0;
}
