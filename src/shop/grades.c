#include "shop/grades.h"

#include <stdio.h>
#include <string.h>

#include "db/grades.h"

/* Korea keeps UTC+9 all year. */
#define KST_OFFSET (9 * 3600)

/* "YYYY-MM-DD HH:MM:SS" (UTC) of 00:00 Korean time on the first day of year/month. */
static void kst_month_start_utc(int year, int month, char out[20])
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = 1};
	time_t t = timegm(&tm) - KST_OFFSET;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

int grades_month(time_t now, const char *month, struct grade_month *out)
{
	int year, mon;
	if (month) {
		char extra;
		if (strlen(month) != 7 || sscanf(month, "%4d-%2d%c", &year, &mon, &extra) != 2 || year < 2000 ||
		    mon < 1 || mon > 12)
			return -1;
	} else {
		time_t kst = now + KST_OFFSET;
		struct tm tm;
		gmtime_r(&kst, &tm);
		year = tm.tm_year + 1900;
		mon = tm.tm_mon; /* the month before: tm_mon is 0-based */
		if (mon == 0) {
			mon = 12;
			year--;
		}
	}
	snprintf(out->period, sizeof out->period, "%04d-%02d-01", year, mon);
	kst_month_start_utc(year, mon, out->start);
	kst_month_start_utc(mon == 12 ? year + 1 : year, mon == 12 ? 1 : mon + 1, out->end);
	return 0;
}

enum status grades_recompute(const struct grade_month *m, unsigned long long *assigned, unsigned long long *changed)
{
	return db_grades_recompute(m->period, m->start, m->end, assigned, changed);
}
