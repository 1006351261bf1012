#include "shop/size_advice.h"

#include <stdlib.h>

bool size_measure_is_width(int measure)
{
	/* total_length 0, shoulder 1, chest 2, sleeve 3, waist 4, hip 5, thigh 6, rise 7, hem 8 */
	return measure != 0 && measure != 3 && measure != 7;
}

/* The mean absolute difference over the measurements both have, in tenths of a millimetre, or -1
 * when they share none. */
static long distance(const struct size_measures *a, const struct size_measures *b)
{
	long sum = 0, common = 0;
	for (int i = 0; i < SIZE_NMEASURES; i++) {
		if (a->mm[i] > 0 && b->mm[i] > 0) {
			sum += labs((long)a->mm[i] - b->mm[i]);
			common++;
		}
	}
	return common ? sum * 10 / common : -1;
}

/* The shared measurement that differs most (the first of equals), or -1 when none differs. */
static int widest_gap(const struct size_measures *a, const struct size_measures *b, int *diff)
{
	int best = -1, gap = 0;
	for (int i = 0; i < SIZE_NMEASURES; i++) {
		if (a->mm[i] > 0 && b->mm[i] > 0 && abs(a->mm[i] - b->mm[i]) > gap) {
			gap = abs(a->mm[i] - b->mm[i]);
			best = i;
		}
	}
	*diff = best >= 0 ? a->mm[best] - b->mm[best] : 0;
	return best;
}

void size_advise(const struct size_option *options, size_t n, const struct size_measures *kept, size_t nk,
                 const struct size_profile *profile, struct size_advice *out)
{
	*out = (struct size_advice){.kind = SIZE_ADVICE_NOTHING_TO_GO_ON, .option = -1, .kept = -1, .measure = -1};
	long best = -1;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nk; k++) {
			long d = distance(&options[i].m, &kept[k]);
			if (d >= 0 && (best < 0 || d < best)) { /* strictly closer: ties keep the earlier */
				best = d;
				out->option = (int)i;
				out->kept = (int)k;
			}
		}
	}
	if (best >= 0) {
		out->kind = SIZE_ADVICE_HISTORY;
		out->measure = widest_gap(&options[out->option].m, &kept[out->kept], &out->diff_mm);
		return;
	}
	out->kept = -1;
	out->missing = (profile->height ? 0 : SIZE_MISSING_HEIGHT) | (profile->weight ? 0 : SIZE_MISSING_WEIGHT) |
	               (profile->body_types ? 0 : SIZE_MISSING_BODY_TYPES);
	if (out->missing) {
		out->kind = SIZE_ADVICE_PROFILE_NEEDED;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (options[i].peers_kept > out->peers) {
			out->peers = options[i].peers_kept;
			out->option = (int)i;
		}
	}
	if (out->option >= 0)
		out->kind = SIZE_ADVICE_PEERS;
}
