#include "view/pagination.h"

#include <stdbool.h>

#include <json-c/json.h>

#include "http/url.h"
#include "util/buf.h"

static json_object *page_url(const char *base_url, int page)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, base_url);
	if (page > 1)
		url_add_int(&b, "page", page);
	json_object *s = json_object_new_string(buf_str(&b));
	buf_free(&b);
	return s;
}

int pagination_last_page(long long total, int per_page)
{
	long long last = per_page > 0 ? (total + per_page - 1) / per_page : 1;
	return last > 100 ? 100 : last < 1 ? 1 : (int)last;
}

/* Shows the first and last page, and two pages either side of the current one. */
#define PAGE_WINDOW 2

json_object *pagination_links(const char *base_url, int page, int last)
{
	if (last <= 1)
		return NULL;
	json_object *o = json_object_new_object();
	if (page > 1) /* past the end (a stale link): back to the last page */
		json_object_object_add(o, "prev_url", page_url(base_url, page > last ? last : page - 1));
	if (page < last)
		json_object_object_add(o, "next_url", page_url(base_url, page + 1));
	json_object *pages = json_object_new_array();
	bool gap = false;
	for (int n = 1; n <= last; n++) {
		if (n != 1 && n != last && (n < page - PAGE_WINDOW || n > page + PAGE_WINDOW)) {
			if (!gap) {
				json_object *g = json_object_new_object();
				json_object_object_add(g, "gap", json_object_new_boolean(1));
				json_object_array_add(pages, g);
			}
			gap = true;
			continue;
		}
		gap = false;
		json_object *p = json_object_new_object();
		json_object_object_add(p, "number", json_object_new_int(n));
		json_object_object_add(p, "url", page_url(base_url, n));
		json_object_object_add(p, "current", json_object_new_boolean(n == page));
		json_object_array_add(pages, p);
	}
	json_object_object_add(o, "pages", pages);
	return o;
}

json_object *pagination_list_links(const char *path, int page, int per_page, bool keep_per_page, long long total)
{
	struct buf base = BUF_INIT;
	buf_puts(&base, path);
	if (keep_per_page)
		url_add_int(&base, "per_page", per_page);
	json_object *links = pagination_links(buf_str(&base), page, pagination_last_page(total, per_page));
	buf_free(&base);
	return links;
}
