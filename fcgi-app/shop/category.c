/* category.c: a shop's categories and their cache (see category.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/i18n.h"
#include "db/db.h"
#include "shop/category.h"

enum stmt {
	ST_LIST,
	ST_EXISTS,
	ST_INSERT,
	ST_TEXT_SET,
	ST_LOCK,
	ST_UNFILE,
	ST_REPARENT,
	ST_TEXTS_DELETE,
	ST_DELETE,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_LIST] = { "category.list",
	    "SELECT c.id, COALESCE(c.parent_id, 0), c.slug, "
	    "COALESCE(t.name, d.name, c.slug), c.position"
	    " FROM {p}categories c"
	    " LEFT JOIN {p}category_texts t"
	    " ON t.category_id = c.id AND t.locale = ?"
	    " LEFT JOIN {p}category_texts d"
	    " ON d.category_id = c.id AND d.locale = ?"
	    " ORDER BY COALESCE(c.parent_id, 0), c.position, c.id LIMIT 1000" },
	[ST_EXISTS] = { "category.exists",
	    "SELECT id FROM {p}categories WHERE id = ?" },
	[ST_INSERT] = { "category.insert",
	    "INSERT INTO {p}categories (parent_id, slug, position)"
	    " VALUES (?, ?, ?)" },
	[ST_TEXT_SET] = { "category.text_set",
	    "INSERT INTO {p}category_texts (category_id, locale, name)"
	    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name)" },
	[ST_LOCK] = { "category.lock",
	    "SELECT COALESCE(parent_id, 0) FROM {p}categories WHERE id = ?"
	    " FOR UPDATE" },
	[ST_UNFILE] = { "category.unfile",
	    "UPDATE {p}products SET category_id = NULL"
	    " WHERE category_id = ?" },
	[ST_REPARENT] = { "category.reparent",
	    "UPDATE {p}categories SET parent_id = NULLIF(?, 0)"
	    " WHERE parent_id = ?" },
	[ST_TEXTS_DELETE] = { "category.texts_delete",
	    "DELETE FROM {p}category_texts WHERE category_id = ?" },
	[ST_DELETE] = { "category.delete",
	    "DELETE FROM {p}categories WHERE id = ?" },
};

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
list_query(struct shop_ctx *ctx, struct category **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LIST]);
	size_t		 cap = 16;
	int		 rc;

	*n = 0;
	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, ctx->locale);
	db_bind_cstr(st, 1, ctx->default_locale);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
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
 * page. A change made through category_*() bumps the shop's generation
 * (core/cache.h), so it shows at once in every worker, and other shops'
 * entries stay; a change made elsewhere (another VM, soukctl) shows
 * within CAT_CACHE_TTL_MS.
 */
#define CAT_CACHE_SLOTS		256
#define CAT_CACHE_TTL_MS	30000

/* A cached list: the categories and, after them, their strings. */
struct cat_list {
	size_t		 n;
	struct category	 v[];
};

static struct cache *cat_cache;

void
category_cache_free(void)
{
	cache_free(cat_cache);
	cat_cache = NULL;
}

/* Copies n categories, strings included, into a (NULL: one malloc'd
 * block, freed with free()). */
static struct cat_list *
cat_copy(struct arena *a, const struct category *src, size_t n)
{
	struct cat_list	*l;
	size_t		 i, len = 0, off, head;
	char		*b;

	for (i = 0; i < n; i++)
		len += src[i].slug.len + src[i].name.len + 2;
	head = sizeof(*l) + n * sizeof(l->v[0]);
	l = a ? arena_alloc(a, head + len + 1) : xmalloc(head + len + 1);
	b = (char *)l + head;
	l->n = n;
	for (i = 0, off = 0; i < n; i++) {
		l->v[i] = src[i];
		memcpy(b + off, src[i].slug.p, src[i].slug.len);
		b[off + src[i].slug.len] = '\0';
		l->v[i].slug.p = b + off;
		off += src[i].slug.len + 1;
		memcpy(b + off, src[i].name.p, src[i].name.len);
		b[off + src[i].name.len] = '\0';
		l->v[i].name.p = b + off;
		off += src[i].name.len + 1;
	}
	return l;
}

int
category_list(struct shop_ctx *ctx, struct category **out, size_t *n)
{
	struct cat_list	*l;
	void		*v;
	int		 rc;

	if (cat_cache == NULL)
		cat_cache = cache_new(CAT_CACHE_SLOTS, free);
	if (cache_get(cat_cache, ctx->tenant, ctx->locale, &v) && v != NULL) {
		/* Arena copies: the entry may change before the request
		 * ends. */
		l = cat_copy(ctx->a, ((struct cat_list *)v)->v,
		    ((struct cat_list *)v)->n);
		*out = l->v;
		*n = l->n;
		return SHOP_OK;
	}
	if ((rc = list_query(ctx, out, n)) != SHOP_OK)
		return rc;
	cache_put(cat_cache, ctx->tenant, ctx->locale, ctx->tenant,
	    cat_copy(NULL, *out, *n), CAT_CACHE_TTL_MS);
	return SHOP_OK;
}

int
category_by_slug(struct shop_ctx *ctx, struct str slug, struct category *out)
{
	struct category	*cats;
	size_t		 n, i;
	int		 rc;

	/* From the (cached) list the page needs anyway: no round trip. */
	if ((rc = category_list(ctx, &cats, &n)) != SHOP_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (str_eq(cats[i].slug, slug)) {
			*out = cats[i];
			return SHOP_OK;
		}
	return SHOP_ENOTFOUND;
}

int
category_exists(struct shop_ctx *ctx, int64_t id)
{
	return shop_row_exists(ctx, &sql[ST_EXISTS], id);
}

static int
set_name(struct shop_ctx *ctx, int64_t id, const char *locale,
    struct str name)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[ST_TEXT_SET]);
	int		rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	db_bind_cstr(st, 1, locale);
	db_bind_str(st, 2, name);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}

struct create {
	struct str		 slug, name;
	int64_t			 parent_id;
	struct field_errors	*errs;
	int64_t			 id;
};

static int
create_tx(struct shop_ctx *ctx, void *arg)
{
	struct create	*c = arg;
	struct db_stmt	*st;
	int		 rc;

	if ((st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	if (c->parent_id)
		db_bind_i64(st, 0, c->parent_id);
	else
		db_bind_null(st, 0);
	db_bind_str(st, 1, c->slug);
	db_bind_i64(st, 2, 0);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK) {
		if (rc == SHOP_ECONFLICT)
			field_errors_add(c->errs, "slug",
			    N_("Another category already uses this slug."));
		return rc;
	}
	c->id = (int64_t)db_insert_id(st);
	db_done(st);
	/* The shop's default language, which every visitor falls back to:
	 * the admin's own language may be one the shop does not show. */
	return set_name(ctx, c->id, ctx->default_locale, c->name);
}

int
category_add(struct shop_ctx *ctx, struct str slug, struct str name,
    int64_t parent_id, struct field_errors *errs, int64_t *id_out)
{
	struct create	c;
	int		rc;

	errs->n = 0;
	name = str_trim(name);
	slug = str_trim(slug);
	if (slug.len == 0)
		slug = shop_slugify(ctx->a, name);
	if (name.len == 0 || !str_valid_text(name) || str_chars(name) > 200)
		field_errors_add(errs, "name",
		    N_("A name has 1 to 200 characters."));
	if (!shop_slug_valid(slug) || slug.len > 80)
		field_errors_add(errs, "slug", N_("Use 1 to 80 lower-case "
		    "letters, digits and hyphens."));
	if (parent_id) {
		if ((rc = category_exists(ctx, parent_id)) == -1)
			return SHOP_EDB;
		if (rc == 0)
			field_errors_add(errs, "parent_id",
			    N_("Choose a category of this shop."));
	}
	if (errs->n)
		return SHOP_EINVAL;
	memset(&c, 0, sizeof(c));
	c.slug = slug;
	c.name = name;
	c.parent_id = parent_id;
	c.errs = errs;
	if ((rc = shop_tx(ctx, create_tx, &c)) != SHOP_OK)
		return rc;
	cache_bump(ctx->tenant);
	if (id_out)
		*id_out = c.id;
	return SHOP_OK;
}

int
category_set_name(struct shop_ctx *ctx, int64_t id, const char *locale,
    struct str name)
{
	int rc = set_name(ctx, id, locale, name);

	if (rc == SHOP_OK)
		cache_bump(ctx->tenant);
	return rc;
}

/* One statement of the delete on id (and, for the children, the
 * parent they move to). */
static int
delete_step(struct shop_ctx *ctx, int which, int64_t id, int64_t parent)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[which]);
	unsigned	 i = 0;

	if (st == NULL)
		return SHOP_EDB;
	if (which == ST_REPARENT)
		db_bind_i64(st, i++, parent);
	db_bind_i64(st, i, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

static int
delete_tx(struct shop_ctx *ctx, void *arg)
{
	const int64_t	*id = arg;
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LOCK]);
	int64_t		 parent;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, *id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	parent = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((rc = delete_step(ctx, ST_UNFILE, *id, 0)) != SHOP_OK ||
	    (rc = delete_step(ctx, ST_REPARENT, *id, parent)) != SHOP_OK ||
	    (rc = delete_step(ctx, ST_TEXTS_DELETE, *id, 0)) != SHOP_OK)
		return rc;
	return delete_step(ctx, ST_DELETE, *id, 0);
}

int
category_delete(struct shop_ctx *ctx, int64_t id)
{
	int rc = shop_tx(ctx, delete_tx, &id);

	/* Products' rows changed too: one generation a shop covers the
	 * facets' copies (catalog_changed()). */
	if (rc == SHOP_OK)
		cache_bump(ctx->tenant);
	return rc;
}
