#include "view/view.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "http/request.h"
#include "http/router.h"
#include "http/url.h"
#include "util/buf.h"
#include "util/log.h"
#include "view/mustache.h"

static struct mustache_set *templates;
static json_object *catalogue_ko, *catalogue_en;
static json_object *assets; /* {"site_css": "/dist/css/site.<hash>.css", ...} */

/* Adds every *.mustache file under dir (recursively) named by its path relative to the
 * templates root without the extension ("pages/home"). */
static int load_templates(const char *root, const char *rel, char *err, size_t errlen)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "cannot open template folder %s", dir);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096], name[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(name, sizeof name, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			rc = load_templates(root, name, err, errlen);
			continue;
		}
		size_t len = strlen(name);
		if (len < 10 || strcmp(name + len - 9, ".mustache") != 0)
			continue;
		name[len - 9] = '\0';
		struct buf src = BUF_INIT;
		char perr[256];
		if (buf_append_file(&src, path) < 0) {
			snprintf(err, errlen, "cannot read %s", path);
			rc = -1;
		} else if (mustache_set_add(templates, name, buf_str(&src), src.len, perr, sizeof perr) < 0) {
			snprintf(err, errlen, "template %s: %s", name, perr);
			rc = -1;
		}
		buf_free(&src);
	}
	closedir(d);
	return rc;
}

static json_object *load_json(const char *path, char *err, size_t errlen)
{
	json_object *o = json_object_from_file(path);
	if (!o || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "cannot read JSON object from %s", path);
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* Turns dist/manifest.json ({"css/site.css": "css/site.<hash>.css"}) into the template's
 * assets object: key = file name with '.' as '_' ("site_css"), value = URL under /dist/. */
static json_object *load_assets(const char *dist_dir, char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/manifest.json", dist_dir);
	json_object *manifest = load_json(path, err, errlen);
	if (!manifest)
		return NULL;
	json_object *out = json_object_new_object();
	json_object_object_foreach(manifest, src, hashed)
	{
		const char *base = strrchr(src, '/');
		char key[256], url[1024];
		snprintf(key, sizeof key, "%s", base ? base + 1 : src);
		for (char *c = key; *c; c++)
			if (*c == '.' || *c == '-')
				*c = '_';
		snprintf(url, sizeof url, "/dist/%s", json_object_get_string(hashed));
		json_object_object_add(out, key, json_object_new_string(url));
	}
	json_object_put(manifest);
	return out;
}

int view_init(const char *data_dir, const char *dist_dir, char *err, size_t errlen)
{
	char path[4096];
	view_free();
	templates = mustache_set_new();
	snprintf(path, sizeof path, "%s/templates", data_dir);
	if (load_templates(path, "", err, errlen) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/locales/ko.json", data_dir);
	if (!(catalogue_ko = load_json(path, err, errlen)))
		return -1;
	snprintf(path, sizeof path, "%s/locales/en.json", data_dir);
	if (!(catalogue_en = load_json(path, err, errlen)))
		return -1;
	if (dist_dir && !(assets = load_assets(dist_dir, err, errlen)))
		return -1;
	return 0;
}

void view_free(void)
{
	if (templates)
		mustache_set_free(templates);
	json_object_put(catalogue_ko);
	json_object_put(catalogue_en);
	json_object_put(assets);
	templates = NULL;
	catalogue_ko = catalogue_en = assets = NULL;
}

json_object *view_catalogue(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? catalogue_en : catalogue_ko;
}

const char *view_message(const char *lang, const char *key)
{
	json_object *o = view_catalogue(lang);
	char part[128];
	const char *p = key;
	while (o && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof part)
			return key;
		memcpy(part, p, n);
		part[n] = '\0';
		if (!json_object_object_get_ex(o, part, &o))
			return key;
		p += n + (dot ? 1 : 0);
	}
	return o && json_object_is_type(o, json_type_string) ? json_object_get_string(o) : key;
}

/* This page's URL with ?lang= set: the path (percent-encoded) and the query inputs the route
 * declares (a listing keeps its filters), re-encoded. */
static void page_url_in(const struct request *req, const char *lang, struct buf *url)
{
	url_add_path(url, req->path);
	for (size_t i = 0; req->route && i < req->route->ninputs; i++) {
		const struct input_spec *spec = &req->route->inputs[i];
		const struct field *f = field_list_get(&req->query_fields, spec->name);
		if (f && f->kind == FIELD_TEXT && (!spec->sources || (spec->sources & INPUT_FROM_QUERY)) &&
		    !(spec->flags & INPUT_SECRET) && spec->type != INPUT_PASSWORD)
			url_add_param(url, spec->name, f->value);
	}
	url_add_param(url, "lang", lang);
}

/* The data every page's layout reads, around the page's own model: the request's language,
 * messages and links, what the caller built for the layout (chrome: menus, the account, the cart
 * count, the CSRF token), the page and its form. */
static json_object *page_root(const struct request *req, json_object *model, json_object *chrome, json_object *form)
{
	json_object *root = json_object_new_object();
	json_object_object_add(root, "lang", json_object_new_string(req->lang));
	json_object_object_add(root, "t", json_object_get(view_catalogue(req->lang)));
	json_object_object_add(root, "assets", json_object_get(assets));
	json_object_object_add(root, "request_id", json_object_new_string(req->request_id));
	json_object *links = json_object_new_object();
	struct buf url = BUF_INIT;
	for (int i = 0; i < 2; i++) {
		const char *lang = i ? "en" : "ko";
		buf_reset(&url);
		page_url_in(req, lang, &url);
		json_object_object_add(links, lang, json_object_new_string(buf_str(&url)));
	}
	buf_free(&url);
	json_object_object_add(root, "lang_links", links);
	json_object_object_foreach(chrome, key, value) json_object_object_add(root, key, json_object_get(value));
	json_object_object_add(root, "page", json_object_get(model));
	if (form)
		json_object_object_add(root, "form", json_object_get(form));
	return root;
}

int view_render_page(const struct request *req, const char *template, json_object *model, json_object *chrome,
                     json_object *form, struct buf *out)
{
	json_object *root = page_root(req, model, chrome, form);
	buf_reserve(out, 64 * 1024); /* a listing page is ~40 KB */
	int rc = view_render_part(template, root, out);
	json_object_put(root);
	return rc;
}

int view_render_part(const char *template, json_object *model, struct buf *out)
{
	size_t before = out->len;
	int rc = templates ? mustache_render(templates, template, model, out) : -1;
	if (rc != 0) {
		log_error("cannot render template %s", template);
		out->len = before;
	}
	return rc;
}

json_object *view_error_model(const char *lang, int status, const char *code, const char *title, const char *detail)
{
	char key[96];
	json_object *page = json_object_new_object();
	json_object_object_add(page, "status", json_object_new_int(status));
	snprintf(key, sizeof key, "error.%d.title", status);
	const char *t = view_message(lang, key);
	json_object_object_add(page, "title", json_object_new_string(t != key ? t : title));
	snprintf(key, sizeof key, "problem.%s", code ? code : "");
	const char *text = view_message(lang, key);
	if (text == key) {
		snprintf(key, sizeof key, "error.%d.detail", status);
		text = view_message(lang, key);
	}
	json_object_object_add(page, "detail", json_object_new_string(text != key ? text : detail));
	return page;
}

int view_render_mail(const char *lang, const char *name, json_object *model, struct buf *subject, struct buf *text)
{
	char template[128];
	snprintf(template, sizeof template, "mails/%s", name);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "t", json_object_get(view_catalogue(lang)));
	json_object_object_add(root, "mail", json_object_get(model));
	struct buf all = BUF_INIT;
	int rc = templates ? mustache_render(templates, template, root, &all) : -1;
	json_object_put(root);
	const char *nl = rc == 0 ? strchr(buf_str(&all), '\n') : NULL;
	if (!nl) {
		log_error("cannot render the mail %s", template);
		buf_free(&all);
		return -1;
	}
	buf_append(subject, all.data, (size_t)(nl - all.data));
	const char *body = nl + 1;
	while (*body == '\n')
		body++;
	buf_puts(text, body);
	buf_free(&all);
	return 0;
}
