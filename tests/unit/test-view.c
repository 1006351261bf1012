/* Views over the real templates, locales and built assets: every template parses, pages
 * render in both languages through the layout, assets resolve to hashed names, and the
 * answer is JSON for API requests. No database: menus come out empty. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "util/config.h"
#include "http/response.h"
#include "tap.h"
#include "view/view.h"

static void fake_request(struct request *req, const char *lang, bool api)
{
	memset(req, 0, sizeof *req);
	req->method = "GET";
	req->path = api ? "/api/v1/x" : "/";
	req->query = "";
	req->request_id = "req-1234";
	req->lang = lang;
	req->is_api = api;
	req->wants_json = api;
}

int main(void)
{
	char err[512], data[4096], dist[4096];
	const char *src = getenv("LONUA_SOURCE_DIR"), *d = getenv("LONUA_DIST_DIR");
	snprintf(data, sizeof data, "%s", src ? src : ".");
	snprintf(dist, sizeof dist, "%s", d ? d : "dist");
	setenv("LONUA_DB_SOCKET", "/nonexistent/mysql.sock", 1); /* no database here: fail fast */
	config_load(err, sizeof err);

	int rc = view_init(data, dist, err, sizeof err);
	tap_ok(rc == 0, "templates, locales and the asset manifest load (%s)", rc ? err : "ok");
	if (rc)
		return tap_done();

	tap_ok(strcmp(view_message("ko", "error.404.title"), "error.404.title") != 0,
	       "Korean catalogue has error.404.title");
	tap_ok(strcmp(view_message("en", "error.404.title"), view_message("ko", "error.404.title")) != 0,
	       "English and Korean differ");
	tap_ok(strcmp(view_message("en", "no.such.key"), "no.such.key") == 0, "a missing key falls back to itself");

	static const char *const langs[] = {"ko", "en"};
	for (size_t i = 0; i < 2; i++) {
		struct request req;
		struct response res;
		fake_request(&req, langs[i], false);
		response_init(&res);
		view_respond(&req, &res, 200, "pages/home", json_object_new_object());
		const char *html = buf_str(&res.body);
		char want[64];
		snprintf(want, sizeof want, "<html lang=\"%s\"", langs[i]);
		tap_ok(res.status == 200 && strstr(html, want) != NULL, "home renders in %s with %s", langs[i], want);
		tap_ok(strstr(html, "/dist/css/site.") && !strstr(html, "/dist/css/site.css\""),
		       "home (%s) links the content-hashed stylesheet", langs[i]);
		tap_ok(strstr(html, "{{") == NULL, "no unrendered tags in home (%s)", langs[i]);
		response_free(&res);

		response_init(&res);
		view_error_page(&req, &res, 404, "detail");
		tap_ok(res.status == 404 && strstr(buf_str(&res.body), "req-1234") != NULL,
		       "the 404 page (%s) shows the request id", langs[i]);
		response_free(&res);
	}

	struct request req;
	struct response res;
	fake_request(&req, "ko", true);
	response_init(&res);
	json_object *model = json_object_new_object();
	json_object_object_add(model, "name", json_object_new_string("<b>\"x\"</b>"));
	view_respond(&req, &res, 200, "pages/home", model);
	json_object *back = json_tokener_parse(buf_str(&res.body));
	json_object *name = NULL;
	tap_ok(back && strcmp(res.content_type, "application/json") == 0 &&
	           json_object_object_get_ex(back, "name", &name) &&
	           strcmp(json_object_get_string(name), "<b>\"x\"</b>") == 0,
	       "an API request gets the same view model as JSON");
	json_object_put(back);
	response_free(&res);

	response_init(&res);
	json_object *errors = json_object_new_object();
	json_object_object_add(errors, "name", json_object_new_string("required"));
	response_error(&req, &res, 422, "VALIDATION_FAILED", "Some fields are invalid.", errors);
	back = json_tokener_parse(buf_str(&res.body));
	json_object *code = NULL, *type = NULL, *errs = NULL;
	tap_ok(back && strcmp(res.content_type, "application/problem+json") == 0 &&
	           json_object_object_get_ex(back, "code", &code) &&
	           strcmp(json_object_get_string(code), "VALIDATION_FAILED") == 0 &&
	           json_object_object_get_ex(back, "type", &type) &&
	           strcmp(json_object_get_string(type), "urn:lonua:problem:validation-failed") == 0 &&
	           json_object_object_get_ex(back, "errors", &errs),
	       "a 422 is problem+json with code, type and errors");
	json_object_put(back);
	response_free(&res);

	response_init(&res);
	response_header(&res, "X-Evil", "a\r\nSet-Cookie: x=1");
	tap_ok(res.headers.len == 0, "a header value with CR/LF is dropped");
	response_free(&res);

	view_free();
	free(config.db_password);
	return tap_done();
}
