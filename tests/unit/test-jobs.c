/* The outbox's retry schedule (src/server/jobs.c): the first delay from
 * LONUA_OUTBOX_RETRY_SECONDS, doubling with each failed attempt, at most six hours. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "server/jobs.h"
#include "tap.h"
#include "util/config.h"

static void load(const char *retry)
{
	char err[256];
	if (retry)
		setenv("LONUA_OUTBOX_RETRY_SECONDS", retry, 1);
	else
		unsetenv("LONUA_OUTBOX_RETRY_SECONDS");
	if (config_load(err, sizeof err) != 0)
		tap_diag("config_load: %s", err);
}

int main(void)
{
	static const struct {
		const char *retry; /* LONUA_OUTBOX_RETRY_SECONDS, NULL: the default */
		int attempts;
		long seconds;
	} cases[] = {
	    {NULL, 1, 60},       {NULL, 2, 120},      {NULL, 3, 240},     {NULL, 4, 480},      {NULL, 8, 7680},
	    {NULL, 9, 15360},    {NULL, 10, 21600},   {NULL, 11, 21600},  {NULL, 100, 21600},  {NULL, 0, 60},
	    {NULL, -5, 60},      {"5", 1, 5},         {"5", 2, 10},       {"5", 5, 80},        {"5", 13, 20480},
	    {"5", 14, 21600},    {"1", 1, 1},         {"1", 15, 16384},   {"1", 16, 21600},    {"1", 1000000, 21600},
	    {"3600", 1, 3600},   {"3600", 3, 14400},  {"3600", 4, 21600}, {"21600", 1, 21600}, {"21601", 1, 21600},
	    {"86400", 1, 21600}, {"86400", 2, 21600},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		load(cases[i].retry);
		long got = jobs_retry_seconds(cases[i].attempts);
		tap_ok(got == cases[i].seconds, "retry %s s, after %d failed attempts: %ld s (got %ld)",
		       cases[i].retry ? cases[i].retry : "60 (default)", cases[i].attempts, cases[i].seconds, got);
	}

	/* Never shorter after more failures, never zero, never past six hours. */
	load("7");
	bool ok = true;
	for (int a = 1; a < 200; a++) {
		long s = jobs_retry_seconds(a);
		if (s < jobs_retry_seconds(a - 1) || s < 1 || s > 6 * 3600)
			ok = false;
	}
	tap_ok(ok, "the delay grows with the attempts and stays within 1 s .. 6 h");
	load(NULL);
	return tap_done();
}
