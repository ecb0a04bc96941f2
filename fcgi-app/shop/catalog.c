/* catalog.c: products and categories of one shop (see catalog.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/shared.h"
#include "core/money.h"
#include "db/db.h"
#include "shop/catalog.h"

#include <json.h>
#include <time.h>

/*
 * Texts come in the request's language with the shop's default language
 * as fallback: two LEFT JOINs on the same primary key, cheaper than a
 * second round trip (~130 us each here).
 */
#define P_COLS	"p.id, p.slug, p.sku, COALESCE(p.category_id, 0), p.price, " \
		"p.stock, p.status = 'active', p.featured, p.image, " \
		"COALESCE(t.name, d.name, p.slug), " \
		"COALESCE(t.description, d.description, '')"
#define P_FROM	" FROM {p}products p" \
		" LEFT JOIN {p}product_texts t" \
		" ON t.product_id = p.id AND t.locale = ?" \
		" LEFT JOIN {p}product_texts d" \
		" ON d.product_id = p.id AND d.locale = ?"
#define P_LIST	"SELECT " P_COLS P_FROM " WHERE p.status = 'active'"
#define NEWEST	" AND p.id < ? ORDER BY p.id DESC LIMIT ?"
#define ASC	" AND (p.price > ? OR (p.price = ? AND p.id > ?))" \
		" ORDER BY p.price, p.id LIMIT ?"
#define DESC	" AND (p.price < ? OR (p.price = ? AND p.id < ?))" \
		" ORDER BY p.price DESC, p.id DESC LIMIT ?"
#define INCAT	" AND p.category_id = ?"
#define SEARCH_TAIL \
		" AND (? = 0 OR p.category_id = ?)" \
		" AND (? < 0 OR p.price >= ?) AND (? < 0 OR p.price <= ?)" \
		" ORDER BY CASE ? WHEN 1 THEN p.price WHEN 2 THEN -p.price" \
		" ELSE 0 END, p.featured DESC, p.id DESC LIMIT ? OFFSET ?"

enum stmt {
	ST_CATEGORIES,
	ST_CATEGORY_EXISTS,
	ST_PRODUCT_LOCK,
	ST_FEATURED,
	ST_LIST_NEWEST,
	ST_LIST_ASC,
	ST_LIST_DESC,
	ST_LIST_CAT_NEWEST,
	ST_LIST_CAT_ASC,
	ST_LIST_CAT_DESC,
	ST_PRODUCT_BY_SLUG,
	ST_SEARCH_FT,
	ST_SEARCH_LIKE,
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
	ST_CATEGORY_INSERT,
	ST_CATEGORY_TEXT_INSERT,
	ST_VARIANT_ADD,
	ST_COUNT,
	ST__MAX
};

static const char *const sql[ST__MAX] = {
	[ST_CATEGORIES] =
	    "SELECT c.id, COALESCE(c.parent_id, 0), c.slug, "
	    "COALESCE(t.name, d.name, c.slug), c.position"
	    " FROM {p}categories c"
	    " LEFT JOIN {p}category_texts t"
	    " ON t.category_id = c.id AND t.locale = ?"
	    " LEFT JOIN {p}category_texts d"
	    " ON d.category_id = c.id AND d.locale = ?"
	    " ORDER BY COALESCE(c.parent_id, 0), c.position, c.id LIMIT 1000",
	[ST_CATEGORY_EXISTS] =
	    "SELECT id FROM {p}categories WHERE id = ?",
	[ST_PRODUCT_LOCK] =
	    "SELECT id FROM {p}products WHERE id = ? FOR UPDATE",
	[ST_FEATURED] =
	    P_LIST " ORDER BY p.featured DESC, p.id DESC LIMIT ?",
	[ST_LIST_NEWEST] = P_LIST NEWEST,
	[ST_LIST_ASC] = P_LIST ASC,
	[ST_LIST_DESC] = P_LIST DESC,
	[ST_LIST_CAT_NEWEST] = P_LIST INCAT NEWEST,
	[ST_LIST_CAT_ASC] = P_LIST INCAT ASC,
	[ST_LIST_CAT_DESC] = P_LIST INCAT DESC,
	/*
	 * The page in one round trip: variants and images come along as
	 * JSON arrays (MariaDB escapes, json-c parses), not as a second
	 * query: each round trip costs ~130 us here.
	 */
	[ST_PRODUCT_BY_SLUG] =
	    "SELECT " P_COLS ", COALESCE(c.slug, ''), "
	    "COALESCE(ct.name, cd.name, c.slug, ''), "
	    "(SELECT JSON_ARRAYAGG(JSON_ARRAY(v.id, v.sku, v.name,"
	    " COALESCE(v.price, p.price), v.stock) ORDER BY v.position, v.id)"
	    " FROM {p}variants v WHERE v.product_id = p.id), "
	    "(SELECT JSON_ARRAYAGG(i.path ORDER BY i.position, i.id)"
	    " FROM {p}images i WHERE i.product_id = p.id)" P_FROM
	    " LEFT JOIN {p}categories c ON c.id = p.category_id"
	    " LEFT JOIN {p}category_texts ct"
	    " ON ct.category_id = c.id AND ct.locale = ?"
	    " LEFT JOIN {p}category_texts cd"
	    " ON cd.category_id = c.id AND cd.locale = ?"
	    " WHERE p.slug = ? AND p.status = 'active'",
	[ST_SEARCH_FT] =
	    "SELECT " P_COLS P_FROM
	    " WHERE p.status = 'active' AND p.id IN ("
	    "SELECT product_id FROM {p}product_texts"
	    " WHERE MATCH(name, description) AGAINST (? IN BOOLEAN MODE))"
	    SEARCH_TAIL,
	/* Substrings of names, for what FULLTEXT cannot index. */
	[ST_SEARCH_LIKE] =
	    "SELECT " P_COLS P_FROM
	    " WHERE p.status = 'active' AND p.id IN ("
	    "SELECT product_id FROM {p}product_texts WHERE name LIKE ?)"
	    SEARCH_TAIL,
	[ST_ADMIN_LIST] =
	    "SELECT " P_COLS P_FROM
	    " WHERE p.id < ? ORDER BY p.id DESC LIMIT ?",
	[ST_ADMIN_FILTER] =
	    "SELECT " P_COLS P_FROM
	    " WHERE p.id < ? AND (p.sku = ? OR p.slug LIKE ? OR p.id IN ("
	    "SELECT product_id FROM {p}product_texts WHERE name LIKE ?))"
	    " ORDER BY p.id DESC LIMIT ?",
	[ST_PRODUCT_BY_ID] =
	    "SELECT " P_COLS P_FROM " WHERE p.id = ?",
	[ST_TEXTS_OF] =
	    "SELECT locale, name, description FROM {p}product_texts"
	    " WHERE product_id = ? LIMIT 16",
	[ST_PRODUCT_INSERT] =
	    "INSERT INTO {p}products (slug, sku, category_id, price, stock,"
	    " status, featured) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[ST_PRODUCT_UPDATE] =
	    "UPDATE {p}products SET slug = ?, sku = ?, category_id = ?,"
	    " price = ?, stock = ?, status = ?, featured = ? WHERE id = ?",
	[ST_TEXT_UPSERT] =
	    "INSERT INTO {p}product_texts (product_id, locale, name,"
	    " description) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
	    " name = VALUES(name), description = VALUES(description)",
	[ST_TEXT_DELETE] =
	    "DELETE FROM {p}product_texts WHERE product_id = ? AND locale = ?",
	[ST_PRODUCT_DELETE] = "DELETE FROM {p}products WHERE id = ?",
	[ST_TEXTS_DELETE] =
	    "DELETE FROM {p}product_texts WHERE product_id = ?",
	[ST_VARIANTS_DELETE] = "DELETE FROM {p}variants WHERE product_id = ?",
	[ST_IMAGES_DELETE] = "DELETE FROM {p}images WHERE product_id = ?",
	[ST_SET_IMAGE] = "UPDATE {p}products SET image = ? WHERE id = ?",
	[ST_IMAGE_ADD] =
	    "INSERT INTO {p}images (product_id, path, position)"
	    " SELECT ?, ?, COALESCE(MAX(position), -1) + 1"
	    " FROM {p}images WHERE product_id = ?",
	[ST_CATEGORY_INSERT] =
	    "INSERT INTO {p}categories (parent_id, slug, position)"
	    " VALUES (?, ?, ?)",
	[ST_CATEGORY_TEXT_INSERT] =
	    "INSERT INTO {p}category_texts (category_id, locale, name)"
	    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name)",
	[ST_COUNT] = "SELECT COUNT(*) FROM {p}products",
	[ST_VARIANT_ADD] =
	    "INSERT INTO {p}variants (product_id, name, price, stock, position)"
	    " SELECT ?, ?, ?, ?, COUNT(*) FROM {p}variants"
	    " WHERE product_id = ?",
};

static struct db_stmt *
prep(struct shop_ctx *ctx, enum stmt s)
{
	struct db_stmt *st = db_prepare(ctx->db, sql[s], ctx->tenant);

	if (st == NULL)
		log_err("cannot prepare catalog statement %d: %s", (int)s,
		    db_error(ctx->db));
	return st;
}

static int
exec(struct shop_ctx *ctx, struct db_stmt *st)
{
	if (db_exec(st, ctx->a) == -1) {
		log_err("catalog query failed: %s", db_error(ctx->db));
		return SHOP_EDB;
	}
	return SHOP_OK;
}

/* Binds the two text locales every P_FROM query starts with. */
static unsigned
bind_locales(struct shop_ctx *ctx, struct db_stmt *st)
{
	db_bind_cstr(st, 0, ctx->locale);
	db_bind_cstr(st, 1, ctx->default_locale);
	return 2;
}

static void
read_product(struct db_stmt *st, struct product *p)
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
}

/* Reads up to max rows of P_COLS; one more row than max sets more. */
static int
read_list(struct shop_ctx *ctx, struct db_stmt *st, size_t max,
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
		read_product(st, &out->v[out->n++]);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (out->more && out->n > 0) {
		out->next.id = out->v[out->n - 1].id;
		out->next.price = out->v[out->n - 1].price;
	}
	return SHOP_OK;
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

static void
read_category(struct db_stmt *st, struct category *c)
{
	c->id = db_col_i64(st, 0);
	c->parent_id = db_col_i64(st, 1);
	c->slug = db_col_str(st, 2);
	c->name = db_col_str(st, 3);
	c->position = db_col_i64(st, 4);
}

static int
categories_query(struct shop_ctx *ctx, struct category **out, size_t *n)
{
	struct db_stmt	*st = prep(ctx, ST_CATEGORIES);
	size_t		 cap = 16;
	int		 rc;

	*n = 0;
	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	bind_locales(ctx, st);
	if ((rc = exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_alloc(ctx->a, cap * sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		if (*n == cap) {
			struct category *bigger;

			bigger = arena_alloc(ctx->a, 2 * cap * sizeof(**out));
			memcpy(bigger, *out, cap * sizeof(**out));
			*out = bigger;
			cap *= 2;
		}
		read_category(st, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/*
 * Every storefront page shows the categories (the navigation), so each
 * worker keeps them per (shop, language): one round trip less on every
 * page. A change made through catalog_category_*() bumps a counter all
 * workers of the pool share (core/shared.h), so it shows at once; a
 * change made elsewhere (another VM, soukctl) within CAT_CACHE_TTL_MS.
 */
#define CAT_CACHE_SLOTS		256
#define CAT_CACHE_TTL_MS	30000

struct cat_cache_entry {
	int64_t		 tenant;
	char		 locale[9];
	int64_t		 expires_ms;
	struct category	*v;		/* malloc'd, strings in buf */
	size_t		 n;
	char		*buf;
};

static struct cat_cache_entry	cat_cache[CAT_CACHE_SLOTS];
static uint64_t			cat_cache_gen;

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
cat_entry_clear(struct cat_cache_entry *e)
{
	free(e->v);
	free(e->buf);
	memset(e, 0, sizeof(*e));
}

void
catalog_cache_free(void)
{
	size_t i;

	for (i = 0; i < CAT_CACHE_SLOTS; i++)
		cat_entry_clear(&cat_cache[i]);
}

/* Copies the categories, strings included, from src into dst's arena
 * or into a malloc'd entry (a == NULL). */
static void
cat_copy(struct arena *a, const struct category *src, size_t n,
    struct category **v, char **buf)
{
	size_t	 i, len = 0, off = 0;
	char	*b;

	for (i = 0; i < n; i++)
		len += src[i].slug.len + src[i].name.len + 2;
	*v = a ? arena_alloc(a, (n ? n : 1) * sizeof(**v)) :
	    xmalloc((n ? n : 1) * sizeof(**v));
	b = a ? arena_alloc(a, len + 1) : xmalloc(len + 1);
	if (buf != NULL)
		*buf = b;
	for (i = 0; i < n; i++) {
		(*v)[i] = src[i];
		memcpy(b + off, src[i].slug.p, src[i].slug.len);
		b[off + src[i].slug.len] = '\0';
		(*v)[i].slug.p = b + off;
		off += src[i].slug.len + 1;
		memcpy(b + off, src[i].name.p, src[i].name.len);
		b[off + src[i].name.len] = '\0';
		(*v)[i].name.p = b + off;
		off += src[i].name.len + 1;
	}
}

int
catalog_categories(struct shop_ctx *ctx, struct category **out, size_t *n)
{
	struct cat_cache_entry	*e;
	uint64_t		 gen = shared_get(SHARED_CATEGORY_GEN);
	int64_t			 now = mono_ms();
	size_t			 i;
	int			 rc;

	if (gen != cat_cache_gen) {
		catalog_cache_free();
		cat_cache_gen = gen;
	}
	e = &cat_cache[((uint64_t)ctx->tenant * 31 +
	    (unsigned char)ctx->locale[0]) % CAT_CACHE_SLOTS];
	if (e->tenant == ctx->tenant && strcmp(e->locale, ctx->locale) == 0 &&
	    now < e->expires_ms) {
		/* Arena copies: the entry may change before the request ends. */
		cat_copy(ctx->a, e->v, e->n, out, NULL);
		*n = e->n;
		return SHOP_OK;
	}
	if ((rc = categories_query(ctx, out, n)) != SHOP_OK)
		return rc;
	cat_entry_clear(e);
	e->tenant = ctx->tenant;
	for (i = 0; ctx->locale[i] != '\0' && i < sizeof(e->locale) - 1; i++)
		e->locale[i] = ctx->locale[i];
	e->expires_ms = now + CAT_CACHE_TTL_MS;
	cat_copy(NULL, *out, *n, &e->v, &e->buf);
	e->n = *n;
	return SHOP_OK;
}

/* Tells every worker to reload categories (after a change). */
static void
categories_changed(void)
{
	shared_bump(SHARED_CATEGORY_GEN);
}

int
catalog_category_by_slug(struct shop_ctx *ctx, struct str slug,
    struct category *out)
{
	struct category	*cats;
	size_t		 n, i;
	int		 rc;

	/* From the (cached) list the page needs anyway: no round trip. */
	if ((rc = catalog_categories(ctx, &cats, &n)) != SHOP_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (str_eq(cats[i].slug, slug)) {
			*out = cats[i];
			return SHOP_OK;
		}
	return SHOP_ENOTFOUND;
}

int
catalog_featured(struct shop_ctx *ctx, size_t limit, struct product_list *out)
{
	struct db_stmt	*st = prep(ctx, ST_FEATURED);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	bind_locales(ctx, st);
	db_bind_i64(st, 2, (int64_t)limit);
	if ((rc = exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = read_list(ctx, st, limit, out);
	out->more = 0;
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
	struct db_stmt	*st;
	unsigned	 i;
	int		 rc, first = after == NULL || after->id == 0;

	if (sort >= CATALOG_SORT__MAX)
		sort = CATALOG_SORT_NEWEST;
	st = prep(ctx, category_id ? incat[sort] : all[sort]);
	if (st == NULL)
		return SHOP_EDB;
	i = bind_locales(ctx, st);
	if (category_id)
		db_bind_i64(st, i++, category_id);
	switch (sort) {
	case CATALOG_SORT_NEWEST:
		db_bind_i64(st, i++, first ? INT64_MAX : after->id);
		break;
	case CATALOG_SORT_PRICE_ASC:
		db_bind_i64(st, i++, first ? -1 : after->price);
		db_bind_i64(st, i++, first ? -1 : after->price);
		db_bind_i64(st, i++, first ? 0 : after->id);
		break;
	default:
		db_bind_i64(st, i++, first ? INT64_MAX : after->price);
		db_bind_i64(st, i++, first ? INT64_MAX : after->price);
		db_bind_i64(st, i++, first ? INT64_MAX : after->id);
		break;
	}
	/* One row more than a page tells whether a next page exists. */
	db_bind_i64(st, i, CATALOG_PAGE + 1);
	if ((rc = exec(ctx, st)) != SHOP_OK)
		return rc;
	return read_list(ctx, st, CATALOG_PAGE, out);
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

int
catalog_product_page(struct shop_ctx *ctx, struct str slug,
    struct product_page *out)
{
	struct db_stmt	*st = prep(ctx, ST_PRODUCT_BY_SLUG);
	json_object	*vs = NULL, *is = NULL;
	size_t		 i, n;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return SHOP_EDB;
	bind_locales(ctx, st);
	db_bind_cstr(st, 2, ctx->locale);
	db_bind_cstr(st, 3, ctx->default_locale);
	db_bind_str(st, 4, slug);
	if ((rc = exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1) {
		read_product(st, &out->p);
		out->cat.id = out->p.category_id;
		out->cat.slug = db_col_str(st, 11);
		out->cat.name = db_col_str(st, 12);
		vs = json_array_of(db_col_str(st, 13));
		is = json_array_of(db_col_str(st, 14));
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
		    json_object_array_length(row) != 5)
			continue;
		v->id = json_i64_at(row, 0);
		v->sku = json_str_at(ctx->a, row, 1);
		v->name = json_str_at(ctx->a, row, 2);
		v->price = json_i64_at(row, 3);
		v->stock = json_i64_at(row, 4);
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
	return SHOP_OK;
}

/*
 * Boolean-mode query from the shopper's words: each word becomes a
 * prefix term ("+word*" would demand all words; shoppers expect any
 * word to match, ranked). Operators they typed are dropped, so input
 * can never be a syntax error.
 */
static struct str
fulltext_query(struct arena *a, struct str q)
{
	char	*out = arena_alloc(a, q.len * 2 + 2);
	size_t	 o = 0, i;
	int	 inword = 0;

	for (i = 0; i < q.len; i++) {
		unsigned char c = (unsigned char)q.p[i];

		if (c >= 0x80 || (c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			out[o++] = (char)c;
			inword = 1;
		} else if (inword) {
			out[o++] = '*';
			out[o++] = ' ';
			inword = 0;
		}
	}
	if (inword)
		out[o++] = '*';
	out[o] = '\0';
	return (struct str){ out, o };
}

/* LIKE pattern "%q%" with the LIKE metacharacters escaped. */
static struct str
like_pattern(struct arena *a, struct str q)
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

/*
 * Whether the FULLTEXT index can answer q: InnoDB indexes words of 3
 * characters or more (innodb_ft_min_token_size) separated by spaces, so
 * it cannot find a 2-letter word, nor a word of a language written
 * without spaces (Japanese, Chinese: UTF-8 lead bytes 0xe3 and up).
 * Those fall back to substrings of names, which scan the shop's texts:
 * fine for the few it concerns, and the common case stays indexed.
 */
static int
fulltext_can(struct str q)
{
	size_t	i, word = 0;
	int	long_word = 0;

	for (i = 0; i < q.len; i++) {
		unsigned char c = (unsigned char)q.p[i];

		if (c >= 0xe3)
			return 0;
		if (c >= 0x80 || (c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			if ((c & 0xc0) != 0x80 && ++word >= 3)
				long_word = 1;
		} else
			word = 0;
	}
	return long_word;
}

int
catalog_search(struct shop_ctx *ctx, const struct catalog_search *s,
    struct product_list *out)
{
	struct db_stmt	*st;
	int		 rc, ft;

	memset(out, 0, sizeof(*out));
	if (s->q.len == 0 || s->page < 0 || s->page > 40)
		return SHOP_EINVAL;
	ft = fulltext_can(s->q);
	if ((st = prep(ctx, ft ? ST_SEARCH_FT : ST_SEARCH_LIKE)) == NULL)
		return SHOP_EDB;
	bind_locales(ctx, st);
	db_bind_str(st, 2, ft ? fulltext_query(ctx->a, s->q) :
	    like_pattern(ctx->a, s->q));
	db_bind_i64(st, 3, s->category_id);
	db_bind_i64(st, 4, s->category_id);
	db_bind_i64(st, 5, s->min_price);
	db_bind_i64(st, 6, s->min_price);
	db_bind_i64(st, 7, s->max_price);
	db_bind_i64(st, 8, s->max_price);
	db_bind_i64(st, 9, (int64_t)s->sort);
	db_bind_i64(st, 10, CATALOG_PAGE + 1);
	db_bind_i64(st, 11, s->page * CATALOG_PAGE);
	if ((rc = exec(ctx, st)) != SHOP_OK)
		return rc;
	return read_list(ctx, st, CATALOG_PAGE, out);
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
	st = prep(ctx, filter.len ? ST_ADMIN_FILTER : ST_ADMIN_LIST);
	if (st == NULL)
		return SHOP_EDB;
	i = bind_locales(ctx, st);
	db_bind_i64(st, i++, after_id > 0 ? after_id : INT64_MAX);
	if (filter.len) {
		struct str like = like_pattern(ctx->a, filter);

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
	if ((rc = exec(ctx, st)) != SHOP_OK)
		return rc;
	return read_list(ctx, st, 50, out);
}

int
catalog_product_get(struct shop_ctx *ctx, int64_t id, struct product *out,
    struct product_text **texts, size_t *ntexts)
{
	struct db_stmt	*st = prep(ctx, ST_PRODUCT_BY_ID);
	int		 rc;

	*ntexts = 0;
	*texts = NULL;
	if (st == NULL)
		return SHOP_EDB;
	bind_locales(ctx, st);
	db_bind_i64(st, 2, id);
	if ((rc = exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1)
		read_product(st, out);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = prep(ctx, ST_TEXTS_OF)) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = exec(ctx, st)) != SHOP_OK)
		return rc;
	*texts = arena_calloc(ctx->a, 16, sizeof(**texts));
	while ((rc = db_step(st)) == 1) {
		struct product_text	*t = &(*texts)[(*ntexts)++];
		struct str		 loc = db_col_str(st, 0);

		snprintf(t->locale, sizeof(t->locale), "%.*s",
		    (int)(loc.len < 8 ? loc.len : 8), loc.p);
		t->name = db_col_str(st, 1);
		t->description = db_col_str(st, 2);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
catalog_slug_valid(struct str s)
{
	size_t i;

	if (s.len < 1 || s.len > 120 || s.p[0] == '-')
		return 0;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-'))
			return 0;
	}
	return 1;
}

static void
add_error(struct field_errors *errs, const char *field, const char *msgid)
{
	if (errs->n < NELEM(errs->v)) {
		errs->v[errs->n].field = field;
		errs->v[errs->n].msgid = msgid;
		errs->n++;
	}
}

/* An ASCII slug from a name: letters and digits kept, the rest '-'. */
static struct str
slugify(struct arena *a, struct str name)
{
	char	*out = arena_alloc(a, name.len + 1);
	size_t	 o = 0, i;

	for (i = 0; i < name.len && o < 100; i++) {
		char c = name.p[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = c;
		else if (o > 0 && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
	return (struct str){ out, o };
}

/* 1 when the row with this id exists, 0 when not, -1 on error. */
static int
row_exists(struct shop_ctx *ctx, enum stmt s, int64_t id)
{
	struct db_stmt	*st = prep(ctx, s);
	int		 rc;

	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	if (exec(ctx, st) != SHOP_OK)
		return -1;
	rc = db_step(st);
	db_done(st);
	return rc;
}

struct valid_product {
	struct str	slug;
	int64_t		price, stock, category_id;
};

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
			add_error(errs, "name",
			    N_("A name has at most 200 characters."));
		/* The column (TEXT) holds 65535 bytes: 20000 characters
		 * of 3 bytes fit, not of 4 (emoji). NEEDSWORK: say so
		 * apart, or make the column MEDIUMTEXT. */
		if (!str_valid_text(t->description) ||
		    str_chars(t->description) > 20000 ||
		    t->description.len > 65535)
			add_error(errs, "description",
			    N_("A description has at most 20000 characters."));
	}
	if (def == NULL || str_trim(def->name).len == 0)
		add_error(errs, "name",
		    N_("A name in the shop's default language is required."));

	v->slug = str_trim(in->slug);
	if (v->slug.len == 0 && def != NULL)
		v->slug = slugify(ctx->a, str_trim(def->name));
	if (!catalog_slug_valid(v->slug))
		add_error(errs, "slug", N_("Use 1 to 120 lower-case letters, "
		    "digits and hyphens."));
	if (!str_valid_text(in->sku) || str_chars(in->sku) > 64)
		add_error(errs, "sku", N_("A SKU has at most 64 characters."));
	if (money_parse(str_trim(in->price), ctx->currency, &v->price) == -1 ||
	    v->price < 0 || v->price > INT64_C(100000000000000))
		add_error(errs, "price", N_("Enter a price such as 12.50."));
	if (str_to_i64(str_trim(in->stock), 0, 1000000000, &v->stock) == -1)
		add_error(errs, "stock",
		    N_("Enter a whole number of units, 0 or more."));
	v->category_id = 0;
	if (str_trim(in->category_id).len > 0) {
		int rc;

		if (str_to_i64(str_trim(in->category_id), 1, INT64_MAX,
		    &v->category_id) == -1 ||
		    (rc = row_exists(ctx, ST_CATEGORY_EXISTS, v->category_id)) == 0)
			add_error(errs, "category_id",
			    N_("Choose a category of this shop."));
		else if (rc == -1)
			return SHOP_EDB;
	}
	return errs->n ? SHOP_EINVAL : SHOP_OK;
}

static int
save_texts(struct shop_ctx *ctx, int64_t id, const struct product_input *in)
{
	size_t i;

	for (i = 0; i < in->ntexts; i++) {
		const struct product_text	*t = &in->texts[i];
		struct str			 name = str_trim(t->name);
		struct db_stmt			*st;

		if (name.len == 0) {
			/* No name: the language falls back to the default. */
			if ((st = prep(ctx, ST_TEXT_DELETE)) == NULL)
				return SHOP_EDB;
			db_bind_i64(st, 0, id);
			db_bind_cstr(st, 1, t->locale);
		} else {
			if ((st = prep(ctx, ST_TEXT_UPSERT)) == NULL)
				return SHOP_EDB;
			db_bind_i64(st, 0, id);
			db_bind_cstr(st, 1, t->locale);
			db_bind_str(st, 2, name);
			db_bind_str(st, 3, t->description);
		}
		if (exec(ctx, st) != SHOP_OK)
			return SHOP_EDB;
		db_done(st);
	}
	return SHOP_OK;
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
	struct valid_product	 v;
	struct db_stmt		*st;
	int			 rc;

	if ((rc = validate(ctx, in, errs, &v)) != SHOP_OK)
		return rc;
	if (db_tx_begin(ctx->db) == -1)
		return SHOP_EDB;
	if (id && (rc = row_exists(ctx, ST_PRODUCT_LOCK, id)) != 1) {
		rc = rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
		goto fail;
	}
	st = prep(ctx, id ? ST_PRODUCT_UPDATE : ST_PRODUCT_INSERT);
	if (st == NULL) {
		rc = SHOP_EDB;
		goto fail;
	}
	db_bind_str(st, 0, v.slug);
	db_bind_str(st, 1, str_trim(in->sku));
	if (v.category_id)
		db_bind_i64(st, 2, v.category_id);
	else
		db_bind_null(st, 2);
	db_bind_i64(st, 3, v.price);
	db_bind_i64(st, 4, v.stock);
	db_bind_cstr(st, 5, in->active ? "active" : "draft");
	db_bind_i64(st, 6, in->featured ? 1 : 0);
	if (id)
		db_bind_i64(st, 7, id);
	if (db_exec(st, ctx->a) == -1) {
		if (db_errclass(ctx->db) == DB_EDUP) {
			add_error(errs, "slug",
			    N_("Another product already uses this slug."));
			rc = SHOP_ECONFLICT;
		} else {
			log_err("cannot save product: %s", db_error(ctx->db));
			rc = SHOP_EDB;
		}
		goto fail;
	}
	if (id == 0)
		id = (int64_t)db_insert_id(st);
	db_done(st);
	if ((rc = save_texts(ctx, id, in)) != SHOP_OK)
		goto fail;
	if (db_tx_end(ctx->db, 1) == -1)
		return SHOP_EDB;
	if (id_out)
		*id_out = id;
	return SHOP_OK;
fail:
	db_tx_end(ctx->db, 0);
	return rc;
}

int
catalog_product_delete(struct shop_ctx *ctx, int64_t id)
{
	static const enum stmt steps[] = {
		ST_PRODUCT_DELETE, ST_TEXTS_DELETE, ST_VARIANTS_DELETE,
		ST_IMAGES_DELETE
	};
	struct db_stmt	*st;
	size_t		 i;
	int		 rc = SHOP_OK;
	uint64_t	 deleted = 0;

	if (db_tx_begin(ctx->db) == -1)
		return SHOP_EDB;
	for (i = 0; i < NELEM(steps); i++) {
		if ((st = prep(ctx, steps[i])) == NULL) {
			rc = SHOP_EDB;
			goto fail;
		}
		db_bind_i64(st, 0, id);
		if (exec(ctx, st) != SHOP_OK) {
			rc = SHOP_EDB;
			goto fail;
		}
		if (i == 0)
			deleted = db_affected(st);
		db_done(st);
		if (deleted == 0) {
			rc = SHOP_ENOTFOUND;
			goto fail;
		}
	}
	return db_tx_end(ctx->db, 1) == -1 ? SHOP_EDB : SHOP_OK;
fail:
	db_tx_end(ctx->db, 0);
	return rc;
}

int
catalog_product_set_image(struct shop_ctx *ctx, int64_t id, const char *path)
{
	struct db_stmt	*st;
	int		 rc = SHOP_EDB;

	if (db_tx_begin(ctx->db) == -1)
		return SHOP_EDB;
	if ((rc = row_exists(ctx, ST_PRODUCT_LOCK, id)) != 1) {
		rc = rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
		goto fail;
	}
	rc = SHOP_EDB;
	if ((st = prep(ctx, ST_SET_IMAGE)) == NULL)
		goto fail;
	db_bind_cstr(st, 0, path);
	db_bind_i64(st, 1, id);
	if (exec(ctx, st) != SHOP_OK)
		goto fail;
	db_done(st);
	if ((st = prep(ctx, ST_IMAGE_ADD)) == NULL)
		goto fail;
	db_bind_i64(st, 0, id);
	db_bind_cstr(st, 1, path);
	db_bind_i64(st, 2, id);
	if (exec(ctx, st) != SHOP_OK)
		goto fail;
	db_done(st);
	return db_tx_end(ctx->db, 1) == -1 ? SHOP_EDB : SHOP_OK;
fail:
	db_tx_end(ctx->db, 0);
	return rc;
}

int
catalog_category_create(struct shop_ctx *ctx, struct str slug,
    struct str name, int64_t parent_id, struct field_errors *errs,
    int64_t *id_out)
{
	struct db_stmt	*st;
	int64_t		 id;
	int		 rc;

	errs->n = 0;
	name = str_trim(name);
	slug = str_trim(slug);
	if (slug.len == 0)
		slug = slugify(ctx->a, name);
	if (name.len == 0 || !str_valid_text(name) || str_chars(name) > 200)
		add_error(errs, "name", N_("A name has 1 to 200 characters."));
	if (!catalog_slug_valid(slug) || slug.len > 80)
		add_error(errs, "slug", N_("Use 1 to 80 lower-case letters, "
		    "digits and hyphens."));
	if (parent_id) {
		if ((rc = row_exists(ctx, ST_CATEGORY_EXISTS, parent_id)) == -1)
			return SHOP_EDB;
		if (rc == 0)
			add_error(errs, "parent_id",
			    N_("Choose a category of this shop."));
	}
	if (errs->n)
		return SHOP_EINVAL;
	if (db_tx_begin(ctx->db) == -1)
		return SHOP_EDB;
	rc = SHOP_EDB;
	if ((st = prep(ctx, ST_CATEGORY_INSERT)) == NULL)
		goto fail;
	if (parent_id)
		db_bind_i64(st, 0, parent_id);
	else
		db_bind_null(st, 0);
	db_bind_str(st, 1, slug);
	db_bind_i64(st, 2, 0);
	if (db_exec(st, ctx->a) == -1) {
		if (db_errclass(ctx->db) == DB_EDUP) {
			add_error(errs, "slug",
			    N_("Another category already uses this slug."));
			rc = SHOP_ECONFLICT;
		}
		goto fail;
	}
	id = (int64_t)db_insert_id(st);
	db_done(st);
	if ((st = prep(ctx, ST_CATEGORY_TEXT_INSERT)) == NULL)
		goto fail;
	db_bind_i64(st, 0, id);
	db_bind_cstr(st, 1, ctx->locale);
	db_bind_str(st, 2, name);
	if (exec(ctx, st) != SHOP_OK)
		goto fail;
	db_done(st);
	if (db_tx_end(ctx->db, 1) == -1)
		return SHOP_EDB;
	categories_changed();
	if (id_out)
		*id_out = id;
	return SHOP_OK;
fail:
	db_tx_end(ctx->db, 0);
	return rc;
}

int
catalog_variant_add(struct shop_ctx *ctx, int64_t product_id,
    const char *name, int64_t price, int64_t stock)
{
	struct db_stmt *st = prep(ctx, ST_VARIANT_ADD);

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
	if (exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

int
catalog_category_set_name(struct shop_ctx *ctx, int64_t id,
    const char *locale, struct str name)
{
	struct db_stmt *st = prep(ctx, ST_CATEGORY_TEXT_INSERT);

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	db_bind_cstr(st, 1, locale);
	db_bind_str(st, 2, name);
	if (exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	categories_changed();
	return SHOP_OK;
}

int
catalog_count(struct shop_ctx *ctx, int64_t *n)
{
	struct db_stmt	*st = prep(ctx, ST_COUNT);
	int		 rc;

	*n = 0;
	if (st == NULL || exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		*n = db_col_i64(st, 0);
	db_done(st);
	return rc == 1 ? SHOP_OK : SHOP_EDB;
}
