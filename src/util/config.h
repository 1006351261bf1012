/* Configuration, read once from the environment (12-factor). docs/configuration.md lists it. */
#ifndef LONUA_UTIL_CONFIG_H
#define LONUA_UTIL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
	const char *listen;    /* LONUA_LISTEN: unix socket path or host:port */
	int socket_mode;       /* LONUA_SOCKET_MODE: octal permissions of a unix socket */
	int workers;           /* LONUA_WORKERS */
	long max_requests;     /* LONUA_MAX_REQUESTS: a worker is recycled after this many */
	int shutdown_timeout;  /* LONUA_SHUTDOWN_TIMEOUT: seconds to wait for in-flight requests */
	const char *pid_file;  /* LONUA_PID_FILE (optional) */
	const char *data_dir;  /* LONUA_DATA_DIR: holds templates/, locales/, schema/ */
	const char *dist_dir;  /* LONUA_DIST_DIR: built front-end assets with manifest.json */
	const char *media_dir; /* LONUA_MEDIA_DIR: stored images, served by nginx as /media/ */
	size_t max_body;       /* LONUA_MAX_BODY: bytes */
	bool test_routes;      /* LONUA_TEST_ROUTES: expose /api/v1/test/... (tests only) */
	const char *db_host;   /* LONUA_DB_HOST */
	int db_port;           /* LONUA_DB_PORT */
	const char *db_socket; /* LONUA_DB_SOCKET: a unix socket wins over host/port */
	const char *db_user;   /* LONUA_DB_USER */
	char *db_password;     /* LONUA_DB_PASSWORD or the contents of LONUA_DB_PASSWORD_FILE */
	const char *db_name;   /* LONUA_DB_NAME */
};

extern struct config config;

/* Reads the environment into `config`. Returns 0, or -1 after writing a message naming the
 * variable at fault into err. */
int config_load(char *err, size_t errlen);

/* Parses a whole decimal integer within [min, max]; returns 0 or -1. */
int config_parse_long(const char *s, long min, long max, long *out);

#endif
