#include "db/strip_cache.h"

#include <stddef.h>

/* A direct-mapped table by brand id: a new strip takes its slot whatever was there. A strip is a
 * few cards, so 128 slots are a few hundred KiB per process at most. */
#define SLOTS 128

struct slot {
	long long brand_id;
	int count;
	unsigned long long version;
	json_object *cards; /* NULL: empty */
};

static struct slot slots[SLOTS];

static struct slot *slot_of(long long brand_id)
{
	return &slots[(unsigned long long)brand_id % SLOTS];
}

bool strip_cache_get(long long brand_id, int count, unsigned long long version, json_object *items)
{
	const struct slot *s = slot_of(brand_id);
	if (!s->cards || s->brand_id != brand_id || s->count != count || s->version != version)
		return false;
	json_object *copy = NULL;
	if (json_object_deep_copy(s->cards, &copy, NULL) != 0)
		return false; /* out of memory: the caller reads the strip instead */
	for (size_t i = 0; i < json_object_array_length(copy); i++)
		json_object_array_add(items, json_object_get(json_object_array_get_idx(copy, i)));
	json_object_put(copy);
	return true;
}

void strip_cache_put(long long brand_id, int count, unsigned long long version, json_object *cards)
{
	struct slot *s = slot_of(brand_id);
	json_object_put(s->cards);
	*s = (struct slot){brand_id, count, version, json_object_get(cards)};
}
