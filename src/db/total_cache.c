#include "db/total_cache.h"

#include <stdint.h>
#include <string.h>

/* A direct-mapped table: a new key takes its slot whatever was there. Searches make keys without
 * end, so the table must not grow; 512 slots of 512 bytes is 256 KiB per process. */
#define SLOTS   512
#define KEY_MAX 480

struct slot {
	unsigned long long version; /* 0: empty (the catalogue's version starts at 1) */
	long long total;
	size_t keylen;
	unsigned char key[KEY_MAX];
};

static struct slot slots[SLOTS];

/* The key: the SQL text's address (a shape's text is built once per process, see catalog.c) and
 * each parameter's type and value. Returns its length, or 0 when it does not fit. */
static size_t make_key(const char *sql, const struct db_param *params, size_t nparams, unsigned char *key)
{
	size_t n = 0;
	memcpy(key, &sql, sizeof sql);
	n += sizeof sql;
	for (size_t i = 0; i < nparams; i++) {
		const struct db_param *p = &params[i];
		size_t need = 1 + sizeof p->i + sizeof p->len + (p->type == DB_PARAM_TEXT ? p->len : 0);
		if (n + need > KEY_MAX)
			return 0;
		key[n++] = (unsigned char)p->type;
		memcpy(key + n, &p->i, sizeof p->i);
		n += sizeof p->i;
		memcpy(key + n, &p->len, sizeof p->len);
		n += sizeof p->len;
		if (p->type == DB_PARAM_TEXT) {
			memcpy(key + n, p->s, p->len);
			n += p->len;
		}
	}
	return n;
}

/* FNV-1a over the key. */
static struct slot *slot_of(const unsigned char *key, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619u;
	return &slots[h % SLOTS];
}

bool total_cache_get(const char *sql, const struct db_param *params, size_t nparams, unsigned long long version,
                     long long *total)
{
	unsigned char key[KEY_MAX];
	size_t len = make_key(sql, params, nparams, key);
	if (!len)
		return false;
	const struct slot *s = slot_of(key, len);
	if (s->version != version || s->keylen != len || memcmp(s->key, key, len) != 0)
		return false;
	*total = s->total;
	return true;
}

void total_cache_put(const char *sql, const struct db_param *params, size_t nparams, unsigned long long version,
                     long long total)
{
	unsigned char key[KEY_MAX];
	size_t len = make_key(sql, params, nparams, key);
	if (!len || version == 0)
		return;
	struct slot *s = slot_of(key, len);
	s->version = version;
	s->total = total;
	s->keylen = len;
	memcpy(s->key, key, len);
}
