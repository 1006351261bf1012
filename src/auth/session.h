/* Who is calling: the session of a request (a cookie for pages, a bearer token for the API),
 * signing in (a new session and, for browsers, its cookie) and out. */
#ifndef LONUA_AUTH_SESSION_H
#define LONUA_AUTH_SESSION_H

#include <stdbool.h>

#include "db/sessions.h"
#include "http/router.h"
#include "util/status.h"

struct request;
struct response;

/* The browser's session cookie. */
#define SESSION_COOKIE_NAME "lonua_sid"

/* What an account may do now (pure): an active shopper, a shopper still to verify, an admin, an
 * active seller of an active brand, or a seller who cannot act (suspended, or the brand inactive). */
enum role session_role(const struct session *s);

/* The signed-in account's id when it is a user (a shopper or an admin) / a seller, else 0. The
 * handlers of one kind's routes read their account through these, so a route given the wrong access
 * level finds nothing rather than another kind of account's row of the same number. */
long long session_user_id(const struct request *req);
long long session_seller_id(const struct request *req);

/* Finds the caller's session: `Authorization: Bearer <token>` (API), else the session cookie. Sets
 * req->session (owned by the request), req->role and req->by_cookie; a guest keeps ROLE_GUEST.
 * A stale or unknown cookie is cleared and the caller is a guest; a bearer token that is not a
 * live session is ST_UNAUTHENTICATED (a program should learn its token is dead). Writes last_seen
 * at most once a minute. Returns ST_OK or the database's failure. */
enum status session_find(struct request *req, struct response *res);

/* Signs the account in: a new session (cookie or bearer) with a new token. For a cookie the
 * Set-Cookie header goes into res; for a bearer token the token is written into token_out
 * (44 bytes) and the end of its life into expires_out (20 bytes). */
enum status session_start(struct request *req, struct response *res, enum session_kind kind, enum account_kind account,
                          long long account_id, char *token_out, char *expires_out);

/* Ends the request's session (logout) and clears the cookie. */
enum status session_end(struct request *req, struct response *res);

#endif
