/* The seller console's products (SPEC §4 seller pages; docs/seller-console.md "Products"): the
 * brand's list with search and filters, create and edit with images and description images
 * (several files per form through the media pipeline, reorder by a position per kept image,
 * remove), sizes with measurements, and delete only when never ordered; the pages under
 * /seller/products and their API twins under /api/v1/seller/products. Another brand's product or
 * size is 404. Every write is followed by the product's search row (product_search) and drops this
 * worker's reference cache (the size labels of the listing's filter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/catalog.h"
#include "db/db.h"
#include "db/products.h"
#include "db/reference.h"
#include "db/search.h"
#include "db/sessions.h"
#include "handlers/forms.h"
#include "handlers/seller/seller.h"
#include "handlers/uploads.h"
#include "http/request.h"
#include "http/response.h"
#include "media/store.h"
#include "present/common.h"
#include "http/url.h"
#include "util/buf.h"
#include "util/log.h"
#include "view/pagination.h"

static long long brand_of(const struct request *req)
{
	return req->session ? req->session->brand_id : 0;
}

/* The names of the image fields, by kind: the files, a kept image's position and remove box
 * (N = its place now, 1-based). */
static const char *const file_field[2] = {"images", "description_images"};
static const char *const position_fields[2][PRODUCT_MAX_IMAGES] = {
    {"image_1", "image_2", "image_3", "image_4", "image_5", "image_6", "image_7", "image_8", "image_9", "image_10"},
    {"description_image_1", "description_image_2", "description_image_3", "description_image_4", "description_image_5",
     "description_image_6", "description_image_7", "description_image_8", "description_image_9",
     "description_image_10"},
};
static const char *const remove_fields[2][PRODUCT_MAX_IMAGES] = {
    {"remove_image_1", "remove_image_2", "remove_image_3", "remove_image_4", "remove_image_5", "remove_image_6",
     "remove_image_7", "remove_image_8", "remove_image_9", "remove_image_10"},
    {"remove_description_image_1", "remove_description_image_2", "remove_description_image_3",
     "remove_description_image_4", "remove_description_image_5", "remove_description_image_6",
     "remove_description_image_7", "remove_description_image_8", "remove_description_image_9",
     "remove_description_image_10"},
};

/* ---- the model ------------------------------------------------------------------------------- */

static json_object *image_json(const struct product_image *img, int position)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "position", json_object_new_int(position));
	json_object_object_add(o, "key", json_object_new_string(img->key));
	json_object_object_add(o, "width", present_int_or_null(img->width));
	json_object_object_add(o, "height", present_int_or_null(img->height));
	json_object *urls = store_image_urls(img->key, true);
	json_object_object_add(o, "urls", urls ? urls : json_object_new_object());
	return o;
}

static json_object *images_json(const struct product_image *imgs, size_t n, int kind)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o = image_json(&imgs[i], (int)i + 1);
		/* the form's field names for this image */
		json_object_object_add(o, "position_field", json_object_new_string(position_fields[kind][i]));
		json_object_object_add(o, "remove_field", json_object_new_string(remove_fields[kind][i]));
		json_object_array_add(a, o);
	}
	return a;
}

static void mm_text(int mm, char *out, size_t size)
{
	if (mm <= 0)
		out[0] = '\0';
	else if (mm % 10)
		snprintf(out, size, "%d.%d", mm / 10, mm % 10);
	else
		snprintf(out, size, "%d", mm / 10);
}

static json_object *variant_json(const struct product_variant *v, long long product_id)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(v->id));
	json_object_object_add(o, "size_label", json_object_new_string(v->size_label));
	json_object_object_add(o, "color", json_object_new_string(v->color));
	json_object_object_add(o, "sku", present_text_or_null(v->sku));
	json_object_object_add(o, "stock", json_object_new_int64(v->stock));
	json_object_object_add(o, "status", json_object_new_string(variant_status_names[v->hidden ? 1 : 0]));
	json_object_object_add(o, "hidden", json_object_new_boolean(v->hidden));
	json_object_object_add(o, "sort_order", json_object_new_int(v->sort_order));
	json_object_object_add(o, "ordered", json_object_new_boolean(v->ordered));
	json_object *m = json_object_new_object(), *mt = json_object_new_object();
	for (int i = 0; i < MEASURE_N; i++) {
		char text[16];
		mm_text(v->mm[i], text, sizeof text);
		json_object_object_add(m, measure_names[i],
		                       v->mm[i] > 0 ? json_object_new_double(v->mm[i] / 10.0) : NULL);
		json_object_object_add(mt, measure_names[i], json_object_new_string(text));
	}
	json_object_object_add(o, "measurements", m);
	json_object_object_add(o, "measurements_text", mt);
	char url[96];
	snprintf(url, sizeof url, "/seller/products/%lld/variants/%lld", product_id, v->id);
	json_object_object_add(o, "url", json_object_new_string(url));
	return o;
}

/* A product as the console shows it: full (one product) or a list's row. */
static json_object *product_json(const struct seller_product *p, bool full, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(p->id));
	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "category_id", json_object_new_int64(p->category_id));
	json_object_object_add(o, "style_id", json_object_new_int64(p->style_id));
	present_won(o, "list_price", p->list_price, lang);
	present_won(o, "sale_price", p->sale_price, lang);
	json_object_object_add(o, "discount_percent", json_object_new_int(p->discount_percent));
	json_object_object_add(o, "status", json_object_new_string(product_status_names[p->status]));
	present_coded(o, "status_label", "seller_products.status", product_status_names[p->status], lang);
	json_object_object_add(o, "is_active", json_object_new_boolean(p->status == PRODUCT_ACTIVE));
	json_object_object_add(o, "stock_total", json_object_new_int64(p->stock_total));
	json_object_object_add(o, "units_sold", json_object_new_int64(p->units_sold));
	json_object_object_add(o, "ordered", json_object_new_boolean(p->ordered));
	json_object_object_add(o, "created_at", present_timestamp(p->created_at));
	json_object *img = p->image_key[0] ? store_image_urls(p->image_key, false) : NULL;
	json_object_object_add(o, "image", img);
	char url[64];
	snprintf(url, sizeof url, "/seller/products/%lld", p->id);
	json_object_object_add(o, "edit_url", json_object_new_string(url));
	snprintf(url, sizeof url, "/products/%lld", p->id);
	json_object_object_add(o, "shop_url", json_object_new_string(url));
	if (!full)
		return o;
	json_object_object_add(o, "description", present_text_or_null(p->description));
	json_object_object_add(o, "images", images_json(p->images, p->nimages, IMAGE_GALLERY));
	json_object_object_add(o, "description_images",
	                       images_json(p->description_images, p->ndescription_images, IMAGE_DESCRIPTION));
	json_object_object_add(o, "has_images", json_object_new_boolean(p->nimages > 0));
	json_object_object_add(o, "has_description_images", json_object_new_boolean(p->ndescription_images > 0));
	json_object *vs = json_object_new_array();
	for (size_t i = 0; i < p->nvariants; i++)
		json_object_array_add(vs, variant_json(&p->variants[i], p->id));
	json_object_object_add(o, "variants", vs);
	json_object_object_add(o, "has_variants", json_object_new_boolean(p->nvariants > 0));
	json_object_object_add(o, "can_delete", json_object_new_boolean(!p->ordered));
	(void)reference_attach(o, lang);
	return o;
}

/* ---- input ----------------------------------------------------------------------------------- */

/* The product's fields: what was sent over what it was (old: the API's PATCH sends only what
 * changes). Checks the money rule (sale <= list) and that the category and style exist. */
static enum status read_fields(struct request *req, struct response *res, const struct seller_product *old,
                               struct product_fields *f)
{
	memset(f, 0, sizeof *f);
	f->name = req_given(req, "name") || !old ? req_text(req, "name") : old->name;
	f->category_id = req_given(req, "category_id") || !old ? req_int(req, "category_id") : old->category_id;
	f->style_id = req_given(req, "style_id") || !old ? req_int(req, "style_id") : old->style_id;
	f->description = req_given(req, "description") || !old ? req_text(req, "description") : old->description;
	if (f->description && !*f->description)
		f->description = NULL;
	f->list_price = req_given(req, "list_price") || !old ? req_int(req, "list_price") : old->list_price;
	f->sale_price = req_given(req, "sale_price") || !old ? req_int(req, "sale_price") : old->sale_price;
	if (req_given(req, "status"))
		f->status = (enum product_status)req_int(req, "status");
	else
		f->status = old ? old->status : PRODUCT_DRAFT;
	if (!f->name || !*f->name)
		return response_field_error(res, ST_INVALID, "name", "required");
	if (f->sale_price > f->list_price)
		return response_field_error(res, ST_INVALID, "sale_price", "sale_above_list");
	json_object *item = NULL;
	enum status st = reference_get(REFERENCE_CATEGORIES, f->category_id, req->lang, &item);
	json_object_put(item);
	item = NULL;
	if (st == ST_NOT_FOUND)
		return response_field_error(res, ST_INVALID, "category_id", "not_allowed");
	if (st != ST_OK)
		return st;
	st = reference_get(REFERENCE_STYLES, f->style_id, req->lang, &item);
	json_object_put(item);
	if (st == ST_NOT_FOUND)
		return response_field_error(res, ST_INVALID, "style_id", "not_allowed");
	return st;
}

/* The images of one kind after this request: the kept ones (no remove box ticked) ordered by the
 * position given to each (ties keep their order), then the new files in the order sent. */
static enum status read_images(struct request *req, struct response *res, int kind, const struct product_image *old,
                               size_t nold, struct uploads *up, struct product_image *out, size_t *n)
{
	struct {
		long long pos;
		size_t i;
	} kept[PRODUCT_MAX_IMAGES];
	size_t nkept = 0;
	for (size_t i = 0; i < nold; i++) {
		if (req_int(req, remove_fields[kind][i]))
			continue;
		long long pos = req_given(req, position_fields[kind][i]) ? req_int(req, position_fields[kind][i])
		                                                         : (long long)i + 1;
		size_t j = nkept++;
		while (j > 0 && kept[j - 1].pos > pos) { /* insertion: stable */
			kept[j] = kept[j - 1];
			j--;
		}
		kept[j].pos = pos;
		kept[j].i = i;
	}
	size_t first_new = up->n;
	enum status st =
	    uploads_ingest(req, res, file_field[kind], nkept, PRODUCT_MAX_IMAGES, PRODUCT_IMAGE_MAX_BYTES, up);
	if (st != ST_OK)
		return st;
	*n = 0;
	for (size_t k = 0; k < nkept; k++)
		out[(*n)++] = old[kept[k].i];
	for (size_t k = first_new; k < up->n; k++) {
		struct product_image *img = &out[(*n)++];
		memcpy(img->key, up->keys[k], sizeof img->key);
		img->width = up->width[k] > 65535 ? 0 : (int)up->width[k];
		img->height = up->height[k] > 65535 ? 0 : (int)up->height[k];
	}
	return ST_OK;
}

/* After a write: the search row and this worker's reference cache (size labels). */
static void after_write(long long product_id)
{
	if (search_index_product(product_id) != ST_OK)
		log_error("product %lld: the search row was not rewritten (lonua search reindex mends it)", product_id);
	reference_invalidate();
}

static enum status refused(struct response *res, enum status st, const char *why)
{
	static const struct refusal table[] = {
	    {"ORDERED", "seller_products.ordered",
	     "This product has been ordered and cannot be deleted: hide it instead (status hidden)."},
	    {"HAS_QUESTIONS", "seller_products.has_questions",
	     "Shoppers asked about this product: it cannot be deleted; hide it instead (status hidden)."},
	};
	return response_refused(res, st, why, table, sizeof table / sizeof table[0]);
}

/* ---- list ------------------------------------------------------------------------------------ */

static void add_choices(json_object *page, const char *name, enum reference_kind kind, long long selected,
                        const char *lang)
{
	json_object *list = NULL;
	if (reference_choices(kind, lang, selected, NULL, &list) != ST_OK || !list)
		list = json_object_new_array();
	json_object_object_add(page, name, list);
}

/* GET /seller/products, /api/v1/seller/products (q, status, category, page, per_page): the
 * brand's products, newest first. */
enum status page_seller_products(struct request *req, struct response *res)
{
	struct seller_product_filter f = {
	    .brand_id = brand_of(req),
	    .q = req_text(req, "q"),
	    .status = req_given(req, "status") ? (int)req_int(req, "status") : -1,
	    .category_id = req_int(req, "category"),
	    .page = (int)req_int(req, "page"),
	    .per_page = (int)req_int(req, "per_page"),
	};
	struct seller_product *items;
	size_t n;
	long long total;
	enum status st = db_seller_products(&f, &items, &n, &total);
	if (st != ST_OK)
		return st;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(list, product_json(&items[i], false, req->lang));
	free(items);
	json_object *listed = present_list(list, f.page, f.per_page, total);
	if (req->is_api)
		return response_view(res, 200, NULL, listed);
	json_object *page = response_model(res);
	json_object_object_add(page, "list", listed);
	json_object_object_add(page, "empty", json_object_new_boolean(n == 0));
	static const char *const notices[] = {"deleted", NULL};
	form_notices(req, page, notices);
	add_choices(page, "categories", REFERENCE_CATEGORIES, f.category_id, req->lang);
	json_object *statuses = json_object_new_array();
	for (int i = 0; i < PRODUCT_NSTATUSES; i++) {
		json_object *s = json_object_new_object();
		json_object_object_add(s, "code", json_object_new_string(product_status_names[i]));
		present_coded(s, "label", "seller_products.status", product_status_names[i], req->lang);
		if (f.status == i)
			json_object_object_add(s, "selected", json_object_new_boolean(true));
		json_object_array_add(statuses, s);
	}
	json_object_object_add(page, "statuses", statuses);
	json_object_object_add(page, "q", json_object_new_string(f.q ? f.q : ""));
	struct buf url = BUF_INIT;
	buf_puts(&url, "/seller/products");
	if (f.q && *f.q)
		url_add_param(&url, "q", f.q);
	if (f.status >= 0)
		url_add_param(&url, "status", product_status_names[f.status]);
	if (f.category_id)
		url_add_int(&url, "category", f.category_id);
	json_object *pages = pagination_links(buf_str(&url), f.page, pagination_last_page(total, f.per_page));
	buf_free(&url);
	if (pages)
		json_object_object_add(page, "pagination", pages);
	return response_view(res, 200, "pages/seller-products", page);
}

/* ---- one product ----------------------------------------------------------------------------- */

/* The form's choices and the product (NULL: a new one). */
static enum status product_form(struct request *req, struct response *res, const struct seller_product *p)
{
	json_object *page = response_model(res);
	if (p) {
		json_object_object_add(page, "product", product_json(p, true, req->lang));
		char buf[32];
		snprintf(buf, sizeof buf, "%lld", p->list_price);
		response_form_value(res, "list_price", buf);
		snprintf(buf, sizeof buf, "%lld", p->sale_price);
		response_form_value(res, "sale_price", buf);
		response_form_value(res, "name", p->name);
		response_form_value(res, "description", p->description ? p->description : "");
	}
	add_choices(page, "categories", REFERENCE_CATEGORIES, p ? p->category_id : 0, req->lang);
	add_choices(page, "styles", REFERENCE_STYLES, p ? p->style_id : 0, req->lang);
	json_object *statuses = json_object_new_array();
	for (int i = 0; i < PRODUCT_NSTATUSES; i++) {
		json_object *s = json_object_new_object();
		json_object_object_add(s, "code", json_object_new_string(product_status_names[i]));
		present_coded(s, "label", "seller_products.status", product_status_names[i], req->lang);
		if ((p ? (int)p->status : PRODUCT_DRAFT) == i)
			json_object_object_add(s, "selected", json_object_new_boolean(true));
		json_object_array_add(statuses, s);
	}
	json_object_object_add(page, "statuses", statuses);
	json_object *measures = json_object_new_array();
	for (int i = 0; i < MEASURE_N; i++) {
		json_object *m = json_object_new_object();
		json_object_object_add(m, "name", json_object_new_string(measure_names[i]));
		present_coded(m, "label", "seller_products.measure", measure_names[i], req->lang);
		json_object_array_add(measures, m);
	}
	json_object_object_add(page, "measures", measures);
	json_object_object_add(page, "max_images", json_object_new_int(PRODUCT_MAX_IMAGES));
	return response_view(res, 200, p ? "pages/seller-product-edit" : "pages/seller-product-new", res->model);
}

/* GET /seller/products/new. */
enum status page_seller_product_new(struct request *req, struct response *res)
{
	return product_form(req, res, NULL);
}

/* The product's form (also drawn again after a failed POST), GET /api/v1/seller/products/{id}. */
enum status seller_product_form(struct request *req, struct response *res)
{
	struct seller_product *p;
	enum status st = db_seller_product_get(brand_of(req), req->path_params[0], &p);
	if (st != ST_OK)
		return st;
	if (req->is_api) {
		st = response_view(res, 200, NULL, product_json(p, true, req->lang));
		seller_product_free(p);
		return st;
	}
	st = product_form(req, res, p);
	seller_product_free(p);
	return st;
}

/* GET /seller/products/{id} (?created, ?saved, ?variant_saved, ?variant_removed, ?variant_hidden). */
enum status page_seller_product(struct request *req, struct response *res)
{
	static const char *const notices[] = {"created",         "saved",          "variant_saved",
	                                      "variant_removed", "variant_hidden", NULL};
	form_notices(req, response_model(res), notices);
	return seller_product_form(req, res);
}

/* The product after a write: API 201/200 with it, pages 303 to its form. */
static enum status answer_product(struct request *req, struct response *res, long long id, bool created)
{
	if (!req->is_api) {
		char url[80];
		snprintf(url, sizeof url, "/seller/products/%lld?%s=1", id, created ? "created" : "saved");
		return response_redirect(res, url);
	}
	struct seller_product *p;
	enum status st = db_seller_product_get(brand_of(req), id, &p);
	if (st != ST_OK)
		return st;
	if (created) {
		char url[80];
		snprintf(url, sizeof url, "/api/v1/seller/products/%lld", id);
		response_header(res, "Location", url);
	}
	st = response_view(res, created ? 201 : 200, NULL, product_json(p, true, req->lang));
	seller_product_free(p);
	return st;
}

/* POST /seller/products, /api/v1/seller/products (a form, multipart with images and
 * description_images, or JSON): 303 to the product's form / 201; 422. */
enum status seller_product_create(struct request *req, struct response *res)
{
	struct product_fields f;
	enum status st = read_fields(req, res, NULL, &f);
	if (st != ST_OK)
		return st;
	struct uploads up;
	memset(&up, 0, sizeof up);
	struct product_image gallery[PRODUCT_MAX_IMAGES], desc[PRODUCT_MAX_IMAGES];
	size_t ngallery = 0, ndesc = 0;
	st = read_images(req, res, IMAGE_GALLERY, NULL, 0, &up, gallery, &ngallery);
	if (st == ST_OK)
		st = read_images(req, res, IMAGE_DESCRIPTION, NULL, 0, &up, desc, &ndesc);
	if (st != ST_OK)
		return st; /* read_images removed what it wrote */
	long long id;
	st = db_product_create(brand_of(req), &f, gallery, ngallery, desc, ndesc, NULL, 0, &id);
	if (st != ST_OK) {
		uploads_discard(&up);
		return st;
	}
	after_write(id);
	return answer_product(req, res, id, true);
}

/* POST /seller/products/{id} (the whole form), PATCH /api/v1/seller/products/{id} (what changes;
 * multipart for images): 303 / 200; 404; 422. Kept images are reordered by image_N (a position
 * for the image now at place N) and dropped by remove_image_N; new files go after them. */
enum status seller_product_update(struct request *req, struct response *res)
{
	struct seller_product *old;
	enum status st = db_seller_product_get(brand_of(req), req->path_params[0], &old);
	if (st != ST_OK)
		return st;
	struct product_fields f;
	struct uploads up;
	memset(&up, 0, sizeof up);
	struct product_image gallery[PRODUCT_MAX_IMAGES], desc[PRODUCT_MAX_IMAGES];
	size_t ngallery = 0, ndesc = 0;
	st = read_fields(req, res, old, &f);
	if (st == ST_OK)
		st = read_images(req, res, IMAGE_GALLERY, old->images, old->nimages, &up, gallery, &ngallery);
	if (st == ST_OK)
		st = read_images(req, res, IMAGE_DESCRIPTION, old->description_images, old->ndescription_images, &up,
		                 desc, &ndesc);
	if (st == ST_OK)
		st = db_product_update(brand_of(req), old->id, &f, gallery, ngallery, desc, ndesc);
	long long id = old->id;
	seller_product_free(old);
	if (st != ST_OK) {
		uploads_discard(&up);
		return st;
	}
	after_write(id);
	return answer_product(req, res, id, false);
}

/* POST /seller/products/{id}/delete, DELETE /api/v1/seller/products/{id}: 303 to the list / 204;
 * 404; 409 ORDERED or HAS_QUESTIONS (hide it instead). */
enum status seller_product_delete(struct request *req, struct response *res)
{
	const char *why = NULL;
	enum status st = db_product_delete(brand_of(req), req->path_params[0], &why);
	if (st != ST_OK)
		return refused(res, st, why);
	reference_invalidate();
	return req->is_api ? response_no_content(res) : response_redirect(res, "/seller/products?deleted=1");
}

/* ---- sizes ----------------------------------------------------------------------------------- */

/* A size's fields: what was sent over what it was (old: the API's PATCH). */
static void read_variant(struct request *req, const struct product_variant *old, struct variant_fields *v)
{
	memset(v, 0, sizeof *v);
	v->size_label = req_given(req, "size_label") || !old ? req_text(req, "size_label") : old->size_label;
	v->color = req_given(req, "color") || !old ? req_text(req, "color") : old->color;
	v->sku = req_given(req, "sku") || !old ? req_text(req, "sku") : old->sku;
	v->stock = req_given(req, "stock") || !old ? req_int(req, "stock") : old->stock;
	v->keep_stock = old && !req_given(req, "stock");
	v->hidden = req_given(req, "status") ? req_int(req, "status") == 1 : old ? old->hidden : false;
	v->sort_order = req_given(req, "sort_order") || !old ? (int)req_int(req, "sort_order") : old->sort_order;
	for (int i = 0; i < MEASURE_N; i++)
		v->mm[i] = req_given(req, measure_names[i]) ? (int)req_int(req, measure_names[i])
		           : old && req->is_api             ? old->mm[i]
		                                            : 0;
	if (!v->color)
		v->color = "";
}

static enum status variant_conflict(struct response *res, enum status st)
{
	if (st != ST_CONFLICT)
		return st;
	const char *key = db_conflict_key();
	if (strcmp(key, "uq_product_variants_sku") == 0)
		return response_field_error(res, ST_INVALID, "sku", "sku_taken");
	return response_field_error(res, ST_INVALID, "size_label", "size_taken");
}

static enum status answer_variant(struct request *req, struct response *res, long long product_id, long long variant_id,
                                  bool created, const char *notice)
{
	if (!req->is_api) {
		char url[96];
		snprintf(url, sizeof url, "/seller/products/%lld?%s=1#sizes", product_id, notice);
		return response_redirect(res, url);
	}
	struct seller_product *p;
	enum status st = db_seller_product_get(brand_of(req), product_id, &p);
	if (st != ST_OK)
		return st;
	st = ST_NOT_FOUND;
	for (size_t i = 0; i < p->nvariants; i++) {
		if (p->variants[i].id != variant_id)
			continue;
		if (created) {
			char url[96];
			snprintf(url, sizeof url, "/api/v1/seller/products/%lld/variants/%lld", product_id, variant_id);
			response_header(res, "Location", url);
		}
		st = response_view(res, created ? 201 : 200, NULL, variant_json(&p->variants[i], product_id));
		break;
	}
	seller_product_free(p);
	return st;
}

/* POST /seller/products/{id}/variants, /api/v1/seller/products/{id}/variants: 303 / 201; 404;
 * 422 (size_taken, sku_taken). */
enum status seller_variant_create(struct request *req, struct response *res)
{
	struct variant_fields v;
	read_variant(req, NULL, &v);
	long long id;
	enum status st = db_product_variant_add(brand_of(req), req->path_params[0], &v, &id);
	if (st != ST_OK)
		return variant_conflict(res, st);
	after_write(req->path_params[0]);
	return answer_variant(req, res, req->path_params[0], id, true, "variant_saved");
}

/* The brand's size {vid} of product {id}, copied into out. */
static enum status find_variant(struct request *req, struct product_variant *out)
{
	struct seller_product *p;
	enum status st = db_seller_product_get(brand_of(req), req->path_params[0], &p);
	if (st != ST_OK)
		return st;
	st = ST_NOT_FOUND;
	for (size_t i = 0; i < p->nvariants; i++)
		if (p->variants[i].id == req->path_params[1]) {
			*out = p->variants[i];
			st = ST_OK;
		}
	seller_product_free(p);
	return st;
}

/* POST /seller/products/{id}/variants/{vid} (the whole row), PATCH /api/v1/…/variants/{vid}
 * (what changes): 303 / 200; 404; 422. */
enum status seller_variant_update(struct request *req, struct response *res)
{
	struct product_variant old;
	enum status st = find_variant(req, &old);
	if (st != ST_OK)
		return st;
	struct variant_fields v;
	read_variant(req, &old, &v);
	st = db_product_variant_update(brand_of(req), req->path_params[0], req->path_params[1], &v);
	if (st != ST_OK)
		return variant_conflict(res, st);
	after_write(req->path_params[0]);
	return answer_variant(req, res, req->path_params[0], req->path_params[1], false, "variant_saved");
}

/* POST /seller/products/{id}/variants/{vid}/delete, DELETE /api/v1/…/variants/{vid}: a size never
 * ordered is deleted (204 / 303), an ordered one hidden (200 with it / 303); 404. */
enum status seller_variant_delete(struct request *req, struct response *res)
{
	bool hidden = false;
	enum status st = db_product_variant_remove(brand_of(req), req->path_params[0], req->path_params[1], &hidden);
	if (st != ST_OK)
		return st;
	after_write(req->path_params[0]);
	if (hidden)
		return answer_variant(req, res, req->path_params[0], req->path_params[1], false, "variant_hidden");
	if (req->is_api)
		return response_no_content(res);
	char url[96];
	snprintf(url, sizeof url, "/seller/products/%lld?variant_removed=1#sizes", req->path_params[0]);
	return response_redirect(res, url);
}
