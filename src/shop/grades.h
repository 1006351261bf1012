/* The calendar month a grade recompute looks at (SPEC §6 "Grades"): the month before now, in Korean
 * time (UTC+9 all year), as its first day and its bounds in UTC. */
#ifndef LONUA_SHOP_GRADES_H
#define LONUA_SHOP_GRADES_H

#include <time.h>

#include "util/status.h"

struct grade_month {
	char period[11]; /* "2026-11-01" */
	char start[20];  /* "2026-10-31 15:00:00": the month's first moment in Korea, in UTC */
	char end[20];    /* "2026-11-30 15:00:00": the next month's */
};

/* The month before the one that `now` falls in (Korean time); month "YYYY-MM" (may be NULL) asks
 * for that month instead. -1 when month is not a month from 2000 on. */
int grades_month(time_t now, const char *month, struct grade_month *out);

/* Recomputes every shopper's grade from their spend in that month; idempotent per month. */
enum status grades_recompute(const struct grade_month *m, unsigned long long *assigned, unsigned long long *changed);

#endif
