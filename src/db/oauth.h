/* OAuth logins in flight (schema/008: oauth_states): the state sent to the provider, bound to the
 * browser that started the login, single use, expiring in minutes. Only hashes are stored. */
#ifndef LONUA_DB_OAUTH_H
#define LONUA_DB_OAUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* Stores a new state (its hash), the hash of the browser's nonce and the local path to return to
 * (may be NULL), live for ttl seconds. */
enum status db_oauth_state_create(const unsigned char state_hash[32], const unsigned char browser_hash[32],
                                  const char *next_path, long ttl);
/* Spends the state when it is live and was started by the same browser: once only (the second
 * caller gets ST_NOT_FOUND, as does a state of another browser). Writes its next path ("" when none)
 * into next (len bytes). */
enum status db_oauth_state_spend(const unsigned char state_hash[32], const unsigned char browser_hash[32], char *next,
                                 size_t len);
/* Removes states that have expired (used or not; at most 10000 a call): anyone can start a login,
 * so without this the table only grows. */
enum status db_oauth_state_purge(unsigned long long *removed);

#endif
