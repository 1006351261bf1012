#include "shop/order_mail.h"

#include <stdio.h>

#include <json-c/json.h>

#include "db/orders.h"
#include "db/outbox.h"
#include "present/order.h"
#include "util/buf.h"
#include "util/config.h"
#include "view/view.h"

static const char *const templates[] = {"order-placed", "order-paid", "order-shipped", "order-cancelled",
                                        "order-return"};

enum status order_mail(enum order_mail_kind kind, long long order_id, long long line_id, const char *lang)
{
	struct order o;
	enum status st = db_order_get(order_id, 0, &o);
	if (st != ST_OK)
		return st;
	st = order_mail_about(kind, &o, line_id, lang);
	order_free(&o);
	return st;
}

enum status order_mail_about(enum order_mail_kind kind, const struct order *o, long long line_id, const char *lang)
{
	if (!o->buyer_email[0])
		return ST_OK;
	long long order_id = o->id;
	json_object *model = json_object_new_object();
	json_object_object_add(model, "name", json_object_new_string(o->buyer_name));
	json_object_object_add(model, "order", present_order(o, lang));
	for (size_t i = 0; i < o->nlines; i++)
		if (o->lines[i].id == line_id)
			json_object_object_add(model, "line", present_order_line(&o->lines[i], lang));
	struct buf link = BUF_INIT, key = BUF_INIT, subject = BUF_INIT, text = BUF_INIT;
	buf_printf(&link, "%s/me/orders/%lld", config.public_url, order_id);
	json_object_object_add(model, "link", json_object_new_string(buf_str(&link)));
	/* One mail per order, line and kind, however often the transaction that queues it runs. */
	buf_printf(&key, "%s:%lld:%lld", templates[kind], order_id, line_id);
	enum status st = ST_ERROR;
	if (view_render_mail(lang, templates[kind], model, &subject, &text) == 0)
		st = db_outbox_mail(buf_str(&key), o->buyer_email, buf_str(&subject), buf_str(&text));
	json_object_put(model);
	buf_free(&link);
	buf_free(&key);
	buf_free(&subject);
	buf_free(&text);
	return st;
}
