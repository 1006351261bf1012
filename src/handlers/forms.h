/* What the pages with forms share: the value a field starts with, choice lists with the chosen
 * one marked, the local path to go on to after a login, and the guest-only pages. */
#ifndef LONUA_HANDLERS_FORMS_H
#define LONUA_HANDLERS_FORMS_H

#include <stdbool.h>

#include "db/reference.h"
#include "db/users.h"
#include "util/status.h"

struct request;
struct response;
struct json_object;

/* A choice of a radio group or a select: its value and the catalogue key of its label. */
struct form_choice {
	const char *value;
	const char *label_key;
};

/* The value the form shows for field: what was submitted (a form drawn again), else what the
 * handler put in (response_form_value), else NULL. */
const char *form_value(const struct response *res, const char *field);

/* [{value, label, checked}] of the NULL-terminated choices, the one equal to form_value checked. */
struct json_object *form_choices(const struct response *res, const char *field, const struct form_choice *choices,
                                 const char *lang);
/* The same over a reference list (categories, styles): values are the ids. A database hiccup
 * gives an empty list. */
struct json_object *form_reference_choices(const struct response *res, const char *field, enum reference_kind kind,
                                           const char *lang);

/* The body types of SPEC §3 (1 slim, 2 average, 3 heavy) and the genders (M, W). */
extern const struct form_choice form_body_types[];
extern const struct form_choice form_genders[];

/* The profile's choices (styles, genders, body types) into a page model, checked by form_value. */
void form_profile_choices(const struct response *res, struct json_object *page, const char *lang);
/* The profile fields of the sign-up and profile inputs (names as in src/handlers/routes.c). */
void form_read_profile(const struct request *req, struct user_profile *p);
/* What the input spec cannot say: a style that exists, an age of at least FORM_MIN_AGE. Records a
 * field error for each and returns ST_INVALID, or ST_OK (or the database's failure). */
enum status form_check_profile(struct response *res, const struct user_profile *p, const char *lang);

/* The youngest a shopper may be without a guardian's consent (the Personal Information Protection
 * Act asks for one below 14). */
#define FORM_MIN_AGE 14

/* The `next` input when it is a local path, else fallback: where to go after logging in. */
const char *form_next(const struct request *req, const char *fallback);

/* Adds name: true to page for each of the NULL-terminated names whose flag is set in the query
 * (the ?saved=1 a redirect after a POST carries). Only the GET of a page reads them: the POST that
 * draws the same form again declares none. */
void form_notices(const struct request *req, struct json_object *page, const char *const *names);

/* For pages only guests need (login, sign-up): a signed-in visitor goes to their own page. True
 * when it answered with that redirect. */
bool form_signed_in_elsewhere(const struct request *req, struct response *res);

#endif
