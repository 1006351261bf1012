/* The application's route table: read it to learn what LONUA answers. */
#ifndef LONUA_HANDLERS_ROUTES_H
#define LONUA_HANDLERS_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct route routes[];
extern const size_t routes_count;

/* Index of r in routes (for metrics). */
size_t routes_index(const struct route *r);

#endif
