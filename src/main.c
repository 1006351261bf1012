/* lonua: one binary, several subcommands. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "db/outbox.h"
#include "db/popularity.h"
#include "pay/payments.h"
#include "auth/password.h"
#include "db/search.h"
#include "db/users.h"
#include "http/input.h"
#include "handlers/routes.h"
#include "seed/seed.h"
#include "shop/grades.h"
#include "shop/orders.h"
#include "server/jobs.h"
#include "server/master.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"
#include "view/view.h"

static int usage(FILE *out)
{
	fputs("usage: lonua COMMAND\n"
	      "  serve            run the FastCGI master and its workers (LONUA_LISTEN, LONUA_WORKERS)\n"
	      "  jobs             deliver the outbox (mails) with retries; make pending gateway refunds;\n"
	      "                   purge expired sessions and old guest carts\n"
	      "  migrate          apply schema/NNN_*.sql not yet applied\n"
	      "  seed             add the demo shop (brands, products, pictures; LONUA_MEDIA_DIR); idempotent\n"
	      "  search reindex   rebuild the keyword search table from the products\n"
	      "  routes --json    print the route table\n"
	      "  user create-admin EMAIL NAME\n"
	      "                   add an admin; the password is read from standard input (one line)\n"
	      "  orders expire    cancel orders still unpaid past their due time (stock, coupons, mileage back)\n"
	      "  orders confirm   confirm lines delivered 7 days ago or more and kept (their mileage is credited)\n"
	      "  grades recompute [YYYY-MM]\n"
	      "                   grades from last month's spend (or that month's); once per month and shopper\n"
	      "  products recount count popularity again from the paid orders (30-day units, body types)\n"
	      "  refunds retry    make the gateway refunds still pending (lonua jobs does it every minute)\n"
	      "  outbox purge [DAYS]\n"
	      "                   delete sent and failed messages older than DAYS (default 30); pending ones stay\n"
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

/* The commands that queue mails (the seed's orders, the order jobs) render them: templates and
 * locales, no front-end assets. */
static int mail_views(const char *cmd)
{
	char err[512];
	if (view_init(config.data_dir, NULL, err, sizeof err) < 0) {
		fprintf(stderr, "lonua %s: %s\n", cmd, err);
		return -1;
	}
	return 0;
}

static int cmd_seed(void)
{
	log_set_role("seed");
	if (mail_views("seed") != 0)
		return 1;
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

/* lonua orders expire | confirm: the order jobs (Kubernetes CronJobs; also by hand). Each takes its
 * work in batches until none is left. */
static int cmd_orders(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[2], "expire") != 0 && strcmp(argv[2], "confirm") != 0))
		return usage(stderr);
	bool expire = strcmp(argv[2], "expire") == 0;
	log_set_role("orders");
	if (mail_views("orders") != 0)
		return 1;
	unsigned long total = 0, done;
	enum status st;
	do {
		st = expire ? orders_expire_overdue(&done) : orders_confirm_due(&done);
		total += done;
	} while (st == ST_OK && done > 0);
	db_close();
	if (st != ST_OK) {
		fprintf(stderr, "lonua orders %s: %s after %lu; see the log\n", argv[2], status_code(st), total);
		return 1;
	}
	printf(expire ? "orders: %lu unpaid orders expired\n" : "orders: %lu delivered lines confirmed\n", total);
	return 0;
}

/* lonua grades recompute [YYYY-MM]. */
static int cmd_grades(int argc, char **argv)
{
	struct grade_month m;
	if (argc < 3 || argc > 4 || strcmp(argv[2], "recompute") != 0)
		return usage(stderr);
	if (grades_month(time(NULL), argc == 4 ? argv[3] : NULL, &m) != 0) {
		fprintf(stderr, "lonua grades recompute: give the month as YYYY-MM\n");
		return 2;
	}
	log_set_role("grades");
	unsigned long long assigned, changed;
	enum status st = grades_recompute(&m, &assigned, &changed);
	db_close();
	if (st != ST_OK) {
		fprintf(stderr, "lonua grades recompute: the database failed (%s); see the log\n", status_code(st));
		return 1;
	}
	printf("grades: month %.7s, %llu shoppers assigned, %llu grades changed\n", m.period, assigned, changed);
	return 0;
}

/* lonua refunds retry: the gateway refunds a timeout or an outage left pending. */
static int cmd_refunds(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[2], "retry") != 0)
		return usage(stderr);
	log_set_role("refunds");
	unsigned long done;
	enum status st = payment_refunds_retry(&done);
	db_close();
	if (st != ST_OK) {
		fprintf(stderr, "lonua refunds retry: %s after %lu; see the log\n", status_code(st), done);
		return 1;
	}
	printf("refunds: %lu gateway refunds made\n", done);
	return 0;
}

/* lonua products recount. */
static int cmd_products(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[2], "recount") != 0)
		return usage(stderr);
	log_set_role("products");
	unsigned long long changed;
	enum status st = db_popularity_recount(&changed);
	db_close();
	if (st != ST_OK) {
		fprintf(stderr, "lonua products recount: the database failed (%s); see the log\n", status_code(st));
		return 1;
	}
	printf("products: popularity counted again, %llu 30-day counts changed\n", changed);
	return 0;
}

/* lonua outbox purge [DAYS]: the outbox's clean-up (a daily CronJob), in batches. */
static int cmd_outbox(int argc, char **argv)
{
	if (argc < 3 || argc > 4 || strcmp(argv[2], "purge") != 0)
		return usage(stderr);
	long days = 30;
	if (argc == 4) {
		char *end;
		errno = 0;
		days = strtol(argv[3], &end, 10);
		if (errno || end == argv[3] || *end || days < 1 || days > 3650) {
			fprintf(stderr, "lonua outbox purge: give DAYS as a whole number from 1 to 3650\n");
			return 2;
		}
	}
	log_set_role("outbox");
	unsigned long long total = 0, removed;
	enum status st;
	do {
		st = db_outbox_purge((int)days, &removed);
		total += removed;
	} while (st == ST_OK && removed > 0);
	db_close();
	if (st != ST_OK) {
		fprintf(stderr, "lonua outbox purge: %s after %llu; see the log\n", status_code(st), total);
		return 1;
	}
	printf("outbox: %llu messages older than %ld days removed\n", total, days);
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
	/* The statement time limit is for the pages and the API: the jobs and maintenance commands
	 * (migrate, seed, recounts, purges) may run long statements on purpose. */
	if (strcmp(cmd, "serve") != 0)
		config.db_statement_timeout_ms = 0;
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
	if (strcmp(cmd, "orders") == 0)
		return cmd_orders(argc, argv);
	if (strcmp(cmd, "grades") == 0)
		return cmd_grades(argc, argv);
	if (strcmp(cmd, "products") == 0)
		return cmd_products(argc, argv);
	if (strcmp(cmd, "refunds") == 0)
		return cmd_refunds(argc, argv);
	if (strcmp(cmd, "outbox") == 0)
		return cmd_outbox(argc, argv);
	fprintf(stderr, "lonua: unknown command '%s'\n", cmd);
	return usage(stderr);
}
