/* Each process's memory of products as the product page's statement read them (the product with
 * its sizes, pictures and brand terms, and its review summary), each kept with the versions it was
 * read at: the product's and its brand's (schema/021_product_versions.sql) and its community
 * version (schema/020). Every write to what the statement reads moves one of them, so a kept
 * product is used only while it is exactly what the statement would read. */
#ifndef LONUA_DB_PRODUCT_CACHE_H
#define LONUA_DB_PRODUCT_CACHE_H
#include <stdbool.h>

#include <json-c/json.h>

#include "db/catalog.h"

/* True when this process keeps a product_id read at some versions (product_cache_get then
 * tells whether they are still the product's). */
bool product_cache_holds(long long product_id);

/* True when product_id is kept at now's product, brand and community versions: then *copy is a
 * copy of it (the caller may change it) and *summary its review summary. */
bool product_cache_get(long long product_id, const struct catalog_product_page *now, json_object **copy,
                       struct catalog_review_summary *summary);

/* Remembers a copy of product (the caller keeps its own, to change) as product_id read at read's
 * versions, with read's summary, replacing whatever shared its slot. */
void product_cache_put(long long product_id, const struct catalog_product_page *read, json_object *product);

#endif
