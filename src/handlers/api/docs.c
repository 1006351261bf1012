/* GET /api/v1/openapi.json: the API's OpenAPI document (docs/openapi.json). */
#include <stdio.h>

#include "handlers/api/api.h"
#include "http/request.h"
#include "http/response.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"

/* Read once per worker. 200, or 500 when the file is missing. */
enum status api_openapi(struct request *req, struct response *res)
{
	(void)req;
	static struct buf doc = BUF_INIT;
	if (!doc.len) {
		char path[4096];
		snprintf(path, sizeof path, "%s/docs/openapi.json", config.data_dir);
		if (buf_append_file(&doc, path) < 0 || !doc.len) {
			log_error("cannot read %s", path);
			buf_reset(&doc);
			return response_fail(res, ST_ERROR, NULL, "The API description is missing.");
		}
	}
	res->status = 200;
	res->content_type = "application/json";
	buf_append(&res->body, doc.data, doc.len);
	res->done = true;
	return ST_OK;
}
