/* Each process's memory of searched pages (issue 12): the ids of the cards a search's page showed,
 * in their order, with the catalogue's version they were found at. A search costs Mroonga a pass
 * over every match (15-20 ms for a word in 133,000 of a million products); the same page asked
 * again reads only its cards, by primary key, and keeps the remembered order only when they come
 * back at the same version: any change that can move a product into or out of a listing, or change
 * its price (db/total_cache.h), moves the version, so the same products still match and the newest,
 * price and discount orders still hold. The version does not follow sales and reviews: the caller
 * keeps a page in those orders at most SEARCH_CACHE_SECONDS. The cards themselves are always read
 * anew. */
#ifndef LONUA_DB_SEARCH_CACHE_H
#define LONUA_DB_SEARCH_CACHE_H
#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

#define SEARCH_CACHE_IDS     100 /* a page's most cards (per_page 1-100) */
#define SEARCH_CACHE_SECONDS 60  /* the most a page in an order the version does not follow is kept */

/* True, with ids (SEARCH_CACHE_IDS), *n and *version set, when the page of sql with these
 * parameters was remembered less than max_age seconds ago. */
bool search_cache_get(const char *sql, const struct db_param *params, size_t nparams, double max_age, long long *ids,
                      size_t *n, unsigned long long *version);

/* Remembers the n ids (at most SEARCH_CACHE_IDS) of the page of sql with these parameters, found at
 * version, replacing whatever shared its slot. */
void search_cache_put(const char *sql, const struct db_param *params, size_t nparams, const long long *ids, size_t n,
                      unsigned long long version);

#endif
