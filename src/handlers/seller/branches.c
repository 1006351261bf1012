/* The seller console's branches (docs/seller-console.md): add, edit, delete, and the API. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db/db.h"
#include "handlers/forms.h"
#include "handlers/seller/seller.h"
#include "http/request.h"
#include "http/response.h"
#include "present/seller_console.h"

static enum status branches_json(struct request *req, json_object **out)
{
	struct branch *list;
	size_t n;
	enum status st = db_branches(seller_brand(req), &list, &n);
	if (st != ST_OK)
		return st;
	*out = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*out, present_branch(&list[i]));
	free(list);
	return ST_OK;
}

/* The branches page with the form to add one (also drawn again after a refused add). */
enum status seller_branches_form(struct request *req, struct response *res)
{
	json_object *items;
	enum status st = branches_json(req, &items);
	if (st != ST_OK)
		return st;
	json_object *model = seller_page_model(res);
	json_object_object_add(model, "branches", items);
	json_object_object_add(model, "empty", json_object_new_boolean(json_object_array_length(items) == 0));
	return response_view(res, res->errors ? 422 : 200, "pages/seller-branches", model);
}

/* GET /seller/branches (?saved=1, ?deleted=1). */
enum status page_seller_branches(struct request *req, struct response *res)
{
	static const char *const notices[] = {"saved", "deleted", NULL};
	form_notices(req, seller_page_model(res), notices);
	return seller_branches_form(req, res);
}

/* The edit form of one branch (also drawn again after a refused change). */
enum status seller_branch_form(struct request *req, struct response *res)
{
	struct branch b;
	enum status st = db_branch_get(seller_brand(req), req->path_params[0], &b);
	if (st != ST_OK)
		return st;
	response_form_value(res, "name", b.name);
	response_form_value(res, "postal_code", b.postal_code);
	response_form_value(res, "address", b.address);
	response_form_value(res, "phone", b.phone);
	json_object_object_add(seller_page_model(res), "branch", present_branch(&b));
	return response_view(res, res->errors ? 422 : 200, "pages/seller-branch", res->model);
}

/* GET /seller/branches/{id}. */
enum status page_seller_branch(struct request *req, struct response *res)
{
	return seller_branch_form(req, res);
}

/* Saves (creates when id is 0) from the request: the given fields over the stored ones (PATCH). */
static enum status branch_save(struct request *req, struct response *res, long long *id)
{
	struct branch b = {0};
	if (*id) {
		enum status st = db_branch_get(seller_brand(req), *id, &b);
		if (st != ST_OK)
			return st;
	}
	if (req_given(req, "name"))
		snprintf(b.name, sizeof b.name, "%s", req_text(req, "name"));
	if (req_given(req, "address"))
		snprintf(b.address, sizeof b.address, "%s", req_text(req, "address"));
	if (req_given(req, "postal_code") || !req->is_api)
		snprintf(b.postal_code, sizeof b.postal_code, "%s",
		         req_given(req, "postal_code") ? req_text(req, "postal_code") : "");
	if (req_given(req, "phone") || !req->is_api)
		snprintf(b.phone, sizeof b.phone, "%s", req_given(req, "phone") ? req_text(req, "phone") : "");
	if (!b.name[0])
		return response_field_error(res, ST_INVALID, "name", "required");
	if (!b.address[0])
		return response_field_error(res, ST_INVALID, "address", "required");
	enum status st = db_branch_save(seller_brand(req), id, b.name, b.postal_code, b.address, b.phone);
	if (st == ST_CONFLICT) {
		const char *field = strstr(db_conflict_key(), "address") ? "address" : "name";
		response_fail(res, ST_CONFLICT, "BRANCH_TAKEN", "The brand has a branch of that name or address.");
		return req->is_api ? ST_CONFLICT : response_field_error(res, ST_CONFLICT, field, "branch_taken");
	}
	return st;
}

static enum status answer_branch(struct request *req, struct response *res, long long id, int status)
{
	struct branch b;
	enum status st = db_branch_get(seller_brand(req), id, &b);
	return st == ST_OK ? response_view(res, status, NULL, present_branch(&b)) : st;
}

/* POST /seller/branches, POST /api/v1/seller/branches (name, address, postal_code, phone): 303 to
 * /seller/branches?saved=1 / 201 with the branch; 409 BRANCH_TAKEN; 422. */
enum status seller_branch_create_submit(struct request *req, struct response *res)
{
	long long id = 0;
	enum status st = branch_save(req, res, &id);
	if (st != ST_OK)
		return st;
	if (!req->is_api)
		return response_redirect(res, "/seller/branches?saved=1");
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/seller/branches/%lld", id);
	response_header(res, "Location", loc);
	return answer_branch(req, res, id, 201);
}

/* POST /seller/branches/{id}, PATCH /api/v1/seller/branches/{id}: 303 / 200; 404; 409; 422. */
enum status seller_branch_update_submit(struct request *req, struct response *res)
{
	long long id = req->path_params[0];
	enum status st = branch_save(req, res, &id);
	if (st != ST_OK)
		return st;
	return req->is_api ? answer_branch(req, res, id, 200) : response_redirect(res, "/seller/branches?saved=1");
}

/* POST /seller/branches/{id}/delete, DELETE /api/v1/seller/branches/{id}: 303 / 204; 404. */
enum status seller_branch_delete_submit(struct request *req, struct response *res)
{
	enum status st = db_branch_delete(seller_brand(req), req->path_params[0]);
	if (st != ST_OK)
		return st;
	return req->is_api ? response_no_content(res) : response_redirect(res, "/seller/branches?deleted=1");
}

/* GET /api/v1/seller/branches: 200 {items}. GET /api/v1/seller/branches/{id}: 200; 404. */
enum status api_seller_branches(struct request *req, struct response *res)
{
	json_object *items;
	enum status st = branches_json(req, &items);
	if (st != ST_OK)
		return st;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", items);
	return response_view(res, 200, NULL, o);
}

enum status api_seller_branch(struct request *req, struct response *res)
{
	return answer_branch(req, res, req->path_params[0], 200);
}
