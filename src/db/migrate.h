/* `lonua migrate`: applies schema/NNN_*.sql in order, once each, recording them. */
#ifndef LONUA_DB_MIGRATE_H
#define LONUA_DB_MIGRATE_H

#include <stdio.h>

/* Applies every migration in schema_dir not yet recorded; reports each on out.
 * Returns the number applied, or -1 on failure (what failed is logged). */
int migrate_run(const char *schema_dir, FILE *out);

#endif
