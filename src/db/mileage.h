/* The mileage ledger (SPEC §3 Mileage entry; schema/006_orders.sql): earned at confirmation, spent at
 * checkout, reversed on cancel or return. users.mileage_balance is the ledger's sum, written only
 * with a ledger row in the same transaction, never below zero. */
#ifndef LONUA_DB_MILEAGE_H
#define LONUA_DB_MILEAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

enum mileage_kind { MILEAGE_EARNED, MILEAGE_SPENT, MILEAGE_REVERSED };

/* In the caller's transaction: adds amount (negative to spend) to the user's balance and writes the
 * ledger row of kind for the order (line_id 0: the whole order). *applied is false when the balance
 * would go below zero (nothing written). ST_CONFLICT when that order (or line) already has an entry
 * of this kind: each is written once. */
enum status db_mileage_add(long long user_id, enum mileage_kind kind, long long amount, long long order_id,
                           long long line_id, bool *applied);

struct mileage_entry {
	long long id;
	enum mileage_kind kind;
	long long amount, balance_after, order_id, line_id;
	char product_name[601]; /* the line's, for an earned or a line's reversed entry */
	char created_at[20];
};

/* A page of the user's ledger, newest first; *total counts every entry. Free *out. */
enum status db_mileage_entries(long long user_id, int page, int per_page, struct mileage_entry **out, size_t *n,
                               long long *total);

/* "earned", "spent", "reversed". */
const char *mileage_kind_name(enum mileage_kind k);

#endif
