/* wc_product_json.c: a product as WooCommerce v3 shows it
 * (wc_product_json.h). */
#include "core/common.h"

#include <time.h>

#include "core/cache.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/shcache.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "core/tz.h"
#include "shop/category.h"
#include "shop/shop.h"
#include "shop/wc_product_json.h"

static void
put_str(json_object *o, const char *k, struct str v)
{
	json_object_object_add(o, k,
	    json_object_new_string_len(v.p ? v.p : "", (int)v.len));
}

static void
put_cstr(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void
put_i64(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void
put_bool(json_object *o, const char *k, int v)
{
	json_object_object_add(o, k, json_object_new_boolean(v != 0));
}

static json_object *
put_obj(json_object *o, const char *k)
{
	json_object *c = json_object_new_object();

	json_object_object_add(o, k, c);
	return c;
}

static json_object *
put_arr(json_object *o, const char *k)
{
	json_object *c = json_object_new_array();

	json_object_object_add(o, k, c);
	return c;
}

static json_object *
arr_obj(json_object *a)
{
	json_object *c = json_object_new_object();

	json_object_array_add(a, c);
	return c;
}


void
wc_product_json_money(json_object *o, const char *k,
    const struct wc_pj_view *v, int64_t minor)
{
	char buf[MONEY_PLAIN_MAX];

	if (money_format_plain(minor, v->ctx->currency, buf,
	    sizeof(buf)) < 0)
		buf[0] = '\0';
	put_cstr(o, k, buf);
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
local_date(json_object *o, const char *k, const struct wc_pj_view *v, struct str s)
{
	char		 out[TZ_LOCAL_LEN];
	struct tm	 tm;
	time_t		 t;
	const char	*tz = v->ctx->time_zone;

	memset(&tm, 0, sizeof(tm));
	if (s.len != 19 || tz == NULL || tz[0] == '\0' ||
	    strptime(s.p, "%Y-%m-%d %H:%M:%S", &tm) == NULL ||
	    (t = timegm(&tm)) == (time_t)-1 || tz_local(tz, t, out) == -1) {
		date(o, k, s);
		return;
	}
	date(o, k, (struct str){ out, strlen(out) });
}

void
wc_product_json_dates(json_object *o, const char *k,
    const struct wc_pj_view *v, struct str s)
{
	char gmt[40];

	local_date(o, k, v, s);
	if (snprintf(gmt, sizeof(gmt), "%s_gmt", k) >= (int)sizeof(gmt))
		return;
	date(o, gmt, s);
}

const char *
wc_product_json_tax_class(struct str s)
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
image_alt(json_object *o, const struct wc_pj_view *v, struct str alt)
{
	json_object	*a = json_tokener_parse(alt.p), *t;
	const char	*s = "";

	if (a != NULL && json_object_is_type(a, json_type_object) &&
	    ((json_object_object_get_ex(a, v->ctx->locale, &t) &&
	    json_object_is_type(t, json_type_string)) ||
	    (json_object_object_get_ex(a, v->ctx->default_locale, &t) &&
	    json_object_is_type(t, json_type_string))))
		s = json_object_get_string(t);
	put_cstr(o, "alt", s);
	json_object_put(a);
}

static void
images(json_object *o, const struct wc_pj_view *v, const struct pq_product *p)
{
	json_object	*a = put_arr(o, "images"), *im;
	const char	*name;
	size_t		 i;

	for (i = 0; i < p->nimages; i++) {
		im = arr_obj(a);
		put_i64(im, "id", p->images[i].id);
		wc_product_json_dates(im, "date_created", v, p->created);
		wc_product_json_dates(im, "date_modified", v, p->modified);
		put_cstr(im, "src", arena_printf(v->ctx->a,
		    "%s/media/%.*s", v->origin, (int)p->images[i].path.len,
		    p->images[i].path.p));
		name = memrchr(p->images[i].path.p, '/', p->images[i].path.len);
		name = name ? name + 1 : p->images[i].path.p;
		put_cstr(im, "name", name);
		image_alt(im, v, p->images[i].alt);
	}
}

/* WooCommerce's attributes: the values a product offers, by attribute;
 * those of a product with variants are its variants' (variation). */
static void
attributes(json_object *o, const struct pq_product *p)
{
	json_object	*a = put_arr(o, "attributes"), *at, *opts;
	size_t		 i, k;

	for (i = 0; i < p->nattributes; i++) {
		at = arr_obj(a);
		put_i64(at, "id", p->attributes[i].id);
		put_str(at, "name", p->attributes[i].name);
		put_i64(at, "position", (int64_t)i);
		put_bool(at, "visible", 1);
		put_bool(at, "variation", p->nvariants > 0);
		opts = put_arr(at, "options");
		for (k = 0; k < p->attributes[i].nopts; k++)
			json_object_array_add(opts, json_object_new_string_len(
			    p->attributes[i].opts[k].p,
			    (int)p->attributes[i].opts[k].len));
	}
}

static void
categories(json_object *o, const struct wc_pj_view *v, int64_t id)
{
	json_object	*a = put_arr(o, "categories"), *c;
	size_t		 i;

	for (i = 0; i < v->ncats && id > 0; i++)
		if (v->cats[i].id == id) {
			c = arr_obj(a);
			put_i64(c, "id", id);
			put_str(c, "name", v->cats[i].name);
			put_str(c, "slug", v->cats[i].slug);
			break;
		}
}

static void
description(json_object *o, const struct wc_pj_view *v, const struct pq_product *p)
{
	struct strbuf sb;

	if (p->description_html.len > 0) {
		put_str(o, "description", p->description_html);
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
	put_str(o, "description", strbuf_str(&sb));
	strbuf_release(&sb);
	(void)v;
}

json_object *
wc_product_json(const struct wc_pj_view *v, const struct pq_product *p)
{
	json_object	*o = json_object_new_object(), *d, *a;
	int		 variable = p->nvariants > 0;
	size_t		 i;

	put_i64(o, "id", p->p.id);
	put_str(o, "name", p->p.name);
	put_str(o, "slug", p->p.slug);
	put_cstr(o, "permalink", arena_printf(v->ctx->a, "%s/p/%.*s",
	    v->origin, (int)p->p.slug.len, p->p.slug.p));
	wc_product_json_dates(o, "date_created", v, p->created);
	wc_product_json_dates(o, "date_modified", v, p->modified);
	put_cstr(o, "type", variable ? "variable" : "simple");
	put_cstr(o, "status", p->p.active ? "publish" : "draft");
	put_bool(o, "featured", p->p.featured);
	put_cstr(o, "catalog_visibility", "visible");
	description(o, v, p);
	put_cstr(o, "short_description", "");
	put_str(o, "sku", p->p.sku);
	wc_product_json_money(o, "price", v, p->p.price_now);
	wc_product_json_money(o, "regular_price", v, p->p.price);
	if (p->sale_price >= 0)
		wc_product_json_money(o, "sale_price", v, p->sale_price);
	else
		put_cstr(o, "sale_price", "");
	wc_product_json_dates(o, "date_on_sale_from", v, p->sale_from);
	wc_product_json_dates(o, "date_on_sale_to", v, p->sale_to);
	put_cstr(o, "price_html", "");
	put_bool(o, "on_sale", p->on_sale);
	put_bool(o, "purchasable", p->p.active);
	put_i64(o, "total_sales", p->total_sales);
	put_bool(o, "virtual", 0);
	put_bool(o, "downloadable", 0);
	(void)put_arr(o, "downloads");
	put_i64(o, "download_limit", -1);
	put_i64(o, "download_expiry", -1);
	put_cstr(o, "external_url", "");
	put_cstr(o, "button_text", "");
	put_cstr(o, "tax_status", "taxable");
	put_cstr(o, "tax_class", wc_product_json_tax_class(p->tax_class));
	put_bool(o, "manage_stock", !variable);
	if (variable)
		json_object_object_add(o, "stock_quantity", NULL);
	else
		put_i64(o, "stock_quantity", p->p.stock);
	put_cstr(o, "stock_status", p->in_stock ? "instock" : "outofstock");
	put_cstr(o, "backorders", "no");
	put_bool(o, "backorders_allowed", 0);
	put_bool(o, "backordered", 0);
	json_object_object_add(o, "low_stock_amount", NULL);
	put_bool(o, "sold_individually", 0);
	if (p->weight_g > 0)
		put_cstr(o, "weight", arena_printf(v->ctx->a,
		    "%lld.%03lld", (long long)(p->weight_g / 1000),
		    (long long)(p->weight_g % 1000)));
	else
		put_cstr(o, "weight", "");
	d = put_obj(o, "dimensions");
	put_cstr(d, "length", "");
	put_cstr(d, "width", "");
	put_cstr(d, "height", "");
	put_bool(o, "shipping_required", 1);
	put_bool(o, "shipping_taxable", 1);
	put_cstr(o, "shipping_class", "");
	put_i64(o, "shipping_class_id", 0);
	put_bool(o, "reviews_allowed", 0);
	put_cstr(o, "average_rating", "0.00");
	put_i64(o, "rating_count", 0);
	(void)put_arr(o, "related_ids");
	(void)put_arr(o, "upsell_ids");
	(void)put_arr(o, "cross_sell_ids");
	put_i64(o, "parent_id", 0);
	put_cstr(o, "purchase_note", "");
	categories(o, v, p->p.category_id);
	(void)put_arr(o, "tags");
	images(o, v, p);
	attributes(o, p);
	(void)put_arr(o, "default_attributes");
	a = put_arr(o, "variations");
	for (i = 0; i < p->nvariants; i++)
		json_object_array_add(a, json_object_new_int64(
		    p->variants[i].id));
	(void)put_arr(o, "grouped_products");
	put_i64(o, "menu_order", 0);
	(void)put_arr(o, "meta_data");
	return o;
}
int
wc_product_json_load(struct shop_ctx *ctx, const char *origin, int64_t id,
    json_object **out)
{
	struct wc_pj_view	 v = { ctx, origin, NULL, 0 };
	struct product_query	 q;
	struct pq_result	 res;

	*out = NULL;
	if (category_list(ctx, &v.cats, &v.ncats) != SHOP_OK)
		return SHOP_EDB;
	memset(&q, 0, sizeof(q));
	q.status = q.in_stock = -1;
	q.limit = 1;
	q.id = id;
	if (product_query(ctx, &q, &res) != SHOP_OK)
		return SHOP_EDB;
	if (res.n == 0)
		return SHOP_ENOTFOUND;
	*out = wc_product_json(&v, &res.v[0]);
	return SHOP_OK;
}

/* --- the worker's texts -------------------------------------------- */

#define TEXT_TTL_MS	30000	/* as the catalog's other caches */
#define TEXT_SLOTS	2048

struct kept_text {
	size_t	len;
	char	s[];
};

static struct cache *kept;

static void
text_key(char *key, size_t size, const struct shop_ctx *ctx,
    const char *origin, int64_t id)
{
	int n = snprintf(key, size, "wcp|%lld|%s|%s|%s", (long long)id,
	    ctx->locale, ctx->currency, origin);

	if (n < 0 || (size_t)n >= size)
		key[0] = '\0';		/* too long to keep */
}

/* Milliseconds from now to UTC time s ("YYYY-MM-DD HH:MM:SS"), or
 * INT64_MAX when s is empty or past. */
static int64_t
ms_until(struct str s, int64_t now_ms)
{
	struct tm	tm;
	char		buf[20];
	time_t		t;

	if (s.len != 19)
		return INT64_MAX;
	memcpy(buf, s.p, 19);
	buf[19] = '\0';
	memset(&tm, 0, sizeof(tm));
	if (sscanf(buf, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return INT64_MAX;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1 || (int64_t)t * 1000 <= now_ms)
		return INT64_MAX;
	return (int64_t)t * 1000 - now_ms;
}

/* How long p's text holds: its price and on_sale change when its sale
 * starts or ends. */
static int64_t
text_ttl(const struct pq_product *p)
{
	int64_t now = clock_ms(), ttl = TEXT_TTL_MS, t;

	if ((t = ms_until(p->sale_from, now)) < ttl)
		ttl = t;
	if ((t = ms_until(p->sale_to, now)) < ttl)
		ttl = t;
	return ttl;
}

int
wc_product_json_texts(struct shop_ctx *ctx, const char *origin,
    const int64_t *ids, size_t n, struct str *out)
{
	struct wc_pj_view	 v = { ctx, origin, NULL, 0 };
	int64_t			 owner = cache_sales_owner(ctx->tenant);
	uint64_t		 gen = cache_gen(owner);
	int64_t			*miss;
	struct pq_result	 res;
	struct kept_text	*k;
	char			 key[CACHE_KEY_MAX];
	const char		*s;
	size_t			 nmiss = 0, i, j, len;
	json_object		*o;
	void			*val;

	if (n > PRODUCT_QUERY_MAX)
		return SHOP_EINVAL;
	if (kept == NULL)
		kept = cache_new(TEXT_SLOTS, free);
	miss = arena_calloc(ctx->a, n + 1, sizeof(*miss));
	for (i = 0; i < n; i++) {
		out[i] = STR_NULL;
		text_key(key, sizeof(key), ctx, origin, ids[i]);
		if (key[0] != '\0' && cache_get(kept, ctx->tenant, key, &val) &&
		    val != NULL) {
			k = val;
			out[i].p = arena_strndup(ctx->a, k->s, k->len);
			out[i].len = k->len;
		} else if (key[0] == '\0' ||
		    !shcache_get(ctx->a, ctx->tenant, key, &out[i]))
			miss[nmiss++] = ids[i];
	}
	if (nmiss == 0)
		return SHOP_OK;
	if (category_list(ctx, &v.cats, &v.ncats) != SHOP_OK ||
	    product_query_ids(ctx, miss, nmiss, &res) != SHOP_OK)
		return SHOP_EDB;
	for (j = 0; j < res.n; j++) {
		o = wc_product_json(&v, &res.v[j]);
		s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE, &len);
		for (i = 0; i < n; i++)
			if (ids[i] == res.v[j].p.id && out[i].p == NULL) {
				out[i].p = arena_strndup(ctx->a, s, len);
				out[i].len = len;
			}
		text_key(key, sizeof(key), ctx, origin, res.v[j].p.id);
		if (key[0] != '\0') {
			k = xmalloc(sizeof(*k) + len + 1);
			k->len = len;
			memcpy(k->s, s, len + 1);
			shcache_put(ctx->tenant, key, owner, gen,
			    (struct str){ s, len }, text_ttl(&res.v[j]));
			cache_put_at(kept, ctx->tenant, key, owner, gen, k,
			    text_ttl(&res.v[j]));
		}
		json_object_put(o);
	}
	return SHOP_OK;
}
