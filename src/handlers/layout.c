#include "handlers/layout.h"

#include <json-c/json.h>

#include "auth/cart_owner.h"
#include "auth/csrf.h"
#include "db/reference.h"
#include "db/sessions.h"
#include "handlers/shop/cards.h"
#include "http/request.h"

/* The signed-in account as the header shows it: its name, what it is, and where its pages are. */
static json_object *account(const struct request *req)
{
	const struct session *s = req->session;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "email", json_object_new_string(s->email));
	const char *kind = req->role == ROLE_ADMIN                                         ? "is_admin"
	                   : req->role == ROLE_SELLER || req->role == ROLE_INACTIVE_SELLER ? "is_seller"
	                                                                                   : "is_shopper";
	json_object_object_add(o, kind, json_object_new_boolean(1));
	if (req->role == ROLE_PENDING_SHOPPER)
		json_object_object_add(o, "pending", json_object_new_boolean(1));
	if (s->account == ACCOUNT_SELLER)
		json_object_object_add(o, "brand_name", json_object_new_string(s->brand_name));
	return o;
}

json_object *layout_chrome(struct request *req, struct response *res, bool with_csrf)
{
	json_object *chrome = json_object_new_object(), *nav = json_object_new_object(), *list;
	reference_list(REFERENCE_CATEGORIES, req->lang, &list);
	json_object_object_add(nav, "categories", list ? list : json_object_new_array());
	reference_list(REFERENCE_STYLES, req->lang, &list);
	json_object_object_add(nav, "styles", list ? list : json_object_new_array());
	json_object_object_add(chrome, "nav", nav);
	if (req->session) {
		json_object_object_add(chrome, "account", account(req));
		/* Absent rather than 0, which Mustache would show as true. */
		if (req->session->cart_count > 0)
			json_object_object_add(chrome, "cart_count", json_object_new_int64(req->session->cart_count));
	} else {
		long long n = cart_guest_count(req); /* a query only when the guest has a cart cookie */
		if (n > 0)
			json_object_object_add(chrome, "cart_count", json_object_new_int64(n));
	}
	cards_likes(req, res, chrome);
	if (req->session || with_csrf) {
		char token[CRYPTO_TOKEN_LEN + 1];
		csrf_token(req, res, token);
		json_object_object_add(chrome, "csrf_token", json_object_new_string(token));
	}
	return chrome;
}
