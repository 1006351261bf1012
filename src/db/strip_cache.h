/* Each process's memory of brands' strips (the product page's "more from this brand": a brand's
 * most popular cards), each kept with the brand's card version it was read at
 * (schema/019_brand_card_versions.sql). Every write to a brand's cards moves that version, so a
 * kept strip is used only while it is exactly what the statement would read. */
#ifndef LONUA_DB_STRIP_CACHE_H
#define LONUA_DB_STRIP_CACHE_H
#include <stdbool.h>

#include <json-c/json.h>

/* True when the strip of brand_id's `count` cards was remembered at version: then appends copies
 * of its cards to items (the caller may change them; the kept ones stay as they were read). */
bool strip_cache_get(long long brand_id, int count, unsigned long long version, json_object *items);

/* Remembers cards (an array, which the cache now holds a reference to and never changes) as the
 * strip of brand_id's `count` cards at version, replacing whatever shared its slot. */
void strip_cache_put(long long brand_id, int count, unsigned long long version, json_object *cards);

#endif
