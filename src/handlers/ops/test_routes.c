/* Routes that exist only for the integration tests (LONUA_TEST_ROUTES=1): they drive the
 * input layer and the process model through the real stack before real forms exist. */
#include <json-c/json.h>
#include <time.h>

#include "handlers/ops/ops.h"
#include "http/request.h"
#include "http/response.h"

static json_object *optional_int(const struct input_value *v)
{
	return v && v->present ? json_object_new_int64(v->i) : NULL;
}

/* GET|POST /api/v1/test/echo/{id}: answers the validated inputs, so tests can see exactly
 * what the handler would get. */
enum status test_echo(struct request *req, struct response *res)
{
	const struct input_value *name = req_input(req, "name"), *on_sale = req_input(req, "on_sale"),
	                         *sort = req_input(req, "sort"), *photo = req_input(req, "photo");
	json_object *o = response_model(res);
	json_object_object_add(o, "id", json_object_new_int64(req->path_params[0]));
	json_object_object_add(o, "name", json_object_new_string_len(name->s, (int)name->len));
	json_object_object_add(o, "count", optional_int(req_input(req, "count")));
	json_object_object_add(o, "on_sale", on_sale->present ? json_object_new_boolean(on_sale->i != 0) : NULL);
	json_object_object_add(o, "sort", sort->present ? json_object_new_string(sort->s) : NULL);
	json_object *file = NULL;
	if (photo->present) {
		file = json_object_new_object();
		json_object_object_add(file, "filename",
		                       json_object_new_string(photo->filename ? photo->filename : ""));
		json_object_object_add(file, "content_type",
		                       json_object_new_string(photo->content_type ? photo->content_type : ""));
		json_object_object_add(file, "size", json_object_new_int64((int64_t)photo->len));
	}
	json_object_object_add(o, "photo", file);
	return ST_OK;
}

/* GET /api/v1/test/sleep?ms=N: a slow request, for the graceful stop and reload tests. */
enum status test_sleep(struct request *req, struct response *res)
{
	long long ms = req_input(req, "ms")->i;
	struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0)
		;
	json_object_object_add(response_model(res), "slept_ms", json_object_new_int64(ms));
	return ST_OK;
}
