/* `lonua seed`: the demo shop (SPEC §7).
 *
 * Categories, styles and grades come from the migrations (001, 002). The seed adds ten brands
 * with their shipping and return terms, a seller per brand, an admin, and about 240 products of
 * every category with 2-5 variants each (sizes with garment measurements in mm, stock, some sold
 * out), prices and sales, counters that make the sorts differ, and pictures drawn by the program
 * (seed/draw.h) and stored through the media pipeline (media_ingest into LONUA_MEDIA_DIR).
 *
 * Deterministic: everything comes from a fixed-seed PRNG, so two databases seeded apart hold the
 * same rows (but for created_at, which is relative to the time of seeding) and the same images.
 *
 * Idempotent and resumable: a demo brand is known by its name (unique). Each brand is one
 * transaction (the brand, its seller, its products with their images, variants and body-type
 * counters), skipped when a brand of that name is already there, so a second run changes nothing
 * and a run that was interrupted is completed by the next. Ids are the database's own
 * (AUTO_INCREMENT), so rows already present (test fixtures, a shop in use) never collide; on an
 * empty database the brands are 1-10 and the products 1-N. The admin is added when its e-mail is
 * free. The Mroonga search rows, which cannot be part of a transaction, are added after each
 * commit with INSERT IGNORE ... SELECT (on every run, so a crash in between heals).
 *
 * Brand keys are 32 bytes from the PRNG, printed base64url (43 characters); brands.key_hash is the
 * SHA-256 of those 32 raw bytes. Demo logins (argon2id m=19456 t=2 p=1) and keys are printed on
 * stdout: they are demo data. Progress (every 50 products) also goes to stdout. */
#ifndef LONUA_SEED_SEED_H
#define LONUA_SEED_SEED_H

#include <stdio.h>

/* Seeds the database of the configuration and config.media_dir (created if missing). Writes the
 * progress and the summary to out. Returns 0, or -1 after a message on stderr. */
int seed_run(FILE *out);

#endif
