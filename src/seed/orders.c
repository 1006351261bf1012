/* The demo shop's orders (SPEC §7): the demo shoppers buy through the same code a shopper's checkout
 * runs (src/shop/checkout.c), the admin records their bank transfers, the brands prepare, ship and
 * deliver, and the shoppers confirm, cancel and return (src/shop/orders.c). So the popularity
 * counters, the body-type counters, stock, coupons, the mileage ledger and every order page hold
 * what really happened, never invented numbers. Deterministic (a fixed-seed PRNG) and done once:
 * the orders' Idempotency-Keys ("seed-N") make a second run place nothing. */
#include "seed/orders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/catalog.h"
#include "db/coupons.h"
#include "db/orders.h"
#include "db/users.h"
#include "seed/draw.h"
#include "shop/checkout.h"
#include "shop/orders.h"
#include "util/buf.h"
#include "util/crypto.h"

#define NORDERS        140
#define MAX_CANDIDATES 4000

/* The seed's PRNG (src/seed/draw.h), with a seed of its own ("ORDER"), so the orders do not move
 * when the catalogue's plan draws more or fewer numbers. */
static struct rng rng = {0x4F52444552ull};

struct candidates {
	long long ids[MAX_CANDIDATES]; /* variant ids */
	size_t n;
};

/* What becomes of an order, by its number: most are paid and go some way along; a few wait for
 * their transfer, are cancelled, or are returned. */
enum fate { WAITING, CANCELLED, PAID_CANCELLED, PAID, PREPARING, SHIPPED, DELIVERED, CONFIRMED, RETURNED, REJECTED };
static enum fate fate_of(int n)
{
	static const enum fate cycle[20] = {WAITING,   WAITING,   CANCELLED, PAID_CANCELLED, PAID,
	                                    PAID,      PREPARING, PREPARING, SHIPPED,        SHIPPED,
	                                    DELIVERED, DELIVERED, CONFIRMED, CONFIRMED,      CONFIRMED,
	                                    CONFIRMED, CONFIRMED, CONFIRMED, RETURNED,       REJECTED};
	return cycle[n % 20];
}

/* Moves every line of the order along to the fate (the brands' steps, then the buyer's); a
 * refusal's code goes to *code. */
static enum status fulfil(const struct order *o, enum fate fate, long long admin_id, const char **code)
{
	static struct order_outcome out;
	/* the buyer's own account, for the money of a paid transfer that comes back */
	struct refund_account account = {.bank = "국민은행", .number = "123456-01-234567"};
	snprintf(account.holder, sizeof account.holder, "%s", o->buyer_name);
	enum status st = ST_OK;
	out.code = NULL;
	*code = NULL;
	if (fate == WAITING)
		return ST_OK;
	if (fate == CANCELLED)
		return orders_cancel(o->id, o->user_id, NULL, "ko", &out);
	st = orders_record_transfer(o->id, o->total_amount, o->buyer_name, admin_id, "ko", &out);
	if (st != ST_OK || fate == PAID)
		return st;
	if (fate == PAID_CANCELLED)
		return orders_cancel(o->id, o->user_id, &account, "ko", &out);
	for (size_t i = 0; i < o->nlines && st == ST_OK; i++) {
		const struct order_line *l = &o->lines[i];
		char tracking[32];
		snprintf(tracking, sizeof tracking, "6%011lld", 10000000000LL + l->id * 7919);
		st = orders_seller_move(l->id, l->brand_id, LINE_PREPARING, NULL, NULL, "ko", &out);
		if (st == ST_OK && fate >= SHIPPED)
			st = orders_seller_move(l->id, l->brand_id, LINE_SHIPPED, "CJ대한통운", tracking, "ko", &out);
		if (st == ST_OK && fate >= DELIVERED)
			st = orders_seller_move(l->id, l->brand_id, LINE_DELIVERED, NULL, NULL, "ko", &out);
		if (st == ST_OK && fate == CONFIRMED)
			st = orders_confirm_line(l->id, o->user_id, &out);
		if (st == ST_OK && (fate == RETURNED || fate == REJECTED) && i == 0) {
			st = orders_request_return(l->id, o->user_id,
			                           fate == RETURNED ? RETURN_SIZE : RETURN_CHANGE_OF_MIND,
			                           fate == RETURNED ? "생각보다 작아요" : NULL, &account, &out);
			if (st == ST_OK)
				st = orders_decide_return(
				    l->id, l->brand_id, fate == RETURNED,
				    fate == RETURNED ? NULL : "착용 흔적이 있어 반품이 어렵습니다", "ko", &out);
		}
	}
	*code = out.code;
	return st;
}

int seed_orders(const char *const *shopper_emails, size_t nshoppers, const char *admin_email, FILE *out)
{
	long long seeded = 0, admin_id;
	enum status st = db_orders_keyed_count("seed-", &seeded);
	if (st != ST_OK || seeded > 0)
		return st == ST_OK ? 0 : -1;
	struct user admin, *buyers = calloc(nshoppers, sizeof *buyers);
	struct candidates *pool = calloc(1, sizeof *pool);
	st = db_user_by_email(admin_email, &admin);
	admin_id = admin.id;
	for (size_t i = 0; i < nshoppers && st == ST_OK; i++)
		st = db_user_by_email(shopper_emails[i], &buyers[i]);
	/* Sizes with stock to spare, of products on sale, in a fixed order. */
	if (st == ST_OK)
		st = catalog_sizes_in_stock(12, pool->ids, MAX_CANDIDATES, &pool->n);
	int placed = 0;
	for (int n = 0; st == ST_OK && pool->n > 0 && n < NORDERS; n++) {
		struct checkout *c = calloc(1, sizeof *c);
		const struct user *u = &buyers[(size_t)n % nshoppers];
		char key[32];
		snprintf(key, sizeof key, "seed-%d", n);
		c->user_id = u->id;
		c->key = key;
		crypto_sha256(key, strlen(key), c->request_hash);
		/* A few favourites sell again and again (the square makes low indexes likelier). */
		c->nitems = (size_t)rng_range(&rng, 1, 3);
		for (size_t k = 0; k < c->nitems; k++) {
			double x = rng_unit(&rng);
			size_t pick = (size_t)(x * x * (double)pool->n);
			for (size_t j = 0; j < k; j++) /* one line per size */
				if (c->items[j].variant_id == pool->ids[pick])
					pick = (pick + 1) % pool->n;
			c->items[k] = (struct checkout_item){pool->ids[pick], rng_range(&rng, 1, 2), 0};
		}
		/* The first orders of the first shoppers use their sign-up coupon. */
		if (n < 3) {
			struct coupon *coupons;
			size_t nc;
			if (db_coupons_of_user(u->id, 1, 10, &coupons, &nc, NULL) == ST_OK && nc > 0)
				for (size_t k = 0; k < nc; k++)
					if (coupons[k].usable_now && coupons[k].rule.percent == 10)
						c->items[0].coupon_id = coupons[k].rule.id;
			free(coupons);
		}
		snprintf(c->ship.recipient_name, sizeof c->ship.recipient_name, "%s", u->name);
		snprintf(c->ship.recipient_phone, sizeof c->ship.recipient_phone, "%s", u->phone);
		snprintf(c->ship.postal_code, sizeof c->ship.postal_code, "%s", u->postal_code);
		snprintf(c->ship.address, sizeof c->ship.address, "%s", u->address);
		c->method = PAY_BANK_TRANSFER;
		c->expected_total = -1;
		struct checkout_result r;
		st = checkout_place(c, &r);
		free(c);
		if (st != ST_OK) {
			/* A size that ran out meanwhile: this order is skipped, the next goes on. */
			st = r.code ? ST_OK : st;
			continue;
		}
		struct order o;
		st = checkout_result_order(&r, 0, &o);
		if (st == ST_OK) {
			const char *code;
			st = fulfil(&o, fate_of(n), admin_id, &code);
			if (st != ST_OK)
				fprintf(stderr, "lonua seed: demo order %d (%lld): %s\n", n, o.id,
				        code ? code : status_code(st));
			order_free(&o);
		}
		placed++;
	}
	free(buyers);
	free(pool);
	if (st != ST_OK) {
		fprintf(stderr, "lonua seed: demo orders: %s\n", status_code(st));
		return -1;
	}
	fprintf(out, "seeded %d demo orders (paid, shipped, delivered, confirmed, cancelled and returned)\n", placed);
	return 0;
}
