/* Membership grades from spending (SPEC §3 Grade, §6 "Grades"): each shopper's spend over one
 * calendar month (the money their paid lines kept: not cancelled, not returned, less refunds)
 * gives the highest grade whose threshold it reaches, recorded once per shopper and month in
 * grade_assignments and then made the shopper's grade. */
#ifndef LONUA_DB_GRADES_H
#define LONUA_DB_GRADES_H

#include "util/status.h"

/* Assigns the month (period "YYYY-MM-01"; its orders paid in [start, end), UTC "YYYY-MM-DD
 * HH:MM:SS") to every shopper not assigned for it yet, then sets each shopper's grade to their
 * assignment for that month. Running it again for the same month assigns nobody twice and sets the
 * same grades: *assigned counts the new assignments, *changed the grades that moved. */
enum status db_grades_recompute(const char *period, const char *start, const char *end, unsigned long long *assigned,
                                unsigned long long *changed);

#endif
