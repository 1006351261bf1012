#include "db/product_cache.h"

#include <stddef.h>

/* A direct-mapped table by product id: a product read anew takes its slot whatever was there. A
 * product is a few KiB of JSON, so 256 slots are a megabyte or two per process at most. */
#define SLOTS 256

struct slot {
	long long product_id;
	struct catalog_product_page read; /* the versions and the summary it was read with */
	json_object *product;             /* NULL: empty */
};

static struct slot slots[SLOTS];

static struct slot *slot_of(long long product_id)
{
	return &slots[(unsigned long long)product_id % SLOTS];
}

bool product_cache_holds(long long product_id)
{
	const struct slot *s = slot_of(product_id);
	return s->product && s->product_id == product_id;
}

bool product_cache_get(long long product_id, const struct catalog_product_page *now, json_object **copy,
                       struct catalog_review_summary *summary)
{
	const struct slot *s = slot_of(product_id);
	if (!s->product || s->product_id != product_id || s->read.product_version != now->product_version ||
	    s->read.brand_version != now->brand_version || s->read.community_version != now->community_version)
		return false;
	*copy = NULL;
	if (json_object_deep_copy(s->product, copy, NULL) != 0)
		return false; /* out of memory: the caller reads the product instead */
	*summary = s->read.summary;
	return true;
}

void product_cache_put(long long product_id, const struct catalog_product_page *read, json_object *product)
{
	json_object *copy = NULL;
	if (json_object_deep_copy(product, &copy, NULL) != 0)
		return; /* out of memory: not kept */
	struct slot *s = slot_of(product_id);
	json_object_put(s->product);
	*s = (struct slot){product_id, *read, copy};
}
