#include "db/sessions.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "util/config.h"

/* One probe of uq_sessions_token_hash, the account (with its body profile) and its grade by primary
 * key, and the cart's line count (kept on the cart by triggers: schema/018) through uq_carts_user:
 * the whole cost of knowing who is calling. */
static const char sql_find[] =
    "SELECT s.id, s.csrf_secret, s.last_seen_at < UTC_TIMESTAMP() - INTERVAL 60 SECOND,"
    " s.reauthenticated_at IS NOT NULL AND s.reauthenticated_at > UTC_TIMESTAMP() - INTERVAL 15 MINUTE,"
    " s.expires_at, s.user_id, s.seller_id,"
    " COALESCE(u.name, se.name), COALESCE(u.email, se.email),"
    " u.role, u.status, u.password_hash IS NOT NULL, u.kakao_id IS NOT NULL,"
    " c.line_count,"
    " se.status, se.brand_id, b.status = 'active', b.name,"
    " g.discount_percent, g.mileage_percent, u.mileage_balance,"
    " u.height_cm, u.weight_kg, u.upper_body_type, u.lower_body_type, u.likes_version, u.kept_sizes_version"
    " FROM sessions s"
    " LEFT JOIN users u ON u.id = s.user_id"
    " LEFT JOIN grades g ON g.id = u.grade_id"
    " LEFT JOIN carts c ON c.user_id = s.user_id"
    " LEFT JOIN sellers se ON se.id = s.seller_id"
    " LEFT JOIN brands b ON b.id = se.brand_id"
    " WHERE s.token_hash = ? AND s.kind = ? AND s.expires_at > UTC_TIMESTAMP()"
    " AND s.last_seen_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"
    " AND (s.user_id IS NULL OR u.status <> 'withdrawn')";

static enum status read_session(const struct db_row *row, void *ctx)
{
	struct session *s = ctx;
	char word[16];
	memset(s, 0, sizeof *s);
	s->id = db_int(row, 0);
	if (db_is_null(row, 1) || row->lens[1] != sizeof s->csrf_secret)
		return ST_ERROR;
	memcpy(s->csrf_secret, row->cols[1], sizeof s->csrf_secret);
	s->touch_due = db_int(row, 2) != 0;
	s->reauthenticated = db_int(row, 3) != 0;
	db_copy(row, 4, s->expires_at, sizeof s->expires_at);
	s->account = db_is_null(row, 5) ? ACCOUNT_SELLER : ACCOUNT_USER;
	s->account_id = db_int(row, s->account == ACCOUNT_USER ? 5 : 6);
	db_copy(row, 7, s->name, sizeof s->name);
	db_copy(row, 8, s->email, sizeof s->email);
	if (s->account == ACCOUNT_USER) {
		db_copy(row, 9, word, sizeof word);
		s->user_role = strcmp(word, "admin") == 0 ? USER_ADMIN : USER_SHOPPER;
		db_copy(row, 10, word, sizeof word);
		s->user_status = strcmp(word, "active") == 0 ? USER_ACTIVE : USER_PENDING;
		s->has_password = db_int(row, 11) != 0;
		s->has_kakao = db_int(row, 12) != 0;
		s->cart_count = db_int(row, 13);
		s->grade_discount_percent = (int)db_int(row, 18);
		s->grade_mileage_percent = (int)db_int(row, 19);
		s->mileage_balance = db_int(row, 20);
		s->body = (struct fit_shopper){(int)db_int(row, 21), (int)db_int(row, 22), (int)db_int(row, 23),
		                               (int)db_int(row, 24)}; /* db_int: 0 for NULL (not given) */
		s->likes_version = (unsigned long long)db_int(row, 25);
		s->kept_sizes_version = (unsigned long long)db_int(row, 26);
	} else {
		db_copy(row, 14, word, sizeof word);
		s->seller_status = strcmp(word, "active") == 0 ? SELLER_ACTIVE : SELLER_SUSPENDED;
		s->brand_id = db_int(row, 15);
		s->brand_active = db_int(row, 16) != 0;
		db_copy(row, 17, s->brand_name, sizeof s->brand_name);
		s->has_password = true;
	}
	return ST_OK;
}

static const char *kind_name(enum session_kind kind)
{
	return kind == SESSION_BEARER ? "bearer" : "cookie";
}

enum status db_session_find(const unsigned char token_hash[32], enum session_kind kind, long idle_seconds,
                            struct session *out)
{
	struct db_param p[] = {DB_BYTES(token_hash, 32), DB_TEXT(kind_name(kind)), DB_INT(idle_seconds)};
	out->id = 0;
	enum status st = db_query(sql_find, p, 3, read_session, out, NULL);
	if (st == ST_OK && out->id == 0)
		return ST_NOT_FOUND;
	out->kind = kind;
	return st;
}

enum status db_session_create(enum session_kind kind, enum account_kind account, long long account_id,
                              const unsigned char token_hash[32], const unsigned char csrf_secret[32], const char *ip,
                              const char *user_agent, long long *id)
{
	char agent[256] = "";
	if (user_agent) { /* the column holds 255 characters: keep the start, never cut a character */
		size_t n = strlen(user_agent);
		if (n > 255) {
			n = 255;
			while (n > 0 && ((unsigned char)user_agent[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(agent, user_agent, n);
		agent[n] = '\0';
	}
	/* The column is INET6: an IPv4 address is stored IPv4-mapped. */
	char address[64] = "";
	if (ip && strlen(ip) < 40)
		snprintf(address, sizeof address, "%s%s", strchr(ip, ':') ? "" : "::ffff:", ip);
	struct db_param p[] = {
	    DB_BYTES(token_hash, 32),
	    DB_TEXT(kind_name(kind)),
	    account == ACCOUNT_USER ? DB_INT(account_id) : DB_NULL,
	    account == ACCOUNT_SELLER ? DB_INT(account_id) : DB_NULL,
	    DB_BYTES(csrf_secret, 32),
	    address[0] ? DB_TEXT(address) : DB_NULL,
	    agent[0] ? DB_TEXT(agent) : DB_NULL,
	    DB_INT(config.session_max),
	};
	/* A session starts re-authenticated: the password was just entered. */
	enum status st =
	    db_query("INSERT INTO sessions (token_hash, kind, user_id, seller_id, csrf_secret, ip, user_agent,"
	             " reauthenticated_at, created_at, last_seen_at, expires_at)"
	             " VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP(),"
	             " UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	             p, sizeof p / sizeof *p, NULL, NULL, NULL);
	*id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

enum status db_session_touch(long long id)
{
	struct db_param p[] = {DB_INT(id)};
	return db_query("UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() WHERE id = ?", p, 1, NULL, NULL, NULL);
}

enum status db_session_reauthenticated(long long id)
{
	struct db_param p[] = {DB_INT(id)};
	return db_query("UPDATE sessions SET reauthenticated_at = UTC_TIMESTAMP() WHERE id = ?", p, 1, NULL, NULL,
	                NULL);
}

enum status db_session_delete(long long id)
{
	struct db_param p[] = {DB_INT(id)};
	return db_query("DELETE FROM sessions WHERE id = ?", p, 1, NULL, NULL, NULL);
}

enum status db_session_delete_others(enum account_kind account, long long account_id, long long keep_id)
{
	struct db_param p[] = {DB_INT(account_id), DB_INT(keep_id)};
	return db_query(account == ACCOUNT_USER ? "DELETE FROM sessions WHERE user_id = ? AND id <> ?"
	                                        : "DELETE FROM sessions WHERE seller_id = ? AND id <> ?",
	                p, 2, NULL, NULL, NULL);
}

enum status db_session_purge(unsigned long long *removed)
{
	return db_query("DELETE FROM sessions WHERE expires_at <= UTC_TIMESTAMP() LIMIT 10000", NULL, 0, NULL, NULL,
	                removed);
}
