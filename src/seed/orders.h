/* The demo orders of `lonua seed` (src/seed/orders.c). */
#ifndef LONUA_SEED_ORDERS_H
#define LONUA_SEED_ORDERS_H

#include <stddef.h>
#include <stdio.h>

/* Places the demo orders for the shoppers of these e-mails (the admin records their transfers)
 * unless they were placed before. Returns 0, or -1 after a message on stderr. */
int seed_orders(const char *const *shopper_emails, size_t nshoppers, const char *admin_email, FILE *out);

#endif
