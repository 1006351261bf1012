#include "pay/portone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "db/payment_events.h"
#include "net/http_client.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"

/* The worker's access token and when it ends (the gateway's clock, read from its answer). */
static char token[128];
static time_t token_until;

bool portone_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	return n >= 1 && n <= 64 && strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

bool portone_enabled(void)
{
	return config.portone_imp_key && *config.portone_imp_key && config.portone_imp_secret &&
	       *config.portone_imp_secret && config.portone_merchant_code && *config.portone_merchant_code;
}

void portone_forget_token(void)
{
	token[0] = '\0';
	token_until = 0;
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000);
}

/* The envelope's response object when the reply is HTTP 200 with code 0, else NULL; *code gets the
 * envelope's code (or -999 when there is no envelope). The caller puts the parsed root. */
static json_object *envelope(const struct http_reply *r, json_object **root, long long *code)
{
	json_object *c, *resp;
	*code = -999;
	*root = r->body.len ? json_tokener_parse(buf_str(&r->body)) : NULL;
	if (!*root || !json_object_is_type(*root, json_type_object) || !json_object_object_get_ex(*root, "code", &c) ||
	    !json_object_is_type(c, json_type_int))
		return NULL;
	*code = json_object_get_int64(c);
	if (r->status != 200 || *code != 0 || !json_object_object_get_ex(*root, "response", &resp) ||
	    !json_object_is_type(resp, json_type_object))
		return NULL;
	return resp;
}

static const char *text_of(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
	           ? json_object_get_string(v)
	           : "";
}

/* A number of won: an integer, or a double without a fraction (the gateway writes both). */
static long long won_of(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return -1;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	if (json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);
		return d == (double)(long long)d ? (long long)d : -1;
	}
	return -1;
}

static void read_payment(json_object *p, struct portone_payment *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->imp_uid, sizeof out->imp_uid, "%s", text_of(p, "imp_uid"));
	snprintf(out->merchant_uid, sizeof out->merchant_uid, "%s", text_of(p, "merchant_uid"));
	snprintf(out->status, sizeof out->status, "%s", text_of(p, "status"));
	snprintf(out->currency, sizeof out->currency, "%s", text_of(p, "currency"));
	out->amount = won_of(p, "amount");
	out->cancel_amount = won_of(p, "cancel_amount");
	json_object *history;
	if (!json_object_object_get_ex(p, "cancel_history", &history) || !json_object_is_type(history, json_type_array))
		return;
	size_t n = json_object_array_length(history);
	for (size_t i = 0; i < n && out->ncancels < PORTONE_MAX_CANCELS; i++) {
		json_object *entry = json_object_array_get_idx(history, i);
		if (!json_object_is_type(entry, json_type_object))
			continue;
		struct portone_cancellation *c = &out->cancels[out->ncancels++];
		c->amount = won_of(entry, "amount");
		snprintf(c->reason, sizeof c->reason, "%s", text_of(entry, "reason"));
		snprintf(c->id, sizeof c->id, "%s", text_of(entry, "cancellation_id"));
	}
}

/* What the audit keeps of a payment the gateway answered: the envelope with the fields we check and
 * its cancels, not the buyer's name, e-mail, phone and address it also carries (personal data that
 * the audit would otherwise keep after the member is erased). The caller frees the text. */
static char *payment_summary(const struct portone_payment *p)
{
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "imp_uid", json_object_new_string(p->imp_uid));
	json_object_object_add(resp, "merchant_uid", json_object_new_string(p->merchant_uid));
	json_object_object_add(resp, "status", json_object_new_string(p->status));
	json_object_object_add(resp, "currency", json_object_new_string(p->currency));
	json_object_object_add(resp, "amount", json_object_new_int64(p->amount));
	json_object_object_add(resp, "cancel_amount", json_object_new_int64(p->cancel_amount));
	json_object *history = json_object_new_array();
	for (size_t i = 0; i < p->ncancels; i++) {
		json_object *c = json_object_new_object();
		json_object_object_add(c, "amount", json_object_new_int64(p->cancels[i].amount));
		json_object_object_add(c, "reason", json_object_new_string(p->cancels[i].reason));
		json_object_object_add(c, "cancellation_id", json_object_new_string(p->cancels[i].id));
		json_object_array_add(history, c);
	}
	json_object_object_add(resp, "cancel_history", history);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "code", json_object_new_int(0));
	json_object_object_add(root, "response", resp);
	char *text = xstrdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	return text;
}

/* Gets a token unless the cached one has more than a minute left. The request's secret and the
 * answer's token never reach the audit. */
static enum status ensure_token(long long order_id)
{
	if (!portone_enabled())
		return ST_UNAVAILABLE; /* no gateway configured: never call out */
	if (token[0] && time(NULL) < token_until - 60)
		return ST_OK;
	struct buf url = BUF_INIT;
	buf_printf(&url, "%s/users/getToken", config.portone_api_url);
	json_object *req = json_object_new_object();
	json_object_object_add(req, "imp_key", json_object_new_string(config.portone_imp_key));
	json_object_object_add(req, "imp_secret", json_object_new_string(config.portone_imp_secret));
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct http_reply r;
	enum status st = http_client_request("POST", buf_str(&url), "application/json",
	                                     json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN), NULL, &r);
	json_object_put(req);
	buf_free(&url);
	json_object *root = NULL, *resp = NULL, *t = NULL;
	long long code = -999;
	if (st == ST_OK)
		resp = envelope(&r, &root, &code);
	const char *error = NULL;
	if (st != ST_OK)
		error = r.error;
	else if (!resp || !json_object_object_get_ex(resp, "access_token", &t) ||
	         !json_object_is_type(t, json_type_string) || json_object_get_string_len(t) >= (int)sizeof token)
		error = "the token endpoint refused or answered something else";
	if (!error) {
		snprintf(token, sizeof token, "%s", json_object_get_string(t));
		/* The token's own end, as a distance from the gateway's "now" (its clock, not ours). */
		long long now = won_of(resp, "now"), until = won_of(resp, "expired_at");
		token_until = time(NULL) + (now > 0 && until > now ? until - now : 1800);
	}
	struct payment_event e = {.order_id = order_id,
	                          .kind = EVENT_GET_TOKEN,
	                          .status = error ? EVENT_ERROR : EVENT_OK,
	                          .http_status = r.status,
	                          .amount = -1,
	                          .request_json = "{\"imp_key\":\"(set)\",\"imp_secret\":\"(redacted)\"}",
	                          .error = error,
	                          .duration_ms = elapsed_ms(&start)};
	db_payment_event(&e);
	json_object_put(root);
	buf_free(&r.body);
	if (error) {
		log_warn("Portone: no access token: %s (HTTP %ld)", error, r.status);
		portone_forget_token();
		return ST_UNAVAILABLE;
	}
	return ST_OK;
}

/* One authenticated call: a fresh token after a 401, once. */
static enum status call(const char *method, const char *url, const char *body, long long order_id, struct http_reply *r)
{
	for (int attempt = 0;; attempt++) {
		enum status st = ensure_token(order_id);
		if (st != ST_OK)
			return st;
		st = http_client_request(method, url, body ? "application/json" : NULL, body, token, r);
		if (st != ST_OK || r->status != 401 || attempt > 0)
			return st;
		buf_free(&r->body);
		portone_forget_token();
	}
}

enum status portone_payment_get(const char *imp_uid, long long order_id, struct portone_payment *out)
{
	if (!portone_id_valid(imp_uid))
		return ST_NOT_FOUND;
	struct buf url = BUF_INIT;
	buf_printf(&url, "%s/payments/%s%s", config.portone_api_url, imp_uid,
	           config.portone_sandbox ? "?include_sandbox=true" : "");
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct http_reply r = {0};
	enum status st = call("GET", buf_str(&url), NULL, order_id, &r);
	buf_free(&url);
	json_object *root = NULL, *resp = NULL;
	long long code = -999;
	const char *error = NULL;
	char *summary = NULL;
	if (st == ST_OK) {
		resp = envelope(&r, &root, &code);
		if (resp) {
			read_payment(resp, out);
			summary = payment_summary(out);
		} else if (r.status == 404 && code != -999)
			st = ST_NOT_FOUND; /* the gateway's own answer, not a 404 page on the way */
		else
			st = ST_UNAVAILABLE;
		if (st == ST_UNAVAILABLE)
			error = "the payment lookup answered something else";
	} else {
		error = r.error;
	}
	struct payment_event e = {.order_id = order_id,
	                          .kind = EVENT_GET_PAYMENT,
	                          .status = st == ST_OK          ? EVENT_OK
	                                    : st == ST_NOT_FOUND ? EVENT_REJECTED
	                                                         : EVENT_ERROR,
	                          .http_status = r.status,
	                          .imp_uid = imp_uid,
	                          .merchant_uid = resp ? out->merchant_uid : NULL,
	                          .amount = resp ? out->amount : -1,
	                          .response_json = summary      ? summary
	                                           : r.body.len ? buf_str(&r.body)
	                                                        : NULL,
	                          .error = error,
	                          .duration_ms = elapsed_ms(&start)};
	db_payment_event(&e);
	free(summary);
	json_object_put(root);
	buf_free(&r.body);
	return st;
}

enum status portone_cancel(const char *imp_uid, long long order_id, long long amount, long long checksum,
                           const char *reason, struct portone_payment *after)
{
	struct buf url = BUF_INIT;
	buf_printf(&url, "%s/payments/cancel", config.portone_api_url);
	json_object *req = json_object_new_object();
	json_object_object_add(req, "imp_uid", json_object_new_string(imp_uid));
	if (amount > 0)
		json_object_object_add(req, "amount", json_object_new_int64(amount));
	json_object_object_add(req, "checksum", json_object_new_int64(checksum));
	json_object_object_add(req, "reason", json_object_new_string(reason));
	const char *body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct http_reply r = {0};
	enum status st = call("POST", buf_str(&url), body, order_id, &r);
	buf_free(&url);
	json_object *root = NULL, *resp = NULL;
	long long code = -999;
	struct portone_payment p;
	const char *error = NULL;
	char *summary = NULL;
	if (st == ST_OK) {
		resp = envelope(&r, &root, &code);
		if (resp) {
			read_payment(resp, &p);
			summary = payment_summary(&p);
			if (after)
				*after = p;
		} else if (r.status == 200 && code != -999) {
			st = ST_CONFLICT; /* refused: code != 0 on HTTP 200 */
			error = "the gateway refused the cancel";
		} else {
			st = ST_UNAVAILABLE;
			error = "the cancel answered something else";
		}
	} else {
		error = r.error;
	}
	struct payment_event e = {.order_id = order_id,
	                          .kind = EVENT_CANCEL_PAYMENT,
	                          .status = st == ST_OK         ? EVENT_OK
	                                    : st == ST_CONFLICT ? EVENT_REJECTED
	                                                        : EVENT_ERROR,
	                          .http_status = r.status,
	                          .imp_uid = imp_uid,
	                          .amount = amount,
	                          .request_json = body,
	                          .response_json = summary      ? summary
	                                           : r.body.len ? buf_str(&r.body)
	                                                        : NULL,
	                          .error = error,
	                          .duration_ms = elapsed_ms(&start)};
	db_payment_event(&e);
	free(summary);
	json_object_put(req);
	json_object_put(root);
	buf_free(&r.body);
	return st;
}
