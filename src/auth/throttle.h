/* Slowing down password guessing (SPEC §6), behind nginx's per-address rate limit: failures are
 * counted per client address, per account name across all addresses, and per account name from
 * one address. The last one blocks soon (a guesser at one account), the per-account one late and
 * briefly (a distributed guess is slowed, but a stranger cannot lock the owner out), the
 * per-address one after many failures over many names. The answer is the same whether or not the
 * account exists: the keys are made from what was typed, never from what was found. */
#ifndef LONUA_AUTH_THROTTLE_H
#define LONUA_AUTH_THROTTLE_H

#include "db/throttles.h"
#include "util/status.h"

/* The window in which failures add up. */
#define THROTTLE_WINDOW_SECONDS 900

/* How long a key is blocked after its failures-th failure in a window (pure; 0: not blocked).
 * Each scope lets a number of failures pass, then blocks for a time that doubles with each
 * further failure, up to a ceiling. */
long throttle_block_seconds(enum throttle_scope scope, long failures);

/* The three keys of a login attempt: realm ("user" or "seller") and the e-mail as typed
 * (compared lower-case), and the client address. */
void throttle_keys(const char *realm, const char *email, const char *ip, struct throttle_key keys[3]);

/* ST_RATE_LIMITED (with *retry_after in seconds) while any of the keys is blocked. */
enum status throttle_check(const struct throttle_key keys[3], long *retry_after);
/* Counts a failed attempt against every key and blocks those past their allowance. */
enum status throttle_failed(const struct throttle_key keys[3]);
/* A successful login forgets the failures of that account from that address. */
enum status throttle_succeeded(const struct throttle_key keys[3]);

#endif
