#include "db/throttles.h"

#include <string.h>

#include "db/db.h"

static const char *const scope_names[] = {"ip", "account", "account_ip"};

static enum status read_long(const struct db_row *row, void *ctx)
{
	*(long *)ctx = (long)db_int(row, 0);
	return ST_OK;
}

enum status db_throttle_blocked(const struct throttle_key *keys, size_t n, long *seconds)
{
	*seconds = 0;
	for (size_t i = 0; i < n; i++) {
		long s = 0;
		struct db_param p[] = {DB_TEXT(scope_names[keys[i].scope]), DB_BYTES(keys[i].hash, 32)};
		enum status st = db_query("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), blocked_until) + 1"
		                          " FROM login_throttles WHERE scope = ? AND key_hash = ?"
		                          " AND blocked_until > UTC_TIMESTAMP()",
		                          p, 2, read_long, &s, NULL);
		if (st != ST_OK)
			return st;
		if (s > *seconds)
			*seconds = s;
	}
	return ST_OK;
}

enum status db_throttle_fail(const struct throttle_key *key, long window_seconds, long *failures)
{
	/* failures is assigned before window_started_at, so both read the old window start. */
	struct db_param p[] = {DB_TEXT(scope_names[key->scope]), DB_BYTES(key->hash, 32), DB_INT(window_seconds),
	                       DB_INT(window_seconds)};
	enum status st =
	    db_query("INSERT INTO login_throttles (scope, key_hash, failures, window_started_at) VALUES (?, ?, 1, "
	             "UTC_TIMESTAMP())"
	             " ON DUPLICATE KEY UPDATE"
	             " failures = IF(window_started_at < UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, failures + 1),"
	             " window_started_at = IF(window_started_at < UTC_TIMESTAMP() - INTERVAL ? SECOND, UTC_TIMESTAMP(),"
	             " window_started_at)",
	             p, 4, NULL, NULL, NULL);
	if (st != ST_OK)
		return st;
	return db_query("SELECT failures FROM login_throttles WHERE scope = ? AND key_hash = ?", p, 2, read_long,
	                failures, NULL);
}

enum status db_throttle_block(const struct throttle_key *key, long seconds)
{
	struct db_param p[] = {DB_INT(seconds), DB_TEXT(scope_names[key->scope]), DB_BYTES(key->hash, 32)};
	return db_query("UPDATE login_throttles SET blocked_until = UTC_TIMESTAMP() + INTERVAL ? SECOND"
	                " WHERE scope = ? AND key_hash = ?",
	                p, 3, NULL, NULL, NULL);
}

enum status db_throttle_clear(const struct throttle_key *key)
{
	struct db_param p[] = {DB_TEXT(scope_names[key->scope]), DB_BYTES(key->hash, 32)};
	return db_query("DELETE FROM login_throttles WHERE scope = ? AND key_hash = ?", p, 2, NULL, NULL, NULL);
}
