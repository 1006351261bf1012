/* The audit of every call to and from the payment gateway (SPEC §3 Payment events;
 * schema/006_orders.sql): what was sent and received (keys and tokens redacted before they get
 * here), the HTTP status, and our verdict. */
#ifndef LONUA_DB_PAYMENT_EVENTS_H
#define LONUA_DB_PAYMENT_EVENTS_H

#include "util/status.h"

enum payment_event_kind {
	EVENT_GET_TOKEN,
	EVENT_GET_PAYMENT,
	EVENT_CANCEL_PAYMENT,
	EVENT_WEBHOOK,
	EVENT_BROWSER_RETURN
};
enum payment_event_status { EVENT_OK, EVENT_REJECTED, EVENT_ERROR };

struct payment_event {
	long long order_id; /* 0: names no known order */
	enum payment_event_kind kind;
	enum payment_event_status status;
	long http_status;          /* 0: none */
	const char *imp_uid;       /* may be NULL */
	const char *merchant_uid;  /* may be NULL */
	long long amount;          /* < 0: none */
	const char *request_json;  /* may be NULL; JSON text */
	const char *response_json; /* may be NULL; JSON text (anything else is not stored) */
	const char *error;         /* may be NULL */
	long duration_ms;          /* < 0: none */
};

/* Writes one event (outbound for the calls we make, inbound for the webhook and browser return).
 * Gateway calls happen outside transactions, and so does this: the audit row stays whatever the
 * caller does next. */
enum status db_payment_event(const struct payment_event *e);

#endif
