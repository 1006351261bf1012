/* Configuration, read once from the environment (12-factor). docs/configuration.md lists it. */
#ifndef LONUA_UTIL_CONFIG_H
#define LONUA_UTIL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
	const char *listen;          /* LONUA_LISTEN: unix socket path or host:port */
	int socket_mode;             /* LONUA_SOCKET_MODE: octal permissions of a unix socket */
	int workers;                 /* LONUA_WORKERS */
	long max_requests;           /* LONUA_MAX_REQUESTS: a worker is recycled after this many */
	int shutdown_timeout;        /* LONUA_SHUTDOWN_TIMEOUT: seconds to wait for in-flight requests */
	int page_cache_seconds;      /* LONUA_PAGE_CACHE_SECONDS: how long nginx may share a guest's page (0: never) */
	const char *pid_file;        /* LONUA_PID_FILE (optional) */
	const char *data_dir;        /* LONUA_DATA_DIR: holds templates/, locales/, schema/ */
	const char *dist_dir;        /* LONUA_DIST_DIR: built front-end assets with manifest.json */
	const char *media_dir;       /* LONUA_MEDIA_DIR: stored images, served by nginx as /media/ */
	size_t max_body;             /* LONUA_MAX_BODY: bytes */
	bool test_routes;            /* LONUA_TEST_ROUTES: expose /api/v1/test/... (tests only) */
	const char *db_host;         /* LONUA_DB_HOST */
	int db_port;                 /* LONUA_DB_PORT */
	const char *db_socket;       /* LONUA_DB_SOCKET: a unix socket wins over host/port */
	const char *db_replica_host; /* LONUA_DB_REPLICA_HOST: a read replica for the catalogue */
	int db_replica_port;         /* LONUA_DB_REPLICA_PORT */
	const char *db_replica_socket;     /* LONUA_DB_REPLICA_SOCKET */
	const char *db_user;               /* LONUA_DB_USER */
	char *db_password;                 /* LONUA_DB_PASSWORD or the contents of LONUA_DB_PASSWORD_FILE */
	const char *db_name;               /* LONUA_DB_NAME */
	long db_statement_timeout_ms;      /* LONUA_DB_STATEMENT_TIMEOUT_MS: `lonua serve`'s statements (0: none) */
	bool strict;                       /* LONUA_STRICT: programming errors (an undeclared input) abort */
	const char *public_url;            /* LONUA_PUBLIC_URL: the shop's address, for links in mails */
	char *secret_key;                  /* LONUA_SECRET_KEY(_FILE): signs guests' CSRF tokens */
	bool secret_key_generated;         /* no key was configured: a random one for this process tree */
	long session_idle;                 /* LONUA_SESSION_IDLE: seconds a session lives without use */
	long session_max;                  /* LONUA_SESSION_MAX: seconds a session lives at most */
	int argon2_memory_kib;             /* LONUA_ARGON2_MEMORY_KIB: Argon2id memory (at least 19456) */
	int argon2_iterations;             /* LONUA_ARGON2_ITERATIONS: Argon2id passes (at least 2) */
	const char *mail_dir;              /* LONUA_MAIL_DIR: write mails as files here (development) */
	const char *mail_from;             /* LONUA_MAIL_FROM: the From of every mail */
	const char *smtp_url;              /* LONUA_SMTP_URL: smtp://host:port[/ehlo-name] or smtps:// */
	const char *smtp_user;             /* LONUA_SMTP_USER */
	char *smtp_password;               /* LONUA_SMTP_PASSWORD(_FILE) */
	bool smtp_starttls;                /* LONUA_SMTP_STARTTLS: require STARTTLS on smtp:// */
	long http_timeout_ms;              /* LONUA_HTTP_TIMEOUT_MS: outbound calls (Kakao, SMTP, webhooks) */
	long jobs_poll_ms;                 /* LONUA_JOBS_POLL_MS: how often `lonua jobs` looks for work */
	const char *jobs_heartbeat;        /* LONUA_JOBS_HEARTBEAT: a file `lonua jobs` touches each round */
	int outbox_max_attempts;           /* LONUA_OUTBOX_MAX_ATTEMPTS: then a message is "failed" */
	long outbox_retry_seconds;         /* LONUA_OUTBOX_RETRY_SECONDS: the first retry's delay (doubling) */
	const char *kakao_client_id;       /* LONUA_KAKAO_CLIENT_ID (REST API key): Kakao login when set */
	char *kakao_client_secret;         /* LONUA_KAKAO_CLIENT_SECRET(_FILE), when the app has one */
	const char *kakao_auth_url;        /* LONUA_KAKAO_AUTH_URL */
	const char *kakao_api_url;         /* LONUA_KAKAO_API_URL */
	const char *bank_account;          /* LONUA_BANK_ACCOUNT: where shoppers send bank transfers */
	long bank_transfer_hours;          /* LONUA_BANK_TRANSFER_HOURS: an unpaid transfer order expires after */
	long gateway_payment_minutes;      /* LONUA_GATEWAY_PAYMENT_MINUTES: a card order expires unpaid after */
	const char *portone_api_url;       /* LONUA_PORTONE_API_URL: the V1 REST API */
	const char *portone_imp_key;       /* LONUA_PORTONE_IMP_KEY: with the secret and the merchant code, cards
	                                    * and KakaoPay are offered */
	char *portone_imp_secret;          /* LONUA_PORTONE_IMP_SECRET(_FILE) */
	const char *portone_merchant_code; /* LONUA_PORTONE_MERCHANT_CODE: imp########, for the browser's IMP.init */
	const char *portone_pg;            /* LONUA_PORTONE_PG: the pg parameter of IMP.request_pay (optional) */
	const char *portone_script_url;    /* LONUA_PORTONE_SCRIPT_URL: the gateway's browser script */
	bool portone_sandbox;              /* LONUA_PORTONE_SANDBOX: look up test-channel payments too (staging) */
};

extern struct config config;

/* Reads the environment into `config`. Returns 0, or -1 after writing a message naming the
 * variable at fault into err. */
int config_load(char *err, size_t errlen);

/* Parses a whole decimal integer within [min, max]; returns 0 or -1. */
int config_parse_long(const char *s, long min, long max, long *out);

#endif
