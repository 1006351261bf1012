/* Whose cart a request uses: the signed-in user's, or a guest's under the lonua_cart cookie (a
 * random token of which the database keeps only the SHA-256), which merges into the user's cart
 * at login. */
#ifndef LONUA_AUTH_CART_OWNER_H
#define LONUA_AUTH_CART_OWNER_H

#include <stdbool.h>

#include "util/status.h"

struct request;
struct response;

#define CART_COOKIE_NAME "lonua_cart"
/* A guest cart lives this long after its last change: the cookie is set again at each change, and
 * the jobs process purges carts unchanged for this long. */
#define CART_GUEST_MAX_AGE (30L * 24 * 3600)

/* The caller's cart. With create (for a change), a caller without one gets one (a guest also gets
 * the cookie, or has theirs set again for CART_GUEST_MAX_AGE from now).
 * ST_NOT_FOUND when there is none and create is false. A guest's unsafe API call must carry the
 * page's CSRF token (the cookie is a browser's), else ST_FORBIDDEN. */
enum status cart_of_request(struct request *req, struct response *res, bool create, long long *cart_id);

/* The number of lines in a guest's cart (0 without the cookie), for the header. */
long long cart_guest_count(const struct request *req);

/* At login: the guest cart under the cookie merges into the user's, and the cookie is cleared. */
enum status cart_merge_at_login(struct request *req, struct response *res, long long user_id);

#endif
