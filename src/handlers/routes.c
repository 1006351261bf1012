/* Every path LONUA answers: method, pattern, handler, who may call it, declared inputs (with their
 * defaults), flags, and for a page form's POST the page that draws the form.
 * `lonua routes --json` prints this table. */
#include "handlers/routes.h"

#include "db/catalog.h"
#include "db/orders.h"
#include "db/products.h"
#include "db/questions.h"
#include "db/reviews.h"
#include "handlers/account/account.h"
#include "handlers/admin/admin.h"
#include "handlers/api/api.h"
#include "handlers/filter.h"
#include "handlers/me/me.h"
#include "handlers/me/review_photos.h"
#include "handlers/ops/ops.h"
#include "handlers/seller/seller.h"
#include "db/seller_console.h"
#include "handlers/shop/shop.h"
#include "shop/money.h"

#define INPUTS(a) a, sizeof a / sizeof a[0]
#define NO_INPUTS NULL, 0

/* Ids in filters: positive, at most 2^53 - 1 so that every JSON client reads them exactly. */
#define ID_MAX    9007199254740991LL
#define PRICE_MAX 100000000LL

/* The table's own shorthand, kept on one line each (clang-format would fold them). */
/* clang-format off */
/* Declared inputs, by where they come from. */
#define QUERY_INT(n, lo, hi, d)   {.name = n, .type = INPUT_INT, .sources = INPUT_FROM_QUERY, .min = lo, .max = hi, .def = d}
#define QUERY_TEXT(n, lo, hi)     {.name = n, .type = INPUT_STRING, .sources = INPUT_FROM_QUERY, .min = lo, .max = hi}
#define QUERY_BOOL(n, d)          {.name = n, .type = INPUT_BOOL, .sources = INPUT_FROM_QUERY, .def = d}
#define QUERY_ENUM(n, list)       {.name = n, .type = INPUT_ENUM, .sources = INPUT_FROM_QUERY, .choices = list}
#define QUERY_FLAG(n)             QUERY_BOOL(n, 0)
/* SPEC §5: a list's page, 1 to 100, and its size, 24 unless asked otherwise, pages and API alike. */
#define PAGE_INPUTS               QUERY_INT("page", 1, 100, 1), QUERY_INT("per_page", 1, 100, FILTER_DEFAULT_PER_PAGE)
#define BODY(n, t, req)           {.name = n, .type = t, .sources = INPUT_FROM_BODY, .required = req}
#define BODY_TEXT(n, req, hi)     {.name = n, .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = req, .max = hi}
#define BODY_INT(n, req, lo, hi)  {.name = n, .type = INPUT_INT, .sources = INPUT_FROM_BODY, .required = req, .min = lo, .max = hi}
#define BODY_ENUM(n, req, list)   {.name = n, .type = INPUT_ENUM, .sources = INPUT_FROM_BODY, .required = req, .choices = list}
/* A password typed to prove who one is: never checked against the policy (it may have been set
 * under another one), never written back into a form. */
#define BODY_SECRET(n, req)       {.name = n, .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = req, .min = 1, .max = 1000, .flags = INPUT_SECRET}
/* The new password typed again (pages ask for it, the API may send it). */
#define BODY_CONFIRM(req)         {.name = "password_confirm", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = req, .min = 1, .max = 1000, .flags = INPUT_SECRET, .same_as = "password"}
/* A box that must be ticked. */
#define BODY_CONSENT(n)           {.name = n, .type = INPUT_BOOL, .sources = INPUT_FROM_BODY, .required = true, .min = 1}

/* Routes: a page that shows guests a form (they get a CSRF token), and the POST of a page form
 * (drawn again by the page that shows it when something is wrong). */
#define ROUTE(m, p, h, a, in)     {.method = m, .pattern = p, .handler = h, .access = a, .inputs = in}
#define SHARED(p, h, in)          {.method = "GET", .pattern = p, .handler = h, .access = ACCESS_GUEST, .inputs = in, .flags = ROUTE_SHARED}
#define FORM_PAGE(p, h, a, in)    {.method = "GET", .pattern = p, .handler = h, .access = a, .inputs = in, .flags = ROUTE_FORM}
#define FORM_POST(p, h, a, in, f) {.method = "POST", .pattern = p, .handler = h, .access = a, .inputs = in, .form = f}
#define TEST_ROUTE(m, p, h, in)   {.method = m, .pattern = p, .handler = h, .inputs = in, .flags = ROUTE_TEST_ONLY}
/* An unsafe route another site calls (a payment gateway's webhook): no CSRF token. */
#define CALLBACK(m, p, h, a, in)  {.method = m, .pattern = p, .handler = h, .access = a, .inputs = in, .flags = ROUTE_NO_CSRF}
/* clang-format on */

/* SPEC §5: filters, sort (catalog_sort_names, default newest), page 1–100 (deeper is a 422:
 * refine the filters), per_page 1–100 (default 24). min_price > max_price is a 422 too
 * (src/handlers/filter.c). A price or on_sale not given is -1: not filtered. */
static const struct input_spec product_list_inputs[] = {
    QUERY_INT("category", 1, ID_MAX, 0),
    QUERY_INT("style", 1, ID_MAX, 0),
    QUERY_INT("brand", 1, ID_MAX, 0),
    QUERY_TEXT("size", 1, 10),
    QUERY_INT("min_price", 0, PRICE_MAX, -1),
    QUERY_INT("max_price", 0, PRICE_MAX, -1),
    QUERY_BOOL("on_sale", -1),
    QUERY_TEXT("q", 1, 100),
    QUERY_ENUM("sort", catalog_sort_names),
    PAGE_INPUTS,
};
static const struct input_spec api_page_inputs[] = {PAGE_INPUTS};
/* The brands page shows 12 brands, each with a strip of products. */
static const struct input_spec brands_page_inputs[] = {
    QUERY_INT("page", 1, 100, 1),
    QUERY_INT("per_page", 1, 100, 12),
};

/* ---- accounts ---------------------------------------------------------------------------- */

/* clang-format off */
/* The local path to go on to after logging in: on the login page's address, then in its form. */
#define NEXT_INPUT  {.name = "next", .type = INPUT_STRING, .min = 1, .max = 500}
#define TOKEN_QUERY QUERY_TEXT("token", 1, 100)
#define TOKEN_BODY  BODY_TEXT("token", true, 100)

/* SPEC §3 User, with the original shop's rules: every field but the measurements and the
 * address's second line is required, and the two consents. A page asks for the password twice. */
#define SIGNUP_INPUTS \
	BODY("email", INPUT_EMAIL, true), BODY("password", INPUT_PASSWORD, true), BODY_TEXT("name", true, 50), \
	{.name = "birth_date", .type = INPUT_DATE, .sources = INPUT_FROM_BODY, .required = true, .min = 19000101}, \
	BODY_ENUM("gender", true, genders), BODY("phone", INPUT_PHONE, true), BODY("postal_code", INPUT_POSTAL, true), \
	BODY_TEXT("address", true, 255), BODY_TEXT("address_detail", false, 255), \
	BODY_INT("preferred_style", true, 1, ID_MAX), BODY_INT("upper_body_type", true, 1, 3), \
	BODY_INT("lower_body_type", true, 1, 3), BODY_INT("height_cm", false, 50, 250), \
	BODY_INT("weight_kg", false, 10, 400), BODY_CONSENT("agree_terms"), BODY_CONSENT("agree_privacy")

/* The profile: the page sends every field (the contact ones required), the API those to change. */
#define PROFILE_INPUTS(contact) \
	BODY_SECRET("current_password", false), BODY("phone", INPUT_PHONE, contact), \
	BODY("postal_code", INPUT_POSTAL, contact), BODY_TEXT("address", contact, 255), \
	BODY_TEXT("address_detail", false, 255), BODY_INT("preferred_style", contact, 1, ID_MAX), \
	BODY_INT("upper_body_type", contact, 1, 3), BODY_INT("lower_body_type", contact, 1, 3), \
	BODY_INT("height_cm", false, 50, 250), BODY_INT("weight_kg", false, 10, 400)

#define SELLER_SIGNUP_INPUTS \
	BODY_INT("brand_id", true, 1, ID_MAX), \
	{.name = "brand_key", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = true, .min = 1, .max = 100, .flags = INPUT_SECRET}, \
	BODY("email", INPUT_EMAIL, true), BODY("password", INPUT_PASSWORD, true), BODY_TEXT("name", true, 50), \
	BODY("phone", INPUT_PHONE, false), BODY_CONSENT("agree_terms")

/* A new password: the current one (unless just re-entered), the new one, and (pages) again. */
#define NEW_PASSWORD_INPUTS(current, again) \
	BODY_SECRET("current_password", current), BODY("password", INPUT_PASSWORD, true), \
	BODY_CONFIRM(again)
/* clang-format on */

static const char *const genders[] = {"M", "W", NULL};

static const struct input_spec signup_page_inputs[] = {SIGNUP_INPUTS, BODY_CONFIRM(true)};
static const struct input_spec signup_api_inputs[] = {SIGNUP_INPUTS, BODY_CONFIRM(false)};
static const struct input_spec done_inputs[] = {QUERY_FLAG("resent")};
static const struct input_spec login_page_inputs[] = {NEXT_INPUT, QUERY_FLAG("verified"), QUERY_FLAG("reset")};
static const struct input_spec login_inputs[] = {BODY("email", INPUT_EMAIL, true), BODY_SECRET("password", true),
                                                 NEXT_INPUT};
static const struct input_spec verify_page_inputs[] = {TOKEN_QUERY};
static const struct input_spec verify_inputs[] = {TOKEN_BODY};
static const struct input_spec resend_inputs[] = {BODY("email", INPUT_EMAIL, false)};
static const struct input_spec forgot_page_inputs[] = {QUERY_FLAG("sent"), QUERY_FLAG("seller")};
static const struct input_spec forgot_inputs[] = {BODY("email", INPUT_EMAIL, true), BODY("seller", INPUT_BOOL, false)};
static const struct input_spec reset_page_inputs[] = {TOKEN_QUERY};
static const struct input_spec reset_page_submit_inputs[] = {TOKEN_BODY, BODY("password", INPUT_PASSWORD, true),
                                                             BODY_CONFIRM(true)};
static const struct input_spec reset_api_inputs[] = {TOKEN_BODY, BODY("password", INPUT_PASSWORD, true),
                                                     BODY_CONFIRM(false)};

static const struct input_spec kakao_start_inputs[] = {NEXT_INPUT};
/* What Kakao sends back: a code and our state, or an error (the person said no). */
static const struct input_spec kakao_callback_inputs[] = {QUERY_TEXT("code", 1, 1000), QUERY_TEXT("state", 1, 100),
                                                          QUERY_TEXT("error", 1, 100),
                                                          QUERY_TEXT("error_description", 0, 1000)};
/* A new Kakao account's profile: sign-up's fields without the password, the e-mail optional. */
static const struct input_spec kakao_profile_inputs[] = {
    BODY("email", INPUT_EMAIL, false),
    BODY_TEXT("name", true, 50),
    {.name = "birth_date", .type = INPUT_DATE, .sources = INPUT_FROM_BODY, .required = true, .min = 19000101},
    BODY_ENUM("gender", true, genders),
    BODY("phone", INPUT_PHONE, true),
    BODY("postal_code", INPUT_POSTAL, true),
    BODY_TEXT("address", true, 255),
    BODY_TEXT("address_detail", false, 255),
    BODY_INT("preferred_style", true, 1, ID_MAX),
    BODY_INT("upper_body_type", true, 1, 3),
    BODY_INT("lower_body_type", true, 1, 3),
    BODY_INT("height_cm", false, 50, 250),
    BODY_INT("weight_kg", false, 10, 400),
    BODY_CONSENT("agree_terms"),
    BODY_CONSENT("agree_privacy"),
};

/* ---- the cart ------------------------------------------------------------------------------- */

/* clang-format off */
#define QUANTITY_INPUT(req) {.name = "quantity", .type = INPUT_INT, .sources = INPUT_FROM_BODY, .required = req, .min = 1, .max = MONEY_MAX_QUANTITY, .def = 1}
/* clang-format on */

static const struct input_spec cart_page_inputs[] = {QUERY_FLAG("added"), QUERY_FLAG("updated"), QUERY_FLAG("removed"),
                                                     QUERY_FLAG("cleared")};
/* The page's like form: like 1 (like) or 0 (take it back), and where to go back to. */
static const struct input_spec like_inputs[] = {BODY_INT("like", true, 0, 1), NEXT_INPUT};
static const struct input_spec likes_inputs[] = {PAGE_INPUTS};
/* ---- reviews -------------------------------------------------------------------------------- */

/* clang-format off */
/* A review as written (SPEC §3 Review): rating, fit, text, whether to share the profile's
 * measurements, photos (every part named "photos": src/handlers/me/review_photos.c). */
#define REVIEW_INPUTS(req) \
	BODY_INT("rating", req, 1, 5), BODY_ENUM("fit", req, review_fit_names), \
	BODY_TEXT("body", req, REVIEW_MAX_BODY), BODY("share_profile", INPUT_BOOL, false), \
	{.name = "photos", .type = INPUT_FILE, .sources = INPUT_FROM_BODY, .max = REVIEW_PHOTO_MAX_BYTES}
/* An edit may drop kept photos by their place. */
#define REMOVE_PHOTO_INPUTS \
	BODY("remove_photo_1", INPUT_BOOL, false), BODY("remove_photo_2", INPUT_BOOL, false), \
	BODY("remove_photo_3", INPUT_BOOL, false), BODY("remove_photo_4", INPUT_BOOL, false), \
	BODY("remove_photo_5", INPUT_BOOL, false)
/* clang-format on */
static const struct input_spec review_create_inputs[] = {REVIEW_INPUTS(true)};
static const struct input_spec review_edit_page_inputs[] = {REVIEW_INPUTS(true), REMOVE_PHOTO_INPUTS};
static const struct input_spec review_edit_api_inputs[] = {REVIEW_INPUTS(false), REMOVE_PHOTO_INPUTS};
static const struct input_spec my_reviews_inputs[] = {PAGE_INPUTS, QUERY_FLAG("saved"), QUERY_FLAG("deleted")};
static const struct input_spec product_reviews_inputs[] = {PAGE_INPUTS, QUERY_FLAG("like_me")};

/* /for-me: a body type and a style picked for this visit. */
static const struct input_spec for_me_inputs[] = {QUERY_INT("upper", 1, 3, 0), QUERY_INT("lower", 1, 3, 0),
                                                  QUERY_INT("style", 1, ID_MAX, 0)};
static const struct input_spec cart_add_inputs[] = {BODY_INT("variant_id", true, 1, ID_MAX), QUANTITY_INPUT(false)};
static const struct input_spec cart_line_page_inputs[] = {
    QUANTITY_INPUT(true), BODY_INT("variant_id", false, 1, ID_MAX), BODY_INT("coupon_id", false, 0, ID_MAX)};
static const struct input_spec cart_line_api_inputs[] = {
    QUANTITY_INPUT(false), BODY_INT("variant_id", false, 1, ID_MAX), BODY_INT("coupon_id", false, 0, ID_MAX)};
static const struct input_spec cart_coupon_inputs[] = {BODY_INT("coupon_id", true, 0, ID_MAX)};

/* ---- checkout and orders --------------------------------------------------------------------- */

/* clang-format off */
/* Mileage to spend: whole won, up to any balance a shopper could hold. */
#define MILEAGE_INPUT(src)     {.name = "mileage", .type = INPUT_INT, .sources = src, .min = 0, .max = 1000000000000LL}
#define EXPECTED_TOTAL(req)    {.name = "expected_total", .type = INPUT_INT, .sources = INPUT_FROM_BODY, .required = req, .min = 0, .max = 1000000000000000LL, .def = -1}
#define PAYMENT_METHOD_INPUT   {.name = "payment_method", .type = INPUT_ENUM, .sources = INPUT_FROM_BODY, .choices = payment_method_names}
#define JSON_BODY(n, most)     {.name = n, .type = INPUT_JSON, .sources = INPUT_FROM_BODY, .max = most}
/* clang-format on */

static const struct input_spec checkout_page_inputs[] = {MILEAGE_INPUT(INPUT_FROM_QUERY)};
static const struct input_spec checkout_submit_inputs[] = {
    BODY_TEXT("key", true, 100),
    EXPECTED_TOTAL(true),
    MILEAGE_INPUT(INPUT_FROM_BODY),
    PAYMENT_METHOD_INPUT,
    BODY_TEXT("recipient_name", true, 50),
    BODY("recipient_phone", INPUT_PHONE, true),
    BODY("postal_code", INPUT_POSTAL, true),
    BODY_TEXT("address", true, 255),
    BODY_TEXT("address_detail", false, 255),
    BODY_TEXT("delivery_memo", false, 200),
};
/* SPEC §5: items (or the cart), coupons, shipping (or the profile's address), mileage,
 * payment_method; expected_total, the total the client showed (a change is a 409). */
static const struct input_spec order_create_inputs[] = {
    JSON_BODY("items", MONEY_MAX_LINES),
    JSON_BODY("coupons", MONEY_MAX_LINES),
    JSON_BODY("shipping", 10),
    MILEAGE_INPUT(INPUT_FROM_BODY),
    PAYMENT_METHOD_INPUT,
    EXPECTED_TOTAL(false),
};

static const struct input_spec my_orders_inputs[] = {PAGE_INPUTS};
static const struct input_spec my_order_page_inputs[] = {QUERY_FLAG("cancelled"), QUERY_FLAG("confirmed"),
                                                         QUERY_FLAG("return_requested")};
/* Where a paid bank transfer goes back (src/handlers/me/orders.c checks the three together). */
#define REFUND_ACCOUNT_INPUTS                                                                                          \
	BODY_TEXT("refund_bank_name", false, 50), BODY_TEXT("refund_account_number", false, 30),                       \
	    BODY_TEXT("refund_account_holder", false, 50)
static const struct input_spec order_cancel_inputs[] = {REFUND_ACCOUNT_INPUTS};
static const struct input_spec line_return_inputs[] = {BODY_ENUM("reason", true, return_reason_names),
                                                       BODY_TEXT("note", false, 500), REFUND_ACCOUNT_INPUTS};
static const struct input_spec mileage_inputs[] = {PAGE_INPUTS};
static const struct input_spec coupons_inputs[] = {PAGE_INPUTS};
static const struct input_spec seller_lines_inputs[] = {QUERY_ENUM("state", line_state_names), PAGE_INPUTS};
static const struct input_spec seller_ship_inputs[] = {BODY_TEXT("courier", true, 50),
                                                       BODY_TEXT("tracking_number", true, 50)};
static const struct input_spec seller_reject_inputs[] = {BODY_TEXT("reason", true, 500)};
static const char *const refund_states[] = {"pending", "done", NULL};
static const struct input_spec admin_orders_inputs[] = {
    {.name = "payment_method", .type = INPUT_ENUM, .sources = INPUT_FROM_QUERY, .choices = payment_method_names},
    {.name = "payment_state", .type = INPUT_ENUM, .sources = INPUT_FROM_QUERY, .choices = payment_state_names},
    PAGE_INPUTS,
};
static const struct input_spec admin_payment_inputs[] = {BODY_INT("amount", true, 1, 1000000000000000LL),
                                                         BODY_TEXT("depositor_name", false, 50)};
static const struct input_spec admin_refunds_inputs[] = {QUERY_ENUM("state", refund_states), PAGE_INPUTS};
/* The console's pages of the same lists: the list's inputs and the notice after a form, on the
 * page and on its form's POST (a refused form draws the list again). */
#define ADMIN_ORDERS_PAGE_INPUTS                                                                                       \
	{.name = "payment_method", .type = INPUT_ENUM, .sources = INPUT_FROM_QUERY, .choices = payment_method_names},  \
	    {.name = "payment_state",                                                                                  \
	     .type = INPUT_ENUM,                                                                                       \
	     .sources = INPUT_FROM_QUERY,                                                                              \
	     .choices = payment_state_names},                                                                          \
	    PAGE_INPUTS, QUERY_FLAG("recorded")
static const struct input_spec admin_orders_page_inputs[] = {ADMIN_ORDERS_PAGE_INPUTS};
static const struct input_spec admin_payment_page_inputs[] = {
    BODY_INT("amount", true, 1, 1000000000000000LL), BODY_TEXT("depositor_name", false, 50), ADMIN_ORDERS_PAGE_INPUTS};
static const struct input_spec admin_refunds_page_inputs[] = {QUERY_ENUM("state", refund_states), PAGE_INPUTS,
                                                              QUERY_FLAG("recorded")};
static const struct input_spec admin_members_inputs[] = {QUERY_TEXT("q", 1, 100), PAGE_INPUTS};
/* the members' pages: the search (q drawn again) and one member with the notice after a form */
static const struct input_spec admin_members_page_inputs[] = {QUERY_TEXT("q", 1, 100), PAGE_INPUTS};
static const struct input_spec admin_member_page_inputs[] = {QUERY_FLAG("updated")};
static const struct input_spec admin_brand_create_inputs[] = {
    {.name = "name", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = true, .min = 1, .max = 100},
    BODY_TEXT("introduction", false, 5000),
    BODY_TEXT("style_label", false, 50),
    BODY("business_postal_code", INPUT_POSTAL, false),
    BODY_TEXT("business_address", true, 255),
    BODY("phone", INPUT_PHONE, true),
    BODY_TEXT("business_registration_number", true, 10),
    BODY_TEXT("bank_name", true, 50),
    BODY_TEXT("bank_account_number", true, 50),
    BODY_TEXT("bank_account_holder", true, 50),
    BODY_INT("shipping_fee", false, 0, 1000000000LL),
    BODY_INT("free_shipping_threshold", false, 0, 1000000000000LL),
    BODY("return_postal_code", INPUT_POSTAL, false),
    BODY_TEXT("return_address", true, 255),
    BODY_TEXT("return_courier", true, 50),
    BODY_INT("return_shipping_cost", false, 0, 1000000000LL),
    {.name = "logo", .type = INPUT_FILE, .sources = INPUT_FROM_BODY, .max = 5 * 1024 * 1024},
};
static const struct input_spec admin_brand_edit_inputs[] = {
    BODY_INT("shipping_fee", false, 0, 1000000000LL),
    BODY_INT("free_shipping_threshold", false, 0, 1000000000000LL),
    BODY_INT("return_shipping_cost", false, 0, 1000000000LL),
    BODY_TEXT("return_courier", false, 50),
    BODY_TEXT("return_address", false, 255),
    BODY_TEXT("introduction", false, 5000),
    BODY_TEXT("notify_webhook_url", false, 500),
    BODY("notify_webhook_clear", INPUT_BOOL, false),
};
/* categories, styles and grades: what SPEC §3 lets an admin change (the codes stay) */
static const struct input_spec admin_taxa_page_inputs[] = {QUERY_FLAG("updated"), QUERY_FLAG("created")};
static const struct input_spec admin_taxon_create_inputs[] = {
    BODY_TEXT("code", true, 32), BODY_TEXT("name_ko", true, 50), BODY_TEXT("name_en", true, 50),
    BODY_INT("sort_order", false, 0, 65535)};
static const struct input_spec admin_taxon_edit_inputs[] = {
    BODY_TEXT("name_ko", false, 50), BODY_TEXT("name_en", false, 50), BODY_INT("sort_order", false, 0, 65535)};
static const struct input_spec admin_grade_edit_inputs[] = {
    BODY_TEXT("name_ko", false, 50), BODY_TEXT("name_en", false, 50), BODY_INT("discount_percent", false, 0, 100),
    BODY_INT("mileage_percent", false, 0, 100), BODY_INT("min_monthly_spend", false, 0, 1000000000000LL)};
/* the coupons page: the list's inputs and the notices, on the page and on its forms' POSTs (a
 * refused issue draws the page again) */
#define ADMIN_COUPONS_PAGE_INPUTS                                                                                      \
	QUERY_TEXT("email", 1, 254), PAGE_INPUTS, QUERY_INT("issued", 0, 100000000, 0), QUERY_FLAG("revoked")
static const struct input_spec admin_coupons_page_inputs[] = {ADMIN_COUPONS_PAGE_INPUTS};
static const struct input_spec admin_coupon_issue_page_inputs[] = {
    BODY_TEXT("name", true, 100),
    BODY("to_email", INPUT_EMAIL, false),
    BODY_INT("discount_percent", false, 1, 100),
    BODY_INT("discount_amount", false, 1, 1000000000000LL),
    BODY_INT("min_line_amount", false, 0, 1000000000000LL),
    BODY_INT("category_id", false, 1, ID_MAX),
    {.name = "valid_from", .type = INPUT_DATE, .sources = INPUT_FROM_BODY, .min = 20000101, .max = 99991231},
    {.name = "valid_until",
     .type = INPUT_DATE,
     .sources = INPUT_FROM_BODY,
     .required = true,
     .min = 20000101,
     .max = 99991231},
    ADMIN_COUPONS_PAGE_INPUTS,
};
/* the brands' pages: the edit form is the API's inputs and the notice the brand's page shows */
static const struct input_spec admin_brands_page_inputs[] = {PAGE_INPUTS};
static const struct input_spec admin_brand_page_inputs[] = {QUERY_FLAG("updated")};
static const struct input_spec admin_brand_edit_page_inputs[] = {
    BODY_INT("shipping_fee", false, 0, 1000000000LL),
    BODY_INT("free_shipping_threshold", false, 0, 1000000000000LL),
    BODY_INT("return_shipping_cost", false, 0, 1000000000LL),
    BODY_TEXT("return_courier", false, 50),
    BODY_TEXT("return_address", false, 255),
    BODY_TEXT("introduction", false, 5000),
    BODY_TEXT("notify_webhook_url", false, 500),
    BODY("notify_webhook_clear", INPUT_BOOL, false),
    QUERY_FLAG("updated"),
};
static const struct input_spec admin_hide_inputs[] = {BODY_TEXT("reason", true, 500)};
static const struct input_spec admin_sellers_inputs[] = {QUERY_INT("brand_id", 1, ID_MAX, 0), PAGE_INPUTS};
static const struct input_spec admin_sellers_page_inputs[] = {QUERY_INT("brand_id", 1, ID_MAX, 0), PAGE_INPUTS,
                                                              QUERY_FLAG("updated")};
#define ADMIN_REVIEWS_PAGE_INPUTS QUERY_FLAG("hidden"), PAGE_INPUTS, QUERY_FLAG("moderated")
static const struct input_spec admin_reviews_page_inputs[] = {ADMIN_REVIEWS_PAGE_INPUTS};
static const struct input_spec admin_hide_page_inputs[] = {BODY_TEXT("reason", true, 500), ADMIN_REVIEWS_PAGE_INPUTS};
static const struct input_spec admin_coupon_inputs[] = {
    BODY_TEXT("name", true, 100),
    BODY_INT("discount_percent", false, 1, 100),
    BODY_INT("discount_amount", false, 1, 1000000000000LL),
    BODY_INT("min_line_amount", false, 0, 1000000000000LL),
    BODY_INT("category_id", false, 1, ID_MAX),
    {.name = "valid_from", .type = INPUT_DATE, .sources = INPUT_FROM_BODY, .min = 20000101, .max = 99991231},
    {.name = "valid_until",
     .type = INPUT_DATE,
     .sources = INPUT_FROM_BODY,
     .required = true,
     .min = 20000101,
     .max = 99991231},
    BODY_INT("user_id", false, 1, ID_MAX),
};

/* What the gateway's script and redirect hand back (SPEC §6 Portone): imp_uid and merchant_uid. */
static const struct input_spec pay_page_inputs[] = {QUERY_FLAG("failed")};
static const struct input_spec pay_submit_inputs[] = {BODY_TEXT("imp_uid", true, 64),
                                                      BODY_TEXT("merchant_uid", false, 40)};
static const struct input_spec pay_return_inputs[] = {
    QUERY_TEXT("imp_uid", 1, 64), QUERY_TEXT("merchant_uid", 1, 40), QUERY_TEXT("imp_success", 1, 10),
    QUERY_TEXT("error_code", 1, 100), QUERY_TEXT("error_msg", 0, 500)};
static const struct input_spec pay_complete_inputs[] = {BODY_TEXT("imp_uid", true, 64),
                                                        BODY_TEXT("merchant_uid", true, 40)};
static const struct input_spec webhook_inputs[] = {BODY_TEXT("imp_uid", true, 64), BODY_TEXT("merchant_uid", false, 40),
                                                   BODY_TEXT("status", false, 20),
                                                   BODY_TEXT("cancellation_id", false, 100)};

static const struct input_spec me_inputs[] = {QUERY_FLAG("verified"), QUERY_FLAG("resent"), QUERY_FLAG("joined")};
static const struct input_spec profile_page_inputs[] = {QUERY_FLAG("saved"), QUERY_FLAG("password")};
static const struct input_spec reauth_inputs[] = {BODY_SECRET("password", true)};
static const struct input_spec profile_page_submit_inputs[] = {PROFILE_INPUTS(true)};
static const struct input_spec profile_api_inputs[] = {PROFILE_INPUTS(false)};
static const struct input_spec password_page_inputs[] = {NEW_PASSWORD_INPUTS(false, true)};
static const struct input_spec password_api_inputs[] = {NEW_PASSWORD_INPUTS(false, false)};
static const struct input_spec withdraw_page_inputs[] = {BODY_SECRET("password", false), BODY_CONSENT("confirm")};
static const struct input_spec withdraw_api_inputs[] = {BODY_SECRET("password", false)};

static const struct input_spec seller_signup_page_inputs[] = {SELLER_SIGNUP_INPUTS, BODY_CONFIRM(true)};
static const struct input_spec seller_signup_api_inputs[] = {SELLER_SIGNUP_INPUTS, BODY_CONFIRM(false)};
static const struct input_spec seller_login_page_inputs[] = {NEXT_INPUT, QUERY_FLAG("reset")};
static const struct input_spec seller_account_inputs[] = {QUERY_FLAG("password")};
static const struct input_spec seller_password_page_inputs[] = {NEW_PASSWORD_INPUTS(true, true)};
static const struct input_spec seller_password_api_inputs[] = {NEW_PASSWORD_INPUTS(true, false)};
static const struct input_spec seller_delete_page_inputs[] = {BODY_SECRET("password", true), BODY_CONSENT("confirm")};
static const struct input_spec seller_delete_api_inputs[] = {BODY_SECRET("password", true)};

static const char *const echo_sorts[] = {"newest", "price_asc", "price_desc", NULL};
/* ---- product questions and answers (SPEC §3 Question, Answer) ------------------------------- */

/* clang-format off */
/* A question: its type, title and content (required to ask; PATCH sends what changes), and the
 * secret box (an unticked box sends nothing: not secret). */
#define QUESTION_INPUTS(req) \
	BODY_ENUM("type", req, question_type_names), \
	{.name = "title", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = req, .min = 1, .max = QUESTION_TITLE_MAX}, \
	{.name = "content", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = req, .min = 1, .max = QUESTION_CONTENT_MAX}, \
	BODY("secret", INPUT_BOOL, false)
#define ANSWER_INPUT {.name = "content", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = true, .min = 1, .max = ANSWER_CONTENT_MAX}
/* clang-format on */
static const struct input_spec question_inputs[] = {QUESTION_INPUTS(true)};
static const struct input_spec question_patch_inputs[] = {QUESTION_INPUTS(false)};
static const struct input_spec questions_inputs[] = {PAGE_INPUTS};
static const struct input_spec my_questions_page_inputs[] = {QUERY_FLAG("saved"), QUERY_FLAG("deleted"), PAGE_INPUTS};
/* answered: 0 the open ones, 1 the answered ones, not given: all. */
/* ---- the seller console's products ------------------------------------------------------------ */

/* clang-format off */
static const struct input_spec seller_products_inputs[] = {
    QUERY_TEXT("q", 1, 100), QUERY_ENUM("status", product_status_names), QUERY_INT("category", 1, ID_MAX, 0),
    PAGE_INPUTS, QUERY_FLAG("deleted"),
};
/* A product (docs/seller-console.md "Products"): its fields, and its images as repeated file parts
 * (src/handlers/uploads.c), each at most PRODUCT_IMAGE_MAX_BYTES. */
#define PRODUCT_INPUTS(req) \
	BODY_TEXT("name", req, 150), BODY_INT("category_id", req, 1, ID_MAX), BODY_INT("style_id", req, 1, ID_MAX), \
	BODY_TEXT("description", false, 5000), BODY_INT("list_price", req, 1, PRICE_MAX), \
	BODY_INT("sale_price", req, 1, PRICE_MAX), BODY_ENUM("status", false, product_status_names), \
	{.name = "images", .type = INPUT_FILE, .sources = INPUT_FROM_BODY, .max = PRODUCT_IMAGE_MAX_BYTES}, \
	{.name = "description_images", .type = INPUT_FILE, .sources = INPUT_FROM_BODY, .max = PRODUCT_IMAGE_MAX_BYTES}
/* An edit's kept images: image_N, a new position for the image at place N, and remove_image_N
 * (the same with description_image_N). */
#define KEPT_IMAGE(n) \
	BODY_INT("image_" #n, false, 1, 99), BODY("remove_image_" #n, INPUT_BOOL, false), \
	BODY_INT("description_image_" #n, false, 1, 99), BODY("remove_description_image_" #n, INPUT_BOOL, false)
#define KEPT_IMAGES KEPT_IMAGE(1), KEPT_IMAGE(2), KEPT_IMAGE(3), KEPT_IMAGE(4), KEPT_IMAGE(5), KEPT_IMAGE(6), \
	KEPT_IMAGE(7), KEPT_IMAGE(8), KEPT_IMAGE(9), KEPT_IMAGE(10)
/* A size: measurements in cm with one decimal (stored in mm), 0.1 to 500 cm. */
#define MEASURE(n) {.name = n, .type = INPUT_TENTHS, .sources = INPUT_FROM_BODY, .min = 1, .max = 5000}
#define VARIANT_INPUTS(req, stock_req) \
	BODY_TEXT("size_label", req, 20), BODY_TEXT("color", false, 50), BODY_TEXT("sku", false, 64), \
	BODY_INT("stock", stock_req, 0, 1000000), BODY_ENUM("status", false, variant_status_names), \
	BODY_INT("sort_order", false, 0, 999), MEASURE("shoulder_cm"), MEASURE("chest_cm"), MEASURE("sleeve_cm"), \
	MEASURE("waist_cm"), MEASURE("hip_cm"), MEASURE("thigh_cm"), MEASURE("rise_cm"), MEASURE("hem_cm"), \
	MEASURE("total_length_cm")
/* clang-format on */
static const struct input_spec seller_product_create_inputs[] = {PRODUCT_INPUTS(true)};
static const struct input_spec seller_product_page_inputs[] = {PRODUCT_INPUTS(true), KEPT_IMAGES};
static const struct input_spec seller_product_patch_inputs[] = {PRODUCT_INPUTS(false), KEPT_IMAGES};
static const struct input_spec seller_product_notices[] = {QUERY_FLAG("created"), QUERY_FLAG("saved"),
                                                           QUERY_FLAG("variant_saved"), QUERY_FLAG("variant_removed"),
                                                           QUERY_FLAG("variant_hidden")};
static const struct input_spec seller_variant_page_inputs[] = {VARIANT_INPUTS(true, true)};
static const struct input_spec seller_variant_create_inputs[] = {VARIANT_INPUTS(true, false)};
static const struct input_spec seller_variant_edit_page_inputs[] = {VARIANT_INPUTS(true, false)};
static const struct input_spec seller_variant_patch_inputs[] = {VARIANT_INPUTS(false, false)};

static const struct input_spec seller_questions_inputs[] = {QUERY_BOOL("answered", -1), PAGE_INPUTS};
static const struct input_spec answer_inputs[] = {ANSWER_INPUT};

/* ---- the seller console (src/handlers/seller/console.c) ------------------------------------- */
/* clang-format off */
#define SELLER_Q         QUERY_TEXT("q", 0, 100)
#define SELLER_STOCK_LIST SELLER_Q, PAGE_INPUTS
#define SELLER_ORDER_LIST QUERY_ENUM("state", line_state_names), SELLER_Q, PAGE_INPUTS
#define SELLER_QUESTION_LIST QUERY_BOOL("answered", -1), PAGE_INPUTS
#define STOCK_ADJUST_INPUTS \
	BODY_INT("delta", true, -STOCK_DELTA_MAX, STOCK_DELTA_MAX), \
	{.name = "reason", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = true, .min = 1, .max = STOCK_REASON_MAX}
#define BRANCH_INPUTS(req) \
	{.name = "name", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = req, .min = 1, .max = 100}, \
	{.name = "address", .type = INPUT_STRING, .sources = INPUT_FROM_BODY, .required = req, .min = 1, .max = 255}, \
	BODY("postal_code", INPUT_POSTAL, false), BODY("phone", INPUT_PHONE, false)
/* clang-format on */
static const char *const stock_from[] = {"list", NULL};
static const struct input_spec seller_stock_page_inputs[] = {SELLER_STOCK_LIST, QUERY_FLAG("adjusted"),
                                                             QUERY_INT("uploaded", 0, 100000, 0)};
static const struct input_spec seller_stock_api_inputs[] = {SELLER_STOCK_LIST};
static const struct input_spec seller_stock_adjust_page_inputs[] = {
    STOCK_ADJUST_INPUTS, BODY_ENUM("from", false, stock_from), SELLER_STOCK_LIST};
static const struct input_spec seller_stock_adjust_api_inputs[] = {STOCK_ADJUST_INPUTS, PAGE_INPUTS};
static const struct input_spec seller_stock_upload_inputs[] = {
    {.name = "file", .type = INPUT_FILE, .sources = INPUT_FROM_BODY, .required = true, .max = 1 << 20},
    SELLER_STOCK_LIST};
static const struct input_spec seller_stock_variant_inputs[] = {PAGE_INPUTS, QUERY_FLAG("adjusted")};
static const struct input_spec seller_variant_api_inputs[] = {PAGE_INPUTS};
static const struct input_spec seller_orders_page_inputs[] = {SELLER_ORDER_LIST, QUERY_FLAG("moved")};
static const struct input_spec seller_orders_post_inputs[] = {SELLER_ORDER_LIST};
static const struct input_spec seller_orders_csv_inputs[] = {QUERY_ENUM("state", line_state_names), SELLER_Q};
static const struct input_spec seller_ship_page_inputs[] = {BODY_TEXT("courier", true, 50),
                                                            BODY_TEXT("tracking_number", true, 50), SELLER_ORDER_LIST};
static const struct input_spec seller_reject_page_inputs[] = {BODY_TEXT("reason", true, 500), SELLER_ORDER_LIST};
static const struct input_spec seller_questions_page_inputs[] = {SELLER_QUESTION_LIST, QUERY_FLAG("saved")};
static const struct input_spec seller_answer_page_inputs[] = {ANSWER_INPUT, SELLER_QUESTION_LIST};
static const struct input_spec seller_branches_page_inputs[] = {QUERY_FLAG("saved"), QUERY_FLAG("deleted")};
static const struct input_spec branch_create_inputs[] = {BRANCH_INPUTS(true)};
static const struct input_spec branch_patch_inputs[] = {BRANCH_INPUTS(false)};

static const struct input_spec echo_inputs[] = {
    {.name = "name", .type = INPUT_STRING, .required = true, .min = 1, .max = 50},
    {.name = "count", .type = INPUT_INT, .min = 1, .max = 10},
    {.name = "on_sale", .type = INPUT_BOOL},
    {.name = "sort", .type = INPUT_ENUM, .choices = echo_sorts},
    {.name = "photo", .type = INPUT_FILE, .sources = INPUT_FROM_BODY, .max = 1 << 20},
};
static const struct input_spec sleep_inputs[] = {
    {.name = "ms", .type = INPUT_INT, .sources = INPUT_FROM_QUERY, .required = true, .min = 0, .max = 10000},
};

const struct route routes[] = {
    /* the shop's pages */
    SHARED("/", page_home, NO_INPUTS),
    SHARED("/products", page_products, INPUTS(product_list_inputs)),
    FORM_PAGE("/products/{id}", page_product, ACCESS_GUEST, NO_INPUTS),
    SHARED("/categories/{id}", page_category, INPUTS(product_list_inputs)),
    SHARED("/styles/{id}", page_style, INPUTS(product_list_inputs)),
    SHARED("/brands", page_brands, INPUTS(brands_page_inputs)),
    SHARED("/for-me", page_for_me, INPUTS(for_me_inputs)),
    SHARED("/brands/{id}", page_brand, INPUTS(product_list_inputs)),
    SHARED("/products/{id}/reviews", page_product_reviews, INPUTS(product_reviews_inputs)),

    /* the cart: a guest's (cookie) or a member's */
    FORM_PAGE("/cart", page_cart, ACCESS_GUEST, INPUTS(cart_page_inputs)),
    FORM_POST("/products/{id}/cart", cart_add_submit, ACCESS_GUEST, INPUTS(cart_add_inputs), page_product),
    FORM_POST("/products/{id}/like", like_submit, ACCESS_SHOPPER, INPUTS(like_inputs), page_product),
    FORM_POST("/cart/items/{id}", cart_update_submit, ACCESS_GUEST, INPUTS(cart_line_page_inputs), cart_form),
    FORM_POST("/cart/items/{id}/coupon", cart_coupon_submit, ACCESS_GUEST, INPUTS(cart_coupon_inputs), cart_form),
    FORM_POST("/cart/items/{id}/delete", cart_remove_submit, ACCESS_GUEST, NO_INPUTS, cart_form),
    FORM_POST("/cart/clear", cart_clear_submit, ACCESS_GUEST, NO_INPUTS, cart_form),

    /* checkout */
    ROUTE("GET", "/checkout", page_checkout, ACCESS_SHOPPER, INPUTS(checkout_page_inputs)),
    FORM_POST("/checkout", checkout_submit, ACCESS_SHOPPER, INPUTS(checkout_submit_inputs), checkout_form),
    ROUTE("GET", "/me/orders/{id}/complete", page_order_complete, ACCESS_SHOPPER, NO_INPUTS),
    ROUTE("GET", "/me/orders/{id}/pay", page_order_pay, ACCESS_SHOPPER, INPUTS(pay_page_inputs)),
    FORM_POST("/me/orders/{id}/pay", order_pay_submit, ACCESS_SHOPPER, INPUTS(pay_submit_inputs), order_pay_form),
    ROUTE("GET", "/me/orders/{id}/pay/return", order_pay_return, ACCESS_SHOPPER, INPUTS(pay_return_inputs)),

    /* accounts: sign-up, verification, login, passwords */
    FORM_PAGE("/signup", page_signup, ACCESS_GUEST, NO_INPUTS),
    FORM_POST("/signup", signup_submit, ACCESS_GUEST, INPUTS(signup_page_inputs), page_signup),
    FORM_PAGE("/signup/done", page_signup_done, ACCESS_GUEST, INPUTS(done_inputs)),
    FORM_PAGE("/verify", page_verify, ACCESS_GUEST, INPUTS(verify_page_inputs)),
    FORM_POST("/verify", verify_submit, ACCESS_GUEST, INPUTS(verify_inputs), page_verify),
    FORM_POST("/verify/resend", verify_resend, ACCESS_GUEST, INPUTS(resend_inputs), resend_form),
    FORM_PAGE("/login", page_login, ACCESS_GUEST, INPUTS(login_page_inputs)),
    FORM_POST("/login", login_submit, ACCESS_GUEST, INPUTS(login_inputs), login_form),
    ROUTE("POST", "/logout", logout_submit, ACCESS_SIGNED_IN, NO_INPUTS),
    FORM_PAGE("/password/forgot", page_password_forgot, ACCESS_GUEST, INPUTS(forgot_page_inputs)),
    FORM_POST("/password/forgot", password_forgot_submit, ACCESS_GUEST, INPUTS(forgot_inputs), forgot_form),
    ROUTE("GET", "/auth/kakao", kakao_start, ACCESS_GUEST, INPUTS(kakao_start_inputs)),
    ROUTE("GET", "/auth/kakao/callback", kakao_callback, ACCESS_GUEST, INPUTS(kakao_callback_inputs)),
    ROUTE("GET", "/signup/kakao", kakao_profile_form, ACCESS_MEMBER, NO_INPUTS),
    FORM_POST("/signup/kakao", kakao_profile_submit, ACCESS_MEMBER, INPUTS(kakao_profile_inputs), kakao_profile_form),
    FORM_PAGE("/password/reset", page_password_reset, ACCESS_GUEST, INPUTS(reset_page_inputs)),
    FORM_POST("/password/reset", password_reset_submit, ACCESS_GUEST, INPUTS(reset_page_submit_inputs),
              page_password_reset),

    /* the shopper's own pages */
    ROUTE("GET", "/me", page_me, ACCESS_MEMBER, INPUTS(me_inputs)),
    ROUTE("GET", "/me/profile", page_profile, ACCESS_SHOPPER, INPUTS(profile_page_inputs)),
    FORM_POST("/me/profile/reauth", profile_reauth, ACCESS_SHOPPER, INPUTS(reauth_inputs), profile_form),
    FORM_POST("/me/profile", profile_submit, ACCESS_SHOPPER, INPUTS(profile_page_submit_inputs), profile_form),
    FORM_POST("/me/password", password_submit, ACCESS_SHOPPER, INPUTS(password_page_inputs), profile_form),
    ROUTE("GET", "/me/orders", page_my_orders, ACCESS_SHOPPER, INPUTS(my_orders_inputs)),
    ROUTE("GET", "/me/orders/{id}", page_my_order, ACCESS_SHOPPER, INPUTS(my_order_page_inputs)),
    FORM_POST("/me/orders/{id}/cancel", order_cancel_submit, ACCESS_SHOPPER, INPUTS(order_cancel_inputs),
              my_order_form),
    FORM_POST("/me/order-lines/{id}/confirm", line_confirm_submit, ACCESS_SHOPPER, NO_INPUTS, my_line_form),
    FORM_POST("/me/order-lines/{id}/return", line_return_submit, ACCESS_SHOPPER, INPUTS(line_return_inputs),
              my_line_form),
    ROUTE("GET", "/me/coupons", page_my_coupons, ACCESS_SHOPPER, INPUTS(coupons_inputs)),
    ROUTE("GET", "/me/likes", page_my_likes, ACCESS_SHOPPER, INPUTS(likes_inputs)),
    ROUTE("GET", "/me/mileage", page_my_mileage, ACCESS_SHOPPER, INPUTS(mileage_inputs)),
    ROUTE("GET", "/me/order-lines/{id}/review", page_review_new, ACCESS_SHOPPER, NO_INPUTS),
    FORM_POST("/me/order-lines/{id}/review", review_create_submit, ACCESS_SHOPPER, INPUTS(review_create_inputs),
              page_review_new),
    ROUTE("GET", "/me/reviews", page_my_reviews, ACCESS_SHOPPER, INPUTS(my_reviews_inputs)),
    ROUTE("GET", "/me/reviews/{id}/edit", page_review_edit, ACCESS_SHOPPER, NO_INPUTS),
    FORM_POST("/me/reviews/{id}", review_update_submit, ACCESS_SHOPPER, INPUTS(review_edit_page_inputs),
              page_review_edit),
    FORM_POST("/me/reviews/{id}/delete", review_delete_submit, ACCESS_SHOPPER, NO_INPUTS, page_review_edit),
    ROUTE("GET", "/me/withdraw", page_withdraw, ACCESS_MEMBER, NO_INPUTS),
    FORM_POST("/me/withdraw", withdraw_submit, ACCESS_MEMBER, INPUTS(withdraw_page_inputs), page_withdraw),

    /* sellers */
    FORM_PAGE("/seller/signup", page_seller_signup, ACCESS_GUEST, NO_INPUTS),
    FORM_POST("/seller/signup", seller_signup_submit, ACCESS_GUEST, INPUTS(seller_signup_page_inputs),
              page_seller_signup),
    FORM_PAGE("/seller/login", page_seller_login, ACCESS_GUEST, INPUTS(seller_login_page_inputs)),
    FORM_POST("/seller/login", seller_login_submit, ACCESS_GUEST, INPUTS(login_inputs), seller_login_form),
    ROUTE("GET", "/seller", page_seller_home, ACCESS_SELLER, NO_INPUTS),
    ROUTE("GET", "/seller/account", page_seller_account, ACCESS_SELLER, INPUTS(seller_account_inputs)),
    FORM_POST("/seller/account/password", seller_password_submit, ACCESS_SELLER, INPUTS(seller_password_page_inputs),
              seller_account_form),
    ROUTE("GET", "/seller/products", page_seller_products, ACCESS_SELLER, INPUTS(seller_products_inputs)),
    ROUTE("GET", "/seller/products/new", page_seller_product_new, ACCESS_SELLER, NO_INPUTS),
    FORM_POST("/seller/products", seller_product_create, ACCESS_SELLER, INPUTS(seller_product_create_inputs),
              page_seller_product_new),
    ROUTE("GET", "/seller/products/{id}", page_seller_product, ACCESS_SELLER, INPUTS(seller_product_notices)),
    FORM_POST("/seller/products/{id}", seller_product_update, ACCESS_SELLER, INPUTS(seller_product_page_inputs),
              seller_product_form),
    FORM_POST("/seller/products/{id}/delete", seller_product_delete, ACCESS_SELLER, NO_INPUTS, seller_product_form),
    FORM_POST("/seller/products/{id}/variants", seller_variant_create, ACCESS_SELLER,
              INPUTS(seller_variant_page_inputs), seller_product_form),
    FORM_POST("/seller/products/{id}/variants/{vid}", seller_variant_update, ACCESS_SELLER,
              INPUTS(seller_variant_edit_page_inputs), seller_product_form),
    FORM_POST("/seller/products/{id}/variants/{vid}/delete", seller_variant_delete, ACCESS_SELLER, NO_INPUTS,
              seller_product_form),
    ROUTE("GET", "/seller/account/delete", page_seller_delete, ACCESS_SELLER, NO_INPUTS),
    FORM_POST("/seller/account/delete", seller_delete_submit, ACCESS_SELLER, INPUTS(seller_delete_page_inputs),
              page_seller_delete),

    /* the seller console (issue 10) */
    ROUTE("GET", "/seller/stock", page_seller_stock, ACCESS_SELLER, INPUTS(seller_stock_page_inputs)),
    FORM_POST("/seller/stock/upload", seller_stock_upload_submit, ACCESS_SELLER, INPUTS(seller_stock_upload_inputs),
              seller_stock_form),
    ROUTE("GET", "/seller/stock/{id}", page_seller_variant, ACCESS_SELLER, INPUTS(seller_stock_variant_inputs)),
    FORM_POST("/seller/stock/{id}", seller_stock_adjust_submit, ACCESS_SELLER, INPUTS(seller_stock_adjust_page_inputs),
              seller_variant_form),
    ROUTE("GET", "/seller/orders", page_seller_orders, ACCESS_SELLER, INPUTS(seller_orders_page_inputs)),
    ROUTE("GET", "/seller/orders.csv", page_seller_orders_csv, ACCESS_SELLER, INPUTS(seller_orders_csv_inputs)),
    FORM_POST("/seller/orders/{id}/prepare", seller_page_prepare, ACCESS_SELLER, INPUTS(seller_orders_post_inputs),
              seller_orders_form),
    FORM_POST("/seller/orders/{id}/ship", seller_page_ship, ACCESS_SELLER, INPUTS(seller_ship_page_inputs),
              seller_orders_form),
    FORM_POST("/seller/orders/{id}/deliver", seller_page_deliver, ACCESS_SELLER, INPUTS(seller_orders_post_inputs),
              seller_orders_form),
    FORM_POST("/seller/orders/{id}/return/approve", seller_page_return_approve, ACCESS_SELLER,
              INPUTS(seller_orders_post_inputs), seller_orders_form),
    FORM_POST("/seller/orders/{id}/return/reject", seller_page_return_reject, ACCESS_SELLER,
              INPUTS(seller_reject_page_inputs), seller_orders_form),
    ROUTE("GET", "/seller/questions", page_seller_questions, ACCESS_SELLER, INPUTS(seller_questions_page_inputs)),
    FORM_POST("/seller/questions/{id}/answer", seller_page_answer, ACCESS_SELLER, INPUTS(seller_answer_page_inputs),
              seller_questions_form),
    ROUTE("GET", "/seller/branches", page_seller_branches, ACCESS_SELLER, INPUTS(seller_branches_page_inputs)),
    FORM_POST("/seller/branches", seller_branch_create_submit, ACCESS_SELLER, INPUTS(branch_create_inputs),
              seller_branches_form),
    ROUTE("GET", "/seller/branches/{id}", page_seller_branch, ACCESS_SELLER, NO_INPUTS),
    FORM_POST("/seller/branches/{id}", seller_branch_update_submit, ACCESS_SELLER, INPUTS(branch_create_inputs),
              seller_branch_form),
    FORM_POST("/seller/branches/{id}/delete", seller_branch_delete_submit, ACCESS_SELLER, NO_INPUTS,
              seller_branch_form),

    /* JSON API */
    SHARED("/api/v1/categories", api_categories_list, NO_INPUTS),
    SHARED("/api/v1/categories/{id}", api_category_get, NO_INPUTS),
    SHARED("/api/v1/styles", api_styles_list, NO_INPUTS),
    SHARED("/api/v1/styles/{id}", api_style_get, NO_INPUTS),
    SHARED("/api/v1/products", api_products_list, INPUTS(product_list_inputs)),
    SHARED("/api/v1/products/{id}", api_product_get, NO_INPUTS),
    ROUTE("POST", "/api/v1/products/{id}/like", api_like, ACCESS_SHOPPER, NO_INPUTS),
    ROUTE("DELETE", "/api/v1/products/{id}/like", api_unlike, ACCESS_SHOPPER, NO_INPUTS),
    ROUTE("GET", "/api/v1/products/{id}/size-advice", api_size_advice, ACCESS_SHOPPER, NO_INPUTS),
    SHARED("/api/v1/products/{id}/reviews", page_product_reviews, INPUTS(product_reviews_inputs)),
    SHARED("/api/v1/brands", api_brands_list, INPUTS(api_page_inputs)),
    SHARED("/api/v1/brands/{id}", api_brand_get, NO_INPUTS),
    SHARED("/api/v1/openapi.json", api_openapi, NO_INPUTS),
    ROUTE("GET", "/api/v1/cart", api_cart_get, ACCESS_GUEST, NO_INPUTS),
    ROUTE("DELETE", "/api/v1/cart", cart_clear_submit, ACCESS_GUEST, NO_INPUTS),
    ROUTE("POST", "/api/v1/cart/items", cart_add_submit, ACCESS_GUEST, INPUTS(cart_add_inputs)),
    ROUTE("PATCH", "/api/v1/cart/items/{id}", cart_update_submit, ACCESS_GUEST, INPUTS(cart_line_api_inputs)),
    ROUTE("DELETE", "/api/v1/cart/items/{id}", cart_remove_submit, ACCESS_GUEST, NO_INPUTS),
    ROUTE("POST", "/api/v1/orders", api_order_create, ACCESS_SHOPPER, INPUTS(order_create_inputs)),
    ROUTE("GET", "/api/v1/orders", api_orders_list, ACCESS_SHOPPER, INPUTS(my_orders_inputs)),
    ROUTE("GET", "/api/v1/orders/{id}", page_my_order, ACCESS_SHOPPER, NO_INPUTS),
    ROUTE("POST", "/api/v1/orders/{id}/cancel", order_cancel_submit, ACCESS_SHOPPER, INPUTS(order_cancel_inputs)),
    ROUTE("POST", "/api/v1/order-lines/{id}/confirm", line_confirm_submit, ACCESS_SHOPPER, NO_INPUTS),
    ROUTE("POST", "/api/v1/order-lines/{id}/return", line_return_submit, ACCESS_SHOPPER, INPUTS(line_return_inputs)),
    ROUTE("POST", "/api/v1/order-lines/{id}/review", review_create_submit, ACCESS_SHOPPER,
          INPUTS(review_create_inputs)),
    ROUTE("GET", "/api/v1/reviews/{id}", api_review_get, ACCESS_SHOPPER, NO_INPUTS),
    ROUTE("PATCH", "/api/v1/reviews/{id}", review_update_submit, ACCESS_SHOPPER, INPUTS(review_edit_api_inputs)),
    ROUTE("DELETE", "/api/v1/reviews/{id}", review_delete_submit, ACCESS_SHOPPER, NO_INPUTS),
    ROUTE("POST", "/api/v1/payments/portone/complete", api_payment_complete, ACCESS_SHOPPER,
          INPUTS(pay_complete_inputs)),
    CALLBACK("POST", "/api/v1/payments/portone/webhook", api_portone_webhook, ACCESS_GUEST, INPUTS(webhook_inputs)),
    ROUTE("GET", "/api/v1/me/coupons", api_my_coupons, ACCESS_SHOPPER, INPUTS(coupons_inputs)),
    ROUTE("GET", "/api/v1/me/likes", page_my_likes, ACCESS_SHOPPER, INPUTS(likes_inputs)),
    ROUTE("GET", "/api/v1/me/reviews", page_my_reviews, ACCESS_SHOPPER, INPUTS(my_reviews_inputs)),
    ROUTE("GET", "/api/v1/me/mileage", api_my_mileage, ACCESS_SHOPPER, INPUTS(mileage_inputs)),
    ROUTE("POST", "/api/v1/users", signup_submit, ACCESS_GUEST, INPUTS(signup_api_inputs)),
    ROUTE("POST", "/api/v1/auth/login", login_submit, ACCESS_GUEST, INPUTS(login_inputs)),
    ROUTE("POST", "/api/v1/auth/logout", logout_submit, ACCESS_SIGNED_IN, NO_INPUTS),
    ROUTE("POST", "/api/v1/auth/verify", verify_submit, ACCESS_GUEST, INPUTS(verify_inputs)),
    ROUTE("POST", "/api/v1/auth/verify/resend", verify_resend, ACCESS_GUEST, INPUTS(resend_inputs)),
    ROUTE("POST", "/api/v1/auth/password/forgot", password_forgot_submit, ACCESS_GUEST, INPUTS(forgot_inputs)),
    ROUTE("POST", "/api/v1/auth/password/reset", password_reset_submit, ACCESS_GUEST, INPUTS(reset_api_inputs)),
    ROUTE("GET", "/api/v1/me", me_get, ACCESS_MEMBER, NO_INPUTS),
    ROUTE("PATCH", "/api/v1/me", profile_submit, ACCESS_SHOPPER, INPUTS(profile_api_inputs)),
    ROUTE("POST", "/api/v1/me/password", password_submit, ACCESS_SHOPPER, INPUTS(password_api_inputs)),
    ROUTE("POST", "/api/v1/me/withdraw", withdraw_submit, ACCESS_MEMBER, INPUTS(withdraw_api_inputs)),
    ROUTE("POST", "/api/v1/sellers", seller_signup_submit, ACCESS_GUEST, INPUTS(seller_signup_api_inputs)),
    ROUTE("POST", "/api/v1/seller/auth/login", seller_login_submit, ACCESS_GUEST, INPUTS(login_inputs)),
    ROUTE("GET", "/api/v1/seller/me", seller_me_get, ACCESS_SELLER, NO_INPUTS),
    ROUTE("DELETE", "/api/v1/seller/me", seller_delete_submit, ACCESS_SELLER, INPUTS(seller_delete_api_inputs)),
    ROUTE("POST", "/api/v1/seller/me/password", seller_password_submit, ACCESS_SELLER,
          INPUTS(seller_password_api_inputs)),
    ROUTE("GET", "/api/v1/seller/dashboard", api_seller_dashboard, ACCESS_SELLER, NO_INPUTS),
    ROUTE("GET", "/api/v1/seller/variants", api_seller_variants, ACCESS_SELLER, INPUTS(seller_stock_api_inputs)),
    ROUTE("GET", "/api/v1/seller/variants/{id}", api_seller_variant_stock, ACCESS_SELLER,
          INPUTS(seller_variant_api_inputs)),
    ROUTE("POST", "/api/v1/seller/variants/{id}/stock", seller_stock_adjust_submit, ACCESS_SELLER,
          INPUTS(seller_stock_adjust_api_inputs)),
    ROUTE("POST", "/api/v1/seller/stock/csv", seller_stock_upload_submit, ACCESS_SELLER,
          INPUTS(seller_stock_upload_inputs)),
    ROUTE("GET", "/api/v1/seller/branches", api_seller_branches, ACCESS_SELLER, NO_INPUTS),
    ROUTE("POST", "/api/v1/seller/branches", seller_branch_create_submit, ACCESS_SELLER, INPUTS(branch_create_inputs)),
    ROUTE("GET", "/api/v1/seller/branches/{id}", api_seller_branch, ACCESS_SELLER, NO_INPUTS),
    ROUTE("PATCH", "/api/v1/seller/branches/{id}", seller_branch_update_submit, ACCESS_SELLER,
          INPUTS(branch_patch_inputs)),
    ROUTE("DELETE", "/api/v1/seller/branches/{id}", seller_branch_delete_submit, ACCESS_SELLER, NO_INPUTS),
    ROUTE("GET", "/api/v1/seller/order-lines", api_seller_lines, ACCESS_SELLER, INPUTS(seller_lines_inputs)),
    ROUTE("GET", "/api/v1/seller/order-lines/{id}", api_seller_line, ACCESS_SELLER, NO_INPUTS),
    ROUTE("POST", "/api/v1/seller/order-lines/{id}/prepare", seller_line_prepare, ACCESS_SELLER, NO_INPUTS),
    ROUTE("POST", "/api/v1/seller/order-lines/{id}/ship", seller_line_ship, ACCESS_SELLER, INPUTS(seller_ship_inputs)),
    ROUTE("POST", "/api/v1/seller/order-lines/{id}/deliver", seller_line_deliver, ACCESS_SELLER, NO_INPUTS),
    ROUTE("POST", "/api/v1/seller/order-lines/{id}/return/approve", seller_return_approve, ACCESS_SELLER, NO_INPUTS),
    ROUTE("POST", "/api/v1/seller/order-lines/{id}/return/reject", seller_return_reject, ACCESS_SELLER,
          INPUTS(seller_reject_inputs)),

    /* the admin's money */
    ROUTE("GET", "/api/v1/admin/orders", api_admin_orders, ACCESS_ADMIN, INPUTS(admin_orders_inputs)),
    ROUTE("GET", "/api/v1/admin/orders/{id}", api_admin_order, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/orders/{id}/payment", api_admin_order_payment, ACCESS_ADMIN,
          INPUTS(admin_payment_inputs)),
    ROUTE("GET", "/api/v1/admin/refunds", api_admin_refunds, ACCESS_ADMIN, INPUTS(admin_refunds_inputs)),
    ROUTE("POST", "/api/v1/admin/refunds/{id}/record", api_admin_refund_record, ACCESS_ADMIN, NO_INPUTS),
    /* the admin console */
    ROUTE("GET", "/admin", api_admin_dashboard, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("GET", "/admin/orders", api_admin_orders, ACCESS_ADMIN, INPUTS(admin_orders_page_inputs)),
    FORM_POST("/admin/orders/{id}/payment", api_admin_order_payment, ACCESS_ADMIN, INPUTS(admin_payment_page_inputs),
              api_admin_orders),
    ROUTE("GET", "/admin/reviews", page_admin_reviews, ACCESS_ADMIN, INPUTS(admin_reviews_page_inputs)),
    FORM_POST("/admin/reviews/{id}/hide", api_admin_review_hide, ACCESS_ADMIN, INPUTS(admin_hide_page_inputs),
              page_admin_reviews),
    FORM_POST("/admin/reviews/{id}/unhide", api_admin_review_unhide, ACCESS_ADMIN, INPUTS(admin_reviews_page_inputs),
              page_admin_reviews),
    ROUTE("GET", "/admin/sellers", api_admin_sellers, ACCESS_ADMIN, INPUTS(admin_sellers_page_inputs)),
    FORM_POST("/admin/sellers/{id}/suspend", api_admin_seller_suspend, ACCESS_ADMIN, INPUTS(admin_sellers_page_inputs),
              api_admin_sellers),
    FORM_POST("/admin/sellers/{id}/reinstate", api_admin_seller_reinstate, ACCESS_ADMIN,
              INPUTS(admin_sellers_page_inputs), api_admin_sellers),
    ROUTE("GET", "/admin/refunds", api_admin_refunds, ACCESS_ADMIN, INPUTS(admin_refunds_page_inputs)),
    FORM_POST("/admin/refunds/{id}/record", api_admin_refund_record, ACCESS_ADMIN, INPUTS(admin_refunds_page_inputs),
              api_admin_refunds),
    /* the admin console's brands (the changes are the API's handlers) */
    ROUTE("GET", "/admin/brands", page_admin_brands, ACCESS_ADMIN, INPUTS(admin_brands_page_inputs)),
    ROUTE("GET", "/admin/brands/new", page_admin_brand_new, ACCESS_ADMIN, NO_INPUTS),
    FORM_POST("/admin/brands", api_admin_brand_create, ACCESS_ADMIN, INPUTS(admin_brand_create_inputs),
              page_admin_brand_new),
    ROUTE("GET", "/admin/brands/{id}", page_admin_brand, ACCESS_ADMIN, INPUTS(admin_brand_page_inputs)),
    FORM_POST("/admin/brands/{id}", api_admin_brand_edit, ACCESS_ADMIN, INPUTS(admin_brand_edit_page_inputs),
              page_admin_brand),
    FORM_POST("/admin/brands/{id}/key", api_admin_brand_key, ACCESS_ADMIN, INPUTS(admin_brand_page_inputs),
              page_admin_brand),
    FORM_POST("/admin/brands/{id}/deactivate", api_admin_brand_deactivate, ACCESS_ADMIN,
              INPUTS(admin_brand_page_inputs), page_admin_brand),
    FORM_POST("/admin/brands/{id}/reactivate", api_admin_brand_reactivate, ACCESS_ADMIN,
              INPUTS(admin_brand_page_inputs), page_admin_brand),
    /* the admin console's coupons (issue and revoke are the API's handlers) */
    ROUTE("GET", "/admin/coupons", page_admin_coupons, ACCESS_ADMIN, INPUTS(admin_coupons_page_inputs)),
    FORM_POST("/admin/coupons", page_admin_coupon_issue, ACCESS_ADMIN, INPUTS(admin_coupon_issue_page_inputs),
              page_admin_coupons),
    FORM_POST("/admin/coupons/{id}/revoke", api_admin_coupon_revoke, ACCESS_ADMIN, INPUTS(admin_coupons_page_inputs),
              page_admin_coupons),
    /* categories, styles and grades: the API and the console's pages, through the same handlers */
    ROUTE("GET", "/api/v1/admin/categories", api_admin_categories, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("PATCH", "/api/v1/admin/categories/{id}", api_admin_category_edit, ACCESS_ADMIN,
          INPUTS(admin_taxon_edit_inputs)),
    ROUTE("POST", "/api/v1/admin/categories", api_admin_category_create, ACCESS_ADMIN,
          INPUTS(admin_taxon_create_inputs)),
    ROUTE("GET", "/api/v1/admin/styles", api_admin_styles, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/styles", api_admin_style_create, ACCESS_ADMIN, INPUTS(admin_taxon_create_inputs)),
    ROUTE("PATCH", "/api/v1/admin/styles/{id}", api_admin_style_edit, ACCESS_ADMIN, INPUTS(admin_taxon_edit_inputs)),
    ROUTE("GET", "/api/v1/admin/grades", api_admin_grades, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("PATCH", "/api/v1/admin/grades/{id}", api_admin_grade_edit, ACCESS_ADMIN, INPUTS(admin_grade_edit_inputs)),
    ROUTE("GET", "/admin/categories", api_admin_categories, ACCESS_ADMIN, INPUTS(admin_taxa_page_inputs)),
    FORM_POST("/admin/categories", api_admin_category_create, ACCESS_ADMIN, INPUTS(admin_taxon_create_inputs),
              api_admin_categories),
    ROUTE("GET", "/admin/categories/{id}", page_admin_category, ACCESS_ADMIN, NO_INPUTS),
    FORM_POST("/admin/categories/{id}", api_admin_category_edit, ACCESS_ADMIN, INPUTS(admin_taxon_edit_inputs),
              page_admin_category),
    ROUTE("GET", "/admin/styles", api_admin_styles, ACCESS_ADMIN, INPUTS(admin_taxa_page_inputs)),
    FORM_POST("/admin/styles", api_admin_style_create, ACCESS_ADMIN, INPUTS(admin_taxon_create_inputs),
              api_admin_styles),
    ROUTE("GET", "/admin/styles/{id}", page_admin_style, ACCESS_ADMIN, NO_INPUTS),
    FORM_POST("/admin/styles/{id}", api_admin_style_edit, ACCESS_ADMIN, INPUTS(admin_taxon_edit_inputs),
              page_admin_style),
    ROUTE("GET", "/admin/grades", api_admin_grades, ACCESS_ADMIN, INPUTS(admin_taxa_page_inputs)),
    ROUTE("GET", "/admin/grades/{id}", page_admin_grade, ACCESS_ADMIN, NO_INPUTS),
    FORM_POST("/admin/grades/{id}", api_admin_grade_edit, ACCESS_ADMIN, INPUTS(admin_grade_edit_inputs),
              page_admin_grade),
    /* the admin console's members (the same handlers as the API) */
    ROUTE("GET", "/admin/members", api_admin_members, ACCESS_ADMIN, INPUTS(admin_members_page_inputs)),
    ROUTE("GET", "/admin/members/{id}", api_admin_member, ACCESS_ADMIN, INPUTS(admin_member_page_inputs)),
    FORM_POST("/admin/members/{id}/withdraw", api_admin_member_withdraw, ACCESS_ADMIN, INPUTS(admin_member_page_inputs),
              api_admin_member),
    FORM_POST("/admin/members/{id}/erase", api_admin_member_erase, ACCESS_ADMIN, INPUTS(admin_member_page_inputs),
              api_admin_member),
    ROUTE("GET", "/api/v1/admin/dashboard", api_admin_dashboard, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/reviews/{id}/hide", api_admin_review_hide, ACCESS_ADMIN, INPUTS(admin_hide_inputs)),
    ROUTE("POST", "/api/v1/admin/reviews/{id}/unhide", api_admin_review_unhide, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("GET", "/api/v1/admin/sellers", api_admin_sellers, ACCESS_ADMIN, INPUTS(admin_sellers_inputs)),
    ROUTE("POST", "/api/v1/admin/sellers/{id}/suspend", api_admin_seller_suspend, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/sellers/{id}/reinstate", api_admin_seller_reinstate, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/brands/{id}/key", api_admin_brand_key, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/brands", api_admin_brand_create, ACCESS_ADMIN, INPUTS(admin_brand_create_inputs)),
    ROUTE("PATCH", "/api/v1/admin/brands/{id}", api_admin_brand_edit, ACCESS_ADMIN, INPUTS(admin_brand_edit_inputs)),
    ROUTE("POST", "/api/v1/admin/brands/{id}/deactivate", api_admin_brand_deactivate, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/brands/{id}/reactivate", api_admin_brand_reactivate, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/coupons", api_admin_coupon_issue, ACCESS_ADMIN, INPUTS(admin_coupon_inputs)),
    ROUTE("POST", "/api/v1/admin/coupons/{id}/revoke", api_admin_coupon_revoke, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("GET", "/api/v1/admin/members", api_admin_members, ACCESS_ADMIN, INPUTS(admin_members_inputs)),
    ROUTE("GET", "/api/v1/admin/members/{id}", api_admin_member, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/members/{id}/withdraw", api_admin_member_withdraw, ACCESS_ADMIN, NO_INPUTS),
    ROUTE("POST", "/api/v1/admin/members/{id}/erase", api_admin_member_erase, ACCESS_ADMIN, NO_INPUTS),

    /* product questions and answers: the product's (page and API), the asker's, the brand's */
    ROUTE("GET", "/products/{id}/questions", page_product_questions, ACCESS_GUEST, INPUTS(questions_inputs)),
    FORM_POST("/products/{id}/questions", question_submit, ACCESS_SHOPPER, INPUTS(question_inputs), page_product),
    ROUTE("GET", "/me/questions", page_my_questions, ACCESS_SHOPPER, INPUTS(my_questions_page_inputs)),
    ROUTE("GET", "/me/questions/{id}/edit", page_question_edit, ACCESS_SHOPPER, NO_INPUTS),
    FORM_POST("/me/questions/{id}", question_update_submit, ACCESS_SHOPPER, INPUTS(question_inputs),
              page_question_edit),
    FORM_POST("/me/questions/{id}/delete", question_delete_submit, ACCESS_SHOPPER, NO_INPUTS, my_questions_form),
    SHARED("/api/v1/products/{id}/questions", api_product_questions, INPUTS(questions_inputs)),
    ROUTE("POST", "/api/v1/products/{id}/questions", question_submit, ACCESS_SHOPPER, INPUTS(question_inputs)),
    SHARED("/api/v1/questions/{id}", api_question_get, NO_INPUTS),
    ROUTE("PATCH", "/api/v1/questions/{id}", question_update_submit, ACCESS_SHOPPER, INPUTS(question_patch_inputs)),
    ROUTE("DELETE", "/api/v1/questions/{id}", question_delete_submit, ACCESS_SHOPPER, NO_INPUTS),
    ROUTE("GET", "/api/v1/me/questions", page_my_questions, ACCESS_SHOPPER, INPUTS(questions_inputs)),
    ROUTE("GET", "/api/v1/seller/products", page_seller_products, ACCESS_SELLER, INPUTS(seller_products_inputs)),
    ROUTE("POST", "/api/v1/seller/products", seller_product_create, ACCESS_SELLER,
          INPUTS(seller_product_create_inputs)),
    ROUTE("GET", "/api/v1/seller/products/{id}", seller_product_form, ACCESS_SELLER, NO_INPUTS),
    ROUTE("PATCH", "/api/v1/seller/products/{id}", seller_product_update, ACCESS_SELLER,
          INPUTS(seller_product_patch_inputs)),
    ROUTE("DELETE", "/api/v1/seller/products/{id}", seller_product_delete, ACCESS_SELLER, NO_INPUTS),
    ROUTE("POST", "/api/v1/seller/products/{id}/variants", seller_variant_create, ACCESS_SELLER,
          INPUTS(seller_variant_create_inputs)),
    ROUTE("PATCH", "/api/v1/seller/products/{id}/variants/{vid}", seller_variant_update, ACCESS_SELLER,
          INPUTS(seller_variant_patch_inputs)),
    ROUTE("DELETE", "/api/v1/seller/products/{id}/variants/{vid}", seller_variant_delete, ACCESS_SELLER, NO_INPUTS),
    ROUTE("GET", "/api/v1/seller/questions", api_seller_questions, ACCESS_SELLER, INPUTS(seller_questions_inputs)),
    ROUTE("POST", "/api/v1/seller/questions/{id}/answer", api_seller_answer, ACCESS_SELLER, INPUTS(answer_inputs)),

    /* operations */
    ROUTE("GET", "/healthz", health_live, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/readyz", health_ready, ACCESS_GUEST, NO_INPUTS),
    ROUTE("GET", "/metrics", health_metrics, ACCESS_GUEST, NO_INPUTS),

    /* test-only: the input layer and process model through the real stack */
    TEST_ROUTE("GET", "/api/v1/test/echo/{id}", test_echo, INPUTS(echo_inputs)),
    TEST_ROUTE("POST", "/api/v1/test/echo/{id}", test_echo, INPUTS(echo_inputs)),
    TEST_ROUTE("GET", "/api/v1/test/sleep", test_sleep, INPUTS(sleep_inputs)),
};

const size_t routes_count = sizeof routes / sizeof routes[0];

size_t routes_index(const struct route *r)
{
	return (size_t)(r - routes);
}
