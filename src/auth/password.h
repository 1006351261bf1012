/* Passwords (SPEC §6): Argon2id from libargon2 with the configured cost (at least m = 19 MiB,
 * t = 2, p = 1), a random 16-byte salt, stored in the PHC string format that names its parameters,
 * so a stored hash made with older parameters is recognised and re-hashed at the next login. */
#ifndef LONUA_AUTH_PASSWORD_H
#define LONUA_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* Room for an encoded hash of ours. */
#define PASSWORD_HASH_MAX 160

/* Hashes password into out (PASSWORD_HASH_MAX bytes). ST_ERROR when libargon2 fails (logged). */
enum status password_hash(const char *password, char out[PASSWORD_HASH_MAX]);

/* True when password matches the encoded hash (libargon2 compares in constant time). An empty
 * or malformed hash never matches. */
bool password_verify(const char *encoded, const char *password);

/* Spends the time of one verification on a dummy hash, so that a login for an account that does
 * not exist (or has no password) takes as long as one for an account that does. */
void password_verify_nobody(const char *password);

/* True when encoded was not made by Argon2id with the configured parameters. */
bool password_needs_rehash(const char *encoded);

#endif
