/* The worker's database connection: opened lazily, re-opened after the server goes away,
 * prepared statements cached per connection, transactions with bounded retries.
 * All SQL that takes input goes through db_query() as a prepared statement. */
#ifndef LONUA_DB_DB_H
#define LONUA_DB_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

typedef struct st_mysql MYSQL;

enum db_param_type { DB_PARAM_INT, DB_PARAM_TEXT, DB_PARAM_NULL };

struct db_param {
	enum db_param_type type;
	long long i;
	const char *s;
	size_t len;
};

#define DB_INT(v)      ((struct db_param){DB_PARAM_INT, (v), NULL, 0})
#define DB_TEXT(str)   ((struct db_param){DB_PARAM_TEXT, 0, (str), strlen(str)})
#define DB_BYTES(p, n) ((struct db_param){DB_PARAM_TEXT, 0, (const char *)(p), (n)})
#define DB_NULL        ((struct db_param){DB_PARAM_NULL, 0, NULL, 0})
/* NULL for a NULL or empty text, for optional columns. */
#define DB_TEXT_OR_NULL(str) ((str) && *(str) ? DB_TEXT(str) : DB_NULL)

/* One fetched row: every column as text (NULL for SQL NULL), with its length. */
struct db_row {
	size_t ncols;
	const char *const *cols;
	const unsigned long *lens;
};

/* Column readers: db_int is 0 for NULL; db_copy writes "" for NULL and truncates to size - 1
 * bytes (never inside a UTF-8 sequence). */
long long db_int(const struct db_row *row, size_t col);
bool db_is_null(const struct db_row *row, size_t col);
void db_copy(const struct db_row *row, size_t col, char *out, size_t size);

/* Called for each row; a status other than ST_OK stops the fetch and becomes db_query's result. */
typedef enum status (*db_row_fn)(const struct db_row *row, void *ctx);

/* The most parameters a statement takes: the 101 of the likes of a page's cards
 * (src/db/likes.c db_likes_among) and room to spare. */
#define DB_MAX_PARAMS 128

/* Runs the prepared statement sql with params. sql's ADDRESS keys the per-connection statement
 * cache, so it must be a string literal or a string built once and never freed or changed (the
 * catalogue's listing shapes: src/db/catalog.c); at most STMT_CACHE_MAX statements stay prepared,
 * the least recently used is closed to make room. With params;
 * calls row_fn for each result row (row_fn may be NULL). A lost connection outside a transaction
 * is re-opened and the statement re-prepared and run once more. Sets *affected (may be NULL)
 * to the changed rows. A duplicate key is ST_CONFLICT, and db_conflict_key() names the key.
 * Outside a transaction, a statement InnoDB rolls back to end a deadlock is run again (twice at
 * most). Returns ST_OK, a row_fn result, ST_CONFLICT, ST_RETRY (deadlock or lock wait timeout;
 * inside a transaction also a lost connection), ST_UNAVAILABLE (cannot connect) or ST_ERROR
 * (logged). */
enum status db_query(const char *sql, const struct db_param *params, size_t nparams, db_row_fn row_fn, void *ctx,
                     unsigned long long *affected);

/* A read that may be served by the read replica (LONUA_DB_REPLICA_HOST or _SOCKET): the
 * catalogue's listings, product and brand pages, whose rows may lag the primary by the
 * replication delay. Never for a shopper's own rows (cart, orders, likes) or anything read to
 * decide a write. Runs on the primary when no replica is configured, inside a transaction, while
 * the replica cannot be reached (tried again 10 s later) and in the EXPLAIN mode. */
enum status db_read(const char *sql, const struct db_param *params, size_t nparams, db_row_fn row_fn, void *ctx);

/* Closes the prepared statement kept for sql, so that its next run prepares (and plans) it anew.
 * For a statement run rarely whose plan MariaDB 10.11 gets wrong on re-execution (db/reference.c). */
void db_forget(const char *sql);
bool db_replica_configured(void);
/* True while the replica connection is open (for tests and /metrics). */
bool db_replica_connected(void);

/* Runs fn inside BEGIN … COMMIT. When fn (or COMMIT) returns ST_RETRY the transaction is rolled
 * back and run again, at most `attempts` times in all. Any other non-zero result rolls back and
 * is returned. */
enum status db_transaction(enum status (*fn)(void *ctx), void *ctx, int attempts);

/* A named lock (MariaDB's GET_LOCK) held by this connection until released or the connection is
 * gone, not waited for: *got is false when another connection holds it. For work that spans
 * more than a transaction: a checkout's idempotency key, a refund at the gateway. */
enum status db_lock_try(const char *name, bool *got);
void db_lock_release(const char *name);

/* The AUTO_INCREMENT id the last INSERT of db_query made (0 if none). */
long long db_insert_id(void);
/* The name of the unique key the last ST_CONFLICT of db_query hit ("uq_users_email"), or "". */
const char *db_conflict_key(void);

/* LIKE's pattern matching texts that contain q (or, prefix, that start with it), into out
 * (cleared first): q's own %, _ and \ are taken literally. */
struct buf;
void db_like_pattern(struct buf *out, const char *q, bool prefix);

/* True when the server answers (opens the connection if needed). */
bool db_ping(void);

/* The open connection, opening it if needed (for migrations and tests); NULL on failure. */
MYSQL *db_connection(void);
/* Opens a new connection from the configuration (not the cached one); caller closes it. */
MYSQL *db_connect_new(bool multi_statements);
/* Closes the connection and forgets its statements (before fork, at exit). */
void db_close(void);

/* The EXPLAIN tests' mode: while db_explain_hook is set, db_query runs no statement; it EXPLAINs it
 * (with its parameters) and hands each plan row to the hook with the statement's text, and the
 * caller's row_fn sees nothing. So a test calls the real db_* functions and checks their plans. */
typedef void (*db_explain_fn)(const char *sql, const struct db_row *plan_row, void *ctx);
extern db_explain_fn db_explain_hook;
extern void *db_explain_ctx;

/* SPEC §5: a list's total is exact up to this many rows; a count stops at one more (a bounded
 * derived table, never a count of millions), and a list past it says its total is a lower bound. */
#define DB_LIST_TOTAL_CAP 10000

/* True when a page of `rows` rows at offset shows where its list ends (fewer rows than a full page,
 * and either some rows or the first page): then sets *total to the list's length, and the list
 * needs no count. */
bool db_page_ends_list(size_t rows, long long offset, int per_page, long long *total);

/* Counters for metrics and tests. */
unsigned long db_reconnect_count(void);
/* Called after each reconnect (the worker feeds the shared metrics). */
extern void (*db_on_reconnect)(void);

#endif
