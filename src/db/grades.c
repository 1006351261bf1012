#include "db/grades.h"

#include <string.h>

#include "db/db.h"

/* One statement per step; the spend is grouped per buyer over ix_orders_paid_at's range. */
enum status db_grades_recompute(const char *period, const char *start, const char *end, unsigned long long *assigned,
                                unsigned long long *changed)
{
	struct db_param a[] = {DB_TEXT(period), DB_TEXT(start), DB_TEXT(end)};
	*assigned = *changed = 0;
	enum status st =
	    db_query("INSERT IGNORE INTO grade_assignments (user_id, period_month, spend, grade_id)"
	             " SELECT u.id, ?, COALESCE(s.spend, 0),"
	             "  (SELECT g.id FROM grades g WHERE g.min_monthly_spend <= COALESCE(s.spend, 0)"
	             "   ORDER BY g.min_monthly_spend DESC LIMIT 1)"
	             " FROM users u LEFT JOIN ("
	             "  SELECT o.user_id, GREATEST(SUM(l.line_total - l.refunded_amount), 0) AS spend"
	             "  FROM orders o JOIN order_lines l ON l.order_id = o.id"
	             "  WHERE o.paid_at >= ? AND o.paid_at < ? AND l.state NOT IN ('cancelled', 'returned')"
	             "  GROUP BY o.user_id) s ON s.user_id = u.id"
	             " WHERE u.role = 'shopper' AND u.status = 'active'",
	             a, 3, NULL, NULL, assigned);
	struct db_param p = DB_TEXT(period);
	if (st == ST_OK)
		st = db_query("UPDATE users u JOIN grade_assignments a ON a.user_id = u.id AND a.period_month = ?"
		              " SET u.grade_id = a.grade_id WHERE u.grade_id <> a.grade_id",
		              &p, 1, NULL, NULL, changed);
	return st;
}
