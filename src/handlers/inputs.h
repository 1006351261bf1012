/* Reading a route's validated inputs (declared in src/http/routes.c) in handlers: plain values
 * with a fallback, and the catalogue listing's filter, which the API and the pages share. */
#ifndef LONUA_HANDLERS_INPUTS_H
#define LONUA_HANDLERS_INPUTS_H

#include <stdbool.h>

struct request;
struct response;
struct catalog_filter;

/* SPEC §5: lists hold 24 items unless per_page says otherwise. */
#define INPUT_DEFAULT_PER_PAGE 24

/* The integer (or boolean, as 0/1, or enum index) input `name`, or fallback when not given. */
long long input_int(const struct request *req, const char *name, long long fallback);

/* The text input `name`, or NULL when it was not given or left blank. */
const char *input_text(const struct request *req, const char *name);

/* Fills f from the listing inputs (category, style, brand, size, min_price, max_price, on_sale,
 * q, sort, page, per_page; per_page defaulting to INPUT_DEFAULT_PER_PAGE). Returns false after answering 422 when
 * min_price is above max_price. */
bool input_catalog_filter(struct request *req, struct response *res, struct catalog_filter *f);

#endif
