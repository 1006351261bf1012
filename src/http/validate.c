/* Validation of the parameters a route declares into typed values. */
#include "http/input.h"
#include "http/input_parse.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"

/* Default and ceiling of a STRING's length in code points when the spec gives no maximum. */
#define STRING_DEFAULT_MAX 1000

/* ---- validation ------------------------------------------------------------------------- */

enum int_parse {
	INT_OK,
	INT_NOT_INTEGER,
	INT_TOO_LARGE,
	INT_TOO_SMALL,
};

/* Parses s[0..len) as -?[0-9]+ into *out. Past the range of long long it says which side. */
static enum int_parse parse_int(const char *s, size_t len, long long *out)
{
	unsigned long long acc = 0, limit = LLONG_MAX;
	bool neg = false, over = false;
	size_t i = 0;

	if (len > 0 && s[0] == '-') {
		neg = true;
		limit = (unsigned long long)LLONG_MAX + 1;
		i = 1;
	}
	if (i == len)
		return INT_NOT_INTEGER;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return INT_NOT_INTEGER; /* even after an overflow: "99…9x" is not an integer */
		unsigned d = (unsigned)(s[i] - '0');
		if (over || acc > (limit - d) / 10)
			over = true;
		else
			acc = acc * 10 + d;
	}
	if (over)
		return neg ? INT_TOO_SMALL : INT_TOO_LARGE;
	if (!neg)
		*out = (long long)acc;
	else if (acc == (unsigned long long)LLONG_MAX + 1)
		*out = LLONG_MIN;
	else
		*out = -(long long)acc;
	return INT_OK;
}

/* True when s (valid UTF-8) holds a control character other than tab, LF and CR: C0, DEL,
 * or C1 (U+0080..U+009F, encoded C2 80..C2 9F). */
static bool has_control(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return true;
		if (p[i] == 0x7F || (p[i] == 0xC2 && i + 1 < len && p[i + 1] <= 0x9F))
			return true;
	}
	return false;
}

static const char *check_int(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_TEXT && f->kind != FIELD_JSON_NUMBER)
		return "wrong_type";
	switch (parse_int(f->value, f->len, &v->i)) {
	case INT_OK: break;
	case INT_NOT_INTEGER: return "not_integer";
	case INT_TOO_LARGE: return "too_large";
	case INT_TOO_SMALL: return "too_small";
	}
	if (sp->min != 0 || sp->max != 0) {
		if (v->i < sp->min)
			return "too_small";
		if (v->i > sp->max)
			return "too_large";
	}
	return NULL;
}

/* "52", "52.5", "52.50" (a JSON number as written, or a form's text): in tenths. */
static const char *check_tenths(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_TEXT && f->kind != FIELD_JSON_NUMBER)
		return "wrong_type";
	const char *s = f->value, *end = f->value + f->len;
	long long whole = 0;
	int frac = 0, digits = 0;
	if (s == end)
		return "not_number";
	for (; s < end && *s >= '0' && *s <= '9'; s++, digits++) {
		whole = whole * 10 + (*s - '0');
		if (whole > 100000000LL)
			return "too_large";
	}
	if (!digits)
		return "not_number";
	if (s < end && *s == '.') {
		s++;
		if (s == end || *s < '0' || *s > '9')
			return "not_number";
		frac = *s++ - '0';
		while (s < end && *s == '0')
			s++;
	}
	if (s != end)
		return "not_number";
	v->i = whole * 10 + frac;
	if (sp->min != 0 || sp->max != 0) {
		if (v->i < sp->min)
			return "too_small";
		if (v->i > sp->max)
			return "too_large";
	}
	return NULL;
}

bool input_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (s[i] == ' ' || s[i] == '\t')
			i++;
		else if (i + 2 < len && (unsigned char)s[i] == 0xE3 && (unsigned char)s[i + 1] == 0x80 &&
		         (unsigned char)s[i + 2] == 0x80)
			i += 3;
		else
			return false;
	}
	return true;
}

static const char *check_string(const struct input_spec *sp, const struct field *f)
{
	if (f->kind != FIELD_TEXT)
		return "wrong_type";
	if (f->len == 0) /* a blank optional field is an empty string, whatever the minimum */
		return sp->required ? "required" : NULL;
	if (!utf8_valid(f->value, f->len))
		return "invalid_utf8";
	if (has_control(f->value, f->len))
		return "not_allowed";
	if (sp->required && input_blank(f->value, f->len))
		return "required";
	long long max = sp->max > 0 ? sp->max : STRING_DEFAULT_MAX;
	size_t n = utf8_length(f->value, f->len);
	if (sp->min > 0 && n < (unsigned long long)sp->min)
		return "too_short";
	if (n > (unsigned long long)max)
		return "too_long";
	return NULL;
}

static const char *check_bool(const struct field *f, struct input_value *v)
{
	static const struct {
		const char *text;
		bool value;
	} words[] = {{"1", true}, {"0", false}, {"true", true}, {"false", false}, {"on", true}, {"off", false}};

	if (f->kind == FIELD_JSON_BOOL) {
		v->i = f->value[0] == 't';
		return NULL;
	}
	if (f->kind != FIELD_TEXT)
		return "wrong_type";
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		if (strlen(words[k].text) == f->len && memcmp(words[k].text, f->value, f->len) == 0) {
			v->i = words[k].value;
			return NULL;
		}
	}
	return "not_allowed";
}

static const char *check_enum(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_TEXT)
		return "wrong_type";
	for (long long k = 0; sp->choices && sp->choices[k]; k++) {
		if (strlen(sp->choices[k]) == f->len && memcmp(sp->choices[k], f->value, f->len) == 0) {
			v->i = k;
			return NULL;
		}
	}
	return "not_allowed";
}

static const char *check_file(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_FILE)
		return "not_a_file";
	v->filename = f->filename;
	v->content_type = f->content_type;
	if (sp->min > 0 && f->len < (unsigned long long)sp->min)
		return "too_small";
	if (sp->max > 0 && f->len > (unsigned long long)sp->max)
		return "too_large";
	return NULL;
}

/* ---- the special text types -------------------------------------------------------------- */

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* True when s[0..len) is a domain: labels of letters, digits and inner hyphens (1-63 each),
 * at least two, the last of 2+ letters. */
static bool domain_valid(const char *s, size_t len)
{
	size_t labels = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!is_alnum(s[i]) && s[i] != '-')
				return false;
			continue;
		}
		size_t n = i - start;
		if (n == 0 || n > 63 || s[start] == '-' || s[i - 1] == '-')
			return false;
		labels++;
		if (i == len) { /* the top-level label: letters only */
			if (n < 2)
				return false;
			for (size_t k = start; k < i; k++)
				if (!is_alpha(s[k]))
					return false;
		}
		start = i + 1;
	}
	return labels >= 2;
}

bool input_email_valid(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	if (len > 254 || !at)
		return false;
	size_t local = (size_t)(at - s);
	if (local == 0 || local > 64 || s[0] == '.' || s[local - 1] == '.')
		return false;
	for (size_t i = 0; i < local; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return false;
		/* memchr, not strchr: strchr finds a NUL byte too (the string's own terminator) */
		if (!is_alnum(s[i]) && !memchr("._%+-", s[i], 5))
			return false;
	}
	return domain_valid(at + 1, len - local - 1);
}

bool input_phone_normalize(const char *s, size_t len, char out[16])
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (n == 11)
				return false;
			out[n++] = s[i];
		} else if ((s[i] != '-' && s[i] != ' ') || i == 0 || i + 1 == len || s[i + 1] < '0' || s[i + 1] > '9') {
			return false; /* one separator between digit groups, nothing else */
		}
	}
	out[n] = '\0';
	return n >= 9 && out[0] == '0';
}

const char *input_password_policy(const char *s, size_t len)
{
	bool upper = false, lower = false, digit = false, special = false;
	if (!utf8_valid(s, len))
		return "not_allowed";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* C0, DEL and C1 (U+0080..U+009F, C2 80..C2 9F): C1 is as invisible as the others */
		if (c < 0x20 || c == 0x7F || (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F))
			return "not_allowed";
		if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (c >= 'a' && c <= 'z')
			lower = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else
			special = true; /* punctuation, a space, or any letter beyond ASCII */
	}
	size_t n = utf8_length(s, len);
	if (n < 8)
		return "too_short";
	if (n > 64)
		return "too_long";
	return upper && lower && digit && special ? NULL : "weak_password";
}

bool input_date_parse(const char *s, size_t len, long long *yyyymmdd)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int v[3] = {0}, at[3] = {0, 5, 8}, width[3] = {4, 2, 2};
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < width[k]; i++) {
			char c = s[at[k] + i];
			if (c < '0' || c > '9')
				return false;
			v[k] = v[k] * 10 + (c - '0');
		}
	int y = v[0], m = v[1], d = v[2];
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap))
		return false;
	*yyyymmdd = (long long)y * 10000 + m * 100 + d;
	return true;
}

long long input_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return (long long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* EMAIL, PHONE, PASSWORD, DATE and POSTAL: text checked by its rule, normalized into v->norm. */
static const char *check_special(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_TEXT)
		return "wrong_type";
	if (memchr(f->value, '\0', f->len))
		return "not_allowed";
	switch (sp->type) {
	case INPUT_EMAIL:
		if (f->len > 254)
			return "too_long";
		if (!input_email_valid(f->value, f->len))
			return "invalid_email";
		for (size_t i = 0; i <= f->len; i++)
			v->norm[i] = (char)(f->value[i] >= 'A' && f->value[i] <= 'Z' ? f->value[i] + 32 : f->value[i]);
		break;
	case INPUT_PHONE:
		if (!input_phone_normalize(f->value, f->len, v->norm))
			return "invalid_phone";
		break;
	case INPUT_PASSWORD: return input_password_policy(f->value, f->len);
	case INPUT_DATE: {
		long long max = sp->max ? sp->max : input_today();
		if (!input_date_parse(f->value, f->len, &v->i))
			return "invalid_date";
		if (sp->min && v->i < sp->min)
			return "too_small";
		if (v->i > max)
			return "too_large";
		return NULL;
	}
	case INPUT_POSTAL:
		if (f->len != 5 || strspn(f->value, "0123456789") != 5)
			return "invalid_postal_code";
		return NULL;
	default: return "wrong_type";
	}
	v->s = v->norm;
	v->len = strlen(v->norm);
	return NULL;
}

/* JSON: an object or array of at most max members or elements. */
static const char *check_json(const struct input_spec *sp, const struct field *f, struct input_value *v)
{
	if (f->kind != FIELD_JSON_OTHER || !f->json)
		return "wrong_type";
	size_t n = json_object_is_type(f->json, json_type_array) ? json_object_array_length(f->json)
	                                                         : (size_t)json_object_object_length(f->json);
	if (sp->max > 0 && n > (size_t)sp->max)
		return "too_long";
	v->json = f->json;
	return NULL;
}

/* True when f is how a form says "nothing here": an empty text for a number, flag or
 * choice (an empty filter box), a file input with no file chosen (empty filename, no bytes). */
static bool field_blank(const struct input_spec *sp, const struct field *f)
{
	switch (sp->type) {
	case INPUT_INT:
	case INPUT_BOOL:
	case INPUT_ENUM:
	case INPUT_EMAIL:
	case INPUT_PHONE:
	case INPUT_PASSWORD:
	case INPUT_DATE:
	case INPUT_POSTAL:
	case INPUT_TENTHS: return f->kind == FIELD_TEXT && f->len == 0;
	case INPUT_FILE: return f->kind == FIELD_FILE && f->len == 0 && (!f->filename || !f->filename[0]);
	case INPUT_STRING:
	case INPUT_JSON:
	case INPUT_NTYPES: break;
	}
	return false;
}

int input_validate(const struct input_spec *specs, size_t nspecs, const struct field_list *query,
                   const struct field_list *body, struct input_value *values, struct json_object *errors)
{
	int invalid = 0;

	for (size_t i = 0; i < nspecs; i++) {
		const struct input_spec *sp = &specs[i];
		struct input_value *v = &values[i];
		unsigned sources = sp->sources ? sp->sources : INPUT_FROM_QUERY | INPUT_FROM_BODY;
		const struct field *f = NULL;
		const char *err = NULL;

		memset(v, 0, sizeof *v);
		if (sources & INPUT_FROM_BODY)
			f = field_list_get(body, sp->name);
		if (!f && (sources & INPUT_FROM_QUERY))
			f = field_list_get(query, sp->name);
		if (f) {
			v->s = f->value;
			v->len = f->len;
		}
		if (!f || field_blank(sp, f)) {
			if (sp->required)
				err = sp->type == INPUT_BOOL && sp->min == 1 ? "must_accept" : "required";
		} else {
			switch (sp->type) {
			case INPUT_INT: err = check_int(sp, f, v); break;
			case INPUT_STRING: err = check_string(sp, f); break;
			case INPUT_BOOL: err = check_bool(f, v); break;
			case INPUT_ENUM: err = check_enum(sp, f, v); break;
			case INPUT_FILE: err = check_file(sp, f, v); break;
			case INPUT_EMAIL:
			case INPUT_PHONE:
			case INPUT_PASSWORD:
			case INPUT_DATE:
			case INPUT_POSTAL: err = check_special(sp, f, v); break;
			case INPUT_JSON: err = check_json(sp, f, v); break;
			case INPUT_TENTHS: err = check_tenths(sp, f, v); break;
			default: err = "wrong_type"; break;
			}
			if (!err && sp->type == INPUT_BOOL && sp->min == 1 && v->i != 1)
				err = "must_accept";
			if (!err)
				v->present = true;
		}
		if (err) {
			invalid++;
			v->present = false;
			v->i = 0;
			if (f) { /* the submitted text, to fill the form in again */
				v->s = f->value;
				v->len = f->len;
			}
			if (errors)
				json_object_object_add(errors, sp->name, json_object_new_string(err));
		}
	}
	/* Inputs that repeat another (a password typed twice), once every text is known. */
	for (size_t i = 0; i < nspecs; i++) {
		if (!specs[i].same_as || !values[i].present)
			continue;
		for (size_t k = 0; k < nspecs; k++) {
			if (k == i || strcmp(specs[k].name, specs[i].same_as) != 0)
				continue;
			const struct input_value *a = &values[i], *b = &values[k];
			if (!b->s || a->len != b->len || memcmp(a->s, b->s, a->len) != 0) {
				invalid++;
				values[i].present = false;
				if (errors)
					json_object_object_add(errors, specs[i].name,
					                       json_object_new_string("mismatch"));
			}
		}
	}
	return invalid;
}

int input_validate_json_object(const struct input_spec *specs, size_t nspecs, json_object *obj, const char *prefix,
                               struct field_list *fields, struct input_value *values, json_object *errors)
{
	struct field_list none = {0};
	memset(values, 0, nspecs * sizeof *values);
	/* The object came from a body the strict checker passed; written out again, it parses into the
	 * same fields a top-level body makes, so every rule of input_validate applies unchanged. */
	const char *text = json_object_is_type(obj, json_type_object)
	                       ? json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN)
	                       : NULL;
	if (!text || input_parse_json(text, strlen(text), NULL, fields) != 0) {
		if (errors)
			json_object_object_add(errors, prefix, json_object_new_string("wrong_type"));
		return 1;
	}
	json_object *own = json_object_new_object();
	int invalid = input_validate(specs, nspecs, &none, fields, values, own);
	json_object_object_foreach(own, name, code)
	{
		char key[160];
		snprintf(key, sizeof key, "%s.%s", prefix, name);
		if (errors)
			json_object_object_add(errors, key, json_object_get(code));
	}
	json_object_put(own);
	return invalid;
}
