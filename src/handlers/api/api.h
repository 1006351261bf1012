/* The JSON API under /api/v1 (SPEC §5): the catalogue and reference lists, the accounts, and the
 * OpenAPI document. Success is the resource as JSON; a failure status becomes problem+json. */
#ifndef LONUA_HANDLERS_API_API_H
#define LONUA_HANDLERS_API_API_H

#include "util/status.h"

struct request;
struct response;

/* reference.c: 200, 404 (absent id), 503 */
enum status api_categories_list(struct request *req, struct response *res);
enum status api_category_get(struct request *req, struct response *res);
enum status api_styles_list(struct request *req, struct response *res);
enum status api_style_get(struct request *req, struct response *res);

/* catalog.c: 200, 404 (absent or not shown), 422, 503 */
enum status api_products_list(struct request *req, struct response *res);
enum status api_product_get(struct request *req, struct response *res);
enum status api_brands_list(struct request *req, struct response *res);
enum status api_brand_get(struct request *req, struct response *res);

/* docs.c: 200, 500 */
enum status api_openapi(struct request *req, struct response *res);

#endif
