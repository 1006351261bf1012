#include "db/outbox.h"

#include <string.h>

#include <json-c/json.h>

#include "db/db.h"

enum status db_outbox_mail(const char *dedupe_key, const char *to, const char *subject, const char *text)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "to", json_object_new_string(to));
	json_object_object_add(o, "subject", json_object_new_string(subject));
	json_object_object_add(o, "text", json_object_new_string(text));
	const char *payload = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	struct db_param p[] = {DB_TEXT_OR_NULL(dedupe_key), DB_TEXT(payload)};
	enum status st = db_query("INSERT INTO outbox (kind, dedupe_key, payload) VALUES ('mail', ?, ?)"
	                          " ON DUPLICATE KEY UPDATE id = id",
	                          p, 2, NULL, NULL, NULL);
	json_object_put(o);
	return st;
}

enum status db_outbox_slack_paid(long long order_id)
{
	struct db_param p[] = {DB_INT(order_id)};
	return db_query("INSERT INTO outbox (kind, dedupe_key, payload)"
	                " SELECT 'slack', CONCAT('slack-paid:', c.order_id, ':', c.brand_id),"
	                " JSON_OBJECT('brand_id', c.brand_id, 'brand_name', b.name, 'order_id', c.order_id,"
	                " 'merchant_uid', o.merchant_uid, 'payment_method', o.payment_method,"
	                " 'lines_amount', c.lines_amount, 'shipping_fee', c.shipping_fee,"
	                " 'units', (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l"
	                " WHERE l.order_id = c.order_id AND l.brand_id = c.brand_id))"
	                " FROM order_shipping_charges c JOIN orders o ON o.id = c.order_id"
	                " JOIN brands b ON b.id = c.brand_id"
	                " WHERE c.order_id = ? AND b.notify_webhook_url IS NOT NULL AND b.notify_webhook_url <> ''"
	                " ON DUPLICATE KEY UPDATE outbox.id = outbox.id",
	                p, 1, NULL, NULL, NULL);
}

struct url_out {
	char *url;
	size_t size;
};

static enum status read_url(const struct db_row *row, void *ctx)
{
	struct url_out *u = ctx;
	db_copy(row, 0, u->url, u->size);
	return ST_OK;
}

enum status db_outbox_webhook_url(long long brand_id, char *url, size_t size)
{
	struct url_out u = {url, size};
	struct db_param p[] = {DB_INT(brand_id)};
	url[0] = '\0';
	return db_query("SELECT notify_webhook_url FROM brands WHERE id = ?", p, 1, read_url, &u, NULL);
}

static enum status read_item(const struct db_row *row, void *ctx)
{
	struct outbox_item *it = ctx;
	it->id = db_int(row, 0);
	it->kind = row->cols[1] && strcmp(row->cols[1], "slack") == 0 ? OUTBOX_SLACK : OUTBOX_MAIL;
	it->attempts = (int)db_int(row, 2);
	it->payload = row->cols[3] ? json_tokener_parse(row->cols[3]) : NULL;
	return it->payload ? ST_OK : ST_ERROR;
}

enum status db_outbox_claim(struct outbox_item *out)
{
	memset(out, 0, sizeof *out);
	enum status st = db_query("SELECT id, kind, attempts, payload FROM outbox"
	                          " WHERE state = 'pending' AND next_attempt_at <= UTC_TIMESTAMP()"
	                          " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	                          NULL, 0, read_item, out, NULL);
	if (st == ST_OK && out->id == 0)
		return ST_NOT_FOUND;
	return st;
}

enum status db_outbox_sent(long long id)
{
	struct db_param p[] = {DB_INT(id)};
	return db_query("UPDATE outbox SET state = 'sent', sent_at = UTC_TIMESTAMP(), attempts = attempts + 1,"
	                " last_error = NULL WHERE id = ?",
	                p, 1, NULL, NULL, NULL);
}

enum status db_outbox_retry(long long id, long retry_seconds, bool give_up, const char *error)
{
	char text[1001];
	size_t n = strlen(error);
	if (n > 1000) /* the column's length; never cut a character in two */
		for (n = 1000; n > 0 && ((unsigned char)error[n] & 0xC0) == 0x80; n--)
			;
	memcpy(text, error, n);
	text[n] = '\0';
	struct db_param p[] = {DB_TEXT(give_up ? "failed" : "pending"), DB_INT(retry_seconds), DB_TEXT(text),
	                       DB_INT(id)};
	return db_query("UPDATE outbox SET state = ?, attempts = attempts + 1,"
	                " next_attempt_at = UTC_TIMESTAMP() + INTERVAL ? SECOND, last_error = ? WHERE id = ?",
	                p, 4, NULL, NULL, NULL);
}

void db_outbox_item_free(struct outbox_item *item)
{
	json_object_put(item->payload);
	item->payload = NULL;
}

enum status db_outbox_purge(int days, unsigned long long *removed)
{
	struct db_param p = DB_INT(days);
	return db_query("DELETE FROM outbox WHERE created_at < UTC_TIMESTAMP() - INTERVAL ? DAY AND state <> 'pending'"
	                " LIMIT 10000",
	                &p, 1, NULL, NULL, removed);
}
