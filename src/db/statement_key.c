#include "db/statement_key.h"

#include <string.h>

size_t statement_key(const char *sql, const struct db_param *params, size_t nparams, unsigned char *key)
{
	size_t n = 0;
	memcpy(key, &sql, sizeof sql);
	n += sizeof sql;
	for (size_t i = 0; i < nparams; i++) {
		const struct db_param *p = &params[i];
		size_t need = 1 + sizeof p->i + sizeof p->len + (p->type == DB_PARAM_TEXT ? p->len : 0);
		if (n + need > STATEMENT_KEY_MAX)
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

size_t statement_key_slot(const unsigned char *key, size_t len, size_t nslots)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619u;
	return h % nslots;
}
