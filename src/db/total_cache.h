/* Each process's memory of listing totals (a count of up to 10,001 rows per filter), kept only as
 * long as the catalogue's version (schema/015_product_cards.sql: catalog_version) stays the one the
 * total was counted at. Any change that could move a product into or out of a listing bumps the
 * version, so a remembered total is exact, and a listing page costs its count only once per change
 * per worker instead of once per request. */
#ifndef LONUA_DB_TOTAL_CACHE_H
#define LONUA_DB_TOTAL_CACHE_H
#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

/* True, with *total set, when the count of sql with these parameters was remembered at version. */
bool total_cache_get(const char *sql, const struct db_param *params, size_t nparams, unsigned long long version,
                     long long *total);

/* Remembers the count of sql with these parameters at version (replacing whatever shared its slot).
 * A statement whose parameters are too long to remember is left out. */
void total_cache_put(const char *sql, const struct db_param *params, size_t nparams, unsigned long long version,
                     long long total);

#endif
