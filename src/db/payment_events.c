#include "db/payment_events.h"

#include <json-c/json.h>
#include <string.h>

#include "db/db.h"

static const char *const kinds[] = {"get_token", "get_payment", "cancel_payment", "webhook", "browser_return"};
static const char *const statuses[] = {"ok", "rejected", "error"};

/* JSON text for a JSON column: the text when it parses as JSON, else NULL (an HTML error page is
 * not kept; the event's error says what came). */
static struct db_param json_or_null(const char *text)
{
	json_object *o = text && *text ? json_tokener_parse(text) : NULL;
	if (!o)
		return DB_NULL;
	json_object_put(o);
	return DB_TEXT(text);
}

enum status db_payment_event(const struct payment_event *e)
{
	bool inbound = e->kind == EVENT_WEBHOOK || e->kind == EVENT_BROWSER_RETURN;
	struct db_param p[] = {
	    e->order_id > 0 ? DB_INT(e->order_id) : DB_NULL,
	    DB_TEXT(inbound ? "inbound" : "outbound"),
	    DB_TEXT(kinds[e->kind]),
	    DB_TEXT(statuses[e->status]),
	    e->http_status > 0 ? DB_INT(e->http_status) : DB_NULL,
	    DB_TEXT_OR_NULL(e->imp_uid),
	    DB_TEXT_OR_NULL(e->merchant_uid),
	    e->amount >= 0 ? DB_INT(e->amount) : DB_NULL,
	    json_or_null(e->request_json),
	    json_or_null(e->response_json),
	    DB_TEXT_OR_NULL(e->error),
	    e->duration_ms >= 0 ? DB_INT(e->duration_ms) : DB_NULL,
	};
	return db_query(
	    "INSERT INTO payment_events (order_id, direction, kind, status, http_status, imp_uid, merchant_uid,"
	    " amount, request_json, response_json, error, duration_ms)"
	    " VALUES (?, ?, ?, ?, ?, LEFT(?, 64), LEFT(?, 40), ?, ?, ?, LEFT(?, 1000), ?)",
	    p, sizeof p / sizeof p[0], NULL, NULL, NULL);
}
