/* Accounts as the API answers them and as pages show them: one object for both (the API's user
 * of GET /api/v1/me is the page's profile model), with display text beside the data. */
#ifndef LONUA_PRESENT_ACCOUNT_H
#define LONUA_PRESENT_ACCOUNT_H

struct json_object;
struct user;
struct seller;

/* {id, email, email_verified, status, name, birth_date, gender, phone, phone_text, postal_code,
 * address, address_detail, preferred_style_id, upper_body_type, lower_body_type, height_cm,
 * weight_kg, grade_id, mileage_balance, has_password, kakao_linked, created_at}; unknown values
 * are null. Never the password hash. */
struct json_object *present_user(const struct user *u);

/* {id, email, name, phone, brand: {id, name, active}, status, created_at}. */
struct json_object *present_seller(const struct seller *s);

/* What a login through the API answers: {token, token_type: "Bearer", expires_at (RFC 3339),
 * <key>: account} (takes account; key is "user" or "seller"). */
struct json_object *present_login(const char *token, const char *expires_at, const char *key,
                                  struct json_object *account);

#endif
