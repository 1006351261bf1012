/* Views: the templates (parsed once per worker), message catalogues, the asset manifest,
 * and the one function that answers a handler's view model as HTML or JSON. */
#ifndef LONUA_VIEW_VIEW_H
#define LONUA_VIEW_VIEW_H

#include <stddef.h>

struct buf;
struct request;
struct json_object;

/* Loads templates/ and locales/ under data_dir and dist_dir/manifest.json (dist_dir NULL: no
 * assets, for the commands that only render mails). Returns 0, or -1 with a message in err. */
int view_init(const char *data_dir, const char *dist_dir, char *err, size_t errlen);
void view_free(void);

/* Renders model through template (a page that extends the layout), appending the HTML to out.
 * chrome holds what the layout shows around the page, built by the caller (the menus "nav", the
 * signed-in "account", "cart_count", "csrf_token": src/handlers/layout.c); form is the state of the
 * page's form ({values, errors, message}) or NULL. Nothing is borrowed beyond the call. Returns 0, or
 * -1 (logged; out unchanged) when the template is unknown or cannot be rendered. */
int view_render_page(const struct request *req, const char *template, struct json_object *model,
                     struct json_object *chrome, struct json_object *form, struct buf *out);

/* Renders template (a part of a page, e.g. "partials/filter-options") with model alone as its
 * context, appending to out: for parts a page keeps rendered across requests. Returns 0, or -1
 * (logged; out unchanged) when the template is unknown or cannot be rendered. */
int view_render_part(const char *template, struct json_object *model, struct buf *out);

/* The model of pages/error for an HTTP status and a problem code: the title from the catalogue of
 * lang (error.<status>.title), the text of the code (problem.<code>) or of the status
 * (error.<status>.detail); else title and detail as given. */
struct json_object *view_error_model(const char *lang, int status, const char *code, const char *title,
                                     const char *detail);

/* Renders the mail template mails/<name> in lang with model (as "mail") and the catalogue (as
 * "t"): its first line is the subject, the rest after one blank line the plain text. Mail
 * templates print values with {{{…}}} (plain text: nothing to escape). Returns 0, or -1 (logged)
 * when the template is unknown or has no subject line. */
int view_render_mail(const char *lang, const char *name, struct json_object *model, struct buf *subject,
                     struct buf *text);

/* The catalogue message at a dotted key ("error.404.title") in lang, or the key itself. */
const char *view_message(const char *lang, const char *key);

/* The whole catalogue of lang (borrowed), or NULL. */
struct json_object *view_catalogue(const char *lang);

#endif
