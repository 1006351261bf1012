#include "present/account.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db/sellers.h"
#include "db/users.h"
#include "present/common.h"
#include "view/format.h"

json_object *present_user(const struct user *u)
{
	static const char *const statuses[] = {"pending", "active", "withdrawn"};
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(u->id));
	json_object_object_add(o, "email", present_text_or_null(u->email));
	json_object_object_add(o, "email_verified", json_object_new_boolean(u->email_verified));
	json_object_object_add(o, "status", json_object_new_string(statuses[u->status]));
	json_object_object_add(o, "role", json_object_new_string(u->role == USER_ADMIN ? "admin" : "shopper"));
	json_object_object_add(o, "name", present_text_or_null(u->name));
	json_object_object_add(o, "birth_date", present_text_or_null(u->birth_date));
	json_object_object_add(o, "gender", present_text_or_null(u->gender));
	json_object_object_add(o, "phone", present_text_or_null(u->phone));
	if (u->phone[0]) {
		char t[24];
		format_phone(u->phone, t, sizeof t);
		json_object_object_add(o, "phone_text", json_object_new_string(t));
	}
	json_object_object_add(o, "postal_code", present_text_or_null(u->postal_code));
	json_object_object_add(o, "address", present_text_or_null(u->address));
	json_object_object_add(o, "address_detail", present_text_or_null(u->address_detail));
	json_object_object_add(o, "preferred_style_id", present_int_or_null(u->preferred_style_id));
	json_object_object_add(o, "upper_body_type", present_int_or_null(u->upper_body_type));
	json_object_object_add(o, "lower_body_type", present_int_or_null(u->lower_body_type));
	json_object_object_add(o, "height_cm", present_int_or_null(u->height_cm));
	json_object_object_add(o, "weight_kg", present_int_or_null(u->weight_kg));
	json_object_object_add(o, "grade_id", json_object_new_int64(u->grade_id));
	json_object_object_add(o, "mileage_balance", json_object_new_int64(u->mileage_balance));
	json_object_object_add(o, "has_password", json_object_new_boolean(u->password_hash[0] != '\0'));
	json_object_object_add(o, "kakao_linked", json_object_new_boolean(u->kakao_id != 0));
	json_object_object_add(o, "created_at", present_timestamp(u->created_at));
	return o;
}

json_object *present_login(const char *token, const char *expires_at, const char *key, json_object *account)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "token", json_object_new_string(token));
	json_object_object_add(o, "token_type", json_object_new_string("Bearer"));
	json_object_object_add(o, "expires_at", present_timestamp(expires_at));
	json_object_object_add(o, key, account);
	return o;
}

json_object *present_seller(const struct seller *s)
{
	json_object *o = json_object_new_object(), *brand = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(s->id));
	json_object_object_add(o, "email", json_object_new_string(s->email));
	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "phone", present_text_or_null(s->phone));
	json_object_object_add(brand, "id", json_object_new_int64(s->brand_id));
	json_object_object_add(brand, "name", json_object_new_string(s->brand_name));
	json_object_object_add(brand, "active", json_object_new_boolean(s->brand_active));
	json_object_object_add(o, "brand", brand);
	json_object_object_add(o, "status",
	                       json_object_new_string(s->status == SELLER_ACTIVE ? "active" : "suspended"));
	json_object_object_add(o, "created_at", present_timestamp(s->created_at));
	return o;
}
