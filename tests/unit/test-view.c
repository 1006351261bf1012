/* Views over the real templates, locales and built assets: every template parses, pages
 * render in both languages through the layout, assets resolve to hashed names, and the
 * answer is JSON for API requests. No database: menus come out empty. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "util/config.h"
#include "http/response.h"
#include "util/buf.h"
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
		struct buf html = BUF_INIT;
		fake_request(&req, langs[i], false);
		json_object *model = json_object_new_object(), *chrome = json_object_new_object();
		rc = view_render_page(&req, "pages/home", model, chrome, NULL, &html);
		char want[64];
		snprintf(want, sizeof want, "<html lang=\"%s\"", langs[i]);
		tap_ok(rc == 0 && strstr(buf_str(&html), want) != NULL, "home renders in %s with %s", langs[i], want);
		tap_ok(strstr(buf_str(&html), "/dist/css/site.") && !strstr(buf_str(&html), "/dist/css/site.css\""),
		       "home (%s) links the content-hashed stylesheet", langs[i]);
		tap_ok(strstr(buf_str(&html), "{{") == NULL, "no unrendered tags in home (%s)", langs[i]);
		json_object_put(model);

		buf_reset(&html);
		model = view_error_model(langs[i], 404, "NOT_FOUND", "Not Found", "detail");
		rc = view_render_page(&req, "pages/error", model, chrome, NULL, &html);
		tap_ok(rc == 0 && strstr(buf_str(&html), "req-1234") != NULL, "the 404 page (%s) shows the request id",
		       langs[i]);
		json_object_put(model);
		json_object_put(chrome);
		buf_free(&html);
	}

	/* The layout shows what the caller built for it: the signed-in account, the menus. */
	struct request req;
	struct buf html = BUF_INIT;
	fake_request(&req, "ko", false);
	json_object *chrome = json_tokener_parse("{\"account\": {\"name\": \"<b>김</b>\", \"is_shopper\": true},"
	                                         " \"nav\": {\"categories\": [{\"id\": 7, \"name\": \"상의\"}]},"
	                                         " \"csrf_token\": \"TOKEN123\"}");
	json_object *model = json_object_new_object();
	rc = view_render_page(&req, "pages/home", model, chrome, NULL, &html);
	tap_ok(rc == 0 && strstr(buf_str(&html), "&lt;b&gt;김&lt;/b&gt;") && !strstr(buf_str(&html), "<b>김"),
	       "the signed-in name is in the header, escaped");
	tap_ok(strstr(buf_str(&html), "href=\"/categories/7\"") != NULL, "the menus come from the chrome");
	tap_ok(strstr(buf_str(&html), "TOKEN123") != NULL, "the logout form carries the CSRF token");
	tap_ok(view_render_page(&req, "pages/no-such-page", model, chrome, NULL, &html) == -1,
	       "an unknown template is an error");
	json_object_put(model);
	json_object_put(chrome);
	buf_free(&html);

	/* A path that could become a link to another host is encoded in the language links. */
	static const char *const hostile[] = {"/%5Cevil.example/x", "/\\evil.example/x", "/\tx", "/\xff\xfe"};
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		fake_request(&req, "ko", false);
		req.path = hostile[i];
		model = json_object_new_object();
		chrome = json_object_new_object();
		buf_reset(&html);
		rc = view_render_page(&req, "pages/home", model, chrome, NULL, &html);
		tap_ok(rc == 0 && !strstr(buf_str(&html), "href=\"/\\") && !strstr(buf_str(&html), "\t") &&
		           !strstr(buf_str(&html), "\xff"),
		       "the language links of path %zu are encoded", i);
		json_object_put(model);
		json_object_put(chrome);
	}
	buf_free(&html);

	struct response res;
	response_init(&res);
	response_header(&res, "X-Evil", "a\r\nSet-Cookie: x=1");
	tap_ok(res.headers.len == 0, "a header value with CR/LF is dropped");
	response_free(&res);

	view_free();
	free(config.db_password);
	return tap_done();
}
