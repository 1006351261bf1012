/* JSON request bodies: checked against RFC 8259 first (json-c alone is too lenient), then
 * each member of the top-level object becomes a field. */
#include "http/input.h"
#include "http/input_parse.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

/* The JSON checker recurses once per nesting level: whatever a caller puts in its limits,
 * the stack stays small. */
#define JSON_DEPTH_CEILING 256

/* ---- JSON ------------------------------------------------------------------------------- */

/* json-c is lenient where the web must not be: in strict mode 0.16 still takes NaN, 1.,
 * single-quoted names, encoded surrogates, overlong and above-U+10FFFF UTF-8, and it clamps
 * integers it cannot hold, losing their text. So a strict RFC 8259 checker reads the body
 * first (grammar, UTF-8, depth, member count) and notes where each top-level value is; json-c
 * then builds the objects from input that is known good. */

/* Where one member of the top-level object has its value in the body. */
struct json_member {
	size_t start, len;
};

struct json_check {
	const unsigned char *s;
	size_t len, pos;
	size_t max_depth, max_members;
	struct json_member *members;
	size_t nmembers, cap;
	int status; /* 413 when the checker refused for size, else a failure is 400 */
};

static void jc_ws(struct json_check *j)
{
	while (j->pos < j->len) {
		unsigned char c = j->s[j->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		j->pos++;
	}
}

/* The value of four hex digits at s[at..], or -1. */
static long jc_hex4(const struct json_check *j, size_t at)
{
	long v = 0;
	if (at > j->len || j->len - at < 4)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		int h = input_hex_value(j->s[at + i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Checks the string starting at the '"' under pos; true when well-formed. Escapes must pair
 * surrogates properly; a member name may not hold \u0000 (json-c would cut the name there). */
static bool jc_string(struct json_check *j, bool is_name)
{
	j->pos++;
	for (;;) {
		if (j->pos >= j->len)
			return false;
		unsigned char c = j->s[j->pos];
		if (c == '"') {
			j->pos++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c >= 0x80) {
			size_t n = utf8_seq_length(j->s + j->pos, j->len - j->pos);
			if (!n)
				return false;
			j->pos += n;
			continue;
		}
		if (c != '\\') {
			j->pos++;
			continue;
		}
		if (j->pos + 1 >= j->len)
			return false;
		unsigned char e = j->s[j->pos + 1];
		if (e != 'u') {
			if (e == '\0' || !strchr("\"\\/bfnrt", e))
				return false;
			j->pos += 2;
			continue;
		}
		long cp = jc_hex4(j, j->pos + 2);
		if (cp < 0)
			return false;
		j->pos += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (j->len - j->pos < 2 || j->s[j->pos] != '\\' || j->s[j->pos + 1] != 'u')
				return false;
			long low = jc_hex4(j, j->pos + 2);
			if (low < 0xDC00 || low > 0xDFFF)
				return false;
			j->pos += 6;
		} else if ((cp >= 0xDC00 && cp <= 0xDFFF) || (cp == 0 && is_name)) {
			return false;
		}
	}
}

static bool jc_digits(struct json_check *j)
{
	size_t start = j->pos;
	while (j->pos < j->len && j->s[j->pos] >= '0' && j->s[j->pos] <= '9')
		j->pos++;
	return j->pos > start;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool jc_number(struct json_check *j)
{
	if (j->s[j->pos] == '-')
		j->pos++;
	if (j->pos >= j->len)
		return false;
	if (j->s[j->pos] == '0')
		j->pos++;
	else if (!jc_digits(j))
		return false;
	if (j->pos < j->len && j->s[j->pos] == '.') {
		j->pos++;
		if (!jc_digits(j))
			return false;
	}
	if (j->pos < j->len && (j->s[j->pos] == 'e' || j->s[j->pos] == 'E')) {
		j->pos++;
		if (j->pos < j->len && (j->s[j->pos] == '+' || j->s[j->pos] == '-'))
			j->pos++;
		if (!jc_digits(j))
			return false;
	}
	return true;
}

static bool jc_literal(struct json_check *j, const char *word)
{
	size_t n = strlen(word);
	if (j->len - j->pos < n || memcmp(j->s + j->pos, word, n) != 0)
		return false;
	j->pos += n;
	return true;
}

static bool jc_value(struct json_check *j, size_t depth);

/* Checks the object (or, with close == ']', the array) opening at pos, at nesting level
 * depth; the top-level object (depth 1) records where each member's value lies. */
static bool jc_container(struct json_check *j, size_t depth, char close)
{
	bool top = depth == 1;

	if (depth > j->max_depth)
		return false;
	j->pos++;
	jc_ws(j);
	if (j->pos < j->len && j->s[j->pos] == close) {
		j->pos++;
		return true;
	}
	for (;;) {
		jc_ws(j);
		if (close == '}') {
			if (top && j->nmembers == j->max_members) {
				j->status = 413;
				return false;
			}
			if (j->pos >= j->len || j->s[j->pos] != '"' || !jc_string(j, true))
				return false;
			jc_ws(j);
			if (j->pos >= j->len || j->s[j->pos] != ':')
				return false;
			j->pos++;
			jc_ws(j);
		}
		size_t start = j->pos;
		if (!jc_value(j, depth))
			return false;
		if (top) {
			if (j->nmembers == j->cap) {
				j->cap = j->cap ? j->cap * 2 : 16;
				j->members = xrealloc(j->members, j->cap * sizeof *j->members);
			}
			j->members[j->nmembers].start = start;
			j->members[j->nmembers].len = j->pos - start;
			j->nmembers++;
		}
		jc_ws(j);
		if (j->pos >= j->len)
			return false;
		if (j->s[j->pos] == close) {
			j->pos++;
			return true;
		}
		if (j->s[j->pos] != ',')
			return false;
		j->pos++;
	}
}

/* Checks the value at pos inside a container at level depth. */
static bool jc_value(struct json_check *j, size_t depth)
{
	if (j->pos >= j->len)
		return false;
	switch (j->s[j->pos]) {
	case '{': return jc_container(j, depth + 1, '}');
	case '[': return jc_container(j, depth + 1, ']');
	case '"': return jc_string(j, false);
	case 't': return jc_literal(j, "true");
	case 'f': return jc_literal(j, "false");
	case 'n': return jc_literal(j, "null");
	default:
		if (j->s[j->pos] == '-' || (j->s[j->pos] >= '0' && j->s[j->pos] <= '9'))
			return jc_number(j);
		return false;
	}
}

/* Appends one member of the checked top-level object. Returns 0 or 400. */
static int json_member_field(const char *name, struct json_object *val, const char *body, const struct json_member *m,
                             const struct input_limits *lim, struct field_list *out)
{
	size_t nlen = strlen(name);
	struct field *f;

	if (nlen > lim->max_name_len)
		return 400;
	switch (json_object_get_type(val)) {
	case json_type_null: input_field_push(out, name, nlen, "null", 4, FIELD_JSON_NULL); break;
	case json_type_boolean:
		if (json_object_get_boolean(val))
			input_field_push(out, name, nlen, "true", 4, FIELD_JSON_BOOL);
		else
			input_field_push(out, name, nlen, "false", 5, FIELD_JSON_BOOL);
		break;
	case json_type_int:
	case json_type_double:
		/* The text as written: "12.0" and "1e3" must stay visible as non-integers. */
		input_field_push(out, name, nlen, body + m->start, m->len, FIELD_JSON_NUMBER);
		break;
	case json_type_string:
		input_field_push(out, name, nlen, json_object_get_string(val), (size_t)json_object_get_string_len(val),
		                 FIELD_TEXT);
		break;
	case json_type_object:
	case json_type_array:
		f = input_field_push(out, name, nlen, "", 0, FIELD_JSON_OTHER);
		f->json = json_object_get(val);
		break;
	}
	return 0;
}

int input_parse_json(const char *body, size_t len, const struct input_limits *lim, struct field_list *out)
{
	struct json_check j = {0};
	struct json_tokener *tok = NULL;
	struct json_object *obj = NULL;
	int rc = 400;

	lim = input_limits_or_default(lim);
	if (len > INT_MAX) /* json-c takes an int length */
		return 413;
	j.s = (const unsigned char *)body;
	j.len = len;
	j.max_depth = lim->max_json_depth < JSON_DEPTH_CEILING ? lim->max_json_depth : JSON_DEPTH_CEILING;
	j.max_members = lim->max_fields;
	jc_ws(&j);
	if (j.pos >= j.len || j.s[j.pos] != '{')
		goto out; /* empty, or not an object */
	if (!jc_container(&j, 1, '}')) {
		rc = j.status ? j.status : 400;
		goto out;
	}
	jc_ws(&j);
	if (j.pos != j.len) /* trailing garbage, a second document, a NUL byte */
		goto out;

	/* json-c refuses at its depth argument, one level earlier than the checker counts. */
	tok = json_tokener_new_ex((int)j.max_depth + 1);
	if (!tok)
		abort(); /* out of memory, as everywhere else */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, body, (int)len);
	if (!obj || !json_object_is_type(obj, json_type_object))
		goto out;
	/* json-c keeps the last of repeated names, in the first one's place: refuse the
	 * ambiguity, which also keeps members and j.members in the same order. */
	if ((size_t)json_object_object_length(obj) != j.nmembers)
		goto out;
	struct json_object_iterator it = json_object_iter_begin(obj);
	struct json_object_iterator end = json_object_iter_end(obj);
	for (size_t i = 0; !json_object_iter_equal(&it, &end); json_object_iter_next(&it), i++) {
		if (json_member_field(json_object_iter_peek_name(&it), json_object_iter_peek_value(&it), body,
		                      &j.members[i], lim, out) != 0)
			goto out;
	}
	rc = 0;
out:
	json_object_put(obj);
	if (tok)
		json_tokener_free(tok);
	free(j.members);
	return rc;
}
