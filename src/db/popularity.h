/* Popularity counted again from the orders (SPEC §4 "popular", §6 body types): each product's
 * units paid in the last 30 days (the "popular" sort), and its units bought by shoppers of each
 * upper- and lower-body type. Checkout, payment and refunds move the same counters as they happen;
 * this puts them right (orders leave the 30 days; body types change) and is safe to run any time. */
#ifndef LONUA_DB_POPULARITY_H
#define LONUA_DB_POPULARITY_H

#include "util/status.h"

/* Recounts every product; *changed counts the products whose 30-day count moved. */
enum status db_popularity_recount(unsigned long long *changed);

#endif
