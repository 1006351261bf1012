#include <json-c/json.h>

#include "db/reference.h"
#include "handlers/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "view/view.h"

/* Answers a whole reference list in the list shape of SPEC §5 (one page holds it all). */
static void list(struct request *req, struct response *res, enum reference_kind kind)
{
	json_object *items;
	int rc = reference_list(kind, req->lang, &items);
	if (rc != 0) {
		response_db_failure(req, res, rc);
		return;
	}
	size_t n = json_object_array_length(items);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "page", json_object_new_int(1));
	json_object_object_add(o, "per_page", json_object_new_int64(n ? (int64_t)n : 1)); /* SPEC: 1–100 */
	json_object_object_add(o, "total", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "total_is_lower_bound", json_object_new_boolean(0));
	view_respond(req, res, 200, NULL, o);
}

static void get(struct request *req, struct response *res, enum reference_kind kind)
{
	json_object *item;
	int rc = reference_get(kind, req->path_params[0], req->lang, &item);
	if (!response_lookup_failed(req, res, rc, "No such item."))
		view_respond(req, res, 200, NULL, item);
}

void api_categories_list(struct request *req, struct response *res)
{
	list(req, res, REFERENCE_CATEGORIES);
}

void api_category_get(struct request *req, struct response *res)
{
	get(req, res, REFERENCE_CATEGORIES);
}

void api_styles_list(struct request *req, struct response *res)
{
	list(req, res, REFERENCE_STYLES);
}

void api_style_get(struct request *req, struct response *res)
{
	get(req, res, REFERENCE_STYLES);
}
