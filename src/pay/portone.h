/* The Portone (iamport) V1 REST client (SPEC §6 "Payment"; ../shared/reference/integrations.md §1):
 * an access token (kept per worker until a minute before it ends, fetched again after a 401), a
 * payment looked up by imp_uid, and a cancel (whole or partial, with the checksum that makes a
 * repeated cancel safe). Every call goes through src/net/http_client.c to LONUA_PORTONE_API_URL and
 * is recorded in payment_events with the key, the secret and the token left out. */
#ifndef LONUA_PAY_PORTONE_H
#define LONUA_PAY_PORTONE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* One cancel of a payment, as its cancel_history reports it. */
struct portone_cancellation {
	long long amount;
	char reason[96]; /* as sent (ours name the refund; longer ones are cut and match none of ours) */
	char id[65];     /* cancellation_id */
};

/* The cancels a payment's history may list that we read: a card payment is cancelled at most
 * once per line and once whole; later ones are left out. */
#define PORTONE_MAX_CANCELS 64

/* A payment as the gateway reports it. */
struct portone_payment {
	char imp_uid[65];
	char merchant_uid[41];
	char status[16];  /* ready, paid, cancelled, failed */
	char currency[8]; /* KRW */
	long long amount, cancel_amount;
	size_t ncancels;
	struct portone_cancellation cancels[PORTONE_MAX_CANCELS];
};

/* True when cards and KakaoPay can be offered: the key, the secret and the merchant code are set. */
bool portone_enabled(void);

/* Looks the payment up (order_id, when known, goes into the audit; with LONUA_PORTONE_SANDBOX,
 * test-channel payments too). ST_OK; ST_NOT_FOUND when the gateway says it knows no such payment
 * (its envelope, code != 0); ST_UNAVAILABLE when it cannot be asked now (no answer, a 5xx, a body
 * that is not the envelope, such as a proxy's 404 page, a refused token). */
enum status portone_payment_get(const char *imp_uid, long long order_id, struct portone_payment *out);

/* Cancels amount (0: all that is left) of the payment, telling the gateway the cancelable balance
 * we believe is left (checksum: it refuses if that is not so, so a repeat cannot cancel twice).
 * ST_OK with *after (may be NULL) the payment after it; ST_CONFLICT when the gateway refused (code
 * != 0: nothing left, a wrong checksum, more than the balance); ST_UNAVAILABLE when no answer came
 * (the cancel may have happened: look the payment up before trying again). */
enum status portone_cancel(const char *imp_uid, long long order_id, long long amount, long long checksum,
                           const char *reason, struct portone_payment *after);

/* True for an imp_uid or merchant_uid we will send or look up: 1 to 64 of A-Z a-z 0-9 _ -. */
bool portone_id_valid(const char *id);

/* Forgets the cached token (tests, and after the configuration changes). */
void portone_forget_token(void);

#endif
