/* Configuration from the environment: defaults, bounds, secrets from files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/request.h"
#include "tap.h"
#include "util/config.h"

int main(void)
{
	char err[256];
	unsetenv("LONUA_WORKERS");
	unsetenv("LONUA_DB_PASSWORD_FILE");
	setenv("LONUA_DB_PASSWORD", "from-env", 1);
	tap_ok(config_load(err, sizeof err) == 0 && config.workers == 4 && config.max_body == 10u << 20,
	       "defaults: 4 workers, 10 MiB bodies");
	tap_ok(strcmp(config.db_password, "from-env") == 0, "password from LONUA_DB_PASSWORD");

	static const char *const bad[] = {"0", "-3", "abc", "4x", "100000", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setenv("LONUA_WORKERS", bad[i], 1);
		int rc = config_load(err, sizeof err);
		tap_ok(bad[i][0] ? rc == -1 && strstr(err, "LONUA_WORKERS") != NULL : rc == 0,
		       "LONUA_WORKERS=\"%s\" %s", bad[i],
		       bad[i][0] ? "is refused with a message naming it" : "means the default");
	}
	unsetenv("LONUA_WORKERS");

	char path[] = "/tmp/lonua-test-secretXXXXXX";
	int fd = mkstemp(path);
	tap_ok(fd >= 0 && write(fd, "s3cret\n", 7) == 7, "secret file written");
	close(fd);
	setenv("LONUA_DB_PASSWORD_FILE", path, 1);
	tap_ok(config_load(err, sizeof err) == 0 && strcmp(config.db_password, "s3cret") == 0,
	       "a _FILE variable wins and its trailing newline is dropped");
	unlink(path);
	tap_ok(config_load(err, sizeof err) == -1 && strstr(err, "LONUA_DB_PASSWORD_FILE") && !strstr(err, "s3cret"),
	       "an unreadable secret file is an error that names the variable, not the secret");
	unsetenv("LONUA_DB_PASSWORD_FILE");

	static const struct {
		const char *query, *cookie, *accept, *want;
	} langs[] = {
	    {NULL, NULL, NULL, "ko"},
	    {"en", NULL, NULL, "en"},
	    {"en", "ko", "ko", "en"},
	    {NULL, "en", "ko-KR", "en"},
	    {NULL, NULL, "en-US,en;q=0.9", "en"},
	    {NULL, NULL, "en;q=0.5,ko;q=0.8", "ko"},
	    {NULL, NULL, "fr-FR,de", "ko"},
	    {"xx", "yy", "en", "en"},
	    {NULL, NULL, "enx", "ko"},
	};
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
		tap_ok(strcmp(request_choose_lang(langs[i].query, langs[i].cookie, langs[i].accept), langs[i].want) ==
		           0,
		       "language from query %s, cookie %s, Accept-Language %s is %s",
		       langs[i].query ? langs[i].query : "-", langs[i].cookie ? langs[i].cookie : "-",
		       langs[i].accept ? langs[i].accept : "-", langs[i].want);
	free(config.db_password);
	config.db_password = NULL;
	return tap_done();
}
