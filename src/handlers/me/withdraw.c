/* Leaving the shop (SPEC §4 /me/withdraw): no more login, the personal data that identifies or
 * reaches the person removed, orders and reviews kept (src/db/users.c db_user_withdraw). */
#include <json-c/json.h>

#include "auth/account.h"
#include "db/sessions.h"
#include "handlers/me/me.h"
#include "http/request.h"
#include "http/response.h"

/* GET /me/withdraw: what withdrawing means, and the form (the password, and a box to tick). */
enum status page_withdraw(struct request *req, struct response *res)
{
	json_object *page = response_model(res);
	if (!req->session->has_password) {
		json_object_object_add(page, "kakao_only", json_object_new_boolean(1));
		if (req->session->reauthenticated)
			json_object_object_add(page, "reauthenticated", json_object_new_boolean(1));
	}
	return response_view(res, 200, "pages/withdraw", page);
}

/* POST /me/withdraw, POST /api/v1/me/withdraw: 303 to /?withdrawn=1 / 204 (the session and its
 * cookie are gone); 401 for a wrong password; 422 without the confirmation. */
enum status withdraw_submit(struct request *req, struct response *res)
{
	enum status st = account_withdraw(req, res, req_text(req, "password"));
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : response_redirect(res, "/?withdrawn=1");
}
