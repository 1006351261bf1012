/* Kakao login (SPEC §2, §6; integrations.md §2): the OAuth 2.0 authorization-code flow with
 * libcurl. The state sent to Kakao is single-use and bound to the browser that started the login
 * (a nonce in a short-lived cookie), and the account is found by the Kakao user id only — never
 * linked to an existing account by its e-mail. Base URLs and keys come from configuration, so the
 * tests run against a local fake provider. */
#ifndef LONUA_AUTH_KAKAO_H
#define LONUA_AUTH_KAKAO_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

struct request;
struct response;
struct buf;

/* The cookie that binds a login in flight to its browser. */
#define KAKAO_COOKIE "lonua_oauth"
/* Minutes a login may take between leaving for Kakao and coming back. */
#define KAKAO_STATE_TTL 600

/* True when Kakao login is configured (LONUA_KAKAO_CLIENT_ID). */
bool kakao_enabled(void);

/* Starts a login: a new state bound to this browser (the cookie goes into res) and the address of
 * Kakao's authorization page to send the browser to (appended to location). next is the local
 * path to come back to (may be NULL). */
enum status kakao_begin(struct request *req, struct response *res, const char *next, struct buf *location);

/* The person said no at Kakao: the state (if this browser's) is spent and the cookie cleared, so
 * the login cannot be resumed. */
enum status kakao_cancel(struct request *req, struct response *res, const char *state);

/* What Kakao said about the person who came back. */
struct kakao_person {
	long long id;       /* Kakao's user id for this app: the only key of the account */
	char nickname[201]; /* may be "" */
	char next[501];     /* the local path the login was started for, or "" */
};

/* Finishes a login: spends the state (it must be live and belong to this browser's cookie, which
 * is cleared), exchanges the code for an access token and reads the user. ST_FORBIDDEN
 * (KAKAO_STATE) for a wrong, replayed or foreign state; ST_UNAVAILABLE (KAKAO_FAILED) when Kakao
 * refuses the code or does not answer sensibly (a reused code, a timeout, an error page). */
enum status kakao_finish(struct request *req, struct response *res, const char *code, const char *state,
                         struct kakao_person *out);

#endif
