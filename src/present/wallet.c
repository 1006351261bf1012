#include "present/wallet.h"

#include <stdio.h>

#include <json-c/json.h>

#include "db/coupons.h"
#include "db/mileage.h"
#include "db/reference.h"
#include "present/common.h"
#include "util/buf.h"
#include "view/format.h"

json_object *present_coupon(const struct coupon *c, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(c->rule.id));
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "percent", present_int_or_null(c->rule.percent));
	json_object_object_add(o, "amount", present_int_or_null(c->rule.percent ? 0 : c->rule.amount));
	if (c->rule.percent) {
		char text[16];
		snprintf(text, sizeof text, "%d%%", c->rule.percent);
		json_object_object_add(o, "discount_text", json_object_new_string(text));
	} else {
		json_object_object_add(o, "discount_text", format_won_json(c->rule.amount, lang));
	}
	present_won(o, "min_line_amount", c->rule.min_line_amount, lang);
	json_object_object_add(o, "has_minimum", json_object_new_boolean(c->rule.min_line_amount > 0));
	json_object_object_add(o, "category_id", present_int_or_null(c->rule.category_id));
	json_object *category = NULL;
	if (c->rule.category_id && reference_get(REFERENCE_CATEGORIES, c->rule.category_id, lang, &category) == ST_OK) {
		json_object *name = json_object_get(json_object_object_get(category, "name"));
		json_object_put(category);
		category = name;
	}
	json_object_object_add(o, "category", category);
	json_object_object_add(o, "valid_from", present_timestamp(c->valid_from));
	json_object_object_add(o, "valid_until", present_timestamp(c->valid_until));
	json_object_object_add(o, "valid_until_text", present_kst_text(c->valid_until));
	/* An available coupon past its end is expired to the shopper before the job says so. */
	enum coupon_state shown = c->state == COUPON_AVAILABLE && !c->usable_now ? COUPON_EXPIRED : c->state;
	present_coded(o, "state", "coupon.state", coupon_state_name(shown), lang);
	json_object_object_add(o, "usable", json_object_new_boolean(c->usable_now));
	json_object_object_add(o, "used_at", present_timestamp(c->used_at));
	return o;
}

json_object *present_mileage_entry(const struct mileage_entry *e, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(e->id));
	present_coded(o, "kind", "mileage.kind", mileage_kind_name(e->kind), lang);
	present_won(o, "amount", e->amount, lang);
	json_object_object_add(o, "credit", json_object_new_boolean(e->amount > 0));
	present_won(o, "balance_after", e->balance_after, lang);
	json_object_object_add(o, "order_id", present_int_or_null(e->order_id));
	json_object_object_add(o, "order_line_id", present_int_or_null(e->line_id));
	json_object_object_add(o, "product_name", present_text_or_null(e->product_name));
	json_object_object_add(o, "created_at", present_timestamp(e->created_at));
	json_object_object_add(o, "created_text", present_kst_text(e->created_at));
	return o;
}
