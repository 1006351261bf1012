/* Page and API handlers. Each one reads validated inputs, calls the domain and the
 * database layer, and fills a view model; it never builds HTML or SQL. */
#ifndef LONUA_HANDLERS_HANDLERS_H
#define LONUA_HANDLERS_HANDLERS_H

struct request;
struct response;

/* shop/: the shopper's pages (HTML, or the view model as JSON on Accept: application/json):
 * 200, 404 (absent or not shown), 422 (an invalid filter), 503 (database unreachable) */
void page_home(struct request *req, struct response *res);
void page_products(struct request *req, struct response *res);
void page_category(struct request *req, struct response *res);
void page_style(struct request *req, struct response *res);
void page_brand(struct request *req, struct response *res);
void page_brands(struct request *req, struct response *res);
void page_product(struct request *req, struct response *res);

/* api_reference.c: 200, 404 (absent id), 503 (database unreachable) */
void api_categories_list(struct request *req, struct response *res);
void api_category_get(struct request *req, struct response *res);
void api_styles_list(struct request *req, struct response *res);
void api_style_get(struct request *req, struct response *res);

/* api_catalog.c: the catalogue (SPEC §5): 200, 404 (absent or not shown), 422, 503 */
void api_products_list(struct request *req, struct response *res);
void api_product_get(struct request *req, struct response *res);
void api_brands_list(struct request *req, struct response *res);
void api_brand_get(struct request *req, struct response *res);

/* api_docs.c: 200, 500 */
void api_openapi(struct request *req, struct response *res);

/* health.c */
void health_live(struct request *req, struct response *res);
void health_ready(struct request *req, struct response *res);
void health_metrics(struct request *req, struct response *res);

/* test_routes.c: only routed with LONUA_TEST_ROUTES=1 */
void test_echo(struct request *req, struct response *res);
void test_sleep(struct request *req, struct response *res);

#endif
