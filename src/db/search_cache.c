#include "db/search_cache.h"

#include <string.h>

#include "db/statement_key.h"
#include "util/clock.h"

/* A direct-mapped table, like the totals' (db/total_cache.c): 1024 slots of 1.3 KB, 1.3 MiB per
 * process. */
#define SLOTS 1024

struct slot {
	unsigned long long version; /* 0: empty (the catalogue's version starts at 1) */
	double stored_at;
	size_t n;
	long long ids[SEARCH_CACHE_IDS];
	size_t keylen;
	unsigned char key[STATEMENT_KEY_MAX];
};

static struct slot slots[SLOTS];

bool search_cache_get(const char *sql, const struct db_param *params, size_t nparams, double max_age, long long *ids,
                      size_t *n, unsigned long long *version)
{
	unsigned char key[STATEMENT_KEY_MAX];
	size_t len = statement_key(sql, params, nparams, key);
	if (!len)
		return false;
	const struct slot *s = &slots[statement_key_slot(key, len, SLOTS)];
	if (s->version == 0 || s->keylen != len || memcmp(s->key, key, len) != 0 ||
	    now_seconds() - s->stored_at >= max_age)
		return false;
	memcpy(ids, s->ids, s->n * sizeof *ids);
	*n = s->n;
	*version = s->version;
	return true;
}

void search_cache_put(const char *sql, const struct db_param *params, size_t nparams, const long long *ids, size_t n,
                      unsigned long long version)
{
	unsigned char key[STATEMENT_KEY_MAX];
	size_t len = statement_key(sql, params, nparams, key);
	if (!len || version == 0 || n > SEARCH_CACHE_IDS)
		return;
	struct slot *s = &slots[statement_key_slot(key, len, SLOTS)];
	s->version = version;
	s->stored_at = now_seconds();
	s->n = n;
	memcpy(s->ids, ids, n * sizeof *ids);
	s->keylen = len;
	memcpy(s->key, key, len);
}
