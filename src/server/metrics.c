#include "server/metrics.h"

#include <stdint.h>
#include <sys/mman.h>

#include "util/buf.h"

/* The statuses we count one by one; anything else falls in the last slot. */
static const int statuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404,
                               405, 409, 413, 414, 415, 422, 429, 500, 502, 503, 0};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])

struct route_counters {
	uint64_t by_status[NSTATUS];
	uint64_t bucket[NBUCKETS]; /* non-cumulative here; summed when written */
	uint64_t count;
	uint64_t sum_us;
};

struct shared {
	uint64_t worker_restarts;
	uint64_t db_reconnects;
	uint64_t workers;
	struct route_counters routes[]; /* nroutes + 1: the last is "no route" */
};

static struct shared *shm;
static size_t nslots;

int metrics_init(size_t nroutes)
{
	nslots = nroutes + 1;
	size_t size = sizeof *shm + nslots * sizeof shm->routes[0];
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	shm = p;
	return 0;
}

static void add(uint64_t *counter, uint64_t v)
{
	__atomic_fetch_add(counter, v, __ATOMIC_RELAXED);
}

static uint64_t get(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

void metrics_request(size_t route, int status, double seconds)
{
	if (!shm)
		return;
	if (route >= nslots)
		route = nslots - 1;
	struct route_counters *rc = &shm->routes[route];
	size_t s = 0;
	while (statuses[s] && statuses[s] != status)
		s++;
	add(&rc->by_status[s], 1);
	size_t b = 0;
	while (b < NBUCKETS && seconds > buckets[b])
		b++;
	if (b < NBUCKETS)
		add(&rc->bucket[b], 1);
	add(&rc->count, 1);
	add(&rc->sum_us, (uint64_t)(seconds * 1e6));
}

void metrics_worker_restart(void)
{
	if (shm)
		add(&shm->worker_restarts, 1);
}

void metrics_db_reconnect(void)
{
	if (shm)
		add(&shm->db_reconnects, 1);
}

void metrics_set_workers(int n)
{
	if (shm)
		__atomic_store_n(&shm->workers, (uint64_t)n, __ATOMIC_RELAXED);
}

void metrics_write(struct buf *out, const char *(*route_name)(size_t i, char *tmp, size_t tmplen))
{
	if (!shm)
		return;
	char tmp[256];
	buf_puts(out, "# HELP lonua_http_requests_total Requests answered by the workers, by route and status.\n"
	              "# TYPE lonua_http_requests_total counter\n");
	for (size_t i = 0; i < nslots; i++) {
		const char *name = route_name(i, tmp, sizeof tmp);
		for (size_t s = 0; s < NSTATUS; s++) {
			uint64_t v = get(&shm->routes[i].by_status[s]);
			if (!v)
				continue;
			if (statuses[s])
				buf_printf(out, "lonua_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n", name,
				           statuses[s], (unsigned long long)v);
			else
				buf_printf(out, "lonua_http_requests_total{route=\"%s\",status=\"other\"} %llu\n", name,
				           (unsigned long long)v);
		}
	}
	buf_puts(out, "# HELP lonua_http_request_duration_seconds Time from request start to the answer.\n"
	              "# TYPE lonua_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < nslots; i++) {
		const struct route_counters *rc = &shm->routes[i];
		uint64_t count = get(&rc->count);
		if (!count)
			continue;
		const char *name = route_name(i, tmp, sizeof tmp);
		uint64_t cumulative = 0;
		for (size_t b = 0; b < NBUCKETS; b++) {
			cumulative += get(&rc->bucket[b]);
			buf_printf(out, "lonua_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
			           name, buckets[b], (unsigned long long)cumulative);
		}
		buf_printf(out, "lonua_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", name,
		           (unsigned long long)count);
		buf_printf(out, "lonua_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", name,
		           (double)get(&rc->sum_us) / 1e6);
		buf_printf(out, "lonua_http_request_duration_seconds_count{route=\"%s\"} %llu\n", name,
		           (unsigned long long)count);
	}
	buf_printf(out,
	           "# HELP lonua_worker_restarts_total Workers that died and were replaced.\n"
	           "# TYPE lonua_worker_restarts_total counter\n"
	           "lonua_worker_restarts_total %llu\n"
	           "# HELP lonua_db_reconnects_total Database connections re-opened after loss.\n"
	           "# TYPE lonua_db_reconnects_total counter\n"
	           "lonua_db_reconnects_total %llu\n"
	           "# HELP lonua_workers Workers the master keeps running.\n"
	           "# TYPE lonua_workers gauge\n"
	           "lonua_workers %llu\n",
	           (unsigned long long)get(&shm->worker_restarts), (unsigned long long)get(&shm->db_reconnects),
	           (unsigned long long)get(&shm->workers));
}
