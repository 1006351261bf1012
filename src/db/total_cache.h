/* Each process's memory of list totals (a count of up to 10,001 rows per filter), kept only as long
 * as the version its list reads stays the one the total was counted at: the catalogue's for the
 * listings (schema/015_product_cards.sql: catalog_version), the brand's line version for a seller's
 * lines (schema/025_brand_line_versions.sql). Any change that could move a row into or out of a list
 * moves its version, so a remembered total is exact, and a page costs its count only once per change
 * per worker instead of once per request. A key holds its statement's text, so the versions of
 * different lists never meet. */
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
