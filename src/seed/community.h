/* The demo community of `lonua seed` (src/seed/community.c): reviews, likes, questions, answers. */
#ifndef LONUA_SEED_COMMUNITY_H
#define LONUA_SEED_COMMUNITY_H

#include <stddef.h>
#include <stdio.h>

/* A demo brand's seller, who answers its questions. */
struct seed_seller {
	long long brand_id;
	const char *email;
};

/* After the demo orders, unless done before: the shoppers of these e-mails review most of their
 * delivered lines, like products of the demo orders and ask about them; the brands' sellers answer
 * half the questions. Returns 0, or -1 after a message on stderr. */
int seed_community(const char *const *shopper_emails, size_t nshoppers, const struct seed_seller *sellers,
                   size_t nsellers, FILE *out);

#endif
