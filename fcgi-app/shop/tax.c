/* tax.c: a shop's tax rates and the rate of a class for an address
 * (see tax.h). */
#include "core/common.h"
#include "core/country.h"
#include "core/i18n.h"
#include "db/db.h"
#include "shop/postcode.h"
#include "shop/selling.h"
#include "shop/shop.h"
#include "shop/tax.h"

static const char *const class_names[TAX__MAX] = {
	[TAX_STANDARD] = "standard",
	[TAX_REDUCED] = "reduced",
	[TAX_ZERO] = "zero",
};

const char *
tax_class_name(enum tax_class c)
{
	return (unsigned)c < TAX__MAX ? class_names[c] : "standard";
}

int
tax_class_parse(struct str s, enum tax_class *out)
{
	int	i = str_index(s, class_names, TAX__MAX);

	if (i < 0)
		return -1;
	*out = (enum tax_class)i;
	return 0;
}

enum stmt {
	ST_LIST,
	ST_GET,
	ST_INSERT,
	ST_UPDATE,
	ST_DELETE,
	ST__MAX
};

#define COLS "id, class, country, region, postcodes, rate, name, shipping," \
	" position"

static const struct shop_sql sql[ST__MAX] = {
	[ST_LIST] = { "tax.list",
	    "SELECT " COLS " FROM {p}tax_rates"
	    " ORDER BY country, class, position, id LIMIT 500" },
	[ST_GET] = { "tax.get",
	    "SELECT " COLS " FROM {p}tax_rates WHERE id = ?" },
	[ST_INSERT] = { "tax.insert",
	    "INSERT INTO {p}tax_rates (class, country, region, postcodes,"
	    " rate, name, shipping, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)" },
	[ST_UPDATE] = { "tax.update",
	    "UPDATE {p}tax_rates SET class = ?, country = ?, region = ?,"
	    " postcodes = ?, rate = ?, name = ?, shipping = ?, position = ?"
	    " WHERE id = ?" },
	[ST_DELETE] = { "tax.delete",
	    "DELETE FROM {p}tax_rates WHERE id = ?" },
};

static void
read_rate(struct db_stmt *st, struct tax_rate *r)
{
	enum tax_class c = TAX_STANDARD;

	r->id = db_col_i64(st, 0);
	tax_class_parse(db_col_str(st, 1), &c);
	r->tax_class = c;
	str_copy(r->country, sizeof(r->country), db_col_str(st, 2));
	r->region = db_col_str(st, 3);
	r->postcodes = db_col_str(st, 4);
	r->rate = (int32_t)db_col_i64(st, 5);
	r->name = db_col_str(st, 6);
	r->shipping = db_col_i64(st, 7) != 0;
	r->position = db_col_i64(st, 8);
}

int
tax_rates_list(struct shop_ctx *ctx, struct tax_rate **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LIST]);
	size_t		 cap = 0;
	int		 rc;

	*n = 0;
	*out = NULL;
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		read_rate(st, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
tax_rate_get(struct shop_ctx *ctx, int64_t id, struct tax_rate *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_GET]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		read_rate(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

static void
check(struct shop_ctx *ctx, struct tax_rate *r, struct field_errors *errs)
{
	r->region = str_trim(r->region);
	r->name = str_trim(r->name);
	r->postcodes = str_trim(r->postcodes);
	if ((unsigned)r->tax_class >= TAX__MAX)
		field_errors_add(errs, "tax_class", N_("Choose a tax class."));
	if (r->country[0] != '\0' && !country_valid(str_c(r->country)))
		field_errors_add(errs, "country", N_("Choose a country from "
		    "the list."));
	if (!str_valid_text(r->region) || str_chars(r->region) > 100)
		field_errors_add(errs, "region", N_("A region has at most 100 "
		    "characters."));
	else if (r->region.len > 0 && r->country[0] == '\0')
		field_errors_add(errs, "region", N_("A region needs its "
		    "country."));
	if (!postcode_list_valid(r->postcodes))
		field_errors_add(errs, "postcodes", N_("List postcodes such "
		    "as 10115, 80* or 90000...90999, separated by spaces."));
	else if (r->postcodes.len > 0 && r->country[0] == '\0')
		field_errors_add(errs, "postcodes", N_("Postcodes need their "
		    "country."));
	else
		r->postcodes = postcode_list_norm(ctx->a, r->postcodes);
	if (r->rate < 0 || r->rate > 1000000)
		field_errors_add(errs, "rate", N_("Enter a rate from 0 to "
		    "100 %, such as 19 or 7.25."));
	if (!str_valid_text(r->name) || str_chars(r->name) > TAX_NAME_MAX)
		field_errors_add(errs, "name", N_("A name has at most 100 "
		    "characters."));
	if (r->position < 0 || r->position > 1000000)
		field_errors_add(errs, "position", N_("Enter a whole number "
		    "from 0 to 1000000."));
}

static void
bind_rate(struct db_stmt *st, const struct tax_rate *r)
{
	db_bind_cstr(st, 0, tax_class_name(r->tax_class));
	db_bind_cstr(st, 1, r->country);
	db_bind_str(st, 2, r->region);
	db_bind_str(st, 3, r->postcodes);
	db_bind_i64(st, 4, r->rate);
	db_bind_str(st, 5, r->name);
	db_bind_i64(st, 6, r->shipping ? 1 : 0);
	db_bind_i64(st, 7, r->position);
}

int
tax_rate_check(struct shop_ctx *ctx, struct tax_rate *r,
    struct field_errors *errs)
{
	size_t before = errs->n;

	check(ctx, r, errs);
	return (int)(errs->n - before);
}

int
tax_rate_save(struct shop_ctx *ctx, struct tax_rate *r,
    struct field_errors *errs)
{
	struct db_stmt	*st;
	int		 rc;

	errs->n = 0;
	check(ctx, r, errs);
	if (errs->n > 0)
		return SHOP_EINVAL;
	if (r->id && (rc = shop_row_exists(ctx, &sql[ST_GET], r->id)) != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	st = shop_stmt(ctx, &sql[r->id ? ST_UPDATE : ST_INSERT]);
	if (st == NULL)
		return SHOP_EDB;
	bind_rate(st, r);
	if (r->id)
		db_bind_i64(st, 8, r->id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if (r->id == 0)
		r->id = (int64_t)db_insert_id(st);
	db_done(st);
	selling_changed(ctx);
	return SHOP_OK;
}

int
tax_rate_delete(struct shop_ctx *ctx, int64_t id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_DELETE]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_affected(st) == 1 ? SHOP_OK : SHOP_ENOTFOUND;
	db_done(st);
	if (rc == SHOP_OK)
		selling_changed(ctx);
	return rc;
}

/* How specifically r matches the address: 3 postcode, 2 region, 1
 * country, 0 any; -1 when it does not. */
static int
specificity(const struct tax_rate *r, struct str country, struct str region,
    struct str key)
{
	if (r->country[0] == '\0')
		return 0;
	if (!str_eqc(country, r->country))
		return -1;
	if (r->region.len > 0 && !str_casecmp_eq(r->region, str_trim(region)))
		return -1;
	if (r->postcodes.len > 0)
		return postcode_match(r->postcodes, key) ? 3 : -1;
	return r->region.len > 0 ? 2 : 1;
}

const struct tax_rate *
tax_rate_pick(const struct tax_rate *v, size_t n, enum tax_class c,
    struct str country, struct str region, struct str postcode_key)
{
	const struct tax_rate	*best = NULL;
	int			 bs = -1, s;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (v[i].tax_class != c)
			continue;
		s = specificity(&v[i], country, region, postcode_key);
		if (s < 0)
			continue;
		if (best == NULL || s > bs || (s == bs &&
		    (v[i].position < best->position ||
		    (v[i].position == best->position && v[i].id < best->id)))) {
			best = &v[i];
			bs = s;
		}
	}
	return best;
}

int
tax_rate_parse(struct str s, int32_t *out)
{
	int64_t	v = 0;
	size_t	i = 0, dec = 0;
	int	seen_sep = 0, digits = 0;

	s = str_trim(s);
	if (s.len > 0 && s.p[s.len - 1] == '%')
		s = str_trim((struct str){ s.p, s.len - 1 });
	if (s.len == 0 || s.len > 12)
		return -1;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if ((c == '.' || c == ',') && !seen_sep && digits > 0) {
			seen_sep = 1;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		if (seen_sep && ++dec > 4)
			return -1;
		v = v * 10 + (c - '0');
		digits++;
	}
	if (seen_sep && dec == 0)
		return -1;
	for (; dec < 4; dec++)
		v *= 10;
	if (v > 1000000)
		return -1;
	*out = (int32_t)v;
	return 0;
}

void
tax_rate_format(int32_t rate, char *buf, size_t len)
{
	int	whole = rate / 10000, frac = rate % 10000, n, digits = 4;

	while (frac != 0 && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	n = frac ? snprintf(buf, len, "%d.%0*d", whole, digits, frac) :
	    snprintf(buf, len, "%d", whole);
	if (n < 0 || (size_t)n >= len)
		str_copy(buf, len, STR("?"));
}
