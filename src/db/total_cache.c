#include "db/total_cache.h"

#include <string.h>

#include "db/statement_key.h"

/* A direct-mapped table: a new key takes its slot whatever was there. Searches make keys without
 * end, so the table must not grow; 512 slots of 512 bytes is 256 KiB per process. */
#define SLOTS 512

struct slot {
	unsigned long long version; /* 0: empty (every version starts at 1) */
	long long total;
	size_t keylen;
	unsigned char key[STATEMENT_KEY_MAX];
};

static struct slot slots[SLOTS];

bool total_cache_get(const char *sql, const struct db_param *params, size_t nparams, unsigned long long version,
                     long long *total)
{
	unsigned char key[STATEMENT_KEY_MAX];
	size_t len = statement_key(sql, params, nparams, key);
	if (!len)
		return false;
	const struct slot *s = &slots[statement_key_slot(key, len, SLOTS)];
	if (s->version != version || s->keylen != len || memcmp(s->key, key, len) != 0)
		return false;
	*total = s->total;
	return true;
}

void total_cache_put(const char *sql, const struct db_param *params, size_t nparams, unsigned long long version,
                     long long total)
{
	unsigned char key[STATEMENT_KEY_MAX];
	size_t len = statement_key(sql, params, nparams, key);
	if (!len || version == 0)
		return;
	struct slot *s = &slots[statement_key_slot(key, len, SLOTS)];
	s->version = version;
	s->total = total;
	s->keylen = len;
	memcpy(s->key, key, len);
}
