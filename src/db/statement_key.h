/* A key for what a process remembers of a statement's answer (db/total_cache.h, db/search_cache.h):
 * the SQL text's address (each listing shape's text is built once per process, see catalog.c) and
 * each parameter's type and value. */
#ifndef LONUA_DB_STATEMENT_KEY_H
#define LONUA_DB_STATEMENT_KEY_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define STATEMENT_KEY_MAX 480

/* Writes the key of sql with these parameters into key (STATEMENT_KEY_MAX bytes). Returns its
 * length, or 0 when it does not fit (such a statement is not remembered). */
size_t statement_key(const char *sql, const struct db_param *params, size_t nparams, unsigned char *key);

/* The slot of a key in a table of nslots (FNV-1a). */
size_t statement_key_slot(const unsigned char *key, size_t len, size_t nslots);

#endif
