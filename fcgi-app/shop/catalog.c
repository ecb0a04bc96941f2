/* catalog.c: the products of one shop (see catalog.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/richtext.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/quota.h"
#include "shop/card_cache.h"
#include "shop/catalog.h"
#include "shop/category.h"
#include "shop/gallery.h"
#include "shop/list_cache.h"
#include "shop/product_page_cache.h"
#include "shop/search_index.h"
#include "shop/wc_webhook.h"

#include <json.h>

/* Texts in the request's language, the default's as fallback
 * (catalog.h). */
#define P_COLS	CATALOG_P_COLS
#define P_FROM	CATALOG_P_FROM
#define P_LIST	"SELECT " CATALOG_CARD_COLS P_FROM " WHERE p.status = 'active'"
#define NEWEST	CATALOG_KEY_NEWEST
#define ASC	CATALOG_KEY_ASC
#define DESC	CATALOG_KEY_DESC
#define INCAT	" AND p.category_id = ?"
/* The price sorts are by the price now, unindexed: catalog.h says why;
 * the storefront's category pages sort in the worker (facet_list()). */

/* Texts of one product read for editing: one per language. */
#define TEXTS_MAX	16
#define TEXTS_MAX_SQL	"16"

enum stmt {
	ST_PRODUCT_LOCK,
	ST_PRODUCT_SNAP,
	ST_FEATURED,
	ST_LIST_NEWEST,
	ST_LIST_ASC,
	ST_LIST_DESC,
	ST_LIST_CAT_NEWEST,
	ST_LIST_CAT_ASC,
	ST_LIST_CAT_DESC,
	ST_PRODUCT_BY_SLUG,
	ST_ADMIN_LIST,
	ST_ADMIN_FILTER,
	ST_PRODUCT_BY_ID,
	ST_TEXTS_OF,
	ST_PRODUCT_INSERT,
	ST_PRODUCT_UPDATE,
	ST_TEXT_UPSERT,
	ST_TEXT_DELETE,
	ST_PRODUCT_DELETE,
	ST_TEXTS_DELETE,
	ST_VARIANTS_DELETE,
	ST_IMAGES_DELETE,
	ST_SET_IMAGE,
	ST_IMAGE_ADD,
	ST_VARIANT_ADD,
	ST_COUNT,
	ST_SALE_GET,
	ST_VALUES_DELETE,
	ST_PVALUES_DELETE,
	ST_BY_IDS,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_PRODUCT_LOCK] = { "catalog.product_lock",
	    "SELECT id FROM {p}products WHERE id = ? FOR UPDATE" },
	/* The product as the audit shows it (platform/audit.h), locked. */
	[ST_PRODUCT_SNAP] = { "catalog.product_snapshot",
	    "SELECT JSON_OBJECT('slug', slug, 'sku', sku, 'name',"
	    " (SELECT GROUP_CONCAT(locale, ': ', name ORDER BY locale"
	    " SEPARATOR ' | ') FROM {p}product_texts WHERE product_id = p.id),"
	    " 'price', price, 'sale_price', sale_price, 'sale_from', sale_from,"
	    " 'sale_to', sale_to, 'stock', stock, 'status', status,"
	    " 'featured', featured, 'category_id', category_id,"
	    " 'tax_class', tax_class, 'weight_g', weight_g)"
	    " FROM {p}products p WHERE id = ? FOR UPDATE" },
	[ST_FEATURED] = { "catalog.featured",
	    P_LIST " ORDER BY p.featured DESC, p.id DESC LIMIT ?" },
	[ST_LIST_NEWEST] = { "catalog.list_newest",
	    P_LIST NEWEST },
	[ST_LIST_ASC] = { "catalog.list_asc",
	    P_LIST ASC },
	[ST_LIST_DESC] = { "catalog.list_desc",
	    P_LIST DESC },
	[ST_LIST_CAT_NEWEST] = { "catalog.list_cat_newest",
	    P_LIST INCAT NEWEST },
	[ST_LIST_CAT_ASC] = { "catalog.list_cat_asc",
	    P_LIST INCAT ASC },
	[ST_LIST_CAT_DESC] = { "catalog.list_cat_desc",
	    P_LIST INCAT DESC },
	/*
	 * The page in one round trip: variants and images come along as
	 * JSON arrays (MariaDB escapes, json-c parses), not as a second
	 * query: each round trip costs ~130 us here.
	 */
	[ST_PRODUCT_BY_SLUG] = { "catalog.product_by_slug",
	    "SELECT " P_COLS ", COALESCE(c.slug, ''), "
	    "COALESCE(ct.name, cd.name, c.slug, ''), "
	    "(SELECT JSON_ARRAYAGG(JSON_ARRAY(v.id, v.sku, v.name,"
	    " COALESCE(v.price, p.price), v.stock, " SALE_LINE_PRICE ","
	    " UNIX_TIMESTAMP(v.sale_from), UNIX_TIMESTAMP(v.sale_to))"
	    " ORDER BY v.position, v.id)"
	    " FROM {p}variants v WHERE v.product_id = p.id), "
	    /* The paths only: the gallery's alt texts are TEXT, and with
	     * them the aggregate's temporary table went to disk every
	     * time (Created_tmp_disk_tables); gallery_list() reads them. */
	    "(SELECT JSON_ARRAYAGG(i.path ORDER BY i.position, i.id)"
	    " FROM {p}images i WHERE i.product_id = p.id), "
	    /* The HTML of the text the description came from. */
	    "IF(t.product_id IS NULL, d.description_html,"
	    " t.description_html), "
	    /* Whether "Customers also bought" has rows (also_bought.h):
	     * the page asks for them only then. */
	    "EXISTS(SELECT 1 FROM {p}also_bought ab"
	    " WHERE ab.product_id = p.id), "
	    /* When its price changes by itself (the page's lifetime in the
	     * workers' cache). */
	    "IFNULL(UNIX_TIMESTAMP(p.sale_from), 0),"
	    " IFNULL(UNIX_TIMESTAMP(p.sale_to), 0)" P_FROM
	    " LEFT JOIN {p}categories c ON c.id = p.category_id"
	    " LEFT JOIN {p}category_texts ct"
	    " ON ct.category_id = c.id AND ct.locale = ?"
	    " LEFT JOIN {p}category_texts cd"
	    " ON cd.category_id = c.id AND cd.locale = ?"
	    " WHERE p.slug = ? AND p.status = 'active'" },
	[ST_ADMIN_LIST] = { "catalog.admin_list",
	    "SELECT " P_COLS P_FROM
	    " WHERE p.id < ? ORDER BY p.id DESC LIMIT ?" },
	[ST_ADMIN_FILTER] = { "catalog.admin_filter",
	    "SELECT " P_COLS P_FROM
	    " WHERE p.id < ? AND (p.sku = ? OR p.slug LIKE ? OR p.id IN ("
	    "SELECT product_id FROM {p}product_texts WHERE name LIKE ?))"
	    " ORDER BY p.id DESC LIMIT ?" },
	[ST_PRODUCT_BY_ID] = { "catalog.product_by_id",
	    "SELECT " P_COLS P_FROM " WHERE p.id = ?" },
	[ST_TEXTS_OF] = { "catalog.texts_of",
	    "SELECT locale, name, description, description_html"
	    " FROM {p}product_texts"
	    " WHERE product_id = ? ORDER BY locale LIMIT " TEXTS_MAX_SQL },
	[ST_PRODUCT_INSERT] = { "catalog.product_insert",
	    "INSERT INTO {p}products (slug, sku, category_id, price, stock,"
	    " status, featured, sale_price, sale_from, sale_to, tax_class,"
	    " weight_g)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?),"
	    " FROM_UNIXTIME(?), COALESCE(?, 'standard'), COALESCE(?, 0))" },
	[ST_PRODUCT_UPDATE] = { "catalog.product_update",
	    "UPDATE {p}products SET slug = ?, sku = ?, category_id = ?,"
	    " price = ?, stock = ?, status = ?, featured = ?, sale_price = ?,"
	    " sale_from = FROM_UNIXTIME(?), sale_to = FROM_UNIXTIME(?),"
	    " tax_class = COALESCE(?, tax_class),"
	    " weight_g = COALESCE(?, weight_g)"
	    " WHERE id = ?" },
	[ST_TEXT_UPSERT] = { "catalog.text_upsert",
	    "INSERT INTO {p}product_texts (product_id, locale, name,"
	    " description, description_html) VALUES (?, ?, ?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE name = VALUES(name),"
	    " description = VALUES(description),"
	    " description_html = VALUES(description_html)" },
	[ST_TEXT_DELETE] = { "catalog.text_delete",
	    "DELETE FROM {p}product_texts"
	    " WHERE product_id = ? AND locale = ?" },
	[ST_PRODUCT_DELETE] = { "catalog.product_delete",
	    "DELETE FROM {p}products WHERE id = ?" },
	[ST_TEXTS_DELETE] = { "catalog.texts_delete",
	    "DELETE FROM {p}product_texts WHERE product_id = ?" },
	[ST_VARIANTS_DELETE] = { "catalog.variants_delete",
	    "DELETE FROM {p}variants WHERE product_id = ?" },
	[ST_IMAGES_DELETE] = { "catalog.images_delete",
	    "DELETE FROM {p}images WHERE product_id = ?" },
	[ST_SET_IMAGE] = { "catalog.set_image",
	    "UPDATE {p}products SET image = ? WHERE id = ?" },
	[ST_IMAGE_ADD] = { "catalog.image_add",
	    "INSERT INTO {p}images (product_id, path, position)"
	    " SELECT ?, ?, COALESCE(MAX(position), -1) + 1"
	    " FROM {p}images WHERE product_id = ?" },
	/* The session's time zone is UTC (db.c): the stamps are UTC. */
	[ST_SALE_GET] = { "catalog.sale_get",
	    "SELECT COALESCE(sale_price, -1),"
	    " COALESCE(UNIX_TIMESTAMP(sale_from), 0),"
	    " COALESCE(UNIX_TIMESTAMP(sale_to), 0)"
	    " FROM {p}products WHERE id = ?" },
	/* A deleted product's values and its variants' (attribute.h). */
	[ST_VALUES_DELETE] = { "catalog.values_delete",
	    "DELETE vv FROM {p}variant_values vv JOIN {p}variants v"
	    " ON v.id = vv.variant_id WHERE v.product_id = ?" },
	[ST_PVALUES_DELETE] = { "catalog.pvalues_delete",
	    "DELETE FROM {p}product_values WHERE product_id = ?" },
	[ST_COUNT] = { "catalog.count",
	    "SELECT COUNT(*) FROM {p}products" },
	[ST_VARIANT_ADD] = { "catalog.variant_add",
	    "INSERT INTO {p}variants (product_id, name, price, stock, position)"
	    " SELECT ?, ?, ?, ?, COUNT(*) FROM {p}variants"
	    " WHERE product_id = ?" },
	/* Cards by id (a JSON array): primary-key reads, put in order by
	 * catalog_by_ids() (an ORDER BY here cost a filesort, a third of
	 * the statement's time). The status again: the ids may be older
	 * than a change. With when the price changes by itself (the
	 * card's lifetime in card_cache.h). */
	[ST_BY_IDS] = { "catalog.by_ids",
	    "SELECT " CATALOG_CARD_COLS ","
	    " IFNULL(UNIX_TIMESTAMP(p.sale_from), 0),"
	    " IFNULL(UNIX_TIMESTAMP(p.sale_to), 0)"
	    " FROM JSON_TABLE(?, '$[*]' COLUMNS"
	    " (id BIGINT PATH '$')) j"
	    " STRAIGHT_JOIN {p}products p ON p.id = j.id"
	    " LEFT JOIN {p}product_texts t"
	    " ON t.product_id = p.id AND t.locale = ?"
	    " LEFT JOIN {p}product_texts d"
	    " ON d.product_id = p.id AND d.locale = ?"
	    " WHERE p.status = 'active'" },
};

unsigned
catalog_bind_locales(struct shop_ctx *ctx, struct db_stmt *st)
{
	db_bind_cstr(st, 0, ctx->locale);
	db_bind_cstr(st, 1, ctx->default_locale);
	return 2;
}

void
catalog_read_product(struct db_stmt *st, struct product *p)
{
	p->id = db_col_i64(st, 0);
	p->slug = db_col_str(st, 1);
	p->sku = db_col_str(st, 2);
	p->category_id = db_col_i64(st, 3);
	p->price = db_col_i64(st, 4);
	p->stock = db_col_i64(st, 5);
	p->active = db_col_i64(st, 6) != 0;
	p->featured = db_col_i64(st, 7) != 0;
	p->image = db_col_str(st, 8);
	p->name = db_col_str(st, 9);
	p->description = db_col_str(st, 10);
	p->price_now = db_col_i64(st, 11);
}

static int64_t
ms_to(int64_t t, time_t now)
{
	return t > (int64_t)now ? (t - (int64_t)now) * 1000 : INT64_MAX;
}

/* The cards of ids[0..n) that are active into got (any order), each
 * kept in card_cache.h under gen until it changes by itself. */
static int
cards_read(struct shop_ctx *ctx, const int64_t *ids, size_t n,
    uint64_t gen, struct product_list *got)
{
	struct strbuf	 js = STRBUF_INIT;
	struct db_stmt	*st;
	time_t		 now = time(NULL);
	size_t		 i;
	int		 rc;

	memset(got, 0, sizeof(*got));
	got->v = arena_calloc(ctx->a, n, sizeof(*got->v));
	if ((st = shop_stmt(ctx, &sql[ST_BY_IDS])) == NULL)
		return SHOP_EDB;
	strbuf_addstr(&js, "[");
	for (i = 0; i < n; i++)
		strbuf_addf(&js, "%s%lld", i ? "," : "", (long long)ids[i]);
	strbuf_addstr(&js, "]");
	db_bind_str(st, 0, arena_str(ctx->a, (struct str){ js.buf, js.len }));
	strbuf_release(&js);
	db_bind_cstr(st, 1, ctx->locale);
	db_bind_cstr(st, 2, ctx->default_locale);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct product	*p;
		int64_t		 ttl, end;

		if (got->n == n)	/* an id twice */
			continue;
		p = &got->v[got->n++];
		ttl = ms_to(db_col_i64(st, 12), now);
		end = ms_to(db_col_i64(st, 13), now);
		catalog_read_product(st, p);
		card_cache_put(ctx, p, gen, end < ttl ? end : ttl);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
catalog_by_ids(struct shop_ctx *ctx, const int64_t *ids, size_t n,
    int64_t category_id, struct product_list *out)
{
	uint64_t		 gen;
	struct product_list	 got = { 0 };
	int64_t			 miss[CATALOG_PAGE];
	unsigned char		 kept[CATALOG_PAGE];
	size_t			 nmiss = 0, i, k;
	int			 rc;

	/* Before the read: a change committed meanwhile drops the copy. */
	gen = cache_gen(cache_sales_owner(ctx->tenant));
	memset(out, 0, sizeof(*out));
	out->v = arena_calloc(ctx->a, n ? n : 1, sizeof(*out->v));
	if (n > CATALOG_PAGE)
		return SHOP_EINVAL;
	for (i = 0; i < n; i++) {
		kept[i] = (unsigned char)card_cache_get(ctx, ids[i],
		    &out->v[i]);
		if (!kept[i])
			miss[nmiss++] = ids[i];
	}
	if (nmiss > 0 &&
	    (rc = cards_read(ctx, miss, nmiss, gen, &got)) != SHOP_OK)
		return rc;
	/* In the order of ids (a page: n is small), without the ones gone,
	 * made inactive or moved out of the category. */
	for (i = 0; i < n; i++) {
		const struct product *p = kept[i] ? &out->v[i] : NULL;

		for (k = 0; p == NULL && k < got.n; k++)
			if (got.v[k].id == ids[i])
				p = &got.v[k];
		if (p == NULL ||
		    (category_id != 0 && p->category_id != category_id))
			continue;
		out->v[out->n++] = *p;
	}
	return SHOP_OK;
}

int
catalog_read_list(struct shop_ctx *ctx, struct db_stmt *st, size_t max,
    struct product_list *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->v = arena_calloc(ctx->a, max ? max : 1, sizeof(*out->v));
	while ((rc = db_step(st)) == 1) {
		if (out->n == max) {
			out->more = 1;
			continue;
		}
		catalog_read_product(st, &out->v[out->n++]);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (out->more && out->n > 0) {
		out->next.id = out->v[out->n - 1].id;
		out->next.price = out->v[out->n - 1].price_now;
	}
	return SHOP_OK;
}

unsigned
catalog_bind_key(struct db_stmt *st, unsigned i, enum catalog_sort sort,
    const struct catalog_cursor *after)
{
	int first = after == NULL || after->id == 0;

	switch (sort) {
	case CATALOG_SORT_PRICE_ASC:
		db_bind_i64(st, i++, first ? -1 : after->price);
		db_bind_i64(st, i++, first ? -1 : after->price);
		db_bind_i64(st, i++, first ? 0 : after->id);
		break;
	case CATALOG_SORT_PRICE_DESC:
		db_bind_i64(st, i++, first ? INT64_MAX : after->price);
		db_bind_i64(st, i++, first ? INT64_MAX : after->price);
		db_bind_i64(st, i++, first ? INT64_MAX : after->id);
		break;
	default:
		db_bind_i64(st, i++, first ? INT64_MAX : after->id);
		break;
	}
	return i;
}

enum catalog_sort
catalog_sort_parse(const struct str *s)
{
	enum catalog_sort i;

	if (s == NULL)
		return CATALOG_SORT_NEWEST;
	for (i = 0; i < CATALOG_SORT__MAX; i++)
		if (str_eqc(*s, catalog_sort_name(i)))
			return i;
	return CATALOG_SORT_NEWEST;
}

const char *
catalog_sort_name(enum catalog_sort s)
{
	static const char *const names[CATALOG_SORT__MAX] = {
		"newest", "price-asc", "price-desc"
	};

	return s < CATALOG_SORT__MAX ? names[s] : names[0];
}

int
catalog_cursor_parse(struct str s, struct catalog_cursor *c)
{
	const char *dot = memchr(s.p, '.', s.len);

	c->price = 0;
	if (dot == NULL)
		return str_to_i64(s, 1, INT64_MAX, &c->id);
	if (str_to_i64((struct str){ s.p, (size_t)(dot - s.p) }, 0,
	    INT64_MAX, &c->price) == -1)
		return -1;
	return str_to_i64((struct str){ dot + 1,
	    s.len - (size_t)(dot - s.p) - 1 }, 1, INT64_MAX, &c->id);
}

/*
 * A list the catalog decides (featured, a category's newest: no price
 * in its order or filter) kept as list_cache.h says under kind and
 * params: the first integer says whether a next page exists, the rest
 * are the ids. 1 with out read by id (cards mostly from card_cache.h),
 * 0 when it is not kept.
 */
static int
list_kept(struct shop_ctx *ctx, const char *kind, struct str params,
    int64_t category_id, struct product_list *out, int *rc)
{
	int64_t	*v;
	size_t	 n;

	if (!list_cache_get(ctx, kind, params, &v, &n) || n < 1 ||
	    n - 1 > CATALOG_PAGE)
		return 0;
	*rc = catalog_by_ids(ctx, v + 1, n - 1, category_id, out);
	/* The cursor is the list's last, kept or not. */
	if ((out->more = v[0] != 0) && n > 1)
		out->next.id = v[n - 1];
	return 1;
}

static void
list_keep(struct shop_ctx *ctx, const char *kind, struct str params,
    uint64_t gen, const struct product_list *l)
{
	int64_t	v[1 + CATALOG_PAGE];
	size_t	i;

	if (l->n > CATALOG_PAGE)
		return;
	v[0] = l->more;
	for (i = 0; i < l->n; i++)
		v[1 + i] = l->v[i].id;
	list_cache_put(ctx, kind, params, gen, v, 1 + l->n);
}

int
catalog_featured(struct shop_ctx *ctx, size_t limit, struct product_list *out)
{
	uint64_t	 gen = list_cache_gen(ctx);
	struct str	 params = str_c(arena_printf(ctx->a, "%zu", limit));
	struct db_stmt	*st;
	int		 rc;

	if (list_kept(ctx, "fe", params, 0, out, &rc))
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_FEATURED])) == NULL)
		return SHOP_EDB;
	catalog_bind_locales(ctx, st);
	db_bind_i64(st, 2, (int64_t)limit);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = catalog_read_list(ctx, st, limit, out);
	out->more = 0;
	if (rc == SHOP_OK)
		list_keep(ctx, "fe", params, gen, out);
	return rc;
}

int
catalog_list(struct shop_ctx *ctx, int64_t category_id,
    enum catalog_sort sort, const struct catalog_cursor *after,
    struct product_list *out)
{
	static const enum stmt all[CATALOG_SORT__MAX] = {
		ST_LIST_NEWEST, ST_LIST_ASC, ST_LIST_DESC
	};
	static const enum stmt incat[CATALOG_SORT__MAX] = {
		ST_LIST_CAT_NEWEST, ST_LIST_CAT_ASC, ST_LIST_CAT_DESC
	};
	uint64_t	 gen = list_cache_gen(ctx);
	struct str	 params = STR_NULL;
	struct db_stmt	*st;
	unsigned	 i;
	int		 rc;

	if (sort >= CATALOG_SORT__MAX)
		sort = CATALOG_SORT_NEWEST;
	/* Newest first: no price decides the page, so it can be kept. */
	if (sort == CATALOG_SORT_NEWEST) {
		params = str_c(arena_printf(ctx->a, "%lld/%lld",
		    (long long)category_id,
		    (long long)(after ? after->id : 0)));
		if (list_kept(ctx, "cn", params, category_id, out, &rc))
			return rc;
	}
	st = shop_stmt(ctx, &sql[category_id ? incat[sort] : all[sort]]);
	if (st == NULL)
		return SHOP_EDB;
	i = catalog_bind_locales(ctx, st);
	if (category_id)
		db_bind_i64(st, i++, category_id);
	i = catalog_bind_key(st, i, sort, after);
	/* One row more than a page tells whether a next page exists. */
	db_bind_i64(st, i, CATALOG_PAGE + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = catalog_read_list(ctx, st, CATALOG_PAGE, out);
	if (rc == SHOP_OK && params.p != NULL)
		list_keep(ctx, "cn", params, gen, out);
	return rc;
}

/* A JSON text of the database as a parsed array, or NULL (SQL NULL: no
 * rows). The caller puts the result. */
static json_object *
json_array_of(struct str text)
{
	json_object *v;

	if (text.len == 0)
		return NULL;
	v = json_tokener_parse(text.p);
	if (v != NULL && !json_object_is_type(v, json_type_array)) {
		json_object_put(v);
		v = NULL;
	}
	return v;
}

static struct str
json_str_at(struct arena *a, json_object *arr, size_t i)
{
	json_object	*v = json_object_array_get_idx(arr, i);
	const char	*s = v ? json_object_get_string(v) : "";

	return arena_str(a, (struct str){ s, strlen(s) });
}

static int64_t
json_i64_at(json_object *arr, size_t i)
{
	return json_object_get_int64(json_object_array_get_idx(arr, i));
}

/* The milliseconds from now to boundary t (a UNIX time; 0: none), or
 * INT64_MAX when it is not ahead. */
static int
product_page_read(struct shop_ctx *ctx, struct str slug,
    struct product_page *out, int64_t *ttl_ms)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PRODUCT_BY_SLUG]);
	json_object	*vs = NULL, *is = NULL;
	time_t		 now = time(NULL);
	int64_t		 t;
	size_t		 i, n;
	int		 rc;

	memset(out, 0, sizeof(*out));
	*ttl_ms = INT64_MAX;
	if (st == NULL)
		return SHOP_EDB;
	catalog_bind_locales(ctx, st);
	db_bind_cstr(st, 2, ctx->locale);
	db_bind_cstr(st, 3, ctx->default_locale);
	db_bind_str(st, 4, slug);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1) {
		catalog_read_product(st, &out->p);
		out->cat.id = out->p.category_id;
		out->cat.slug = db_col_str(st, 12);
		out->cat.name = db_col_str(st, 13);
		vs = json_array_of(db_col_str(st, 14));
		is = json_array_of(db_col_str(st, 15));
		out->description_html = db_col_null(st, 16) ? STR_NULL :
		    db_col_str(st, 16);
		out->also_bought = db_col_i64(st, 17) != 0;
		if ((t = ms_to(db_col_i64(st, 18), now)) < *ttl_ms)
			*ttl_ms = t;
		if ((t = ms_to(db_col_i64(st, 19), now)) < *ttl_ms)
			*ttl_ms = t;
	}
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;

	n = vs ? json_object_array_length(vs) : 0;
	n = n > 200 ? 200 : n;
	out->variants = arena_calloc(ctx->a, n ? n : 1, sizeof(*out->variants));
	for (i = 0; i < n; i++) {
		json_object	*row = json_object_array_get_idx(vs, i);
		struct variant	*v = &out->variants[out->nvariants];

		if (!json_object_is_type(row, json_type_array) ||
		    json_object_array_length(row) != 8)
			continue;
		v->id = json_i64_at(row, 0);
		v->sku = json_str_at(ctx->a, row, 1);
		v->name = json_str_at(ctx->a, row, 2);
		v->price = json_i64_at(row, 3);
		v->stock = json_i64_at(row, 4);
		v->price_now = json_i64_at(row, 5);
		if ((t = ms_to(json_i64_at(row, 6), now)) < *ttl_ms)
			*ttl_ms = t;
		if ((t = ms_to(json_i64_at(row, 7), now)) < *ttl_ms)
			*ttl_ms = t;
		out->nvariants++;
	}
	n = is ? json_object_array_length(is) : 0;
	n = n > 200 ? 200 : n;
	out->images = arena_calloc(ctx->a, n ? n : 1, sizeof(*out->images));
	for (i = 0; i < n; i++)
		out->images[out->nimages++] = json_str_at(ctx->a, is, i);
	if (vs != NULL)
		json_object_put(vs);
	if (is != NULL)
		json_object_put(is);
	return gallery_list(ctx, out->p.id, &out->gallery, &out->ngallery);
}

int
catalog_product_page(struct shop_ctx *ctx, struct str slug,
    struct product_page *out)
{
	/* Before the read: a change committed meanwhile drops the copy. */
	uint64_t	gen = cache_gen(cache_sales_owner(ctx->tenant));
	int64_t		ttl;
	int		rc;

	if (product_page_cache_get(ctx, slug, out))
		return SHOP_OK;
	if ((rc = product_page_read(ctx, slug, out, &ttl)) == SHOP_OK)
		product_page_cache_put(ctx, slug, out, gen, ttl);
	return rc;
}

struct str
catalog_like_pattern(struct arena *a, struct str q)
{
	char	*out = arena_alloc(a, q.len * 2 + 3);
	size_t	 o = 0, i;

	out[o++] = '%';
	for (i = 0; i < q.len; i++) {
		if (q.p[i] == '%' || q.p[i] == '_' || q.p[i] == '\\')
			out[o++] = '\\';
		out[o++] = q.p[i];
	}
	out[o++] = '%';
	out[o] = '\0';
	return (struct str){ out, o };
}

int
catalog_admin_list(struct shop_ctx *ctx, struct str filter, int64_t after_id,
    struct product_list *out)
{
	struct db_stmt	*st;
	int		 rc;
	unsigned	 i;

	filter = str_trim(filter);
	if (filter.len > 0 && !str_valid_text(filter))
		return SHOP_EINVAL;
	st = shop_stmt(ctx, &sql[filter.len ? ST_ADMIN_FILTER : ST_ADMIN_LIST]);
	if (st == NULL)
		return SHOP_EDB;
	i = catalog_bind_locales(ctx, st);
	db_bind_i64(st, i++, after_id > 0 ? after_id : INT64_MAX);
	if (filter.len) {
		struct str like = catalog_like_pattern(ctx->a, filter);

		db_bind_str(st, i++, filter);
		/* The slug is an ASCII column: MariaDB refuses to compare it
		 * with other text ("Illegal mix of collations"), and no slug
		 * holds such text. LIKE NULL matches nothing. */
		if (str_is_ascii(filter))
			db_bind_str(st, i++, like);
		else
			db_bind_null(st, i++);
		db_bind_str(st, i++, like);
	}
	db_bind_i64(st, i, 50 + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	return catalog_read_list(ctx, st, 50, out);
}

int
catalog_product_get(struct shop_ctx *ctx, int64_t id, struct product *out,
    struct product_text **texts, size_t *ntexts)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PRODUCT_BY_ID]);
	int		 rc;

	*ntexts = 0;
	*texts = NULL;
	if (st == NULL)
		return SHOP_EDB;
	catalog_bind_locales(ctx, st);
	db_bind_i64(st, 2, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1)
		catalog_read_product(st, out);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_TEXTS_OF])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*texts = arena_calloc(ctx->a, TEXTS_MAX, sizeof(**texts));
	while ((rc = db_step(st)) == 1) {
		struct product_text	*t;
		struct str		 loc;

		/* The array bounds the loop, whatever the query returns. */
		if (*ntexts == TEXTS_MAX)
			continue;
		t = &(*texts)[(*ntexts)++];
		loc = db_col_str(st, 0);

		str_copy(t->locale, sizeof(t->locale), loc);
		t->name = db_col_str(st, 1);
		t->description = db_col_str(st, 2);
		t->description_html = db_col_null(st, 3) ? STR_NULL :
		    db_col_str(st, 3);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}


struct valid_product {
	struct str	slug;
	int64_t		price, stock, category_id;
	/* Per text of the input: what goes to description and
	 * description_html (.p NULL: plain text). */
	struct richtext	desc[CATALOG_MAX_LOCALES];
	int64_t		sale_price;	/* -1: none */
	time_t		sale_from, sale_to;
	int64_t		weight_g;	/* -1: kept (a new one: 0) */
};

/*
 * The description of t as stored, into *out: plain text as typed, HTML
 * sanitised (its text for search and cards). Adds an error to errs
 * when it is too long: 65536 characters of HTML, tags included, and
 * 20000 of text (the column, TEXT, holds 65535 bytes: 20000 characters
 * of 3 bytes fit, not of 4; NEEDSWORK: say so apart, or make the
 * column MEDIUMTEXT).
 */
static void
description_of(struct shop_ctx *ctx, const struct product_text *t,
    struct richtext *out, struct field_errors *errs)
{
	out->html = STR_NULL;
	out->text = t->description;
	if (!str_valid_text(t->description)) {
		field_errors_add(errs, "description",
		    N_("A description has at most 20000 characters."));
		return;
	}
	if (richtext_is_html(t->description) &&
	    richtext_sanitize(ctx->a, t->description.p, t->description.len,
	    out) == -1) {
		out->html = STR_NULL;
		field_errors_add(errs, "description", N_("A description has "
		    "at most 65536 characters, tags included."));
		return;
	}
	if (str_chars(out->text) > 20000 || out->text.len > 65535)
		field_errors_add(errs, "description",
		    N_("A description has at most 20000 characters."));
}

/* The sale fields of in into v, with their errors. */
static void
validate_sale(struct shop_ctx *ctx, const struct product_input *in,
    struct field_errors *errs, struct valid_product *v)
{
	struct str	 sp = str_trim(in->sale_price);
	struct str	 from = str_trim(in->sale_from);
	struct str	 to = str_trim(in->sale_to);
	const char	*msg, *field;
	int		 ok = 1;

	v->sale_price = -1;
	if (sp.len && (money_parse(sp, ctx->currency, &v->sale_price) == -1 ||
	    v->sale_price < 0)) {
		field_errors_add(errs, "sale_price",
		    N_("Enter a sale price such as 9.90, or nothing."));
		ok = 0;
	}
	if (sale_parse_time(from.p, from.len, &v->sale_from) == -1) {
		field_errors_add(errs, "sale_from",
		    N_("Enter a date such as 2026-12-24 or nothing."));
		ok = 0;
	}
	if (sale_parse_time(to.p, to.len, &v->sale_to) == -1) {
		field_errors_add(errs, "sale_to",
		    N_("Enter a date such as 2026-12-24 or nothing."));
		ok = 0;
	}
	if (ok && (msg = sale_check(v->price, v->sale_price, v->sale_from,
	    v->sale_to, &field)) != NULL)
		field_errors_add(errs, field, msg);
}

static int
validate(struct shop_ctx *ctx, const struct product_input *in,
    struct field_errors *errs, struct valid_product *v)
{
	const struct product_text	*def = NULL;
	size_t				 i;

	errs->n = 0;
	for (i = 0; i < in->ntexts; i++) {
		const struct product_text *t = &in->texts[i];

		if (strcmp(t->locale, ctx->default_locale) == 0)
			def = t;
		/* Limits count characters: 200 kanji are 600 bytes. */
		if (!str_valid_text(t->name) ||
		    str_chars(str_trim(t->name)) > 200)
			field_errors_add(errs, "name",
			    N_("A name has at most 200 characters."));
		description_of(ctx, t, &v->desc[i], errs);
	}
	if (def == NULL || str_trim(def->name).len == 0)
		field_errors_add(errs, "name",
		    N_("A name in the shop's default language is required."));

	v->slug = str_trim(in->slug);
	if (v->slug.len == 0 && def != NULL)
		v->slug = shop_slugify(ctx->a, str_trim(def->name));
	if (!shop_slug_valid(v->slug))
		field_errors_add(errs, "slug", N_("Use 1 to 120 lower-case "
		    "letters, digits and hyphens."));
	if (!str_valid_text(in->sku) || str_chars(in->sku) > 64)
		field_errors_add(errs, "sku",
		    N_("A SKU has at most 64 characters."));
	if (money_parse(str_trim(in->price), ctx->currency, &v->price) == -1 ||
	    v->price < 0 || v->price > INT64_C(100000000000000))
		field_errors_add(errs, "price",
		    N_("Enter a price such as 12.50."));
	if (str_to_i64(str_trim(in->stock), 0, 1000000000, &v->stock) == -1)
		field_errors_add(errs, "stock",
		    N_("Enter a whole number of units, 0 or more."));
	validate_sale(ctx, in, errs, v);
	if (in->tax_class.p != NULL && !str_eqc(in->tax_class, "standard") &&
	    !str_eqc(in->tax_class, "reduced") &&
	    !str_eqc(in->tax_class, "zero"))
		field_errors_add(errs, "tax_class",
		    N_("Choose the standard, reduced or zero tax class."));
	v->weight_g = -1;
	if (in->weight_g.p != NULL && str_to_i64(str_trim(in->weight_g), 0,
	    1000000000, &v->weight_g) == -1)
		field_errors_add(errs, "weight",
		    N_("Enter a weight of 0 or more."));
	v->category_id = 0;
	if (str_trim(in->category_id).len > 0) {
		int rc;

		if (str_to_i64(str_trim(in->category_id), 1, INT64_MAX,
		    &v->category_id) == -1 ||
		    (rc = category_exists(ctx, v->category_id)) == 0)
			field_errors_add(errs, "category_id",
			    N_("Choose a category of this shop."));
		else if (rc == -1)
			return SHOP_EDB;
	}
	return errs->n ? SHOP_EINVAL : SHOP_OK;
}

static int
save_texts(struct shop_ctx *ctx, int64_t id, const struct product_input *in,
    const struct valid_product *v, int *changed)
{
	size_t i;

	for (i = 0; i < in->ntexts; i++) {
		const struct product_text	*t = &in->texts[i];
		struct str			 name = str_trim(t->name);
		struct db_stmt			*st;

		if (name.len == 0) {
			/* No name: the language falls back to the default. */
			if ((st = shop_stmt(ctx, &sql[ST_TEXT_DELETE])) == NULL)
				return SHOP_EDB;
			db_bind_i64(st, 0, id);
			db_bind_cstr(st, 1, t->locale);
		} else {
			if ((st = shop_stmt(ctx, &sql[ST_TEXT_UPSERT])) == NULL)
				return SHOP_EDB;
			db_bind_i64(st, 0, id);
			db_bind_cstr(st, 1, t->locale);
			db_bind_str(st, 2, name);
			db_bind_str(st, 3, v->desc[i].text);
			if (v->desc[i].html.p != NULL)
				db_bind_str(st, 4, v->desc[i].html);
			else
				db_bind_null(st, 4);
		}
		if (shop_exec(ctx, st) != SHOP_OK)
			return SHOP_EDB;
		/* 0 rows: the same text again (no CLIENT_FOUND_ROWS). */
		if (db_affected(st) > 0)
			*changed = 1;
		db_done(st);
	}
	return SHOP_OK;
}

struct save {
	int64_t				 id;	/* 0: create */
	const struct product_input	*in;
	const struct valid_product	*v;
	struct field_errors		*errs;
	int64_t				 new_id;
	json_object			*before;	/* the audit's */
};

/* Product id as the audit shows it, locked, into *out (the caller's to
 * put). SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
static int
snapshot(struct shop_ctx *ctx, int64_t id, json_object **out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PRODUCT_SNAP]);
	int		 err;

	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	*out = audit_snapshot(st, &err);
	return err ? SHOP_EDB : *out == NULL ? SHOP_ENOTFOUND : SHOP_OK;
}

/* The featured flag of an audit snapshot (1 or 0); -1 without one. */
static int
snapshot_featured(json_object *snap)
{
	json_object *o;

	if (snap == NULL || !json_object_object_get_ex(snap, "featured", &o))
		return -1;
	return json_object_get_int(o) != 0;
}

static int
save_tx(struct shop_ctx *ctx, void *arg)
{
	struct save			*s = arg;
	const struct valid_product	*v = s->v;
	struct db_stmt			*st;
	json_object			*after;
	int				 rc, changed;

	/* Run again after a deadlock: the row is read again. */
	json_object_put(s->before);
	s->before = NULL;
	if (s->id && (rc = snapshot(ctx, s->id, &s->before)) != SHOP_OK)
		return rc;
	/* A new product: the plan's limit, first (quota.h). */
	if (s->id == 0 && (rc = quota_check(ctx->db, ctx->tenant,
	    PLAN_PRODUCTS, 1)) != QUOTA_OK)
		return rc == QUOTA_EXCEEDED ? SHOP_EQUOTA : SHOP_EDB;
	st = shop_stmt(ctx, &sql[s->id ? ST_PRODUCT_UPDATE :
	    ST_PRODUCT_INSERT]);
	if (st == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, v->slug);
	db_bind_str(st, 1, str_trim(s->in->sku));
	if (v->category_id)
		db_bind_i64(st, 2, v->category_id);
	else
		db_bind_null(st, 2);
	db_bind_i64(st, 3, v->price);
	db_bind_i64(st, 4, v->stock);
	db_bind_cstr(st, 5, s->in->active ? "active" : "draft");
	db_bind_i64(st, 6, s->in->featured ? 1 : 0);
	if (v->sale_price >= 0)
		db_bind_i64(st, 7, v->sale_price);
	else
		db_bind_null(st, 7);
	/* FROM_UNIXTIME(NULL) is NULL: an open end. */
	if (v->sale_from)
		db_bind_i64(st, 8, (int64_t)v->sale_from);
	else
		db_bind_null(st, 8);
	if (v->sale_to)
		db_bind_i64(st, 9, (int64_t)v->sale_to);
	else
		db_bind_null(st, 9);
	/* NULL keeps what the row has (the admin's form has neither). */
	if (s->in->tax_class.p != NULL)
		db_bind_str(st, 10, s->in->tax_class);
	else
		db_bind_null(st, 10);
	if (v->weight_g >= 0)
		db_bind_i64(st, 11, v->weight_g);
	else
		db_bind_null(st, 11);
	if (s->id)
		db_bind_i64(st, 12, s->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK) {
		if (rc == SHOP_ECONFLICT)
			field_errors_add(s->errs, "slug",
			    N_("Another product already uses this slug."));
		return rc;
	}
	s->new_id = s->id ? s->id : (int64_t)db_insert_id(st);
	db_done(st);
	/* The search index reads the texts and the featured flag: a save
	 * that changed neither (a price, a stock) leaves it be. */
	changed = s->id == 0 ||
	    snapshot_featured(s->before) != (s->in->featured ? 1 : 0);
	if ((rc = save_texts(ctx, s->new_id, s->in, v, &changed)) !=
	    SHOP_OK || (changed &&
	    (rc = search_index_product(ctx, s->new_id)) != SHOP_OK))
		return rc;
	if ((rc = snapshot(ctx, s->new_id, &after)) != SHOP_OK)
		return rc;
	rc = audit_log(ctx->db, ctx->tenant, s->id ? "product.update" :
	    "product.create", "product", s->new_id, s->before, after);
	json_object_put(after);
	if (rc == -1)
		return SHOP_EDB;
	return wc_webhook_fire(ctx, s->id ? "product.updated" :
	    "product.created", s->new_id);
}

int
catalog_product_check(struct shop_ctx *ctx, const struct product_input *in,
    struct field_errors *errs)
{
	struct valid_product v;

	return validate(ctx, in, errs, &v);
}

int
catalog_product_save(struct shop_ctx *ctx, int64_t id,
    const struct product_input *in, struct field_errors *errs,
    int64_t *id_out)
{
	struct valid_product	v;
	struct save		s = { id, in, &v, errs, 0, NULL };
	int			rc;

	if ((rc = validate(ctx, in, errs, &v)) != SHOP_OK)
		return rc;
	rc = shop_tx(ctx, save_tx, &s);
	json_object_put(s.before);
	if (rc != SHOP_OK)
		return rc;
	catalog_changed(ctx);
	if (id_out)
		*id_out = s.new_id;
	return SHOP_OK;
}

static int
delete_tx(struct shop_ctx *ctx, void *arg)
{
	static const enum stmt steps[] = {
		ST_PRODUCT_DELETE, ST_TEXTS_DELETE, ST_VALUES_DELETE,
		ST_PVALUES_DELETE, ST_VARIANTS_DELETE, ST_IMAGES_DELETE
	};
	const int64_t	*id = arg;
	struct db_stmt	*st;
	json_object	*before;
	size_t		 i;
	uint64_t	 deleted = 0;
	int		 rc;

	if ((rc = snapshot(ctx, *id, &before)) != SHOP_OK)
		return rc;
	rc = audit_log(ctx->db, ctx->tenant, "product.delete", "product", *id,
	    before, NULL);
	json_object_put(before);
	if (rc == -1)
		return SHOP_EDB;

	for (i = 0; i < NELEM(steps); i++) {
		if ((st = shop_stmt(ctx, &sql[steps[i]])) == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, *id);
		if (shop_exec(ctx, st) != SHOP_OK)
			return SHOP_EDB;
		if (i == 0)
			deleted = db_affected(st);
		db_done(st);
		if (deleted == 0)
			return SHOP_ENOTFOUND;
	}
	/* Gone: its terms go with it. */
	if (search_index_product(ctx, *id) != SHOP_OK)
		return SHOP_EDB;
	return wc_webhook_fire(ctx, "product.deleted", *id);
}

int
catalog_product_delete(struct shop_ctx *ctx, int64_t id)
{
	int rc;

	if ((rc = shop_tx(ctx, delete_tx, &id)) == SHOP_OK)
		catalog_changed(ctx);
	return rc;
}

void
catalog_changed(struct shop_ctx *ctx)
{
	cache_bump(ctx->tenant);
}

struct set_image {
	int64_t		 id;
	const char	*path;
};

static int
set_image_tx(struct shop_ctx *ctx, void *arg)
{
	struct set_image	*si = arg;
	struct db_stmt		*st;
	int			 rc;

	if ((rc = shop_row_exists(ctx, &sql[ST_PRODUCT_LOCK], si->id)) != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_SET_IMAGE])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, si->path);
	db_bind_i64(st, 1, si->id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	if ((st = shop_stmt(ctx, &sql[ST_IMAGE_ADD])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, si->id);
	db_bind_cstr(st, 1, si->path);
	db_bind_i64(st, 2, si->id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

int
catalog_product_set_image(struct shop_ctx *ctx, int64_t id, const char *path)
{
	struct set_image si = { id, path };

	return shop_tx(ctx, set_image_tx, &si);
}

int
catalog_variant_add(struct shop_ctx *ctx, int64_t product_id,
    const char *name, int64_t price, int64_t stock)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[ST_VARIANT_ADD]);

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, product_id);
	db_bind_cstr(st, 1, name);
	if (price >= 0)
		db_bind_i64(st, 2, price);
	else
		db_bind_null(st, 2);
	db_bind_i64(st, 3, stock);
	db_bind_i64(st, 4, product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

int
catalog_sale_get(struct shop_ctx *ctx, int64_t id, struct catalog_sale *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_SALE_GET]);
	int		 rc;

	memset(out, 0, sizeof(*out));
	out->sale_price = -1;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		out->sale_price = db_col_i64(st, 0);
		out->from = db_col_i64(st, 1);
		out->to = db_col_i64(st, 2);
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
catalog_count(struct shop_ctx *ctx, int64_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_COUNT]);
	int		 rc;

	*n = 0;
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		*n = db_col_i64(st, 0);
	db_done(st);
	return rc == 1 ? SHOP_OK : SHOP_EDB;
}
