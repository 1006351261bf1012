/* One-line log records on stderr, each carrying the id of the request being served. */
#ifndef LONUA_UTIL_LOG_H
#define LONUA_UTIL_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO };

/* Sets the request id printed with every line until the next call (NULL: none). */
void log_set_request_id(const char *id);
/* Sets the process role printed with every line ("master", "worker", "migrate"...). */
void log_set_role(const char *role);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)

#endif
