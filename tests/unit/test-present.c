/* What the presenters compute rather than copy: a name masked for others to see, and a product's
 * rating and fit summary (average to one decimal, rounded half up; whole percentages). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "present/common.h"
#include "present/review.h"
#include "tap.h"

static void masked(const char *name, size_t size, const char *want)
{
	char out[64];
	present_masked_name(name, out, size);
	tap_ok(strcmp(out, want) == 0, "masked \"%s\" (buffer %zu) is \"%s\" (got \"%s\")", name, size, want, out);
}

static const char *get(json_object *o, const char *path)
{
	json_object *v = o;
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		v = json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, (size_t)atoi(k))
		                                            : json_object_object_get(v, k);
	return v ? json_object_get_string(v) : "(null)";
}

static void summary(const long long count[6], const long long fit[4], const char *path, const char *want)
{
	json_object *s = present_review_summary(count, fit);
	const char *got = get(s, path);
	tap_ok(strcmp(got, want) == 0, "summary %s is %s (got %s)", path, want, got);
	json_object_put(s);
}

int main(void)
{
	masked("김민수", 64, "김**");
	masked("이준", 64, "이*");
	masked("박", 64, "*");
	masked("", 64, "***");
	masked("Kim Minji", 64, "K********");
	masked("김민수", 5, "김*"); /* never past the buffer, never half a character */

	const long long none[6] = {0}, no_fit[4] = {0};
	summary(none, no_fit, "count", "0");
	summary(none, no_fit, "average", "(null)");
	summary(none, no_fit, "fit.true.percent", "0");
	const long long c1[6] = {0, 0, 0, 0, 3, 1}, f1[4] = {0, 1, 2, 0}; /* 4, 4, 4, 5: 4.25 */
	summary(c1, f1, "average", "4.3");
	summary(c1, f1, "stars.0.rating", "5");
	summary(c1, f1, "stars.0.percent", "25");
	summary(c1, f1, "stars.1.percent", "75");
	summary(c1, f1, "fit.true.percent", "67");
	summary(c1, f1, "fit.small.percent", "33");
	summary(c1, f1, "fit_counted", "3");
	const long long c2[6] = {0, 1, 0, 0, 0, 0}, f2[4] = {0, 0, 0, 1};
	summary(c2, f2, "average", "1.0");
	summary(c2, f2, "fit.large.percent", "100");
	return tap_done();
}
