#include "db/sessions.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "util/config.h"

/* The session's own columns, first in both statements below, and the conditions of a live session. */
#define SQL_SESSION_COLUMNS                                                                                            \
	"SELECT s.id, s.csrf_secret, s.last_seen_at < UTC_TIMESTAMP() - INTERVAL 60 SECOND,"                           \
	" s.reauthenticated_at IS NOT NULL AND s.reauthenticated_at > UTC_TIMESTAMP() - INTERVAL 15 MINUTE,"           \
	" s.expires_at, s.account_stamp"
#define SQL_SESSION_LIVE                                                                                               \
	" WHERE s.token_hash = ? AND s.kind = ? AND s.expires_at > UTC_TIMESTAMP()"                                    \
	" AND s.last_seen_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"
enum { SESSION_NCOLUMNS = 6 };

/* One probe of uq_sessions_token_hash, the account (with its body profile) and its grade by primary
 * key, and the cart's line count (kept on the cart by triggers: schema/018) through uq_carts_user:
 * the whole of knowing who is calling, when this process does not keep the session's account. */
static const char sql_find[] = SQL_SESSION_COLUMNS
    ", s.user_id, s.seller_id,"
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
    " LEFT JOIN brands b ON b.id = se.brand_id" SQL_SESSION_LIVE " AND (s.user_id IS NULL OR u.status <> 'withdrawn')";

/* The session's own row alone, through uq_sessions_token_hash: enough when this process keeps its
 * account at the same account_stamp (schema/024 moves it with every change to what sql_find reads
 * of the account). */
static const char sql_find_kept[] = SQL_SESSION_COLUMNS " FROM sessions s" SQL_SESSION_LIVE;

/* The session's own columns, which sql_find and sql_find_kept both begin with; sql_find_kept's row
 * is read over a copy of the kept session. */
static enum status read_session_columns(const struct db_row *row, void *ctx)
{
	struct session *s = ctx;
	if (db_is_null(row, 1) || row->lens[1] != sizeof s->csrf_secret)
		return ST_ERROR;
	memcpy(s->csrf_secret, row->cols[1], sizeof s->csrf_secret);
	s->id = db_int(row, 0);
	s->touch_due = db_int(row, 2) != 0;
	s->reauthenticated = db_int(row, 3) != 0;
	db_copy(row, 4, s->expires_at, sizeof s->expires_at);
	s->account_stamp = (unsigned long long)db_int(row, 5);
	return ST_OK;
}

static enum status read_session(const struct db_row *row, void *ctx)
{
	struct session *s = ctx;
	char word[16];
	memset(s, 0, sizeof *s);
	if (read_session_columns(row, s) != ST_OK)
		return ST_ERROR;
	enum { C = SESSION_NCOLUMNS }; /* the account's columns follow the session's */
	s->account = db_is_null(row, C) ? ACCOUNT_SELLER : ACCOUNT_USER;
	s->account_id = db_int(row, s->account == ACCOUNT_USER ? C : C + 1);
	db_copy(row, C + 2, s->name, sizeof s->name);
	db_copy(row, C + 3, s->email, sizeof s->email);
	if (s->account == ACCOUNT_USER) {
		db_copy(row, C + 4, word, sizeof word);
		s->user_role = strcmp(word, "admin") == 0 ? USER_ADMIN : USER_SHOPPER;
		db_copy(row, C + 5, word, sizeof word);
		s->user_status = strcmp(word, "active") == 0 ? USER_ACTIVE : USER_PENDING;
		s->has_password = db_int(row, C + 6) != 0;
		s->has_kakao = db_int(row, C + 7) != 0;
		s->cart_count = db_int(row, C + 8);
		s->grade_discount_percent = (int)db_int(row, C + 13);
		s->grade_mileage_percent = (int)db_int(row, C + 14);
		s->mileage_balance = db_int(row, C + 15);
		s->body =
		    (struct fit_shopper){(int)db_int(row, C + 16), (int)db_int(row, C + 17), (int)db_int(row, C + 18),
		                         (int)db_int(row, C + 19)}; /* db_int: 0 for NULL (not given) */
		s->likes_version = (unsigned long long)db_int(row, C + 20);
		s->kept_sizes_version = (unsigned long long)db_int(row, C + 21);
	} else {
		db_copy(row, C + 9, word, sizeof word);
		s->seller_status = strcmp(word, "active") == 0 ? SELLER_ACTIVE : SELLER_SUSPENDED;
		s->brand_id = db_int(row, C + 10);
		s->brand_active = db_int(row, C + 11) != 0;
		db_copy(row, C + 12, s->brand_name, sizeof s->brand_name);
		s->has_password = true;
	}
	return ST_OK;
}

static const char *kind_name(enum session_kind kind)
{
	return kind == SESSION_BEARER ? "bearer" : "cookie";
}

/* The sessions this process read last, each with its token's hash and the account as read at its
 * account_stamp: one for each value of the hash's first byte (the SHA-256 of a random token, so
 * spread evenly), the last read replacing the one before. */
static struct kept_session {
	unsigned char token_hash[32];
	struct session session; /* id 0: an empty slot */
} kept_sessions[256];

enum status db_session_find(const unsigned char token_hash[32], enum session_kind kind, long idle_seconds,
                            struct session *out)
{
	struct db_param p[] = {DB_BYTES(token_hash, 32), DB_TEXT(kind_name(kind)), DB_INT(idle_seconds)};
	struct kept_session *k = &kept_sessions[token_hash[0]];
	bool known = k->session.id != 0 && k->session.kind == kind && memcmp(k->token_hash, token_hash, 32) == 0;
	enum status st;
	if (known) {
		*out = k->session;
		out->id = 0;
		st = db_query(sql_find_kept, p, 3, read_session_columns, out, NULL);
		if (st != ST_OK || out->id == 0) {
			k->session.id = 0;
			return st == ST_OK ? ST_NOT_FOUND : st;
		}
		if (out->id == k->session.id && out->account_stamp == k->session.account_stamp)
			return ST_OK;
	}
	out->id = 0;
	st = db_query(sql_find, p, 3, read_session, out, NULL);
	if (st == ST_OK && out->id == 0)
		st = ST_NOT_FOUND;
	out->kind = kind;
	k->session.id = 0;
	if (st == ST_OK) {
		memcpy(k->token_hash, token_hash, 32);
		k->session = *out;
	}
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
