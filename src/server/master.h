/* `lonua serve`: the master process. It opens the FastCGI socket, keeps config.workers
 * workers running, replaces one that dies (with backoff against crash loops), stops
 * gracefully on SIGTERM and reloads gracefully on SIGHUP. */
#ifndef LONUA_SERVER_MASTER_H
#define LONUA_SERVER_MASTER_H

/* Runs until SIGTERM/SIGINT. Returns the process exit status. */
int master_run(void);

/* Opens the listening socket for address ("unix:/path", "/path" or "host:port"), non-blocking.
 * Returns the descriptor or -1 (logged). */
int master_listen(const char *address, int socket_mode);

#endif
