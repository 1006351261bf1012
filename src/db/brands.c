#include "db/brands.h"

#include <string.h>

#include "db/db.h"

enum status db_brand_create(const struct brand_new *b, long long *id)
{
	struct db_param p[] = {
	    DB_TEXT(b->name),
	    DB_BYTES(b->key_hash, 32),
	    DB_TEXT_OR_NULL(b->introduction),
	    DB_TEXT_OR_NULL(b->style_label),
	    DB_TEXT_OR_NULL(b->business_postal_code),
	    DB_TEXT(b->business_address),
	    DB_TEXT(b->phone),
	    DB_TEXT(b->business_registration_number),
	    DB_TEXT(b->bank_name),
	    DB_TEXT(b->bank_account_number),
	    DB_TEXT(b->bank_account_holder),
	    DB_INT(b->shipping_fee),
	    b->free_shipping_threshold >= 0 ? DB_INT(b->free_shipping_threshold) : DB_NULL,
	    DB_TEXT_OR_NULL(b->return_postal_code),
	    DB_TEXT(b->return_address),
	    DB_INT(b->return_shipping_cost),
	    DB_TEXT(b->return_courier),
	};
	enum status st =
	    db_query("INSERT INTO brands (name, key_hash, status, introduction, style_label, business_postal_code,"
	             " business_address, phone, business_registration_number, bank_name, bank_account_number,"
	             " bank_account_holder, shipping_fee, free_shipping_threshold, return_postal_code, return_address,"
	             " return_shipping_cost, return_courier) VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	             "?, ?, ?, ?)",
	             p, sizeof p / sizeof *p, NULL, NULL, NULL);
	*id = st == ST_OK ? db_insert_id() : 0;
	return st;
}

static enum status read_id(const struct db_row *row, void *ctx)
{
	*(long long *)ctx = db_int(row, 0);
	return ST_OK;
}

enum status db_brand_id_by_name(const char *name, long long *id)
{
	struct db_param p[] = {DB_TEXT(name)};
	*id = 0;
	enum status st = db_query("SELECT id FROM brands WHERE name = ?", p, 1, read_id, id, NULL);
	return st == ST_OK && *id == 0 ? ST_NOT_FOUND : st;
}

struct key_row {
	struct brand_key *key;
	bool found;
};

static enum status read_key(const struct db_row *row, void *ctx)
{
	struct key_row *r = ctx;
	if (db_is_null(row, 0) || row->lens[0] != sizeof r->key->hash)
		return ST_ERROR;
	memcpy(r->key->hash, row->cols[0], sizeof r->key->hash);
	r->key->active = db_int(row, 1) != 0;
	r->found = true;
	return ST_OK;
}

enum status db_brand_key(long long brand_id, struct brand_key *out)
{
	struct db_param p[] = {DB_INT(brand_id)};
	struct key_row r = {out, false};
	memset(out, 0, sizeof *out);
	enum status st =
	    db_query("SELECT key_hash, status = 'active' FROM brands WHERE id = ?", p, 1, read_key, &r, NULL);
	return st == ST_OK && !r.found ? ST_NOT_FOUND : st;
}
