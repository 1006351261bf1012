/* Counters shared by the master and every worker (one anonymous shared mapping made before
 * the first fork), printed in Prometheus text format by /metrics. */
#ifndef LONUA_SERVER_METRICS_H
#define LONUA_SERVER_METRICS_H

#include <stddef.h>

struct buf;

/* Maps the shared counters; call once in the master before forking. Returns 0 or -1. */
int metrics_init(size_t nroutes);
/* Counts one answered request: route index (nroutes for "no route"), status, seconds taken. */
void metrics_request(size_t route, int status, double seconds);
void metrics_worker_restart(void);
void metrics_db_reconnect(void);
void metrics_set_workers(int n);
/* Appends the exposition text. route_name(i) names route i ("GET /api/v1/categories"). */
void metrics_write(struct buf *out, const char *(*route_name)(size_t i, char *tmp, size_t tmplen));

#endif
