#include "server/jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "auth/cart_owner.h"
#include "db/carts.h"
#include "db/db.h"
#include "db/oauth.h"
#include "db/outbox.h"
#include "db/sessions.h"
#include "net/http_client.h"
#include "net/mail.h"
#include "pay/payments.h"
#include "pay/portone.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"
#include "view/format.h"

#define MAX_RETRY_SECONDS  (6 * 3600)
#define HOUSEKEEPING_EVERY 600 /* seconds between purges of expired sessions and login states */
#define REFUNDS_EVERY      60  /* seconds between attempts at the gateway refunds still pending */

long jobs_retry_seconds(int attempts)
{
	long s = config.outbox_retry_seconds;
	for (int i = 1; i < attempts && s < MAX_RETRY_SECONDS; i++)
		s *= 2;
	return s < MAX_RETRY_SECONDS ? s : MAX_RETRY_SECONDS;
}

static const char *payload_text(const struct outbox_item *it, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(it->payload, key, &v) && json_object_is_type(v, json_type_string)
	           ? json_object_get_string(v)
	           : NULL;
}

static long long payload_int(const struct outbox_item *it, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(it->payload, key, &v) ? json_object_get_int64(v) : 0;
}

/* A new paid order for one brand, posted to the brand's Slack-compatible incoming webhook
 * (integrations.md §3): {"text", "blocks"} as JSON; 200 is success, 429, 5xx and no answer are
 * retried, any other status is a configuration error (not retried). The URL is read from the brand
 * now (it is the secret: never logged, never stored in the outbox); a brand that has none any more
 * is not posted to. */
static enum status slack_deliver(const struct outbox_item *it, char *err, size_t size)
{
	long long brand_id = payload_int(it, "brand_id");
	const char *merchant_uid = payload_text(it, "merchant_uid"), *brand = payload_text(it, "brand_name"),
	           *method = payload_text(it, "payment_method");
	if (brand_id <= 0 || !merchant_uid || !brand || !method) {
		snprintf(err, size, "not a notification this version can deliver");
		return ST_INVALID;
	}
	char url[501];
	enum status st = db_outbox_webhook_url(brand_id, url, sizeof url);
	if (st != ST_OK) {
		snprintf(err, size, "reading brand %lld's webhook: %s", brand_id, status_code(st));
		return ST_UNAVAILABLE;
	}
	if (!url[0]) {
		snprintf(err, size, "brand %lld has no webhook any more", brand_id);
		return ST_INVALID;
	}
	struct buf amount = BUF_INIT, shipping = BUF_INIT, text = BUF_INIT, mrkdwn = BUF_INIT;
	format_won(&amount, payload_int(it, "lines_amount"), "en");
	format_won(&shipping, payload_int(it, "shipping_fee"), "en");
	buf_printf(&text, "New paid order %s for %s: %lld item(s), %s (shipping %s), %s", merchant_uid, brand,
	           payload_int(it, "units"), buf_str(&amount), buf_str(&shipping), method);
	buf_printf(&mrkdwn, "*New paid order* %s\n%s: %lld item(s), %s (shipping %s), %s", merchant_uid, brand,
	           payload_int(it, "units"), buf_str(&amount), buf_str(&shipping), method);
	json_object *body = json_object_new_object(), *blocks = json_object_new_array(),
	            *section = json_object_new_object(), *t = json_object_new_object();
	json_object_object_add(t, "type", json_object_new_string("mrkdwn"));
	json_object_object_add(t, "text", json_object_new_string(buf_str(&mrkdwn)));
	json_object_object_add(section, "type", json_object_new_string("section"));
	json_object_object_add(section, "text", t);
	json_object_array_add(blocks, section);
	json_object_object_add(body, "text", json_object_new_string(buf_str(&text)));
	json_object_object_add(body, "blocks", blocks);
	struct http_reply reply;
	st = http_client_request("POST", url, "application/json",
	                         json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN), NULL, &reply);
	json_object_put(body);
	buf_free(&amount);
	buf_free(&shipping);
	buf_free(&text);
	buf_free(&mrkdwn);
	if (st != ST_OK) {
		snprintf(err, size, "webhook of brand %lld: %s", brand_id, reply.error);
		buf_free(&reply.body);
		return ST_UNAVAILABLE;
	}
	long status = reply.status;
	char answer[80];
	snprintf(answer, sizeof answer, "%.*s", (int)(reply.body.len < 60 ? reply.body.len : 60),
	         reply.body.data ? reply.body.data : "");
	for (char *c = answer; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	buf_free(&reply.body);
	if (status == 200)
		return ST_OK;
	snprintf(err, size, "webhook of brand %lld answered %ld %s", brand_id, status, answer);
	return status == 429 || status >= 500 ? ST_UNAVAILABLE : ST_INVALID;
}

struct delivery {
	long long id; /* of the message handled, 0 when there was none */
	bool sent;
	bool interrupted; /* SIGTERM or SIGINT cut the delivery short: nothing was recorded */
};

static bool stop_pending(void);

/* One transaction: claim the oldest due message, deliver it, record the outcome. */
static enum status deliver_one(void *ctx)
{
	struct delivery *d = ctx;
	struct outbox_item it;
	d->id = 0;
	enum status st = db_outbox_claim(&it);
	if (st != ST_OK)
		return st;
	d->id = it.id;
	char err[300] = "";
	const char *to = payload_text(&it, "to"), *subject = payload_text(&it, "subject"),
	           *text = payload_text(&it, "text");
	enum status sent;
	if (it.kind == OUTBOX_SLACK) {
		sent = slack_deliver(&it, err, sizeof err);
	} else if (!to || !subject || !text) {
		snprintf(err, sizeof err, "not a message this version can deliver");
		sent = ST_INVALID;
	} else {
		char message_id[40];
		struct buf message = BUF_INIT;
		snprintf(message_id, sizeof message_id, "outbox-%lld", it.id);
		mail_compose(to, subject, text, message_id, &message);
		sent = mail_deliver(to, &message, err, sizeof err);
		buf_free(&message);
	}
	int attempts = it.attempts + 1;
	db_outbox_item_free(&it);
	d->sent = sent == ST_OK;
	if (!d->sent && stop_pending()) {
		/* Shutting down mid-delivery (the relay kept us waiting): the attempt was not the relay's
		 * fault, so it is not counted; rolling back leaves the row exactly as it was. */
		d->interrupted = true;
		log_info("outbox %lld: delivery interrupted by shutdown; it stays pending", d->id);
		return ST_UNAVAILABLE;
	}
	if (d->sent) {
		log_info("outbox %lld delivered", d->id);
		return db_outbox_sent(d->id);
	}
	bool give_up = sent == ST_INVALID || attempts >= config.outbox_max_attempts;
	long delay = jobs_retry_seconds(attempts);
	log_warn("outbox %lld: attempt %d failed: %s; %s", d->id, attempts, err,
	         give_up ? "giving up (set it back to pending to resend)" : "will retry");
	return db_outbox_retry(d->id, delay, give_up, err);
}

/* True when SIGTERM or SIGINT arrived while the work went on (they stay pending: blocked). */
static bool stop_pending(void)
{
	sigset_t pending;
	sigpending(&pending);
	return sigismember(&pending, SIGTERM) || sigismember(&pending, SIGINT);
}

/* Marks a round done for the liveness probe (Kubernetes restarts a process whose loop hangs).
 * It says the loop turns, not that the database answers: a database outage must not restart it. */
static void touch_heartbeat(void)
{
	if (!config.jobs_heartbeat)
		return;
	int fd = open(config.jobs_heartbeat, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || futimens(fd, NULL) != 0)
		log_warn("cannot touch the heartbeat file %s: %s", config.jobs_heartbeat, strerror(errno));
	if (fd >= 0)
		close(fd);
}

int jobs_run(void)
{
	log_set_role("jobs");
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (config.pid_file) {
		FILE *f = fopen(config.pid_file, "w");
		if (f) {
			fprintf(f, "%ld\n", (long)getpid());
			fclose(f);
		}
	}
	mail_set_interrupt(stop_pending);
	if (!config.smtp_url && !config.mail_dir)
		log_warn("no mail transport (LONUA_SMTP_URL or LONUA_MAIL_DIR): mails wait in the outbox");
	log_info("started: polling every %ld ms", config.jobs_poll_ms);
	double last_housekeeping = now_seconds() - HOUSEKEEPING_EVERY - 1; /* the first round purges at once */
	double last_refunds = 0;
	bool stop = false;
	while (!stop) {
		/* Everything due now, one message per transaction. */
		for (;;) {
			struct delivery d = {0, false, false};
			enum status st = db_transaction(deliver_one, &d, 3);
			if (st != ST_OK) {
				if (st != ST_NOT_FOUND && !d.interrupted)
					log_warn("outbox: %s; trying again later", status_code(st));
				break;
			}
			if (stop_pending())
				break;
		}
		if (now_seconds() - last_housekeeping > HOUSEKEEPING_EVERY) {
			unsigned long long removed = 0;
			if (db_session_purge(&removed) == ST_OK && removed)
				log_info("purged %llu expired sessions", removed);
			removed = 0;
			if (db_oauth_state_purge(&removed) == ST_OK && removed)
				log_info("purged %llu expired Kakao login states", removed);
			removed = 0;
			if (db_cart_purge_guests(CART_GUEST_MAX_AGE, &removed) == ST_OK && removed)
				log_info("purged %llu abandoned guest carts", removed);
			last_housekeeping = now_seconds();
		}
		/* Refunds the gateway did not take yet (no answer, or down): tried again until done. */
		if (portone_enabled() && now_seconds() - last_refunds > REFUNDS_EVERY) {
			unsigned long done = 0;
			if (payment_refunds_retry(&done) == ST_OK && done)
				log_info("made %lu gateway refunds", done);
			last_refunds = now_seconds();
		}
		touch_heartbeat();
		struct timespec wait = {config.jobs_poll_ms / 1000, (config.jobs_poll_ms % 1000) * 1000000L};
		int sig = sigtimedwait(&set, NULL, &wait);
		stop = sig == SIGTERM || sig == SIGINT;
	}
	log_info("stopping");
	db_close();
	if (config.pid_file)
		unlink(config.pid_file);
	return 0;
}
