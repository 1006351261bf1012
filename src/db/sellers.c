#include "db/sellers.h"

#include <string.h>

#include "db/db.h"

#define SELLER_COLUMNS                                                                                                 \
	"SELECT s.id, s.brand_id, b.name, b.status = 'active', s.status, s.email, s.password_hash, s.name,"            \
	" s.phone, s.created_at FROM sellers s JOIN brands b ON b.id = s.brand_id"

static const char sql_by_id[] = SELLER_COLUMNS " WHERE s.id = ?";
static const char sql_by_email[] = SELLER_COLUMNS " WHERE s.email = ?";

static enum status read_seller(const struct db_row *row, void *ctx)
{
	struct seller *s = ctx;
	char word[16];
	memset(s, 0, sizeof *s);
	s->id = db_int(row, 0);
	s->brand_id = db_int(row, 1);
	db_copy(row, 2, s->brand_name, sizeof s->brand_name);
	s->brand_active = db_int(row, 3) != 0;
	db_copy(row, 4, word, sizeof word);
	s->status = strcmp(word, "active") == 0 ? SELLER_ACTIVE : SELLER_SUSPENDED;
	db_copy(row, 5, s->email, sizeof s->email);
	db_copy(row, 6, s->password_hash, sizeof s->password_hash);
	db_copy(row, 7, s->name, sizeof s->name);
	db_copy(row, 8, s->phone, sizeof s->phone);
	db_copy(row, 9, s->created_at, sizeof s->created_at);
	return ST_OK;
}

static enum status one_seller(const char *sql, struct db_param param, struct seller *out)
{
	out->id = 0;
	enum status st = db_query(sql, &param, 1, read_seller, out, NULL);
	return st == ST_OK && out->id == 0 ? ST_NOT_FOUND : st;
}

enum status db_seller_by_id(long long id, struct seller *out)
{
	return one_seller(sql_by_id, DB_INT(id), out);
}

enum status db_seller_by_email(const char *email, struct seller *out)
{
	return one_seller(sql_by_email, DB_TEXT(email), out);
}

enum status db_seller_create(long long brand_id, const char *email, const char *password_hash, const char *name,
                             const char *phone, long long *id)
{
	struct db_param p[] = {DB_INT(brand_id), DB_TEXT(email), DB_TEXT(password_hash), DB_TEXT(name),
	                       DB_TEXT_OR_NULL(phone)};
	enum status st = db_query("INSERT INTO sellers (brand_id, email, password_hash, name, phone, status)"
	                          " VALUES (?, ?, ?, ?, ?, 'active')",
	                          p, 5, NULL, NULL, NULL);
	*id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_seller_set_password(long long id, const char *password_hash)
{
	struct db_param p[] = {DB_TEXT(password_hash), DB_INT(id)};
	return db_query("UPDATE sellers SET password_hash = ? WHERE id = ?", p, 2, NULL, NULL, NULL);
}

enum status db_seller_logged_in(long long id)
{
	struct db_param p[] = {DB_INT(id)};
	return db_query("UPDATE sellers SET last_login_at = UTC_TIMESTAMP() WHERE id = ?", p, 1, NULL, NULL, NULL);
}

enum status db_seller_delete(long long id)
{
	struct db_param p[] = {DB_INT(id)};
	unsigned long long changed = 0;
	enum status st = db_query("DELETE FROM sellers WHERE id = ?", p, 1, NULL, NULL, &changed);
	return st == ST_OK && changed == 0 ? ST_NOT_FOUND : st;
}
