#include "present/review.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "media/store.h"
#include "present/common.h"

static json_object *shared_profile(const struct review *r, const char *lang)
{
	if (!r->height_cm && !r->weight_kg && !r->upper && !r->lower)
		return NULL;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "height_cm", present_int_or_null(r->height_cm));
	json_object_object_add(o, "weight_kg", present_int_or_null(r->weight_kg));
	char code[4];
	if (r->upper) {
		snprintf(code, sizeof code, "%d", r->upper);
		present_coded(o, "upper_body_type", "account.body_type", code, lang);
	}
	if (r->lower) {
		snprintf(code, sizeof code, "%d", r->lower);
		present_coded(o, "lower_body_type", "account.body_type", code, lang);
	}
	return o;
}

static json_object *photos(const struct review *r)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < r->nphotos; i++) {
		json_object *urls = store_image_urls(r->photo_keys[i], true);
		if (urls)
			json_object_array_add(a, urls);
	}
	return a;
}

static json_object *product_of(const struct review *r)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->product_id));
	json_object_object_add(o, "name", json_object_new_string(r->product_name));
	json_object_object_add(o, "brand_name", json_object_new_string(r->brand_name));
	json_object_object_add(o, "image", store_image_urls(r->product_image, false));
	return o;
}

json_object *present_review(const struct review *r, bool mine, const char *lang)
{
	json_object *o = json_object_new_object();
	char masked[256];
	present_masked_name(r->reviewer, masked, sizeof masked);
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_add(o, "product_id", json_object_new_int64(r->product_id));
	json_object_object_add(o, "order_line_id", json_object_new_int64(r->order_line_id));
	json_object_object_add(o, "rating", json_object_new_int(r->rating));
	present_coded(o, "fit", "review.fit", review_fit_names[r->fit - 1], lang);
	json_object_object_add(o, "body", json_object_new_string(r->body));
	json_object_object_add(o, "reviewer", json_object_new_string(masked));
	json_object_object_add(o, "size_label", json_object_new_string(r->size_label));
	json_object_object_add(o, "color", present_text_or_null(r->color));
	json_object_object_add(o, "shared", shared_profile(r, lang));
	json_object_object_add(o, "photos", photos(r));
	json_object_object_add(o, "has_photos", json_object_new_boolean(r->nphotos > 0));
	json_object_object_add(o, "created_at", present_timestamp(r->created_at));
	json_object_object_add(o, "created_text", present_kst_text(r->created_at));
	json_object_object_add(o, "edited", json_object_new_boolean(strcmp(r->created_at, r->updated_at) != 0));
	if (mine) {
		json_object_object_add(o, "status", json_object_new_string(r->published ? "published" : "hidden"));
		json_object_object_add(o, "hidden", json_object_new_boolean(!r->published));
		json_object_object_add(o, "product", product_of(r));
	}
	return o;
}

json_object *present_reviews(const struct review *r, size_t n, bool mine, const char *lang)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, present_review(&r[i], mine, lang));
	return a;
}

/* A whole percent of part in whole (0 when whole is 0). */
static int percent(long long part, long long whole)
{
	return whole > 0 ? (int)((part * 100 + whole / 2) / whole) : 0;
}

static json_object *share(long long n, long long whole)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int64(n));
	json_object_object_add(o, "percent", json_object_new_int(percent(n, whole)));
	return o;
}

json_object *present_review_summary(const long long count[6], const long long fit[4])
{
	long long total = 0, sum = 0, fits = fit[1] + fit[2] + fit[3];
	for (int i = 1; i <= 5; i++)
		total += count[i], sum += i * count[i];
	json_object *o = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int64(total));
	if (total > 0) {
		char avg[8]; /* one decimal, rounded half up: 4.25 → "4.3" */
		long long tenths = (sum * 10 * 2 + total) / (2 * total);
		snprintf(avg, sizeof avg, "%lld.%lld", tenths / 10, tenths % 10);
		json_object_object_add(o, "average", json_object_new_string(avg));
	} else {
		json_object_object_add(o, "average", NULL);
	}
	json_object *stars = json_object_new_array();
	for (int i = 5; i >= 1; i--) {
		json_object *s = share(count[i], total);
		json_object_object_add(s, "rating", json_object_new_int(i));
		json_object_array_add(stars, s);
	}
	json_object_object_add(o, "stars", stars);
	json_object *f = json_object_new_object();
	for (int i = 1; i <= 3; i++)
		json_object_object_add(f, review_fit_names[i - 1], share(fit[i], fits));
	json_object_object_add(o, "fit", f);
	json_object_object_add(o, "fit_counted", json_object_new_int64(fits));
	return o;
}
