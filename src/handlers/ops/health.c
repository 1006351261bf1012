/* Operations: liveness, readiness and metrics (SPEC §7). */
#include <stdio.h>

#include "db/db.h"
#include "handlers/ops/ops.h"
#include "handlers/routes.h"
#include "http/request.h"
#include "http/response.h"
#include "server/metrics.h"

/* GET /healthz: the process answers; no database involved (a liveness probe). */
enum status health_live(struct request *req, struct response *res)
{
	(void)req;
	return response_text(res, 200, "ok\n");
}

/* GET /readyz: 200 when the database answers, else 503 (a readiness probe). */
enum status health_ready(struct request *req, struct response *res)
{
	(void)req;
	return db_ping() ? response_text(res, 200, "ready\n") : response_text(res, 503, "database unreachable\n");
}

static const char *route_label(size_t i, char *tmp, size_t len)
{
	if (i >= routes_count)
		return "unmatched";
	snprintf(tmp, len, "%s %s", routes[i].method, routes[i].pattern);
	return tmp;
}

/* GET /metrics: Prometheus text exposition of the counters all workers share. */
enum status health_metrics(struct request *req, struct response *res)
{
	(void)req;
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_write(&res->body, route_label);
	res->done = true;
	return ST_OK;
}
