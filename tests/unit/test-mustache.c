/* The Mustache engine: every vector of the official spec (tests/data/mustache-spec, or the
 * folder in argv[1] or $MUSTACHE_SPEC_DIR), then our own cases: escaping, parse errors, the
 * recursion limits, re-rendering, and random templates that must never crash. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tap.h"
#include "util/buf.h"
#include "view/mustache.h"

#define TEMPLATE "(template)" /* the name the spec template is added under; no partial uses it */

/* Files that must pass whole; the others are optional extensions (reported as TODO on failure). */
static const char *const required[] = {
    "comments", "delimiters", "interpolation", "inverted", "partials", "sections", "~inheritance",
};
static const char *const skipped[] = {"~lambdas"};

static int listed(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return 1;
	return 0;
}

/* Prints s on one diagnostic line with its newlines and tabs made visible. */
static void diag_text(const char *label, const char *s)
{
	struct buf b = BUF_INIT;
	for (; *s; s++) {
		if (*s == '\n')
			buf_puts(&b, "\\n");
		else if (*s == '\r')
			buf_puts(&b, "\\r");
		else if (*s == '\t')
			buf_puts(&b, "\\t");
		else
			buf_putc(&b, *s);
	}
	tap_diag("  %s \"%s\"", label, buf_str(&b));
	buf_free(&b);
}

/* Runs one spec vector: adds the template and its partials to a fresh set and renders. */
static int run_vector(json_object *test, struct buf *got, char *err, size_t errlen)
{
	struct mustache_set *set = mustache_set_new();
	json_object *partials, *template, *data = NULL;
	int rc = 0;
	err[0] = '\0';
	if (json_object_object_get_ex(test, "partials", &partials) && json_object_is_type(partials, json_type_object)) {
		json_object_object_foreach(partials, name, src)
		{
			if (rc == 0)
				rc = mustache_set_add(set, name, json_object_get_string(src),
				                      (size_t)json_object_get_string_len(src), err, errlen);
		}
	}
	json_object_object_get_ex(test, "template", &template);
	json_object_object_get_ex(test, "data", &data);
	if (rc == 0)
		rc = mustache_set_add(set, TEMPLATE, json_object_get_string(template),
		                      (size_t)json_object_get_string_len(template), err, errlen);
	if (rc == 0 && mustache_render(set, TEMPLATE, data, got) != 0) {
		snprintf(err, errlen, "render failed");
		rc = -1;
	}
	mustache_set_free(set);
	return rc;
}

struct tally {
	char name[64];
	int passed, total, optional;
};

/* Runs every vector of one spec file; returns its tally. */
static struct tally run_file(const char *dir, const char *file)
{
	struct tally t = {.passed = 0};
	snprintf(t.name, sizeof t.name, "%.*s", (int)(strlen(file) - 5), file);
	t.optional = !listed(t.name, required, sizeof required / sizeof *required);

	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	json_object *spec = json_object_from_file(path), *tests;
	if (!spec || !json_object_object_get_ex(spec, "tests", &tests)) {
		tap_ok(0, "%s: readable spec file", t.name);
		t.total = 1;
		json_object_put(spec);
		return t;
	}
	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		json_object *test = json_object_array_get_idx(tests, i), *name, *expected;
		json_object_object_get_ex(test, "name", &name);
		json_object_object_get_ex(test, "expected", &expected);
		struct buf got = BUF_INIT;
		char err[256];
		int ok = run_vector(test, &got, err, sizeof err) == 0 &&
		         strcmp(buf_str(&got), json_object_get_string(expected)) == 0;
		t.total++;
		t.passed += ok;
		if (ok || !t.optional) {
			tap_ok(ok, "%s: %s", t.name, json_object_get_string(name));
		} else { /* an optional extension: a failure is reported but does not fail the run */
			printf("not ok %d - %s: %s # TODO optional spec\n", ++tap_count, t.name,
			       json_object_get_string(name));
		}
		if (!ok) {
			if (err[0])
				tap_diag("  error: %s", err);
			diag_text("expected", json_object_get_string(expected));
			diag_text("got     ", buf_str(&got));
		}
		buf_free(&got);
	}
	json_object_put(spec);
	return t;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Runs all spec files in dir (sorted) and prints the counts. */
static void run_spec(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		tap_ok(0, "spec folder %s can be read", dir);
		return;
	}
	struct tally tallies[32];
	int ntallies = 0, req_pass = 0, req_total = 0, opt_pass = 0, opt_total = 0;
	for (int i = 0; i < n; i++) {
		const char *file = names[i]->d_name;
		if (ends_with(file, ".json") && strlen(file) < 64) {
			char base[64];
			snprintf(base, sizeof base, "%.*s", (int)(strlen(file) - 5), file);
			if (listed(base, skipped, sizeof skipped / sizeof *skipped))
				tap_diag("%s: skipped (lambdas are not supported)", file);
			else if (ntallies < 32)
				tallies[ntallies++] = run_file(dir, file);
		}
		free(names[i]);
	}
	free(names);
	for (int i = 0; i < ntallies; i++) {
		const struct tally *t = &tallies[i];
		tap_diag("%s: %d/%d passed%s", t->name, t->passed, t->total, t->optional ? " (optional)" : "");
		if (t->optional) {
			opt_pass += t->passed;
			opt_total += t->total;
		} else {
			req_pass += t->passed;
			req_total += t->total;
		}
	}
	tap_ok(ntallies >= (int)(sizeof required / sizeof *required), "all required spec files were found");
	tap_diag("total: %d/%d required passed, %d/%d optional passed", req_pass, req_total, opt_pass, opt_total);
}

/* Adds src under name, rendering data (JSON text) into a string; returns the render's rc. */
static int render_str(struct mustache_set *set, const char *name, const char *src, const char *json, struct buf *out)
{
	char err[256];
	if (src && mustache_set_add(set, name, src, strlen(src), err, sizeof err) != 0) {
		tap_diag("unexpected parse error: %s", err);
		return -2;
	}
	json_object *data = json ? json_tokener_parse(json) : NULL;
	int rc = mustache_render(set, name, data, out);
	json_object_put(data);
	return rc;
}

/* A template that must not parse; checks -1 and that the message names the line. */
static void parse_fails(const char *src, const char *line, const char *what)
{
	struct mustache_set *set = mustache_set_new();
	char err[256] = "";
	int rc = mustache_set_add(set, "bad", src, strlen(src), err, sizeof err);
	tap_ok(rc == -1 && strstr(err, line) != NULL && !mustache_set_has(set, "bad"), "%s gives -1 and \"%s\"", what,
	       err);
	mustache_set_free(set);
}

/* Escaping, number formatting and truthiness. */
static void test_values(void)
{
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	int rc = render_str(set, "esc", "{{x}}|{{{x}}}|{{&x}}", "{\"x\": \"&<>\\\"'\"}", &out);
	tap_ok(rc == 0 && strcmp(out.data, "&amp;&lt;&gt;&quot;&#39;|&<>\"'|&<>\"'") == 0,
	       "{{x}} escapes all five characters, {{{x}}} and {{&x}} do not");

	buf_reset(&out);
	rc = render_str(set, "num", "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
	                "{\"a\": 1.5, \"b\": 85, \"c\": 0.1, \"d\": 3.0, \"e\": -2, \"f\": true, \"g\": [1,\"x\"]}",
	                &out);
	tap_ok(rc == 0 && strcmp(out.data, "1.5 85 0.1 3 -2 true [1,&quot;x&quot;]") == 0,
	       "numbers, booleans and lists interpolate as JSON writes them (%s)", buf_str(&out));

	json_object *d = json_object_new_object();
	json_object_object_add(d, "x", json_object_new_double(0.3));
	json_object_object_add(d, "y", json_object_new_double(1e21));
	const char *dbl = "{{x}} {{y}}";
	mustache_set_add(set, "dbl", dbl, strlen(dbl), NULL, 0);
	buf_reset(&out);
	rc = mustache_render(set, "dbl", d, &out);
	tap_ok(rc == 0 && strcmp(out.data, "0.3 1e+21") == 0, "doubles built in C print shortest (%s)", buf_str(&out));
	json_object_put(d);

	buf_reset(&out);
	rc = render_str(set, "falsy", "{{#z}}0{{/z}}{{#s}}s{{/s}}{{^n}}n{{/n}}{{^f}}f{{/f}}{{^l}}l{{/l}}{{^m}}m{{/m}}",
	                "{\"z\": 0, \"s\": \"\", \"n\": null, \"f\": false, \"l\": []}", &out);
	tap_ok(rc == 0 && strcmp(out.data, "0snflm") == 0, "false, null, [] and missing are falsy; 0 and \"\" are not");
	buf_free(&out);
	mustache_set_free(set);
}

/* Parse errors, and what adding does to the set. */
static void test_errors(void)
{
	parse_fails("a\n{{#s}}\nb", "line 2", "an unclosed section");
	parse_fails("{{#a}}\n\n{{/b}}", "line 3", "a mismatched closing tag");
	parse_fails("x\n{{/a}}", "line 2", "a closing tag without opening");
	parse_fails("\n\n{{=<% %>=}}<%x", "line 3", "an unterminated tag");
	parse_fails("{{=<%=}}", "line 1", "a set-delimiter tag with one delimiter");
	parse_fails("{{= a=b c =}}", "line 1", "a delimiter containing '='");
	parse_fails("{{}}", "line 1", "an empty tag");
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_puts(&deep, "{{#a}}");
	parse_fails(deep.data, "line 1", "sections nested 100 deep");
	buf_free(&deep);

	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	mustache_set_add(set, "keep", "old", 3, err, sizeof err);
	int rc = mustache_set_add(set, "keep", "{{#x}}", 6, err, sizeof err);
	mustache_render(set, "keep", NULL, &out);
	tap_ok(rc == -1 && strcmp(out.data, "old") == 0, "a failed add keeps the previous template");
	mustache_set_add(set, "keep", "new", 3, err, sizeof err);
	buf_reset(&out);
	mustache_render(set, "keep", NULL, &out);
	tap_ok(strcmp(out.data, "new") == 0, "adding a name again replaces the template");
	tap_ok(mustache_set_has(set, "keep") && !mustache_set_has(set, "nope"),
	       "mustache_set_has knows what was added");
	buf_reset(&out);
	buf_puts(&out, "kept");
	tap_ok(mustache_render(set, "nope", NULL, &out) == -1 && strcmp(out.data, "kept") == 0,
	       "rendering an unknown template gives -1");
	buf_free(&out);
	mustache_set_free(set);
}

/* Recursive partials and parents end in -1, never in a crash or an endless render. */
static void test_limits(void)
{
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	char err[256];

	/* Data that keeps nesting, built in C: json-c's parser stops at 32 levels. */
	json_object *nest = json_object_new_int(1);
	for (int i = 0; i < 200; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "n", nest);
		nest = o;
	}
	const char *self = "<{{#n}}{{>self}}{{/n}}>";
	mustache_set_add(set, "self", self, strlen(self), err, sizeof err);
	buf_puts(&out, "before");
	int rc = mustache_render(set, "self", nest, &out);
	tap_ok(rc == -1 && strcmp(out.data, "before") == 0,
	       "a partial recursing 200 deep gives -1 and leaves out as it was");
	json_object_put(nest);
	buf_reset(&out);
	rc = render_str(set, "self", NULL, "{\"n\": {\"n\": {\"n\": false}}}", &out);
	tap_ok(rc == 0 && strcmp(out.data, "<<<>>>") == 0, "the same partial renders when the data ends the recursion");

	buf_reset(&out);
	tap_ok(render_str(set, "loop", "{{<loop}}{{/loop}}", "{}", &out) == -1, "a parent extending itself gives -1");
	tap_ok(render_str(set, "twice", "{{>twice}}{{>twice}}", "{}", &out) == -1,
	       "a partial including itself twice stops at the depth limit");

	/* Ten partials of ten includes each: 10^10 expansions, shallow; the expansion budget stops it. */
	for (int i = 0; i < 10; i++) {
		char name[8], src[128] = "";
		snprintf(name, sizeof name, "w%d", i);
		for (int k = 0; k < 10; k++)
			snprintf(src + strlen(src), sizeof src - strlen(src), "{{>w%d}}", i + 1);
		mustache_set_add(set, name, src, strlen(src), err, sizeof err);
	}
	tap_ok(render_str(set, "w0", NULL, "{}", &out) == -1, "10^10 shallow expansions stop at the expansion budget");

	/* Sections as deep as a template allows, in a partial recursing as deep as allowed: the
	 * context limit stops it before the C stack runs out. */
	struct buf src = BUF_INIT;
	for (int i = 0; i < MUSTACHE_MAX_NESTING - 1; i++)
		buf_puts(&src, "{{#a}}");
	buf_puts(&src, "x{{>deep}}");
	for (int i = 0; i < MUSTACHE_MAX_NESTING - 1; i++)
		buf_puts(&src, "{{/a}}");
	rc = render_str(set, "deep", src.data, "{\"a\": true}", &out);
	tap_ok(rc == -1 && out.len == 0, "deeply nested sections in a recursive partial give -1");
	buf_free(&src);
	buf_free(&out);
	mustache_set_free(set);
}

/* One parse, many renders: the tree is not changed by rendering. */
static void test_reuse(void)
{
	struct mustache_set *set = mustache_set_new();
	struct buf first = BUF_INIT, second = BUF_INIT;
	const char *page = "{{<layout}}{{$body}}{{#items}}<li>{{name}}</li>{{/items}}{{/body}}{{/layout}}";
	const char *data = "{\"items\": [{\"name\": \"a<b\"}, {\"name\": \"c\"}]}";
	render_str(set, "layout", "<ul>{{$body}}{{/body}}</ul>", NULL, &first);
	buf_reset(&first);
	int rc = render_str(set, "page", page, data, &first);
	int rc2 = render_str(set, "page", NULL, data, &second);
	tap_ok(rc == 0 && rc2 == 0 && strcmp(first.data, "<ul><li>a&lt;b</li><li>c</li></ul>") == 0 &&
	           strcmp(first.data, second.data) == 0,
	       "rendering one parsed template twice gives the same output");
	buf_free(&first);
	buf_free(&second);
	mustache_set_free(set);
}

/* Hostile values and what they must become: {{x}} writes the escaped form, {{{x}}} and {{&x}}
 * the raw one. Together they hold all five escaped characters, an entity that must be escaped
 * again, characters that must stay (/ ( ) = space), a second line that starts with '<', and
 * a map that prints as JSON. */
#define S_RAW "<script>alert(\"x\")</script>"
#define S_ESC "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
#define Q_RAW "' onmouseover='"
#define Q_ESC "&#39; onmouseover=&#39;"
#define E_RAW "&amp;"
#define E_ESC "&amp;amp;"
#define M_RAW "ok\n<b>'2'</b> & \"3\""
#define M_ESC "ok\n&lt;b&gt;&#39;2&#39;&lt;/b&gt; &amp; &quot;3&quot;"
#define O_RAW "{\"k\":\"<'&>\"}"
#define O_ESC "{&quot;k&quot;:&quot;&lt;&#39;&amp;&gt;&quot;}"

/* One way a value reaches the output: the page template, up to three other templates, and
 * the exact output over hostile_data(). */
struct escape_case {
	const char *name;
	const char *page;
	const char *templates[3][2]; /* name, source */
	const char *expected;
};

static const struct escape_case escape_cases[] = {
    /* No indentation is pending. */
    {"{{x}} mid-line outside any partial", "<p>{{s}}</p>", {{NULL}}, "<p>" S_ESC "</p>"},
    {"{{{x}}} and {{&x}} mid-line outside any partial", "<p>{{{s}}}{{&q}}</p>", {{NULL}}, "<p>" S_RAW Q_RAW "</p>"},
    {"{{x}} at the start of a later line outside any partial", "a\n{{q}}\n", {{NULL}}, "a\n" Q_ESC "\n"},
    {"{{x}} with a multi-line value outside any partial", "{{m}}|", {{NULL}}, M_ESC "|"},
    {"{{{x}}} with a multi-line value outside any partial", "{{{m}}}|", {{NULL}}, M_RAW "|"},
    {"{{x}} of a map outside any partial", "{{o}}", {{NULL}}, O_ESC},
    {"{{x}} in an inline (not standalone) partial", "<p>{{>p}}</p>", {{"p", "{{s}}"}}, "<p>" S_ESC "</p>"},
    {"{{{x}}} in an inline (not standalone) partial", "<p>{{>p}}</p>", {{"p", "{{{s}}}"}}, "<p>" S_RAW "</p>"},

    /* An indented standalone partial: indentation is due at the start of each of its lines. */
    {"{{x}} at the start of an indented partial", "  {{>p}}\n", {{"p", "{{s}}\n"}}, "  " S_ESC "\n"},
    {"{{{x}}} and {{&x}} at the start of lines of an indented partial",
     "  {{>p}}\n",
     {{"p", "{{{s}}}\n{{&q}}\n"}},
     "  " S_RAW "\n  " Q_RAW "\n"},
    {"{{x}} mid-line in an indented partial", "  {{>p}}\n", {{"p", "<b>{{q}}</b>\n"}}, "  <b>" Q_ESC "</b>\n"},
    {"{{{x}}} and {{&x}} mid-line in an indented partial",
     "  {{>p}}\n",
     {{"p", "<b>{{{q}}}{{&s}}</b>\n"}},
     "  <b>" Q_RAW S_RAW "</b>\n"},
    {"{{x}} at the start of a later line of an indented partial",
     "  {{>p}}\n",
     {{"p", "a\n{{e}}\n"}},
     "  a\n  " E_ESC "\n"},
    {"{{x}} with a multi-line value at the start of an indented partial's line",
     "  {{>p}}\n",
     {{"p", "{{m}}\n"}},
     "  " M_ESC "\n"},
    {"{{{x}}} with a multi-line value at the start of an indented partial's line",
     "  {{>p}}\n",
     {{"p", "{{{m}}}\n"}},
     "  " M_RAW "\n"},
    {"{{x}} with a multi-line value mid-line in an indented partial",
     "  {{>p}}\n",
     {{"p", "<i>{{m}}</i>\n"}},
     "  <i>" M_ESC "</i>\n"},
    {"{{x}} right after a multi-line value in an indented partial",
     "  {{>p}}\n",
     {{"p", "{{m}}{{s}}\n"}},
     "  " M_ESC S_ESC "\n"},
    {"{{x}} after a missing value at the start of an indented partial",
     "  {{>p}}\n",
     {{"p", "{{missing}}{{q}}\n"}},
     "  " Q_ESC "\n"},
    {"{{.}} in a list section of an indented partial",
     "  {{>p}}\n",
     {{"p", "{{#l}}{{.}}\n{{/l}}"}},
     "  &lt;i&gt;\n  &#39;&amp;&#39;\n"},
    {"{{{.}}} in a list section of an indented partial",
     "  {{>p}}\n",
     {{"p", "{{#l}}{{{.}}}\n{{/l}}"}},
     "  <i>\n  '&'\n"},
    {"{{x.y}} in an indented partial", "  {{>p}}\n", {{"p", "{{d.v}}\n"}}, "  &quot;&gt;&lt;svg&gt;\n"},
    {"{{x}} of a map in an indented partial", "  {{>p}}\n", {{"p", "{{o}}\n"}}, "  " O_ESC "\n"},
    {"{{{x}}} of a map in an indented partial", "  {{>p}}\n", {{"p", "{{{o}}}\n"}}, "  " O_RAW "\n"},
    {"{{x}} in a dynamic indented partial", "  {{>*dyn}}\n", {{"p", "{{s}}\n"}}, "  " S_ESC "\n"},

    /* Partials inside an indented partial. */
    {"{{x}} in an indented partial inside an indented partial",
     "  {{>outer}}\n",
     {{"outer", "  {{>p}}\n"}, {"p", "{{s}}\n{{q}}\n"}},
     "    " S_ESC "\n    " Q_ESC "\n"},
    {"{{{x}}} in an indented partial inside an indented partial",
     "  {{>outer}}\n",
     {{"outer", "  {{>p}}\n"}, {"p", "{{{s}}}\n"}},
     "    " S_RAW "\n"},
    {"{{x}} in an unindented standalone partial inside an indented partial",
     "  {{>outer}}\n",
     {{"outer", "a\n{{>p}}\n"}, {"p", "{{s}}\n"}},
     "  a\n  " S_ESC "\n"},
    {"{{x}} in an inline partial inside an indented partial",
     "  {{>outer}}\n",
     {{"outer", "<{{>p}}>\n"}, {"p", "{{q}}"}},
     "  <" Q_ESC ">\n"},

    /* Template inheritance with indentation. */
    {"{{x}} in the default of a block of an indented parent",
     "  {{<layout}}{{/layout}}\n",
     {{"layout", "{{$b}}{{s}}{{/b}}\n"}},
     "  " S_ESC "\n"},
    {"{{{x}}} in the default of a block of an indented parent",
     "  {{<layout}}{{/layout}}\n",
     {{"layout", "{{$b}}{{{s}}}{{/b}}\n"}},
     "  " S_RAW "\n"},
    {"{{x}} in an argument of an indented parent",
     "  {{<layout}}{{$b}}{{q}}{{/b}}{{/layout}}\n",
     {{"layout", "<p>\n{{$b}}{{/b}}\n</p>\n"}},
     "  <p>\n  " Q_ESC "\n  </p>\n"},
    {"{{x}} in an argument of a parameter block on its own lines",
     "{{<layout}}{{$b}}\n{{s}}\n{{m}}\n{{/b}}{{/layout}}",
     {{"layout", "<div>\n  {{$b}}\n  {{/b}}\n</div>\n"}},
     "<div>\n  " S_ESC "\n  " M_ESC "\n</div>\n"},
    {"{{{x}}} in an argument of a parameter block on its own lines",
     "{{<layout}}{{$b}}\n{{{s}}}\n{{/b}}{{/layout}}",
     {{"layout", "<div>\n  {{$b}}\n  {{/b}}\n</div>\n"}},
     "<div>\n  " S_RAW "\n</div>\n"},
    {"{{x}} in an argument of an indented parameter block that shares its line",
     "{{<layout}}{{$b}}\n{{q}}\n{{s}}\n{{/b}}{{/layout}}",
     {{"layout", "  {{$b}}{{/b}}\n"}},
     "  " Q_ESC "\n  " S_ESC "\n\n"},
    {"{{x}} in an argument of a parent inside an indented partial",
     "  {{>p}}\n",
     {{"p", "{{<layout}}{{$b}}{{e}}{{/b}}{{/layout}}\n"}, {"layout", "[{{$b}}{{/b}}]"}},
     "  [" E_ESC "]"},
};

/* The values of escape_cases. */
static json_object *hostile_data(void)
{
	json_object *d = json_object_new_object(), *l = json_object_new_array(), *dv = json_object_new_object();
	json_object_object_add(d, "s", json_object_new_string(S_RAW));
	json_object_object_add(d, "q", json_object_new_string(Q_RAW));
	json_object_object_add(d, "e", json_object_new_string(E_RAW));
	json_object_object_add(d, "m", json_object_new_string(M_RAW));
	json_object_object_add(d, "o", json_tokener_parse(O_RAW));
	json_object_array_add(l, json_object_new_string("<i>"));
	json_object_array_add(l, json_object_new_string("'&'"));
	json_object_object_add(d, "l", l);
	json_object_object_add(dv, "v", json_object_new_string("\"><svg>"));
	json_object_object_add(d, "d", dv);
	json_object_object_add(d, "dyn", json_object_new_string("p"));
	return d;
}

/* Every way a value is written, escaped for {{x}} and raw for {{{x}}} and {{&x}}: with and
 * without pending indentation, at a line start or mid-line, multi-line, in nested partials and
 * in parents and blocks. Dropping the escaping on any one of these paths fails a case here. */
static void test_escaping(void)
{
	json_object *data = hostile_data();
	for (size_t i = 0; i < sizeof escape_cases / sizeof *escape_cases; i++) {
		const struct escape_case *c = &escape_cases[i];
		struct mustache_set *set = mustache_set_new();
		struct buf out = BUF_INIT;
		char err[256] = "";
		int rc = 0;
		for (size_t k = 0; k < 3 && c->templates[k][0] && rc == 0; k++)
			rc = mustache_set_add(set, c->templates[k][0], c->templates[k][1], strlen(c->templates[k][1]),
			                      err, sizeof err);
		if (rc == 0)
			rc = mustache_set_add(set, "page", c->page, strlen(c->page), err, sizeof err);
		if (rc == 0)
			rc = mustache_render(set, "page", data, &out);
		int ok = rc == 0 && strcmp(buf_str(&out), c->expected) == 0;
		tap_ok(ok, "escaping: %s", c->name);
		if (!ok) {
			if (err[0])
				tap_diag("  error: %s", err);
			diag_text("expected", c->expected);
			diag_text("got     ", buf_str(&out));
		}
		buf_free(&out);
		mustache_set_free(set);
	}
	json_object_put(data);
}

/* Random templates from tag fragments: each must parse or fail with a message, and render
 * (0 or -1) without crashing; run under ASan and valgrind this is our fuzz smoke test. */
static void random_templates(void)
{
	static const char *const frag[] = {
	    "{{",       "}}",        "{{{",       "}}}",    "#a",     "/a",     ">p",     "<q",      "$x",
	    "/x",       "!",         "=",         "|",      "&",      ".",      " ",      "\n",      "\r\n",
	    "text",     "  ",        "  ",        "\n",     "\n",     "{{.}}",  "{{a}}",  "{{{b}}}", "{{&a.b}}",
	    "{{! c }}", "{{=| |=}}", "|={{ }}=|", "{{#a}}", "{{/a}}", "{{^b}}", "{{/b}}", "{{$x}}",  "{{/x}}",
	    "{{$y}}",   "{{/y}}",    "{{<p}}",    "{{/p}}", "{{<q}}", "{{/q}}", "{{>p}}", "{{>q}}",  "{{>*b}}",
	    "{{#a}}",   "{{/a}}",    "{{$x}}",    "{{/x}}",
	};
	struct mustache_set *set = mustache_set_new();
	json_object *data = json_tokener_parse("{\"a\": [{\"a\": true, \"b\": \"p\"}, 2], \"b\": \"<&>\", \"x\": 1.5}");
	uint64_t seed = 12345;
	int parsed = 0, bad = 0, runs = 2000;
	for (int i = 0; i < runs; i++) {
		struct buf src = BUF_INIT, out = BUF_INIT;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		int n = (int)(seed >> 60) + 1;
		for (int k = 0; k < n; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			buf_puts(&src, frag[(seed >> 33) % (sizeof frag / sizeof *frag)]);
		}
		char err[128] = "";
		const char *name = i % 3 == 0 ? "p" : i % 3 == 1 ? "q" : "t";
		if (mustache_set_add(set, name, buf_str(&src), src.len, err, sizeof err) == 0) {
			parsed++;
			int rc = mustache_render(set, name, data, &out);
			if (rc != 0 && rc != -1)
				bad++;
		} else if (err[0] == '\0') {
			bad++;
		}
		buf_free(&src);
		buf_free(&out);
	}
	tap_ok(bad == 0, "%d random templates (%d parsed) render or fail cleanly", runs, parsed);
	json_object_put(data);
	mustache_set_free(set);
}

/* A line of a block argument that is only its indentation before a tag: the text left after the
 * dedent is empty (under ASan and valgrind, the parse must not leak it). */
static void test_dedented_empty_text(void)
{
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	render_str(set, "frame", "[{{$b}}{{/b}}]", NULL, &out);
	buf_reset(&out);
	int rc = render_str(set, "page", "{{<frame}}\n  {{$b}}\n  {{#x}}<{{x}}>{{/x}}\n  {{/b}}\n{{/frame}}",
	                    "{\"x\": 1}", &out);
	tap_ok(rc == 0 && strcmp(out.data, "[<1>\n]") == 0, "a block line of indentation and a tag renders as the tag");
	buf_free(&out);
	mustache_set_free(set);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("MUSTACHE_SPEC_DIR");
	run_spec(dir && *dir ? dir : "tests/data/mustache-spec");
	test_values();
	test_errors();
	test_limits();
	test_reuse();
	test_dedented_empty_text();
	test_escaping();
	random_templates();
	return tap_done();
}
