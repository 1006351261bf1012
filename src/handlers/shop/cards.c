#include "handlers/shop/cards.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/catalog.h"
#include "db/likes.h"
#include "http/request.h"
#include "http/response.h"
#include "http/url.h"
#include "util/buf.h"
#include "view/format.h"

static long long int_field(json_object *o, const char *key)
{
	return json_object_get_int64(json_object_object_get(o, key));
}

void cards_product(json_object *p, const char *lang)
{
	char url[48];
	snprintf(url, sizeof url, "/products/%lld", int_field(p, "id"));
	json_object_object_add(p, "url", json_object_new_string(url));
	json_object_object_add(p, "sale_price_text", format_won_json(int_field(p, "sale_price"), lang));
	json_object_object_add(p, "list_price_text", format_won_json(int_field(p, "list_price"), lang));
}

json_object *cards_products(struct response *res, json_object *items, const char *lang)
{
	if (!res->cards)
		res->cards = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *card = json_object_array_get_idx(items, i);
		cards_product(card, lang);
		json_object_array_add(res->cards, json_object_get(card));
	}
	return items;
}

/* {"items": cards} (takes items). */
static json_object *strip_of(struct response *res, json_object *items, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", cards_products(res, items, lang));
	return o;
}

/* Sets *out to the strip of items (taking them) when rc, the status of reading them, is ST_OK and
 * there are some; else leaves it NULL and drops them. Returns rc. */
static enum status strip_or_none(struct response *res, json_object *items, enum status rc, const char *lang,
                                 json_object **out)
{
	if (rc != ST_OK || json_object_array_length(items) == 0) {
		json_object_put(items);
		return rc;
	}
	*out = strip_of(res, items, lang);
	return ST_OK;
}

enum status cards_strip(struct response *res, int sort, int count, const char *lang, json_object **out)
{
	*out = NULL;
	struct catalog_filter strip = catalog_filter_first((enum catalog_sort)sort, count);
	json_object *items = json_object_new_array();
	return strip_or_none(res, items, catalog_product_items(&strip, items), lang, out);
}

enum status cards_brand_strip(struct response *res, long long brand_id, int count, unsigned long long version,
                              const char *lang, json_object **out)
{
	*out = NULL;
	json_object *items = json_object_new_array();
	return strip_or_none(res, items, catalog_brand_strip(brand_id, count, version, items), lang, out);
}

void cards_strip_add(struct response *res, json_object *owner, json_object *items, const char *lang)
{
	if (json_object_array_length(items) == 0) {
		json_object_put(items);
		return;
	}
	json_object_object_add(owner, "strip", strip_of(res, items, lang));
}

json_object *cards_brand_policy(json_object *brand, const char *lang)
{
	json_object *o = json_object_new_object();
	long long fee = int_field(brand, "shipping_fee");
	json_object *threshold = json_object_object_get(brand, "free_shipping_threshold");
	json_object_object_add(o, "free_shipping", json_object_new_boolean(fee == 0));
	json_object_object_add(o, "fee_text", format_won_json(fee, lang));
	if (fee > 0 && threshold)
		json_object_object_add(o, "threshold_text", format_won_json(json_object_get_int64(threshold), lang));
	json_object_object_add(o, "return_cost_text", format_won_json(int_field(brand, "return_shipping_cost"), lang));
	static const char *const copied[] = {"return_postal_code", "return_address", "return_courier"};
	for (size_t i = 0; i < sizeof copied / sizeof *copied; i++)
		json_object_object_add(o, copied[i], json_object_get(json_object_object_get(brand, copied[i])));
	return o;
}

/* The index of id in ids[0..n), or n. */
static size_t index_of(const long long *ids, size_t n, long long id)
{
	size_t i = 0;
	while (i < n && ids[i] != id)
		i++;
	return i;
}

/* True when the card still needs its "liked" (a product on the page twice is marked once). */
static bool unmarked(json_object *card)
{
	return !json_object_object_get_ex(card, "liked", NULL);
}

/* Sets liked on every card from the shopper's kept likes (no statement while they are current);
 * false when the shopper likes too many to keep. */
static bool mark_from_kept(const struct session *s, json_object *cards)
{
	const long long *kept;
	size_t n;
	if (db_likes_kept(s->account_id, s->likes_version, &kept, &n) != ST_OK || !kept)
		return false;
	for (size_t i = 0; i < json_object_array_length(cards); i++) {
		json_object *card = json_object_array_get_idx(cards, i);
		if (unmarked(card))
			json_object_object_add(card, "liked",
			                       json_object_new_boolean(likes_kept_has(kept, n, int_field(card, "id"))));
	}
	return true;
}

/* Sets liked on every card that lacks it, asking about LIKES_AMONG_MAX different products at a
 * time (every page has fewer but /brands with more than 20 brands): for a shopper who likes too
 * many products to keep. */
static void mark_liked(long long user_id, json_object *cards)
{
	long long ids[LIKES_AMONG_MAX];
	bool liked[LIKES_AMONG_MAX];
	size_t n = json_object_array_length(cards), from = 0;
	while (from < n) {
		size_t k = 0, to = from;
		for (; to < n; to++) {
			json_object *card = json_object_array_get_idx(cards, to);
			if (!unmarked(card))
				continue;
			long long id = int_field(card, "id");
			if (index_of(ids, k, id) == k) {
				if (k == LIKES_AMONG_MAX)
					break;
				ids[k++] = id;
			}
		}
		if (k == 0)
			break; /* every card is marked */
		if (db_likes_among(user_id, ids, k, liked) != ST_OK)
			memset(liked, 0, sizeof liked);
		for (size_t i = from; i < to; i++) {
			json_object *card = json_object_array_get_idx(cards, i);
			if (!unmarked(card))
				continue;
			bool on = liked[index_of(ids, k, int_field(card, "id"))];
			json_object_object_add(card, "liked", json_object_new_boolean(on));
		}
		from = to;
	}
}

bool cards_shopper_likes(struct request *req, long long product_id)
{
	const long long *kept;
	size_t n;
	bool liked = false;
	if (db_likes_kept(req->session->account_id, req->session->likes_version, &kept, &n) == ST_OK && kept)
		return likes_kept_has(kept, n, product_id);
	if (db_likes_among(session_user_id(req), &product_id, 1, &liked) != ST_OK)
		liked = false;
	return liked;
}

void cards_likes(struct request *req, struct response *res, json_object *chrome)
{
	if (!res->cards || json_object_array_length(res->cards) == 0 ||
	    (req->role != ROLE_SHOPPER && req->role != ROLE_GUEST))
		return;
	json_object *likes = json_object_new_object();
	struct buf here = BUF_INIT, login = BUF_INIT;
	bool local = request_here(req, &here);
	if (req->role == ROLE_SHOPPER) {
		if (!mark_from_kept(req->session, res->cards))
			mark_liked(session_user_id(req), res->cards);
		json_object_object_add(likes, "shopper", json_object_new_boolean(true));
		if (local) /* else the form comes back to the product's page */
			json_object_object_add(likes, "next", json_object_new_string(buf_str(&here)));
	} else {
		buf_puts(&login, "/login");
		if (local)
			url_add_param(&login, "next", buf_str(&here));
		json_object_object_add(likes, "login_url", json_object_new_string(buf_str(&login)));
	}
	json_object_object_add(chrome, "card_likes", likes);
	buf_free(&here);
	buf_free(&login);
}
