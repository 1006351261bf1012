#include "db/community_cache.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* A direct-mapped table by product id: a product read at another version, or another product,
 * takes the slot whatever was there. The rows are fixed-size structs (≈ 10 KiB a review, 14 KiB a
 * question), so a full slot is ≈ 100 KiB and the table ≈ 6 MiB per process at most. */
#define SLOTS 64

struct slot {
	long long product_id;
	unsigned long long version;
	bool has_reviews, has_questions;
	int review_count, question_count; /* how many were asked for */
	struct review *reviews;
	size_t nreviews;
	long long brand_id; /* the questions': the index needs it, so it is part of the key */
	struct question_page questions;
};

static struct slot slots[SLOTS];

/* The slot of product_id at version, emptied first when it holds anything else. */
static struct slot *slot_for(long long product_id, unsigned long long version)
{
	struct slot *s = &slots[(unsigned long long)product_id % SLOTS];
	if (s->product_id != product_id || s->version != version) {
		free(s->reviews);
		question_page_free(&s->questions);
		*s = (struct slot){.product_id = product_id, .version = version};
	}
	return s;
}

/* A copy of n items (items may be NULL when n is 0). */
static void *copy_of(const void *items, size_t n, size_t size)
{
	void *copy = xcalloc(n ? n : 1, size);
	if (n)
		memcpy(copy, items, n * size);
	return copy;
}

enum status community_reviews(long long product_id, unsigned long long version, int count, struct review **out,
                              size_t *n)
{
	struct slot *s = slot_for(product_id, version);
	if (!s->has_reviews || s->review_count != count) {
		struct review_filter all = {false, 0, 0, 0};
		struct review *items;
		size_t got;
		enum status st = db_reviews_of_product(product_id, &all, 1, count, &items, &got, NULL);
		if (st != ST_OK)
			return st;
		free(s->reviews);
		s->reviews = items;
		s->nreviews = got;
		s->review_count = count;
		s->has_reviews = true;
	}
	*out = copy_of(s->reviews, s->nreviews, sizeof *s->reviews);
	*n = s->nreviews;
	return ST_OK;
}

enum status community_questions(long long product_id, long long brand_id, unsigned long long version, int count,
                                struct question_page *out)
{
	struct slot *s = slot_for(product_id, version);
	if (!s->has_questions || s->question_count != count || s->brand_id != brand_id) {
		struct question_page page;
		enum status st = db_questions_of_product(product_id, brand_id, 1, count, &page);
		if (st != ST_OK)
			return st;
		question_page_free(&s->questions);
		s->questions = page;
		s->question_count = count;
		s->brand_id = brand_id;
		s->has_questions = true;
	}
	*out = s->questions;
	out->items = copy_of(s->questions.items, s->questions.n, sizeof *s->questions.items);
	return ST_OK;
}
