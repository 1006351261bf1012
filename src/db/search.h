/* The keyword search table (product_search, schema/009_search.sql) kept in step with products.
 * Mroonga tables are not transactional: a product's row is written after the transaction that
 * changed the product (or its brand's name) commits; `lonua search reindex` rebuilds the whole
 * table when it may have drifted (a crash between the two, a restore, a manual edit). */
#ifndef LONUA_DB_SEARCH_H
#define LONUA_DB_SEARCH_H

#include "util/status.h"

/* Rewrites the search rows of every product of a brand (after the seed adds it, or the brand is
 * renamed). Returns ST_OK or the database's failure. */
enum status search_index_brand(long long brand_id);

/* Rewrites the search row of one product (after the seller console creates or edits it). */
enum status search_index_product(long long product_id);

/* Deletes the rows whose product is gone and rewrites the row of every product. Sets *indexed
 * (rows the table then holds) and *removed (rows deleted). Returns ST_OK or the database's failure. */
enum status search_reindex(unsigned long long *indexed, unsigned long long *removed);

#endif
