/* Sessions (SPEC §3 Session; schema/008_operations.sql): a browser cookie or an API bearer token
 * of one shopper, admin or seller. Only the SHA-256 of a token is stored. A request's session,
 * its account, the shopper's body profile and the cart count come back in one statement
 * (db_session_find), and each process keeps the account until its stamp moves (schema/024). */
#ifndef LONUA_DB_SESSIONS_H
#define LONUA_DB_SESSIONS_H

#include <stdbool.h>

#include "db/fit.h"
#include "db/sellers.h"
#include "db/users.h"
#include "util/status.h"

enum session_kind { SESSION_COOKIE, SESSION_BEARER };
enum account_kind { ACCOUNT_USER, ACCOUNT_SELLER };

/* Plain data (no pointers): struct request frees it with free(). */
struct session {
	long long id;
	enum session_kind kind;
	unsigned char csrf_secret[32];
	unsigned long long account_stamp; /* moves with every change to the account's columns (schema/024) */
	bool touch_due;                   /* last_seen_at is over a minute old: write it (db_session_touch) */
	bool reauthenticated;             /* the password (or Kakao) was re-entered within the last 15 minutes */
	char expires_at[20];              /* YYYY-MM-DD HH:MM:SS, UTC: the absolute end */
	enum account_kind account;
	long long account_id; /* users.id or sellers.id */
	char name[201];
	char email[255];
	/* a user's */
	enum user_role user_role;
	enum user_status user_status;
	bool has_password, has_kakao;
	long long cart_count;                              /* lines in the shopper's cart */
	int grade_discount_percent, grade_mileage_percent; /* the grade's (the cart shows its discount) */
	long long mileage_balance;
	struct fit_shopper body; /* height, weight and body types (0: not given): size advice, reviews like mine */
	unsigned long long likes_version;      /* moves with every like and unlike (db_likes_kept) */
	unsigned long long kept_sizes_version; /* moves with every change to the sizes kept (db_fit_kept_at) */
	/* a seller's */
	enum seller_status seller_status;
	long long brand_id;
	bool brand_active;
	char brand_name[401];
};

/* Stores a new session for the account with its token's hash and a fresh CSRF secret (written
 * into csrf_secret), expiring after config.session_max. ip and user_agent may be NULL. Sets *id. */
enum status db_session_create(enum session_kind kind, enum account_kind account, long long account_id,
                              const unsigned char token_hash[32], const unsigned char csrf_secret[32], const char *ip,
                              const char *user_agent, long long *id);
/* The live session of a token: its kind matches, it has not expired (absolutely, nor idle for
 * idle_seconds), and its account is not withdrawn. ST_NOT_FOUND otherwise. The session's own row
 * alone while this process keeps its account at the session's account_stamp; the whole join for a
 * token it does not keep, and after that row when the stamp moved. */
enum status db_session_find(const unsigned char token_hash[32], enum session_kind kind, long idle_seconds,
                            struct session *out);
/* Records that the session was used now (at most once a minute: see touch_due). */
enum status db_session_touch(long long id);
/* Records that the password was just re-entered. */
enum status db_session_reauthenticated(long long id);
/* Ends one session (logout). */
enum status db_session_delete(long long id);
/* Ends every session of the account but keep_id (0: all): after a password change or reset. */
enum status db_session_delete_others(enum account_kind account, long long account_id, long long keep_id);
/* Deletes sessions past their end (the jobs process runs it now and then); sets *removed. */
enum status db_session_purge(unsigned long long *removed);

#endif
