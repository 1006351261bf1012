#include "handlers/inputs.h"

#include <json-c/json.h>

#include "db/catalog.h"
#include "http/request.h"
#include "http/response.h"

long long input_int(const struct request *req, const char *name, long long fallback)
{
	const struct input_value *v = request_input(req, name);
	return v && v->present ? v->i : fallback;
}

const char *input_text(const struct request *req, const char *name)
{
	const struct input_value *v = request_input(req, name);
	return v && v->present && v->len > 0 ? v->s : NULL;
}

bool input_catalog_filter(struct request *req, struct response *res, struct catalog_filter *f)
{
	*f = (struct catalog_filter){
	    .category_id = input_int(req, "category", 0),
	    .style_id = input_int(req, "style", 0),
	    .brand_id = input_int(req, "brand", 0),
	    .size = input_text(req, "size"),
	    .min_price = input_int(req, "min_price", -1),
	    .max_price = input_int(req, "max_price", -1),
	    .on_sale = (int)input_int(req, "on_sale", -1),
	    .q = input_text(req, "q"),
	    .sort = (enum catalog_sort)input_int(req, "sort", CATALOG_SORT_NEWEST),
	    .page = (int)input_int(req, "page", 1),
	    .per_page = (int)input_int(req, "per_page", INPUT_DEFAULT_PER_PAGE),
	};
	if (f->min_price >= 0 && f->max_price >= 0 && f->min_price > f->max_price) {
		json_object *errors = json_object_new_object();
		json_object_object_add(errors, "min_price", json_object_new_string("too_large"));
		response_error(req, res, 422, "VALIDATION_FAILED", "min_price must not be more than max_price.",
		               errors);
		return false;
	}
	return true;
}
