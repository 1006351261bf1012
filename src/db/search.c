#include "db/search.h"

#include <stdlib.h>

#include "db/db.h"

/* The words a shopper may type to find a product: its name, its brand's name, its category's
 * and style's names in both languages. One text for both statements below. */
#define SEARCH_ROWS                                                                                                    \
	"REPLACE INTO product_search (product_id, body)"                                                               \
	" SELECT p.id, CONCAT_WS(' ', p.name, b.name, c.name_ko, c.name_en, s.name_ko, s.name_en)"                     \
	" FROM products p JOIN brands b ON b.id = p.brand_id JOIN categories c ON c.id = p.category_id"                \
	" JOIN styles s ON s.id = p.style_id"

static const char sql_index_brand[] = SEARCH_ROWS " WHERE p.brand_id = ?";
static const char sql_index_product[] = SEARCH_ROWS " WHERE p.id = ?";
static const char sql_index_all[] = SEARCH_ROWS;
static const char sql_remove_orphans[] = "DELETE FROM product_search WHERE product_id NOT IN (SELECT id FROM products)";
static const char sql_count[] = "SELECT COUNT(*) FROM product_search";

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(unsigned long long *)ctx = row->cols[0] ? strtoull(row->cols[0], NULL, 10) : 0;
	return ST_OK;
}

enum status search_index_brand(long long brand_id)
{
	struct db_param p[] = {DB_INT(brand_id)};
	return db_query(sql_index_brand, p, 1, NULL, NULL, NULL);
}

enum status search_index_product(long long product_id)
{
	struct db_param p[] = {DB_INT(product_id)};
	return db_query(sql_index_product, p, 1, NULL, NULL, NULL);
}

enum status search_reindex(unsigned long long *indexed, unsigned long long *removed)
{
	*indexed = *removed = 0;
	enum status rc = db_query(sql_remove_orphans, NULL, 0, NULL, NULL, removed);
	if (rc == ST_OK)
		rc = db_query(sql_index_all, NULL, 0, NULL, NULL, NULL);
	if (rc == ST_OK)
		rc = db_query(sql_count, NULL, 0, read_count, indexed, NULL);
	return rc;
}
