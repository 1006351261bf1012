#include "handlers/filter.h"

#include "db/catalog.h"
#include "http/request.h"
#include "http/response.h"

enum status filter_from_request(struct request *req, struct response *res, struct catalog_filter *f)
{
	*f = (struct catalog_filter){
	    .category_id = req_int(req, "category"),
	    .style_id = req_int(req, "style"),
	    .brand_id = req_int(req, "brand"),
	    .size = req_text(req, "size"),
	    .min_price = req_int(req, "min_price"),
	    .max_price = req_int(req, "max_price"),
	    .on_sale = (int)req_int(req, "on_sale"),
	    .q = req_text(req, "q"),
	    .sort = (enum catalog_sort)req_int(req, "sort"),
	    .page = (int)req_int(req, "page"),
	    .per_page = (int)req_int(req, "per_page"),
	};
	if (f->min_price >= 0 && f->max_price >= 0 && f->min_price > f->max_price) {
		response_fail(res, ST_INVALID, NULL, "min_price must not be more than max_price.");
		return response_field_error(res, ST_INVALID, "min_price", "too_large");
	}
	return ST_OK;
}
