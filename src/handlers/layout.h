/* What every page's layout shows around the page, built here (above the view, which never reads
 * the database): the menus, the signed-in account with its links, the cart count, the like
 * buttons of the product cards and the CSRF token of the page's forms. */
#ifndef LONUA_HANDLERS_LAYOUT_H
#define LONUA_HANDLERS_LAYOUT_H

#include <stdbool.h>

struct request;
struct response;
struct json_object;

/* The layout's data for this request: {nav: {categories, styles}, account?, cart_count?,
 * card_likes? (the like buttons of the page's product cards: src/handlers/shop/cards.h),
 * csrf_token?}. The token is there for members always and for guests when with_csrf (a page with
 * a form: the guest then gets the CSRF cookie). A database hiccup leaves the menus empty rather
 * than failing the page. */
struct json_object *layout_chrome(struct request *req, struct response *res, bool with_csrf);

#endif
