/* The catalogue listing's filter, read from a route's validated inputs: the API and the pages
 * share it, so the same request lists the same products either way. */
#ifndef LONUA_HANDLERS_FILTER_H
#define LONUA_HANDLERS_FILTER_H

#include "util/status.h"

struct request;
struct response;
struct catalog_filter;

/* SPEC §5: lists hold 24 items unless per_page says otherwise (the default of the listing's
 * per_page input in src/handlers/routes.c). */
#define FILTER_DEFAULT_PER_PAGE 24

/* Fills f from the listing inputs (category, style, brand, size, min_price, max_price, on_sale,
 * q, sort, page, per_page: src/handlers/routes.c). ST_INVALID (min_price) when min_price is above
 * max_price. */
enum status filter_from_request(struct request *req, struct response *res, struct catalog_filter *f);

#endif
