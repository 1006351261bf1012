#include "present/seller_console.h"

#include <stdio.h>

#include <json-c/json.h>

#include "present/common.h"

json_object *present_stock_variant(const struct stock_variant *v)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(v->id));
	json_object_object_add(o, "product_id", json_object_new_int64(v->product_id));
	json_object_object_add(o, "product_name", json_object_new_string(v->product_name));
	json_object_object_add(o, "size", json_object_new_string(v->size_label));
	json_object_object_add(o, "color", present_text_or_null(v->color));
	json_object_object_add(o, "sku", present_text_or_null(v->sku));
	json_object_object_add(o, "stock", json_object_new_int64(v->stock));
	json_object_object_add(o, "status", json_object_new_string(v->status));
	return o;
}

json_object *present_stock_movement(const struct stock_movement *m, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(m->id));
	json_object_object_add(o, "delta", json_object_new_int64(m->delta));
	char delta[32];
	snprintf(delta, sizeof delta, "%+lld", m->delta);
	json_object_object_add(o, "delta_text", json_object_new_string(delta));
	json_object_object_add(o, "stock_after", json_object_new_int64(m->stock_after));
	present_coded(o, "kind", "seller_ops.movement", m->reason, lang);
	json_object_object_add(o, "reason", present_text_or_null(m->note));
	json_object_object_add(o, "order_line_id", present_int_or_null(m->order_line_id));
	json_object_object_add(o, "seller_name", present_text_or_null(m->seller_name));
	json_object_object_add(o, "created_at", present_timestamp(m->created_at));
	json_object_object_add(o, "created_text", present_kst_text(m->created_at));
	return o;
}

json_object *present_branch(const struct branch *b)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(b->id));
	json_object_object_add(o, "name", json_object_new_string(b->name));
	json_object_object_add(o, "postal_code", present_text_or_null(b->postal_code));
	json_object_object_add(o, "address", json_object_new_string(b->address));
	json_object_object_add(o, "phone", present_text_or_null(b->phone));
	json_object_object_add(o, "created_at", present_timestamp(b->created_at));
	return o;
}
