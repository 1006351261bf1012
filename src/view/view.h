/* Views: the templates (parsed once per worker), message catalogues, the asset manifest,
 * and the one function that answers a handler's view model as HTML or JSON. */
#ifndef LONUA_VIEW_VIEW_H
#define LONUA_VIEW_VIEW_H

#include <stddef.h>

struct request;
struct response;
struct json_object;

/* Loads templates/ and locales/ under data_dir and dist_dir/manifest.json. Returns 0, or -1
 * with a message in err. */
int view_init(const char *data_dir, const char *dist_dir, char *err, size_t errlen);
void view_free(void);

/* Answers model: as JSON for API requests, else rendered through template (a page that
 * extends the layout). Takes the reference to model. */
void view_respond(struct request *req, struct response *res, int status, const char *template,
                  struct json_object *model);

/* Renders the HTML error page for status (title and text from the catalogue). */
void view_error_page(struct request *req, struct response *res, int status, const char *detail);

/* The catalogue message at a dotted key ("error.404.title") in lang, or the key itself. */
const char *view_message(const char *lang, const char *key);

/* The whole catalogue of lang (borrowed), or NULL. */
struct json_object *view_catalogue(const char *lang);

#endif
