/* Size advice (SPEC §6 "Size advice"), as a pure rule: which size of a product to take, and why.
 * 1. From the shopper's history: the sizes they bought and kept (confirmed, not returned) in the
 *    product's category. Each size of this product is compared with each kept size over the
 *    measurements both have, by their mean difference; the closest pair wins (ties: the earlier size
 *    in the seller's order, then the more recently kept). Why: the measurement that differs most
 *    between the two ("chest 2 cm wider than the M you kept from SPAO"), or none when all agree.
 * 2. Otherwise, for a shopper whose profile has height, weight and body types: the size that buyers
 *    like them (same body types, height and weight close) kept most often (ties: the earlier size).
 * 3. Otherwise, what to enter in the profile (or, with a full profile, that there is nothing to go
 *    on yet). */
#ifndef LONUA_SHOP_SIZE_ADVICE_H
#define LONUA_SHOP_SIZE_ADVICE_H

#include <stdbool.h>
#include <stddef.h>

/* The garment measurements, in the order of catalog_measurement_names: total_length, shoulder,
 * chest, sleeve, waist, hip, thigh, rise, hem. */
#define SIZE_NMEASURES 9

/* A size's measurements in millimetres; 0: not measured. */
struct size_measures {
	int mm[SIZE_NMEASURES];
};

/* A size of the product, in the seller's order, with how many similar buyers kept it. */
struct size_option {
	struct size_measures m;
	long long peers_kept;
};

/* What the shopper's profile has. */
struct size_profile {
	bool height, weight, body_types;
};

enum size_advice_kind {
	SIZE_ADVICE_HISTORY,          /* option, compared with kept, by measure (-1: all agree) */
	SIZE_ADVICE_PEERS,            /* option, kept by peers similar buyers */
	SIZE_ADVICE_PROFILE_NEEDED,   /* missing says what to enter */
	SIZE_ADVICE_NOTHING_TO_GO_ON, /* a full profile, but no history and no similar buyers yet */
};

/* What the profile lacks (bits of size_advice.missing). */
enum { SIZE_MISSING_HEIGHT = 1, SIZE_MISSING_WEIGHT = 2, SIZE_MISSING_BODY_TYPES = 4 };

struct size_advice {
	enum size_advice_kind kind;
	int option;      /* the size advised (an index of options), or -1 */
	int kept;        /* HISTORY: the kept size it was compared with (an index of kept) */
	int measure;     /* HISTORY: the measurement that differs most, or -1 when all agree */
	int diff_mm;     /* HISTORY: the option's measure less the kept size's */
	long long peers; /* PEERS: how many similar buyers kept the size */
	unsigned missing;
};

/* Advises among options (n, in the seller's order) from the kept sizes (nk, most recently kept
 * first) and the profile. */
void size_advise(const struct size_option *options, size_t n, const struct size_measures *kept, size_t nk,
                 const struct size_profile *profile, struct size_advice *out);

/* True for the measurements of width (shoulder, chest, waist, hip, thigh, hem), which a garment has
 * wider or narrower; the others (total_length, sleeve, rise) are longer or shorter. */
bool size_measure_is_width(int measure);

#endif
