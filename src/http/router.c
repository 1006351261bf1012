#include "http/router.h"

#include <string.h>

#include <json-c/json.h>

#include "util/buf.h"

const char *access_name(enum access access)
{
	switch (access) {
	case ACCESS_GUEST: return "guest";
	case ACCESS_MEMBER: return "member";
	case ACCESS_SHOPPER: return "shopper";
	case ACCESS_SELLER: return "seller";
	case ACCESS_ADMIN: return "admin";
	case ACCESS_SIGNED_IN: return "signed_in";
	}
	return "admin";
}

const char *role_name(enum role role)
{
	switch (role) {
	case ROLE_GUEST: return "guest";
	case ROLE_PENDING_SHOPPER: return "pending_shopper";
	case ROLE_SHOPPER: return "shopper";
	case ROLE_SELLER: return "seller";
	case ROLE_INACTIVE_SELLER: return "inactive_seller";
	case ROLE_ADMIN: return "admin";
	}
	return "guest";
}

enum status access_check(enum access access, enum role role)
{
	if (access == ACCESS_GUEST)
		return ST_OK;
	if (role == ROLE_GUEST)
		return ST_UNAUTHENTICATED;
	switch (access) {
	case ACCESS_GUEST:
	case ACCESS_SIGNED_IN: return ST_OK;
	case ACCESS_MEMBER: return role == ROLE_SHOPPER || role == ROLE_PENDING_SHOPPER ? ST_OK : ST_FORBIDDEN;
	case ACCESS_SHOPPER: return role == ROLE_SHOPPER ? ST_OK : ST_FORBIDDEN;
	case ACCESS_SELLER: return role == ROLE_SELLER ? ST_OK : ST_FORBIDDEN;
	case ACCESS_ADMIN: return role == ROLE_ADMIN ? ST_OK : ST_FORBIDDEN;
	}
	return ST_FORBIDDEN;
}

/* Parses one path segment [s, s+len) as an id: 1 to 18 digits, no leading zero, > 0.
 * Anything else (letters, signs, a 20-digit number) is not this route: the answer is 404. */
static bool segment_id(const char *s, size_t len, long long *out)
{
	if (len == 0 || len > 18 || s[0] == '0')
		return false;
	long long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Matches path against pattern segment by segment; fills params. */
static bool pattern_match(const char *pattern, const char *path, long long *params, size_t *nparams)
{
	size_t n = 0;
	const char *p = pattern, *q = path;
	while (*p && *q) {
		if (*p != '/' || *q != '/')
			return false;
		p++, q++;
		const char *pe = strchr(p, '/'), *qe = strchr(q, '/');
		size_t plen = pe ? (size_t)(pe - p) : strlen(p);
		size_t qlen = qe ? (size_t)(qe - q) : strlen(q);
		if (plen > 1 && p[0] == '{') {
			if (n == 4 || !segment_id(q, qlen, &params[n]))
				return false;
			n++;
		} else if (plen != qlen || memcmp(p, q, plen) != 0) {
			return false;
		}
		p += plen, q += qlen;
	}
	if (*p || *q)
		return false;
	*nparams = n;
	return true;
}

enum route_match router_match(const struct route *routes, size_t n, const char *method, const char *path,
                              bool include_test_routes, const struct route **found, long long *params, size_t *nparams,
                              struct buf *allow)
{
	bool path_known = false;
	bool is_head = strcmp(method, "HEAD") == 0;
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &routes[i];
		if ((r->flags & ROUTE_TEST_ONLY) && !include_test_routes)
			continue;
		long long tmp[4];
		size_t ntmp;
		if (!pattern_match(r->pattern, path, tmp, &ntmp))
			continue;
		if (strcmp(r->method, method) == 0 || (is_head && strcmp(r->method, "GET") == 0)) {
			*found = r;
			memcpy(params, tmp, sizeof tmp);
			*nparams = ntmp;
			return ROUTE_FOUND;
		}
		if (allow) {
			if (allow->len)
				buf_puts(allow, ", ");
			buf_puts(allow, r->method);
			if (strcmp(r->method, "GET") == 0)
				buf_puts(allow, ", HEAD");
		}
		path_known = true;
	}
	return path_known ? ROUTE_WRONG_METHOD : ROUTE_NOT_FOUND;
}

static const char *input_type_name(enum input_type t)
{
	switch (t) {
	case INPUT_INT: return "integer";
	case INPUT_STRING: return "string";
	case INPUT_BOOL: return "boolean";
	case INPUT_ENUM: return "enum";
	case INPUT_FILE: return "file";
	case INPUT_EMAIL: return "email";
	case INPUT_PHONE: return "phone";
	case INPUT_PASSWORD: return "password";
	case INPUT_DATE: return "date";
	case INPUT_POSTAL: return "postal_code";
	case INPUT_JSON: return "json";
	case INPUT_TENTHS: return "decimal";
	case INPUT_NTYPES: break;
	}
	return "string";
}

void router_print_json(const struct route *routes, size_t n, bool include_test_routes, struct buf *out)
{
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &routes[i];
		if ((r->flags & ROUTE_TEST_ONLY) && !include_test_routes)
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "method", json_object_new_string(r->method));
		json_object_object_add(o, "path", json_object_new_string(r->pattern));
		json_object_object_add(o, "role", json_object_new_string(access_name(r->access)));
		json_object *inputs = json_object_new_array();
		for (size_t k = 0; k < r->ninputs; k++) {
			const struct input_spec *s = &r->inputs[k];
			json_object *in = json_object_new_object();
			json_object_object_add(in, "name", json_object_new_string(s->name));
			json_object_object_add(in, "type", json_object_new_string(input_type_name(s->type)));
			json_object_object_add(in, "required", json_object_new_boolean(s->required));
			const char *from = s->sources == INPUT_FROM_QUERY  ? "query"
			                   : s->sources == INPUT_FROM_BODY ? "body"
			                                                   : "query_or_body";
			json_object_object_add(in, "in", json_object_new_string(from));
			if (s->min || s->max) {
				json_object_object_add(in, "min", json_object_new_int64(s->min));
				json_object_object_add(in, "max", json_object_new_int64(s->max));
			}
			if (s->flags & INPUT_SECRET)
				json_object_object_add(in, "secret", json_object_new_boolean(1));
			if (s->same_as)
				json_object_object_add(in, "same_as", json_object_new_string(s->same_as));
			if (s->choices) {
				json_object *c = json_object_new_array();
				for (const char *const *ch = s->choices; *ch; ch++)
					json_object_array_add(c, json_object_new_string(*ch));
				json_object_object_add(in, "choices", c);
			}
			json_object_array_add(inputs, in);
		}
		json_object_object_add(o, "inputs", inputs);
		if (r->flags & ROUTE_TEST_ONLY)
			json_object_object_add(o, "test_only", json_object_new_boolean(1));
		json_object_array_add(list, o);
	}
	buf_puts(out, json_object_to_json_string_ext(list, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(out, '\n');
	json_object_put(list);
}
