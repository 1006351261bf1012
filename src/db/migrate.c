#include "db/migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <mysql.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"
#include "util/log.h"

static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                       " version INT UNSIGNED NOT NULL PRIMARY KEY,"
                                       " name VARCHAR(200) NOT NULL,"
                                       " checksum CHAR(16) NOT NULL,"
                                       " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
                                       ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
static const char find_sql[] = "SELECT checksum FROM schema_migrations WHERE version = ?";
static const char record_sql[] = "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)";
static const char lock_sql[] = "SELECT GET_LOCK('lonua_migrate', 120)";
static const char unlock_sql[] = "SELECT RELEASE_LOCK('lonua_migrate')";

/* A migration file is named NNN_words.sql. */
static int is_migration(const struct dirent *e)
{
	const char *n = e->d_name;
	size_t len = strlen(n);
	return len > 8 && isdigit((unsigned char)n[0]) && isdigit((unsigned char)n[1]) &&
	       isdigit((unsigned char)n[2]) && n[3] == '_' && strcmp(n + len - 4, ".sql") == 0;
}

/* FNV-1a: enough to notice that an applied migration was edited afterwards. */
static void checksum(const char *s, size_t len, char out[17])
{
	unsigned long long h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", h);
}

static enum status copy_first(const struct db_row *row, void *ctx)
{
	snprintf(ctx, 17, "%s", row->cols[0] ? row->cols[0] : "");
	return ST_OK;
}

/* Runs the statements of one file on a multi-statement connection. Returns 0 or -1. */
static int apply_sql(MYSQL *m, const char *name, const struct buf *sql)
{
	if (mysql_real_query(m, buf_str(sql), sql->len) != 0) {
		log_error("%s: %s", name, mysql_error(m));
		return -1;
	}
	for (;;) {
		MYSQL_RES *r = mysql_store_result(m);
		if (r)
			mysql_free_result(r);
		int more = mysql_next_result(m);
		if (more == -1)
			return 0;
		if (more > 0) {
			log_error("%s: %s", name, mysql_error(m));
			return -1;
		}
	}
}

/* Applies one file unless it is recorded. Returns 1 applied, 0 already there, -1 failure. */
static int apply_one(MYSQL *multi, const char *dir, const char *file, FILE *out)
{
	char path[4096], sum[17], recorded[17] = "";
	snprintf(path, sizeof path, "%s/%s", dir, file);
	struct buf sql = BUF_INIT;
	if (buf_append_file(&sql, path) < 0) {
		log_error("cannot read %s", path);
		buf_free(&sql);
		return -1;
	}
	checksum(sql.data ? sql.data : "", sql.len, sum);
	long long version = atoll(file);
	struct db_param p[3] = {DB_INT(version), DB_TEXT(file), DB_TEXT(sum)};
	enum status rc = db_query(find_sql, p, 1, copy_first, recorded, NULL);
	if (rc == ST_OK && recorded[0]) {
		if (strcmp(recorded, sum) != 0)
			log_warn("%s was changed after it was applied; write a new migration instead", file);
		buf_free(&sql);
		return 0;
	}
	if (rc == ST_OK)
		rc = apply_sql(multi, file, &sql);
	if (rc == ST_OK)
		rc = db_query(record_sql, p, 3, NULL, NULL, NULL);
	buf_free(&sql);
	if (rc != ST_OK)
		return -1;
	fprintf(out, "applied %s\n", file);
	return 1;
}

int migrate_run(const char *schema_dir, FILE *out)
{
	struct dirent **files;
	int n = scandir(schema_dir, &files, is_migration, alphasort);
	if (n < 0) {
		log_error("cannot list %s", schema_dir);
		return -1;
	}
	MYSQL *multi = db_connect_new(true);
	int applied = 0;
	enum status rc = multi ? db_query(create_table_sql, NULL, 0, NULL, NULL, NULL) : ST_UNAVAILABLE;
	/* One migrator at a time (two Jobs, or a Job and a developer). */
	if (rc == ST_OK)
		rc = db_query(lock_sql, NULL, 0, NULL, NULL, NULL);
	for (int i = 0; i < n; i++) {
		if (rc == ST_OK && applied >= 0) {
			int r = apply_one(multi, schema_dir, files[i]->d_name, out);
			applied = r < 0 ? -1 : applied + r;
		}
		free(files[i]);
	}
	free(files);
	if (rc == ST_OK)
		db_query(unlock_sql, NULL, 0, NULL, NULL, NULL);
	if (multi)
		mysql_close(multi);
	if (rc != ST_OK)
		return -1;
	if (applied == 0)
		fprintf(out, "nothing to apply\n");
	return applied;
}
