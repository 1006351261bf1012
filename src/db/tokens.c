#include "db/tokens.h"

#include <string.h>

#include "db/db.h"

/* The statements of each kind; the tables differ (verification tokens are only shoppers'). */
static const struct {
	const char *insert, *peek, *spend, *recent;
} sql[] = {
    [TOKEN_VERIFY_EMAIL] =
        {
            "INSERT INTO email_verification_tokens (token_hash, user_id, email, created_at, expires_at)"
            " VALUES (?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)",
            "SELECT user_id, NULL FROM email_verification_tokens"
            " WHERE token_hash = ? AND used_at IS NULL AND expires_at > UTC_TIMESTAMP()",
            "UPDATE email_verification_tokens SET used_at = UTC_TIMESTAMP()"
            " WHERE token_hash = ? AND used_at IS NULL AND expires_at > UTC_TIMESTAMP()",
            "SELECT COUNT(*) FROM email_verification_tokens"
            " WHERE user_id = ? AND created_at > UTC_TIMESTAMP() - INTERVAL ? SECOND",
        },
    [TOKEN_RESET_PASSWORD] =
        {
            "INSERT INTO password_reset_tokens (token_hash, user_id, seller_id, created_at, expires_at)"
            " VALUES (?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)",
            "SELECT user_id, seller_id FROM password_reset_tokens"
            " WHERE token_hash = ? AND used_at IS NULL AND expires_at > UTC_TIMESTAMP()",
            "UPDATE password_reset_tokens SET used_at = UTC_TIMESTAMP()"
            " WHERE token_hash = ? AND used_at IS NULL AND expires_at > UTC_TIMESTAMP()",
            NULL,
        },
};

enum status db_token_create(enum token_kind kind, enum account_kind account, long long account_id, const char *email,
                            const unsigned char hash[32], long ttl)
{
	if (kind == TOKEN_VERIFY_EMAIL) {
		struct db_param p[] = {DB_BYTES(hash, 32), DB_INT(account_id), DB_TEXT(email ? email : ""),
		                       DB_INT(ttl)};
		return db_query(sql[kind].insert, p, 4, NULL, NULL, NULL);
	}
	struct db_param p[] = {DB_BYTES(hash, 32), account == ACCOUNT_USER ? DB_INT(account_id) : DB_NULL,
	                       account == ACCOUNT_SELLER ? DB_INT(account_id) : DB_NULL, DB_INT(ttl)};
	return db_query(sql[kind].insert, p, 4, NULL, NULL, NULL);
}

struct owner {
	enum account_kind account;
	long long id;
};

static enum status read_owner(const struct db_row *row, void *ctx)
{
	struct owner *o = ctx;
	o->account = db_is_null(row, 0) ? ACCOUNT_SELLER : ACCOUNT_USER;
	o->id = db_int(row, o->account == ACCOUNT_USER ? 0 : 1);
	return ST_OK;
}

enum status db_token_peek(enum token_kind kind, const unsigned char hash[32], enum account_kind *account,
                          long long *account_id)
{
	struct db_param p[] = {DB_BYTES(hash, 32)};
	struct owner o = {ACCOUNT_USER, 0};
	enum status st = db_query(sql[kind].peek, p, 1, read_owner, &o, NULL);
	if (st == ST_OK && o.id == 0)
		return ST_NOT_FOUND;
	*account = o.account;
	*account_id = o.id;
	return st;
}

enum status db_token_spend(enum token_kind kind, const unsigned char hash[32], enum account_kind *account,
                           long long *account_id)
{
	/* Who it belongs to, then the conditional UPDATE that only one caller can win. */
	enum status st = db_token_peek(kind, hash, account, account_id);
	if (st != ST_OK)
		return st;
	struct db_param p[] = {DB_BYTES(hash, 32)};
	unsigned long long changed = 0;
	st = db_query(sql[kind].spend, p, 1, NULL, NULL, &changed);
	return st == ST_OK && changed == 0 ? ST_NOT_FOUND : st;
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

enum status db_token_count_recent(enum token_kind kind, enum account_kind account, long long account_id, long seconds,
                                  long long *count)
{
	struct db_param p[] = {DB_INT(account_id), DB_INT(seconds)};
	*count = 0;
	if (kind == TOKEN_VERIFY_EMAIL)
		return db_query(sql[kind].recent, p, 2, read_count, count, NULL);
	return db_query(account == ACCOUNT_USER
	                    ? "SELECT COUNT(*) FROM password_reset_tokens"
	                      " WHERE user_id = ? AND created_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"
	                    : "SELECT COUNT(*) FROM password_reset_tokens"
	                      " WHERE seller_id = ? AND created_at > UTC_TIMESTAMP() - INTERVAL ? SECOND",
	                p, 2, read_count, count, NULL);
}

enum status db_token_spend_resets(enum account_kind account, long long account_id)
{
	struct db_param p[] = {DB_INT(account_id)};
	return db_query(account == ACCOUNT_USER ? "UPDATE password_reset_tokens SET used_at = UTC_TIMESTAMP()"
	                                          " WHERE user_id = ? AND used_at IS NULL"
	                                        : "UPDATE password_reset_tokens SET used_at = UTC_TIMESTAMP()"
	                                          " WHERE seller_id = ? AND used_at IS NULL",
	                p, 1, NULL, NULL, NULL);
}
