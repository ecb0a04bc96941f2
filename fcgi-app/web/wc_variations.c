/*
 * wc_variations.c: /wp-json/wc/v3/products/{id}/variations: list
 * (paged), get, create, update, delete, in WooCommerce v3's JSON (its
 * "product_variation" schema), over souk's variants (shop/attribute.h).
 *
 * A souk variant is one combination of values of the shop's attributes
 * (attribute_generate()): a variation is created from its attributes
 * [{id or name, option}], each option a value of that attribute (its
 * name or slug), and a product has one variant per combination: a
 * second one of the same is 400. Its attributes do not change later
 * (WooCommerce's "any" does not exist here either): delete it and
 * create another. Its fields are written by attribute_variants_save(),
 * the variant editor's own function: the stock is set, as the editor
 * sets it, in the product's locked transaction.
 *
 * A variation has no dates of its own in souk: date_created and
 * date_modified are the product's. Its price, sale and weight are the
 * product's when it has none of its own (souk's NULL), as the shop
 * sells it.
 *
 * NEEDSWORK: creating is two transactions (the combination, then its
 * fields); when the second refuses the fields, the first is undone by
 * a delete.
 */
#include "core/common.h"

#include <time.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "platform/tenant.h"
#include "shop/attribute.h"
#include "shop/product_query.h"
#include "shop/wc_product_body.h"
#include "web/json_api.h"
#include "web/wc_api.h"
#include "web/wc_products.h"

/* What every variation of a product shows: the product and its
 * variants' values. */
struct parent {
	struct pq_product		 p;
	struct attribute_variant	*vs;
	size_t				 nvs;
	struct pq_variation_value	*vals;
	size_t				 nvals;
};

static int
not_found(struct web *w)
{
	return json_api_error(w, 404, "woocommerce_rest_product_invalid_id",
	    _("Invalid ID."));
}

static int
variation_not_found(struct web *w)
{
	return json_api_error(w, 404,
	    "woocommerce_rest_product_variation_invalid_id",
	    _("Invalid ID."));
}

/* The product id with its variants: SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
static int
parent_load(struct web *w, int64_t id, struct parent *pa)
{
	struct product_query	q;
	struct pq_result	res;
	int			rc;

	memset(pa, 0, sizeof(*pa));
	memset(&q, 0, sizeof(q));
	q.status = q.in_stock = -1;
	q.limit = 1;
	q.id = id;
	if (product_query(&w->shop, &q, &res) != SHOP_OK)
		return SHOP_EDB;
	if (res.n == 0)
		return SHOP_ENOTFOUND;
	pa->p = res.v[0];
	if ((rc = attribute_variants(&w->shop, id, &pa->vs, &pa->nvs)) !=
	    SHOP_OK ||
	    (rc = product_query_variation_values(&w->shop, id, &pa->vals,
	    &pa->nvals)) != SHOP_OK)
		return rc == SHOP_ENOTFOUND ? rc : SHOP_EDB;
	return SHOP_OK;
}

static const struct attribute_variant *
variant_of(const struct parent *pa, int64_t vid)
{
	size_t i;

	for (i = 0; i < pa->nvs; i++)
		if (pa->vs[i].id == vid)
			return &pa->vs[i];
	return NULL;
}

static void
image(struct web *w, json_object *o, const struct parent *pa, int64_t id)
{
	json_object	*im;
	size_t		 i;

	for (i = 0; i < pa->p.nimages; i++)
		if (pa->p.images[i].id == id || (id == 0 && i == 0))
			break;
	if (i == pa->p.nimages) {
		json_object_object_add(o, "image", NULL);
		return;
	}
	im = jset_obj(o, "image");
	jset_i64(im, "id", pa->p.images[i].id);
	wc_products_dates(w, im, "date_created", pa->p.created);
	wc_products_dates(w, im, "date_modified", pa->p.modified);
	jset_cstr(im, "src", arena_printf(w->r->arena, "%s/media/%.*s",
	    wc_api_origin(w), (int)pa->p.images[i].path.len,
	    pa->p.images[i].path.p));
	jset_cstr(im, "name", "");
	jset_cstr(im, "alt", "");
}

static struct str
utc_of(struct web *w, int64_t t)
{
	return wc_product_body_time(w->r->arena, (time_t)t);
}

static json_object *
variation(struct web *w, const struct parent *pa,
    const struct attribute_variant *v)
{
	json_object	*o = json_object_new_object(), *d, *a, *at;
	int64_t		 price = v->price >= 0 ? v->price : pa->p.p.price;
	int64_t		 sale = v->sale_price, weight;
	struct str	 from, to;
	time_t		 now = time(NULL);
	int		 on_sale;
	size_t		 i;

	/* Without a sale of its own, the product's applies (sale.h). */
	if (sale >= 0) {
		from = utc_of(w, v->sale_from);
		to = utc_of(w, v->sale_to);
		on_sale = (v->sale_from == 0 || v->sale_from <= now) &&
		    (v->sale_to == 0 || now < v->sale_to);
	} else {
		sale = pa->p.sale_price;
		from = pa->p.sale_from;
		to = pa->p.sale_to;
		on_sale = pa->p.on_sale;
	}
	on_sale = on_sale && sale >= 0 && sale < price;
	jset_i64(o, "id", v->id);
	wc_products_dates(w, o, "date_created", pa->p.created);
	wc_products_dates(w, o, "date_modified", pa->p.modified);
	jset_cstr(o, "description", "");
	jset_cstr(o, "permalink", arena_printf(w->r->arena, "%s/p/%.*s",
	    wc_api_origin(w), (int)pa->p.p.slug.len, pa->p.p.slug.p));
	jset_str(o, "sku", v->sku);
	wc_products_money(w, o, "price", on_sale ? sale : price);
	wc_products_money(w, o, "regular_price", price);
	if (sale >= 0)
		wc_products_money(w, o, "sale_price", sale);
	else
		jset_cstr(o, "sale_price", "");
	wc_products_dates(w, o, "date_on_sale_from", from);
	wc_products_dates(w, o, "date_on_sale_to", to);
	jset_bool(o, "on_sale", on_sale);
	jset_cstr(o, "status", pa->p.p.active ? "publish" : "private");
	jset_bool(o, "purchasable", pa->p.p.active);
	jset_bool(o, "virtual", 0);
	jset_bool(o, "downloadable", 0);
	(void)jset_arr(o, "downloads");
	jset_i64(o, "download_limit", -1);
	jset_i64(o, "download_expiry", -1);
	jset_cstr(o, "tax_status", "taxable");
	jset_cstr(o, "tax_class", wc_products_tax_class(pa->p.tax_class));
	jset_bool(o, "manage_stock", 1);
	jset_i64(o, "stock_quantity", v->stock);
	jset_cstr(o, "stock_status", v->stock > 0 ? "instock" : "outofstock");
	jset_cstr(o, "backorders", "no");
	jset_bool(o, "backorders_allowed", 0);
	jset_bool(o, "backordered", 0);
	json_object_object_add(o, "low_stock_amount", NULL);
	weight = v->weight_g >= 0 ? v->weight_g : pa->p.weight_g;
	if (weight > 0)
		jset_cstr(o, "weight", arena_printf(w->r->arena,
		    "%lld.%03lld", (long long)(weight / 1000),
		    (long long)(weight % 1000)));
	else
		jset_cstr(o, "weight", "");
	d = jset_obj(o, "dimensions");
	jset_cstr(d, "length", "");
	jset_cstr(d, "width", "");
	jset_cstr(d, "height", "");
	jset_cstr(o, "shipping_class", "");
	jset_i64(o, "shipping_class_id", 0);
	image(w, o, pa, v->image_id);
	a = jset_arr(o, "attributes");
	for (i = 0; i < pa->nvals; i++)
		if (pa->vals[i].variant_id == v->id) {
			at = jarr_obj(a);
			jset_i64(at, "id", pa->vals[i].attribute_id);
			jset_str(at, "name", pa->vals[i].attribute);
			jset_str(at, "option", pa->vals[i].option);
		}
	jset_i64(o, "menu_order", (int64_t)(v - pa->vs));
	(void)jset_arr(o, "meta_data");
	return o;
}

/* The product of the path, loaded, or -1 answered. */
static int
parent_of(struct web *w, struct parent *pa)
{
	int64_t	id = wc_api_id(w->r, "id");
	int	rc;

	if (id == 0)
		return not_found(w), -1;
	if ((rc = parent_load(w, id, pa)) == SHOP_ENOTFOUND)
		return not_found(w), -1;
	if (rc != SHOP_OK)
		return wc_products_unavailable(w), -1;
	return 0;
}

static int
list(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct parent		 pa;
	json_object		*a;
	size_t			 i;

	if (wc_api_paging(w, &pg) == -1 || parent_of(w, &pa) == -1)
		return 0;
	a = json_object_new_array();
	for (i = (size_t)pg.offset; i < pa.nvs &&
	    i < (size_t)(pg.offset + pg.per_page); i++)
		json_object_array_add(a, variation(w, &pa, &pa.vs[i]));
	wc_api_page_headers(w, &pg, (int64_t)pa.nvs);
	return json_api_send(w, 200, a);
}

static int
get(struct req *r)
{
	struct web			*w = web_of(r);
	struct parent			 pa;
	const struct attribute_variant	*v;

	if (parent_of(w, &pa) == -1)
		return 0;
	if ((v = variant_of(&pa, wc_api_id(r, "vid"))) == NULL)
		return variation_not_found(w);
	return json_api_send(w, 200, variation(w, &pa, v));
}

static struct str
money_or_empty(struct web *w, int64_t minor)
{
	char buf[MONEY_PLAIN_MAX];

	if (minor < 0 || money_format_plain(minor, w->tenant->currency, buf,
	    sizeof(buf)) < 0)
		return STR("");
	return str_c(arena_strndup(w->r->arena, buf, strlen(buf)));
}

static struct str
num_or_empty(struct web *w, int64_t n)
{
	return n < 0 ? STR("") : str_c(arena_printf(w->r->arena, "%lld",
	    (long long)n));
}

/* The variant as saved, with the body's fields over it. */
static void
input_of(struct web *w, const struct attribute_variant *v,
    const struct wc_product_body *b, struct attribute_variant_input *in)
{
	memset(in, 0, sizeof(*in));
	in->id = v->id;
	in->sku = b->has & WC_PB_HAS_SKU ? b->sku : v->sku;
	in->price = b->has & WC_PB_HAS_PRICE ? b->regular_price :
	    money_or_empty(w, v->price);
	in->sale_price = b->has & WC_PB_HAS_SALE_PRICE ? b->sale_price :
	    money_or_empty(w, v->sale_price);
	in->sale_from = utc_of(w, b->has & WC_PB_HAS_SALE_FROM ?
	    (int64_t)b->sale_from : v->sale_from);
	in->sale_to = utc_of(w, b->has & WC_PB_HAS_SALE_TO ?
	    (int64_t)b->sale_to : v->sale_to);
	in->stock = num_or_empty(w, b->has & WC_PB_HAS_STOCK ? b->stock :
	    v->stock);
	in->weight_g = b->has & WC_PB_HAS_WEIGHT ? num_or_empty(w,
	    b->weight_g) : num_or_empty(w, v->weight_g);
	in->image_id = b->has & WC_PB_HAS_IMAGES ? num_or_empty(w,
	    b->images[0].id) : v->image_id > 0 ? num_or_empty(w,
	    v->image_id) : STR("");
}

/* The variant editor names a field "v<id>_<name>": the API's name. */
static const char *
api_field(const char *f)
{
	static const char *const map[][2] = {
		{ "price", "regular_price" }, { "stock", "stock_quantity" },
		{ "sale_from", "date_on_sale_from" },
		{ "sale_to", "date_on_sale_to" }, { "weight_g", "weight" },
		{ "image_id", "image" }, { "sale_price", "sale_price" },
		{ "sku", "sku" },
	};
	const char	*u = strchr(f, '_');
	size_t		 i;

	if (f[0] != 'v' || u == NULL)
		return f;
	for (i = 0; i < NELEM(map); i++)
		if (strcmp(u + 1, map[i][0]) == 0)
			return map[i][1];
	return u + 1;
}

/* Saves in; SHOP_EINVAL answered as 400. */
static int
save(struct web *w, int64_t pid, const struct attribute_variant_input *in,
    struct field_errors *errs)
{
	struct field_errors	e;
	size_t			i;
	int			rc;

	e.n = 0;
	rc = attribute_variants_save(&w->shop, pid, in, 1, &e);
	errs->n = 0;
	for (i = 0; i < e.n; i++)
		field_errors_add(errs, api_field(e.v[i].field), e.v[i].msgid);
	return rc;
}

/* The body of the request, checked: 0, or -1 answered. */
static int
body_of(struct web *w, json_object **o, struct wc_product_body *b)
{
	struct field_errors errs;

	if (json_api_body(w, 1, "rest_invalid_json", o) == -1)
		return -1;
	if (wc_product_body_parse(w->r->arena, *o, WC_PB_VARIATION,
	    w->tenant->time_zone, b, &errs) == -1) {
		(void)wc_products_invalid(w, "", &errs);
		return -1;
	}
	errs.n = 0;
	if ((b->has & WC_PB_HAS_IMAGES) && b->images[0].id == 0)
		field_errors_add(&errs, "image", N_("A variation's image is "
		    "one of its product's images, by id."));
	if (errs.n) {
		(void)wc_products_invalid(w, "", &errs);
		return -1;
	}
	return 0;
}

static int
match(struct str s, const struct attribute *a)
{
	return str_casecmp_eq(s, a->name) || str_casecmp_eq(s, a->slug);
}

/* The body's attributes as picks, one value each: 0, or -1 with an
 * error in errs. */
static int
picks_of(struct web *w, const struct wc_product_body *b,
    struct attribute_pick **out, size_t *n, struct field_errors *errs)
{
	struct attribute	*all;
	size_t			 nall, i, k;
	int64_t			 aid;

	*n = 0;
	if (b->nattrs == 0) {
		field_errors_add(errs, "attributes", N_("A variation names "
		    "its value of each attribute: [{\"id\": 1, \"option\": "
		    "\"M\"}]."));
		return -1;
	}
	if (attribute_list(&w->shop, &all, &nall) != SHOP_OK)
		return -2;
	*out = arena_calloc(w->r->arena, b->nattrs, sizeof(**out));
	for (i = 0; i < b->nattrs; i++) {
		const struct wc_pb_attribute *ba = &b->attrs[i];

		for (aid = 0, k = 0; k < nall && aid == 0; k++)
			if (all[k].parent_id == 0 && (ba->id ?
			    all[k].id == ba->id : match(ba->name, &all[k])))
				aid = all[k].id;
		for (k = 0; k < nall && aid; k++)
			if (all[k].parent_id == aid &&
			    match(ba->options[0], &all[k]))
				break;
		if (aid == 0 || k == nall) {
			field_errors_add(errs, "attributes", N_("Each "
			    "attribute is one of the shop's, and its option "
			    "one of its values (name or slug)."));
			return -1;
		}
		(*out)[*n].attribute_id = aid;
		(*out)[(*n)++].value_id = all[k].id;
	}
	return 0;
}

/*
 * Makes the variant of picks on product pa (as loaded before) with the
 * body's fields: SHOP_OK with *vid; SHOP_EINVAL with errs (the
 * combination exists, or its fields: then the variant made is deleted
 * again); SHOP_EDB.
 */
static int
make_one(struct web *w, const struct parent *pa,
    const struct wc_product_body *b, const struct attribute_pick *picks,
    size_t np, struct field_errors *errs, int64_t *vid)
{
	struct parent			 after;
	struct attribute_variant_input	 in;
	const struct attribute_variant	*v = NULL;
	size_t				 made, i;
	int				 rc;

	errs->n = 0;
	rc = attribute_generate(&w->shop, pa->p.p.id, picks, np, errs, &made);
	if (rc == SHOP_OK && made == 0) {
		field_errors_add(errs, "attributes", N_("The product has a "
		    "variation with these attributes already."));
		return SHOP_EINVAL;
	}
	if (rc != SHOP_OK)
		return rc == SHOP_EINVAL ? rc : SHOP_EDB;
	if (parent_load(w, pa->p.p.id, &after) != SHOP_OK)
		return SHOP_EDB;
	/* The new variant: the one the product did not have. */
	for (i = 0; i < after.nvs && v == NULL; i++)
		if (variant_of(pa, after.vs[i].id) == NULL)
			v = &after.vs[i];
	if (v == NULL)
		return SHOP_EDB;
	input_of(w, v, b, &in);
	if ((rc = save(w, pa->p.p.id, &in, errs)) != SHOP_OK) {
		(void)attribute_variant_delete(&w->shop, pa->p.p.id, v->id);
		return rc == SHOP_EINVAL ? rc : SHOP_EDB;
	}
	*vid = v->id;
	log_info("api: variation %lld of product %lld created",
	    (long long)v->id, (long long)pa->p.p.id);
	return SHOP_OK;
}

static int
create(struct req *r)
{
	struct web			*w = web_of(r);
	struct parent			 pa, after;
	struct wc_product_body		 b;
	struct attribute_pick		*picks;
	struct field_errors		 errs;
	const struct attribute_variant	*v;
	json_object			*o = NULL;
	size_t				 np;
	int64_t				 vid;
	int				 rc;

	if (parent_of(w, &pa) == -1 || body_of(w, &o, &b) == -1)
		goto done;
	errs.n = 0;
	if ((rc = picks_of(w, &b, &picks, &np, &errs)) == -2)
		goto fail;
	if (rc == 0)
		rc = make_one(w, &pa, &b, picks, np, &errs, &vid);
	if (errs.n) {
		(void)wc_products_invalid(w, "", &errs);
		goto done;
	}
	if (rc != SHOP_OK || parent_load(w, pa.p.p.id, &after) != SHOP_OK ||
	    (v = variant_of(&after, vid)) == NULL)
		goto fail;
	json_object_put(o);
	return json_api_send(w, 201, variation(w, &after, v));
fail:
	(void)wc_products_unavailable(w);
done:
	json_object_put(o);
	return 0;
}

static int
update(struct req *r)
{
	struct web			*w = web_of(r);
	struct parent			 pa;
	struct wc_product_body		 b;
	struct attribute_variant_input	 in;
	struct field_errors		 errs;
	const struct attribute_variant	*v;
	json_object			*o = NULL;
	int64_t				 vid = wc_api_id(r, "vid");
	int				 rc;

	if (parent_of(w, &pa) == -1)
		return 0;
	if ((v = variant_of(&pa, vid)) == NULL)
		return variation_not_found(w);
	if (body_of(w, &o, &b) == -1)
		goto done;
	if (b.has & WC_PB_HAS_ATTRIBUTES) {
		errs.n = 0;
		field_errors_add(&errs, "attributes", N_("A variation's "
		    "attributes do not change: delete it and create "
		    "another."));
		(void)wc_products_invalid(w, "", &errs);
		goto done;
	}
	input_of(w, v, &b, &in);
	rc = save(w, pa.p.p.id, &in, &errs);
	json_object_put(o);
	o = NULL;
	if (rc == SHOP_EINVAL) {
		(void)wc_products_invalid(w, "", &errs);
		goto done;
	}
	if (rc == SHOP_ENOTFOUND)
		return variation_not_found(w);
	if (rc != SHOP_OK || parent_load(w, pa.p.p.id, &pa) != SHOP_OK ||
	    (v = variant_of(&pa, vid)) == NULL) {
		(void)wc_products_unavailable(w);
		goto done;
	}
	return json_api_send(w, 200, variation(w, &pa, v));
done:
	json_object_put(o);
	return 0;
}

static int
del(struct req *r)
{
	struct web			*w = web_of(r);
	struct parent			 pa;
	const struct attribute_variant	*v;
	json_object			*o;
	int				 rc;

	if (parent_of(w, &pa) == -1)
		return 0;
	if ((v = variant_of(&pa, wc_api_id(r, "vid"))) == NULL)
		return variation_not_found(w);
	if (!wc_products_forced(w))
		return json_api_error(w, 501,
		    "woocommerce_rest_trash_not_supported",
		    _("Variations cannot be moved to the trash in this shop. "
		    "Set 'force' to true to delete them."));
	o = variation(w, &pa, v);
	rc = attribute_variant_delete(&w->shop, pa.p.p.id, v->id);
	if (rc != SHOP_OK) {
		json_object_put(o);
		return rc == SHOP_ENOTFOUND ? variation_not_found(w) :
		    wc_products_unavailable(w);
	}
	log_info("api: variation %lld deleted", (long long)v->id);
	return json_api_send(w, 200, o);
}

struct vitem {
	struct wc_product_body	 b;
	struct attribute_pick	*picks;
	size_t			 np;
	struct field_errors	 errs;
	int64_t			 id;
};

static json_object *
arr_of(json_object *o, const char *k, size_t *n)
{
	json_object *a;

	*n = 0;
	if (!json_object_object_get_ex(o, k, &a) || a == NULL ||
	    !json_object_is_type(a, json_type_array))
		return NULL;
	*n = json_object_array_length(a);
	return a;
}

/*
 * POST products/{id}/variations/batch: {"create", "update", "delete"}
 * as products/batch: every item checked first (a bad one is a 400
 * naming it, nothing written), then written one by one.
 */
static int
batch(struct req *r)
{
	struct web			*w = web_of(r);
	struct parent			 pa, now;
	struct vitem			*it;
	struct attribute_variant_input	 in;
	const struct attribute_variant	*v;
	json_object			*o = NULL, *ca, *ua, *da, *out, *res;
	size_t				 nc, nu, nd, i, n;
	int64_t				*ids, *dels;
	int				 rc;

	if (parent_of(w, &pa) == -1 ||
	    json_api_body(w, 1, "rest_invalid_json", &o) == -1)
		return 0;
	ca = arr_of(o, "create", &nc);
	ua = arr_of(o, "update", &nu);
	da = arr_of(o, "delete", &nd);
	if (nc + nu + nd > 100) {
		(void)json_api_error(w, 413,
		    "woocommerce_rest_request_entity_too_large",
		    _("Unable to accept more than 100 items for this "
		    "request."));
		goto done;
	}
	n = nc + nu;
	it = arena_calloc(r->arena, n + 1, sizeof(*it));
	ids = arena_calloc(r->arena, n + 1, sizeof(*ids));
	dels = arena_calloc(r->arena, nd + 1, sizeof(*dels));
	for (i = 0; i < n; i++) {
		struct vitem	*x = &it[i];
		const char	*at = arena_printf(r->arena, "%s[%zu].",
				    i < nc ? "create" : "update",
				    i < nc ? i : i - nc);

		if (wc_product_body_parse(r->arena, i < nc ?
		    json_object_array_get_idx(ca, i) :
		    json_object_array_get_idx(ua, i - nc), WC_PB_VARIATION,
		    w->tenant->time_zone, &x->b, &x->errs) == 0) {
			if (i < nc && (rc = picks_of(w, &x->b, &x->picks,
			    &x->np, &x->errs)) == -2)
				goto fail;
			if (i >= nc && variant_of(&pa, x->b.id) == NULL)
				field_errors_add(&x->errs, "id",
				    N_("Invalid ID."));
			if (i >= nc && (x->b.has & WC_PB_HAS_ATTRIBUTES))
				field_errors_add(&x->errs, "attributes",
				    N_("A variation's attributes do not "
				    "change: delete it and create another."));
		}
		if (x->errs.n) {
			(void)wc_products_invalid(w, at, &x->errs);
			goto done;
		}
	}
	for (i = 0; i < nd; i++) {
		json_object *e = json_object_array_get_idx(da, i);

		if (!json_object_is_type(e, json_type_int) ||
		    (dels[i] = json_object_get_int64(e)) < 1) {
			(void)wc_api_invalid_param(w, arena_printf(r->arena,
			    "delete[%zu]", i), _("Not of type integer."));
			goto done;
		}
	}
	for (i = 0; i < n; i++) {
		if (i < nc)
			rc = make_one(w, &pa, &it[i].b, it[i].picks, it[i].np,
			    &it[i].errs, &ids[i]);
		else {
			input_of(w, variant_of(&pa, it[i].b.id), &it[i].b,
			    &in);
			rc = save(w, pa.p.p.id, &in, &it[i].errs);
			ids[i] = it[i].b.id;
		}
		if (rc != SHOP_OK)
			ids[i] = rc == SHOP_EINVAL ? -1 : -2;
		/* The next create tells its variant from these. */
		if (rc == SHOP_OK && i < nc && parent_load(w, pa.p.p.id, &pa) !=
		    SHOP_OK)
			goto fail;
	}
	out = json_object_new_object();
	for (i = 0; i < nd; i++) {
		rc = attribute_variant_delete(&w->shop, pa.p.p.id, dels[i]);
		if (rc == SHOP_OK && (v = variant_of(&pa, dels[i])) != NULL)
			continue;
		dels[i] = rc == SHOP_ENOTFOUND ? -dels[i] : 0;
	}
	if (parent_load(w, pa.p.p.id, &now) != SHOP_OK) {
		json_object_put(out);
		goto fail;
	}
	res = jset_arr(out, "create");
	for (i = 0; i < n; i++) {
		if (i == nc)
			res = jset_arr(out, "update");
		if (ids[i] > 0 && (v = variant_of(&now, ids[i])) != NULL)
			json_object_array_add(res, variation(w, &now, v));
		else if (ids[i] == -1)
			json_object_array_add(res, wc_api_item_error(it[i].b.id, 400,
			    "rest_invalid_param", it[i].errs.n ?
			    arena_printf(r->arena, "%s: %s",
			    it[i].errs.v[0].field, _(it[i].errs.v[0].msgid)) :
			    _("Invalid.")));
		else
			json_object_array_add(res, wc_api_item_error(it[i].b.id, 503,
			    "souk_unavailable", _("The shop cannot answer just "
			    "now. Try again in a minute.")));
	}
	if (nc == n)
		(void)jset_arr(out, "update");
	res = jset_arr(out, "delete");
	for (i = 0; i < nd; i++) {
		if (dels[i] > 0 && (v = variant_of(&pa, dels[i])) != NULL)
			json_object_array_add(res, variation(w, &pa, v));
		else
			json_object_array_add(res, dels[i] < 0 ?
			    wc_api_item_error(-dels[i], 404,
			    "woocommerce_rest_product_variation_invalid_id",
			    _("Invalid ID.")) : wc_api_item_error(0, 503,
			    "souk_unavailable", _("The shop cannot answer just "
			    "now. Try again in a minute.")));
	}
	json_object_put(o);
	return json_api_send(w, 200, out);
fail:
	(void)wc_products_unavailable(w);
done:
	json_object_put(o);
	return 0;
}

const struct route wc_variations_routes[] = {
	{ HTTP_GET, WC_API_NS "/products/:id/variations", list, 0, NULL },
	{ HTTP_POST, WC_API_NS "/products/:id/variations", create, 0, NULL },
	{ HTTP_POST, WC_API_NS "/products/:id/variations/batch", batch, 0,
	    NULL },
	{ HTTP_GET, WC_API_NS "/products/:id/variations/:vid", get, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/products/:id/variations/:vid", update, 0,
	    NULL },
	{ HTTP_PATCH, WC_API_NS "/products/:id/variations/:vid", update, 0,
	    NULL },
	{ HTTP_POST, WC_API_NS "/products/:id/variations/:vid", update, 0,
	    NULL },
	{ HTTP_DELETE, WC_API_NS "/products/:id/variations/:vid", del, 0,
	    NULL },
};

const size_t wc_variations_nroutes = NELEM(wc_variations_routes);
