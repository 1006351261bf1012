#include "present/common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "db/db.h"
#include "view/format.h"
#include "view/view.h"

json_object *present_text_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

json_object *present_int_or_null(long long v)
{
	return v ? json_object_new_int64(v) : NULL;
}

json_object *present_timestamp(const char *s)
{
	char t[24];
	if (!s || strlen(s) != 19)
		return NULL;
	snprintf(t, sizeof t, "%.10sT%.8sZ", s, s + 11);
	return json_object_new_string(t);
}

json_object *present_kst_text(const char *s)
{
	struct tm tm = {0};
	if (!s || strlen(s) != 19 || !strptime(s, "%Y-%m-%d %H:%M:%S", &tm))
		return NULL;
	time_t t = timegm(&tm) + 9 * 3600;
	char out[20];
	gmtime_r(&t, &tm);
	strftime(out, sizeof out, "%Y-%m-%d %H:%M", &tm);
	return json_object_new_string(out);
}

void present_won(json_object *o, const char *key, long long won, const char *lang)
{
	char text_key[64];
	snprintf(text_key, sizeof text_key, "%s_text", key);
	json_object_object_add(o, key, json_object_new_int64(won));
	json_object_object_add(o, text_key, format_won_json(won, lang));
}

void present_coded(json_object *o, const char *key, const char *group, const char *code, const char *lang)
{
	char msg[96], text_key[64];
	snprintf(msg, sizeof msg, "%s.%s", group, code);
	snprintf(text_key, sizeof text_key, "%s_text", key);
	json_object_object_add(o, key, json_object_new_string(code));
	json_object_object_add(o, text_key, json_object_new_string(view_message(lang, msg)));
}

json_object *present_list(json_object *items, int page, int per_page, long long total)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "page", json_object_new_int(page));
	json_object_object_add(o, "per_page", json_object_new_int(per_page));
	/* The counts stop one past the cap (DB_LIST_TOTAL_CAP): more is told as a lower bound. */
	json_object_object_add(o, "total",
	                       json_object_new_int64(total > DB_LIST_TOTAL_CAP ? DB_LIST_TOTAL_CAP : total));
	json_object_object_add(o, "total_is_lower_bound", json_object_new_boolean(total > DB_LIST_TOTAL_CAP));
	return o;
}

void present_masked_name(const char *name, char *out, size_t size)
{
	size_t chars = 0, first = 0, n = 0;
	for (const char *c = name; *c; c++) /* characters: bytes that do not continue one (UTF-8) */
		if (((unsigned char)*c & 0xC0) != 0x80)
			chars++;
	if (chars > 1) /* a name of one character is hidden whole */
		for (first = 1; ((unsigned char)name[first] & 0xC0) == 0x80; first++)
			;
	size_t stars = chars == 0 ? 3 : chars == 1 ? 1 : chars - 1;
	if (first + 1 < size) {
		memcpy(out, name, first);
		n = first;
	}
	for (size_t i = 0; i < stars && n + 1 < size; i++)
		out[n++] = '*';
	if (size > 0)
		out[n] = '\0';
}
