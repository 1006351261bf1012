#include "server/master.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "handlers/routes.h"
#include "server/metrics.h"
#include "server/worker.h"
#include "util/config.h"
#include "util/log.h"

#define MAX_WORKERS      512
#define READY_TIMEOUT_MS 10000
#define BACKOFF_MAX_MS   10000

struct worker {
	pid_t pid;
	int generation;
	double started;
	bool stopping; /* told to leave: its exit is expected */
	int ready_fd;  /* read end of its ready pipe, until it reports */
};

static struct worker workers[MAX_WORKERS];
static int generation;
static int listen_fd = -1;
static const char *unix_path;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

int master_listen(const char *address, int socket_mode)
{
	int fd;
	if (strncmp(address, "unix:", 5) == 0 || address[0] == '/' || address[0] == '.') {
		const char *path = strncmp(address, "unix:", 5) == 0 ? address + 5 : address;
		struct sockaddr_un sun = {.sun_family = AF_UNIX};
		if (strlen(path) >= sizeof sun.sun_path) {
			log_error("socket path too long: %s", path);
			return -1;
		}
		strcpy(sun.sun_path, path);
		unlink(path); /* a socket left by an earlier run */
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
			log_error("cannot bind %s: %s", path, strerror(errno));
			return -1;
		}
		chmod(path, (mode_t)socket_mode);
		unix_path = path;
	} else {
		char host[256];
		const char *colon = strrchr(address, ':');
		if (!colon || (size_t)(colon - address) >= sizeof host) {
			log_error("LONUA_LISTEN must be a unix socket path or host:port, not %s", address);
			return -1;
		}
		memcpy(host, address, (size_t)(colon - address));
		host[colon - address] = '\0';
		struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE},
		                *ai;
		if (getaddrinfo(*host ? host : NULL, colon + 1, &hints, &ai) != 0) {
			log_error("cannot resolve %s", address);
			return -1;
		}
		fd = socket(ai->ai_family, SOCK_STREAM, 0);
		int on = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			log_error("cannot bind %s: %s", address, strerror(errno));
			freeaddrinfo(ai);
			return -1;
		}
		freeaddrinfo(ai);
	}
	if (listen(fd, 1024) != 0) {
		log_error("cannot listen: %s", strerror(errno));
		return -1;
	}
	/* Workers poll before accepting; a worker that loses the race gets EAGAIN, not a hang. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, 0);
	return fd;
}

static int count_current(void)
{
	int n = 0;
	for (int i = 0; i < MAX_WORKERS; i++)
		if (workers[i].pid && workers[i].generation == generation && !workers[i].stopping)
			n++;
	return n;
}

static int count_alive(void)
{
	int n = 0;
	for (int i = 0; i < MAX_WORKERS; i++)
		if (workers[i].pid)
			n++;
	return n;
}

/* Forks one worker of the current generation. Returns its slot or -1. */
static int spawn(void)
{
	int slot = 0;
	while (slot < MAX_WORKERS && workers[slot].pid)
		slot++;
	int pipefd[2];
	if (slot == MAX_WORKERS || pipe(pipefd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		log_error("fork failed: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		for (int i = 0; i < MAX_WORKERS; i++)
			if (workers[i].pid && workers[i].ready_fd >= 0)
				close(workers[i].ready_fd);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int rc = worker_run(listen_fd, pipefd[1]);
#ifdef __SANITIZE_ADDRESS__
		/* _exit skips LeakSanitizer's exit-time check: the sanitizer build checks the worker here,
		 * so what its requests leaked is reported in the log (issue 12, the soak). */
		__lsan_do_leak_check();
#endif
		_exit(rc);
	}
	close(pipefd[1]);
	workers[slot] = (struct worker){pid, generation, now_ms(), false, pipefd[0]};
	return slot;
}

/* Waits until each worker of the current generation has reported ready (or died).
 * Returns true when all of them are ready. */
static bool wait_ready(void)
{
	double deadline = now_ms() + READY_TIMEOUT_MS;
	bool all = true;
	for (int i = 0; i < MAX_WORKERS; i++) {
		struct worker *w = &workers[i];
		if (!w->pid || w->generation != generation || w->ready_fd < 0)
			continue;
		struct pollfd p = {w->ready_fd, POLLIN, 0};
		int left = (int)(deadline - now_ms());
		char c;
		if (left <= 0 || poll(&p, 1, left) != 1 || read(w->ready_fd, &c, 1) != 1)
			all = false;
		close(w->ready_fd);
		w->ready_fd = -1;
	}
	return all;
}

static void signal_generation(int gen, bool only_gen, int sig)
{
	for (int i = 0; i < MAX_WORKERS; i++) {
		struct worker *w = &workers[i];
		if (!w->pid || (only_gen && w->generation != gen))
			continue;
		w->stopping = true;
		kill(w->pid, sig);
	}
}

/* Reaps dead workers. Returns how many died unexpectedly, and sets *short_lived when one of
 * those died soon after it started (a crash loop in the making). */
static int reap(bool *short_lived)
{
	int crashed = 0;
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < MAX_WORKERS; i++) {
			struct worker *w = &workers[i];
			if (w->pid != pid)
				continue;
			bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
			if (!w->stopping && !clean) {
				crashed++;
				metrics_worker_restart();
				if (now_ms() - w->started < 2000)
					*short_lived = true;
				if (WIFSIGNALED(status))
					log_warn("worker %d killed by signal %d; replacing it", (int)pid,
					         WTERMSIG(status));
				else
					log_warn("worker %d exited with status %d; replacing it", (int)pid,
					         WEXITSTATUS(status));
			}
			if (w->ready_fd >= 0)
				close(w->ready_fd);
			memset(w, 0, sizeof *w);
			w->ready_fd = -1;
		}
	}
	return crashed;
}

/* SIGHUP: start a new generation, and retire the old one only when the new one is ready.
 * A new generation that cannot start is stopped and the old one keeps serving. */
static void reload(void)
{
	log_info("reload: starting a new generation of %d workers", config.workers);
	generation++;
	for (int i = 0; i < config.workers; i++)
		spawn();
	if (wait_ready()) {
		for (int i = 0; i < MAX_WORKERS; i++)
			if (workers[i].pid && workers[i].generation < generation)
				workers[i].stopping = true, kill(workers[i].pid, SIGTERM);
		log_info("reload: new workers ready, old ones leaving after their requests");
	} else {
		log_error("reload: new workers did not start; keeping the old ones");
		signal_generation(generation, true, SIGTERM);
		for (int i = 0; i < MAX_WORKERS; i++)
			if (workers[i].pid && workers[i].generation == generation - 1)
				workers[i].generation = generation;
	}
}

/* SIGTERM: stop taking connections, let workers finish what they serve, then leave. */
static void shutdown_all(sigset_t *mask)
{
	log_info("stopping: waiting up to %d s for requests in flight", config.shutdown_timeout);
	/* New connections fail at once instead of queueing behind workers that are leaving. */
	if (unix_path)
		unlink(unix_path);
	signal_generation(0, false, SIGTERM);
	double deadline = now_ms() + config.shutdown_timeout * 1000.0;
	bool unused;
	while (count_alive() > 0 && now_ms() < deadline) {
		struct timespec t = {0, 50 * 1000 * 1000};
		sigtimedwait(mask, NULL, &t);
		reap(&unused);
	}
	if (count_alive() > 0) {
		log_warn("stopping: killing workers still busy after %d s", config.shutdown_timeout);
		signal_generation(0, false, SIGKILL);
		while (waitpid(-1, NULL, 0) > 0)
			;
	}
	close(listen_fd);
	if (config.pid_file)
		unlink(config.pid_file);
	log_info("stopped");
}

int master_run(void)
{
	log_set_role("master");
	if (config.secret_key_generated)
		log_warn("LONUA_SECRET_KEY is not set: a random key signs guests' forms until this master stops, and "
		         "only on this machine");
	for (int i = 0; i < MAX_WORKERS; i++)
		workers[i].ready_fd = -1;
	if (metrics_init(routes_count) < 0) {
		log_error("cannot map shared metrics");
		return 1;
	}
	listen_fd = master_listen(config.listen, config.socket_mode);
	if (listen_fd < 0)
		return 1;
	if (config.pid_file) {
		FILE *f = fopen(config.pid_file, "w");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	/* The master takes its signals synchronously, from sigtimedwait, never in a handler. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (int i = 0; i < config.workers; i++)
		spawn();
	if (!wait_ready())
		log_warn("not every worker reported ready");
	metrics_set_workers(config.workers);
	log_info("serving on %s with %d workers", config.listen, config.workers);

	double backoff_ms = 0, next_spawn = 0;
	for (;;) {
		double now = now_ms();
		if (count_current() < config.workers && now >= next_spawn) {
			while (count_current() < config.workers && spawn() >= 0)
				;
			wait_ready(); /* a replacement that fails to start shows up as a death below */
		}
		double wait = count_current() < config.workers ? next_spawn - now : 1000;
		if (wait < 1)
			wait = 1;
		struct timespec t = {(time_t)(wait / 1000), (long)((long long)wait % 1000) * 1000000L};
		int sig = sigtimedwait(&mask, NULL, &t);
		if (sig == SIGTERM || sig == SIGINT) {
			shutdown_all(&mask);
			return 0;
		}
		if (sig == SIGHUP)
			reload();
		bool short_lived = false;
		if (reap(&short_lived) > 0) {
			/* Replace at once, unless workers die young: then wait longer after each round
			 * of starts (deaths within one round do not add up). */
			if (!short_lived) {
				backoff_ms = 0;
				next_spawn = now_ms();
			} else if (now_ms() >= next_spawn) {
				backoff_ms = backoff_ms ? backoff_ms * 2 : 100;
				if (backoff_ms > BACKOFF_MAX_MS)
					backoff_ms = BACKOFF_MAX_MS;
				next_spawn = now_ms() + backoff_ms;
				log_warn("workers are dying young; next start in %.0f ms", backoff_ms);
			}
		}
	}
}
