#include <json-c/json.h>

#include "db/reference.h"
#include "handlers/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "view/view.h"

/* GET /: the home page. Products arrive with the catalogue; for now the shell shows the
 * categories and styles. 200, or 503 when the database cannot be reached. */
void page_home(struct request *req, struct response *res)
{
	json_object *categories, *styles;
	int rc = reference_list(REFERENCE_CATEGORIES, req->lang, &categories);
	if (rc != 0) {
		response_db_failure(req, res, rc);
		return;
	}
	rc = reference_list(REFERENCE_STYLES, req->lang, &styles);
	if (rc != 0) {
		json_object_put(categories);
		response_db_failure(req, res, rc);
		return;
	}
	json_object *page = json_object_new_object();
	json_object_object_add(page, "categories", categories);
	json_object_object_add(page, "styles", styles);
	view_respond(req, res, 200, "pages/home", page);
}
