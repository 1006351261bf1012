/* Sellers, the staff of one brand (SPEC §3 Seller; schema/003_brands.sql), as C structs, and the
 * brand key they sign up with. */
#ifndef LONUA_DB_SELLERS_H
#define LONUA_DB_SELLERS_H

#include <stdbool.h>

#include "util/status.h"

enum seller_status { SELLER_ACTIVE, SELLER_SUSPENDED };

struct seller {
	long long id;
	long long brand_id;
	char brand_name[401];
	bool brand_active;
	enum seller_status status;
	char email[255];
	char password_hash[256];
	char name[201];
	char phone[16];
	char created_at[20];
};

/* A new active seller of brand_id. Sets *id; ST_CONFLICT when the e-mail is taken. */
enum status db_seller_create(long long brand_id, const char *email, const char *password_hash, const char *name,
                             const char *phone, long long *id);
/* Reads one seller with the brand's name and status; ST_NOT_FOUND when there is none. */
enum status db_seller_by_id(long long id, struct seller *out);
enum status db_seller_by_email(const char *email, struct seller *out);
enum status db_seller_set_password(long long id, const char *password_hash);
enum status db_seller_logged_in(long long id);
/* Deletes the seller account (its sessions and reset tokens go with it). */
enum status db_seller_delete(long long id);

#endif
