/* Failed-login counters (schema/008: login_throttles), one row per throttling key. A key is the
 * SHA-256 of its material, so the table names nobody and unknown accounts count like real ones. */
#ifndef LONUA_DB_THROTTLES_H
#define LONUA_DB_THROTTLES_H

#include <stddef.h>

#include "util/status.h"

enum throttle_scope { THROTTLE_IP, THROTTLE_ACCOUNT, THROTTLE_ACCOUNT_IP };

struct throttle_key {
	enum throttle_scope scope;
	unsigned char hash[32];
};

/* The longest time any of the n keys stays blocked, in seconds (0: none is). */
enum status db_throttle_blocked(const struct throttle_key *keys, size_t n, long *seconds);
/* Counts a failure for the key within its window of window_seconds (a failure after the window
 * starts a new one) and sets *failures to the count. */
enum status db_throttle_fail(const struct throttle_key *key, long window_seconds, long *failures);
/* Blocks the key for seconds from now. */
enum status db_throttle_block(const struct throttle_key *key, long seconds);
/* Forgets the key (after a successful login). */
enum status db_throttle_clear(const struct throttle_key *key);

#endif
