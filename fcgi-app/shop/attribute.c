/* attribute.c: attributes, values and variants (see attribute.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "core/money.h"
#include "db/db.h"
#include "shop/attribute.h"
#include "shop/sale.h"

/* A variant's name from its values: the default language's names in
 * the attributes' order (the column holds 120 characters). */
#define NAME_OF_VALUES \
	"SELECT vv.variant_id, LEFT(GROUP_CONCAT(COALESCE(t.name, a.slug)" \
	" ORDER BY par.position, par.id SEPARATOR ' / '), 120) n" \
	" FROM {p}variant_values vv" \
	" JOIN {p}attributes a ON a.id = vv.value_id" \
	" JOIN {p}attributes par ON par.id = a.parent_id" \
	" LEFT JOIN {p}attribute_texts t" \
	" ON t.attribute_id = a.id AND t.locale = ?"

enum stmt {
	ST_LIST,
	ST_GET,
	ST_TEXTS,
	ST_INSERT,
	ST_UPDATE,
	ST_NEXT_POS,
	ST_TEXT_SET,
	ST_TEXT_DELETE,
	ST_IN_USE,
	ST_DEL_PVALUES,
	ST_DEL_TEXTS,
	ST_DEL,
	ST_RENAME_BY_VALUE,
	ST_RENAME_BY_PRODUCT,
	ST_RENAME_BY_ATTRIBUTE,
	ST_PRODUCT_LOCK,
	ST_VALUES,
	ST_VARIANT_SETS,
	ST_VARIANT_INSERT,
	ST_VV_INSERT,
	ST_PV_SYNC_DELETE,
	ST_PV_SYNC_INSERT,
	ST_PV_DELETE,
	ST_PV_INSERT,
	ST_PV_OF,
	ST_HAS_VARIANTS,
	ST_VARIANTS,
	ST_VARIANT_UPDATE,
	ST_VARIANT_DELETE,
	ST_VV_DELETE,
	ST_IMAGES,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_LIST] = { "attribute.list",
	    "SELECT a.id, a.parent_id, a.slug,"
	    " COALESCE(t.name, d.name, a.slug), a.position"
	    " FROM {p}attributes a"
	    " LEFT JOIN {p}attributes par ON par.id = a.parent_id"
	    " LEFT JOIN {p}attribute_texts t"
	    " ON t.attribute_id = a.id AND t.locale = ?"
	    " LEFT JOIN {p}attribute_texts d"
	    " ON d.attribute_id = a.id AND d.locale = ?"
	    " WHERE a.parent_id = 0 OR par.parent_id = 0"
	    " ORDER BY COALESCE(par.position, a.position),"
	    " COALESCE(par.id, a.id), a.parent_id <> 0, a.position, a.id"
	    " LIMIT 2000" },
	[ST_GET] = { "attribute.get",
	    "SELECT a.id, a.parent_id, a.slug,"
	    " COALESCE(t.name, d.name, a.slug), a.position"
	    " FROM {p}attributes a"
	    " LEFT JOIN {p}attribute_texts t"
	    " ON t.attribute_id = a.id AND t.locale = ?"
	    " LEFT JOIN {p}attribute_texts d"
	    " ON d.attribute_id = a.id AND d.locale = ?"
	    " WHERE a.id = ?" },
	[ST_TEXTS] = { "attribute.texts",
	    "SELECT locale, name FROM {p}attribute_texts"
	    " WHERE attribute_id = ? ORDER BY locale LIMIT 16" },
	[ST_INSERT] = { "attribute.insert",
	    "INSERT INTO {p}attributes (parent_id, slug, position)"
	    " VALUES (?, ?, ?)" },
	[ST_UPDATE] = { "attribute.update",
	    "UPDATE {p}attributes SET slug = ?, position = ? WHERE id = ?" },
	[ST_NEXT_POS] = { "attribute.next_pos",
	    "SELECT COALESCE(MAX(position), -1) + 1 FROM {p}attributes"
	    " WHERE parent_id = ?" },
	[ST_TEXT_SET] = { "attribute.text_set",
	    "INSERT INTO {p}attribute_texts (attribute_id, locale, name)"
	    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name)" },
	[ST_TEXT_DELETE] = { "attribute.text_delete",
	    "DELETE FROM {p}attribute_texts"
	    " WHERE attribute_id = ? AND locale = ?" },
	[ST_IN_USE] = { "attribute.in_use",
	    "SELECT 1 FROM {p}variant_values vv"
	    " JOIN {p}attributes a ON a.id = vv.value_id"
	    " WHERE a.id = ? OR a.parent_id = ? LIMIT 1" },
	[ST_DEL_PVALUES] = { "attribute.del_pvalues",
	    "DELETE pv FROM {p}product_values pv"
	    " JOIN {p}attributes a ON a.id = pv.value_id"
	    " WHERE a.id = ? OR a.parent_id = ?" },
	[ST_DEL_TEXTS] = { "attribute.del_texts",
	    "DELETE t FROM {p}attribute_texts t"
	    " JOIN {p}attributes a ON a.id = t.attribute_id"
	    " WHERE a.id = ? OR a.parent_id = ?" },
	[ST_DEL] = { "attribute.del",
	    "DELETE FROM {p}attributes WHERE id = ? OR parent_id = ?" },
	[ST_RENAME_BY_VALUE] = { "attribute.rename_by_value",
	    "UPDATE {p}variants v JOIN (" NAME_OF_VALUES
	    " WHERE vv.variant_id IN (SELECT variant_id"
	    " FROM {p}variant_values WHERE value_id = ?)"
	    " GROUP BY vv.variant_id) x ON x.variant_id = v.id"
	    " SET v.name = x.n" },
	[ST_RENAME_BY_PRODUCT] = { "attribute.rename_by_product",
	    "UPDATE {p}variants v JOIN (" NAME_OF_VALUES
	    " WHERE vv.variant_id IN (SELECT id FROM {p}variants"
	    " WHERE product_id = ?)"
	    " GROUP BY vv.variant_id) x ON x.variant_id = v.id"
	    " SET v.name = x.n" },
	/* An attribute moved: its values' variants order their names
	 * anew. */
	[ST_RENAME_BY_ATTRIBUTE] = { "attribute.rename_by_attribute",
	    "UPDATE {p}variants v JOIN (" NAME_OF_VALUES
	    " WHERE vv.variant_id IN (SELECT y.variant_id"
	    " FROM {p}variant_values y JOIN {p}attributes z"
	    " ON z.id = y.value_id WHERE z.parent_id = ?)"
	    " GROUP BY vv.variant_id) x ON x.variant_id = v.id"
	    " SET v.name = x.n" },
	[ST_PRODUCT_LOCK] = { "attribute.product_lock",
	    "SELECT price FROM {p}products WHERE id = ? FOR UPDATE" },
	/* Every value with its attribute: a pick is checked against these
	 * (one read, whatever the number of picks). */
	[ST_VALUES] = { "attribute.values",
	    "SELECT a.id, a.parent_id FROM {p}attributes a"
	    " JOIN {p}attributes par ON par.id = a.parent_id"
	    " WHERE par.parent_id = 0"
	    " ORDER BY par.position, par.id, a.position, a.id LIMIT 2000" },
	[ST_VARIANT_SETS] = { "attribute.variant_sets",
	    "SELECT vv.variant_id, vv.value_id FROM {p}variant_values vv"
	    " JOIN {p}variants v ON v.id = vv.variant_id"
	    " WHERE v.product_id = ? ORDER BY vv.variant_id, vv.value_id"
	    " LIMIT 10000" },
	[ST_VARIANT_INSERT] = { "attribute.variant_insert",
	    "INSERT INTO {p}variants (product_id, name, stock, position)"
	    " SELECT ?, '', 0, COALESCE(MAX(position), -1) + 1"
	    " FROM {p}variants WHERE product_id = ?" },
	[ST_VV_INSERT] = { "attribute.vv_insert",
	    "INSERT INTO {p}variant_values (variant_id, value_id)"
	    " VALUES (?, ?)" },
	/* A product with variants offers its variants' values. */
	[ST_PV_SYNC_DELETE] = { "attribute.pv_sync_delete",
	    "DELETE FROM {p}product_values WHERE product_id = ?" },
	[ST_PV_SYNC_INSERT] = { "attribute.pv_sync_insert",
	    "INSERT IGNORE INTO {p}product_values (product_id, value_id)"
	    " SELECT DISTINCT v.product_id, vv.value_id"
	    " FROM {p}variant_values vv JOIN {p}variants v"
	    " ON v.id = vv.variant_id WHERE v.product_id = ?" },
	[ST_PV_DELETE] = { "attribute.pv_delete",
	    "DELETE FROM {p}product_values WHERE product_id = ?" },
	[ST_PV_INSERT] = { "attribute.pv_insert",
	    "INSERT IGNORE INTO {p}product_values (product_id, value_id)"
	    " VALUES (?, ?)" },
	[ST_PV_OF] = { "attribute.pv_of",
	    "SELECT value_id FROM {p}product_values WHERE product_id = ?"
	    " ORDER BY value_id LIMIT 2000" },
	[ST_HAS_VARIANTS] = { "attribute.has_variants",
	    "SELECT 1 FROM {p}variants WHERE product_id = ? LIMIT 1" },
	/* The session's time zone is UTC (db.c): the stamps are UTC. */
	[ST_VARIANTS] = { "attribute.variants",
	    "SELECT id, sku, name, COALESCE(price, -1),"
	    " COALESCE(sale_price, -1),"
	    " COALESCE(UNIX_TIMESTAMP(sale_from), 0),"
	    " COALESCE(UNIX_TIMESTAMP(sale_to), 0), stock,"
	    " COALESCE(weight_g, -1), COALESCE(image_id, 0)"
	    " FROM {p}variants WHERE product_id = ?"
	    " ORDER BY position, id LIMIT 201" },
	[ST_VARIANT_UPDATE] = { "attribute.variant_update",
	    "UPDATE {p}variants SET sku = ?, price = ?, sale_price = ?,"
	    " sale_from = FROM_UNIXTIME(?), sale_to = FROM_UNIXTIME(?),"
	    " stock = ?, weight_g = ?, image_id = ?"
	    " WHERE id = ? AND product_id = ?" },
	[ST_VARIANT_DELETE] = { "attribute.variant_delete",
	    "DELETE FROM {p}variants WHERE id = ? AND product_id = ?" },
	[ST_VV_DELETE] = { "attribute.vv_delete",
	    "DELETE FROM {p}variant_values WHERE variant_id = ?" },
	[ST_IMAGES] = { "attribute.images",
	    "SELECT id, path FROM {p}images WHERE product_id = ?"
	    " ORDER BY position, id LIMIT 100" },
};

/* Runs a statement of ids (bound in order) that returns nothing. */
static int
run_ids(struct shop_ctx *ctx, enum stmt s, int64_t a, int64_t b, int nb)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[s]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, a);
	if (nb > 1)
		db_bind_i64(st, 1, b);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	db_done(st);
	return SHOP_OK;
}

static void
read_attribute(struct db_stmt *st, struct attribute *a)
{
	a->id = db_col_i64(st, 0);
	a->parent_id = db_col_i64(st, 1);
	a->slug = db_col_str(st, 2);
	a->name = db_col_str(st, 3);
	a->position = db_col_i64(st, 4);
}

int
attribute_list(struct shop_ctx *ctx, struct attribute **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LIST]);
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, ctx->locale);
	db_bind_cstr(st, 1, ctx->default_locale);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		read_attribute(st, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
attribute_get(struct shop_ctx *ctx, int64_t id, struct attribute *out,
    struct attribute_text **texts, size_t *ntexts)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_GET]);
	int		 rc;

	*texts = arena_calloc(ctx->a, 16, sizeof(**texts));
	*ntexts = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, ctx->locale);
	db_bind_cstr(st, 1, ctx->default_locale);
	db_bind_i64(st, 2, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		read_attribute(st, out);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_TEXTS])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1 && *ntexts < 16) {
		struct attribute_text *t = &(*texts)[(*ntexts)++];

		str_copy(t->locale, sizeof(t->locale), db_col_str(st, 0));
		t->name = db_col_str(st, 1);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* --- attribute_save ----------------------------------------------------- */

struct save {
	int64_t				 id, parent_id;
	const struct attribute_input	*in;
	struct str			 slug;
	int64_t				 position;	/* -1: last/kept */
	struct field_errors		*errs;
	int64_t				 new_id;
};

static int
validate(struct shop_ctx *ctx, struct save *s)
{
	const struct attribute_input	*in = s->in;
	const struct attribute_text	*def = NULL;
	size_t				 i;

	for (i = 0; i < in->ntexts; i++) {
		const struct attribute_text *t = &in->texts[i];

		if (strcmp(t->locale, ctx->default_locale) == 0)
			def = t;
		if (!str_valid_text(t->name) ||
		    str_chars(str_trim(t->name)) > 200)
			field_errors_add(s->errs, "name",
			    N_("A name has at most 200 characters."));
	}
	if (s->id == 0 && (def == NULL || str_trim(def->name).len == 0))
		field_errors_add(s->errs, "name",
		    N_("A name in the shop's default language is required."));
	if (s->id != 0 && def != NULL && str_trim(def->name).len == 0)
		field_errors_add(s->errs, "name",
		    N_("A name in the shop's default language is required."));
	s->slug = str_trim(in->slug);
	if (s->slug.len == 0 && def != NULL)
		s->slug = shop_slugify(ctx->a, str_trim(def->name));
	if (s->slug.len != 0 && !shop_slug_valid(s->slug))
		field_errors_add(s->errs, "slug", N_("Use 1 to 120 lower-case "
		    "letters, digits and hyphens."));
	if (s->slug.len == 0 && s->id == 0)
		field_errors_add(s->errs, "slug", N_("Use 1 to 120 lower-case "
		    "letters, digits and hyphens."));
	s->position = -1;
	if (str_trim(in->position).len &&
	    str_to_i64(str_trim(in->position), 0, 100000, &s->position) == -1)
		field_errors_add(s->errs, "position",
		    N_("Enter a position from 0 to 100000."));
	return s->errs->n ? SHOP_EINVAL : SHOP_OK;
}

static int
save_texts(struct shop_ctx *ctx, int64_t id, const struct attribute_input *in)
{
	size_t i;

	for (i = 0; i < in->ntexts; i++) {
		struct str	 name = str_trim(in->texts[i].name);
		struct db_stmt	*st = shop_stmt(ctx, &sql[name.len ?
		    ST_TEXT_SET : ST_TEXT_DELETE]);

		if (st == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, id);
		db_bind_cstr(st, 1, in->texts[i].locale);
		if (name.len)
			db_bind_str(st, 2, name);
		if (shop_exec(ctx, st) != SHOP_OK)
			return SHOP_EDB;
		db_done(st);
	}
	return SHOP_OK;
}

static int
save_tx(struct shop_ctx *ctx, void *arg)
{
	struct save	*s = arg;
	struct attribute cur;
	struct db_stmt	*st;
	int64_t		 pos = s->position;
	int		 rc;

	if (s->id) {
		struct attribute_text	*t;
		size_t			 nt;

		if ((rc = attribute_get(ctx, s->id, &cur, &t, &nt)) != SHOP_OK)
			return rc;
		if (pos < 0)
			pos = cur.position;
		if (s->slug.len == 0)
			s->slug = cur.slug;
	} else {
		if (s->parent_id) {
			struct attribute_text	*t;
			size_t			 nt;

			rc = attribute_get(ctx, s->parent_id, &cur, &t, &nt);
			if (rc == SHOP_ENOTFOUND || (rc == SHOP_OK &&
			    cur.parent_id != 0)) {
				field_errors_add(s->errs, "parent_id",
				    N_("Choose an attribute of this shop."));
				return SHOP_EINVAL;
			}
			if (rc != SHOP_OK)
				return rc;
		}
		if (pos < 0) {
			if ((st = shop_stmt(ctx, &sql[ST_NEXT_POS])) == NULL)
				return SHOP_EDB;
			db_bind_i64(st, 0, s->parent_id);
			if ((rc = shop_exec(ctx, st)) != SHOP_OK)
				return rc;
			if ((rc = db_step(st)) == 1)
				pos = db_col_i64(st, 0);
			db_done(st);
			if (rc != 1)
				return SHOP_EDB;
		}
	}
	st = shop_stmt(ctx, &sql[s->id ? ST_UPDATE : ST_INSERT]);
	if (st == NULL)
		return SHOP_EDB;
	if (s->id) {
		db_bind_str(st, 0, s->slug);
		db_bind_i64(st, 1, pos);
		db_bind_i64(st, 2, s->id);
	} else {
		db_bind_i64(st, 0, s->parent_id);
		db_bind_str(st, 1, s->slug);
		db_bind_i64(st, 2, pos);
	}
	if ((rc = shop_exec(ctx, st)) != SHOP_OK) {
		if (rc == SHOP_ECONFLICT)
			field_errors_add(s->errs, "slug", s->parent_id ||
			    (s->id && cur.parent_id) ?
			    N_("This attribute has a value with this slug.") :
			    N_("Another attribute already uses this slug."));
		return rc;
	}
	s->new_id = s->id ? s->id : (int64_t)db_insert_id(st);
	db_done(st);
	if ((rc = save_texts(ctx, s->new_id, s->in)) != SHOP_OK)
		return rc;
	/* A value's new name is its variants' new name; an attribute's
	 * new position orders their names anew. */
	if (s->id == 0)
		return SHOP_OK;
	{
		if ((st = shop_stmt(ctx, &sql[cur.parent_id ?
		    ST_RENAME_BY_VALUE : ST_RENAME_BY_ATTRIBUTE])) == NULL)
			return SHOP_EDB;
		db_bind_cstr(st, 0, ctx->default_locale);
		db_bind_i64(st, 1, s->id);
		if ((rc = shop_exec(ctx, st)) != SHOP_OK)
			return rc;
		db_done(st);
	}
	return SHOP_OK;
}

int
attribute_save(struct shop_ctx *ctx, int64_t id, int64_t parent_id,
    const struct attribute_input *in, struct field_errors *errs,
    int64_t *id_out)
{
	struct save	s = { id, id ? 0 : parent_id, in, { NULL, 0 }, -1,
			    errs, 0 };
	int		rc;

	errs->n = 0;
	if ((rc = validate(ctx, &s)) != SHOP_OK)
		return rc;
	if ((rc = shop_tx(ctx, save_tx, &s)) != SHOP_OK)
		return rc;
	if (id_out)
		*id_out = s.new_id;
	return SHOP_OK;
}

static int
delete_tx(struct shop_ctx *ctx, void *arg)
{
	static const enum stmt steps[] = {
		ST_DEL_PVALUES, ST_DEL_TEXTS, ST_DEL
	};
	const int64_t	*id = arg;
	struct db_stmt	*st;
	size_t		 i;
	int		 rc;

	if ((st = shop_stmt(ctx, &sql[ST_IN_USE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, *id);
	db_bind_i64(st, 1, *id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (rc == 1)
		return SHOP_ECONFLICT;
	for (i = 0; i < NELEM(steps); i++) {
		if ((st = shop_stmt(ctx, &sql[steps[i]])) == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, *id);
		db_bind_i64(st, 1, *id);
		if (shop_exec(ctx, st) != SHOP_OK)
			return SHOP_EDB;
		if (steps[i] == ST_DEL && db_affected(st) == 0) {
			db_done(st);
			return SHOP_ENOTFOUND;
		}
		db_done(st);
	}
	return SHOP_OK;
}

int
attribute_delete(struct shop_ctx *ctx, int64_t id)
{
	if (id <= 0)
		return SHOP_ENOTFOUND;
	return shop_tx(ctx, delete_tx, &id);
}

/* --- variants ----------------------------------------------------------- */

/* Locks product id; its price into *price. */
static int
product_lock(struct shop_ctx *ctx, int64_t id, int64_t *price)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PRODUCT_LOCK]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1 && price != NULL)
		*price = db_col_i64(st, 0);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

/* Product id offers its variants' values (the header's invariant);
 * flags (enum attribute_sync) spare what the caller knows is not
 * needed. */
static int
sync_values(struct shop_ctx *ctx, int64_t id, unsigned flags)
{
	struct db_stmt	*st;
	int		 rc;

	if (!(flags & ATTRIBUTE_SYNC_NEW) &&
	    (rc = run_ids(ctx, ST_PV_SYNC_DELETE, id, 0, 1)) != SHOP_OK)
		return rc;
	if ((rc = run_ids(ctx, ST_PV_SYNC_INSERT, id, 0, 1)) != SHOP_OK)
		return rc;
	if (flags & ATTRIBUTE_SYNC_NAMED)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_RENAME_BY_PRODUCT])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, ctx->default_locale);
	db_bind_i64(st, 1, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	db_done(st);
	return SHOP_OK;
}

static int
sync_product_values(struct shop_ctx *ctx, int64_t id)
{
	return sync_values(ctx, id, 0);
}

int
attribute_sync_product(struct shop_ctx *ctx, int64_t product_id,
    unsigned flags)
{
	return sync_values(ctx, product_id, flags);
}

/*
 * The picks checked against the shop's values, as groups: out[i] the
 * value ids of the i-th attribute picked, in the shop's order, no
 * value twice. SHOP_EINVAL with an error on "values".
 */
struct group {
	int64_t		 attribute_id;
	int64_t		*v;
	size_t		 n;
};

static int
group_picks(struct shop_ctx *ctx, const struct attribute_pick *picks,
    size_t npicks, struct field_errors *errs, struct group **out,
    size_t *ngroups)
{
	struct db_stmt	*st;
	struct value	{ int64_t id, parent; } *vs = NULL;
	size_t		 nv = 0, cap = 0, i, j, k;
	int		 rc;
	char		*taken;

	*out = NULL;
	*ngroups = 0;
	if (npicks == 0 || npicks > ATTRIBUTE_MAX_PICKS) {
		field_errors_add(errs, "values", npicks ?
		    N_("Choose at most 64 values at once.") :
		    N_("Choose at least one value."));
		return SHOP_EINVAL;
	}
	if ((st = shop_stmt(ctx, &sql[ST_VALUES])) == NULL)
		return SHOP_EDB;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		vs = shop_grow(ctx->a, vs, sizeof(*vs), nv, &cap);
		vs[nv].id = db_col_i64(st, 0);
		vs[nv++].parent = db_col_i64(st, 1);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < npicks; i++) {
		for (j = 0; j < nv; j++)
			if (vs[j].id == picks[i].value_id)
				break;
		if (j == nv) {
			field_errors_add(errs, "values",
			    N_("Choose values of this shop's attributes."));
			return SHOP_EINVAL;
		}
		if (vs[j].parent != picks[i].attribute_id) {
			field_errors_add(errs, "values",
			    N_("A value was sent under another attribute."));
			return SHOP_EINVAL;
		}
	}
	/* In the shop's order: attributes, then values. */
	taken = arena_calloc(ctx->a, nv ? nv : 1, 1);
	*out = arena_calloc(ctx->a, npicks, sizeof(**out));
	for (j = 0; j < nv; j++) {
		for (i = 0; i < npicks; i++)
			if (picks[i].value_id == vs[j].id)
				break;
		if (i == npicks || taken[j])
			continue;
		taken[j] = 1;
		for (k = 0; k < *ngroups; k++)
			if ((*out)[k].attribute_id == vs[j].parent)
				break;
		if (k == *ngroups) {
			(*out)[k].attribute_id = vs[j].parent;
			(*out)[k].v = arena_calloc(ctx->a, npicks,
			    sizeof(int64_t));
			(*ngroups)++;
		}
		(*out)[k].v[(*out)[k].n++] = vs[j].id;
	}
	return SHOP_OK;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

struct generate {
	int64_t				 product_id;
	const struct attribute_pick	*picks;
	size_t				 npicks;
	struct field_errors		*errs;
	size_t				 created;
};

/* The value sets of the product's variants, each sorted, as one flat
 * array: sets[i] of lengths lens[i]. */
struct sets {
	int64_t		*ids;
	size_t		*off, *len;
	size_t		 n;
};

static int
read_sets(struct shop_ctx *ctx, int64_t product_id, struct sets *s)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_VARIANT_SETS]);
	size_t		 cap = 0, cap_o = 0, cap_l = 0, nid = 0;
	int64_t		 last = 0;
	int		 rc;

	memset(s, 0, sizeof(*s));
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, product_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		int64_t vid = db_col_i64(st, 0);

		if (s->n == 0 || vid != last) {
			s->off = shop_grow(ctx->a, s->off, sizeof(*s->off),
			    s->n, &cap_o);
			s->len = shop_grow(ctx->a, s->len, sizeof(*s->len),
			    s->n, &cap_l);
			s->off[s->n] = nid;
			s->len[s->n++] = 0;
			last = vid;
		}
		s->ids = shop_grow(ctx->a, s->ids, sizeof(*s->ids), nid, &cap);
		s->ids[nid++] = db_col_i64(st, 1);
		s->len[s->n - 1]++;
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
have_set(const struct sets *s, const int64_t *combo, size_t n)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->len[i] == n && memcmp(&s->ids[s->off[i]], combo,
		    n * sizeof(*combo)) == 0)
			return 1;
	return 0;
}

static int
insert_variant(struct shop_ctx *ctx, int64_t product_id,
    const int64_t *combo, size_t n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_VARIANT_INSERT]);
	int64_t		 id;
	size_t		 i;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, product_id);
	db_bind_i64(st, 1, product_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	id = (int64_t)db_insert_id(st);
	db_done(st);
	for (i = 0; i < n; i++)
		if ((rc = run_ids(ctx, ST_VV_INSERT, id, combo[i], 2)) !=
		    SHOP_OK)
			return rc;
	return SHOP_OK;
}

static int
generate_tx(struct shop_ctx *ctx, void *arg)
{
	struct generate	*g = arg;
	struct group	*gr;
	struct sets	 have;
	size_t		 ng, i, total = 1, *idx;
	int64_t		*combo, *sorted;
	int		 rc;

	g->created = 0;
	if ((rc = product_lock(ctx, g->product_id, NULL)) != SHOP_OK)
		return rc;
	if ((rc = group_picks(ctx, g->picks, g->npicks, g->errs, &gr, &ng)) !=
	    SHOP_OK)
		return rc;
	if ((rc = read_sets(ctx, g->product_id, &have)) != SHOP_OK)
		return rc;
	for (i = 0; i < ng; i++) {
		total *= gr[i].n;
		if (total + have.n > ATTRIBUTE_MAX_VARIANTS) {
			field_errors_add(g->errs, "values",
			    N_("A product has at most 200 variants."));
			return SHOP_EINVAL;
		}
	}
	idx = arena_calloc(ctx->a, ng, sizeof(*idx));
	combo = arena_calloc(ctx->a, ng, sizeof(*combo));
	sorted = arena_calloc(ctx->a, ng, sizeof(*sorted));
	/* Every combination, as an odometer over the groups. */
	for (;;) {
		for (i = 0; i < ng; i++)
			combo[i] = sorted[i] = gr[i].v[idx[i]];
		qsort(sorted, ng, sizeof(*sorted), cmp_i64);
		if (!have_set(&have, sorted, ng)) {
			if ((rc = insert_variant(ctx, g->product_id, combo,
			    ng)) != SHOP_OK)
				return rc;
			g->created++;
		}
		for (i = ng; i-- > 0; ) {
			if (++idx[i] < gr[i].n)
				break;
			idx[i] = 0;
		}
		if (i == (size_t)-1)
			break;
	}
	return sync_product_values(ctx, g->product_id);
}

int
attribute_generate(struct shop_ctx *ctx, int64_t product_id,
    const struct attribute_pick *picks, size_t npicks,
    struct field_errors *errs, size_t *created)
{
	struct generate	g = { product_id, picks, npicks, errs, 0 };
	int		rc;

	errs->n = 0;
	*created = 0;
	if ((rc = shop_tx(ctx, generate_tx, &g)) == SHOP_OK)
		*created = g.created;
	return rc;
}

struct set_values {
	int64_t				 product_id;
	const struct attribute_pick	*picks;
	size_t				 npicks;
	struct field_errors		*errs;
};

static int
set_values_tx(struct shop_ctx *ctx, void *arg)
{
	struct set_values	*s = arg;
	struct group		*gr;
	size_t			 ng, i, j;
	int			 rc;

	if ((rc = product_lock(ctx, s->product_id, NULL)) != SHOP_OK)
		return rc;
	if ((rc = shop_row_exists(ctx, &sql[ST_HAS_VARIANTS],
	    s->product_id)) != 0)
		return rc == 1 ? SHOP_ECONFLICT : SHOP_EDB;
	if (s->npicks && (rc = group_picks(ctx, s->picks, s->npicks, s->errs,
	    &gr, &ng)) != SHOP_OK)
		return rc;
	if ((rc = run_ids(ctx, ST_PV_DELETE, s->product_id, 0, 1)) != SHOP_OK)
		return rc;
	for (i = 0; s->npicks && i < ng; i++)
		for (j = 0; j < gr[i].n; j++)
			if ((rc = run_ids(ctx, ST_PV_INSERT, s->product_id,
			    gr[i].v[j], 2)) != SHOP_OK)
				return rc;
	return SHOP_OK;
}

int
attribute_set_values(struct shop_ctx *ctx, int64_t product_id,
    const struct attribute_pick *picks, size_t npicks,
    struct field_errors *errs)
{
	struct set_values s = { product_id, picks, npicks, errs };

	errs->n = 0;
	return shop_tx(ctx, set_values_tx, &s);
}

/* The rows q reads for product_id into *out (*n of size bytes each,
 * at most max), each through rd. */
static int
by_product(struct shop_ctx *ctx, enum stmt q, int64_t product_id,
    size_t size, size_t max, void (*rd)(struct db_stmt *, void *),
    void **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, product_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		if (*n == max)
			continue;
		*out = shop_grow(ctx->a, *out, size, *n, &cap);
		rd(st, (char *)*out + (*n)++ * size);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static void
rd_value_id(struct db_stmt *st, void *p)
{
	*(int64_t *)p = db_col_i64(st, 0);
}

static void
rd_variant(struct db_stmt *st, void *p)
{
	struct attribute_variant *v = p;

	v->id = db_col_i64(st, 0);
	v->sku = db_col_str(st, 1);
	v->name = db_col_str(st, 2);
	v->price = db_col_i64(st, 3);
	v->sale_price = db_col_i64(st, 4);
	v->sale_from = db_col_i64(st, 5);
	v->sale_to = db_col_i64(st, 6);
	v->stock = db_col_i64(st, 7);
	v->weight_g = db_col_i64(st, 8);
	v->image_id = db_col_i64(st, 9);
}

static void
rd_image(struct db_stmt *st, void *p)
{
	struct attribute_image *im = p;

	im->id = db_col_i64(st, 0);
	im->path = db_col_str(st, 1);
}

int
attribute_product_values(struct shop_ctx *ctx, int64_t product_id,
    int64_t **out, size_t *n)
{
	void	*v;
	int	 rc = by_product(ctx, ST_PV_OF, product_id, sizeof(**out),
		    SIZE_MAX, rd_value_id, &v, n);

	*out = v;
	return rc;
}

int
attribute_variants(struct shop_ctx *ctx, int64_t product_id,
    struct attribute_variant **out, size_t *n)
{
	void	*v;
	int	 rc = by_product(ctx, ST_VARIANTS, product_id, sizeof(**out),
		    ATTRIBUTE_MAX_VARIANTS, rd_variant, &v, n);

	*out = v;
	return rc;
}

int
attribute_images(struct shop_ctx *ctx, int64_t product_id,
    struct attribute_image **out, size_t *n)
{
	void	*v;
	int	 rc = by_product(ctx, ST_IMAGES, product_id, sizeof(**out),
		    SIZE_MAX, rd_image, &v, n);

	*out = v;
	return rc;
}

/* --- attribute_variants_save ------------------------------------------ */

struct valid_variant {
	int64_t		price, sale_price, stock, weight_g, image_id;
	time_t		sale_from, sale_to;
};

static void
verr(struct shop_ctx *ctx, struct field_errors *errs, int64_t id,
    const char *field, const char *msgid)
{
	field_errors_add(errs, arena_printf(ctx->a, "v%lld_%s",
	    (long long)id, field), msgid);
}

static int
has_id(const int64_t *v, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == id)
			return 1;
	return 0;
}

static void
validate_variant(struct shop_ctx *ctx, const struct attribute_variant_input *in,
    int64_t product_price, const int64_t *images, size_t nimages,
    struct field_errors *errs, struct valid_variant *v)
{
	struct str	 t;
	const char	*msg, *field;
	int		 ok = 1;

	if (!str_valid_text(in->sku) || str_chars(str_trim(in->sku)) > 64)
		verr(ctx, errs, in->id, "sku",
		    N_("A SKU has at most 64 characters."));
	v->price = -1;
	t = str_trim(in->price);
	if (t.len && (money_parse(t, ctx->currency, &v->price) == -1 ||
	    v->price < 0 || v->price > INT64_C(100000000000000))) {
		verr(ctx, errs, in->id, "price",
		    N_("Enter a price such as 12.50, or nothing for the "
		    "product's."));
		ok = 0;
	}
	v->sale_price = -1;
	t = str_trim(in->sale_price);
	if (t.len && (money_parse(t, ctx->currency, &v->sale_price) == -1 ||
	    v->sale_price < 0)) {
		verr(ctx, errs, in->id, "sale_price",
		    N_("Enter a sale price such as 9.90, or nothing."));
		ok = 0;
	}
	t = str_trim(in->sale_from);
	if (sale_parse_time(t.p, t.len, &v->sale_from) == -1) {
		verr(ctx, errs, in->id, "sale_from",
		    N_("Enter a date such as 2026-12-24 or nothing."));
		ok = 0;
	}
	t = str_trim(in->sale_to);
	if (sale_parse_time(t.p, t.len, &v->sale_to) == -1) {
		verr(ctx, errs, in->id, "sale_to",
		    N_("Enter a date such as 2026-12-24 or nothing."));
		ok = 0;
	}
	if (ok && (msg = sale_check(v->price >= 0 ? v->price : product_price,
	    v->sale_price, v->sale_from, v->sale_to, &field)) != NULL)
		verr(ctx, errs, in->id, field, msg);
	if (str_to_i64(str_trim(in->stock), 0, 1000000000, &v->stock) == -1)
		verr(ctx, errs, in->id, "stock",
		    N_("Enter a whole number of units, 0 or more."));
	v->weight_g = -1;
	t = str_trim(in->weight_g);
	if (t.len && str_to_i64(t, 0, 1000000000, &v->weight_g) == -1)
		verr(ctx, errs, in->id, "weight_g",
		    N_("Enter a weight in grams, or nothing for the "
		    "product's."));
	v->image_id = 0;
	t = str_trim(in->image_id);
	if (t.len && (str_to_i64(t, 1, INT64_MAX, &v->image_id) == -1 ||
	    !has_id(images, nimages, v->image_id)))
		verr(ctx, errs, in->id, "image_id",
		    N_("Choose one of this product's images."));
}

struct vsave {
	int64_t					 product_id;
	const struct attribute_variant_input	*in;
	size_t					 n;
	struct field_errors			*errs;
};

static void
bind_opt(struct db_stmt *st, unsigned i, int64_t v, int64_t none)
{
	if (v == none)
		db_bind_null(st, i);
	else
		db_bind_i64(st, i, v);
}

static int
vsave_tx(struct shop_ctx *ctx, void *arg)
{
	struct vsave			*s = arg;
	struct attribute_variant	*have;
	struct attribute_image		*img;
	struct valid_variant		*vv;
	int64_t				 price, *ids, *imgs;
	size_t				 nhave, nimg, i;
	int				 rc;

	s->errs->n = 0;
	if ((rc = product_lock(ctx, s->product_id, &price)) != SHOP_OK)
		return rc;
	if ((rc = attribute_variants(ctx, s->product_id, &have, &nhave)) !=
	    SHOP_OK)
		return rc;
	if ((rc = attribute_images(ctx, s->product_id, &img, &nimg)) !=
	    SHOP_OK)
		return rc;
	ids = arena_calloc(ctx->a, nhave ? nhave : 1, sizeof(*ids));
	for (i = 0; i < nhave; i++)
		ids[i] = have[i].id;
	imgs = arena_calloc(ctx->a, nimg ? nimg : 1, sizeof(*imgs));
	for (i = 0; i < nimg; i++)
		imgs[i] = img[i].id;
	vv = arena_calloc(ctx->a, s->n ? s->n : 1, sizeof(*vv));
	for (i = 0; i < s->n; i++) {
		if (!has_id(ids, nhave, s->in[i].id))
			return SHOP_ENOTFOUND;
		validate_variant(ctx, &s->in[i], price, imgs, nimg, s->errs,
		    &vv[i]);
	}
	if (s->errs->n)
		return SHOP_EINVAL;
	for (i = 0; i < s->n; i++) {
		struct db_stmt *st = shop_stmt(ctx, &sql[ST_VARIANT_UPDATE]);

		if (st == NULL)
			return SHOP_EDB;
		db_bind_str(st, 0, str_trim(s->in[i].sku));
		bind_opt(st, 1, vv[i].price, -1);
		bind_opt(st, 2, vv[i].sale_price, -1);
		bind_opt(st, 3, vv[i].sale_from, 0);
		bind_opt(st, 4, vv[i].sale_to, 0);
		db_bind_i64(st, 5, vv[i].stock);
		bind_opt(st, 6, vv[i].weight_g, -1);
		bind_opt(st, 7, vv[i].image_id, 0);
		db_bind_i64(st, 8, s->in[i].id);
		db_bind_i64(st, 9, s->product_id);
		if ((rc = shop_exec(ctx, st)) != SHOP_OK)
			return rc;
		db_done(st);
	}
	return SHOP_OK;
}

int
attribute_variants_save(struct shop_ctx *ctx, int64_t product_id,
    const struct attribute_variant_input *in, size_t n,
    struct field_errors *errs)
{
	struct vsave s = { product_id, in, n, errs };

	errs->n = 0;
	return shop_tx(ctx, vsave_tx, &s);
}

struct vdel {
	int64_t product_id, variant_id;
};

static int
vdel_tx(struct shop_ctx *ctx, void *arg)
{
	struct vdel	*d = arg;
	struct db_stmt	*st;
	int		 rc;

	if ((rc = product_lock(ctx, d->product_id, NULL)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_VARIANT_DELETE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, d->variant_id);
	db_bind_i64(st, 1, d->product_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_affected(st) == 1 ? SHOP_OK : SHOP_ENOTFOUND;
	db_done(st);
	if (rc != SHOP_OK)
		return rc;
	if ((rc = run_ids(ctx, ST_VV_DELETE, d->variant_id, 0, 1)) != SHOP_OK)
		return rc;
	return sync_product_values(ctx, d->product_id);
}

int
attribute_variant_delete(struct shop_ctx *ctx, int64_t product_id,
    int64_t variant_id)
{
	struct vdel d = { product_id, variant_id };

	return shop_tx(ctx, vdel_tx, &d);
}
