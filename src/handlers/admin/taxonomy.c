/* The admin console's categories, styles and grades (SPEC §3, §4 admin console; §5
 * /api/v1/admin/categories…, /styles…, /grades…): listed, and edited within what the spec allows
 * (names in Korean and English, display order; a grade's percents and threshold), and a category
 * or a style added. The codes stay.
 * Each worker's reference cache (db/reference.c) is dropped at once here, the others' within a
 * minute. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/db.h"
#include "db/reference.h"
#include "db/taxonomy.h"
#include "handlers/admin/admin.h"
#include "http/request.h"
#include "http/response.h"
#include "util/log.h"

static const char *const kind_path[] = {"categories", "styles"};

static json_object *present_taxon(const struct taxon *t)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(t->id));
	json_object_object_add(o, "code", json_object_new_string(t->code));
	json_object_object_add(o, "name_ko", json_object_new_string(t->name_ko));
	json_object_object_add(o, "name_en", json_object_new_string(t->name_en));
	json_object_object_add(o, "sort_order", json_object_new_int64(t->sort_order));
	return o;
}

/* The list: the API's {items}, or the page (updated: the notice after an edit). */
static enum status taxa(struct request *req, struct response *res, enum taxonomy t)
{
	struct taxon *list;
	size_t n;
	enum status st = db_taxa(t, &list, &n);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_taxon(&list[i]));
	free(list);
	json_object *model = req->is_api ? json_object_new_object() : response_model(res);
	json_object_object_add(model, "items", items);
	if (req->is_api)
		return response_view(res, 200, NULL, model);
	json_object_object_add(model, "kind", json_object_new_string(kind_path[t]));
	json_object_object_add(model, t == TAXONOMY_CATEGORIES ? "categories" : "styles",
	                       json_object_new_boolean(true));
	/* the list also draws the add form again (a POST declares no notice) */
	if (!request_is_unsafe(req)) {
		json_object_object_add(model, "updated", json_object_new_boolean(req_int(req, "updated") != 0));
		json_object_object_add(model, "created", json_object_new_boolean(req_int(req, "created") != 0));
	}
	return response_view(res, res->errors ? 422 : 200, "pages/admin-taxa", model);
}

/* The edit form of one (drawn again with the entered values when refused). */
static enum status taxon_form(struct request *req, struct response *res, enum taxonomy t)
{
	struct taxon x;
	enum status st = db_taxon(t, req->path_params[0], &x);
	if (st != ST_OK)
		return st;
	char order[24];
	snprintf(order, sizeof order, "%lld", x.sort_order);
	response_form_value(res, "name_ko", x.name_ko);
	response_form_value(res, "name_en", x.name_en);
	response_form_value(res, "sort_order", order);
	json_object *model = response_model(res);
	json_object_object_add(model, "item", present_taxon(&x));
	json_object_object_add(model, "kind", json_object_new_string(kind_path[t]));
	json_object_object_add(model, t == TAXONOMY_CATEGORIES ? "categories" : "styles",
	                       json_object_new_boolean(true));
	return response_view(res, res->errors ? 422 : 200, "pages/admin-taxon", model);
}

/* A text given blank (a page's emptied box) is refused: a name is required. */
static bool blank(struct request *req, const char *name)
{
	return req_given(req, name) && !req_text(req, name);
}

static enum status taxon_edit(struct request *req, struct response *res, enum taxonomy t)
{
	if (blank(req, "name_ko") || blank(req, "name_en"))
		return response_field_error(res, ST_INVALID, blank(req, "name_ko") ? "name_ko" : "name_en", "required");
	enum status st = db_taxon_edit(t, req->path_params[0], req_text(req, "name_ko"), req_text(req, "name_en"),
	                               req_given(req, "sort_order") ? req_int(req, "sort_order") : -1);
	if (st == ST_CONFLICT)
		return response_field_error(res, ST_INVALID, "name_ko", "taken");
	if (st != ST_OK)
		return st;
	reference_invalidate();
	log_info("%s %lld edited by admin %lld", kind_path[t], req->path_params[0], session_user_id(req));
	if (!req->is_api) {
		char to[64];
		snprintf(to, sizeof to, "/admin/%s?updated=1", kind_path[t]);
		return response_redirect(res, to);
	}
	struct taxon x;
	st = db_taxon(t, req->path_params[0], &x);
	return st == ST_OK ? response_view(res, 200, NULL, present_taxon(&x)) : st;
}

/* A code: 1 to 32 of a-z, 0-9, '-' and '_' (it names the row in URLs and the seed). */
static bool code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return false;
	return true;
}

static enum status taxon_create(struct request *req, struct response *res, enum taxonomy t)
{
	const char *code = req_text(req, "code");
	if (!code_valid(code))
		return response_field_error(res, ST_INVALID, "code", "not_allowed");
	long long id;
	const char *taken;
	enum status st = db_taxon_create(t, code, req_text(req, "name_ko"), req_text(req, "name_en"),
	                                 req_int(req, "sort_order"), &id, &taken);
	if (st == ST_CONFLICT)
		return response_field_error(res, ST_INVALID, taken, "taken");
	if (st != ST_OK)
		return st;
	reference_invalidate();
	log_info("%s %lld added by admin %lld", kind_path[t], id, session_user_id(req));
	char to[64];
	if (!req->is_api) {
		snprintf(to, sizeof to, "/admin/%s?created=1", kind_path[t]);
		return response_redirect(res, to);
	}
	struct taxon x;
	st = db_taxon(t, id, &x);
	snprintf(to, sizeof to, "/api/v1/admin/%s/%lld", kind_path[t], id);
	response_header(res, "Location", to);
	return st == ST_OK ? response_view(res, 201, NULL, present_taxon(&x)) : st;
}

/* POST /api/v1/admin/categories, POST /admin/categories (code, name_ko, name_en, sort_order): a
 * new category: 201 with it and its Location (a page: 303 to the list); 422 (a code not of
 * a-z 0-9 - _, or taken; a name taken). */
enum status api_admin_category_create(struct request *req, struct response *res)
{
	return taxon_create(req, res, TAXONOMY_CATEGORIES);
}

/* POST /api/v1/admin/styles, POST /admin/styles: as for categories. */
enum status api_admin_style_create(struct request *req, struct response *res)
{
	return taxon_create(req, res, TAXONOMY_STYLES);
}

/* GET /api/v1/admin/categories, GET /admin/categories: every category in display order. */
enum status api_admin_categories(struct request *req, struct response *res)
{
	return taxa(req, res, TAXONOMY_CATEGORIES);
}

/* GET /api/v1/admin/styles, GET /admin/styles. */
enum status api_admin_styles(struct request *req, struct response *res)
{
	return taxa(req, res, TAXONOMY_STYLES);
}

/* GET /admin/categories/{id}: the edit form; 404. */
enum status page_admin_category(struct request *req, struct response *res)
{
	return taxon_form(req, res, TAXONOMY_CATEGORIES);
}

/* GET /admin/styles/{id}. */
enum status page_admin_style(struct request *req, struct response *res)
{
	return taxon_form(req, res, TAXONOMY_STYLES);
}

/* PATCH /api/v1/admin/categories/{id}, POST /admin/categories/{id} (name_ko, name_en, sort_order:
 * what is given changes): 200 with it (a page: 303 to the list); 404; 422 (a blank name; name_ko
 * taken). */
enum status api_admin_category_edit(struct request *req, struct response *res)
{
	return taxon_edit(req, res, TAXONOMY_CATEGORIES);
}

/* PATCH /api/v1/admin/styles/{id}, POST /admin/styles/{id}: as for categories. */
enum status api_admin_style_edit(struct request *req, struct response *res)
{
	return taxon_edit(req, res, TAXONOMY_STYLES);
}

static json_object *present_grade(const struct grade_row *g)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(g->id));
	json_object_object_add(o, "code", json_object_new_string(g->code));
	json_object_object_add(o, "name_ko", json_object_new_string(g->name_ko));
	json_object_object_add(o, "name_en", json_object_new_string(g->name_en));
	json_object_object_add(o, "discount_percent", json_object_new_int64(g->discount_percent));
	json_object_object_add(o, "mileage_percent", json_object_new_int64(g->mileage_percent));
	json_object_object_add(o, "min_monthly_spend", json_object_new_int64(g->min_monthly_spend));
	return o;
}

/* GET /api/v1/admin/grades, GET /admin/grades (updated): every grade from the lowest threshold up. */
enum status api_admin_grades(struct request *req, struct response *res)
{
	struct grade_row *list;
	size_t n;
	enum status st = db_admin_grades(&list, &n);
	if (st != ST_OK)
		return st;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, present_grade(&list[i]));
	free(list);
	json_object *model = req->is_api ? json_object_new_object() : response_model(res);
	json_object_object_add(model, "items", items);
	if (req->is_api)
		return response_view(res, 200, NULL, model);
	json_object_object_add(model, "updated", json_object_new_boolean(req_int(req, "updated") != 0));
	return response_view(res, 200, "pages/admin-grades", model);
}

static void form_int(struct response *res, const char *field, long long v)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", v);
	response_form_value(res, field, s);
}

/* GET /admin/grades/{id}: the edit form (drawn again when refused); 404. */
enum status page_admin_grade(struct request *req, struct response *res)
{
	struct grade_row g;
	enum status st = db_admin_grade(req->path_params[0], &g);
	if (st != ST_OK)
		return st;
	response_form_value(res, "name_ko", g.name_ko);
	response_form_value(res, "name_en", g.name_en);
	form_int(res, "discount_percent", g.discount_percent);
	form_int(res, "mileage_percent", g.mileage_percent);
	form_int(res, "min_monthly_spend", g.min_monthly_spend);
	json_object *model = response_model(res);
	json_object_object_add(model, "grade", present_grade(&g));
	json_object_object_add(model, "lowest", json_object_new_boolean(g.min_monthly_spend == 0));
	return response_view(res, res->errors ? 422 : 200, "pages/admin-grade", model);
}

static long long given_int(struct request *req, const char *name)
{
	return req_given(req, name) ? req_int(req, name) : -1;
}

/* PATCH /api/v1/admin/grades/{id}, POST /admin/grades/{id} (name_ko, name_en, discount_percent,
 * mileage_percent 0-100, min_monthly_spend): what is given changes; 200 (a page: 303 to the list);
 * 404; 422 (a blank name; a taken name or threshold; the lowest grade's threshold stays 0, so that
 * every shopper has a grade). Grades are assigned by the monthly recompute, with the thresholds
 * then in force; the percents apply from the next checkout or confirmation. */
enum status api_admin_grade_edit(struct request *req, struct response *res)
{
	if (blank(req, "name_ko") || blank(req, "name_en"))
		return response_field_error(res, ST_INVALID, blank(req, "name_ko") ? "name_ko" : "name_en", "required");
	struct grade_row was;
	enum status st = db_admin_grade(req->path_params[0], &was);
	if (st != ST_OK)
		return st;
	struct grade_edit e = {req_text(req, "name_ko"), req_text(req, "name_en"), given_int(req, "discount_percent"),
	                       given_int(req, "mileage_percent"), given_int(req, "min_monthly_spend")};
	if ((was.min_monthly_spend == 0) != (e.min_monthly_spend <= 0) && e.min_monthly_spend >= 0)
		return response_field_error(res, ST_INVALID, "min_monthly_spend", "not_allowed");
	st = db_grade_edit(was.id, &e);
	if (st == ST_CONFLICT)
		return response_field_error(
		    res, ST_INVALID, strstr(db_conflict_key(), "spend") ? "min_monthly_spend" : "name_ko", "taken");
	if (st != ST_OK)
		return st;
	reference_invalidate();
	log_info("grade %lld edited by admin %lld", was.id, session_user_id(req));
	if (!req->is_api)
		return response_redirect(res, "/admin/grades?updated=1");
	st = db_admin_grade(was.id, &was);
	return st == ST_OK ? response_view(res, 200, NULL, present_grade(&was)) : st;
}
