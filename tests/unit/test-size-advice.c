/* The size advice rule (src/shop/size_advice.c) over a table of cases: kept sizes compared by
 * their shared measurements, the measure that differs most, ties, sizes or kept ones without
 * measurements, the similar buyers' choice when there is no history, and what a profile lacks. */
#include <stdio.h>
#include <string.h>

#include "shop/size_advice.h"
#include "tap.h"

/* Measures by name (mm), in the order of SIZE_NMEASURES: total_length, shoulder, chest, sleeve,
 * waist, hip, thigh, rise, hem. */
/* clang-format off */
#define TOP(len, shoulder, chest, sleeve)          {{len, shoulder, chest, sleeve, 0, 0, 0, 0, 0}}
#define BOTTOM(len, waist, hip, thigh, rise, hem)  {{len, 0, 0, 0, waist, hip, thigh, rise, hem}}
#define NONE                                       {{0}}
#define FULL {true, true, true}

struct size_case {
	const char *what;
	struct size_option options[4];
	size_t n;
	struct size_measures kept[3];
	size_t nk;
	struct size_profile profile;
	struct size_advice want; /* missing is compared only when the profile is what is asked for */
};

/* kind, option, kept, measure, diff_mm, peers, missing */
#define WANT(k, o, kp, m, d, p, miss) {k, o, kp, m, d, p, miss}

static const struct size_case cases[] = {
    {"the closest of three sizes to the one kept; chest differs most",
     {{TOP(680, 440, 520, 600), 0}, {TOP(700, 460, 540, 610), 0}, {TOP(720, 480, 560, 620), 0}}, 3,
     {TOP(700, 455, 560, 610)}, 1, FULL, WANT(SIZE_ADVICE_HISTORY, 1, 0, 2, -20, 0, 0)},
    {"two kept sizes: the closest pair wins, and names that kept size",
     {{TOP(680, 440, 520, 600), 0}, {TOP(700, 460, 540, 610), 0}}, 2,
     {TOP(760, 520, 600, 660), TOP(682, 441, 525, 600)}, 2, FULL, WANT(SIZE_ADVICE_HISTORY, 0, 1, 2, -5, 0, 0)},
    {"only the measures both have count (a top with chest only against a full one)",
     {{TOP(0, 0, 500, 0), 0}, {TOP(0, 0, 540, 0), 0}}, 2,
     {TOP(690, 450, 545, 600)}, 1, FULL, WANT(SIZE_ADVICE_HISTORY, 1, 0, 2, -5, 0, 0)},
    {"a tie between two sizes: the earlier one in the seller's order",
     {{TOP(690, 0, 0, 0), 0}, {TOP(710, 0, 0, 0), 0}}, 2,
     {TOP(700, 0, 0, 0)}, 1, FULL, WANT(SIZE_ADVICE_HISTORY, 0, 0, 0, -10, 0, 0)},
    {"a tie between two kept sizes: the more recently kept (the first)",
     {{TOP(700, 0, 0, 0), 0}}, 1,
     {TOP(710, 0, 0, 0), TOP(690, 0, 0, 0)}, 2, FULL, WANT(SIZE_ADVICE_HISTORY, 0, 0, 0, -10, 0, 0)},
    {"the same measurements: no measure differs",
     {{BOTTOM(1000, 380, 480, 300, 280, 200), 0}}, 1,
     {BOTTOM(1000, 380, 480, 300, 280, 200)}, 1, FULL, WANT(SIZE_ADVICE_HISTORY, 0, 0, -1, 0, 0, 0)},
    {"bottoms: the hem is wider and the rest agrees",
     {{BOTTOM(1000, 380, 480, 300, 280, 230), 0}}, 1,
     {BOTTOM(1000, 380, 480, 300, 280, 200)}, 1, FULL, WANT(SIZE_ADVICE_HISTORY, 0, 0, 8, 30, 0, 0)},
    {"no measurements on this product: the similar buyers decide",
     {{NONE, 3}, {NONE, 9}, {NONE, 2}}, 3,
     {TOP(700, 460, 540, 610)}, 1, FULL, WANT(SIZE_ADVICE_PEERS, 1, -1, -1, 0, 9, 0)},
    {"kept sizes without measurements: the similar buyers decide",
     {{TOP(700, 460, 540, 610), 1}, {TOP(720, 480, 560, 620), 4}}, 2,
     {NONE}, 1, FULL, WANT(SIZE_ADVICE_PEERS, 1, -1, -1, 0, 4, 0)},
    {"no history: the size similar buyers kept most, the earlier of equals",
     {{TOP(700, 0, 0, 0), 5}, {TOP(720, 0, 0, 0), 5}}, 2,
     {NONE}, 0, FULL, WANT(SIZE_ADVICE_PEERS, 0, -1, -1, 0, 5, 0)},
    {"no history and a full profile, but nobody like them kept a size: nothing to go on",
     {{TOP(700, 0, 0, 0), 0}}, 1,
     {NONE}, 0, FULL, WANT(SIZE_ADVICE_NOTHING_TO_GO_ON, -1, -1, -1, 0, 0, 0)},
    {"no history and no height: what to enter",
     {{TOP(700, 0, 0, 0), 7}}, 1,
     {NONE}, 0, {false, true, true}, WANT(SIZE_ADVICE_PROFILE_NEEDED, -1, -1, -1, 0, 0, SIZE_MISSING_HEIGHT)},
    {"no history and an empty profile: all three to enter",
     {{TOP(700, 0, 0, 0), 0}}, 1,
     {NONE}, 0, {false, false, false},
     WANT(SIZE_ADVICE_PROFILE_NEEDED, -1, -1, -1, 0, 0, SIZE_MISSING_HEIGHT | SIZE_MISSING_WEIGHT | SIZE_MISSING_BODY_TYPES)},
    {"history wins over an empty profile",
     {{TOP(700, 0, 0, 0), 0}}, 1,
     {TOP(705, 0, 0, 0)}, 1, {false, false, false}, WANT(SIZE_ADVICE_HISTORY, 0, 0, 0, -5, 0, 0)},
    {"a product with no sizes: nothing to advise",
     {{NONE, 0}}, 0,
     {TOP(700, 0, 0, 0)}, 1, FULL, WANT(SIZE_ADVICE_NOTHING_TO_GO_ON, -1, -1, -1, 0, 0, 0)},
};
/* clang-format on */

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct size_case *c = &cases[i];
		struct size_advice a;
		size_advise(c->options, c->n, c->kept, c->nk, &c->profile, &a);
		const struct size_advice *w = &c->want;
		bool ok = a.kind == w->kind && a.option == w->option && a.kept == w->kept && a.measure == w->measure &&
		          a.diff_mm == w->diff_mm && a.peers == w->peers &&
		          (w->kind != SIZE_ADVICE_PROFILE_NEEDED || a.missing == w->missing);
		if (!ok)
			tap_diag("got kind %d option %d kept %d measure %d diff %d peers %lld missing %u", a.kind,
			         a.option, a.kept, a.measure, a.diff_mm, a.peers, a.missing);
		tap_ok(ok, "%s", c->what);
	}
	tap_ok(size_measure_is_width(2) && size_measure_is_width(8) && !size_measure_is_width(0) &&
	           !size_measure_is_width(3) && !size_measure_is_width(7),
	       "chest and hem are widths; total length, sleeve and rise are lengths");
	return tap_done();
}
