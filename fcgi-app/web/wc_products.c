/*
 * wc_products.c: GET /wp-json/wc/v3/products and products/{id}, in
 * WooCommerce v3's JSON (its "products" schema, view context).
 *
 * What souk has maps onto WooCommerce's fields: an active product is
 * "publish", a draft "draft"; a product with variants is "variable"
 * (its stock is its variants'), else "simple" with manage_stock true;
 * prices are decimal strings in the shop's currency; tax classes
 * "standard", "reduced", "zero" are WooCommerce's "", "reduced-rate",
 * "zero-rate"; the weight is in kg (souk keeps grams). What souk does
 * not have comes back with WooCommerce's empty default ("", [], false,
 * null, 0 for counts souk does not keep), never made up.
 *
 * NEEDSWORK: default_attributes is empty and total_sales 0 although
 * souk has sales (a later slice); attributes are the shop's global
 * ones only (souk has no per-product custom attributes);
 * the category filter does not include child categories as
 * WordPress's does.
 */
#include "core/common.h"

#include <time.h>

#include "core/html.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/tz.h"
#include "platform/tenant.h"
#include "shop/category.h"
#include "shop/product_query.h"
#include "web/json_api.h"
#include "web/wc_api.h"

struct view {
	struct web		*w;
	const char		*origin;	/* scheme://host */
	struct category		*cats;
	size_t			 ncats;
};

static void
money(json_object *o, const char *k, struct view *v, int64_t minor)
{
	char buf[MONEY_PLAIN_MAX];

	if (money_format_plain(minor, v->w->tenant->currency, buf,
	    sizeof(buf)) < 0)
		buf[0] = '\0';
	jset_cstr(o, k, buf);
}

/* "YYYY-MM-DD HH:MM:SS" to WordPress's "YYYY-MM-DDTHH:MM:SS"; null
 * for "". */
static void
date(json_object *o, const char *k, struct str s)
{
	char buf[20];

	if (s.len != 19) {
		json_object_object_add(o, k, NULL);
		return;
	}
	memcpy(buf, s.p, 19);
	buf[10] = 'T';
	json_object_object_add(o, k, json_object_new_string_len(buf, 19));
}

/* The shop's clock of a UTC time; the time itself when the shop keeps
 * UTC or the zone is unknown. */
static void
local_date(json_object *o, const char *k, struct view *v, struct str s)
{
	char		 out[TZ_LOCAL_LEN];
	struct tm	 tm;
	time_t		 t;
	const char	*tz = v->w->tenant->time_zone;

	memset(&tm, 0, sizeof(tm));
	if (s.len != 19 || tz[0] == '\0' || strptime(s.p, "%Y-%m-%d %H:%M:%S",
	    &tm) == NULL || (t = timegm(&tm)) == (time_t)-1 ||
	    tz_local(tz, t, out) == -1) {
		date(o, k, s);
		return;
	}
	date(o, k, (struct str){ out, strlen(out) });
}

static void
dates(json_object *o, const char *k, struct view *v, struct str s)
{
	char gmt[40];

	local_date(o, k, v, s);
	if (snprintf(gmt, sizeof(gmt), "%s_gmt", k) >= (int)sizeof(gmt))
		return;
	date(o, gmt, s);
}

static const char *
tax_class(struct str s)
{
	if (str_eqc(s, "reduced"))
		return "reduced-rate";
	if (str_eqc(s, "zero"))
		return "zero-rate";
	return "";
}

/* The alt text of an image in the request's language, else the
 * shop's, from its JSON object by language. */
static void
image_alt(json_object *o, struct view *v, struct str alt)
{
	json_object	*a = json_tokener_parse(alt.p), *t;
	const char	*s = "";

	if (a != NULL && json_object_is_type(a, json_type_object) &&
	    ((json_object_object_get_ex(a, v->w->shop.locale, &t) &&
	    json_object_is_type(t, json_type_string)) ||
	    (json_object_object_get_ex(a, v->w->shop.default_locale, &t) &&
	    json_object_is_type(t, json_type_string))))
		s = json_object_get_string(t);
	jset_cstr(o, "alt", s);
	json_object_put(a);
}

static void
images(json_object *o, struct view *v, const struct pq_product *p)
{
	json_object	*a = jset_arr(o, "images"), *im;
	const char	*name;
	size_t		 i;

	for (i = 0; i < p->nimages; i++) {
		im = jarr_obj(a);
		jset_i64(im, "id", p->images[i].id);
		dates(im, "date_created", v, p->created);
		dates(im, "date_modified", v, p->modified);
		jset_cstr(im, "src", arena_printf(v->w->r->arena,
		    "%s/media/%.*s", v->origin, (int)p->images[i].path.len,
		    p->images[i].path.p));
		name = memrchr(p->images[i].path.p, '/', p->images[i].path.len);
		name = name ? name + 1 : p->images[i].path.p;
		jset_cstr(im, "name", name);
		image_alt(im, v, p->images[i].alt);
	}
}

/* WooCommerce's attributes: the values a product offers, by attribute;
 * those of a product with variants are its variants' (variation). */
static void
attributes(json_object *o, const struct pq_product *p)
{
	json_object	*a = jset_arr(o, "attributes"), *at, *opts;
	size_t		 i, k;

	for (i = 0; i < p->nattributes; i++) {
		at = jarr_obj(a);
		jset_i64(at, "id", p->attributes[i].id);
		jset_str(at, "name", p->attributes[i].name);
		jset_i64(at, "position", (int64_t)i);
		jset_bool(at, "visible", 1);
		jset_bool(at, "variation", p->nvariants > 0);
		opts = jset_arr(at, "options");
		for (k = 0; k < p->attributes[i].nopts; k++)
			json_object_array_add(opts, json_object_new_string_len(
			    p->attributes[i].opts[k].p,
			    (int)p->attributes[i].opts[k].len));
	}
}

static void
categories(json_object *o, struct view *v, int64_t id)
{
	json_object	*a = jset_arr(o, "categories"), *c;
	size_t		 i;

	for (i = 0; i < v->ncats && id > 0; i++)
		if (v->cats[i].id == id) {
			c = jarr_obj(a);
			jset_i64(c, "id", id);
			jset_str(c, "name", v->cats[i].name);
			jset_str(c, "slug", v->cats[i].slug);
			break;
		}
}

static void
description(json_object *o, struct view *v, const struct pq_product *p)
{
	struct strbuf sb;

	if (p->description_html.len > 0) {
		jset_str(o, "description", p->description_html);
		return;
	}
	/* Plain text, as WooCommerce's HTML: escaped, in a paragraph. */
	strbuf_init(&sb, p->p.description.len + 16);
	if (p->p.description.len > 0) {
		strbuf_addstr(&sb, "<p>");
		html_escape_text(&sb, p->p.description.p,
		    p->p.description.len);
		strbuf_addstr(&sb, "</p>\n");
	}
	jset_str(o, "description", strbuf_str(&sb));
	strbuf_release(&sb);
	(void)v;
}

static json_object *
product(struct view *v, const struct pq_product *p)
{
	json_object	*o = json_object_new_object(), *d, *a;
	int		 variable = p->nvariants > 0;
	size_t		 i;

	jset_i64(o, "id", p->p.id);
	jset_str(o, "name", p->p.name);
	jset_str(o, "slug", p->p.slug);
	jset_cstr(o, "permalink", arena_printf(v->w->r->arena, "%s/p/%.*s",
	    v->origin, (int)p->p.slug.len, p->p.slug.p));
	dates(o, "date_created", v, p->created);
	dates(o, "date_modified", v, p->modified);
	jset_cstr(o, "type", variable ? "variable" : "simple");
	jset_cstr(o, "status", p->p.active ? "publish" : "draft");
	jset_bool(o, "featured", p->p.featured);
	jset_cstr(o, "catalog_visibility", "visible");
	description(o, v, p);
	jset_cstr(o, "short_description", "");
	jset_str(o, "sku", p->p.sku);
	money(o, "price", v, p->p.price_now);
	money(o, "regular_price", v, p->p.price);
	if (p->sale_price >= 0)
		money(o, "sale_price", v, p->sale_price);
	else
		jset_cstr(o, "sale_price", "");
	dates(o, "date_on_sale_from", v, p->sale_from);
	dates(o, "date_on_sale_to", v, p->sale_to);
	jset_cstr(o, "price_html", "");
	jset_bool(o, "on_sale", p->on_sale);
	jset_bool(o, "purchasable", p->p.active);
	jset_i64(o, "total_sales", 0);
	jset_bool(o, "virtual", 0);
	jset_bool(o, "downloadable", 0);
	(void)jset_arr(o, "downloads");
	jset_i64(o, "download_limit", -1);
	jset_i64(o, "download_expiry", -1);
	jset_cstr(o, "external_url", "");
	jset_cstr(o, "button_text", "");
	jset_cstr(o, "tax_status", "taxable");
	jset_cstr(o, "tax_class", tax_class(p->tax_class));
	jset_bool(o, "manage_stock", !variable);
	if (variable)
		json_object_object_add(o, "stock_quantity", NULL);
	else
		jset_i64(o, "stock_quantity", p->p.stock);
	jset_cstr(o, "stock_status", p->in_stock ? "instock" : "outofstock");
	jset_cstr(o, "backorders", "no");
	jset_bool(o, "backorders_allowed", 0);
	jset_bool(o, "backordered", 0);
	json_object_object_add(o, "low_stock_amount", NULL);
	jset_bool(o, "sold_individually", 0);
	if (p->weight_g > 0)
		jset_cstr(o, "weight", arena_printf(v->w->r->arena,
		    "%lld.%03lld", (long long)(p->weight_g / 1000),
		    (long long)(p->weight_g % 1000)));
	else
		jset_cstr(o, "weight", "");
	d = jset_obj(o, "dimensions");
	jset_cstr(d, "length", "");
	jset_cstr(d, "width", "");
	jset_cstr(d, "height", "");
	jset_bool(o, "shipping_required", 1);
	jset_bool(o, "shipping_taxable", 1);
	jset_cstr(o, "shipping_class", "");
	jset_i64(o, "shipping_class_id", 0);
	jset_bool(o, "reviews_allowed", 0);
	jset_cstr(o, "average_rating", "0.00");
	jset_i64(o, "rating_count", 0);
	(void)jset_arr(o, "related_ids");
	(void)jset_arr(o, "upsell_ids");
	(void)jset_arr(o, "cross_sell_ids");
	jset_i64(o, "parent_id", 0);
	jset_cstr(o, "purchase_note", "");
	categories(o, v, p->p.category_id);
	(void)jset_arr(o, "tags");
	images(o, v, p);
	attributes(o, p);
	(void)jset_arr(o, "default_attributes");
	a = jset_arr(o, "variations");
	for (i = 0; i < p->nvariants; i++)
		json_object_array_add(a, json_object_new_int64(
		    p->variants[i].id));
	(void)jset_arr(o, "grouped_products");
	jset_i64(o, "menu_order", 0);
	(void)jset_arr(o, "meta_data");
	return o;
}

static int
view_init(struct view *v, struct web *w)
{
	v->w = w;
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
	static const char *const orderby[] = { "date", "id", "title",
	    "price" };
	static const char *const order[] = { "asc", "desc" };
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct product_query	 q;
	struct pq_result	 res;
	struct view		 v;
	const struct str	*s;
	json_object		*a;
	int			 st, sk, ob, od;
	size_t			 i;

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
	q.order = (enum product_query_order)ob;
	q.desc = od == 1;
	q.offset = pg.offset;
	q.limit = pg.per_page;
	if (view_init(&v, w) != SHOP_OK ||
	    product_query(&w->shop, &q, &res) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array_ext((int)res.n);
	for (i = 0; i < res.n; i++)
		json_object_array_add(a, product(&v, &res.v[i]));
	wc_api_page_headers(w, &pg, res.total);
	return json_api_send(w, 200, a);
}

static int
get(struct req *r)
{
	struct web		*w = web_of(r);
	struct product_query	 q;
	struct pq_result	 res;
	struct view		 v;

	memset(&q, 0, sizeof(q));
	q.status = q.in_stock = -1;
	q.limit = 1;
	if ((q.id = wc_api_id(r, "id")) == 0)
		return json_api_error(w, 404, "woocommerce_rest_product_invalid_id",
		    _("Invalid ID."));
	if (view_init(&v, w) != SHOP_OK ||
	    product_query(&w->shop, &q, &res) != SHOP_OK)
		return unavailable(w);
	if (res.n == 0)
		return json_api_error(w, 404, "woocommerce_rest_product_invalid_id",
		    _("Invalid ID."));
	return json_api_send(w, 200, product(&v, &res.v[0]));
}

const struct route wc_products_routes[] = {
	{ HTTP_GET, WC_API_NS "/products", list, 0, NULL },
	{ HTTP_GET, WC_API_NS "/products/:id", get, 0, NULL },
};

const size_t wc_products_nroutes = NELEM(wc_products_routes);
