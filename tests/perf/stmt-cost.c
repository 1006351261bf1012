/* What one statement costs MariaDB: prepares SQL once, executes it N times in a row (reading every
 * row), twice, and prints for the second pass the wall time and mariadbd's CPU time (utime +
 * stime of /proc/PID/stat, every thread) per execution, and the rows per execution. The first
 * pass warms the plan cache and the buffer pool. Measures a statement on its own, without a
 * page, nginx or a worker around it: docs/performance.md compares statements with it.
 *
 *   stmt-cost SOCKET MARIADBD_PID N SQL [PARAM ...]
 *
 * Connects as root over the unix socket SOCKET (ci/lib.sh's private servers allow it) to the
 * database lonua. Each PARAM binds the next ?: int:123, text:cookie or hex:0A1B… (bytes).
 * Built by hand: cc -O2 tests/perf/stmt-cost.c -o stmt-cost $(mariadb_config --cflags --libs) */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_PARAMS 16

/* mariadbd's CPU time in clock ticks: fields 14 and 15 of /proc/PID/stat, after the name. */
static long long cpu_ticks(const char *pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *s = strrchr(buf, ')'); /* the name may hold spaces */
	long long utime = 0, stime = 0;
	if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &utime, &stime) != 2)
		return -1;
	return utime + stime;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One PARAM into its bind (the value lives in storage, which outlives the binds). */
static int bind_param(const char *arg, MYSQL_BIND *b, long long *number, unsigned char *bytes, unsigned long *len)
{
	memset(b, 0, sizeof *b);
	if (strncmp(arg, "int:", 4) == 0) {
		*number = strtoll(arg + 4, NULL, 10);
		b->buffer_type = MYSQL_TYPE_LONGLONG;
		b->buffer = number;
		return 0;
	}
	if (strncmp(arg, "text:", 5) == 0) {
		*len = strlen(arg + 5);
		b->buffer_type = MYSQL_TYPE_STRING;
		b->buffer = (void *)(arg + 5);
	} else if (strncmp(arg, "hex:", 4) == 0) {
		size_t digits = strlen(arg + 4);
		if (digits % 2 != 0 || digits / 2 > 64)
			return -1;
		for (size_t i = 0; i < digits / 2; i++) {
			unsigned v;
			if (sscanf(arg + 4 + 2 * i, "%2x", &v) != 1)
				return -1;
			bytes[i] = (unsigned char)v;
		}
		*len = digits / 2;
		b->buffer_type = MYSQL_TYPE_BLOB;
		b->buffer = bytes;
	} else {
		return -1;
	}
	b->buffer_length = *len;
	b->length = len;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc - 5 > MAX_PARAMS || atoi(argv[3]) < 1) {
		fprintf(stderr, "usage: stmt-cost SOCKET MARIADBD_PID N SQL [int:V|text:V|hex:V ...]\n");
		return 2;
	}
	const char *socket = argv[1], *pid = argv[2], *sql = argv[4];
	int n = atoi(argv[3]), nparams = argc - 5;
	if (cpu_ticks(pid) < 0) {
		fprintf(stderr, "stmt-cost: cannot read /proc/%s/stat\n", pid);
		return 2;
	}
	MYSQL *db = mysql_init(NULL);
	if (!mysql_real_connect(db, NULL, "root", NULL, "lonua", 0, socket, 0)) {
		fprintf(stderr, "stmt-cost: %s\n", mysql_error(db));
		return 1;
	}
	MYSQL_STMT *st = mysql_stmt_init(db);
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		fprintf(stderr, "stmt-cost: %s\n", mysql_stmt_error(st));
		return 1;
	}
	if (mysql_stmt_param_count(st) != (unsigned long)nparams) {
		fprintf(stderr, "stmt-cost: the statement has %lu parameters, %d given\n", mysql_stmt_param_count(st),
		        nparams);
		return 2;
	}
	MYSQL_BIND binds[MAX_PARAMS];
	long long numbers[MAX_PARAMS];
	unsigned char bytes[MAX_PARAMS][64];
	unsigned long lens[MAX_PARAMS];
	for (int i = 0; i < nparams; i++)
		if (bind_param(argv[5 + i], &binds[i], &numbers[i], bytes[i], &lens[i]) != 0) {
			fprintf(stderr, "stmt-cost: bad parameter %s\n", argv[5 + i]);
			return 2;
		}
	if (nparams > 0 && mysql_stmt_bind_param(st, binds) != 0) {
		fprintf(stderr, "stmt-cost: %s\n", mysql_stmt_error(st));
		return 1;
	}
	for (int pass = 0; pass < 2; pass++) {
		long long rows = 0, ticks = cpu_ticks(pid);
		double start = seconds();
		for (int i = 0; i < n; i++) {
			if (mysql_stmt_execute(st) != 0 || mysql_stmt_store_result(st) != 0) {
				fprintf(stderr, "stmt-cost: %s\n", mysql_stmt_error(st));
				return 1;
			}
			rows += (long long)mysql_stmt_num_rows(st);
			mysql_stmt_free_result(st);
		}
		double wall = seconds() - start;
		ticks = cpu_ticks(pid) - ticks;
		if (pass == 1)
			printf("%.1f us wall, %.1f us mariadbd CPU, %.2f rows per execution (%d executions)\n",
			       wall / n * 1e6, (double)ticks / (double)sysconf(_SC_CLK_TCK) / n * 1e6, (double)rows / n,
			       n);
	}
	mysql_stmt_close(st);
	mysql_close(db);
	return 0;
}
