#include "util/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#ifndef LONUA_DATADIR
#define LONUA_DATADIR "/usr/local/share/lonua"
#endif

struct config config;

int config_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

/* Reads an integer variable; on a bad value writes the message and returns -1. */
static int env_long(const char *name, long fallback, long min, long max, long *out, char *err, size_t errlen)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		*out = fallback;
		return 0;
	}
	if (config_parse_long(v, min, max, out) < 0) {
		snprintf(err, errlen, "%s must be a whole number from %ld to %ld", name, min, max);
		return -1;
	}
	return 0;
}

/* Reads a secret from NAME, or from the file named by NAME_FILE (trailing newline dropped). */
static int env_secret(const char *name, char **out, char *err, size_t errlen)
{
	char file_var[128];
	snprintf(file_var, sizeof file_var, "%s_FILE", name);
	const char *path = getenv(file_var);
	if (path && *path) {
		struct buf b = BUF_INIT;
		if (buf_append_file(&b, path) < 0) {
			snprintf(err, errlen, "%s: cannot read %s", file_var, path);
			buf_free(&b);
			return -1;
		}
		while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
			b.data[--b.len] = '\0';
		*out = xstrdup(buf_str(&b));
		buf_free(&b);
		return 0;
	}
	*out = xstrdup(env_or(name, ""));
	return 0;
}

int config_load(char *err, size_t errlen)
{
	long v;
	free(config.db_password);
	memset(&config, 0, sizeof config);
	config.listen = env_or("LONUA_LISTEN", "127.0.0.1:9000");
	config.data_dir = env_or("LONUA_DATA_DIR", LONUA_DATADIR);
	config.pid_file = env_or("LONUA_PID_FILE", NULL);
	config.db_host = env_or("LONUA_DB_HOST", "127.0.0.1");
	config.db_socket = env_or("LONUA_DB_SOCKET", NULL);
	config.db_user = env_or("LONUA_DB_USER", "lonua");
	config.db_name = env_or("LONUA_DB_NAME", "lonua");

	static char dist[4096];
	const char *d = getenv("LONUA_DIST_DIR");
	if (d && *d)
		snprintf(dist, sizeof dist, "%s", d);
	else
		snprintf(dist, sizeof dist, "%s/dist", config.data_dir);
	config.dist_dir = dist;

	static char media[4096];
	const char *md = getenv("LONUA_MEDIA_DIR");
	snprintf(media, sizeof media, "%s", md && *md ? md : "/var/lib/lonua/media");
	config.media_dir = media;

	const char *mode = env_or("LONUA_SOCKET_MODE", "660");
	char *end;
	errno = 0;
	v = strtol(mode, &end, 8);
	if (errno || *end || v < 0 || v > 0777) {
		snprintf(err, errlen, "LONUA_SOCKET_MODE must be octal permissions such as 660");
		return -1;
	}
	config.socket_mode = (int)v;

	if (env_long("LONUA_WORKERS", 4, 1, 256, &v, err, errlen) < 0)
		return -1;
	config.workers = (int)v;
	if (env_long("LONUA_MAX_REQUESTS", 100000, 1, 1000000000L, &v, err, errlen) < 0)
		return -1;
	config.max_requests = v;
	if (env_long("LONUA_SHUTDOWN_TIMEOUT", 30, 1, 3600, &v, err, errlen) < 0)
		return -1;
	config.shutdown_timeout = (int)v;
	if (env_long("LONUA_MAX_BODY", 10L << 20, 1024, 1L << 30, &v, err, errlen) < 0)
		return -1;
	config.max_body = (size_t)v;
	if (env_long("LONUA_TEST_ROUTES", 0, 0, 1, &v, err, errlen) < 0)
		return -1;
	config.test_routes = v == 1;
	if (env_long("LONUA_DB_PORT", 3306, 1, 65535, &v, err, errlen) < 0)
		return -1;
	config.db_port = (int)v;
	return env_secret("LONUA_DB_PASSWORD", &config.db_password, err, errlen);
}
