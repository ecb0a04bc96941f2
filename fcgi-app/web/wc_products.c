/*
 * wc_products.c: /wp-json/wc/v3/products, products/{id} and
 * products/batch (read and write), in WooCommerce v3's JSON (its
 * "products" schema, view context).
 *
 * The JSON is shop/wc_product_json.c's (what webhooks deliver too).
 *
 * total_sales counts the units of order lines whose order is not
 * pending or cancelled (WooCommerce counts paid orders); orderby
 * popularity sorts by it; orderby rating is the date's order (souk
 * keeps no ratings: average_rating is "0.00" for every product). The
 * category filter takes the category's descendants too, as
 * WordPress's does.
 *
 * Writes (POST, PUT, DELETE, batch) go through the admin's own
 * catalog_product_save() and catalog_product_delete(): the body is
 * checked whole first (shop/wc_product_body.h), then turned into the
 * admin form's input over the product as saved.
 *
 * NEEDSWORK: default_attributes is empty; attributes are the shop's
 * global ones only (souk has no per-product custom attributes), set
 * through variations; images are not taken by a write yet.
 */
#include "core/common.h"

#include <time.h>

#include "core/crypto.h"
#include "core/html.h"
#include "core/log.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/tz.h"
#include "platform/quota.h"
#include "platform/tenant.h"
#include "shop/attribute.h"
#include "shop/category.h"
#include "shop/gallery.h"
#include "shop/product_query.h"
#include "shop/wc_product_json.h"
#include "shop/wc_product_body.h"
#include "web/json_api.h"
#include "web/wc_api.h"
#include "web/wc_products.h"


/* The API's name of a field the catalog's checks name as the admin's
 * form does. */
static const char *
api_field(const char *f)
{
	static const char *const map[][2] = {
		{ "price", "regular_price" }, { "stock", "stock_quantity" },
		{ "sale_from", "date_on_sale_from" },
		{ "sale_to", "date_on_sale_to" },
		{ "category_id", "categories" },
	};
	size_t i;

	for (i = 0; i < NELEM(map); i++)
		if (strcmp(f, map[i][0]) == 0)
			return map[i][1];
	return f;
}

static int
view_init(struct wc_pj_view *v, struct web *w)
{
	v->ctx = &w->shop;
	v->origin = wc_api_origin(w);
	return category_list(&w->shop, &v->cats, &v->ncats);
}

static int
unavailable(struct web *w)
{
	resp_header(w->r, "Retry-After", "60");
	return json_api_error(w, 503, "souk_unavailable", _("The shop cannot "
	    "answer just now. Try again in a minute."));
}

/* The query's choice among names (index), def when absent: 0, or -1
 * answered 400. */
static int
enum_param(struct web *w, const char *name, const char *const *names,
    size_t n, int def, int *out)
{
	const struct str	*s = req_query(w->r, name);
	struct strbuf		 sb;
	size_t			 i;
	int			 rc;

	*out = def;
	if (s == NULL)
		return 0;
	if ((*out = str_index(*s, names, n)) >= 0)
		return 0;
	strbuf_init(&sb, 64);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", names[i]);
	rc = wc_api_invalid_param(w, name, arena_printf(w->r->arena,
	    _("%s is not one of %s."), name, sb.buf));
	strbuf_release(&sb);
	return rc;
}

static int
list(struct req *r)
{
	static const char *const statuses[] = { "any", "draft", "pending",
	    "private", "publish" };
	static const char *const stock[] = { "instock", "outofstock",
	    "onbackorder" };
	/* Indexed as enum product_query_order, then rating: souk keeps
	 * no ratings, so it is the date's order. */
	static const char *const orderby[] = { "date", "id", "title",
	    "price", "popularity", "rating" };
	static const char *const order[] = { "asc", "desc" };
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct product_query	 q;
	const struct str	*s;
	struct str		*texts;
	int64_t			*ids, total;
	int			 st, sk, ob, od;
	size_t			 n;

	memset(&q, 0, sizeof(q));
	if (wc_api_paging(w, &pg) == -1 ||
	    enum_param(w, "status", statuses, NELEM(statuses), 0, &st) == -1 ||
	    enum_param(w, "stock_status", stock, NELEM(stock), -1, &sk) ==
	    -1 ||
	    enum_param(w, "orderby", orderby, NELEM(orderby), 0, &ob) == -1 ||
	    enum_param(w, "order", order, NELEM(order), 1, &od) == -1)
		return 0;
	if ((s = req_query(r, "category")) != NULL &&
	    str_to_i64(*s, 0, INT64_MAX, &q.category) == -1) {
		(void)wc_api_invalid_param(w, "category", _("category is not "
		    "of type integer."));
		return 0;
	}
	if ((s = req_query(r, "search")) != NULL)
		q.search = *s;
	if ((s = req_query(r, "sku")) != NULL)
		q.sku = *s;
	/* pending and private: souk has no such products. */
	q.status = st == 0 ? -1 : st == 1 ? 0 : st == 4 ? 1 : 2;
	q.in_stock = sk < 0 ? -1 : sk == 0 ? 1 : sk == 1 ? 0 : 2;
	q.order = ob == PQ_ORDER__MAX ? PQ_ORDER_DATE :
	    (enum product_query_order)ob;
	q.desc = od == 1;
	q.offset = pg.offset;
	q.limit = pg.per_page;
	if (product_query_page(&w->shop, &q, &ids, &n, &total) != SHOP_OK)
		return unavailable(w);
	texts = arena_calloc(r->arena, n + 1, sizeof(*texts));
	if (wc_product_json_texts(&w->shop, wc_api_origin(w), ids, n,
	    texts) != SHOP_OK)
		return unavailable(w);
	wc_api_page_headers(w, &pg, total);
	return json_api_send_array(w, 200, texts, n);
}

static int
get(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 text;
	int64_t		 id;

	if ((id = wc_api_id(r, "id")) == 0)
		return json_api_error(w, 404, "woocommerce_rest_product_invalid_id",
		    _("Invalid ID."));
	if (wc_product_json_texts(&w->shop, wc_api_origin(w), &id, 1,
	    &text) != SHOP_OK)
		return unavailable(w);
	if (text.p == NULL)
		return json_api_error(w, 404, "woocommerce_rest_product_invalid_id",
		    _("Invalid ID."));
	return json_api_send_text(w, 200, text);
}

/* --- writes -------------------------------------------------------- */

static int
not_found(struct web *w)
{
	return json_api_error(w, 404, "woocommerce_rest_product_invalid_id",
	    _("Invalid ID."));
}

/* The product id as GET answers it, into *out (NULL: not there). */
static int
load(struct web *w, struct wc_pj_view *v, int64_t id, json_object **out)
{
	struct product_query	 q;
	struct pq_result	 res;

	*out = NULL;
	memset(&q, 0, sizeof(q));
	q.status = q.in_stock = -1;
	q.limit = 1;
	q.id = id;
	if (product_query(&w->shop, &q, &res) != SHOP_OK)
		return SHOP_EDB;
	if (res.n == 1)
		*out = wc_product_json(v, &res.v[0]);
	return SHOP_OK;
}

/* The items of a batch, or one body: what a write sends back. */
struct item {
	struct wc_product_body	 b;
	struct product_input	 in;
	int64_t			 id;	/* 0: create */
	struct field_errors	 errs;
	const char		*at;	/* "create[2]." in a batch, "" */
};

/* The 400 of rest_invalid_param, one entry per error, its field named
 * (prefixed with its place in a batch). */
static int
invalid(struct web *w, const struct item *it, size_t n)
{
	json_object	*e = json_object_new_object(), *d, *params;
	struct strbuf	 names;
	const char	*f;
	size_t		 i, k;

	strbuf_init(&names, 64);
	d = json_object_new_object();
	params = jset_obj(d, "params");
	for (i = 0; i < n; i++)
		for (k = 0; k < it[i].errs.n; k++) {
			f = arena_printf(w->r->arena, "%s%s", it[i].at,
			    it[i].errs.v[k].field);
			if (json_object_object_get_ex(params, f, NULL))
				continue;
			jset_cstr(params, f, _(it[i].errs.v[k].msgid));
			strbuf_addf(&names, "%s%s", names.len ? ", " : "", f);
		}
	jset_cstr(e, "code", "rest_invalid_param");
	jset_cstr(e, "message", arena_printf(w->r->arena,
	    _("Invalid parameter(s): %s"), names.buf));
	jset_i64(d, "status", 400);
	json_object_object_add(e, "data", d);
	strbuf_release(&names);
	return json_api_send(w, 400, e);
}

static struct str
money_str(struct web *w, int64_t minor)
{
	char buf[MONEY_PLAIN_MAX];

	if (money_format_plain(minor, w->tenant->currency, buf,
	    sizeof(buf)) < 0)
		buf[0] = '\0';
	return str_c(arena_strndup(w->r->arena, buf, strlen(buf)));
}

static struct str
i64_str(struct web *w, int64_t n)
{
	return str_c(arena_printf(w->r->arena, "%lld", (long long)n));
}

/* The product as saved, as catalog_product_save() takes it: an update
 * writes every field, so it starts from the row. */
static int
input_of_row(struct web *w, int64_t id, struct product_input *in)
{
	struct product		 p;
	struct product_text	*t;
	struct catalog_sale	 sale;
	size_t			 nt, i;
	int			 rc;

	memset(in, 0, sizeof(*in));
	if ((rc = catalog_product_get(&w->shop, id, &p, &t, &nt)) != SHOP_OK ||
	    (rc = catalog_sale_get(&w->shop, id, &sale)) != SHOP_OK)
		return rc;
	in->slug = p.slug;
	in->sku = p.sku;
	in->price = money_str(w, p.price);
	in->stock = i64_str(w, p.stock);
	in->category_id = p.category_id ? i64_str(w, p.category_id) : STR("");
	in->sale_price = sale.sale_price >= 0 ? money_str(w,
	    sale.sale_price) : STR("");
	in->sale_from = wc_product_body_time(w->r->arena, (time_t)sale.from);
	in->sale_to = wc_product_body_time(w->r->arena, (time_t)sale.to);
	in->active = p.active;
	in->featured = p.featured;
	for (i = 0; i < nt && i < CATALOG_MAX_LOCALES; i++) {
		in->texts[i] = t[i];
		/* The save sanitises HTML again: send what it made. */
		if (t[i].description_html.p != NULL)
			in->texts[i].description = t[i].description_html;
	}
	in->ntexts = i;
	return SHOP_OK;
}

/* The text of the shop's language in in, added when missing. */
static struct product_text *
default_text(struct web *w, struct product_input *in)
{
	struct product_text	*t;
	size_t			 i;

	for (i = 0; i < in->ntexts; i++)
		if (strcmp(in->texts[i].locale, w->shop.default_locale) == 0)
			return &in->texts[i];
	if (in->ntexts == CATALOG_MAX_LOCALES)
		return &in->texts[0];
	t = &in->texts[in->ntexts++];
	memset(t, 0, sizeof(*t));
	str_copy(t->locale, sizeof(t->locale),
	    str_c(w->shop.default_locale));
	return t;
}

/*
 * A product's "attributes" (issue 12): souk's attributes are the
 * shop's (no per-product custom ones), and a product offers the values
 * of its variants. So a product's list names the shop's attributes and
 * values its variations will use: attributes_check() refuses an id
 * that is not one of the shop's attributes; attributes_ensure(), once
 * the product is saved, makes those named that the shop lacks (the
 * attribute, its values, with the names given in the shop's language),
 * as the admin's attribute editor would. The product's own values then
 * come from its variations (POST products/{id}/variations).
 */
static struct attribute *
attribute_find(struct attribute *v, size_t n, int64_t parent, int64_t id,
    struct str name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].parent_id == parent && (id > 0 ? v[i].id == id :
		    str_casecmp_eq(v[i].name, name)))
			return &v[i];
	return NULL;
}

static int
attributes_check(struct web *w, const struct wc_product_body *b,
    struct field_errors *errs)
{
	struct attribute	*v;
	size_t			 n, i;

	if (attribute_list(&w->shop, &v, &n) != SHOP_OK)
		return -1;
	for (i = 0; i < b->nattrs; i++)
		if (b->attrs[i].id > 0 && attribute_find(v, n, 0,
		    b->attrs[i].id, STR("")) == NULL) {
			field_errors_add(errs, "attributes", N_("No such "
			    "attribute in this shop."));
			break;
		}
	return 0;
}

/* Makes a shop attribute (parent 0) or a value of parent, named name in
 * the shop's language; *id its id. */
static int
attribute_make(struct web *w, int64_t parent, struct str name,
    struct field_errors *errs, int64_t *id)
{
	struct attribute_input	in;

	memset(&in, 0, sizeof(in));
	str_copy(in.texts[0].locale, sizeof(in.texts[0].locale),
	    str_c(w->shop.default_locale));
	in.texts[0].name = name;
	in.ntexts = 1;
	return attribute_save(&w->shop, 0, parent, &in, errs, id);
}

static int
attributes_ensure(struct web *w, const struct wc_product_body *b,
    struct field_errors *errs)
{
	struct attribute	*v, *a;
	size_t			 n, i, k;
	int64_t			 aid, id;
	int			 rc;

	if (!(b->has & WC_PB_HAS_ATTRIBUTES) || b->nattrs == 0)
		return SHOP_OK;
	if ((rc = attribute_list(&w->shop, &v, &n)) != SHOP_OK)
		return rc;
	for (i = 0; i < b->nattrs; i++) {
		const struct wc_pb_attribute *x = &b->attrs[i];

		if ((a = attribute_find(v, n, 0, x->id, x->name)) != NULL)
			aid = a->id;
		else if (x->id > 0)
			return SHOP_ENOTFOUND;
		else if ((rc = attribute_make(w, 0, x->name, errs, &aid)) !=
		    SHOP_OK)
			return rc;
		for (k = 0; k < x->noptions; k++)
			if (attribute_find(v, n, aid, 0, x->options[k]) ==
			    NULL && (rc = attribute_make(w, aid,
			    x->options[k], errs, &id)) != SHOP_OK)
				return rc;
	}
	return SHOP_OK;
}

/*
 * The body's fields over what the product has (it->id) or a new one's
 * defaults, into it->in, and the catalog's own checks of the result
 * into it->errs. SHOP_OK (errs may hold errors), SHOP_ENOTFOUND,
 * SHOP_EDB.
 */
static int
prepare(struct web *w, struct item *it)
{
	const struct wc_product_body	*b = &it->b;
	struct product_input		*in = &it->in;
	struct product_text		*t;
	int				 rc;

	if (it->id) {
		if ((rc = input_of_row(w, it->id, in)) != SHOP_OK)
			return rc;
	} else {
		memset(in, 0, sizeof(*in));
		in->stock = STR("0");
		in->active = 1;
		/* A variable product's prices are its variations'; souk
		 * keeps one on the product too (a variation without its
		 * own price has it). A simple one needs its price. */
		if (!(b->has & WC_PB_HAS_PRICE) && !b->variable)
			field_errors_add(&it->errs, "regular_price",
			    N_("A simple product needs its regular_price."));
		in->price = STR("0");
		if (!(b->has & WC_PB_HAS_NAME))
			field_errors_add(&it->errs, "name",
			    N_("A name is required."));
		else if (!(b->has & WC_PB_HAS_SLUG) &&
		    shop_slugify(w->r->arena, b->name).len == 0) {
			/* A name without Latin letters or digits
			 * ("漢字"): WordPress would percent-encode it;
			 * souk's slugs are ASCII. */
			char hex[17];

			crypto_random_hex(hex, 8);
			in->slug = str_c(arena_printf(w->r->arena,
			    "product-%s", hex));
		}
	}
	if (b->has & WC_PB_HAS_SLUG)
		in->slug = b->slug;
	if (b->has & WC_PB_HAS_SKU)
		in->sku = b->sku;
	if (b->has & WC_PB_HAS_PRICE)
		in->price = b->regular_price;
	if (b->has & WC_PB_HAS_SALE_PRICE)
		in->sale_price = b->sale_price;
	if (b->has & WC_PB_HAS_SALE_FROM)
		in->sale_from = wc_product_body_time(w->r->arena,
		    b->sale_from);
	if (b->has & WC_PB_HAS_SALE_TO)
		in->sale_to = wc_product_body_time(w->r->arena, b->sale_to);
	if (b->has & WC_PB_HAS_STOCK)
		in->stock = i64_str(w, b->stock);
	if (b->has & WC_PB_HAS_STATUS)
		in->active = b->publish;
	if (b->has & WC_PB_HAS_FEATURED)
		in->featured = b->featured;
	if (b->has & WC_PB_HAS_TAX_CLASS)
		in->tax_class = str_c(b->tax_class);
	if (b->has & WC_PB_HAS_WEIGHT)
		in->weight_g = i64_str(w, b->weight_g);
	if (b->has & WC_PB_HAS_CATEGORIES)
		in->category_id = b->category_id ? i64_str(w, b->category_id) :
		    STR("");
	if (b->has & (WC_PB_HAS_NAME | WC_PB_HAS_DESCRIPTION)) {
		t = default_text(w, in);
		if (b->has & WC_PB_HAS_NAME)
			t->name = b->name;
		if (b->has & WC_PB_HAS_DESCRIPTION)
			t->description = b->description;
	}
	if (b->has & WC_PB_HAS_IMAGES)
		field_errors_add(&it->errs, "images", N_("Images are added in "
		    "the shop's admin or by its CSV import: the API does not "
		    "take them yet."));
	if ((b->has & WC_PB_HAS_ATTRIBUTES) &&
	    attributes_check(w, b, &it->errs) == -1)
		return SHOP_EDB;
	if (it->errs.n == 0) {
		struct field_errors more;
		size_t i;

		if (catalog_product_check(&w->shop, in, &more) == SHOP_EDB)
			return SHOP_EDB;
		for (i = 0; i < more.n; i++)
			field_errors_add(&it->errs, api_field(more.v[i].field),
			    more.v[i].msgid);
	}
	return SHOP_OK;
}

/* Parses o into it and prepares it: 0, or -1 for SHOP_EDB (it->errs
 * holds a body's errors; SHOP_ENOTFOUND sets it->id to -1). */
static int
item_of(struct web *w, json_object *o, int64_t id, struct item *it)
{
	int rc;

	if (wc_product_body_parse(w->r->arena, o, WC_PB_PRODUCT,
	    w->tenant->time_zone, &it->b, &it->errs) == -1)
		return 0;
	it->id = id;
	if ((rc = prepare(w, it)) == SHOP_ENOTFOUND) {
		it->id = -1;
		return 0;
	}
	return rc == SHOP_OK ? 0 : -1;
}

/* Saves a prepared item; *id_out its id. SHOP_OK, SHOP_EINVAL or
 * SHOP_ECONFLICT (it->errs), SHOP_ENOTFOUND, SHOP_EDB. */
static int
item_save(struct web *w, struct item *it, int64_t *id_out)
{
	struct field_errors	errs;
	size_t			i;
	int			rc;

	errs.n = 0;
	rc = catalog_product_save(&w->shop, it->id, &it->in, &errs, id_out);
	if (rc == SHOP_OK)
		rc = attributes_ensure(w, &it->b, &errs);
	for (i = 0; i < errs.n; i++)
		field_errors_add(&it->errs, api_field(errs.v[i].field),
		    errs.v[i].msgid);
	return rc;
}

static int
create(struct req *r)
{
	struct web	*w = web_of(r);
	struct item	*it = arena_calloc(r->arena, 1, sizeof(*it));
	json_object	*o, *p;
	struct wc_pj_view	 v;
	int64_t		 id;
	int		 rc;

	if (json_api_body(w, 1, "rest_invalid_json", &o) == -1)
		return 0;
	it->at = "";
	rc = item_of(w, o, 0, it);
	if (rc == 0 && it->errs.n == 0)
		rc = item_save(w, it, &id);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT || it->errs.n) {
		json_object_put(o);
		return invalid(w, it, 1);
	}
	json_object_put(o);
	if (rc == SHOP_EQUOTA)
		return json_api_error(w, 403, "souk_plan_limit",
		    quota_message(w->db, r->arena, w->shop.tenant,
		    PLAN_PRODUCTS));
	if (rc != SHOP_OK || view_init(&v, w) != SHOP_OK ||
	    load(w, &v, id, &p) != SHOP_OK || p == NULL)
		return unavailable(w);
	log_info("api: product %lld created", (long long)id);
	return json_api_send(w, 201, p);
}

static int
update(struct req *r)
{
	struct web	*w = web_of(r);
	struct item	*it = arena_calloc(r->arena, 1, sizeof(*it));
	json_object	*o, *p;
	struct wc_pj_view	 v;
	int64_t		 id = wc_api_id(r, "id"), saved;
	int		 rc;

	if (id == 0)
		return not_found(w);
	if (json_api_body(w, 1, "rest_invalid_json", &o) == -1)
		return 0;
	it->at = "";
	/* The body's texts live in o until the save. */
	rc = item_of(w, o, id, it);
	if (rc == 0 && it->id != -1 && it->errs.n == 0)
		rc = item_save(w, it, &saved);
	json_object_put(o);
	if (rc == 0 && it->id == -1)
		return not_found(w);
	if (rc == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT || it->errs.n)
		return invalid(w, it, 1);
	if (rc != SHOP_OK || view_init(&v, w) != SHOP_OK ||
	    load(w, &v, id, &p) != SHOP_OK || p == NULL)
		return unavailable(w);
	return json_api_send(w, 200, p);
}

/* force=true (WordPress reads "true", "1"). */
static int
forced(struct web *w)
{
	const struct str *f = req_query(w->r, "force");

	return f != NULL && (str_eqc(*f, "true") || str_eqc(*f, "1"));
}

/* Deletes product id, its JSON before into *out (the caller's).
 * SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
static int
remove_product(struct web *w, struct wc_pj_view *v, int64_t id, json_object **out)
{
	struct gallery_image	*imgs;
	size_t			 nimgs;
	int			 rc;

	*out = NULL;
	if ((rc = load(w, v, id, out)) != SHOP_OK)
		return rc;
	if (*out == NULL)
		return SHOP_ENOTFOUND;
	/* Its images' files go after the rows, as the admin does. */
	if (gallery_list(&w->shop, id, &imgs, &nimgs) != SHOP_OK ||
	    (rc = catalog_product_delete(&w->shop, id)) != SHOP_OK) {
		json_object_put(*out);
		*out = NULL;
		return rc == SHOP_ENOTFOUND ? rc : SHOP_EDB;
	}
	gallery_remove_files(imgs, nimgs);
	log_info("api: product %lld deleted", (long long)id);
	return SHOP_OK;
}

/* souk has no trash: WooCommerce's answer for a resource without one
 * (501) unless force=true, which deletes for good. */
static int
trash_refused(struct web *w)
{
	return json_api_error(w, 501, "woocommerce_rest_trash_not_supported",
	    _("Products cannot be moved to the trash in this shop. Set "
	    "'force' to true to delete them."));
}

static int
del(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = wc_api_id(r, "id");
	struct wc_pj_view	 v;
	json_object	*p;
	int		 rc;

	if (id == 0)
		return not_found(w);
	if (!forced(w))
		return trash_refused(w);
	if (view_init(&v, w) != SHOP_OK)
		return unavailable(w);
	rc = remove_product(w, &v, id, &p);
	if (rc == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK)
		return unavailable(w);
	return json_api_send(w, 200, p);
}

#define BATCH_MAX	100	/* WooCommerce's, items of all three kinds */

/* The array k of the batch body (NULL when absent), or -1 answered. */
static int
batch_array(struct web *w, json_object *o, const char *k, json_object **a,
    size_t *n)
{
	*a = NULL;
	*n = 0;
	if (!json_object_object_get_ex(o, k, a) || *a == NULL)
		return 0;
	if (!json_object_is_type(*a, json_type_array))
		return wc_api_invalid_param(w, k, arena_printf(w->r->arena,
		    _("%s is not of type array."), k));
	*n = json_object_array_length(*a);
	return 0;
}

/*
 * POST /products/batch: {"create": [...], "update": [...], "delete":
 * [ids]}. Every item is checked (the body, then the catalog's own
 * checks, and that updated and deleted ids are the shop's) before
 * anything is written: one bad item is a 400 naming it and nothing
 * changes. Then each is written in turn, in its own transaction as
 * the admin writes it; what still fails then (a slug another item of
 * the batch took) is that item's error in WooCommerce's shape.
 */
static int
batch(struct req *r)
{
	struct web	*w = web_of(r);
	json_object	*o, *ca, *ua, *da, *out, *res, *p;
	size_t		 nc, nu, nd, i, n;
	struct item	*items;
	int64_t		*dels, id;
	struct wc_pj_view	 v;
	int		 rc;

	if (json_api_body(w, 1, "rest_invalid_json", &o) == -1)
		return 0;
	if (batch_array(w, o, "create", &ca, &nc) == -1 ||
	    batch_array(w, o, "update", &ua, &nu) == -1 ||
	    batch_array(w, o, "delete", &da, &nd) == -1)
		goto done;
	if (nc + nu + nd > BATCH_MAX) {
		(void)json_api_error(w, 413,
		    "woocommerce_rest_request_entity_too_large",
		    _("Unable to accept more than 100 items for this "
		    "request."));
		goto done;
	}
	n = nc + nu;
	items = arena_calloc(r->arena, n + 1, sizeof(*items));
	dels = arena_calloc(r->arena, nd + 1, sizeof(*dels));
	if (view_init(&v, w) != SHOP_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		struct item	*it = &items[i];
		json_object	*e = i < nc ? json_object_array_get_idx(ca, i) :
				    json_object_array_get_idx(ua, i - nc);

		it->at = arena_printf(r->arena, "%s[%zu].", i < nc ?
		    "create" : "update", i < nc ? i : i - nc);
		if (i >= nc) {
			if (wc_product_body_parse(r->arena, e, WC_PB_PRODUCT,
			    w->tenant->time_zone, &it->b, &it->errs) == -1)
				continue;
			if (!(it->b.has & WC_PB_HAS_ID)) {
				field_errors_add(&it->errs, "id",
				    N_("An update names the product's id."));
				continue;
			}
			id = it->b.id;
		} else
			id = 0;
		if (item_of(w, e, id, it) == -1)
			goto fail;
		if (it->id == -1)
			field_errors_add(&it->errs, "id", N_("Invalid ID."));
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
	for (i = 0; i < n; i++)
		if (items[i].errs.n) {
			(void)invalid(w, items, n);
			goto done;
		}

	out = json_object_new_object();
	res = jset_arr(out, "create");
	for (i = 0; i < n; i++) {
		if (i == nc)
			res = jset_arr(out, "update");
		rc = item_save(w, &items[i], &id);
		if (rc == SHOP_OK && load(w, &v, id, &p) == SHOP_OK &&
		    p != NULL)
			json_object_array_add(res, p);
		else if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT)
			json_object_array_add(res, wc_api_item_error(items[i].id, 400,
			    "woocommerce_rest_invalid_param",
			    items[i].errs.n ? arena_printf(r->arena, "%s: %s",
			    items[i].errs.v[0].field,
			    _(items[i].errs.v[0].msgid)) : _("Invalid.")));
		else if (rc == SHOP_ENOTFOUND)
			json_object_array_add(res, wc_api_item_error(items[i].id, 404,
			    "woocommerce_rest_product_invalid_id",
			    _("Invalid ID.")));
		else if (rc == SHOP_EQUOTA)
			json_object_array_add(res, wc_api_item_error(items[i].id,
			    403, "souk_plan_limit", quota_message(w->db,
			    r->arena, w->shop.tenant, PLAN_PRODUCTS)));
		else
			json_object_array_add(res, wc_api_item_error(items[i].id, 503,
			    "souk_unavailable", _("The shop cannot answer just "
			    "now. Try again in a minute.")));
	}
	if (nc == n)
		(void)jset_arr(out, "update");
	res = jset_arr(out, "delete");
	for (i = 0; i < nd; i++) {
		rc = remove_product(w, &v, dels[i], &p);
		if (rc == SHOP_OK)
			json_object_array_add(res, p);
		else if (rc == SHOP_ENOTFOUND)
			json_object_array_add(res, wc_api_item_error(dels[i], 404,
			    "woocommerce_rest_product_invalid_id",
			    _("Invalid ID.")));
		else
			json_object_array_add(res, wc_api_item_error(dels[i], 503,
			    "souk_unavailable", _("The shop cannot answer just "
			    "now. Try again in a minute.")));
	}
	json_object_put(o);
	return json_api_send(w, 200, out);
fail:
	(void)unavailable(w);
done:
	json_object_put(o);
	return 0;
}

/* --- shared with the other modules (wc_products.h) ------------------ */

void
wc_products_money(struct web *w, json_object *o, const char *k, int64_t minor)
{
	struct wc_pj_view v = { .ctx = &w->shop };

	wc_product_json_money(o, k, &v, minor);
}

void
wc_products_dates(struct web *w, json_object *o, const char *k,
    struct str utc)
{
	struct wc_pj_view v = { .ctx = &w->shop };

	wc_product_json_dates(o, k, &v, utc);
}

const char *
wc_products_tax_class(struct str s)
{
	return wc_product_json_tax_class(s);
}

int
wc_products_forced(struct web *w)
{
	/* A batch's delete is forced, as WooCommerce's batch sets it. */
	return forced(w) || wc_api_batch_item() != NULL;
}

int
wc_products_unavailable(struct web *w)
{
	return unavailable(w);
}

int
wc_products_invalid(struct web *w, const char *at,
    const struct field_errors *errs)
{
	struct item *it = arena_calloc(w->r->arena, 1, sizeof(*it));

	it->at = at;
	it->errs = *errs;
	return invalid(w, it, 1);
}

const struct route wc_products_routes[] = {
	{ HTTP_GET, WC_API_NS "/products", list, 0, NULL },
	{ HTTP_GET, WC_API_NS "/products/:id", get, 0, NULL },
	{ HTTP_POST, WC_API_NS "/products", create, 0, NULL },
	{ HTTP_POST, WC_API_NS "/products/batch", batch, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/products/:id", update, 0, NULL },
	{ HTTP_PATCH, WC_API_NS "/products/:id", update, 0, NULL },
	{ HTTP_POST, WC_API_NS "/products/:id", update, 0, NULL },
	{ HTTP_DELETE, WC_API_NS "/products/:id", del, 0, NULL },
};

const size_t wc_products_nroutes = NELEM(wc_products_routes);
