/* The monotonic clock in seconds: for intervals and deadlines, never for dates. */
#ifndef LONUA_UTIL_CLOCK_H
#define LONUA_UTIL_CLOCK_H

double now_seconds(void);

#endif
