/* What every seller console page shares: the signed-in seller's brand and a personal page model. */
#include <json-c/json.h>

#include "db/sessions.h"
#include "handlers/seller/seller.h"
#include "http/request.h"
#include "http/response.h"

long long seller_brand(const struct request *req)
{
	return req->session ? req->session->brand_id : 0;
}

struct json_object *seller_page_model(struct response *res)
{
	res->personal = true; /* one brand's rows: never kept by a shared cache */
	return response_model(res);
}
