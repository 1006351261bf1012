/* The rules of src/shop that need no database: which way an order line may move (every pair of
 * states), when an order may be cancelled, when a brand may ship, and the calendar month a grade
 * recompute looks at (Korean time). */
#include <string.h>

#include "shop/grades.h"
#include "shop/order_rules.h"
#include "tap.h"

static void test_edges(void)
{
	/* The allowed moves of SPEC §3 Order line, and a refused return's line confirmed (kept);
	 * every other pair of states is refused. */
	static const struct {
		enum line_state from, to;
	} allowed[] = {
	    {LINE_ORDERED, LINE_PREPARING},
	    {LINE_PREPARING, LINE_SHIPPED},
	    {LINE_SHIPPED, LINE_DELIVERED},
	    {LINE_DELIVERED, LINE_CONFIRMED},
	    {LINE_RETURN_REJECTED, LINE_CONFIRMED}, /* the line is kept */
	    {LINE_ORDERED, LINE_CANCELLED},
	    {LINE_PREPARING, LINE_CANCELLED},
	    {LINE_DELIVERED, LINE_RETURN_REQUESTED},
	    {LINE_RETURN_REQUESTED, LINE_RETURNED},
	    {LINE_RETURN_REQUESTED, LINE_RETURN_REJECTED},
	};
	int wrong = 0;
	for (int from = 0; from < LINE_NSTATES; from++) {
		for (int to = 0; to < LINE_NSTATES; to++) {
			bool want = false;
			for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
				if (allowed[i].from == (enum line_state)from && allowed[i].to == (enum line_state)to)
					want = true;
			if (order_line_edge_allowed((enum line_state)from, (enum line_state)to) != want) {
				wrong++;
				tap_diag("%s -> %s should be %s", line_state_names[from], line_state_names[to],
				         want ? "allowed" : "refused");
			}
		}
	}
	tap_ok(wrong == 0,
	       "exactly the %zu moves of SPEC §3 (and rejected -> confirmed) are allowed among %d x %d pairs",
	       sizeof allowed / sizeof allowed[0], LINE_NSTATES, LINE_NSTATES);
}

static void test_cancel(void)
{
	struct order_line lines[2] = {{.state = LINE_ORDERED}, {.state = LINE_PREPARING}};
	struct order o = {.payment_state = PAYMENT_AWAITING, .lines = lines, .nlines = 2};
	tap_ok(order_can_cancel(&o), "an unpaid order with nothing shipped can be cancelled");
	o.payment_state = PAYMENT_PAID;
	tap_ok(order_can_cancel(&o), "a paid order with nothing shipped can be cancelled");
	lines[1].state = LINE_SHIPPED;
	tap_ok(!order_can_cancel(&o), "an order with a line shipped cannot be cancelled");
	lines[1].state = LINE_PREPARING;
	o.payment_state = PAYMENT_EXPIRED;
	tap_ok(!order_can_cancel(&o), "an expired order cannot be cancelled again");
	o.payment_state = PAYMENT_PAID;
	o.nlines = 0;
	tap_ok(!order_can_cancel(&o), "an order without lines cannot be cancelled");
}

static void test_settled(void)
{
	tap_ok(!order_payment_settled(PAYMENT_AWAITING) && !order_payment_settled(PAYMENT_EXPIRED) &&
	           !order_payment_settled(PAYMENT_CANCELLED) && !order_payment_settled(PAYMENT_REFUNDED),
	       "a brand may not ship an unpaid, expired, cancelled or wholly refunded order");
	tap_ok(order_payment_settled(PAYMENT_PAID) && order_payment_settled(PAYMENT_REFUND_PENDING) &&
	           order_payment_settled(PAYMENT_PARTIALLY_REFUNDED),
	       "a paid order ships, also while another line's refund waits or after it");
	struct order_line l = {.state = LINE_DELIVERED, .return_window_open = true};
	tap_ok(order_line_can_confirm(&l) && order_line_can_return(&l),
	       "a line just delivered can be confirmed or returned");
	l.return_window_open = false;
	tap_ok(order_line_can_confirm(&l) && !order_line_can_return(&l), "after 7 days it can only be confirmed");
	l.state = LINE_RETURN_REJECTED;
	tap_ok(order_line_can_confirm(&l) && !order_line_can_return(&l),
	       "a line whose return was refused can be confirmed (it is kept), not returned again");
	l.state = LINE_CONFIRMED;
	tap_ok(!order_line_can_confirm(&l) && !order_line_can_return(&l), "a confirmed line can do neither");
}

static void test_grade_month(void)
{
	static const struct {
		const char *now_utc, *month, *period, *start, *end;
	} cases[] = {
	    /* 2026-12-06 04:00 UTC is December in Korea: the month before is November. */
	    {"2026-12-06 04:00:00", NULL, "2026-11-01", "2026-10-31 15:00:00", "2026-11-30 15:00:00"},
	    /* 2026-11-30 16:00 UTC is already 1 December in Korea. */
	    {"2026-11-30 16:00:00", NULL, "2026-11-01", "2026-10-31 15:00:00", "2026-11-30 15:00:00"},
	    /* 2026-11-30 14:00 UTC is still 30 November in Korea: the month before is October. */
	    {"2026-11-30 14:00:00", NULL, "2026-10-01", "2026-09-30 15:00:00", "2026-10-31 15:00:00"},
	    /* January looks at the December before, across the year. */
	    {"2027-01-15 00:00:00", NULL, "2026-12-01", "2026-11-30 15:00:00", "2026-12-31 15:00:00"},
	    /* A month asked for by name. */
	    {"2026-12-06 04:00:00", "2024-02", "2024-02-01", "2024-01-31 15:00:00", "2024-02-29 15:00:00"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tm tm = {0};
		strptime(cases[i].now_utc, "%Y-%m-%d %H:%M:%S", &tm);
		struct grade_month m;
		int rc = grades_month(timegm(&tm), cases[i].month, &m);
		tap_ok(rc == 0 && strcmp(m.period, cases[i].period) == 0 && strcmp(m.start, cases[i].start) == 0 &&
		           strcmp(m.end, cases[i].end) == 0,
		       "at %s (%s): month %s from %s to %s UTC (got %s, %s, %s)", cases[i].now_utc,
		       cases[i].month ? cases[i].month : "last month", cases[i].period, cases[i].start, cases[i].end,
		       m.period, m.start, m.end);
	}
	static const char *const bad[] = {"2026-13", "2026-1", "1999-12", "2026-12-01", "abcd-ef", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct grade_month m;
		tap_ok(grades_month(0, bad[i], &m) == -1, "\"%s\" is not a month", bad[i]);
	}
}

int main(void)
{
	test_edges();
	test_cancel();
	test_settled();
	test_grade_month();
	return tap_done();
}
