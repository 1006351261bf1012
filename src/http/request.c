#include "http/request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/router.h"
#include "http/url.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"

const char *request_param(const struct request *req, const char *name)
{
	size_t n = strlen(name);
	for (char **e = req->env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* The spec and value of the declared input name, or NULL (a programming error: loud in tests). */
static const struct input_value *declared(const struct request *req, const char *name, const struct input_spec **spec)
{
	for (size_t i = 0; req->route && req->inputs && i < req->route->ninputs; i++) {
		if (strcmp(req->route->inputs[i].name, name) == 0) {
			*spec = &req->route->inputs[i];
			return &req->inputs[i];
		}
	}
	log_error("the route %s %s reads the undeclared input '%s'", req->route ? req->route->method : "-",
	          req->route ? req->route->pattern : "-", name);
	if (config.strict)
		abort();
	return NULL;
}

long long req_int(const struct request *req, const char *name)
{
	const struct input_spec *spec;
	const struct input_value *v = declared(req, name, &spec);
	if (!v)
		return 0;
	return v->present ? v->i : spec->def;
}

const char *req_text(const struct request *req, const char *name)
{
	const struct input_spec *spec;
	const struct input_value *v = declared(req, name, &spec);
	return v && v->present && !input_blank(v->s, v->len) ? v->s : NULL;
}

bool req_given(const struct request *req, const char *name)
{
	const struct input_spec *spec;
	const struct input_value *v = declared(req, name, &spec);
	return v && v->present;
}

const struct input_value *req_input(const struct request *req, const char *name)
{
	static const struct input_value none;
	const struct input_spec *spec;
	const struct input_value *v = declared(req, name, &spec);
	return v ? v : &none;
}

const char *request_cookie(const struct request *req, const char *name)
{
	const struct field *f = field_list_get(&req->cookies, name);
	return f ? f->value : NULL;
}

bool request_is_unsafe(const struct request *req)
{
	return strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0 &&
	       strcmp(req->method, "OPTIONS") != 0;
}

static const char *known_lang(const char *s)
{
	if (!s)
		return NULL;
	if (strcmp(s, "ko") == 0)
		return "ko";
	if (strcmp(s, "en") == 0)
		return "en";
	return NULL;
}

/* Picks ko or en from an Accept-Language header by quality ("en-US,en;q=0.9,ko;q=0.8"). */
static const char *accept_language_pick(const char *header)
{
	const char *best = NULL;
	double best_q = 0;
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *tag = p;
		size_t taglen = strcspn(p, ",;");
		p += taglen;
		double q = 1.0;
		while (*p == ';') {
			p++;
			while (*p == ' ')
				p++;
			if (p[0] == 'q' && p[1] == '=')
				q = strtod(p + 2, NULL);
			p += strcspn(p, ",;");
		}
		const char *lang = NULL;
		if (taglen >= 2 && strncasecmp(tag, "ko", 2) == 0 && (taglen == 2 || tag[2] == '-'))
			lang = "ko";
		else if (taglen >= 2 && strncasecmp(tag, "en", 2) == 0 && (taglen == 2 || tag[2] == '-'))
			lang = "en";
		if (lang && q > best_q) {
			best = lang;
			best_q = q;
		}
	}
	return best;
}

const char *request_choose_lang(const char *query_lang, const char *cookie_lang, const char *accept_language)
{
	const char *l;
	if ((l = known_lang(query_lang)) || (l = known_lang(cookie_lang)) ||
	    (l = accept_language_pick(accept_language)))
		return l;
	return "ko";
}

void request_free(struct request *req)
{
	free(req->body);
	free(req->inputs);
	free(req->session); /* plain data: see src/db/sessions.h */
	field_list_free(&req->query_fields);
	field_list_free(&req->body_fields);
	field_list_free(&req->cookies);
	memset(req, 0, sizeof *req);
}

bool request_here(const struct request *req, struct buf *out)
{
	if (strcmp(req->method, "GET") != 0)
		return false;
	struct buf here = BUF_INIT;
	url_add_path(&here, req->path);
	if (req->query && *req->query)
		buf_printf(&here, "?%s", req->query);
	bool local = url_is_local_path(buf_str(&here));
	if (local)
		buf_puts(out, buf_str(&here));
	buf_free(&here);
	return local;
}
