/* Single-use, expiring tokens mailed to people (SPEC §3): e-mail verification (shoppers) and
 * password reset (shoppers and sellers). Only the SHA-256 of a token is stored; spending one is a
 * conditional UPDATE, so a link works once however often it is opened or raced. */
#ifndef LONUA_DB_TOKENS_H
#define LONUA_DB_TOKENS_H

#include "db/sessions.h"
#include "util/status.h"

enum token_kind { TOKEN_VERIFY_EMAIL, TOKEN_RESET_PASSWORD };

/* Stores a token of kind for the account, live for ttl seconds. email is the address a
 * verification token proves (NULL for a reset). */
enum status db_token_create(enum token_kind kind, enum account_kind account, long long account_id, const char *email,
                            const unsigned char hash[32], long ttl);
/* The account of a live token (not used, not expired), without spending it: ST_NOT_FOUND
 * otherwise. */
enum status db_token_peek(enum token_kind kind, const unsigned char hash[32], enum account_kind *account,
                          long long *account_id);
/* Spends a live token (once: the second caller gets ST_NOT_FOUND) and names its account. */
enum status db_token_spend(enum token_kind kind, const unsigned char hash[32], enum account_kind *account,
                           long long *account_id);
/* Spends every live reset token of the account (after its password changed, no older link may set
 * another). */
enum status db_token_spend_resets(enum account_kind account, long long account_id);
/* How many tokens of kind the account was sent in the last `seconds` (to limit resends). */
enum status db_token_count_recent(enum token_kind kind, enum account_kind account, long long account_id, long seconds,
                                  long long *count);

#endif
