#include "db/oauth.h"

#include <string.h>

#include "db/db.h"

enum status db_oauth_state_create(const unsigned char state_hash[32], const unsigned char browser_hash[32],
                                  const char *next_path, long ttl)
{
	struct db_param p[] = {DB_BYTES(state_hash, 32), DB_BYTES(browser_hash, 32), DB_TEXT_OR_NULL(next_path),
	                       DB_INT(ttl)};
	return db_query(
	    "INSERT INTO oauth_states (state_hash, browser_hash, provider, next_path, created_at, expires_at)"
	    " VALUES (?, ?, 'kakao', ?, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	    p, 4, NULL, NULL, NULL);
}

struct next_row {
	char *next;
	size_t len;
	bool found;
};

static enum status read_next(const struct db_row *row, void *ctx)
{
	struct next_row *r = ctx;
	db_copy(row, 0, r->next, r->len);
	r->found = true;
	return ST_OK;
}

enum status db_oauth_state_spend(const unsigned char state_hash[32], const unsigned char browser_hash[32], char *next,
                                 size_t len)
{
	struct db_param p[] = {DB_BYTES(state_hash, 32), DB_BYTES(browser_hash, 32)};
	unsigned long long changed = 0;
	/* The conditional UPDATE decides: a replay or a race finds nothing left to change. */
	enum status st = db_query("UPDATE oauth_states SET used_at = UTC_TIMESTAMP() WHERE state_hash = ?"
	                          " AND browser_hash = ? AND used_at IS NULL AND expires_at > UTC_TIMESTAMP()",
	                          p, 2, NULL, NULL, &changed);
	if (st != ST_OK)
		return st;
	if (changed == 0)
		return ST_NOT_FOUND;
	struct next_row r = {next, len, false};
	next[0] = '\0';
	return db_query("SELECT next_path FROM oauth_states WHERE state_hash = ?", p, 1, read_next, &r, NULL);
}

enum status db_oauth_state_purge(unsigned long long *removed)
{
	return db_query("DELETE FROM oauth_states WHERE expires_at <= UTC_TIMESTAMP() LIMIT 10000", NULL, 0, NULL, NULL,
	                removed);
}
