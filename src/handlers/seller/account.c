/* Seller accounts: a seller and a shopper are different principals even with the same e-mail
 * (their own table, their own login, the same session table). */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/account.h"
#include "auth/session.h"
#include "db/sellers.h"
#include "handlers/forms.h"
#include "handlers/seller/seller.h"
#include "http/request.h"
#include "http/response.h"
#include "present/account.h"
#include "util/crypto.h"

/* GET /seller/signup: the form (brand id and key from the operator). */
enum status page_seller_signup(struct request *req, struct response *res)
{
	if (form_signed_in_elsewhere(req, res))
		return ST_OK;
	return response_view(res, 200, "pages/seller-signup", response_model(res));
}

/* Why a sign-up is refused, by the field at fault (src/auth/account.c). */
static const struct {
	const char *field, *code, *detail, *message;
} refusals[] = {
    {"email", "SELLER_EMAIL_TAKEN", "That e-mail address has a seller account.", "taken"},
    {"brand_id", "BRAND_INACTIVE", "That brand is not active.", "brand_inactive"},
    {"brand_key", "BRAND_KEY_WRONG", "The brand id or the brand key is wrong.", "wrong_brand_key"},
};

/* POST /seller/signup: 303 to /seller, signed in. POST /api/v1/sellers: 201 with the seller (log in
 * with POST /api/v1/seller/auth/login). 409 (SELLER_EMAIL_TAKEN, BRAND_INACTIVE), 422 (a wrong brand
 * id or key: BRAND_KEY_WRONG, the same for both), 429 after repeated wrong keys. */
enum status seller_signup_submit(struct request *req, struct response *res)
{
	const char *password = req_text(req, "password");
	long long id;
	const char *field;
	enum status st = account_seller_signup(req, res, req_int(req, "brand_id"), req_text(req, "brand_key"),
	                                       req_text(req, "email"), password, req_text(req, "name"),
	                                       req_text(req, "phone"), &id, &field);
	for (size_t i = 0; st != ST_OK && field && i < sizeof refusals / sizeof *refusals; i++) {
		if (strcmp(field, refusals[i].field) == 0) {
			response_fail(res, st, refusals[i].code, refusals[i].detail);
			return response_field_error(res, st, field, refusals[i].message);
		}
	}
	if (st != ST_OK)
		return st;
	if (!req->is_api) {
		st = session_start(req, res, SESSION_COOKIE, ACCOUNT_SELLER, id, NULL, NULL);
		return st == ST_OK ? response_redirect(res, "/seller") : st;
	}
	struct seller s;
	st = db_seller_by_id(id, &s);
	if (st != ST_OK)
		return st;
	response_header(res, "Location", "/api/v1/seller/me");
	return response_view(res, 201, NULL, present_seller(&s));
}

/* The seller login form (also drawn again after a failed POST). */
enum status seller_login_form(struct request *req, struct response *res)
{
	if (form_signed_in_elsewhere(req, res))
		return ST_OK;
	response_form_value(res, "next", form_next(req, NULL));
	return response_view(res, 200, "pages/seller-login", response_model(res));
}

/* GET /seller/login (?reset=1 after a password reset). */
enum status page_seller_login(struct request *req, struct response *res)
{
	static const char *const notices[] = {"reset", NULL};
	form_notices(req, response_model(res), notices);
	return seller_login_form(req, res);
}

/* POST /seller/login: 303 to next or /seller. POST /api/v1/seller/auth/login: 200 {token, …,
 * seller}. 401 LOGIN_FAILED, 403 ACCOUNT_SUSPENDED, 429. */
enum status seller_login_submit(struct request *req, struct response *res)
{
	char token[CRYPTO_TOKEN_LEN + 1], expires[20];
	enum session_kind kind = req->is_api ? SESSION_BEARER : SESSION_COOKIE;
	enum status st = account_login(req, res, ACCOUNT_SELLER, req_text(req, "email"), req_text(req, "password"),
	                               kind, token, expires);
	if (st != ST_OK)
		return st;
	if (!req->is_api)
		return response_redirect(res, form_next(req, "/seller"));
	struct seller s;
	st = db_seller_by_email(req_text(req, "email"), &s);
	if (st != ST_OK)
		return st;
	return response_view(res, 200, NULL, present_login(token, expires, "seller", present_seller(&s)));
}

/* The signed-in seller as the API and the pages show it. */
static enum status own_seller(const struct request *req, json_object **out)
{
	struct seller s;
	enum status st = db_seller_by_id(session_seller_id(req), &s);
	if (st == ST_OK)
		*out = present_seller(&s);
	return st;
}

/* GET /seller: the console's dashboard (src/handlers/seller/console.c) under the brand and the
 * signed-in seller. */
enum status page_seller_home(struct request *req, struct response *res)
{
	json_object *seller;
	enum status st = own_seller(req, &seller);
	if (st != ST_OK)
		return st;
	st = seller_dashboard_model(req, res);
	if (st != ST_OK) {
		json_object_put(seller);
		return st;
	}
	json_object_object_add(response_model(res), "seller", seller);
	return response_view(res, 200, "pages/seller-home", res->model);
}

/* The account page with its password form (also drawn again after a failed POST). */
enum status seller_account_form(struct request *req, struct response *res)
{
	json_object *seller;
	enum status st = own_seller(req, &seller);
	if (st != ST_OK)
		return st;
	json_object_object_add(response_model(res), "seller", seller);
	return response_view(res, 200, "pages/seller-account", res->model);
}

/* GET /seller/account (?password=1 after a change). */
enum status page_seller_account(struct request *req, struct response *res)
{
	static const char *const notices[] = {"password", NULL};
	form_notices(req, response_model(res), notices);
	return seller_account_form(req, res);
}

/* GET /api/v1/seller/me: 200 with the seller. */
enum status seller_me_get(struct request *req, struct response *res)
{
	json_object *seller;
	enum status st = own_seller(req, &seller);
	return st == ST_OK ? response_view(res, 200, NULL, seller) : st;
}

/* POST /seller/account/password, POST /api/v1/seller/me/password: the current password and a new
 * one; every other session of the seller ends. 303 to /seller/account?password=1 / 204; 401, 422. */
enum status seller_password_submit(struct request *req, struct response *res)
{
	const char *password = req_text(req, "password");
	enum status st = account_change_password(req, res, req_text(req, "current_password"), password);
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : response_redirect(res, "/seller/account?password=1");
}

/* GET /seller/account/delete: the password and a box to tick. */
enum status page_seller_delete(struct request *req, struct response *res)
{
	(void)req;
	return response_view(res, 200, "pages/seller-delete", response_model(res));
}

/* POST /seller/account/delete, DELETE /api/v1/seller/me: the account goes (with its sessions).
 * 303 to / / 204; 401 for a wrong password. */
enum status seller_delete_submit(struct request *req, struct response *res)
{
	enum status st = account_seller_delete(req, res, req_text(req, "password"));
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : response_redirect(res, "/?seller_deleted=1");
}
