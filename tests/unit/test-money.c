/* The money rules (src/shop/money.c) against the worked baskets of docs/money.md, each
 * recomputed here from its inputs, plus the invariants every basket must keep on random baskets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shop/money.h"
#include "tap.h"

#define MAX_BRANDS 10

struct basket_case {
	char title[200];
	struct money_basket b;
	struct money_line lines[MONEY_MAX_LINES];
	struct money_coupon coupons[MONEY_MAX_LINES];
	struct money_brand brands[MAX_BRANDS];
	long long return_cost[MAX_BRANDS];
	bool has_error;
	char error[64];
	long long error_line; /* 1-based, 0: none */
	int failures;         /* expectations that did not hold */
	int checks;
	int mileage_percent;
};

/* The value after the word key in s ("fee 3000" -> 3000); -1 for "none"; returns 0 if absent. */
static int word_value(const char *s, const char *key, long long *out)
{
	char pat[64];
	snprintf(pat, sizeof pat, " %s ", key);
	const char *p = strstr(s, pat);
	if (!p)
		return 0;
	p += strlen(pat);
	if (strncmp(p, "none", 4) == 0)
		*out = -1;
	else
		*out = strtoll(p, NULL, 10);
	return 1;
}

static void expect(struct basket_case *c, const char *what, long long got, long long want)
{
	c->checks++;
	if (got != want) {
		c->failures++;
		tap_diag("%s: %s is %lld, docs/money.md says %lld", c->title, what, got, want);
	}
}

/* Parses one directive of the basket grammar (docs/money.md) into c. */
static void parse_input(struct basket_case *c, const char *line)
{
	long long v;
	char padded[512];
	snprintf(padded, sizeof padded, " %s ", line);
	if (strncmp(line, "grade ", 6) == 0) {
		sscanf(line + 6, "%d %d", &c->b.grade_percent, &c->mileage_percent);
	} else if (strncmp(line, "mileage ", 8) == 0) {
		word_value(padded, "mileage", &c->b.mileage);
		word_value(padded, "balance", &c->b.mileage_balance);
	} else if (strncmp(line, "brand ", 6) == 0 && c->b.nbrands < MAX_BRANDS) {
		struct money_brand *br = &c->brands[c->b.nbrands];
		word_value(padded, "brand", &br->brand_id);
		word_value(padded, "fee", &br->shipping_fee);
		word_value(padded, "free", &br->free_threshold);
		word_value(padded, "return", &c->return_cost[c->b.nbrands]);
		c->b.nbrands++;
	} else if (strncmp(line, "line ", 5) == 0 && c->b.nlines < MONEY_MAX_LINES) {
		struct money_line *l = &c->lines[c->b.nlines];
		const char *coupon = strstr(padded, " coupon ");
		char head[512];
		snprintf(head, sizeof head, "%.*s ", coupon ? (int)(coupon - padded) : (int)strlen(padded), padded);
		word_value(head, "brand", &l->brand_id);
		word_value(head, "category", &l->category_id);
		word_value(head, "price", &l->unit_price);
		word_value(head, "qty", &l->quantity);
		if (coupon) {
			struct money_coupon *k = &c->coupons[c->b.nlines];
			word_value(coupon, "coupon", &k->id);
			if (word_value(coupon, "percent", &v))
				k->percent = (int)v;
			word_value(coupon, "amount", &k->amount);
			word_value(coupon, "min", &k->min_line_amount);
			word_value(coupon, "category", &k->category_id);
			l->coupon = k;
		}
		c->b.nlines++;
	}
}

static struct money_line *line_n(struct basket_case *c, long long n)
{
	return n >= 1 && (size_t)n <= c->b.nlines ? &c->lines[n - 1] : NULL;
}

static long long return_cost_of(const struct basket_case *c, long long brand_id)
{
	for (size_t i = 0; i < c->b.nbrands; i++)
		if (c->brands[i].brand_id == brand_id)
			return c->return_cost[i];
	return 0;
}

/* Checks one "=> ..." expectation against the priced basket. */
static void check_expectation(struct basket_case *c, enum money_error e, const char *line)
{
	char padded[512];
	long long n = 0, v;
	snprintf(padded, sizeof padded, " %s ", line);
	if (strncmp(line, "error ", 6) == 0) {
		return; /* read before pricing */
	}
	if (e != MONEY_OK) {
		c->checks++;
		c->failures++;
		tap_diag("%s: priced with error %s, expected success", c->title, money_error_code(e));
		return;
	}
	if (strncmp(line, "line ", 5) == 0) {
		word_value(padded, "line", &n);
		struct money_line *l = line_n(c, n);
		if (!l) {
			expect(c, "line number", n, -1);
			return;
		}
		static const char *const keys[] = {"subtotal", "coupon", "grade", "discounted", "mileage", "paid"};
		long long got[] = {l->subtotal,   l->coupon_discount, l->grade_discount,
		                   l->discounted, l->mileage_share,   l->paid};
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (word_value(padded, keys[k], &v))
				expect(c, keys[k], got[k], v);
		if (word_value(padded, "earned", &v))
			expect(c, "earned", money_mileage_earned(l->paid, c->mileage_percent), v);
	} else if (strncmp(line, "brand ", 6) == 0) {
		word_value(padded, "brand", &n);
		for (size_t i = 0; i < c->b.nbrands; i++) {
			if (c->brands[i].brand_id != n)
				continue;
			if (word_value(padded, "lines", &v))
				expect(c, "brand lines", c->brands[i].lines_amount, v);
			if (word_value(padded, "fee", &v))
				expect(c, "brand fee", c->brands[i].fee, v);
		}
	} else if (strncmp(line, "order ", 6) == 0) {
		static const char *const keys[] = {"items",   "coupon",   "grade", "discounted",
		                                   "mileage", "shipping", "total"};
		long long got[] = {c->b.items,   c->b.coupon_discount, c->b.grade_discount, c->b.discounted,
		                   c->b.mileage, c->b.shipping,        c->b.total};
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (word_value(padded, keys[k], &v))
				expect(c, keys[k], got[k], v);
	} else if (strncmp(line, "refund line ", 12) == 0) {
		word_value(padded, "line", &n);
		struct money_line *l = line_n(c, n);
		if (!l) {
			expect(c, "refund line number", n, -1);
			return;
		}
		long long cost = return_cost_of(c, l->brand_id);
		if (word_value(padded, "change_of_mind", &v))
			expect(c, "change-of-mind refund", money_line_refund(l->paid, true, cost), v);
		if (word_value(padded, "defective", &v))
			expect(c, "defect refund", money_line_refund(l->paid, false, cost), v);
	} else {
		expect(c, "a known expectation", 0, 1);
		tap_diag("%s: cannot read '%s'", c->title, line);
	}
}

/* Prices a parsed basket and checks its expectations (the block's lines from "=>"). */
static void run_basket(struct basket_case *c, char expectations[][512], size_t nexp)
{
	c->b.lines = c->lines;
	c->b.brands = c->brands;
	for (size_t i = 0; i < nexp; i++) {
		if (strncmp(expectations[i], "error ", 6) == 0) {
			c->has_error = true;
			sscanf(expectations[i] + 6, "%63s", c->error);
			const char *ln = strstr(expectations[i], " line ");
			c->error_line = ln ? strtoll(ln + 6, NULL, 10) : 0;
		}
	}
	enum money_error e = money_price(&c->b);
	if (c->has_error) {
		expect(c, "an error", e != MONEY_OK, 1);
		if (strcmp(money_error_code(e), c->error) != 0) {
			c->failures++;
			tap_diag("%s: error %s, docs/money.md says %s", c->title, money_error_code(e), c->error);
		}
		if (c->error_line)
			expect(c, "error line", (long long)c->b.error_line + 1, c->error_line);
	}
	for (size_t i = 0; i < nexp; i++)
		check_expectation(c, e, expectations[i]);
	tap_ok(c->failures == 0 && c->checks > 0, "%s (%d checks)", c->title, c->checks);
}

/* Reads every ```basket block of docs/money.md and runs it. Returns the number of baskets. */
static int test_documented_baskets(void)
{
	const char *src = getenv("LONUA_SOURCE_DIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/docs/money.md", src ? src : ".");
	FILE *f = fopen(path, "r");
	if (!tap_ok(f != NULL, "docs/money.md opens (%s)", path))
		return 0;
	static struct basket_case c;
	static char expectations[64][512];
	size_t nexp = 0;
	int baskets = 0;
	bool inside = false;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!inside) {
			if (strcmp(line, "```basket") == 0) {
				inside = true;
				memset(&c, 0, sizeof c);
				snprintf(c.title, sizeof c.title, "basket %d", baskets + 1);
				nexp = 0;
			}
			continue;
		}
		if (strcmp(line, "```") == 0) {
			inside = false;
			baskets++;
			run_basket(&c, expectations, nexp);
			continue;
		}
		if (line[0] == '#')
			snprintf(c.title, sizeof c.title, "%s", line + 1 + (line[1] == ' '));
		else if (strncmp(line, "=> ", 3) == 0 && nexp < 64)
			snprintf(expectations[nexp++], sizeof expectations[0], "%s", line + 3);
		else if (line[0])
			parse_input(&c, line);
	}
	fclose(f);
	tap_ok(baskets >= 20, "docs/money.md has at least 20 worked baskets (%d)", baskets);
	return baskets;
}

/* ---- invariants on random baskets ----------------------------------------------------------- */

static unsigned long long rng_state = 88172645463325252ULL;
static long long rnd(long long lo, long long hi)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return lo + (long long)(rng_state % (unsigned long long)(hi - lo + 1));
}

/* Whatever the basket, a priced one adds up: lines and fees make the total, shares make the
 * mileage, no line pays below zero, and the remainder never lands on a line that cannot take it. */
static void test_random_invariants(void)
{
	int broken = 0, priced = 0;
	for (int round = 0; round < 20000; round++) {
		struct money_line lines[8];
		struct money_coupon coupons[8];
		struct money_brand brands[3];
		size_t n = (size_t)rnd(1, 8);
		for (size_t i = 0; i < 3; i++)
			brands[i] = (struct money_brand){.brand_id = (long long)i + 1,
			                                 .shipping_fee = rnd(0, 5000),
			                                 .free_threshold = rnd(-1, 100000)};
		for (size_t i = 0; i < n; i++) {
			lines[i] = (struct money_line){.unit_price = rnd(0, 3) ? rnd(1, 80000) : rnd(1, 3),
			                               .quantity = rnd(1, 5),
			                               .brand_id = rnd(1, 3),
			                               .category_id = rnd(1, 3)};
			if (rnd(0, 2) == 0) {
				coupons[i] = (struct money_coupon){.id = (long long)i + 1,
				                                   .percent = rnd(0, 1) ? (int)rnd(1, 100) : 0,
				                                   .amount = rnd(1, 50000)};
				lines[i].coupon = &coupons[i];
			}
		}
		struct money_basket b = {.grade_percent = (int)rnd(0, 5),
		                         .mileage_balance = rnd(0, 200000),
		                         .lines = lines,
		                         .nlines = n,
		                         .brands = brands,
		                         .nbrands = 3};
		b.mileage = rnd(0, b.mileage_balance);
		if (money_price(&b) != MONEY_OK)
			continue;
		priced++;
		long long paid = 0, shares = 0, fees = 0;
		for (size_t i = 0; i < n; i++) {
			paid += lines[i].paid;
			shares += lines[i].mileage_share;
			if (lines[i].paid < 0 || lines[i].mileage_share < 0 ||
			    lines[i].subtotal != lines[i].coupon_discount + lines[i].grade_discount +
			                             lines[i].mileage_share + lines[i].paid)
				broken++;
		}
		for (size_t i = 0; i < 3; i++)
			fees += brands[i].fee;
		if (paid + fees != b.total || shares != b.mileage || fees != b.shipping ||
		    b.total != b.items - b.coupon_discount - b.grade_discount - b.mileage + b.shipping)
			broken++;
	}
	tap_ok(broken == 0 && priced > 10000, "random baskets add up (%d priced, %d broken)", priced, broken);
}

static void test_bounds(void)
{
	struct money_line l = {.unit_price = MONEY_MAX_PRICE, .quantity = MONEY_MAX_QUANTITY + 1, .brand_id = 1};
	struct money_brand br = {.brand_id = 1, .free_threshold = -1};
	struct money_basket b = {.lines = &l, .nlines = 1, .brands = &br, .nbrands = 1};
	tap_ok(money_price(&b) == MONEY_OUT_OF_BOUNDS, "a quantity over %d is out of bounds", MONEY_MAX_QUANTITY);
	l.quantity = 0;
	tap_ok(money_price(&b) == MONEY_OUT_OF_BOUNDS, "a quantity of 0 is out of bounds");
	l.quantity = 1;
	l.brand_id = 2;
	tap_ok(money_price(&b) == MONEY_NO_BRAND, "a line whose brand has no terms is refused");
	struct money_basket empty = {0};
	tap_ok(money_price(&empty) == MONEY_EMPTY, "an empty basket is refused");
	tap_ok(money_mileage_earned(-5, 3) == 0 && money_mileage_earned(999, 3) == 29, "earned mileage floors");
	tap_ok(money_line_refund(5000, true, 6000) == 0 && money_line_refund(5000, false, 6000) == 5000,
	       "a refund never goes below zero");
}

int main(void)
{
	test_documented_baskets();
	test_random_invariants();
	test_bounds();
	return tap_done();
}
