#include "db/popularity.h"

#include "db/db.h"

/* A paid line counts while it is not cancelled or returned. */
#define KEPT_LINES                                                                                                     \
	" FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN users u ON u.id = o.user_id"                      \
	" WHERE o.paid_at IS NOT NULL AND l.state NOT IN ('cancelled', 'returned')"

static enum status recount_tx(void *ctx)
{
	enum status st = db_query("UPDATE products p LEFT JOIN (SELECT l.product_id, SUM(l.quantity) AS q" KEPT_LINES
	                          " AND o.paid_at >= UTC_TIMESTAMP() - INTERVAL 30 DAY GROUP BY l.product_id) s"
	                          " ON s.product_id = p.id SET p.units_sold_30d = COALESCE(s.q, 0)",
	                          NULL, 0, NULL, NULL, ctx);
	if (st == ST_OK)
		st =
		    db_query("UPDATE product_body_type_counts SET upper1_units = 0, upper2_units = 0, upper3_units = 0,"
		             " lower1_units = 0, lower2_units = 0, lower3_units = 0",
		             NULL, 0, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query(
		    "INSERT INTO product_body_type_counts (product_id, upper1_units, upper2_units, upper3_units,"
		    " lower1_units, lower2_units, lower3_units)"
		    " SELECT l.product_id, SUM(IF(u.upper_body_type = 1, l.quantity, 0)),"
		    " SUM(IF(u.upper_body_type = 2, l.quantity, 0)), SUM(IF(u.upper_body_type = 3, l.quantity, 0)),"
		    " SUM(IF(u.lower_body_type = 1, l.quantity, 0)), SUM(IF(u.lower_body_type = 2, l.quantity, 0)),"
		    " SUM(IF(u.lower_body_type = 3, l.quantity, 0))" KEPT_LINES " GROUP BY l.product_id"
		    " ON DUPLICATE KEY UPDATE upper1_units = VALUES(upper1_units), upper2_units = VALUES(upper2_units),"
		    " upper3_units = VALUES(upper3_units), lower1_units = VALUES(lower1_units),"
		    " lower2_units = VALUES(lower2_units), lower3_units = VALUES(lower3_units)",
		    NULL, 0, NULL, NULL, NULL);
	return st;
}

enum status db_popularity_recount(unsigned long long *changed)
{
	*changed = 0;
	return db_transaction(recount_tx, changed, 3);
}
