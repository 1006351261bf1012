#include "db/taxonomy.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"

/* A fixed set of literal statements per table (db_query's cache is keyed by the pointer). The lists
 * name their index: a table of ten rows would otherwise be read by a scan and a sort. */
static const char *const list_sql[] = {
    "SELECT id, code, name_ko, name_en, sort_order FROM categories FORCE INDEX (ix_categories_order)"
    " ORDER BY sort_order, id",
    "SELECT id, code, name_ko, name_en, sort_order FROM styles FORCE INDEX (ix_styles_order)"
    " ORDER BY sort_order, id",
};
static const char *const one_sql[] = {
    "SELECT id, code, name_ko, name_en, sort_order FROM categories WHERE id = ?",
    "SELECT id, code, name_ko, name_en, sort_order FROM styles WHERE id = ?",
};
static const char *const edit_sql[] = {
    "UPDATE categories SET name_ko = COALESCE(?, name_ko), name_en = COALESCE(?, name_en),"
    " sort_order = COALESCE(?, sort_order) WHERE id = ?",
    "UPDATE styles SET name_ko = COALESCE(?, name_ko), name_en = COALESCE(?, name_en),"
    " sort_order = COALESCE(?, sort_order) WHERE id = ?",
};

static const char *const create_sql[] = {
    "INSERT INTO categories (code, name_ko, name_en, sort_order) VALUES (?, ?, ?, ?)",
    "INSERT INTO styles (code, name_ko, name_en, sort_order) VALUES (?, ?, ?, ?)",
};

struct taxa {
	struct taxon *items;
	size_t n;
};

static enum status read_taxon(const struct db_row *row, void *ctx)
{
	struct taxa *l = ctx;
	struct taxon *grown = realloc(l->items, (l->n + 1) * sizeof *l->items);
	if (!grown)
		return ST_ERROR;
	l->items = grown;
	struct taxon *t = &l->items[l->n++];
	memset(t, 0, sizeof *t);
	t->id = db_int(row, 0);
	db_copy(row, 1, t->code, sizeof t->code);
	db_copy(row, 2, t->name_ko, sizeof t->name_ko);
	db_copy(row, 3, t->name_en, sizeof t->name_en);
	t->sort_order = db_int(row, 4);
	return ST_OK;
}

enum status db_taxa(enum taxonomy t, struct taxon **out, size_t *n)
{
	struct taxa l = {NULL, 0};
	enum status st = db_query(list_sql[t], NULL, 0, read_taxon, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

enum status db_taxon(enum taxonomy t, long long id, struct taxon *out)
{
	struct taxa l = {NULL, 0};
	struct db_param p = DB_INT(id);
	enum status st = db_query(one_sql[t], &p, 1, read_taxon, &l, NULL);
	if (st == ST_OK && l.n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		*out = l.items[0];
	free(l.items);
	return st;
}

enum status db_taxon_create(enum taxonomy t, const char *code, const char *name_ko, const char *name_en,
                            long long sort_order, long long *id, const char **taken)
{
	struct db_param p[] = {DB_TEXT(code), DB_TEXT(name_ko), DB_TEXT(name_en), DB_INT(sort_order)};
	enum status st = db_query(create_sql[t], p, 4, NULL, NULL, NULL);
	*taken = st == ST_CONFLICT ? (strstr(db_conflict_key(), "code") ? "code" : "name_ko") : NULL;
	*id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_taxon_edit(enum taxonomy t, long long id, const char *name_ko, const char *name_en, long long sort_order)
{
	struct taxon was;
	enum status st = db_taxon(t, id, &was);
	if (st != ST_OK)
		return st;
	struct db_param p[] = {DB_TEXT_OR_NULL(name_ko), DB_TEXT_OR_NULL(name_en),
	                       sort_order >= 0 ? DB_INT(sort_order) : DB_NULL, DB_INT(id)};
	return db_query(edit_sql[t], p, 4, NULL, NULL, NULL);
}

struct grades {
	struct grade_row *items;
	size_t n;
};

static enum status read_grade(const struct db_row *row, void *ctx)
{
	struct grades *l = ctx;
	struct grade_row *grown = realloc(l->items, (l->n + 1) * sizeof *l->items);
	if (!grown)
		return ST_ERROR;
	l->items = grown;
	struct grade_row *g = &l->items[l->n++];
	memset(g, 0, sizeof *g);
	g->id = db_int(row, 0);
	db_copy(row, 1, g->code, sizeof g->code);
	db_copy(row, 2, g->name_ko, sizeof g->name_ko);
	db_copy(row, 3, g->name_en, sizeof g->name_en);
	g->discount_percent = db_int(row, 4);
	g->mileage_percent = db_int(row, 5);
	g->min_monthly_spend = db_int(row, 6);
	return ST_OK;
}

#define GRADE_COLUMNS                                                                                                  \
	"SELECT id, code, name_ko, name_en, discount_percent, mileage_percent, min_monthly_spend FROM grades"

enum status db_admin_grades(struct grade_row **out, size_t *n)
{
	struct grades l = {NULL, 0};
	enum status st = db_query(GRADE_COLUMNS " FORCE INDEX (uq_grades_min_monthly_spend) ORDER BY min_monthly_spend",
	                          NULL, 0, read_grade, &l, NULL);
	if (st != ST_OK) {
		free(l.items);
		return st;
	}
	*out = l.items;
	*n = l.n;
	return ST_OK;
}

enum status db_admin_grade(long long id, struct grade_row *out)
{
	struct grades l = {NULL, 0};
	struct db_param p = DB_INT(id);
	enum status st = db_query(GRADE_COLUMNS " WHERE id = ?", &p, 1, read_grade, &l, NULL);
	if (st == ST_OK && l.n == 0)
		st = ST_NOT_FOUND;
	if (st == ST_OK)
		*out = l.items[0];
	free(l.items);
	return st;
}

enum status db_grade_edit(long long id, const struct grade_edit *e)
{
	struct grade_row was;
	enum status st = db_admin_grade(id, &was);
	if (st != ST_OK)
		return st;
	struct db_param p[] = {
	    DB_TEXT_OR_NULL(e->name_ko),
	    DB_TEXT_OR_NULL(e->name_en),
	    e->discount_percent >= 0 ? DB_INT(e->discount_percent) : DB_NULL,
	    e->mileage_percent >= 0 ? DB_INT(e->mileage_percent) : DB_NULL,
	    e->min_monthly_spend >= 0 ? DB_INT(e->min_monthly_spend) : DB_NULL,
	    DB_INT(id),
	};
	return db_query(
	    "UPDATE grades SET name_ko = COALESCE(?, name_ko), name_en = COALESCE(?, name_en),"
	    " discount_percent = COALESCE(?, discount_percent), mileage_percent = COALESCE(?, mileage_percent),"
	    " min_monthly_spend = COALESCE(?, min_monthly_spend) WHERE id = ?",
	    p, 6, NULL, NULL, NULL);
}
