/* A worker: one single-threaded FastCGI request loop over the shared listening socket. */
#ifndef LONUA_SERVER_WORKER_H
#define LONUA_SERVER_WORKER_H

/* Loads the views, tells the master it is ready (one byte on ready_fd), then answers
 * requests until SIGTERM or until it has served config.max_requests. Returns the exit status. */
int worker_run(int listen_fd, int ready_fd);

#endif
