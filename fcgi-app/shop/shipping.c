/* shipping.c: a shop's shipping zones and methods, and what a cart
 * costs to ship to an address (see shipping.h). */
#include "core/common.h"
#include "core/country.h"
#include "core/i18n.h"
#include "db/db.h"
#include "shop/postcode.h"
#include "shop/shipping.h"
#include "shop/selling.h"
#include "shop/shop.h"

static const char *const kind_names[SHIP__MAX] = {
	[SHIP_FLAT] = "flat",
	[SHIP_FREE] = "free",
	[SHIP_WEIGHT] = "weight",
	[SHIP_PICKUP] = "pickup",
};

const char *
ship_kind_name(enum ship_kind k)
{
	return (unsigned)k < SHIP__MAX ? kind_names[k] : "flat";
}

int
ship_kind_parse(struct str s, enum ship_kind *out)
{
	int	i = str_index(s, kind_names, SHIP__MAX);

	if (i < 0)
		return -1;
	*out = (enum ship_kind)i;
	return 0;
}

enum stmt {
	ST_ZONES,
	ST_ZONE,
	ST_ZONE_INSERT,
	ST_ZONE_UPDATE,
	ST_ZONE_DELETE,
	ST_ZONE_METHODS_DELETE,
	ST_METHODS_ALL,
	ST_METHODS,
	ST_METHOD,
	ST_METHOD_INSERT,
	ST_METHOD_UPDATE,
	ST_METHOD_DELETE,
	ST__MAX
};

#define ZCOLS	"id, name, position, countries, regions, postcodes"
#define MCOLS	"id, zone_id, kind, name, cost, min_total, bands, position," \
	" enabled"

static const struct shop_sql sql[ST__MAX] = {
	[ST_ZONES] = { "ship.zones",
	    "SELECT " ZCOLS " FROM {p}ship_zones ORDER BY position, id"
	    " LIMIT 100" },
	[ST_ZONE] = { "ship.zone",
	    "SELECT " ZCOLS " FROM {p}ship_zones WHERE id = ?" },
	[ST_ZONE_INSERT] = { "ship.zone_insert",
	    "INSERT INTO {p}ship_zones (name, position, countries, regions,"
	    " postcodes) VALUES (?, ?, ?, ?, ?)" },
	[ST_ZONE_UPDATE] = { "ship.zone_update",
	    "UPDATE {p}ship_zones SET name = ?, position = ?, countries = ?,"
	    " regions = ?, postcodes = ? WHERE id = ?" },
	[ST_ZONE_DELETE] = { "ship.zone_delete",
	    "DELETE FROM {p}ship_zones WHERE id = ?" },
	[ST_ZONE_METHODS_DELETE] = { "ship.zone_methods_delete",
	    "DELETE FROM {p}ship_methods WHERE zone_id = ?" },
	[ST_METHODS_ALL] = { "ship.methods_all",
	    "SELECT " MCOLS " FROM {p}ship_methods"
	    " ORDER BY zone_id, position, id LIMIT 5000" }, /* 100 x 50 */
	[ST_METHODS] = { "ship.methods",
	    "SELECT " MCOLS " FROM {p}ship_methods WHERE zone_id = ?"
	    " ORDER BY position, id LIMIT 50" },
	[ST_METHOD] = { "ship.method",
	    "SELECT " MCOLS " FROM {p}ship_methods WHERE id = ?" },
	[ST_METHOD_INSERT] = { "ship.method_insert",
	    "INSERT INTO {p}ship_methods (kind, name, cost, min_total, bands,"
	    " position, enabled, zone_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)" },
	[ST_METHOD_UPDATE] = { "ship.method_update",
	    "UPDATE {p}ship_methods SET kind = ?, name = ?, cost = ?,"
	    " min_total = ?, bands = ?, position = ?, enabled = ?"
	    " WHERE id = ?" },
	[ST_METHOD_DELETE] = { "ship.method_delete",
	    "DELETE FROM {p}ship_methods WHERE id = ?" },
};

/* --- lists ----------------------------------------------------------- */

static int
is_sep(char c, int commas)
{
	return commas ? (c == ',' || c == '\n' || c == '\r') :
	    (c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n');
}

/* Regions split on commas and line breaks when the list has any (a
 * region may have spaces then), else on spaces. */
static int
list_commas(struct str s)
{
	return memchr(s.p, ',', s.len) != NULL ||
	    memchr(s.p, '\n', s.len) != NULL;
}

static struct str
next_token(struct str *rest, int commas)
{
	struct str	t;
	size_t		i = 0, j;

	while (i < rest->len && (is_sep(rest->p[i], commas) ||
	    rest->p[i] == ' ' || rest->p[i] == '\t'))
		i++;
	j = i;
	while (j < rest->len && !is_sep(rest->p[j], commas))
		j++;
	t = str_trim((struct str){ rest->p + i, j - i });
	rest->p += j;
	rest->len -= j;
	return t;
}

static int
country_token(struct str t, char out[3])
{
	if (t.len == 1 && t.p[0] == '*') {
		memcpy(out, "*", 2);
		return 1;
	}
	if (t.len != 2)
		return 0;
	out[0] = (char)(t.p[0] >= 'a' && t.p[0] <= 'z' ? t.p[0] - 32 : t.p[0]);
	out[1] = (char)(t.p[1] >= 'a' && t.p[1] <= 'z' ? t.p[1] - 32 : t.p[1]);
	out[2] = '\0';
	return country_valid((struct str){ out, 2 });
}

/* Countries normalised ("DE AT", upper case, one space) into a; -1
 * when a code is unknown or the list too long. */
static int
countries_norm(struct arena *a, struct str in, struct str *out)
{
	char		*b = arena_alloc(a, in.len + 1), cc[3];
	size_t		 n = 0;
	struct str	 t;

	if (in.len > SHIP_LIST_MAX)
		return -1;
	while ((t = next_token(&in, 0)).len > 0) {
		if (!country_token(t, cc))
			return -1;
		if (n > 0)
			b[n++] = ' ';
		memcpy(b + n, cc, strlen(cc));
		n += strlen(cc);
	}
	b[n] = '\0';
	*out = (struct str){ b, n };
	return 0;
}

/* Regions "CC:name" normalised (code upper case, joined by ", " when a
 * name has a space, else by " ") into a; -1 when malformed. */
static int
regions_norm(struct arena *a, struct str in, struct str *out)
{
	char		*b = arena_alloc(a, 2 * in.len + 1), cc[3];
	int		 commas = list_commas(in), spaced = 0, pass;
	size_t		 n;
	struct str	 t, rest;

	if (in.len > SHIP_LIST_MAX || !str_valid_text(in))
		return -1;
	rest = in;
	while ((t = next_token(&rest, commas)).len > 0) {
		if (t.len < 4 || t.p[2] != ':' ||
		    !country_token((struct str){ t.p, 2 }, cc) ||
		    cc[0] == '*' || str_chars(t) > 103)
			return -1;
		spaced |= memchr(t.p, ' ', t.len) != NULL;
	}
	for (pass = 0, n = 0, rest = in; pass == 0; pass++)
		while ((t = next_token(&rest, commas)).len > 0) {
			if (n > 0) {
				if (spaced)
					b[n++] = ',';
				b[n++] = ' ';
			}
			country_token((struct str){ t.p, 2 }, cc);
			memcpy(b + n, cc, 2);
			memcpy(b + n + 2, t.p + 2, t.len - 2);
			n += t.len;
		}
	b[n] = '\0';
	*out = (struct str){ b, n };
	return 0;
}

int
ship_zone_covers(const struct ship_zone *z, struct str country,
    struct str region, struct str postcode_key)
{
	struct str	rest, t;
	int		in = 0;

	if (country.len != 2)
		return 0;
	rest = z->countries;
	while (!in && (t = next_token(&rest, 0)).len > 0)
		in = str_eqc(t, "*") || str_eq(t, country);
	rest = z->regions;
	region = str_trim(region);
	while (!in && region.len > 0 &&
	    (t = next_token(&rest, list_commas(z->regions))).len > 0)
		in = t.len > 3 && memcmp(t.p, country.p, 2) == 0 &&
		    str_casecmp_eq((struct str){ t.p + 3, t.len - 3 }, region);
	if (!in)
		return 0;
	return z->postcodes.len == 0 ||
	    postcode_match(z->postcodes, postcode_key);
}

int
ship_method_offered(const struct ship_method *m, int64_t goods_total,
    int64_t weight_g, int64_t *cost)
{
	if (!m->enabled)
		return 0;
	switch (m->kind) {
	case SHIP_FLAT:
	case SHIP_PICKUP:
		*cost = m->cost;
		return 1;
	case SHIP_FREE:
		*cost = 0;
		return goods_total >= m->min_total;
	case SHIP_WEIGHT:
		return weight_bands_cost(m->bands, weight_g, cost) == 0;
	default:
		return 0;
	}
}

/* --- zones ----------------------------------------------------------- */

static void
read_zone(struct db_stmt *st, struct ship_zone *z)
{
	z->id = db_col_i64(st, 0);
	z->name = db_col_str(st, 1);
	z->position = db_col_i64(st, 2);
	z->countries = db_col_str(st, 3);
	z->regions = db_col_str(st, 4);
	z->postcodes = db_col_str(st, 5);
}

static void
read_method(struct db_stmt *st, struct ship_method *m)
{
	enum ship_kind k = SHIP_FLAT;

	m->id = db_col_i64(st, 0);
	m->zone_id = db_col_i64(st, 1);
	ship_kind_parse(db_col_str(st, 2), &k);
	m->kind = k;
	m->name = db_col_str(st, 3);
	m->cost = db_col_i64(st, 4);
	m->min_total = db_col_i64(st, 5);
	m->bands = db_col_str(st, 6);
	m->position = db_col_i64(st, 7);
	m->enabled = db_col_i64(st, 8) != 0;
}

/* Runs st (bound) and reads every row with rd into an arena array of
 * elements of size sz. */
static int
read_all(struct shop_ctx *ctx, struct db_stmt *st, size_t sz,
    void (*rd)(struct db_stmt *, void *), void **out, size_t *n)
{
	size_t	cap = 8;
	char	*v;
	int	rc;

	*n = 0;
	*out = NULL;
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	v = arena_alloc(ctx->a, cap * sz);
	while ((rc = db_step(st)) == 1) {
		if (*n == cap) {
			char *bigger = arena_alloc(ctx->a, 2 * cap * sz);

			memcpy(bigger, v, cap * sz);
			v = bigger;
			cap *= 2;
		}
		rd(st, v + (*n)++ * sz);
	}
	db_done(st);
	*out = v;
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static void
rd_zone(struct db_stmt *st, void *p)
{
	read_zone(st, p);
}

static void
rd_method(struct db_stmt *st, void *p)
{
	read_method(st, p);
}

int
ship_zones_list(struct shop_ctx *ctx, struct ship_zone **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_ZONES]);
	void		*v;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	rc = read_all(ctx, st, sizeof(**out), rd_zone, &v, n);
	*out = v;
	return rc;
}

/* One row by id through q into out with rd. */
static int
get_one(struct shop_ctx *ctx, const struct shop_sql *q, int64_t id,
    void (*rd)(struct db_stmt *, void *), void *out)
{
	struct db_stmt	*st = shop_stmt(ctx, q);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		rd(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
ship_zone_get(struct shop_ctx *ctx, int64_t id, struct ship_zone *out)
{
	return get_one(ctx, &sql[ST_ZONE], id, rd_zone, out);
}

static int
name_ok(struct str s, int required)
{
	return str_valid_text(s) && str_chars(s) <= SHIP_NAME_MAX &&
	    (!required || s.len > 0);
}

static void
zone_check(struct shop_ctx *ctx, struct ship_zone *z,
    struct field_errors *errs)
{
	z->name = str_trim(z->name);
	z->postcodes = str_trim(z->postcodes);
	if (!name_ok(z->name, 1))
		field_errors_add(errs, "name", N_("Enter a name of at most "
		    "200 characters."));
	if (countries_norm(ctx->a, z->countries, &z->countries) == -1)
		field_errors_add(errs, "countries", N_("List country codes "
		    "such as DE AT FR, or * for every country."));
	if (regions_norm(ctx->a, z->regions, &z->regions) == -1)
		field_errors_add(errs, "regions", N_("List regions as country "
		    "code and region, such as US:CA US:NY."));
	else if (z->countries.len == 0 && z->regions.len == 0)
		field_errors_add(errs, "countries", N_("A zone covers at least "
		    "one country or region."));
	if (!postcode_list_valid(z->postcodes))
		field_errors_add(errs, "postcodes", N_("List postcodes such "
		    "as 10115, 80* or 90000...90999, separated by spaces."));
	else
		z->postcodes = postcode_list_norm(ctx->a, z->postcodes);
	if (z->position < 0 || z->position > 1000000)
		field_errors_add(errs, "position", N_("Enter a whole number "
		    "from 0 to 1000000."));
}

int
ship_zone_check(struct shop_ctx *ctx, struct ship_zone *z,
    struct field_errors *errs)
{
	size_t before = errs->n;

	zone_check(ctx, z, errs);
	return (int)(errs->n - before);
}

int
ship_zone_save(struct shop_ctx *ctx, struct ship_zone *z,
    struct field_errors *errs)
{
	struct db_stmt	*st;
	struct ship_zone *all;
	size_t		 n;
	int		 rc;

	errs->n = 0;
	zone_check(ctx, z, errs);
	if (errs->n > 0)
		return SHOP_EINVAL;
	if (z->id && (rc = shop_row_exists(ctx, &sql[ST_ZONE], z->id)) != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if (z->id == 0) {
		if ((rc = ship_zones_list(ctx, &all, &n)) != SHOP_OK)
			return rc;
		if (n >= SHIP_ZONES_MAX) {
			field_errors_add(errs, "name", N_("A shop has at most "
			    "100 shipping zones."));
			return SHOP_EINVAL;
		}
	}
	st = shop_stmt(ctx, &sql[z->id ? ST_ZONE_UPDATE : ST_ZONE_INSERT]);
	if (st == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, z->name);
	db_bind_i64(st, 1, z->position);
	db_bind_str(st, 2, z->countries);
	db_bind_str(st, 3, z->regions);
	db_bind_str(st, 4, z->postcodes);
	if (z->id)
		db_bind_i64(st, 5, z->id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if (z->id == 0)
		z->id = (int64_t)db_insert_id(st);
	db_done(st);
	selling_changed(ctx);
	return SHOP_OK;
}

static int
delete_by(struct shop_ctx *ctx, enum stmt q, int64_t id, uint64_t *n)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[q]);

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	*n = db_affected(st);
	db_done(st);
	return SHOP_OK;
}

static int
zone_delete_tx(struct shop_ctx *ctx, void *arg)
{
	int64_t		id = *(int64_t *)arg;
	uint64_t	n;
	int		rc;

	if ((rc = delete_by(ctx, ST_ZONE_DELETE, id, &n)) != SHOP_OK)
		return rc;
	if (n == 0)
		return SHOP_ENOTFOUND;
	return delete_by(ctx, ST_ZONE_METHODS_DELETE, id, &n);
}

int
ship_zone_delete(struct shop_ctx *ctx, int64_t id)
{
	int rc;

	if ((rc = shop_tx(ctx, zone_delete_tx, &id)) == SHOP_OK)
		selling_changed(ctx);
	return rc;
}

/* --- methods --------------------------------------------------------- */

/* The methods ST_METHODS (of zone_id) or ST_METHODS_ALL reads. */
static int
methods(struct shop_ctx *ctx, enum stmt q, int64_t zone_id,
    struct ship_method **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	void		*v;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	if (q == ST_METHODS)
		db_bind_i64(st, 0, zone_id);
	rc = read_all(ctx, st, sizeof(**out), rd_method, &v, n);
	*out = v;
	return rc;
}

int
ship_methods_list(struct shop_ctx *ctx, int64_t zone_id,
    struct ship_method **out, size_t *n)
{
	return methods(ctx, ST_METHODS, zone_id, out, n);
}

int
ship_methods_all(struct shop_ctx *ctx, struct ship_method **out, size_t *n)
{
	return methods(ctx, ST_METHODS_ALL, 0, out, n);
}

int
ship_method_get(struct shop_ctx *ctx, int64_t id, struct ship_method *out)
{
	return get_one(ctx, &sql[ST_METHOD], id, rd_method, out);
}

static void
method_check(struct ship_method *m, struct field_errors *errs)
{
	struct weight_band b[WEIGHT_BANDS_MAX];

	m->name = str_trim(m->name);
	m->bands = str_trim(m->bands);
	if ((unsigned)m->kind >= SHIP__MAX)
		field_errors_add(errs, "kind", N_("Choose a kind of "
		    "shipping."));
	if (!name_ok(m->name, 0))
		field_errors_add(errs, "name", N_("Enter a name of at most "
		    "200 characters."));
	if (m->cost < 0 || m->cost > SHIP_AMOUNT_MAX)
		field_errors_add(errs, "cost", N_("Enter an amount of 0 or "
		    "more, under ten million."));
	if (m->min_total < 0 || m->min_total > SHIP_AMOUNT_MAX)
		field_errors_add(errs, "min_total", N_("Enter an amount of 0 "
		    "or more, under ten million."));
	if (m->kind == SHIP_WEIGHT && (!str_is_ascii(m->bands) ||
	    m->bands.len > 1000 ||
	    weight_bands_parse(m->bands, b, WEIGHT_BANDS_MAX) < 0))
		field_errors_add(errs, "bands", N_("Write bands as grams:cost "
		    "in ascending weight, such as 1000:490 5000:990 *:1990."));
	if (m->kind != SHIP_WEIGHT)
		m->bands = STR("");
	if (m->position < 0 || m->position > 1000000)
		field_errors_add(errs, "position", N_("Enter a whole number "
		    "from 0 to 1000000."));
}

int
ship_method_check(struct ship_method *m, struct field_errors *errs)
{
	size_t before = errs->n;

	method_check(m, errs);
	return (int)(errs->n - before);
}

int
ship_method_save(struct shop_ctx *ctx, struct ship_method *m,
    struct field_errors *errs)
{
	struct db_stmt	*st;
	int		 rc;

	errs->n = 0;
	method_check(m, errs);
	if (errs->n > 0)
		return SHOP_EINVAL;
	if (m->id)
		rc = shop_row_exists(ctx, &sql[ST_METHOD], m->id);
	else
		rc = shop_row_exists(ctx, &sql[ST_ZONE], m->zone_id);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if (m->id == 0) {
		struct ship_method	*all;
		size_t			 n;

		/* The list reads SHIP_METHODS_MAX: one more would not show. */
		if ((rc = ship_methods_list(ctx, m->zone_id, &all, &n)) !=
		    SHOP_OK)
			return rc;
		if (n >= SHIP_METHODS_MAX) {
			field_errors_add(errs, "kind", N_("A zone has at most "
			    "50 shipping methods."));
			return SHOP_EINVAL;
		}
	}
	st = shop_stmt(ctx, &sql[m->id ? ST_METHOD_UPDATE : ST_METHOD_INSERT]);
	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, ship_kind_name(m->kind));
	db_bind_str(st, 1, m->name);
	db_bind_i64(st, 2, m->cost);
	db_bind_i64(st, 3, m->min_total);
	db_bind_str(st, 4, m->bands);
	db_bind_i64(st, 5, m->position);
	db_bind_i64(st, 6, m->enabled ? 1 : 0);
	db_bind_i64(st, 7, m->id ? m->id : m->zone_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if (m->id == 0)
		m->id = (int64_t)db_insert_id(st);
	db_done(st);
	selling_changed(ctx);
	return SHOP_OK;
}

int
ship_method_delete(struct shop_ctx *ctx, int64_t id)
{
	uint64_t	n;
	int		rc;

	if ((rc = delete_by(ctx, ST_METHOD_DELETE, id, &n)) != SHOP_OK)
		return rc;
	if (n != 1)
		return SHOP_ENOTFOUND;
	selling_changed(ctx);
	return SHOP_OK;
}
