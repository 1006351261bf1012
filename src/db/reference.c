#include "db/reference.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "db/db.h"
#include "util/buf.h"

#define CACHE_SECONDS 60

struct ref_item {
	long long id;
	char *code, *name_ko, *name_en;
};

struct ref_cache {
	struct ref_item *items;
	size_t count;
	time_t loaded_at;
	bool loaded;
	struct json_object *json[2]; /* the list in Korean and in English, made on first use after a load */
};

static struct ref_cache caches[REFERENCE_NKINDS];

/* Sizes: FIELD is 0 for a label not listed, so the reversed list with DESC puts XXS … FREE
 * first and every other label after them. The size labels are read by a loose scan of ix_product_variants_size_lookup
 * (one index probe per distinct label: "Using index for group-by"), which a WHERE on status would rule out, so a label
 * used only by hidden variants is offered too (and finds nothing). */
static const char *const list_sql[REFERENCE_NKINDS] = {
    "SELECT id, code, name_ko, name_en FROM categories ORDER BY sort_order, id",
    "SELECT id, code, name_ko, name_en FROM styles ORDER BY sort_order, id",
    "SELECT id, '', name, name FROM brands WHERE status = 'active' ORDER BY name, id",
    /* GROUP BY, not DISTINCT: MariaDB 10.11 reads a derived DISTINCT by a loose index scan only at a
     * prepared statement's first execution, and the whole index (3.2 million entries at 1M products)
     * after (issue 12; test-catalog checks the second execution) */
    "SELECT 0, size_label, size_label, size_label FROM (SELECT size_label FROM product_variants GROUP BY size_label) s"
    " ORDER BY FIELD(size_label, 'FREE', 'XXXL', 'XXL', 'XL', 'L', 'M', 'S', 'XS', 'XXS') DESC,"
    " size_label NOT REGEXP '^[0-9]', CAST(size_label AS UNSIGNED), size_label",
    "SELECT id, code, name_ko, name_en FROM grades ORDER BY min_monthly_spend, id",
};

const char *reference_sql(enum reference_kind kind)
{
	return list_sql[kind];
}

static void cache_clear(struct ref_cache *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->items[i].code);
		free(c->items[i].name_ko);
		free(c->items[i].name_en);
	}
	free(c->items);
	json_object_put(c->json[0]);
	json_object_put(c->json[1]);
	memset(c, 0, sizeof *c);
}

void reference_invalidate(void)
{
	for (size_t i = 0; i < REFERENCE_NKINDS; i++)
		cache_clear(&caches[i]);
}

static enum status add_row(const struct db_row *row, void *ctx)
{
	struct ref_cache *c = ctx;
	c->items = xgrow(c->items, c->count, sizeof *c->items);
	struct ref_item *it = &c->items[c->count++];
	it->id = atoll(row->cols[0]);
	it->code = xstrdup(row->cols[1]);
	it->name_ko = xstrdup(row->cols[2]);
	it->name_en = xstrdup(row->cols[3]);
	return ST_OK;
}

/* Loads the cache of kind when it is empty or stale. Returns ST_OK or the database's failure;
 * on failure a stale cache is kept and still served. */
static enum status cache_load(enum reference_kind kind)
{
	struct ref_cache *c = &caches[kind];
	time_t now = time(NULL);
	if (c->loaded && now - c->loaded_at < CACHE_SECONDS)
		return ST_OK;
	struct ref_cache fresh = {0};
	const char *sql = list_sql[kind];
	enum status rc = db_query(sql, NULL, 0, add_row, &fresh, NULL);
	/* Read once a minute: prepared anew each time. MariaDB 10.11 re-executes a prepared loose index
	 * scan (the sizes' GROUP BY) as a scan of the whole index once the connection has run a
	 * semi-join on the same table (the listing's size filter): 3.2 million entries, 0.3-0.7 s, at a
	 * million products. */
	db_forget(sql);
	if (rc != ST_OK) {
		cache_clear(&fresh);
		return c->loaded ? ST_OK : rc;
	}
	cache_clear(c);
	*c = fresh;
	c->loaded = true;
	c->loaded_at = now;
	return ST_OK;
}

static json_object *item_json(const struct ref_item *it, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(it->id));
	json_object_object_add(o, "code", json_object_new_string(it->code));
	json_object_object_add(o, "name", json_object_new_string(strcmp(lang, "en") == 0 ? it->name_en : it->name_ko));
	json_object_object_add(o, "name_ko", json_object_new_string(it->name_ko));
	json_object_object_add(o, "name_en", json_object_new_string(it->name_en));
	return o;
}

enum status reference_list(enum reference_kind kind, const char *lang, json_object **out)
{
	*out = NULL;
	enum status rc = cache_load(kind);
	if (rc != ST_OK)
		return rc;
	struct ref_cache *c = &caches[kind];
	json_object **list = &c->json[strcmp(lang, "en") == 0];
	if (!*list) {
		*list = json_object_new_array();
		for (size_t i = 0; i < c->count; i++)
			json_object_array_add(*list, item_json(&c->items[i], lang));
	}
	*out = json_object_get(*list);
	return ST_OK;
}

enum status reference_choices(enum reference_kind kind, const char *lang, long long selected_id,
                              const char *selected_code, json_object **out)
{
	enum status rc = reference_list(kind, lang, out);
	if (rc != ST_OK || (selected_id <= 0 && !(selected_code && *selected_code)))
		return rc; /* nothing chosen: the shared list, whose items have no "selected" */
	json_object_put(*out);
	*out = json_object_new_array();
	const struct ref_cache *c = &caches[kind];
	for (size_t i = 0; i < c->count; i++) {
		const struct ref_item *it = &c->items[i];
		json_object *o = item_json(it, lang);
		if (selected_code && *selected_code ? strcmp(it->code, selected_code) == 0 : it->id == selected_id)
			json_object_object_add(o, "selected", json_object_new_boolean(true));
		json_object_array_add(*out, o);
	}
	return ST_OK;
}

enum status reference_get(enum reference_kind kind, long long id, const char *lang, json_object **out)
{
	*out = NULL;
	enum status rc = cache_load(kind);
	if (rc != ST_OK)
		return rc;
	for (size_t i = 0; i < caches[kind].count; i++) {
		if (caches[kind].items[i].id == id) {
			*out = item_json(&caches[kind].items[i], lang);
			return ST_OK;
		}
	}
	return ST_NOT_FOUND;
}

enum status reference_attach(json_object *o, const char *lang)
{
	static const struct {
		const char *key, *id_key;
		enum reference_kind kind;
	} refs[] = {{"category", "category_id", REFERENCE_CATEGORIES}, {"style", "style_id", REFERENCE_STYLES}};
	for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
		json_object *item = NULL;
		enum status rc = reference_get(
		    refs[i].kind, json_object_get_int64(json_object_object_get(o, refs[i].id_key)), lang, &item);
		if (rc != ST_OK && rc != ST_NOT_FOUND)
			return rc;
		json_object_object_add(o, refs[i].key, item);
	}
	return ST_OK;
}
