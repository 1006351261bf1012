/* Reference data (categories, styles): read through a per-worker cache that is refreshed
 * at most once a minute, so a page does not pay a query for its menus. */
#ifndef LONUA_DB_REFERENCE_H
#define LONUA_DB_REFERENCE_H

struct json_object;

enum reference_kind { REFERENCE_CATEGORIES, REFERENCE_STYLES };

/* Sets *out to a new array of {id, code, name, name_ko, name_en} with name in lang, in display
 * order. Returns DB_OK or a negative db_status (then *out is NULL). */
int reference_list(enum reference_kind kind, const char *lang, struct json_object **out);

/* Sets *out to one item (as in the list). Returns DB_OK, 1 when no such id, or a negative db_status. */
int reference_get(enum reference_kind kind, long long id, const char *lang, struct json_object **out);

/* Drops the cache (after an admin edit; tests). */
void reference_invalidate(void);

#endif
