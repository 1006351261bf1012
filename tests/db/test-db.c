/* The database layer against a real MariaDB (run by ci/test with LONUA_DB_* set, and
 * LONUA_DB_ROOT_SOCKET for a second, privileged connection that kills and locks): parameters,
 * reconnects, transactions with retries, and the prepared-statement cache's size and eviction. */
#include <mysql.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "mysql-first-int.h"
#include "tap.h"
#include "util/config.h"

static MYSQL *root;

static enum status copy_text(const struct db_row *row, void *ctx)
{
	snprintf(ctx, 256, "%s", row->cols[0] ? row->cols[0] : "(null)");
	return ST_OK;
}

static long long query_int(const char *sql)
{
	char out[256] = "";
	db_query(sql, NULL, 0, copy_text, out, NULL);
	return atoll(out);
}

struct tx_ctx {
	int attempts;
	int release_on; /* the attempt at which the blocking connection lets go (0: never) */
};

static enum status bump(void *p)
{
	struct tx_ctx *c = p;
	c->attempts++;
	if (c->attempts == c->release_on)
		mysql_query(root, "COMMIT");
	return db_query("UPDATE test_db_layer SET v = v + 1 WHERE id = 1", NULL, 0, NULL, NULL, NULL);
}

static enum status insert_then_fail(void *p)
{
	(void)p;
	db_query("INSERT INTO test_db_layer (id, v) VALUES (2, 0)", NULL, 0, NULL, NULL, NULL);
	return ST_ERROR;
}

/* ---- a real deadlock: another transaction, heavier than ours so InnoDB picks ours as the
 * victim, holds row 2 and then wants row 1 while we hold row 1 and want row 2. */
static int to_other[2], from_other[2];

static void *other_transaction(void *arg)
{
	(void)arg;
	char c;
	MYSQL *m = mysql_init(NULL);
	if (!mysql_real_connect(m, NULL, "root", NULL, "lonua", 0, getenv("LONUA_DB_ROOT_SOCKET"), 0)) {
		mysql_close(m);
		close(from_other[1]); /* the main thread reads EOF and reports the failure */
		return NULL;
	}
	mysql_query(m, "START TRANSACTION");
	for (int i = 0; i < 50; i++) /* weight: InnoDB rolls back the lighter transaction */
		mysql_query(m, "INSERT INTO test_db_weight VALUES (NULL)");
	mysql_query(m, "UPDATE test_db_layer SET v = v + 10 WHERE id = 2");
	if (write(from_other[1], "r", 1) != 1 || read(to_other[0], &c, 1) != 1)
		return NULL;
	mysql_query(m, "UPDATE test_db_layer SET v = v + 10 WHERE id = 1"); /* waits for our row 1 */
	mysql_query(m, "COMMIT");
	mysql_close(m);
	return NULL;
}

static enum status cross_update(void *p)
{
	struct tx_ctx *c = p;
	c->attempts++;
	int rc = db_query("UPDATE test_db_layer SET v = v + 1 WHERE id = 1", NULL, 0, NULL, NULL, NULL);
	if (rc != ST_OK)
		return rc;
	if (c->attempts == 1) {
		struct timespec t = {0, 300 * 1000 * 1000};
		if (write(to_other[1], "g", 1) != 1)
			return ST_ERROR;
		nanosleep(&t, NULL); /* let the other transaction block on row 1 */
	}
	return db_query("UPDATE test_db_layer SET v = v + 1 WHERE id = 2", NULL, 0, NULL, NULL, NULL);
}

/* ---- a deadlock that a statement on its own (autocommit) loses: the other transaction holds row
 * 2; our UPDATE of every row takes row 1 and waits for row 2; the other then wants row 1. */
static void *other_holds_row_2(void *arg)
{
	(void)arg;
	MYSQL *m = mysql_init(NULL);
	if (!mysql_real_connect(m, NULL, "root", NULL, "lonua", 0, getenv("LONUA_DB_ROOT_SOCKET"), 0)) {
		mysql_close(m);
		close(from_other[1]);
		return NULL;
	}
	mysql_query(m, "START TRANSACTION");
	for (int i = 0; i < 50; i++)
		mysql_query(m, "INSERT INTO test_db_weight VALUES (NULL)");
	mysql_query(m, "UPDATE test_db_layer SET v = v + 10 WHERE id = 2");
	if (write(from_other[1], "r", 1) != 1)
		return NULL;
	struct timespec t = {0, 300 * 1000 * 1000};
	nanosleep(&t, NULL); /* let our statement take row 1 and wait for row 2 */
	mysql_query(m, "UPDATE test_db_layer SET v = v + 10 WHERE id = 1");
	mysql_query(m, "COMMIT");
	mysql_close(m);
	return NULL;
}

/* True when InnoDB reports a deadlock it detected (and resolved by rolling one back). */
static bool innodb_saw_deadlock(void)
{
	bool seen = false;
	if (mysql_query(root, "SHOW ENGINE INNODB STATUS") == 0) {
		MYSQL_RES *r = mysql_store_result(root);
		MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
		seen = row && row[2] && strstr(row[2], "LATEST DETECTED DEADLOCK") != NULL;
		if (r)
			mysql_free_result(r);
	}
	return seen;
}

static void lock_row_from_root(void)
{
	mysql_query(root, "START TRANSACTION");
	mysql_query(root, "SELECT v FROM lonua.test_db_layer WHERE id = 1 FOR UPDATE");
	MYSQL_RES *r = mysql_store_result(root);
	if (r)
		mysql_free_result(r);
}

/* ---- the prepared-statement cache (src/db/db.c): at most STMT_CACHE_MAX statements, keyed by the
 * ADDRESS of their SQL text; when it is full, the least recently used statement that is not running
 * is closed to make room. Each buffer below is a distinct statement. Whether a statement was still
 * cached shows in the session's Com_stmt_prepare, read on db_connection() by plain queries (which
 * prepare nothing and leave the cache alone). */
#define CACHE_MAX 128 /* STMT_CACHE_MAX of src/db/db.c */

static char stmt_texts[4 * CACHE_MAX][24];
static int nstmt_texts;

/* The SQL of a statement never run before (a new key of the cache). */
static const char *new_statement(void)
{
	char *sql = stmt_texts[nstmt_texts++];
	snprintf(sql, sizeof stmt_texts[0], "SELECT %d", nstmt_texts);
	return sql;
}

static long long session_prepares(void)
{
	return mysql_first_int(db_connection(), "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS"
	                                        " WHERE VARIABLE_NAME = 'COM_STMT_PREPARE'");
}

/* Runs sql; returns the number of statements the server prepared for it (0: the cache had it). */
static long long prepares_of(const char *sql)
{
	long long before = session_prepares();
	db_query(sql, NULL, 0, NULL, NULL, NULL);
	return session_prepares() - before;
}

static void test_cache_capacity(void)
{
	const char *sql[CACHE_MAX];
	long long first = 0, again = 0;
	for (int i = 0; i < CACHE_MAX; i++)
		first += prepares_of(sql[i] = new_statement());
	for (int i = 0; i < CACHE_MAX; i++)
		again += prepares_of(sql[i]);
	tap_ok(first == CACHE_MAX && again == 0,
	       "the cache holds %d statements: %d new ones are prepared once each (%lld), run again none (%lld)",
	       CACHE_MAX, CACHE_MAX, first, again);
}

static void test_cache_evicts_least_recently_used(void)
{
	const char *sql[CACHE_MAX];
	for (int i = 0; i < CACHE_MAX; i++) /* the cache now holds these, sql[0] the first prepared */
		prepares_of(sql[i] = new_statement());
	long long reused = prepares_of(sql[0]); /* now the most recently used; sql[1] the least */
	long long one_more = prepares_of(new_statement());
	long long first = prepares_of(sql[0]);
	long long second = prepares_of(sql[1]);
	tap_ok(reused == 0 && one_more == 1 && first == 0 && second == 1,
	       "a full cache evicts the least recently used statement, not the first prepared: the first, used "
	       "again, stays, the second goes (prepares: re-use %lld, one more %lld, then first %lld, second %lld; "
	       "want 0 1 0 1)",
	       reused, one_more, first, second);
}

/* The row callback of a running statement: runs CACHE_MAX new statements, which must evict each
 * other rather than the running one. */
struct nested_ctx {
	int rows;
	long long first_again; /* prepares when the first nested statement runs again */
};

static enum status run_nested_statements(const struct db_row *row, void *p)
{
	(void)row;
	struct nested_ctx *c = p;
	if (c->rows++ > 0)
		return ST_OK;
	/* The running statement and the first CACHE_MAX - 1 of these fill the cache (the older entries
	 * are evicted); the last must then evict the least recently used entry that is not running:
	 * the first of these, although the running statement was used before it. */
	const char *first = new_statement();
	prepares_of(first);
	for (int i = 1; i < CACHE_MAX; i++)
		prepares_of(new_statement());
	c->first_again = prepares_of(first);
	/* Checked here, while the statement runs: evicted, it would be closed under fetch_rows. */
	tap_ok(c->first_again == 1,
	       "a running statement is never evicted: %d statements run inside its row callback evict each "
	       "other, not it (the first of them had to be prepared again: %lld)",
	       CACHE_MAX, c->first_again);
	return 0;
}

static void test_cache_keeps_running_statement(void)
{
	static const char running[] = "SELECT 1 UNION ALL SELECT 2";
	struct nested_ctx c = {0, -1};
	int rc = db_query(running, NULL, 0, run_nested_statements, &c, NULL);
	long long again = prepares_of(running);
	tap_ok(rc == ST_OK && c.rows == 2 && again == 0,
	       "the running statement read all its rows and is still prepared afterwards (rc %d, %d rows, "
	       "prepared again: %lld)",
	       rc, c.rows, again);
}

int main(void)
{
	char err[256], out[256];
	if (config_load(err, sizeof err) < 0) {
		printf("not ok 1 - configuration: %s\n1..1\n", err);
		return 1;
	}
	root = mysql_init(NULL);
	if (!mysql_real_connect(root, NULL, "root", NULL, "lonua", 0, getenv("LONUA_DB_ROOT_SOCKET"), 0)) {
		printf("not ok 1 - root connection: %s\n1..1\n", mysql_error(root));
		return 1;
	}

	if (!tap_ok(db_ping(), "db_ping opens the connection lazily and the server answers"))
		return tap_done();

	/* Input travels as a parameter, never inside the SQL text. */
	const char *hostile = "'; DROP TABLE categories; -- 바지 \"<script>\"";
	struct db_param p[] = {DB_TEXT(hostile)};
	out[0] = '\0';
	tap_ok(db_query("SELECT ?", p, 1, copy_text, out, NULL) == ST_OK && strcmp(out, hostile) == 0,
	       "a parameter with quotes and Korean comes back unchanged");
	tap_ok(query_int("SELECT COUNT(*) FROM categories") == 10, "categories still all there (10)");

	/* Losing the connection: the next statement reconnects, re-prepares and succeeds. */
	long long id1 = query_int("SELECT CONNECTION_ID()");
	unsigned long before = db_reconnect_count();
	char kill[64];
	snprintf(kill, sizeof kill, "KILL %lld", id1);
	tap_ok(mysql_query(root, kill) == 0, "the server kills our connection %lld", id1);
	long long id2 = query_int("SELECT CONNECTION_ID()");
	tap_ok(id2 > 0 && id2 != id1, "the next query runs on a new connection (%lld)", id2);
	tap_ok(db_reconnect_count() == before + 1, "the reconnect was counted");
	out[0] = '\0';
	tap_ok(db_query("SELECT ?", p, 1, copy_text, out, NULL) == ST_OK && strcmp(out, hostile) == 0,
	       "a statement cached before the loss is prepared again and works");

	/* Transactions: a lock wait timeout is retried; failures roll back. */
	db_query("DROP TABLE IF EXISTS test_db_layer", NULL, 0, NULL, NULL, NULL);
	db_query("CREATE TABLE test_db_layer (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB", NULL, 0, NULL, NULL,
	         NULL);
	db_query("INSERT INTO test_db_layer (id, v) VALUES (1, 0)", NULL, 0, NULL, NULL, NULL);
	db_query("SET SESSION innodb_lock_wait_timeout = 1", NULL, 0, NULL, NULL, NULL);

	lock_row_from_root();
	struct tx_ctx c = {0, 2};
	int rc = db_transaction(bump, &c, 3);
	tap_ok(rc == ST_OK && c.attempts == 2,
	       "a lock wait timeout is retried and the second attempt commits (rc %d, %d attempts)", rc, c.attempts);
	tap_ok(query_int("SELECT v FROM test_db_layer WHERE id = 1") == 1, "the retried update happened once");

	lock_row_from_root();
	c = (struct tx_ctx){0, 0};
	rc = db_transaction(bump, &c, 2);
	mysql_query(root, "ROLLBACK");
	tap_ok(rc == ST_RETRY && c.attempts == 2, "retries are bounded: 2 attempts, then ST_RETRY (rc %d, %d attempts)",
	       rc, c.attempts);
	tap_ok(query_int("SELECT v FROM test_db_layer WHERE id = 1") == 1, "the failed transaction changed nothing");

	rc = db_transaction(insert_then_fail, NULL, 3);
	tap_ok(rc == ST_ERROR && query_int("SELECT COUNT(*) FROM test_db_layer") == 1,
	       "a failing transaction is rolled back and not retried");

	/* A deadlock is retried like a lock timeout. */
	char c1;
	db_query("CREATE TABLE test_db_weight (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB", NULL, 0, NULL, NULL,
	         NULL);
	db_query("INSERT INTO test_db_layer (id, v) VALUES (2, 0)", NULL, 0, NULL, NULL, NULL);
	db_query("UPDATE test_db_layer SET v = 0", NULL, 0, NULL, NULL, NULL);
	pthread_t other;
	if (pipe(to_other) != 0 || pipe(from_other) != 0 ||
	    pthread_create(&other, NULL, other_transaction, NULL) != 0 || read(from_other[0], &c1, 1) != 1) {
		tap_ok(0, "deadlock set-up");
	} else {
		c = (struct tx_ctx){0, 0};
		rc = db_transaction(cross_update, &c, 3);
		pthread_join(other, NULL);
		tap_ok(innodb_saw_deadlock(), "InnoDB detected a real deadlock");
		tap_ok(rc == ST_OK && c.attempts == 2,
		       "a deadlock is retried and the second attempt commits (rc %d, %d attempts)", rc, c.attempts);
		tap_ok(query_int("SELECT SUM(v) FROM test_db_layer") == 22,
		       "both transactions applied exactly once (sum %lld, want 22)",
		       query_int("SELECT SUM(v) FROM test_db_layer"));
	}

	/* A statement outside a transaction that loses a deadlock is run again, once it is over. */
	db_query("UPDATE test_db_layer SET v = 0", NULL, 0, NULL, NULL, NULL);
	long long deadlocks_before = query_int("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
	                                       " WHERE VARIABLE_NAME = 'INNODB_DEADLOCKS'");
	if (pthread_create(&other, NULL, other_holds_row_2, NULL) != 0 || read(from_other[0], &c1, 1) != 1) {
		tap_ok(0, "statement deadlock set-up");
	} else {
		unsigned long long changed = 0;
		rc = db_query("UPDATE test_db_layer SET v = v + 1 ORDER BY id", NULL, 0, NULL, NULL, &changed);
		pthread_join(other, NULL);
		long long deadlocks = query_int("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
		                                " WHERE VARIABLE_NAME = 'INNODB_DEADLOCKS'") -
		                      deadlocks_before;
		tap_ok(deadlocks == 1, "InnoDB ended one deadlock (%lld)", deadlocks);
		tap_ok(rc == ST_OK && changed == 2,
		       "the statement that lost it ran again and changed both rows (rc %d, %llu)", rc, changed);
		tap_ok(query_int("SELECT SUM(v) FROM test_db_layer") == 22,
		       "both writers applied exactly once (sum %lld, want 22)",
		       query_int("SELECT SUM(v) FROM test_db_layer"));
	}
	db_query("DROP TABLE test_db_weight", NULL, 0, NULL, NULL, NULL);
	db_query("DROP TABLE test_db_layer", NULL, 0, NULL, NULL, NULL);
	tap_ok(mysql_first_int(
	           root, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'test_db_layer'") == 0,
	       "scratch table removed");

	test_cache_capacity();
	test_cache_evicts_least_recently_used();
	test_cache_keeps_running_statement();

	/* LONUA_DB_STATEMENT_TIMEOUT_MS (applied when a connection opens): a statement past the limit
	 * is ST_UNAVAILABLE (503), and the connection answers the next one. */
	db_close();
	config.db_statement_timeout_ms = 300;
	int slept = db_query("SELECT SLEEP(3)", NULL, 0, NULL, NULL, NULL);
	tap_ok(slept == ST_UNAVAILABLE, "a statement past a 300 ms limit is ST_UNAVAILABLE (rc %d)", slept);
	tap_ok(query_int("SELECT @@max_statement_time * 1000") == 300 && query_int("SELECT 7") == 7,
	       "the limit is the session's max_statement_time, and the connection answers the next statement");
	config.db_statement_timeout_ms = 0;
	db_close();
	mysql_close(root);
	return tap_done();
}
