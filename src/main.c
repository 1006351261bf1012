/* lonua: one binary, several subcommands. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "auth/password.h"
#include "db/search.h"
#include "db/users.h"
#include "http/input.h"
#include "handlers/routes.h"
#include "seed/seed.h"
#include "server/jobs.h"
#include "server/master.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"

static int usage(FILE *out)
{
	fputs("usage: lonua COMMAND\n"
	      "  serve            run the FastCGI master and its workers (LONUA_LISTEN, LONUA_WORKERS)\n"
	      "  jobs             deliver the outbox (mails) with retries; purge expired sessions\n"
	      "  migrate          apply schema/NNN_*.sql not yet applied\n"
	      "  seed             add the demo shop (brands, products, pictures; LONUA_MEDIA_DIR); idempotent\n"
	      "  search reindex   rebuild the keyword search table from the products\n"
	      "  routes --json    print the route table\n"
	      "  user create-admin EMAIL NAME\n"
	      "                   add an admin; the password is read from standard input (one line)\n"
	      "  version          print the version\n"
	      "Configuration comes from the environment: see docs/configuration.md.\n",
	      out);
	return out == stderr ? 2 : 0;
}

static int cmd_routes(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[2], "--json") != 0)
		return usage(stderr);
	struct buf out = BUF_INIT;
	router_print_json(routes, routes_count, config.test_routes, &out);
	fputs(buf_str(&out), stdout);
	buf_free(&out);
	return 0;
}

static int cmd_migrate(void)
{
	char dir[4096];
	log_set_role("migrate");
	snprintf(dir, sizeof dir, "%s/schema", config.data_dir);
	int rc = migrate_run(dir, stdout);
	db_close();
	return rc < 0 ? 1 : 0;
}

static int cmd_seed(void)
{
	log_set_role("seed");
	int rc = seed_run(stdout);
	db_close();
	return rc < 0 ? 1 : 0;
}

static int cmd_search(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[2], "reindex") != 0)
		return usage(stderr);
	log_set_role("search");
	unsigned long long indexed, removed;
	int rc = search_reindex(&indexed, &removed);
	db_close();
	if (rc != ST_OK) {
		fprintf(stderr, "lonua search reindex: the database failed (%d); see the log\n", rc);
		return 1;
	}
	printf("search: %llu products indexed, %llu rows of deleted products removed\n", indexed, removed);
	return 0;
}

/* lonua user create-admin EMAIL NAME: the only way an admin comes to be (never over HTTP). */
static int cmd_user(int argc, char **argv)
{
	if (argc != 5 || strcmp(argv[2], "create-admin") != 0)
		return usage(stderr);
	log_set_role("user");
	const char *email = argv[3], *name = argv[4];
	if (!input_email_valid(email, strlen(email))) {
		fprintf(stderr, "lonua user create-admin: '%s' is not an e-mail address\n", email);
		return 2;
	}
	if (!*name || strlen(name) > 200) {
		fprintf(stderr, "lonua user create-admin: give a name of 1 to 50 characters\n");
		return 2;
	}
	char password[256];
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "password for %s: ", email);
	if (!fgets(password, sizeof password, stdin)) {
		fprintf(stderr, "lonua user create-admin: no password on standard input\n");
		return 2;
	}
	password[strcspn(password, "\r\n")] = '\0';
	const char *weak = input_password_policy(password, strlen(password));
	if (weak) {
		fprintf(stderr,
		        "lonua user create-admin: the password is not good enough (%s): 8 to 64 characters with a "
		        "capital, a small letter, a digit and a symbol\n",
		        weak);
		return 2;
	}
	char lower[256], hash[PASSWORD_HASH_MAX];
	size_t n = 0;
	for (; email[n] && n < sizeof lower - 1; n++)
		lower[n] = (char)(email[n] >= 'A' && email[n] <= 'Z' ? email[n] + 32 : email[n]);
	lower[n] = '\0';
	long long id = 0;
	enum status st = password_hash(password, hash);
	if (st == ST_OK)
		st = db_user_create_admin(lower, hash, name, &id);
	db_close();
	if (st == ST_CONFLICT) {
		fprintf(stderr, "lonua user create-admin: %s has an account already\n", lower);
		return 1;
	}
	if (st != ST_OK) {
		fprintf(stderr, "lonua user create-admin: the database failed (%s); see the log\n", status_code(st));
		return 1;
	}
	printf("admin %lld: %s\n", id, lower);
	return 0;
}

int main(int argc, char **argv)
{
	char err[512];
	if (argc < 2)
		return usage(stderr);
	const char *cmd = argv[1];
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0)
		return usage(stdout);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		puts(PACKAGE_STRING);
		return 0;
	}
	if (config_load(err, sizeof err) < 0) {
		fprintf(stderr, "lonua: %s\n", err);
		return 2;
	}
	if (strcmp(cmd, "serve") == 0)
		return master_run();
	if (strcmp(cmd, "jobs") == 0)
		return jobs_run();
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc, argv);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate();
	if (strcmp(cmd, "seed") == 0)
		return cmd_seed();
	if (strcmp(cmd, "search") == 0)
		return cmd_search(argc, argv);
	if (strcmp(cmd, "routes") == 0)
		return cmd_routes(argc, argv);
	fprintf(stderr, "lonua: unknown command '%s'\n", cmd);
	return usage(stderr);
}
