/* Shoppers and admins (SPEC §3 User; schema/002_accounts.sql) as C structs: every read and write
 * of the users table, and the writes that go with a change of status (welcome coupons at
 * activation, sessions ended at withdrawal). */
#ifndef LONUA_DB_USERS_H
#define LONUA_DB_USERS_H

#include <stdbool.h>

#include "util/status.h"

enum user_role { USER_SHOPPER, USER_ADMIN };
enum user_status { USER_PENDING, USER_ACTIVE, USER_WITHDRAWN };

/* Text columns hold at most their VARCHAR length in characters (4 bytes each in UTF-8). */
struct user {
	long long id;
	enum user_role role;
	enum user_status status;
	char email[255];
	bool email_verified;
	char password_hash[256]; /* "" for a Kakao-only account */
	long long kakao_id;      /* 0 when not linked */
	char name[201];
	char birth_date[11]; /* YYYY-MM-DD or "" */
	char gender[2];      /* "M", "W" or "" */
	char phone[16];      /* digits or "" */
	char postal_code[6];
	char address[1021];
	char address_detail[1021];
	long long preferred_style_id;         /* 0: none */
	int upper_body_type, lower_body_type; /* 1 slim, 2 average, 3 heavy; 0 unknown */
	int height_cm, weight_kg;             /* 0 unknown */
	long long grade_id;
	long long mileage_balance;
	char created_at[20]; /* YYYY-MM-DD HH:MM:SS, UTC */
};

/* What a shopper gives at sign-up or changes in the profile (NULL or 0: not given). */
struct user_profile {
	const char *name;
	long long birth_date; /* YYYYMMDD, 0 when not given */
	const char *gender;
	const char *phone;
	const char *postal_code;
	const char *address;
	const char *address_detail;
	long long preferred_style_id;
	int upper_body_type, lower_body_type;
	int height_cm, weight_kg;
};

/* A new pending shopper with an e-mail and a password hash. Sets *id. ST_CONFLICT when the
 * e-mail or the phone is taken (db_conflict_key() says which: "uq_users_email" or
 * "uq_users_phone"). */
enum status db_user_create(const char *email, const char *password_hash, const struct user_profile *p, long long *id);
/* A new pending shopper known only by a Kakao id (the profile comes later). ST_CONFLICT when
 * that Kakao id has an account. */
enum status db_user_create_kakao(long long kakao_id, const char *nickname, long long *id);
/* A new active admin (the command line's `lonua user create-admin`). */
enum status db_user_create_admin(const char *email, const char *password_hash, const char *name, long long *id);

/* Reads one user; ST_NOT_FOUND when there is none. By e-mail: the address as given, compared
 * case-insensitively. */
enum status db_user_by_id(long long id, struct user *out);
enum status db_user_by_email(const char *email, struct user *out);
enum status db_user_by_kakao(long long kakao_id, struct user *out);

/* Writes the profile fields that are given (the rest stay). ST_CONFLICT when the phone is taken. */
enum status db_user_update_profile(long long id, const struct user_profile *p);
/* Completes a Kakao account's profile (every field required) and activates it with its welcome
 * coupons, in one transaction. ST_CONFLICT on a taken phone or e-mail; ST_NOT_FOUND unless it is
 * a pending Kakao account. */
enum status db_user_complete_kakao(long long id, const char *email, const struct user_profile *p);
/* Replaces the password hash (a change, a reset, or a re-hash with new parameters). */
enum status db_user_set_password(long long id, const char *password_hash);
/* pending -> active, and the two welcome coupons (once: a unique key), in the caller's
 * transaction; email_proven (a mailed link was opened) sets email_verified_at. ST_NOT_FOUND unless
 * the user is pending. */
enum status db_user_activate(long long id, bool email_proven);
/* Withdraws an account: no more login (sessions, tokens and the cart deleted), the personal data
 * that identifies or reaches the person removed (e-mail, phone, Kakao id, password, birth date,
 * address, measurements), the rest (name, orders, reviews) kept. One transaction. */
enum status db_user_withdraw(long long id);
/* The number of the shopper's coupons that can be used now. */
enum status db_user_coupons_available(long long id, long long *count);
/* Records a successful login. */
enum status db_user_logged_in(long long id);

#endif
