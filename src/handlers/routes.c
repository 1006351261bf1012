/* Every path LONUA answers: method, pattern, handler, who may call it, declared inputs (with their
 * defaults), flags, and for a page form's POST the page that draws the form.
 * `lonua routes --json` prints this table. */
#include "handlers/routes.h"

#include "db/catalog.h"
#include "handlers/api/api.h"
#include "handlers/filter.h"
#include "handlers/ops/ops.h"
#include "handlers/shop/shop.h"

#define INPUTS(a) a, sizeof a / sizeof a[0]
#define NO_INPUTS NULL, 0

/* Ids in filters: positive, at most 2^53 - 1 so that every JSON client reads them exactly. */
#define ID_MAX    9007199254740991LL
#define PRICE_MAX 100000000LL

/* Declared inputs, by where they come from. */
#define QUERY_INT(n, lo, hi, d)                                                                                        \
	{                                                                                                              \
		.name = n, .type = INPUT_INT, .sources = INPUT_FROM_QUERY, .min = lo, .max = hi, .def = d              \
	}
#define QUERY_TEXT(n, lo, hi)                                                                                          \
	{                                                                                                              \
		.name = n, .type = INPUT_STRING, .sources = INPUT_FROM_QUERY, .min = lo, .max = hi                     \
	}
#define QUERY_BOOL(n, d)                                                                                               \
	{                                                                                                              \
		.name = n, .type = INPUT_BOOL, .sources = INPUT_FROM_QUERY, .def = d                                   \
	}
#define QUERY_ENUM(n, list)                                                                                            \
	{                                                                                                              \
		.name = n, .type = INPUT_ENUM, .sources = INPUT_FROM_QUERY, .choices = list                            \
	}

/* SPEC §5: filters, sort (catalog_sort_names, default newest), page 1–100 (deeper is a 422:
 * refine the filters), per_page 1–100 (default 24). min_price > max_price is a 422 too
 * (src/handlers/filter.c). A price or on_sale not given is -1: not filtered. */
static const struct input_spec product_list_inputs[] = {
    QUERY_INT("category", 1, ID_MAX, 0),
    QUERY_INT("style", 1, ID_MAX, 0),
    QUERY_INT("brand", 1, ID_MAX, 0),
    QUERY_TEXT("size", 1, 10),
    QUERY_INT("min_price", 0, PRICE_MAX, -1),
    QUERY_INT("max_price", 0, PRICE_MAX, -1),
    QUERY_BOOL("on_sale", -1),
    QUERY_TEXT("q", 1, 100),
    QUERY_ENUM("sort", catalog_sort_names),
    QUERY_INT("page", 1, 100, 1),
    QUERY_INT("per_page", 1, 100, FILTER_DEFAULT_PER_PAGE),
};
static const struct input_spec api_page_inputs[] = {
    QUERY_INT("page", 1, 100, 1),
    QUERY_INT("per_page", 1, 100, FILTER_DEFAULT_PER_PAGE),
};
/* The brands page shows 12 brands, each with a strip of products. */
static const struct input_spec brands_page_inputs[] = {
    QUERY_INT("page", 1, 100, 1),
    QUERY_INT("per_page", 1, 100, 12),
};

static const char *const echo_sorts[] = {"newest", "price_asc", "price_desc", NULL};
static const struct input_spec echo_inputs[] = {
    {.name = "name", .type = INPUT_STRING, .required = true, .min = 1, .max = 50},
    {.name = "count", .type = INPUT_INT, .min = 1, .max = 10},
    {.name = "on_sale", .type = INPUT_BOOL},
    {.name = "sort", .type = INPUT_ENUM, .choices = echo_sorts},
    {.name = "photo", .type = INPUT_FILE, .sources = INPUT_FROM_BODY, .max = 1 << 20},
};
static const struct input_spec sleep_inputs[] = {
    {.name = "ms", .type = INPUT_INT, .sources = INPUT_FROM_QUERY, .required = true, .min = 0, .max = 10000},
};

#define ROUTE(m, p, h, a, in)                                                                                          \
	{                                                                                                              \
		.method = m, .pattern = p, .handler = h, .access = a, .inputs = in                                     \
	}
#define TEST_ROUTE(m, p, h, in)                                                                                        \
	{                                                                                                              \
		.method = m, .pattern = p, .handler = h, .inputs = in, .flags = ROUTE_TEST_ONLY                        \
	}

const struct route routes[] = {
    /* the shop's pages */
    ROUTE("GET", "/", page_home, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/products", page_products, ACCESS_GUEST, INPUTS(product_list_inputs)),
    ROUTE("GET", "/products/{id}", page_product, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/categories/{id}", page_category, ACCESS_GUEST, INPUTS(product_list_inputs)),
    ROUTE("GET", "/styles/{id}", page_style, ACCESS_GUEST, INPUTS(product_list_inputs)),
    ROUTE("GET", "/brands", page_brands, ACCESS_GUEST, INPUTS(brands_page_inputs)),
    ROUTE("GET", "/brands/{id}", page_brand, ACCESS_GUEST, INPUTS(product_list_inputs)),

    /* JSON API */
    ROUTE("GET", "/api/v1/categories", api_categories_list, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/api/v1/categories/{id}", api_category_get, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/api/v1/styles", api_styles_list, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/api/v1/styles/{id}", api_style_get, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/api/v1/products", api_products_list, ACCESS_GUEST, INPUTS(product_list_inputs)),
    ROUTE("GET", "/api/v1/products/{id}", api_product_get, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/api/v1/brands", api_brands_list, ACCESS_GUEST, INPUTS(api_page_inputs)),
    ROUTE("GET", "/api/v1/brands/{id}", api_brand_get, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/api/v1/openapi.json", api_openapi, ACCESS_GUEST, NO_INPUTS),

    /* operations */
    ROUTE("GET", "/healthz", health_live, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/readyz", health_ready, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/metrics", health_metrics, ACCESS_GUEST, NO_INPUTS),

    /* test-only: the input layer and process model through the real stack */
    TEST_ROUTE("GET", "/api/v1/test/echo/{id}", test_echo, INPUTS(echo_inputs)),
    TEST_ROUTE("POST", "/api/v1/test/echo/{id}", test_echo, INPUTS(echo_inputs)),
    TEST_ROUTE("GET", "/api/v1/test/sleep", test_sleep, INPUTS(sleep_inputs)),
};

const size_t routes_count = sizeof routes / sizeof routes[0];

size_t routes_index(const struct route *r)
{
	return (size_t)(r - routes);
}
