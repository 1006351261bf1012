/* The shopper's coupons and mileage (SPEC §4 /me/coupons, /me/mileage; §5 /api/v1/me/coupons,
 * /api/v1/me/mileage): the coupons they hold, usable ones first, and the mileage ledger with the
 * balance it adds up to. */
#include <stdlib.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/coupons.h"
#include "db/mileage.h"
#include "db/users.h"
#include "handlers/me/me.h"
#include "http/request.h"
#include "http/response.h"
#include "present/common.h"
#include "present/wallet.h"
#include "view/pagination.h"

/* A page of the shopper's coupons, presented. */
static enum status coupons_json(struct request *req, json_object **out, long long *total)
{
	struct coupon *list;
	size_t n;
	enum status st = db_coupons_of_user(session_user_id(req), (int)req_int(req, "page"),
	                                    (int)req_int(req, "per_page"), &list, &n, total);
	if (st != ST_OK)
		return st;
	*out = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*out, present_coupon(&list[i], req->lang));
	free(list);
	return ST_OK;
}

/* GET /me/coupons: 200. */
enum status page_my_coupons(struct request *req, struct response *res)
{
	json_object *items;
	long long total, count;
	enum status st = db_user_coupons_available(session_user_id(req), &count);
	if (st == ST_OK)
		st = coupons_json(req, &items, &total);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	json_object_object_add(page, "coupons", items);
	json_object_object_add(page, "usable", json_object_new_int64(count));
	json_object_object_add(page, "empty", json_object_new_boolean(total == 0));
	json_object *links = pagination_list_links("/me/coupons", (int)req_int(req, "page"),
	                                           (int)req_int(req, "per_page"), req_given(req, "per_page"), total);
	if (links)
		json_object_object_add(page, "pagination", links);
	return response_view(res, 200, "pages/my-coupons", page);
}

/* GET /api/v1/me/coupons (page, per_page): 200 with a page of the coupons. */
enum status api_my_coupons(struct request *req, struct response *res)
{
	json_object *items;
	long long total;
	enum status st = coupons_json(req, &items, &total);
	if (st != ST_OK)
		return st;
	return response_view(res, 200, NULL,
	                     present_list(items, (int)req_int(req, "page"), (int)req_int(req, "per_page"), total));
}

/* The balance and a page of the ledger. */
static enum status mileage_json(struct request *req, json_object **items, long long *total, long long *balance)
{
	struct mileage_entry *list;
	size_t n;
	struct user u;
	enum status st = db_user_by_id(session_user_id(req), &u);
	if (st == ST_OK)
		st = db_mileage_entries(u.id, (int)req_int(req, "page"), (int)req_int(req, "per_page"), &list, &n,
		                        total);
	if (st != ST_OK)
		return st;
	*balance = u.mileage_balance;
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, present_mileage_entry(&list[i], req->lang));
	free(list);
	return ST_OK;
}

/* GET /me/mileage: 200. */
enum status page_my_mileage(struct request *req, struct response *res)
{
	json_object *items;
	long long total, balance;
	enum status st = mileage_json(req, &items, &total, &balance);
	if (st != ST_OK)
		return st;
	json_object *page = response_model(res);
	present_won(page, "balance", balance, req->lang);
	json_object_object_add(page, "entries", items);
	json_object_object_add(page, "empty", json_object_new_boolean(total == 0));
	json_object *links = pagination_list_links("/me/mileage", (int)req_int(req, "page"),
	                                           (int)req_int(req, "per_page"), req_given(req, "per_page"), total);
	if (links)
		json_object_object_add(page, "pagination", links);
	return response_view(res, 200, "pages/my-mileage", page);
}

/* GET /api/v1/me/mileage: 200 {balance, items, page, per_page, total, total_is_lower_bound}. */
enum status api_my_mileage(struct request *req, struct response *res)
{
	json_object *items;
	long long total, balance;
	enum status st = mileage_json(req, &items, &total, &balance);
	if (st != ST_OK)
		return st;
	json_object *o = present_list(items, (int)req_int(req, "page"), (int)req_int(req, "per_page"), total);
	json_object_object_add(o, "balance", json_object_new_int64(balance));
	return response_view(res, 200, NULL, o);
}
