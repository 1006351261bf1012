/* Reference data (categories, styles, and the brands and size labels the listing filters offer):
 * read through a per-worker cache that is refreshed at most once a minute, so a page does not pay
 * a query for its menus and filter choices. */
#ifndef LONUA_DB_REFERENCE_H
#define LONUA_DB_REFERENCE_H

#include "util/status.h"

struct json_object;

/* Brands: the active ones by name (code ""; both names are the brand's). Sizes: every size label
 * of a variant, letter sizes first (XS … XXL, FREE), then by number (id 0; code and names are the
 * label). */
enum reference_kind {
	REFERENCE_CATEGORIES,
	REFERENCE_STYLES,
	REFERENCE_BRANDS,
	REFERENCE_SIZES,
	REFERENCE_GRADES, /* the membership grades, from the lowest threshold up */
	REFERENCE_NKINDS
};

/* Sets *out to a reference to the array of {id, code, name, name_ko, name_en} with name in lang,
 * in display order: one array per process and language, shared by every request until the cache
 * reloads, so it must be read and never changed (json_object_put the reference when done).
 * Returns ST_OK or the database's failure (then *out is NULL). */
enum status reference_list(enum reference_kind kind, const char *lang, struct json_object **out);

/* The list as a form's or a filter's choices, the chosen item marked "selected": by its code when
 * selected_code is not empty, else by its id when selected_id > 0. With nothing chosen, the shared
 * list itself (no item has "selected"); else a new array of the caller's own. The same ownership
 * and failures as reference_list. */
enum status reference_choices(enum reference_kind kind, const char *lang, long long selected_id,
                              const char *selected_code, struct json_object **out);

/* Sets *out to one item (as in the list). Returns ST_OK, ST_NOT_FOUND when no such id, or the database's failure. */
enum status reference_get(enum reference_kind kind, long long id, const char *lang, struct json_object **out);

/* Adds "category" and "style" (items as reference_get makes them, in lang) to a product o from
 * its "category_id" and "style_id". Returns ST_OK or the database's failure; a missing row, which
 * the foreign keys rule out, is added as null. */
enum status reference_attach(struct json_object *o, const char *lang);

/* The SQL that loads kind (for the EXPLAIN test). */
const char *reference_sql(enum reference_kind kind);

/* Drops the cache (after an admin edit; tests). */
void reference_invalidate(void);

#endif
