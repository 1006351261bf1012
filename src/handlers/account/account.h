/* Becoming and being someone (SPEC §4): sign-up, e-mail verification, login and logout, forgotten
 * passwords, Kakao login. The POST handlers answer pages (a redirect, or the form drawn again) and
 * the API (JSON) alike: the route table gives each path its inputs. */
#ifndef LONUA_HANDLERS_ACCOUNT_ACCOUNT_H
#define LONUA_HANDLERS_ACCOUNT_ACCOUNT_H

#include "util/status.h"

struct request;
struct response;

/* signup.c */
enum status page_signup(struct request *req, struct response *res);
enum status page_signup_done(struct request *req, struct response *res);
enum status resend_form(struct request *req, struct response *res);
enum status signup_submit(struct request *req, struct response *res);

/* verify.c */
enum status page_verify(struct request *req, struct response *res);
enum status verify_submit(struct request *req, struct response *res);
enum status verify_resend(struct request *req, struct response *res);

/* login.c */
enum status page_login(struct request *req, struct response *res);
enum status login_form(struct request *req, struct response *res);
enum status login_submit(struct request *req, struct response *res);
enum status logout_submit(struct request *req, struct response *res);

/* password.c */
enum status page_password_forgot(struct request *req, struct response *res);
enum status forgot_form(struct request *req, struct response *res);
enum status password_forgot_submit(struct request *req, struct response *res);
enum status page_password_reset(struct request *req, struct response *res);
enum status password_reset_submit(struct request *req, struct response *res);

/* kakao.c */
enum status kakao_start(struct request *req, struct response *res);
enum status kakao_callback(struct request *req, struct response *res);
enum status kakao_profile_form(struct request *req, struct response *res);
enum status kakao_profile_submit(struct request *req, struct response *res);

#endif
