/* Brands (SPEC §3 Brand; schema/003_brands.sql): creating one and reading its secret key's hash.
 * What shoppers read of a brand is in src/db/catalog.c. */
#ifndef LONUA_DB_BRANDS_H
#define LONUA_DB_BRANDS_H

#include <stdbool.h>

#include "util/status.h"

/* A new brand. Texts may be NULL where the column is optional (introduction, style label, postal
 * codes); free_shipping_threshold < 0: shipping is never free. */
struct brand_new {
	const char *name;
	const unsigned char *key_hash; /* SHA-256 of the brand key's 32 bytes */
	const char *introduction, *style_label;
	const char *business_postal_code, *business_address, *phone, *business_registration_number;
	const char *bank_name, *bank_account_number, *bank_account_holder;
	long long shipping_fee, free_shipping_threshold;
	const char *return_postal_code, *return_address, *return_courier;
	long long return_shipping_cost;
};

/* What a seller's sign-up needs to know of a brand: the SHA-256 of its key and whether it is
 * active. */
struct brand_key {
	unsigned char hash[32];
	bool active;
};

/* Creates an active brand; sets *id. ST_CONFLICT when the name is taken. */
enum status db_brand_create(const struct brand_new *b, long long *id);
/* The id of the brand of that name; ST_NOT_FOUND when there is none. */
enum status db_brand_id_by_name(const char *name, long long *id);
/* ST_NOT_FOUND when there is no such brand. */
enum status db_brand_key(long long brand_id, struct brand_key *out);

#endif
