/* The reference lists of the API: categories and styles (SPEC §5). */
#include <json-c/json.h>

#include "db/reference.h"
#include "handlers/api/api.h"
#include "http/request.h"
#include "http/response.h"

/* Answers a whole reference list in the list shape of SPEC §5 (one page holds it all). */
static enum status list(struct request *req, struct response *res, enum reference_kind kind)
{
	json_object *items;
	enum status st = reference_list(kind, req->lang, &items);
	if (st != ST_OK)
		return st;
	size_t n = json_object_array_length(items);
	json_object *o = response_model(res);
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "page", json_object_new_int(1));
	json_object_object_add(o, "per_page", json_object_new_int64(n ? (int64_t)n : 1)); /* SPEC: 1–100 */
	json_object_object_add(o, "total", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "total_is_lower_bound", json_object_new_boolean(0));
	return ST_OK;
}

static enum status get(struct request *req, struct response *res, enum reference_kind kind)
{
	json_object *item;
	enum status st = reference_get(kind, req->path_params[0], req->lang, &item);
	return st == ST_OK ? response_view(res, 200, NULL, item) : st;
}

enum status api_categories_list(struct request *req, struct response *res)
{
	return list(req, res, REFERENCE_CATEGORIES);
}

enum status api_category_get(struct request *req, struct response *res)
{
	return get(req, res, REFERENCE_CATEGORIES);
}

enum status api_styles_list(struct request *req, struct response *res)
{
	return list(req, res, REFERENCE_STYLES);
}

enum status api_style_get(struct request *req, struct response *res)
{
	return get(req, res, REFERENCE_STYLES);
}
