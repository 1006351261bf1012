/* Page links of a long list (SPEC §5: pages 1 to 100). */
#ifndef LONUA_VIEW_PAGINATION_H
#define LONUA_VIEW_PAGINATION_H

#include <stdbool.h>

struct json_object;

/* Page links under base_url (a URL that may already hold a query; page=N is appended, page 1
 * is left out): {prev_url, next_url, pages: [{number, url, current} or {gap: true}]}, or NULL
 * when last <= 1. */
struct json_object *pagination_links(const char *base_url, int page, int last);

/* The last page of a list of total items, per_page a page, capped at page 100 (SPEC §5). */
int pagination_last_page(long long total, int per_page);

/* pagination_links for a list at path without filters, of total items: per_page is kept in the
 * links when the request gave it (keep_per_page), so page 2 has as many items as page 1. */
struct json_object *pagination_list_links(const char *path, int page, int per_page, bool keep_per_page,
                                          long long total);

#endif
