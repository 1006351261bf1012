#include "db/db.h"

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define STMT_CACHE_MAX        128
#define REPLICA_RETRY_SECONDS 10

struct cached_stmt {
	const char *sql; /* the literal's address is the key */
	MYSQL_STMT *stmt;
	unsigned long last_used; /* use_clock when last handed out: the least recent is evicted */
	bool busy;               /* executing or fetching (a row_fn may run a nested query) */
};

/* A connection and its prepared statements: the primary, and the optional read replica
 * (LONUA_DB_REPLICA_HOST) that db_read() sends the catalogue's reads to. */
struct link {
	MYSQL *conn;
	struct cached_stmt cache[STMT_CACHE_MAX];
	size_t ncached;
	unsigned long use_clock;
	bool is_replica;
};
static struct link primary, replica = {.is_replica = true};
static double replica_retry_at; /* after a failed connect, the replica is left alone until then */
static bool in_transaction;
static unsigned long reconnects;
static bool ever_connected;
static long long last_insert_id;
static char conflict_key[65];
void (*db_on_reconnect)(void);

unsigned long db_reconnect_count(void)
{
	return reconnects;
}

/* True for the errors that mean the connection itself is gone. */
static bool connection_lost(unsigned int err)
{
	return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST || err == ER_CONNECTION_KILLED ||
	       err == CR_CONNECTION_ERROR || err == CR_CONN_HOST_ERROR || err == 4031;
}

/* How many times a statement run outside a transaction is run again after losing a deadlock. */
#define STATEMENT_DEADLOCK_RERUNS 2

static bool retryable(unsigned int err)
{
	return err == ER_LOCK_DEADLOCK || err == ER_LOCK_WAIT_TIMEOUT;
}

static MYSQL *connect_to(const char *host, int port, const char *socket, bool multi_statements);

MYSQL *db_connect_new(bool multi_statements)
{
	return connect_to(config.db_host, config.db_port, config.db_socket, multi_statements);
}

static MYSQL *connect_to(const char *host, int port, const char *socket, bool multi_statements)
{
	MYSQL *m = mysql_init(NULL);
	if (!m)
		return NULL;
	/* A request's statement answers within the minute; a migration's (the multi-statement
	 * connection) may rebuild a table of millions of rows: hours, not a lost connection at 60 s. */
	unsigned int connect_timeout = 5, io_timeout = multi_statements ? 6 * 3600 : 60;
	my_bool off = 0;
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
	mysql_options(m, MYSQL_OPT_RECONNECT, &off); /* we reconnect ourselves, and re-prepare */
	/* UTC everywhere, and strict modes so bad data is an error rather than a silent change. */
	mysql_options(m, MYSQL_INIT_COMMAND,
	              "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
	              "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY'");
	/* A bound on every statement of `lonua serve` (main.c sets it to 0 for the other commands, and
	 * migrations run multi-statement): a statement that runs or waits on a lock longer is stopped
	 * by the server and answers 503 (ST_UNAVAILABLE) instead of pinning the worker. */
	char limit[64];
	if (!multi_statements && config.db_statement_timeout_ms > 0) {
		snprintf(limit, sizeof limit, "SET SESSION max_statement_time = %ld.%03ld",
		         config.db_statement_timeout_ms / 1000, config.db_statement_timeout_ms % 1000);
		mysql_options(m, MYSQL_INIT_COMMAND, limit);
	}
	unsigned long flags = multi_statements ? CLIENT_MULTI_STATEMENTS : 0;
	if (!mysql_real_connect(m, socket ? NULL : host, config.db_user, config.db_password, config.db_name,
	                        (unsigned int)port, socket, flags)) {
		/* The message names host and user, never the password. */
		log_error("database connect failed: %s", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

static void link_close(struct link *l)
{
	for (size_t i = 0; i < l->ncached; i++)
		mysql_stmt_close(l->cache[i].stmt);
	l->ncached = 0;
	if (l->conn)
		mysql_close(l->conn);
	l->conn = NULL;
}

/* Closes link l's prepared statement for sql, if it has one that is not running. */
static void link_forget(struct link *l, const char *sql)
{
	for (size_t i = 0; i < l->ncached; i++) {
		if (l->cache[i].sql == sql && !l->cache[i].busy) {
			mysql_stmt_close(l->cache[i].stmt);
			l->cache[i] = l->cache[--l->ncached];
			return;
		}
	}
}

void db_forget(const char *sql)
{
	link_forget(&primary, sql);
	link_forget(&replica, sql);
}

/* Forgets the statements of both connections and closes them. */
void db_close(void)
{
	link_close(&primary);
	link_close(&replica);
	in_transaction = false;
}

/* The link's connection, opened if needed; NULL when the server cannot be reached. */
static MYSQL *link_connection(struct link *l)
{
	if (l->conn)
		return l->conn;
	if (l->is_replica) {
		if (now_seconds() < replica_retry_at)
			return NULL;
		l->conn = connect_to(config.db_replica_host, config.db_replica_port, config.db_replica_socket, false);
		if (!l->conn) {
			replica_retry_at = now_seconds() + REPLICA_RETRY_SECONDS;
			log_warn("read replica unreachable: the catalogue reads the primary for %d s",
			         REPLICA_RETRY_SECONDS);
		}
		return l->conn;
	}
	l->conn = db_connect_new(false);
	if (l->conn && ever_connected) {
		reconnects++;
		if (db_on_reconnect)
			db_on_reconnect();
		log_warn("database connection re-opened");
	}
	if (l->conn)
		ever_connected = true;
	return l->conn;
}

MYSQL *db_connection(void)
{
	return link_connection(&primary);
}

/* The cached statement for sql, prepared now if needed; NULL with *err set on failure.
 * When the cache is full the least recently used statement that is not running is closed to
 * make room, so a program with more distinct statements than STMT_CACHE_MAX (the catalogue's
 * listing shapes) re-prepares the rare ones instead of leaking a statement per call. */
static struct cached_stmt *statement(struct link *l, const char *sql, unsigned int *err)
{
	struct cached_stmt *cache = l->cache;
	for (size_t i = 0; i < l->ncached; i++) {
		if (cache[i].sql == sql) {
			cache[i].last_used = ++l->use_clock;
			return &cache[i];
		}
	}
	struct cached_stmt *slot = NULL;
	if (l->ncached < STMT_CACHE_MAX) {
		slot = &cache[l->ncached];
	} else {
		for (size_t i = 0; i < l->ncached; i++)
			if (!cache[i].busy && (!slot || cache[i].last_used < slot->last_used))
				slot = &cache[i];
		if (!slot) { /* every statement is running (nested row callbacks): cannot happen in practice */
			log_error("statement cache full of running statements; raise STMT_CACHE_MAX");
			*err = CR_OUT_OF_MEMORY;
			return NULL;
		}
	}
	MYSQL_STMT *st = mysql_stmt_init(l->conn);
	if (!st) {
		*err = CR_OUT_OF_MEMORY;
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		*err = mysql_stmt_errno(st);
		if (!connection_lost(*err))
			log_error("prepare failed (%u): %s", *err, mysql_stmt_error(st));
		mysql_stmt_close(st);
		return NULL;
	}
	my_bool on = 1;
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	if (slot == &cache[l->ncached])
		l->ncached++;
	else
		mysql_stmt_close(slot->stmt); /* evicted */
	*slot = (struct cached_stmt){sql, st, ++l->use_clock, false};
	return slot;
}

/* Fetches every row of an executed statement into row_fn. Returns ST_OK, row_fn's result, or ST_ERROR. */
static enum status fetch_rows(MYSQL_STMT *st, db_row_fn row_fn, void *ctx)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	if (!meta)
		return 0;
	enum status rc = ST_OK;
	if (mysql_stmt_store_result(st) != 0) {
		/* A SELECT's rows are made while they are read: the time limit and a server that goes
		 * away can stop it here, after execute succeeded. Both are 503s, not bugs. */
		unsigned int err = mysql_stmt_errno(st);
		bool unavailable = err == ER_STATEMENT_TIMEOUT || connection_lost(err);
		if (unavailable)
			log_warn("reading a result failed (%u): %s; answering 503", err, mysql_stmt_error(st));
		else
			log_error("store result failed: %s", mysql_stmt_error(st));
		mysql_free_result(meta);
		return unavailable ? ST_UNAVAILABLE : ST_ERROR;
	}
	unsigned int n = mysql_num_fields(meta);
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	MYSQL_BIND *bind = xcalloc(n, sizeof *bind);
	char **bufs = xcalloc(n, sizeof *bufs);
	unsigned long *lens = xcalloc(n, sizeof *lens);
	my_bool *nulls = xcalloc(n, sizeof *nulls);
	const char **cols = xcalloc(n, sizeof *cols);
	for (unsigned int i = 0; i < n; i++) {
		/* Every column comes back as text; numbers and dates fit in 80 bytes. */
		unsigned long size = fields[i].max_length > 80 ? fields[i].max_length : 80;
		bufs[i] = xmalloc(size + 1);
		bind[i].buffer_type = MYSQL_TYPE_STRING;
		bind[i].buffer = bufs[i];
		bind[i].buffer_length = size;
		bind[i].length = &lens[i];
		bind[i].is_null = &nulls[i];
	}
	if (mysql_stmt_bind_result(st, bind) != 0) {
		log_error("bind result failed: %s", mysql_stmt_error(st));
		rc = ST_ERROR;
	}
	bool rebind = false;
	while (rc == ST_OK) {
		int f = mysql_stmt_fetch(st);
		if (f == MYSQL_NO_DATA)
			break;
		if (f == 1) {
			log_error("fetch failed: %s", mysql_stmt_error(st));
			rc = ST_ERROR;
			break;
		}
		for (unsigned int i = 0; i < n; i++) {
			if (nulls[i]) {
				cols[i] = NULL;
				continue;
			}
			if (lens[i] > bind[i].buffer_length) { /* truncated: fetch the column whole */
				bufs[i] = xrealloc(bufs[i], lens[i] + 1);
				bind[i].buffer = bufs[i];
				bind[i].buffer_length = lens[i];
				mysql_stmt_fetch_column(st, &bind[i], i, 0);
				/* the library keeps its own copy of the binds: the next fetch must not write
				 * into the buffer just freed */
				rebind = true;
			}
			bufs[i][lens[i]] = '\0';
			cols[i] = bufs[i];
		}
		if (rebind && mysql_stmt_bind_result(st, bind) != 0) {
			log_error("bind result failed: %s", mysql_stmt_error(st));
			rc = ST_ERROR;
		}
		rebind = false;
		struct db_row row = {n, cols, lens};
		if (rc == ST_OK && row_fn)
			rc = row_fn(&row, ctx);
	}
	mysql_stmt_free_result(st);
	for (unsigned int i = 0; i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(bind);
	free(lens);
	free(nulls);
	free(cols);
	mysql_free_result(meta);
	return rc;
}

long long db_int(const struct db_row *row, size_t col)
{
	return col < row->ncols && row->cols[col] ? strtoll(row->cols[col], NULL, 10) : 0;
}

bool db_is_null(const struct db_row *row, size_t col)
{
	return col >= row->ncols || !row->cols[col];
}

void db_copy(const struct db_row *row, size_t col, char *out, size_t size)
{
	size_t n = col < row->ncols && row->cols[col] ? row->lens[col] : 0;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)row->cols[col][n] & 0xC0) == 0x80)
			n--; /* do not cut a character in two */
	}
	if (n)
		memcpy(out, row->cols[col], n);
	out[n] = '\0';
}

static enum status read_lock_result(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_is_null(row, 0) ? -1 : db_int(row, 0);
	return ST_OK;
}

enum status db_lock_try(const char *name, bool *got)
{
	long long r = -1;
	struct db_param p = DB_TEXT(name);
	enum status st = db_query("SELECT GET_LOCK(?, 0)", &p, 1, read_lock_result, &r, NULL);
	*got = st == ST_OK && r == 1;
	return st;
}

void db_lock_release(const char *name)
{
	struct db_param p = DB_TEXT(name);
	db_query("SELECT RELEASE_LOCK(?)", &p, 1, NULL, NULL, NULL);
}

long long db_insert_id(void)
{
	return last_insert_id;
}

const char *db_conflict_key(void)
{
	return conflict_key;
}

/* Remembers the key named in a duplicate-entry message ("Duplicate entry '...' for key
 * 'uq_users_email'"); the message itself holds the value, which is never logged. */
static enum status duplicate(const char *message)
{
	const char *k = strstr(message, "for key '");
	conflict_key[0] = '\0';
	if (k) {
		k += 9;
		size_t n = strcspn(k, "'");
		const char *dot = memchr(k, '.', n); /* MariaDB may prefix the table: 'users.uq_users_email' */
		if (dot) {
			n -= (size_t)(dot + 1 - k);
			k = dot + 1;
		}
		snprintf(conflict_key, sizeof conflict_key, "%.*s", (int)n, k);
	}
	return ST_CONFLICT;
}

/* Fills bind (DB_MAX_PARAMS entries) for params; false (logged) when the statement wants another count. */
static bool bind_params(MYSQL_STMT *st, const struct db_param *params, size_t nparams, MYSQL_BIND *bind)
{
	if (nparams > DB_MAX_PARAMS || mysql_stmt_param_count(st) != nparams) {
		log_error("statement expects %lu parameters, given %zu", (unsigned long)mysql_stmt_param_count(st),
		          nparams);
		return false;
	}
	/* The client library never writes input buffers; its API just lacks const. */
	memset(bind, 0, DB_MAX_PARAMS * sizeof *bind);
	for (size_t i = 0; i < nparams; i++) {
		switch (params[i].type) {
		case DB_PARAM_INT:
			bind[i].buffer_type = MYSQL_TYPE_LONGLONG;
			bind[i].buffer = (void *)(uintptr_t)&params[i].i;
			break;
		case DB_PARAM_TEXT:
			bind[i].buffer_type = MYSQL_TYPE_STRING;
			bind[i].buffer = (void *)(uintptr_t)params[i].s;
			bind[i].buffer_length = params[i].len;
			break;
		case DB_PARAM_NULL: bind[i].buffer_type = MYSQL_TYPE_NULL; break;
		}
	}
	return true;
}

db_explain_fn db_explain_hook;
void *db_explain_ctx;

static enum status explain_row(const struct db_row *row, void *ctx)
{
	db_explain_hook(ctx, row, db_explain_ctx);
	return ST_OK;
}

/* The EXPLAIN mode of the tests: the plan of sql with its parameters, row by row, to the hook. */
static enum status explain(const char *sql, const struct db_param *params, size_t nparams)
{
	if (!db_connection())
		return ST_UNAVAILABLE;
	struct buf text = BUF_INIT;
	buf_printf(&text, "EXPLAIN %s", sql);
	MYSQL_STMT *st = mysql_stmt_init(primary.conn);
	MYSQL_BIND bind[DB_MAX_PARAMS];
	enum status rc = ST_ERROR;
	my_bool on = 1;
	if (st)
		mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on); /* buffers as long as the longest value */
	if (st && mysql_stmt_prepare(st, text.data, text.len) == 0 && bind_params(st, params, nparams, bind) &&
	    (nparams == 0 || mysql_stmt_bind_param(st, bind) == 0) && mysql_stmt_execute(st) == 0)
		rc = fetch_rows(st, explain_row, (void *)(uintptr_t)sql);
	else
		log_error("EXPLAIN failed: %s: %.200s", st ? mysql_stmt_error(st) : "no statement", sql);
	if (st)
		mysql_stmt_close(st);
	buf_free(&text);
	return rc;
}

/* Runs sql on link l (see db_query). */
static enum status run(struct link *l, const char *sql, const struct db_param *params, size_t nparams, db_row_fn row_fn,
                       void *ctx, unsigned long long *affected)
{
	int reopened = 0, deadlocks = 0;
	for (;;) {
		if (!link_connection(l))
			return ST_UNAVAILABLE;
		unsigned int err = 0;
		struct cached_stmt *cs = statement(l, sql, &err);
		if (cs) {
			MYSQL_STMT *st = cs->stmt;
			MYSQL_BIND bind[DB_MAX_PARAMS];
			if (!bind_params(st, params, nparams, bind))
				return ST_ERROR;
			if ((nparams && mysql_stmt_bind_param(st, bind) != 0) || mysql_stmt_execute(st) != 0)
				err = mysql_stmt_errno(st);
			if (!err) {
				/* cs stays valid: a nested query in row_fn never evicts a busy entry, and the
				 * cache array itself never moves. */
				cs->busy = true;
				enum status rc = fetch_rows(st, row_fn, ctx);
				cs->busy = false;
				if (affected)
					*affected = mysql_stmt_affected_rows(st);
				last_insert_id = (long long)mysql_stmt_insert_id(st);
				return rc;
			}
			if (!connection_lost(err)) {
				/* A statement on its own (autocommit) that InnoDB rolled back to end a deadlock
				 * changed nothing: run it again, as db_transaction runs a transaction again. */
				if (err == ER_LOCK_DEADLOCK && !in_transaction &&
				    deadlocks < STATEMENT_DEADLOCK_RERUNS) {
					deadlocks++;
					log_warn("a statement hit a deadlock; running it again (%d of %d)", deadlocks,
					         STATEMENT_DEADLOCK_RERUNS);
					continue;
				}
				if (retryable(err))
					return ST_RETRY;
				if (err == ER_STATEMENT_TIMEOUT) {
					log_warn("a statement ran past LONUA_DB_STATEMENT_TIMEOUT_MS (%ld ms): "
					         "answering 503",
					         config.db_statement_timeout_ms);
					return ST_UNAVAILABLE;
				}
				if (err == ER_DUP_ENTRY)
					return duplicate(mysql_stmt_error(st));
				log_error("statement failed (%u): %s", err, mysql_stmt_error(st));
				return ST_ERROR;
			}
		}
		if (!connection_lost(err))
			return ST_ERROR;
		/* The server went away: inside a transaction the work is lost, so the caller decides;
		 * outside one, open a new connection and run the statement once more. */
		bool was_in_tx = in_transaction && !l->is_replica;
		if (l->is_replica)
			link_close(l);
		else
			db_close();
		if (was_in_tx)
			return ST_RETRY;
		if (reopened++ >= 1)
			return ST_UNAVAILABLE;
	}
}

enum status db_query(const char *sql, const struct db_param *params, size_t nparams, db_row_fn row_fn, void *ctx,
                     unsigned long long *affected)
{
	if (db_explain_hook) {
		if (affected)
			*affected = 0;
		return explain(sql, params, nparams);
	}
	return run(&primary, sql, params, nparams, row_fn, ctx, affected);
}

enum status db_read(const char *sql, const struct db_param *params, size_t nparams, db_row_fn row_fn, void *ctx)
{
	if (!db_replica_configured() || in_transaction || db_explain_hook)
		return db_query(sql, params, nparams, row_fn, ctx, NULL);
	if (link_connection(&replica)) {
		enum status st = run(&replica, sql, params, nparams, row_fn, ctx, NULL);
		if (st != ST_UNAVAILABLE)
			return st;
		log_warn("read replica lost: the catalogue reads the primary");
	}
	return run(&primary, sql, params, nparams, row_fn, ctx, NULL);
}

bool db_replica_configured(void)
{
	return config.db_replica_host || config.db_replica_socket;
}

bool db_replica_connected(void)
{
	return replica.conn != NULL;
}

/* Runs a statement without input (BEGIN, COMMIT, ROLLBACK). Returns 0 or the MySQL error number. */
static unsigned int simple(const char *sql)
{
	if (!db_connection())
		return CR_CONNECTION_ERROR;
	if (mysql_query(primary.conn, sql) != 0)
		return mysql_errno(primary.conn);
	return 0;
}

enum status db_transaction(enum status (*fn)(void *ctx), void *ctx, int attempts)
{
	enum status rc = ST_ERROR;
	for (int i = 0; i < attempts; i++) {
		unsigned int err = simple("START TRANSACTION");
		if (err) {
			if (connection_lost(err)) {
				db_close();
				err = simple("START TRANSACTION");
			}
			if (err)
				return connection_lost(err) ? ST_UNAVAILABLE : ST_ERROR;
		}
		in_transaction = true;
		rc = fn(ctx);
		if (rc == ST_OK) {
			err = simple("COMMIT");
			rc = !err                                     ? ST_OK
			     : retryable(err) || connection_lost(err) ? ST_RETRY
			     : err == ER_STATEMENT_TIMEOUT            ? ST_UNAVAILABLE
			                                              : ST_ERROR;
		}
		if (rc != ST_OK && primary.conn)
			simple("ROLLBACK");
		in_transaction = false;
		if (rc != ST_RETRY)
			return rc;
		log_warn("transaction attempt %d of %d hit a deadlock or lock timeout%s", i + 1, attempts,
		         i + 1 < attempts ? "; retrying" : "; giving up");
	}
	return rc;
}

bool db_ping(void)
{
	if (!db_connection())
		return false;
	if (mysql_ping(primary.conn) == 0)
		return true;
	db_close();
	return db_connection() != NULL;
}

void db_like_pattern(struct buf *out, const char *q, bool prefix)
{
	buf_reset(out);
	if (!prefix)
		buf_putc(out, '%');
	for (const char *c = q; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *c);
	}
	buf_putc(out, '%');
}

bool db_page_ends_list(size_t rows, long long offset, int per_page, long long *total)
{
	if (rows >= (size_t)per_page || (rows == 0 && offset > 0))
		return false;
	*total = offset + (long long)rows;
	return true;
}
