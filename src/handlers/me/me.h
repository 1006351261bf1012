/* The shopper's own pages (SPEC §4 /me…) and the API's /api/v1/me: the dashboard, the profile
 * (after re-entering the password), the password, withdrawal. Later work adds orders, likes,
 * coupons, mileage, reviews and questions here. */
#ifndef LONUA_HANDLERS_ME_ME_H
#define LONUA_HANDLERS_ME_ME_H

#include "util/status.h"

struct request;
struct response;

/* me.c */
enum status page_me(struct request *req, struct response *res);
enum status me_get(struct request *req, struct response *res);

/* profile.c */
enum status page_profile(struct request *req, struct response *res);
enum status profile_form(struct request *req, struct response *res);
enum status profile_reauth(struct request *req, struct response *res);
enum status profile_submit(struct request *req, struct response *res);
enum status password_submit(struct request *req, struct response *res);

/* withdraw.c */
enum status page_withdraw(struct request *req, struct response *res);
enum status withdraw_submit(struct request *req, struct response *res);

#endif
