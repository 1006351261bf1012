#include "db/users.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"

#define USER_COLUMNS                                                                                                   \
	"SELECT id, role, status, email, email_verified_at IS NOT NULL, password_hash, kakao_id, name,"                \
	" birth_date, gender, phone, postal_code, address, address_detail, preferred_style_id,"                        \
	" upper_body_type, lower_body_type, height_cm, weight_kg, grade_id, mileage_balance, created_at FROM users"

static const char sql_by_id[] = USER_COLUMNS " WHERE id = ?";
static const char sql_by_email[] = USER_COLUMNS " WHERE email = ?";
static const char sql_by_kakao[] = USER_COLUMNS " WHERE kakao_id = ?";

static enum status read_user(const struct db_row *row, void *ctx)
{
	struct user *u = ctx;
	char word[16];
	memset(u, 0, sizeof *u);
	u->id = db_int(row, 0);
	db_copy(row, 1, word, sizeof word);
	u->role = strcmp(word, "admin") == 0 ? USER_ADMIN : USER_SHOPPER;
	db_copy(row, 2, word, sizeof word);
	u->status = strcmp(word, "active") == 0    ? USER_ACTIVE
	            : strcmp(word, "pending") == 0 ? USER_PENDING
	                                           : USER_WITHDRAWN;
	db_copy(row, 3, u->email, sizeof u->email);
	u->email_verified = db_int(row, 4) != 0;
	db_copy(row, 5, u->password_hash, sizeof u->password_hash);
	u->kakao_id = db_int(row, 6);
	db_copy(row, 7, u->name, sizeof u->name);
	db_copy(row, 8, u->birth_date, sizeof u->birth_date);
	db_copy(row, 9, u->gender, sizeof u->gender);
	db_copy(row, 10, u->phone, sizeof u->phone);
	db_copy(row, 11, u->postal_code, sizeof u->postal_code);
	db_copy(row, 12, u->address, sizeof u->address);
	db_copy(row, 13, u->address_detail, sizeof u->address_detail);
	u->preferred_style_id = db_int(row, 14);
	u->upper_body_type = (int)db_int(row, 15);
	u->lower_body_type = (int)db_int(row, 16);
	u->height_cm = (int)db_int(row, 17);
	u->weight_kg = (int)db_int(row, 18);
	u->grade_id = db_int(row, 19);
	u->mileage_balance = db_int(row, 20);
	db_copy(row, 21, u->created_at, sizeof u->created_at);
	return ST_OK;
}

/* Runs a one-row user query; ST_NOT_FOUND when it finds nothing. */
static enum status one_user(const char *sql, struct db_param param, struct user *out)
{
	out->id = 0;
	enum status st = db_query(sql, &param, 1, read_user, out, NULL);
	if (st == ST_OK && out->id == 0)
		return ST_NOT_FOUND;
	return st;
}

enum status db_user_by_id(long long id, struct user *out)
{
	return one_user(sql_by_id, DB_INT(id), out);
}

enum status db_user_by_email(const char *email, struct user *out)
{
	return one_user(sql_by_email, DB_TEXT(email), out);
}

enum status db_user_by_kakao(long long kakao_id, struct user *out)
{
	return one_user(sql_by_kakao, DB_INT(kakao_id), out);
}

/* A YYYYMMDD date as the DATE text MariaDB reads, or NULL. */
static struct db_param date_param(long long yyyymmdd, char text[11])
{
	if (!yyyymmdd)
		return DB_NULL;
	snprintf(text, 11, "%04lld-%02lld-%02lld", yyyymmdd / 10000 % 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
	return DB_TEXT(text);
}

static struct db_param int_or_null(long long v)
{
	return v ? DB_INT(v) : DB_NULL;
}

enum status db_user_create(const char *email, const char *password_hash, const struct user_profile *p, long long *id)
{
	char birth[11];
	struct db_param params[] = {
	    DB_TEXT(email),
	    DB_TEXT(password_hash),
	    DB_TEXT(p->name),
	    date_param(p->birth_date, birth),
	    DB_TEXT_OR_NULL(p->gender),
	    DB_TEXT_OR_NULL(p->phone),
	    DB_TEXT_OR_NULL(p->postal_code),
	    DB_TEXT_OR_NULL(p->address),
	    DB_TEXT_OR_NULL(p->address_detail),
	    int_or_null(p->preferred_style_id),
	    int_or_null(p->upper_body_type),
	    int_or_null(p->lower_body_type),
	    int_or_null(p->height_cm),
	    int_or_null(p->weight_kg),
	};
	enum status st =
	    db_query("INSERT INTO users (role, status, email, password_hash, name, birth_date, gender, phone,"
	             " postal_code, address, address_detail, preferred_style_id, upper_body_type,"
	             " lower_body_type, height_cm, weight_kg)"
	             " VALUES ('shopper', 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	             params, sizeof params / sizeof *params, NULL, NULL, NULL);
	*id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_user_create_kakao(long long kakao_id, const char *nickname, long long *id)
{
	struct db_param params[] = {DB_INT(kakao_id), DB_TEXT_OR_NULL(nickname)};
	enum status st =
	    db_query("INSERT INTO users (role, status, kakao_id, name) VALUES ('shopper', 'pending', ?, ?)", params, 2,
	             NULL, NULL, NULL);
	*id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_user_create_admin(const char *email, const char *password_hash, const char *name, long long *id)
{
	struct db_param params[] = {DB_TEXT(email), DB_TEXT(password_hash), DB_TEXT(name)};
	enum status st = db_query("INSERT INTO users (role, status, email, email_verified_at, password_hash, name)"
	                          " VALUES ('admin', 'active', ?, UTC_TIMESTAMP(), ?, ?)",
	                          params, 3, NULL, NULL, NULL);
	*id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_user_update_profile(long long id, const struct user_profile *p)
{
	/* COALESCE keeps a column whose new value is not given (NULL). */
	char birth[11];
	struct db_param params[] = {
	    DB_TEXT_OR_NULL(p->name),
	    date_param(p->birth_date, birth),
	    DB_TEXT_OR_NULL(p->gender),
	    DB_TEXT_OR_NULL(p->phone),
	    DB_TEXT_OR_NULL(p->postal_code),
	    DB_TEXT_OR_NULL(p->address),
	    p->address_detail ? DB_TEXT(p->address_detail) : DB_NULL,
	    int_or_null(p->preferred_style_id),
	    int_or_null(p->upper_body_type),
	    int_or_null(p->lower_body_type),
	    int_or_null(p->height_cm),
	    int_or_null(p->weight_kg),
	    DB_INT(id),
	};
	return db_query(
	    "UPDATE users SET name = COALESCE(?, name), birth_date = COALESCE(?, birth_date),"
	    " gender = COALESCE(?, gender), phone = COALESCE(?, phone),"
	    " postal_code = COALESCE(?, postal_code), address = COALESCE(?, address),"
	    " address_detail = COALESCE(?, address_detail),"
	    " preferred_style_id = COALESCE(?, preferred_style_id),"
	    " upper_body_type = COALESCE(?, upper_body_type), lower_body_type = COALESCE(?, lower_body_type),"
	    " height_cm = COALESCE(?, height_cm), weight_kg = COALESCE(?, weight_kg)"
	    " WHERE id = ? AND status <> 'withdrawn'",
	    params, sizeof params / sizeof *params, NULL, NULL, NULL);
}

enum status db_user_set_password(long long id, const char *password_hash)
{
	struct db_param params[] = {DB_TEXT(password_hash), DB_INT(id)};
	return db_query(
	    "UPDATE users SET password_hash = ? WHERE id = ? AND status <> 'withdrawn' AND email IS NOT NULL", params,
	    2, NULL, NULL, NULL);
}

enum status db_user_logged_in(long long id)
{
	struct db_param params[] = {DB_INT(id)};
	return db_query("UPDATE users SET last_login_at = UTC_TIMESTAMP() WHERE id = ?", params, 1, NULL, NULL, NULL);
}

enum status db_user_activate(long long id, bool email_proven)
{
	struct db_param params[] = {DB_INT(id)}, activate[] = {DB_INT(email_proven), DB_INT(id)};
	unsigned long long changed = 0;
	enum status st = db_query("UPDATE users SET status = 'active', email_verified_at = COALESCE(email_verified_at,"
	                          " IF(? AND email IS NOT NULL, UTC_TIMESTAMP(), NULL))"
	                          " WHERE id = ? AND status = 'pending' AND role = 'shopper'",
	                          activate, 2, NULL, NULL, &changed);
	if (st != ST_OK)
		return st;
	if (changed == 0)
		return ST_NOT_FOUND;
	/* The two welcome coupons of the original shop; the unique (user_id, welcome_kind) key makes
	 * "once per account" true even if activation ran twice. Names in Korean, the shop's language;
	 * the month is Korea's (UTC+9). */
	st = db_query(
	    "INSERT INTO coupons (user_id, name, discount_percent, min_line_amount, valid_from, valid_until,"
	    " welcome_kind) VALUES"
	    " (?, '회원가입 감사 10% 쿠폰', 10, 0, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 2 MONTH, 'signup')"
	    " ON DUPLICATE KEY UPDATE id = id",
	    params, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("INSERT INTO coupons (user_id, name, discount_percent, min_line_amount, valid_from,"
		              " valid_until, welcome_kind) VALUES"
		              " (?, CONCAT(MONTH(UTC_TIMESTAMP() + INTERVAL 9 HOUR), '월 LONUA 정기 15% 쿠폰'), 15, 0,"
		              " UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 MONTH, 'first_month')"
		              " ON DUPLICATE KEY UPDATE id = id",
		              params, 1, NULL, NULL, NULL);
	return st;
}

struct complete_tx {
	long long id;
	const char *email;
	const struct user_profile *p;
};

static enum status complete_kakao_tx(void *ctx)
{
	struct complete_tx *t = ctx;
	const struct user_profile *p = t->p;
	char birth[11];
	struct db_param params[] = {
	    DB_TEXT_OR_NULL(t->email),
	    DB_TEXT(p->name),
	    date_param(p->birth_date, birth),
	    DB_TEXT(p->gender),
	    DB_TEXT(p->phone),
	    DB_TEXT(p->postal_code),
	    DB_TEXT(p->address),
	    DB_TEXT(p->address_detail ? p->address_detail : ""),
	    int_or_null(p->preferred_style_id),
	    DB_INT(p->upper_body_type),
	    DB_INT(p->lower_body_type),
	    int_or_null(p->height_cm),
	    int_or_null(p->weight_kg),
	    DB_INT(t->id),
	};
	unsigned long long changed = 0;
	enum status st = db_query("UPDATE users SET email = ?, name = ?, birth_date = ?, gender = ?, phone = ?,"
	                          " postal_code = ?, address = ?, address_detail = ?, preferred_style_id = ?,"
	                          " upper_body_type = ?, lower_body_type = ?, height_cm = ?, weight_kg = ?"
	                          " WHERE id = ? AND status = 'pending' AND kakao_id IS NOT NULL",
	                          params, sizeof params / sizeof *params, NULL, NULL, &changed);
	if (st == ST_OK && changed == 0)
		return ST_NOT_FOUND;
	return st == ST_OK ? db_user_activate(t->id, false) : st;
}

enum status db_user_complete_kakao(long long id, const char *email, const struct user_profile *p)
{
	struct complete_tx t = {id, email, p};
	return db_transaction(complete_kakao_tx, &t, 3);
}

static enum status withdraw_tx(void *ctx)
{
	struct db_param params[] = {DB_INT(*(long long *)ctx)};
	unsigned long long changed = 0;
	enum status st = db_query("UPDATE users SET status = 'withdrawn', withdrawn_at = UTC_TIMESTAMP(), email = NULL,"
	                          " phone = NULL, kakao_id = NULL, password_hash = NULL, birth_date = NULL,"
	                          " postal_code = NULL, address = NULL, address_detail = NULL, height_cm = NULL,"
	                          " weight_kg = NULL WHERE id = ? AND role = 'shopper' AND status <> 'withdrawn'",
	                          params, 1, NULL, NULL, &changed);
	if (st == ST_OK && changed == 0)
		return ST_NOT_FOUND;
	if (st == ST_OK)
		st = db_query("DELETE FROM sessions WHERE user_id = ?", params, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("DELETE FROM email_verification_tokens WHERE user_id = ?", params, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("DELETE FROM password_reset_tokens WHERE user_id = ?", params, 1, NULL, NULL, NULL);
	if (st == ST_OK)
		st = db_query("DELETE FROM carts WHERE user_id = ?", params, 1, NULL, NULL, NULL);
	return st;
}

enum status db_user_withdraw(long long id)
{
	return db_transaction(withdraw_tx, &id, 3);
}

static enum status read_count(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

enum status db_user_coupons_available(long long id, long long *count)
{
	struct db_param params[] = {DB_INT(id)};
	*count = 0;
	return db_query("SELECT COUNT(*) FROM coupons WHERE user_id = ? AND state = 'available'"
	                " AND valid_from <= UTC_TIMESTAMP() AND valid_until > UTC_TIMESTAMP()",
	                params, 1, read_count, count, NULL);
}
