/* What the admin console edits of the reference data (SPEC §3 Category, Style, Grade; §4 admin
 * console): the names in Korean and English and the display order of categories and styles; a
 * grade's names, discount and mileage percents and minimum monthly spend. A new category or style
 * may be added (its code is then fixed); none is deleted, since products name them. The
 * shop reads these through db/reference.c's per-worker cache (a minute at most). */
#ifndef LONUA_DB_TAXONOMY_H
#define LONUA_DB_TAXONOMY_H

#include <stddef.h>

#include "util/status.h"

enum taxonomy { TAXONOMY_CATEGORIES, TAXONOMY_STYLES };

struct taxon {
	long long id, sort_order;
	char code[33], name_ko[201], name_en[201];
};
/* Every category or style in display order (ix_categories_order, ix_styles_order). Free *out. */
enum status db_taxa(enum taxonomy t, struct taxon **out, size_t *n);
/* One by id; ST_NOT_FOUND. */
enum status db_taxon(enum taxonomy t, long long id, struct taxon *out);
/* A new one: ST_CONFLICT when its code or name_ko is taken (*taken says which: "code", "name_ko"). */
enum status db_taxon_create(enum taxonomy t, const char *code, const char *name_ko, const char *name_en,
                            long long sort_order, long long *id, const char **taken);
/* What is given changes (NULL, sort_order -1: as it is). ST_NOT_FOUND; ST_CONFLICT: name_ko taken. */
enum status db_taxon_edit(enum taxonomy t, long long id, const char *name_ko, const char *name_en,
                          long long sort_order);

struct grade_row {
	long long id, discount_percent, mileage_percent, min_monthly_spend;
	char code[33], name_ko[201], name_en[201];
};
/* Every grade from the lowest threshold up (uq_grades_min_monthly_spend). Free *out. */
enum status db_admin_grades(struct grade_row **out, size_t *n);
/* One by id; ST_NOT_FOUND. */
enum status db_admin_grade(long long id, struct grade_row *out);
/* What is given changes (NULL or -1: as it is). ST_NOT_FOUND; ST_CONFLICT: name_ko or the threshold
 * taken (db_conflict_key names which). */
struct grade_edit {
	const char *name_ko, *name_en;
	long long discount_percent, mileage_percent, min_monthly_spend;
};
enum status db_grade_edit(long long id, const struct grade_edit *e);

#endif
