/* Size advice for a signed-in shopper (SPEC §6 "Size advice"): on the product page and as
 * GET /api/v1/products/{id}/size-advice. The rule is src/shop/size_advice.c; this reads what it
 * needs (src/db/fit.c) and says the outcome in the shopper's language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth/session.h"
#include "db/catalog.h"
#include "db/fit.h"
#include "handlers/shop/shop.h"
#include "http/request.h"
#include "http/response.h"
#include "util/buf.h"
#include "view/view.h"

static const char *const kind_names[] = {"history", "peers", "profile_needed", "nothing_to_go_on"};

/* tpl with each {key} of pairs (key, value, ..., NULL) replaced by its value. */
static void fill(struct buf *out, const char *tpl, const char *const *pairs)
{
	for (const char *s = tpl; *s;) {
		bool done = false;
		for (size_t i = 0; *s == '{' && pairs[i]; i += 2) {
			size_t len = strlen(pairs[i]);
			if (strncmp(s + 1, pairs[i], len) == 0 && s[1 + len] == '}') {
				buf_puts(out, pairs[i + 1]);
				s += len + 2;
				done = true;
				break;
			}
		}
		if (!done)
			buf_append(out, s++, 1);
	}
}

/* Millimetres as centimetres as people say them: 20 -> "2", 25 -> "2.5". */
static void cm_text(int mm, char *out, size_t size)
{
	mm = abs(mm);
	if (mm % 10)
		snprintf(out, size, "%d.%d", mm / 10, mm % 10);
	else
		snprintf(out, size, "%d", mm / 10);
}

/* The missing profile fields (SIZE_MISSING_* bits) as API names into list, and as words into
 * words ("height, weight and body type"). */
static void missing_fields(unsigned missing, const char *lang, json_object *list, struct buf *words)
{
	static const char *const names[] = {"height", "weight", "body_types"};
	for (int i = 0; i < 3; i++) {
		if (!(missing & (1u << i)))
			continue;
		missing &= ~(1u << i);
		json_object_array_add(list, json_object_new_string(names[i]));
		char key[32];
		snprintf(key, sizeof key, "fit.missing_%s", names[i]);
		const char *separator = !words->len ? "" : missing ? ", " : view_message(lang, "fit.last_separator");
		buf_printf(words, "%s%s", separator, view_message(lang, key));
	}
}

/* The advice in words, from the catalogue's fit.* sentence of its kind. */
static void reason_text(const struct size_advice *a, const struct fit_size *size, const struct fit_kept *k,
                        const char *missing, const char *lang, struct buf *out)
{
	bool measured = k && a->measure >= 0;
	char diff[16] = "", peers[24], dir_key[32] = "", measure_key[40] = "", tpl[48];
	if (measured) {
		cm_text(a->diff_mm, diff, sizeof diff);
		snprintf(measure_key, sizeof measure_key, "measure.%s", catalog_measurement_names[a->measure]);
		snprintf(dir_key, sizeof dir_key, "fit.%s",
		         size_measure_is_width(a->measure) ? (a->diff_mm > 0 ? "wider" : "narrower")
		                                           : (a->diff_mm > 0 ? "longer" : "shorter"));
	}
	snprintf(peers, sizeof peers, "%lld", a->peers);
	snprintf(tpl, sizeof tpl, "fit.%s", k && !measured ? "history_same" : kind_names[a->kind]);
	const char *pairs[] = {"size",    size ? size->label : "",
	                       "kept",    k ? k->label : "",
	                       "brand",   k ? k->brand : "",
	                       "measure", measured ? view_message(lang, measure_key) : "",
	                       "diff",    diff,
	                       "dir",     measured ? view_message(lang, dir_key) : "",
	                       "peers",   peers,
	                       "missing", missing,
	                       NULL};
	fill(out, view_message(lang, tpl), pairs);
}

/* A SizeAdvice object (docs/openapi.json). */
static json_object *present(const struct size_advice *a, const struct fit_size *sizes, const struct fit_kept *kept,
                            const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "kind", json_object_new_string(kind_names[a->kind]));
	const struct fit_size *size = a->option >= 0 ? &sizes[a->option] : NULL;
	json_object_object_add(o, "variant_id", size ? json_object_new_int64(size->variant_id) : NULL);
	json_object_object_add(o, "size", size ? json_object_new_string(size->label) : NULL);
	const struct fit_kept *k = a->kind == SIZE_ADVICE_HISTORY ? &kept[a->kept] : NULL;
	json_object *with = NULL;
	if (k) {
		with = json_object_new_object();
		json_object_object_add(with, "size", json_object_new_string(k->label));
		json_object_object_add(with, "brand", json_object_new_string(k->brand));
		json_object_object_add(with, "product", json_object_new_string(k->product));
	}
	json_object_object_add(o, "compared_with", with);
	bool measured = k && a->measure >= 0;
	json_object_object_add(o, "measure",
	                       measured ? json_object_new_string(catalog_measurement_names[a->measure]) : NULL);
	json_object_object_add(o, "difference_cm", measured ? json_object_new_double(a->diff_mm / 10.0) : NULL);
	json_object_object_add(o, "peers", a->kind == SIZE_ADVICE_PEERS ? json_object_new_int64(a->peers) : NULL);
	json_object *missing = json_object_new_array();
	struct buf words = BUF_INIT, reason = BUF_INIT;
	missing_fields(a->kind == SIZE_ADVICE_PROFILE_NEEDED ? a->missing : 0, lang, missing, &words);
	json_object_object_add(o, "missing", missing);
	reason_text(a, size, k, buf_str(&words), lang, &reason);
	json_object_object_add(o, "reason", json_object_new_string(buf_str(&reason)));
	buf_free(&reason);
	buf_free(&words);
	return o;
}

/* What the rule is given, read for one shopper and product. */
struct fit_reads {
	struct fit_size sizes[FIT_MAX_SIZES];
	struct size_option options[FIT_MAX_SIZES]; /* the sizes' options, as size_advise takes them */
	struct fit_kept kept[FIT_MAX_KEPT];
	struct size_measures kept_m[FIT_MAX_KEPT];
	size_t n, nk;
	struct fit_shopper shopper;
	struct size_profile profile;
};

/* The sizes db_fit_sizes would read, from a ProductDetail the caller already has (its variants are
 * the active sizes in the seller's order; measurements in cm with one decimal); its category. */
static long long sizes_of_product(json_object *product, struct fit_size *out, size_t max, size_t *n)
{
	json_object *variants = json_object_object_get(product, "variants");
	*n = 0;
	for (size_t i = 0; i < json_object_array_length(variants) && *n < max; i++) {
		json_object *v = json_object_array_get_idx(variants, i);
		struct fit_size *s = &out[(*n)++];
		memset(s, 0, sizeof *s);
		s->variant_id = json_object_get_int64(json_object_object_get(v, "id"));
		const char *label = json_object_get_string(json_object_object_get(v, "size"));
		const char *color = json_object_get_string(json_object_object_get(v, "color")); /* NULL: none */
		snprintf(s->label, sizeof s->label, "%s", label ? label : "");
		snprintf(s->color, sizeof s->color, "%s", color ? color : "");
		json_object *m = json_object_object_get(v, "measurements");
		for (size_t k = 0; k < SIZE_NMEASURES; k++) {
			json_object *cm = json_object_object_get(m, catalog_measurement_names[k]);
			s->option.m.mm[k] = cm ? (int)(json_object_get_double(cm) * 10 + 0.5) : 0; /* exact: x.y cm */
		}
	}
	return json_object_get_int64(json_object_object_get(product, "category_id"));
}

/* Reads what the rule needs; product (a ProductDetail, or NULL) saves reading its sizes again. */
static enum status read_fit(const struct session *session, long long product_id, json_object *product,
                            struct fit_reads *r)
{
	long long user = session->account_id;
	long long category = 0;
	enum status st = ST_OK;
	if (product)
		category = sizes_of_product(product, r->sizes, FIT_MAX_SIZES, &r->n);
	else
		st = db_fit_sizes(product_id, &category, r->sizes, FIT_MAX_SIZES, &r->n);
	if (st == ST_OK)
		st = db_fit_kept_at(user, session->kept_sizes_version, category, r->kept, FIT_MAX_KEPT, &r->nk);
	if (st != ST_OK)
		return st;
	r->shopper = session->body;
	for (size_t i = 0; i < r->nk; i++)
		r->kept_m[i] = r->kept[i].m;
	for (size_t i = 0; i < r->n; i++)
		r->options[i] = r->sizes[i].option;
	const struct fit_shopper *s = &r->shopper;
	r->profile = (struct size_profile){s->height_cm > 0, s->weight_kg > 0, s->upper > 0 && s->lower > 0};
	return ST_OK;
}

enum status fit_advice(struct request *req, long long product_id, json_object *product, long long kept_lines,
                       json_object **out)
{
	long long user = session_user_id(req);
	struct fit_reads *r = xcalloc(1, sizeof *r);
	struct size_advice a;
	enum status st = read_fit(req->session, product_id, product, r);
	if (st == ST_OK)
		size_advise(r->options, r->n, r->kept_m, r->nk, &r->profile, &a);
	/* No history to go on: what buyers like the shopper kept (only then is it read, and only when
	 * anyone kept the product). */
	if (st == ST_OK && a.kind == SIZE_ADVICE_NOTHING_TO_GO_ON && r->n > 0 && kept_lines != 0) {
		st = db_fit_peers(product_id, user, &r->shopper, r->sizes, r->n);
		for (size_t i = 0; st == ST_OK && i < r->n; i++)
			r->options[i].peers_kept = r->sizes[i].option.peers_kept;
		if (st == ST_OK)
			size_advise(r->options, r->n, r->kept_m, r->nk, &r->profile, &a);
	}
	if (st == ST_OK)
		*out = present(&a, r->sizes, r->kept, req->lang);
	free(r);
	return st;
}

/* GET /api/v1/products/{id}/size-advice: 200 with the advice; 404 for a product not shown. */
enum status api_size_advice(struct request *req, struct response *res)
{
	json_object *advice;
	enum status st = fit_advice(req, req->path_params[0], NULL, -1, &advice);
	return st == ST_OK ? response_view(res, 200, NULL, advice) : st;
}
