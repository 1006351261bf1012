/* Request input: raw fields from every source, and their validation against the
 * parameters a route declares. Handlers only ever see validated, typed values. */
#ifndef LONUA_HTTP_INPUT_H
#define LONUA_HTTP_INPUT_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

/* ---- raw fields ------------------------------------------------------------------------- */

enum field_kind {
	FIELD_TEXT,        /* query string, urlencoded form, multipart text part, JSON string */
	FIELD_FILE,        /* multipart part with a filename */
	FIELD_JSON_NUMBER, /* JSON number: value holds its text as written ("12", "1.5", "1e3") */
	FIELD_JSON_BOOL,   /* JSON true/false: value is "true" or "false" */
	FIELD_JSON_NULL,   /* JSON null: value is "null" */
	FIELD_JSON_OTHER,  /* JSON object or array: json holds it (a new reference owned by the list);
	                    * value is "" */
};

struct field {
	char *name;  /* NUL-terminated, decoded */
	char *value; /* NUL-terminated, decoded (may contain NUL bytes before len: see len) */
	size_t len;  /* bytes in value */
	enum field_kind kind;
	char *filename;           /* FIELD_FILE only, else NULL */
	char *content_type;       /* FIELD_FILE only (the part's Content-Type, application/octet-stream
	                           * when it has none), else NULL */
	struct json_object *json; /* FIELD_JSON_OTHER only, else NULL */
};

struct field_list {
	struct field *items;
	size_t count;
	size_t cap;
};

struct input_limits {
	size_t max_fields;       /* fields (or multipart parts) per source */
	size_t max_name_len;     /* bytes in a field name */
	size_t max_part_headers; /* bytes of headers in one multipart part */
	size_t max_json_depth;   /* nesting depth of a JSON body */
};

/* The limits every route uses unless it says otherwise. */
extern const struct input_limits input_default_limits;

void field_list_add(struct field_list *l, const char *name, size_t name_len, const char *value, size_t value_len,
                    enum field_kind kind);
/* The first field called name, or NULL. */
const struct field *field_list_get(const struct field_list *l, const char *name);
void field_list_free(struct field_list *l);

/* Each parser appends to out and returns 0, or an HTTP status on failure:
 * 400 malformed (bad percent-escape, broken multipart, invalid JSON, JSON not an object),
 * 413 too many fields/parts or a part's headers too long. Out may hold partial results on failure:
 * the caller frees it either way. lim may be NULL for input_default_limits. Field names longer
 * than lim->max_name_len (or, urlencoded, holding a %00) are 400. Bodies need no terminating
 * NUL: only s[0..len) is read. */
int input_parse_urlencoded(const char *s, size_t len, const struct input_limits *lim, struct field_list *out);
/* content_type is the request's whole Content-Type header value (boundary read from it:
 * a missing or empty boundary is 400). */
int input_parse_multipart(const char *content_type, const char *body, size_t len, const struct input_limits *lim,
                          struct field_list *out);
/* The body must be one JSON object (RFC 8259, strictly: no NaN, no comments, no trailing data,
 * well-formed UTF-8 and paired surrogate escapes, no repeated member names, no \u0000 in a name,
 * else 400); each member becomes a field of the matching kind. The top-level object is depth 1
 * of lim->max_json_depth (deeper is 400); more members than lim->max_fields is 413. */
int input_parse_json(const char *body, size_t len, const struct input_limits *lim, struct field_list *out);
/* Parses a Cookie header ("a=1; b=2"); malformed pairs are skipped, never an error. Values may
 * be quoted (the quotes are dropped) and are not percent-decoded; the default limits apply
 * (longer names skipped, cookies beyond max_fields ignored). header may be NULL. */
void input_parse_cookies(const char *header, struct field_list *out);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t len);
/* Number of code points in well-formed UTF-8. */
size_t utf8_length(const char *s, size_t len);

/* ---- declared parameters ------------------------------------------------------------------ */

enum input_type {
	INPUT_INT, /* decimal integer, optional leading '-', no fraction, no exponent; JSON number without fraction */
	INPUT_STRING,   /* UTF-8 text; control characters other than \t \n \r refused */
	INPUT_BOOL,     /* "1"/"0"/"true"/"false"/"on"/"off"; JSON true/false */
	INPUT_ENUM,     /* one of choices */
	INPUT_FILE,     /* a multipart file part */
	INPUT_EMAIL,    /* an e-mail address (input_email_valid); the value is lower-cased */
	INPUT_PHONE,    /* a Korean phone number, with or without hyphens (input_phone_normalize); the value
	                 * is its digits: "01012345678" */
	INPUT_PASSWORD, /* a new password by the policy of input_password_policy; secret */
	INPUT_DATE,     /* a calendar date YYYY-MM-DD; i holds it as YYYYMMDD; min and max bound it
	                 * (YYYYMMDD), max 0 meaning today (UTC) */
	INPUT_POSTAL,   /* a Korean postal code: 5 digits */
	INPUT_JSON,     /* a JSON object or array (JSON bodies only), in json; max (when not 0) bounds its
	                 * members or elements ("too_long"); input_validate_json_object reads an
	                 * object's members */
	INPUT_TENTHS,   /* a decimal with at most one digit after the point ("52.5", 52.5, "52"): i holds
	                 * it in tenths (525); min and max bound it in tenths (a garment measurement in
	                 * cm, stored in mm) */
	INPUT_NTYPES
};

enum input_source {
	INPUT_FROM_QUERY = 1,
	INPUT_FROM_BODY = 2,
};

enum input_flags {
	INPUT_SECRET = 1, /* never written back into a re-rendered form (passwords); INPUT_PASSWORD is */
};

struct input_spec {
	const char *name;
	enum input_type type;
	unsigned sources; /* bitmask of enum input_source; 0 means both */
	bool required;
	long long min, max;         /* INT: value bounds; STRING: length in code points;
	                             * FILE: size in bytes; DATE: YYYYMMDD. min == max == 0 means no
	                             * bounds for INT and 0..1000 for STRING. For STRING a max <= 0
	                             * means 1000; for FILE a 0 leaves that side unbounded. BOOL: min 1
	                             * means it must be true (a consent box: "must_accept"). */
	const char *const *choices; /* ENUM: NULL-terminated */
	long long def;              /* what req_int answers when the input is not given */
	unsigned flags;             /* enum input_flags */
	const char *same_as;        /* another input this one must repeat exactly (a password typed
	                             * twice): "mismatch" when it differs */
};

struct input_value {
	bool present;  /* a valid value was given */
	long long i;   /* INT; BOOL as 0/1; ENUM as index in choices; DATE as YYYYMMDD */
	const char *s; /* STRING, ENUM, FILE contents (points into the field list), the
	                * normalized text of EMAIL, PHONE, DATE and POSTAL (in norm); for
	                * every type, the submitted text whenever a field was found, even
	                * blank or invalid (to fill a form in again), else NULL */
	size_t len;
	const char *filename;     /* FILE */
	const char *content_type; /* FILE */
	char norm[256];           /* the normalized text of EMAIL and PHONE (s points here when valid) */
	struct json_object *json; /* JSON: the object or array (owned by the field list) */
};

/* True when s is an e-mail address we accept: at most 254 bytes; a local part of 1-64 of
 * A-Z a-z 0-9 and . _ % + - (no leading, trailing or doubled dot); '@'; a domain of at least two
 * dot-separated labels of letters, digits and inner hyphens, ending in a label of 2+ letters. */
bool input_email_valid(const char *s, size_t len);
/* Writes the digits of a Korean phone number (0 then 8-10 digits; hyphens or blanks between
 * groups allowed: 010-1234-5678, 02 123 4567) into out (16 bytes); returns false if it is not one. */
bool input_phone_normalize(const char *s, size_t len, char out[16]);
/* NULL when password meets the policy (8-64 characters, at least one upper-case and one
 * lower-case letter, a digit and a special character; no control characters), else the error
 * code: "too_short", "too_long", "weak_password" or "not_allowed". */
const char *input_password_policy(const char *s, size_t len);
/* True when s is YYYY-MM-DD of a real calendar date (1900-01-01 or later); sets *yyyymmdd. */
bool input_date_parse(const char *s, size_t len, long long *yyyymmdd);
/* Today's date (UTC) as YYYYMMDD. */
long long input_today(void);

/* Validates the declared specs against the query and body fields; fills values[i] for
 * specs[i] (values must have nspecs entries). A body field wins over a query field of the
 * same name when a spec accepts both; a field from a source the spec does not accept is
 * ignored; the first of repeated names counts. Undeclared fields are ignored. For each invalid
 * field, sets errors[name] = a stable message code (a JSON string): "required", "not_integer",
 * "too_small", "too_large", "too_short", "too_long", "not_allowed", "invalid_utf8",
 * "wrong_type", "not_a_file", "invalid_email", "invalid_phone", "weak_password", "invalid_date",
 * "invalid_postal_code", "must_accept". errors may be NULL. Returns the number of invalid fields.
 * - Blank means absent: an empty text for INT, BOOL or ENUM (an empty filter box) and a file
 *   part with an empty filename and no bytes (no file chosen) are not present, so "required"
 *   only when required. An empty STRING is present as "" unless required ("required"); its
 *   minimum length does not apply to it.
 * - INT takes text (form or JSON string) and JSON numbers; beyond long long it is "too_large"
 *   or "too_small"; any fraction or exponent ("12.0", "1e3") is "not_integer".
 * - Kinds: INT takes text and JSON numbers, STRING and ENUM take text, BOOL takes text and
 *   JSON true/false; any other kind (JSON null, object, array, a file part...) is "wrong_type".
 *   FILE takes only a file part; anything else is "not_a_file".
 * - STRING: "invalid_utf8", then control characters other than \t \n \r (C0, DEL, C1) are
 *   "not_allowed", then a required one that is blank (input_blank) is "required", then the length
 *   in code points.
 * - EMAIL, PHONE, PASSWORD, DATE and POSTAL take text; blank is absent, like INT. EMAIL longer
 *   than 254 bytes is "too_long"; DATE outside min..max is "too_small" or "too_large".
 * - BOOL with min 1 must be true: false is "must_accept", and absent is "must_accept" when
 *   required.
 * - An input with same_as that was given and is otherwise valid must equal the text submitted for
 *   that other input, else "mismatch" (checked with the rest, so a form shows it at once). */
int input_validate(const struct input_spec *specs, size_t nspecs, const struct field_list *query,
                   const struct field_list *body, struct input_value *values, struct json_object *errors);

/* True for a text that says nothing: empty, or only spaces, tabs and U+3000 (the ideographic space
 * Korean keyboards type). A required text of them is "required"; req_text reads them as not given. */
bool input_blank(const char *s, size_t len);

/* Validates the members of obj (an element of a JSON input: one of the items of an order) as a
 * JSON body's fields against specs, into values; each invalid field is named prefix + "." + name in
 * errors ("items[0].quantity"), and a value that is not an object is one error named prefix
 * ("wrong_type"). The values point into fields, which the caller frees (field_list_free) when done
 * with them. Returns the number of invalid fields. */
int input_validate_json_object(const struct input_spec *specs, size_t nspecs, struct json_object *obj,
                               const char *prefix, struct field_list *fields, struct input_value *values,
                               struct json_object *errors);

#endif
