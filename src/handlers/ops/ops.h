/* Routes for operators and tests, not shoppers: health probes, metrics, and the test-only routes
 * (LONUA_TEST_ROUTES=1) that drive the input layer and the process model through the real stack. */
#ifndef LONUA_HANDLERS_OPS_OPS_H
#define LONUA_HANDLERS_OPS_OPS_H

#include "util/status.h"

struct request;
struct response;

/* health.c */
enum status health_live(struct request *req, struct response *res);
enum status health_ready(struct request *req, struct response *res);
enum status health_metrics(struct request *req, struct response *res);

/* test_routes.c: only routed with LONUA_TEST_ROUTES=1 */
enum status test_echo(struct request *req, struct response *res);
enum status test_sleep(struct request *req, struct response *res);

#endif
