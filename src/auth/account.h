/* The life of an account (SPEC §3, §4, §6): signing up (shoppers by e-mail, sellers with their
 * brand's key), verifying the e-mail, logging in with throttling, re-entering the password,
 * changing and resetting it, and withdrawing. Each mail goes into the outbox in the transaction
 * that causes it. Handlers (pages and API alike) call these and only turn the result into an
 * answer; what went wrong with a field is named in *field (NULL when it is no one field). */
#ifndef LONUA_AUTH_ACCOUNT_H
#define LONUA_AUTH_ACCOUNT_H

#include "db/sessions.h"
#include "db/users.h"
#include "util/status.h"

struct request;
struct response;

/* How long mailed links live. */
#define ACCOUNT_VERIFY_TTL (24 * 3600)
#define ACCOUNT_RESET_TTL  3600
/* Mails of one kind an account is sent in an hour, at most (resends, resets). */
#define ACCOUNT_MAILS_PER_HOUR 3

/* A new pending shopper with the profile, and the verification mail (in lang). ST_CONFLICT when
 * the e-mail or the phone is taken (*field: "email" or "phone"). */
enum status account_signup(const char *email, const char *password, const struct user_profile *profile,
                           const char *lang, long long *user_id, const char **field);

/* Spends a verification token and activates its account, with the welcome coupons, in one
 * transaction. ST_NOT_FOUND for a token that is unknown, used or expired. Sets *user_id. */
enum status account_verify(const char *token, long long *user_id);
/* True when the verification token is live (the page that confirms it shows its button). */
bool account_verify_token_live(const char *token);
/* Sends a new verification mail to the pending account of that e-mail (or of user_id when email
 * is NULL), at most ACCOUNT_MAILS_PER_HOUR an hour. Answers ST_OK whether or not there is such an
 * account, so the answer tells nobody who has one. */
enum status account_resend_verification(const char *email, long long user_id, const char *lang);

/* Logs in a shopper or admin (ACCOUNT_USER) or a seller (ACCOUNT_SELLER) with e-mail and password,
 * after the throttle's check: a new session of kind (the cookie goes into res; a bearer token into
 * token, 44 bytes, and its end into expires, 20 bytes). ST_UNAUTHENTICATED (code LOGIN_FAILED) for
 * a wrong e-mail or password alike; ST_RATE_LIMITED (res->retry_after) while throttled;
 * ST_FORBIDDEN (ACCOUNT_SUSPENDED) for a seller who cannot act, once the password is right. */
enum status account_login(struct request *req, struct response *res, enum account_kind account, const char *email,
                          const char *password, enum session_kind kind, char *token, char *expires);

/* The signed-in account re-enters its password (before the profile or withdrawal): the session is
 * marked re-authenticated. ST_UNAUTHENTICATED (field "password") when it is wrong; throttled like
 * a login. */
enum status account_reauthenticate(struct request *req, struct response *res, const char *password);

/* Mails a reset link to the account of that e-mail if there is one with a password (at most
 * ACCOUNT_MAILS_PER_HOUR an hour). Always ST_OK but for a database failure: the answer is the
 * same whether or not there is such an account. */
enum status account_forgot_password(enum account_kind account, const char *email, const char *lang);
/* True when the reset token is live. */
bool account_reset_token_live(const char *token);
/* Spends a reset token (and every other live one of the account), sets the new password and ends
 * every session of the account (a pending shopper's e-mail is proven too: it becomes active). ST_NOT_FOUND for a dead
 * token. Sets *account to say whose it was. */
enum status account_reset_password(const char *token, const char *password, enum account_kind *account);

/* Changes the signed-in account's password. The session must be re-authenticated recently, or
 * current (may be NULL) must be the password (field "current_password"). Every other session of
 * the account ends, and every reset link mailed before stops working. */
enum status account_change_password(struct request *req, struct response *res, const char *current,
                                    const char *password);

/* True when the request's session may change the profile or withdraw now: re-authenticated
 * recently, or current (may be NULL) is the password. A wrong password counts as a failure
 * against the throttle. */
enum status account_check_reauthenticated(struct request *req, struct response *res, const char *current);

/* Withdraws the signed-in shopper (see db_user_withdraw) once re-authenticated; the cookie is
 * cleared. */
enum status account_withdraw(struct request *req, struct response *res, const char *password);

/* A new seller of brand_id, proven by the brand's key (throttled per address: a key cannot be
 * guessed by trying). ST_INVALID (field "brand_key") for an unknown brand or a wrong key alike;
 * ST_CONFLICT (field "brand_id") for an inactive brand or (field "email") a taken e-mail. The
 * caller signs the new seller in if it wants to. */
enum status account_seller_signup(struct request *req, struct response *res, long long brand_id, const char *brand_key,
                                  const char *email, const char *password, const char *name, const char *phone,
                                  long long *seller_id, const char **field);

/* Deletes the signed-in seller's account once the password is right (field "password"). */
enum status account_seller_delete(struct request *req, struct response *res, const char *password);

#endif
