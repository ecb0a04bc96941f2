/*
 * catalog_csv.c: WooCommerce's and Shopify's product CSV columns,
 * prices, weights and lists (see catalog_csv.h).
 */
#include "core/common.h"

#include "core/i18n.h"
#include "core/money.h"
#include "shop/catalog_csv.h"

struct column {
	const char		*name;
	int			 field;	/* -1: written, not read */
};

#define IGNORED	(-1)

/*
 * The columns each exporter writes, in its order (what souk's export
 * writes too), before the attributes. WooCommerce's weight column is
 * matched by its prefix (the unit follows); souk writes kg.
 */
static const struct column woo_cols[] = {
	{ "ID",				CATALOG_CSV_ID },
	{ "Type",			CATALOG_CSV_TYPE },
	{ "SKU",			CATALOG_CSV_SKU },
	{ "Name",			CATALOG_CSV_NAME },
	{ "Published",			CATALOG_CSV_PUBLISHED },
	{ "Is featured?",		CATALOG_CSV_FEATURED },
	{ "Visibility in catalog",	IGNORED },
	{ "Short description",		CATALOG_CSV_SHORT_DESC },
	{ "Description",		CATALOG_CSV_DESCRIPTION },
	{ "Date sale price starts",	CATALOG_CSV_SALE_FROM },
	{ "Date sale price ends",	CATALOG_CSV_SALE_TO },
	{ "Tax status",			IGNORED },
	{ "Tax class",			CATALOG_CSV_TAX_CLASS },
	{ "In stock?",			CATALOG_CSV_IN_STOCK },
	{ "Stock",			CATALOG_CSV_STOCK },
	{ "Low stock amount",		IGNORED },
	{ "Backorders allowed?",	IGNORED },
	{ "Sold individually?",		IGNORED },
	{ "Weight (kg)",		CATALOG_CSV_WEIGHT },
	{ "Length (cm)",		IGNORED },
	{ "Width (cm)",			IGNORED },
	{ "Height (cm)",		IGNORED },
	{ "Allow customer reviews?",	IGNORED },
	{ "Purchase note",		IGNORED },
	{ "Sale price",			CATALOG_CSV_SALE_PRICE },
	{ "Regular price",		CATALOG_CSV_REGULAR_PRICE },
	{ "Categories",			CATALOG_CSV_CATEGORIES },
	{ "Tags",			IGNORED },
	{ "Shipping class",		IGNORED },
	{ "Images",			CATALOG_CSV_IMAGES },
	{ "Download limit",		IGNORED },
	{ "Download expiry days",	IGNORED },
	{ "Parent",			CATALOG_CSV_PARENT },
	{ "Grouped products",		IGNORED },
	{ "Upsells",			IGNORED },
	{ "Cross-sells",		IGNORED },
	{ "External URL",		IGNORED },
	{ "Button text",		IGNORED },
	{ "Position",			CATALOG_CSV_POSITION },
};

/* Attribute N's columns, for N = 1..CATALOG_CSV_MAX_ATTRS. */
#define WOO_ATTR(n) { "Attribute " #n " name", "Attribute " #n " value(s)", \
	"Attribute " #n " visible", "Attribute " #n " global" }
static const char *const woo_attr_cols[CATALOG_CSV_MAX_ATTRS][4] = {
	WOO_ATTR(1), WOO_ATTR(2), WOO_ATTR(3), WOO_ATTR(4),
	WOO_ATTR(5), WOO_ATTR(6), WOO_ATTR(7), WOO_ATTR(8),
};

/* Shopify's options are fields apart: see option_col(). */
#define OPTION	(-2)
static const struct column shopify_cols[] = {
	{ "Handle",			CATALOG_CSV_HANDLE },
	{ "Title",			CATALOG_CSV_NAME },
	{ "Body (HTML)",		CATALOG_CSV_DESCRIPTION },
	{ "Vendor",			IGNORED },
	{ "Product Category",		IGNORED },
	{ "Type",			CATALOG_CSV_CATEGORIES },
	{ "Tags",			IGNORED },
	{ "Published",			CATALOG_CSV_PUBLISHED },
	{ "Option1 Name",		OPTION },
	{ "Option1 Value",		OPTION },
	{ "Option2 Name",		OPTION },
	{ "Option2 Value",		OPTION },
	{ "Option3 Name",		OPTION },
	{ "Option3 Value",		OPTION },
	{ "Variant SKU",		CATALOG_CSV_SKU },
	{ "Variant Grams",		CATALOG_CSV_WEIGHT },
	{ "Variant Inventory Tracker",	IGNORED },
	{ "Variant Inventory Qty",	CATALOG_CSV_STOCK },
	{ "Variant Inventory Policy",	IGNORED },
	{ "Variant Fulfillment Service", IGNORED },
	{ "Variant Price",		CATALOG_CSV_REGULAR_PRICE },
	{ "Variant Compare At Price",	CATALOG_CSV_COMPARE_AT_PRICE },
	{ "Variant Requires Shipping",	IGNORED },
	{ "Variant Taxable",		CATALOG_CSV_TAXABLE },
	{ "Variant Barcode",		IGNORED },
	{ "Image Src",			CATALOG_CSV_IMAGES },
	{ "Image Position",		CATALOG_CSV_IMAGE_POSITION },
	{ "Image Alt Text",		CATALOG_CSV_IMAGE_ALT },
	{ "Gift Card",			IGNORED },
	{ "SEO Title",			IGNORED },
	{ "SEO Description",		IGNORED },
	{ "Variant Image",		CATALOG_CSV_VARIANT_IMAGE },
	{ "Variant Weight Unit",	IGNORED },
	{ "Variant Tax Code",		IGNORED },
	{ "Cost per item",		IGNORED },
	{ "Status",			CATALOG_CSV_STATUS },
};

static const struct {
	const char		*name;
	enum catalog_csv_unit	 unit;
} woo_weights[] = {
	{ "Weight (kg)", CATALOG_CSV_KG },
	{ "Weight (g)", CATALOG_CSV_G },
	{ "Weight (lbs)", CATALOG_CSV_LBS },
	{ "Weight (oz)", CATALOG_CSV_OZ },
};

static const char *const r_unknown =
    N_("This file is neither a WooCommerce product CSV (its header needs "
    "the columns Type, SKU and Name) nor a Shopify product CSV (Handle "
    "and Title).");
static const char *const r_twice =
    N_("A column appears twice in the header row.");
static const char *const r_price =
    N_("The price is not an amount such as 12.50 (digits, then at most "
    "one decimal point and the currency's decimals).");
static const char *const r_weight =
    N_("The weight is not a number such as 0.25 (digits, then at most "
    "one decimal point and 6 decimals).");

static const char *const r_date =
    N_("The date is not a date such as 2024-05-31 or "
    "2024-05-31 13:30:00.");

const char *
catalog_csv_format_name(enum catalog_csv_format f)
{
	return f == CATALOG_CSV_SHOPIFY ? "Shopify" : "WooCommerce";
}

static int
name_is(struct str col, const char *name)
{
	return str_casecmp_eq(str_trim(col), str_c(name));
}

/* Sets *slot to i, or fails when a column already took it. */
static int
take(int *slot, int i, struct catalog_csv_map *map)
{
	if (*slot != -1) {
		map->bad_col = i;
		return -1;
	}
	*slot = i;
	return 0;
}

/* For "OptionN Name" / "OptionN Value": N - 1 and which, or -1. */
static int
option_col(struct str c, int *value)
{
	static const char *const names[CATALOG_CSV_SHOPIFY_OPTIONS][2] = {
		{ "Option1 Name", "Option1 Value" },
		{ "Option2 Name", "Option2 Value" },
		{ "Option3 Name", "Option3 Value" },
	};
	size_t	k;

	for (k = 0; k < CATALOG_CSV_SHOPIFY_OPTIONS; k++)
		for (*value = 0; *value < 2; (*value)++)
			if (name_is(c, names[k][*value]))
				return (int)k;
	return -1;
}

/* For Woo's "Attribute N name" / "Attribute N value(s)": N - 1 and
 * which, or -1 (the visible and global columns are not read). */
static int
attr_col(struct str c, int *value)
{
	size_t	k;

	for (k = 0; k < CATALOG_CSV_MAX_ATTRS; k++) {
		if (name_is(c, woo_attr_cols[k][0])) {
			*value = 0;
			return (int)k;
		}
		if (name_is(c, woo_attr_cols[k][1])) {
			*value = 1;
			return (int)k;
		}
	}
	return -1;
}

static int
has(const struct str *h, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (name_is(h[i], name))
			return 1;
	return 0;
}

static void
map_init(struct catalog_csv_map *map)
{
	size_t	i;

	memset(map, 0, sizeof(*map));
	for (i = 0; i < CATALOG_CSV__MAX; i++)
		map->col[i] = -1;
	for (i = 0; i < CATALOG_CSV_MAX_ATTRS; i++)
		map->attr_name[i] = map->attr_value[i] = -1;
	map->bad_col = -1;
}

int
catalog_csv_detect(const struct str *h, size_t n,
    struct catalog_csv_map *map, const char **reason)
{
	const struct column	*cols;
	size_t			 ncols, i, j;
	int			 k, value;

	map_init(map);
	map->ncols = n;
	if (has(h, n, "Handle") && has(h, n, "Title")) {
		map->format = CATALOG_CSV_SHOPIFY;
		map->weight_unit = CATALOG_CSV_G;
		cols = shopify_cols;
		ncols = NELEM(shopify_cols);
	} else if (has(h, n, "Type") && has(h, n, "SKU") &&
	    has(h, n, "Name")) {
		map->format = CATALOG_CSV_WOO;
		cols = woo_cols;
		ncols = NELEM(woo_cols);
	} else {
		*reason = r_unknown;
		return -1;
	}

	for (i = 0; i < n; i++) {
		int *slot = NULL;

		if (map->format == CATALOG_CSV_SHOPIFY &&
		    (k = option_col(h[i], &value)) != -1)
			slot = value ? &map->attr_value[k] :
			    &map->attr_name[k];
		else if (map->format == CATALOG_CSV_WOO &&
		    (k = attr_col(h[i], &value)) != -1)
			slot = value ? &map->attr_value[k] :
			    &map->attr_name[k];
		else if (map->format == CATALOG_CSV_WOO) {
			for (j = 0; j < NELEM(woo_weights); j++)
				if (name_is(h[i], woo_weights[j].name)) {
					map->weight_unit =
					    woo_weights[j].unit;
					slot = &map->col[CATALOG_CSV_WEIGHT];
				}
		}
		for (j = 0; slot == NULL && j < ncols; j++)
			if (cols[j].field >= 0 && name_is(h[i], cols[j].name))
				slot = &map->col[cols[j].field];
		if (slot != NULL && take(slot, (int)i, map) == -1) {
			*reason = r_twice;
			return -1;
		}
	}
	for (k = 0; k < CATALOG_CSV_MAX_ATTRS; k++)
		if (map->attr_name[k] != -1)
			map->nattrs = (size_t)k + 1;
	return 0;
}

size_t
catalog_csv_header(enum catalog_csv_format f, size_t nattrs,
    struct str *out)
{
	size_t	n = 0, i, k;

	if (f == CATALOG_CSV_SHOPIFY) {
		for (i = 0; i < NELEM(shopify_cols); i++)
			out[n++] = str_c(shopify_cols[i].name);
		return n;
	}
	for (i = 0; i < NELEM(woo_cols); i++)
		out[n++] = str_c(woo_cols[i].name);
	if (nattrs > CATALOG_CSV_MAX_ATTRS)
		nattrs = CATALOG_CSV_MAX_ATTRS;
	for (i = 0; i < nattrs; i++)
		for (k = 0; k < 4; k++)
			out[n++] = str_c(woo_attr_cols[i][k]);
	return n;
}

/* Splits s (trimmed, not empty) into digits, one separator among seps
 * and digits. Returns 0, or -1 when s is not of that shape. */
static int
decimal_shape(struct str s, const char *seps, struct str *ip,
    struct str *fp)
{
	size_t	i = 0;

	while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
		i++;
	*ip = (struct str){ s.p, i };
	*fp = (struct str){ s.p + s.len, 0 };
	if (i == 0)
		return -1;
	if (i == s.len)
		return 0;
	if (strchr(seps, s.p[i]) == NULL || i + 1 == s.len)
		return -1;
	fp->p = s.p + i + 1;
	fp->len = s.len - i - 1;
	for (i = 0; i < fp->len; i++)
		if (fp->p[i] < '0' || fp->p[i] > '9')
			return -1;
	return 0;
}

int
catalog_csv_price(enum catalog_csv_format f, struct str s,
    const char *currency, int64_t *minor, const char **reason)
{
	struct str	ip, fp;
	char		buf[72];
	int		exp, n;

	s = str_trim(s);
	if (s.len == 0)
		return 1;
	exp = money_exponent(currency);
	if (exp < 0 || s.len > 64 ||
	    decimal_shape(s, f == CATALOG_CSV_WOO ? ".," : ".", &ip,
	    &fp) == -1)
		goto bad;
	/* "1500.00" yen: zeros past the exponent say nothing. */
	while (fp.len > (size_t)exp && fp.p[fp.len - 1] == '0')
		fp.len--;
	n = snprintf(buf, sizeof(buf), "%.*s%s%.*s", (int)ip.len, ip.p,
	    fp.len ? "." : "", (int)fp.len, fp.p);
	if (n < 0 || (size_t)n >= sizeof(buf) ||
	    money_parse(str_c(buf), currency, minor) == -1)
		goto bad;
	return 0;
bad:
	*reason = r_price;
	return -1;
}

int
catalog_csv_weight(struct str s, enum catalog_csv_unit u, int64_t *grams,
    const char **reason)
{
	/* Grams in one unit as num / den. */
	static const struct {
		uint64_t	num, den;
	} per[] = {
		[CATALOG_CSV_KG] = { 1000, 1 },
		[CATALOG_CSV_G] = { 1, 1 },
		[CATALOG_CSV_LBS] = { 45359237, 100000 },
		[CATALOG_CSV_OZ] = { 28349523125ull, 1000000000ull },
	};
	struct str		ip, fp;
	unsigned __int128	m = 0, g, den;
	size_t			i;

	s = str_trim(s);
	if (s.len == 0)
		return 1;
	if ((unsigned)u >= NELEM(per) ||
	    decimal_shape(s, ".", &ip, &fp) == -1 || fp.len > 6)
		goto bad;
	/* At most 10 digits before the point: the product below then
	 * stays far inside 128 bits. */
	while (ip.len > 1 && ip.p[0] == '0') {
		ip.p++;
		ip.len--;
	}
	if (ip.len > 10)
		goto bad;
	/* m: the weight in millionths of the unit. */
	for (i = 0; i < ip.len; i++)
		m = m * 10 + (unsigned)(ip.p[i] - '0');
	for (i = 0; i < 6; i++)
		m = m * 10 + (i < fp.len ? (unsigned)(fp.p[i] - '0') : 0);
	den = (unsigned __int128)per[u].den * 1000000u;
	g = (m * per[u].num + den / 2) / den;
	if (g > INT32_MAX)
		goto bad;
	*grams = (int64_t)g;
	return 0;
bad:
	*reason = r_weight;
	return -1;
}

/* The n digits at s as a number, or -1. */
static int
digits(const char *s, size_t n)
{
	int	v = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
catalog_csv_date(struct str s, char out[CATALOG_CSV_DATE_LEN],
    const char **reason)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	y, mo, d, h = 0, mi = 0, sec = 0, n;

	s = str_trim(s);
	if (s.len == 0)
		return 1;
	if ((s.len != 10 && s.len != 16 && s.len != 19) ||
	    s.p[4] != '-' || s.p[7] != '-')
		goto bad;
	y = digits(s.p, 4);
	mo = digits(s.p + 5, 2);
	d = digits(s.p + 8, 2);
	if (s.len > 10) {
		if ((s.p[10] != ' ' && s.p[10] != 'T') || s.p[13] != ':')
			goto bad;
		h = digits(s.p + 11, 2);
		mi = digits(s.p + 14, 2);
		if (s.len == 19 && (s.p[16] != ':' ||
		    (sec = digits(s.p + 17, 2)) < 0))
			goto bad;
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0))) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec > 59)
		goto bad;
	n = snprintf(out, CATALOG_CSV_DATE_LEN,
	    "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, sec);
	if (n < 0 || n >= CATALOG_CSV_DATE_LEN)
		goto bad;
	return 0;
bad:
	*reason = r_date;
	return -1;
}

int
catalog_csv_bool(struct str s)
{
	static const char *const yes[] = { "1", "true", "yes" };
	static const char *const no[] = { "0", "false", "no" };
	size_t	i;

	s = str_trim(s);
	for (i = 0; i < NELEM(yes); i++) {
		if (str_casecmp_eq(s, str_c(yes[i])))
			return 1;
		if (str_casecmp_eq(s, str_c(no[i])))
			return 0;
	}
	return -1;
}

int
catalog_csv_list_next(struct arena *a, struct str *rest, struct str *item)
{
	const char	*p, *end;
	int		 escaped;

	for (;;) {
		if (rest->len == 0)
			return 0;
		p = rest->p;
		end = rest->p + rest->len;
		escaped = 0;
		while (p < end && *p != ',') {
			if (*p == '\\' && p + 1 < end && p[1] == ',') {
				escaped = 1;
				p++;
			}
			p++;
		}
		*item = str_trim((struct str){ rest->p,
		    (size_t)(p - rest->p) });
		rest->p = p < end ? p + 1 : end;
		rest->len = (size_t)(end - rest->p);
		if (item->len == 0)
			continue;
		if (escaped) {
			char	*c = arena_alloc(a, item->len + 1);
			size_t	 i, n = 0;

			for (i = 0; i < item->len; i++) {
				if (item->p[i] == '\\' && i + 1 < item->len &&
				    item->p[i + 1] == ',')
					i++;
				c[n++] = item->p[i];
			}
			c[n] = '\0';
			*item = (struct str){ c, n };
		}
		return 1;
	}
}

int
catalog_csv_path_next(struct str *rest, struct str *item)
{
	const char	*p, *end;

	for (;;) {
		if (rest->len == 0)
			return 0;
		end = rest->p + rest->len;
		p = memchr(rest->p, '>', rest->len);
		if (p == NULL)
			p = end;
		*item = str_trim((struct str){ rest->p,
		    (size_t)(p - rest->p) });
		rest->p = p < end ? p + 1 : end;
		rest->len = (size_t)(end - rest->p);
		if (item->len > 0)
			return 1;
	}
}
