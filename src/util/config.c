#include "util/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/crypto.h"

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
	free(config.secret_key);
	free(config.smtp_password);
	free(config.kakao_client_secret);
	free(config.portone_imp_secret);
	memset(&config, 0, sizeof config);
	config.listen = env_or("LONUA_LISTEN", "127.0.0.1:9000");
	config.data_dir = env_or("LONUA_DATA_DIR", LONUA_DATADIR);
	config.pid_file = env_or("LONUA_PID_FILE", NULL);
	config.jobs_heartbeat = env_or("LONUA_JOBS_HEARTBEAT", NULL);
	config.db_host = env_or("LONUA_DB_HOST", "127.0.0.1");
	config.db_socket = env_or("LONUA_DB_SOCKET", NULL);
	config.db_replica_host = env_or("LONUA_DB_REPLICA_HOST", NULL);
	config.db_replica_socket = env_or("LONUA_DB_REPLICA_SOCKET", NULL);
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
	if (env_long("LONUA_PAGE_CACHE_SECONDS", 1, 0, 60, &v, err, errlen) < 0)
		return -1;
	config.page_cache_seconds = (int)v;
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
	if (env_long("LONUA_DB_REPLICA_PORT", 3306, 1, 65535, &v, err, errlen) < 0)
		return -1;
	config.db_replica_port = (int)v;
	if (env_secret("LONUA_DB_PASSWORD", &config.db_password, err, errlen) < 0)
		return -1;
	if (env_long("LONUA_DB_STATEMENT_TIMEOUT_MS", 5000, 0, 3600000L, &config.db_statement_timeout_ms, err, errlen) <
	    0)
		return -1;

	if (env_long("LONUA_STRICT", 0, 0, 1, &v, err, errlen) < 0)
		return -1;
	config.strict = v == 1;
	config.public_url = env_or("LONUA_PUBLIC_URL", "http://127.0.0.1:8080");
	if (strncmp(config.public_url, "http://", 7) != 0 && strncmp(config.public_url, "https://", 8) != 0) {
		snprintf(err, errlen, "LONUA_PUBLIC_URL must start with http:// or https://");
		return -1;
	}
	if (env_secret("LONUA_SECRET_KEY", &config.secret_key, err, errlen) < 0)
		return -1;
	if (!*config.secret_key) {
		/* Tokens signed with it then last as long as this process tree (one `lonua serve`). */
		unsigned char key[32];
		char text[48];
		crypto_random(key, sizeof key);
		crypto_base64url(key, sizeof key, text);
		free(config.secret_key);
		config.secret_key = xstrdup(text);
		config.secret_key_generated = true;
	} else if (strlen(config.secret_key) < 32) {
		snprintf(err, errlen, "LONUA_SECRET_KEY must be at least 32 characters (e.g. openssl rand -base64 32)");
		return -1;
	}
	if (env_long("LONUA_SESSION_IDLE", 43200, 60, 31L * 86400, &config.session_idle, err, errlen) < 0 ||
	    env_long("LONUA_SESSION_MAX", 14L * 86400, 60, 365L * 86400, &config.session_max, err, errlen) < 0)
		return -1;
	if (env_long("LONUA_ARGON2_MEMORY_KIB", 19456, 19456, 1L << 22, &v, err, errlen) < 0)
		return -1;
	config.argon2_memory_kib = (int)v;
	if (env_long("LONUA_ARGON2_ITERATIONS", 2, 2, 100, &v, err, errlen) < 0)
		return -1;
	config.argon2_iterations = (int)v;
	config.mail_dir = env_or("LONUA_MAIL_DIR", NULL);
	config.mail_from = env_or("LONUA_MAIL_FROM", "LONUA <no-reply@lonua.example>");
	config.smtp_url = env_or("LONUA_SMTP_URL", NULL);
	config.smtp_user = env_or("LONUA_SMTP_USER", NULL);
	if (env_secret("LONUA_SMTP_PASSWORD", &config.smtp_password, err, errlen) < 0)
		return -1;
	if (env_long("LONUA_SMTP_STARTTLS", 1, 0, 1, &v, err, errlen) < 0)
		return -1;
	config.smtp_starttls = v == 1;
	if (env_long("LONUA_HTTP_TIMEOUT_MS", 10000, 100, 120000, &config.http_timeout_ms, err, errlen) < 0 ||
	    env_long("LONUA_JOBS_POLL_MS", 1000, 10, 60000, &config.jobs_poll_ms, err, errlen) < 0)
		return -1;
	if (env_long("LONUA_OUTBOX_MAX_ATTEMPTS", 8, 1, 100, &v, err, errlen) < 0)
		return -1;
	config.outbox_max_attempts = (int)v;
	if (env_long("LONUA_OUTBOX_RETRY_SECONDS", 60, 1, 86400, &config.outbox_retry_seconds, err, errlen) < 0)
		return -1;
	config.kakao_client_id = env_or("LONUA_KAKAO_CLIENT_ID", NULL);
	if (env_secret("LONUA_KAKAO_CLIENT_SECRET", &config.kakao_client_secret, err, errlen) < 0)
		return -1;
	config.kakao_auth_url = env_or("LONUA_KAKAO_AUTH_URL", "https://kauth.kakao.com");
	config.kakao_api_url = env_or("LONUA_KAKAO_API_URL", "https://kapi.kakao.com");
	config.bank_account = env_or("LONUA_BANK_ACCOUNT", "LONUA은행 000-000000-00-000 (주)로누아");
	if (env_long("LONUA_BANK_TRANSFER_HOURS", 72, 1, 720, &config.bank_transfer_hours, err, errlen) < 0 ||
	    env_long("LONUA_GATEWAY_PAYMENT_MINUTES", 30, 5, 1440, &config.gateway_payment_minutes, err, errlen) < 0)
		return -1;
	config.portone_api_url = env_or("LONUA_PORTONE_API_URL", "https://api.iamport.kr");
	config.portone_imp_key = env_or("LONUA_PORTONE_IMP_KEY", NULL);
	if (env_secret("LONUA_PORTONE_IMP_SECRET", &config.portone_imp_secret, err, errlen) < 0)
		return -1;
	config.portone_merchant_code = env_or("LONUA_PORTONE_MERCHANT_CODE", NULL);
	config.portone_pg = env_or("LONUA_PORTONE_PG", NULL);
	config.portone_script_url = env_or("LONUA_PORTONE_SCRIPT_URL", "https://cdn.iamport.kr/v1/iamport.js");
	if (env_long("LONUA_PORTONE_SANDBOX", 0, 0, 1, &v, err, errlen) < 0)
		return -1;
	config.portone_sandbox = v == 1;
	return 0;
}
