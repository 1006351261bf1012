/* lonua: one binary, several subcommands. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/migrate.h"
#include "db/search.h"
#include "handlers/routes.h"
#include "seed/seed.h"
#include "server/master.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"

static int usage(FILE *out)
{
	fputs("usage: lonua COMMAND\n"
	      "  serve            run the FastCGI master and its workers (LONUA_LISTEN, LONUA_WORKERS)\n"
	      "  migrate          apply schema/NNN_*.sql not yet applied\n"
	      "  seed             add the demo shop (brands, products, pictures; LONUA_MEDIA_DIR); idempotent\n"
	      "  search reindex   rebuild the keyword search table from the products\n"
	      "  routes --json    print the route table\n"
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
