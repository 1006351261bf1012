/* Every path LONUA answers: method, pattern, handler, least role, declared inputs.
 * `lonua routes --json` prints this table. */
#include "http/routes.h"

#include "db/catalog.h"
#include "handlers/handlers.h"

#define INPUTS(a) a, sizeof a / sizeof a[0]
#define NO_INPUTS NULL, 0

/* Ids in filters: positive, at most 2^53 - 1 so that every JSON client reads them exactly. */
#define ID_MAX    9007199254740991LL
#define PRICE_MAX 100000000LL

/* SPEC §5: filters, sort (catalog_sort_names, default newest), page 1–100 (deeper is a 422:
 * refine the filters), per_page 1–100 (default 24). min_price > max_price is a 422 too (handler). */
static const struct input_spec product_list_inputs[] = {
    {"category", INPUT_INT, INPUT_FROM_QUERY, false, 1, ID_MAX, NULL},
    {"style", INPUT_INT, INPUT_FROM_QUERY, false, 1, ID_MAX, NULL},
    {"brand", INPUT_INT, INPUT_FROM_QUERY, false, 1, ID_MAX, NULL},
    {"size", INPUT_STRING, INPUT_FROM_QUERY, false, 1, 10, NULL},
    {"min_price", INPUT_INT, INPUT_FROM_QUERY, false, 0, PRICE_MAX, NULL},
    {"max_price", INPUT_INT, INPUT_FROM_QUERY, false, 0, PRICE_MAX, NULL},
    {"on_sale", INPUT_BOOL, INPUT_FROM_QUERY, false, 0, 0, NULL},
    {"q", INPUT_STRING, INPUT_FROM_QUERY, false, 1, 100, NULL},
    {"sort", INPUT_ENUM, INPUT_FROM_QUERY, false, 0, 0, catalog_sort_names},
    {"page", INPUT_INT, INPUT_FROM_QUERY, false, 1, 100, NULL},
    {"per_page", INPUT_INT, INPUT_FROM_QUERY, false, 1, 100, NULL},
};
static const struct input_spec page_inputs[] = {
    {"page", INPUT_INT, INPUT_FROM_QUERY, false, 1, 100, NULL},
    {"per_page", INPUT_INT, INPUT_FROM_QUERY, false, 1, 100, NULL},
};

static const char *const echo_sorts[] = {"newest", "price_asc", "price_desc", NULL};
static const struct input_spec echo_inputs[] = {
    {"name", INPUT_STRING, 0, true, 1, 50, NULL},
    {"count", INPUT_INT, 0, false, 1, 10, NULL},
    {"on_sale", INPUT_BOOL, 0, false, 0, 0, NULL},
    {"sort", INPUT_ENUM, 0, false, 0, 0, echo_sorts},
    {"photo", INPUT_FILE, INPUT_FROM_BODY, false, 0, 1 << 20, NULL},
};
static const struct input_spec sleep_inputs[] = {
    {"ms", INPUT_INT, INPUT_FROM_QUERY, true, 0, 10000, NULL},
};

const struct route routes[] = {
    /* pages */
    {"GET", "/", page_home, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/products", page_products, ROLE_GUEST, INPUTS(product_list_inputs), 0},
    {"GET", "/products/{id}", page_product, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/categories/{id}", page_category, ROLE_GUEST, INPUTS(product_list_inputs), 0},
    {"GET", "/styles/{id}", page_style, ROLE_GUEST, INPUTS(product_list_inputs), 0},
    {"GET", "/brands", page_brands, ROLE_GUEST, INPUTS(page_inputs), 0},
    {"GET", "/brands/{id}", page_brand, ROLE_GUEST, INPUTS(product_list_inputs), 0},

    /* JSON API */
    {"GET", "/api/v1/categories", api_categories_list, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/api/v1/categories/{id}", api_category_get, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/api/v1/styles", api_styles_list, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/api/v1/styles/{id}", api_style_get, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/api/v1/products", api_products_list, ROLE_GUEST, INPUTS(product_list_inputs), 0},
    {"GET", "/api/v1/products/{id}", api_product_get, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/api/v1/brands", api_brands_list, ROLE_GUEST, INPUTS(page_inputs), 0},
    {"GET", "/api/v1/brands/{id}", api_brand_get, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/api/v1/openapi.json", api_openapi, ROLE_GUEST, NO_INPUTS, 0},

    /* operations */
    {"GET", "/healthz", health_live, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/readyz", health_ready, ROLE_GUEST, NO_INPUTS, 0},
    {"GET", "/metrics", health_metrics, ROLE_GUEST, NO_INPUTS, 0},

    /* test-only: the input layer and process model through the real stack */
    {"GET", "/api/v1/test/echo/{id}", test_echo, ROLE_GUEST, INPUTS(echo_inputs), ROUTE_TEST_ONLY},
    {"POST", "/api/v1/test/echo/{id}", test_echo, ROLE_GUEST, INPUTS(echo_inputs), ROUTE_TEST_ONLY},
    {"GET", "/api/v1/test/sleep", test_sleep, ROLE_GUEST, INPUTS(sleep_inputs), ROUTE_TEST_ONLY},
};

const size_t routes_count = sizeof routes / sizeof routes[0];

size_t routes_index(const struct route *r)
{
	return (size_t)(r - routes);
}
