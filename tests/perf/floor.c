/* The FastCGI floor of ci/perf: a libfcgi program that answers every request with the same bytes
 * (a page fetched once from the shop) and the headers a page carries (src/server/worker.c,
 * send_response), without reading the request, a database or a template. What nginx and
 * FastCGI cost by themselves: no page can be served faster through the same nginx.
 *
 *   floor SOCKET PROCESSES BODY_FILE
 *
 * Listens on the unix socket SOCKET (mode 660, backlog 1024 like `lonua serve`) and forks
 * PROCESSES children that accept in turn; SIGTERM to the parent stops them all.
 * Built by ci/perf: cc -O2 tests/perf/floor.c -o floor -lfcgi */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PROCESSES 64

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			data = realloc(data, cap);
			if (!data)
				exit(1);
		}
		got = fread(data + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return data;
}

static void serve(int fd, const char *head, size_t head_len, const char *body, size_t body_len)
{
	FCGX_Request req;
	FCGX_InitRequest(&req, fd, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		const char *id = FCGX_GetParam("REQUEST_ID", req.envp);
		FCGX_PutStr(head, (int)head_len, req.out);
		FCGX_FPrintF(req.out, "X-Request-Id: %s\r\n\r\n", id ? id : "-");
		FCGX_PutStr(body, (int)body_len, req.out);
		FCGX_Finish_r(&req);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4 || atoi(argv[2]) < 1 || atoi(argv[2]) > MAX_PROCESSES) {
		fprintf(stderr, "usage: floor SOCKET PROCESSES(1-%d) BODY_FILE\n", MAX_PROCESSES);
		return 2;
	}
	size_t body_len;
	char *body = read_file(argv[3], &body_len);
	if (!body) {
		perror(argv[3]);
		return 1;
	}
	char head[1024];
	int head_len = snprintf(head, sizeof head,
	                        "Status: 200 OK\r\n"
	                        "Content-Type: text/html; charset=utf-8\r\n"
	                        "Content-Length: %zu\r\n"
	                        "X-Content-Type-Options: nosniff\r\n"
	                        "X-Frame-Options: DENY\r\n"
	                        "Referrer-Policy: strict-origin-when-cross-origin\r\n"
	                        "Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; "
	                        "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'\r\n"
	                        "Content-Language: ko\r\n"
	                        "Vary: Accept, Accept-Language, Cookie\r\n",
	                        body_len);
	if (FCGX_Init() != 0) {
		fprintf(stderr, "FCGX_Init failed\n");
		return 1;
	}
	unlink(argv[1]);
	int fd = FCGX_OpenSocket(argv[1], 1024);
	if (fd < 0) {
		fprintf(stderr, "cannot listen on %s\n", argv[1]);
		return 1;
	}
	chmod(argv[1], 0660);

	int n = atoi(argv[2]);
	pid_t children[MAX_PROCESSES];
	for (int i = 0; i < n; i++) {
		children[i] = fork();
		if (children[i] == 0) {
			signal(SIGPIPE, SIG_IGN);
			serve(fd, head, (size_t)head_len, body, body_len);
			_exit(0);
		}
		if (children[i] < 0) {
			perror("fork");
			n = i;
			stopping = 1;
			break;
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int alive = n;
	while (alive > 0) {
		if (stopping) {
			for (int i = 0; i < n; i++)
				kill(children[i], SIGTERM);
			stopping = 0;
		}
		if (wait(NULL) > 0)
			alive--;
	}
	unlink(argv[1]);
	return 0;
}
