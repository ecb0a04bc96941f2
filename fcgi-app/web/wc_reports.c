/*
 * wc_reports.c: /wp-json/wc/v3/reports (the index), reports/sales and
 * system_status, in WooCommerce v3's JSON, from souk's own reports
 * (shop/reports.h: the books) and settings.
 *
 * reports/sales: period week (the last 7 days, today included), month,
 * last_month, year, or date_min and date_max ("YYYY-MM-DD", the shop's
 * days); grouped by day, by month for a year or a range of more than
 * REPORTS_BUCKETS_MAX days. Its figures are the admin's sales report's:
 * total_sales is what was charged less what was refunded (souk's
 * "total"), net_sales souk's net (lines net of tax, less discounts and
 * refunds), average_sales net_sales per day, total_orders the sales
 * posted, total_tax and total_shipping as booked, total_refunds the
 * refunds with tax, total_discount the discounts net of tax. Money is
 * a decimal string, as WooCommerce sends it (total_refunds and
 * total_discount numbers, as there). total_items sums the units by
 * category (reports_top()); a day's items and customers and
 * total_customers are not kept by souk's reports: null.
 *
 * system_status: what souk has of WooCommerce's sections; WordPress's
 * and PHP's own fields come back empty (false, "", 0, [], {}), never
 * made up. souk has no version number of its own yet: "".
 *
 * orders/totals, products/totals and customers/totals count what
 * shop/wc_totals.h says (souk has no failed orders, no external or
 * grouped products: 0).
 *
 * NEEDSWORK: reports/top_sellers, coupons/totals, reviews/totals;
 * total_items counts at most REPORTS_TOP_MAX categories.
 */
#include "core/common.h"

#include <time.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/tz.h"
#include "platform/tenant.h"
#include "shop/reports.h"
#include "shop/shop.h"
#include "shop/wc_totals.h"
#include "web/json_api.h"
#include "web/wc_api.h"

static int
unavailable(struct web *w)
{
	resp_header(w->r, "Retry-After", "60");
	return json_api_error(w, 503, "souk_unavailable", _("The shop cannot "
	    "answer just now. Try again in a minute."));
}

static const char *
money_str(struct web *w, int64_t minor)
{
	char *buf = arena_alloc(w->r->arena, MONEY_PLAIN_MAX);

	if (money_format_plain(minor, w->tenant->currency, buf,
	    MONEY_PLAIN_MAX) < 0)
		buf[0] = '\0';
	return buf;
}

static void
money_num(struct web *w, json_object *o, const char *k, int64_t minor)
{
	const char *s = money_str(w, minor);

	json_object_object_add(o, k, json_object_new_double_s(strtod(s, NULL),
	    s));
}

/* --- reports ----------------------------------------------------------- */

static int
index_(struct req *r)
{
	static const char *const reports[][2] = {
		{ "sales", N_("List of sales reports.") },
		{ "orders/totals", N_("Orders totals.") },
		{ "products/totals", N_("Products totals.") },
		{ "customers/totals", N_("Customers totals.") },
		{ "top_sellers", N_("List of top sellers products.") },
		{ "coupons/totals", N_("Coupons totals.") },
		{ "reviews/totals", N_("Reviews totals.") },
	};
	struct web	*w = web_of(r);
	json_object	*a = json_object_new_array(), *o, *l;
	size_t		 i;

	for (i = 0; i < NELEM(reports); i++) {
		o = jarr_obj(a);
		jset_cstr(o, "slug", reports[i][0]);
		jset_cstr(o, "description", _(reports[i][1]));
		l = jset_obj(o, "_links");
		jset_cstr(jarr_obj(jset_arr(l, "self")), "href", arena_printf(
		    r->arena, "%s" WC_API_NS "/reports/%s", wc_api_origin(w),
		    reports[i][0]));
		jset_cstr(jarr_obj(jset_arr(l, "collection")), "href",
		    arena_printf(r->arena, "%s" WC_API_NS "/reports",
		    wc_api_origin(w)));
	}
	return json_api_send(w, 200, a);
}

/* "YYYY-MM-DD" days before day, into out. */
static int
days_before(const char *day, int days, char out[11])
{
	struct tm	tm;
	time_t		t;

	memset(&tm, 0, sizeof(tm));
	if (strptime(day, "%Y-%m-%d", &tm) == NULL)
		return -1;
	t = timegm(&tm) - (time_t)days * 86400;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		return -1;
	return 0;
}

/* The range the query asks for: 0, or -1 answered. */
static int
sales_range(struct web *w, struct reports_range *rg)
{
	static const char *const periods[] = { "week", "month", "last_month",
	    "year" };
	const struct str	*p = req_query(w->r, "period");
	const struct str	*dmin = req_query(w->r, "date_min");
	const struct str	*dmax = req_query(w->r, "date_max");
	struct field_errors	 errs = { .n = 0 };
	char			 from[11], to[11];
	int			 period = 0, rc;
	enum reports_group	 g = REPORTS_DAY;

	if (p != NULL && (period = str_index(*p, periods,
	    NELEM(periods))) < 0)
		return wc_api_invalid_param(w, "period", _("period is not one "
		    "of week, month, last_month, year."));
	if ((dmin != NULL) != (dmax != NULL))
		return wc_api_invalid_param(w, dmin ? "date_max" : "date_min",
		    _("date_min and date_max go together."));
	if (dmin != NULL) {
		rc = reports_range(&w->shop, *dmin, *dmax, REPORTS_DAY, rg,
		    &errs);
		if (rc == SHOP_EINVAL && errs.n > 0 &&
		    strcmp(errs.v[0].field, "group") == 0) {
			errs.n = 0;
			rc = reports_range(&w->shop, *dmin, *dmax,
			    REPORTS_MONTH, rg, &errs);
		}
		if (rc == SHOP_EINVAL)
			return wc_api_invalid_param(w, errs.n &&
			    strcmp(errs.v[0].field, "to") == 0 ? "date_max" :
			    "date_min", _(errs.n ? errs.v[0].msgid :
			    N_("Enter a date such as 2026-12-31, or nothing.")));
		if (rc != SHOP_OK)
			return unavailable(w);
		return 0;
	}
	rc = reports_preset_dates(&w->shop, period == 1 ? REPORTS_THIS_MONTH :
	    period == 2 ? REPORTS_LAST_MONTH : period == 3 ?
	    REPORTS_THIS_YEAR : REPORTS_LAST_30, time(NULL), from, to);
	if (rc != SHOP_OK)
		return unavailable(w);
	if (period == 0 && days_before(to, 6, from) == -1)
		return unavailable(w);
	if (period == 3)
		g = REPORTS_MONTH;
	if (reports_range(&w->shop, str_c(from), str_c(to), g, rg, &errs) !=
	    SHOP_OK)
		return unavailable(w);
	return 0;
}

static int
sales(struct req *r)
{
	struct web		*w = web_of(r);
	struct reports_range	 rg;
	struct reports_sales	*b, sum;
	struct reports_refund	*rf;
	struct reports_top	*top;
	size_t			 nrf, ntop, i;
	int64_t			 units = 0, refunded = 0, days;
	json_object		*a, *o, *totals, *d;
	const char		*tz = w->shop.time_zone && w->shop.time_zone[0] ?
				    w->shop.time_zone : "UTC";
	char			 local[TZ_LOCAL_LEN];

	memset(&rg, 0, sizeof(rg));
	if (sales_range(w, &rg) == -1)
		return 0;
	if (reports_sales(&w->shop, &rg, &b, &sum) != SHOP_OK ||
	    reports_refunds(&w->shop, &rg, &rf, &nrf, NULL, &refunded,
	    NULL) != SHOP_OK ||
	    reports_top(&w->shop, &rg, 1, &top, &ntop) != SHOP_OK)
		return unavailable(w);
	for (i = 0; i < ntop; i++)
		units += top[i].units;
	days = (int64_t)((rg.end - rg.start + 43200) / 86400);
	if (days < 1)
		days = 1;
	a = json_object_new_array();
	o = jarr_obj(a);
	jset_cstr(o, "total_sales", money_str(w, sum.total));
	jset_cstr(o, "net_sales", money_str(w, sum.net));
	jset_cstr(o, "average_sales", money_str(w, sum.net / days));
	jset_i64(o, "total_orders", sum.orders);
	jset_i64(o, "total_items", units);
	jset_cstr(o, "total_tax", money_str(w, sum.tax));
	jset_cstr(o, "total_shipping", money_str(w, sum.shipping));
	money_num(w, o, "total_refunds", refunded);
	money_num(w, o, "total_discount", sum.discounts);
	jset_cstr(o, "totals_grouped_by", rg.group == REPORTS_MONTH ? "month" :
	    rg.group == REPORTS_WEEK ? "week" : "day");
	totals = jset_obj(o, "totals");
	for (i = 0; i < rg.nbuckets; i++) {
		if (tz_local(tz, b[i].start, local) == -1)
			return unavailable(w);
		local[rg.group == REPORTS_MONTH ? 7 : 10] = '\0';
		d = jset_obj(totals, local);
		jset_cstr(d, "sales", money_str(w, b[i].total));
		jset_i64(d, "orders", b[i].orders);
		json_object_object_add(d, "items", NULL);
		jset_cstr(d, "tax", money_str(w, b[i].tax));
		jset_cstr(d, "shipping", money_str(w, b[i].shipping));
		jset_cstr(d, "discount", money_str(w, b[i].discounts));
		json_object_object_add(d, "customers", NULL);
	}
	json_object_object_add(o, "total_customers", NULL);
	return json_api_send(w, 200, a);
}

/* One {"slug", "name", "total"} of a totals report. */
static void
total(json_object *a, const char *slug, const char *name, int64_t n)
{
	json_object *o = jarr_obj(a);

	jset_cstr(o, "slug", slug);
	jset_cstr(o, "name", name);
	jset_i64(o, "total", n);
}

static int
orders_totals(struct req *r)
{
	static const char *const names[WC_TOTAL__MAX] = {
		[WC_TOTAL_PENDING] = N_("Pending payment"),
		[WC_TOTAL_PROCESSING] = N_("Processing"),
		[WC_TOTAL_ON_HOLD] = N_("On hold"),
		[WC_TOTAL_COMPLETED] = N_("Completed"),
		[WC_TOTAL_CANCELLED] = N_("Cancelled"),
		[WC_TOTAL_REFUNDED] = N_("Refunded"),
		[WC_TOTAL_FAILED] = N_("Failed"),
	};
	struct web	*w = web_of(r);
	int64_t		 n[WC_TOTAL__MAX];
	json_object	*a;
	int		 i;

	if (wc_totals_orders(&w->shop, n) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array();
	for (i = 0; i < WC_TOTAL__MAX; i++)
		total(a, wc_total_slug((enum wc_order_total)i), _(names[i]),
		    n[i]);
	return json_api_send(w, 200, a);
}

static int
products_totals(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 simple, variable;
	json_object	*a;

	if (wc_totals_products(&w->shop, &simple, &variable) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array();
	total(a, "external", _("External/Affiliate product"), 0);
	total(a, "grouped", _("Grouped product"), 0);
	total(a, "simple", _("Simple product"), simple);
	total(a, "variable", _("Variable product"), variable);
	return json_api_send(w, 200, a);
}

static int
coupons_totals(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 percent, fixed;
	json_object	*a;

	if (wc_totals_coupons(&w->shop, &percent, &fixed) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array();
	total(a, "percent", _("Percentage discount"), percent);
	total(a, "fixed_cart", _("Fixed cart discount"), fixed);
	total(a, "fixed_product", _("Fixed product discount"), 0);
	return json_api_send(w, 200, a);
}

/* souk keeps no reviews: every count is 0, as WooCommerce's for a shop
 * without reviews. */
static int
reviews_totals(struct req *r)
{
	struct web	*w = web_of(r);
	json_object	*a = json_object_new_array();
	int		 i;

	for (i = 1; i <= 5; i++)
		total(a, arena_printf(r->arena, "rated_%d_out_of_5", i),
		    arena_printf(r->arena, _("Rated %d out of 5"), i), 0);
	return json_api_send(w, 200, a);
}

static int
units_cmp(const void *a, const void *b)
{
	const struct reports_top *x = a, *y = b;

	if (x->units != y->units)
		return x->units > y->units ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * WooCommerce's top sellers: the products of the period's orders by
 * units sold, as [{"name", "product_id", "quantity"}], the period and
 * dates read as reports/sales reads them. Ranked among the
 * REPORTS_TOP_MAX best by net sales (reports_top()), which a product
 * selling many units at a tiny price may miss.
 */
static int
top_sellers(struct req *r)
{
	struct web		*w = web_of(r);
	struct reports_range	 rg;
	struct reports_top	*top;
	size_t			 n, i;
	json_object		*a, *o;

	memset(&rg, 0, sizeof(rg));
	if (sales_range(w, &rg) == -1)
		return 0;
	if (reports_top(&w->shop, &rg, 0, &top, &n) != SHOP_OK)
		return unavailable(w);
	if (n > 1)
		qsort(top, n, sizeof(*top), units_cmp);
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (top[i].id <= 0)
			continue;
		o = jarr_obj(a);
		jset_str(o, "name", top[i].name);
		jset_i64(o, "product_id", top[i].id);
		jset_i64(o, "quantity", top[i].units);
	}
	return json_api_send(w, 200, a);
}

static int
customers_totals(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 paying, non_paying;
	json_object	*a;

	if (wc_totals_customers(&w->shop, &paying, &non_paying) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array();
	total(a, "paying", _("Paying customer"), paying);
	total(a, "non_paying", _("Non-paying customer"), non_paying);
	return json_api_send(w, 200, a);
}

/* --- system_status ------------------------------------------------------ */

static const char *
db_version(struct web *w)
{
	struct str v;

	if (wc_totals_db_version(&w->shop, &v) != SHOP_OK)
		return "";
	return arena_strndup(w->r->arena, v.p, v.len);
}

/* One of the spaces ICU puts between an amount and its symbol: ASCII,
 * U+00A0, U+202F; its length in bytes, or 0. */
static size_t
space_len(const char *s, size_t n)
{
	if (n >= 1 && s[0] == ' ')
		return 1;
	if (n >= 2 && (unsigned char)s[0] == 0xc2 &&
	    (unsigned char)s[1] == 0xa0)
		return 2;
	if (n >= 3 && (unsigned char)s[0] == 0xe2 &&
	    (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xaf)
		return 3;
	return 0;
}

/*
 * The shop's currency format as WooCommerce's settings: souk formats
 * with ICU in the shop's language, so they are read off 1234567.89
 * formatted so.
 */
static void
currency_settings(struct web *w, json_object *o)
{
	const char	*cur = w->tenant->currency;
	int		 exp = money_exponent(cur), k;
	int64_t		 minor = 1234567;
	struct strbuf	 sb;
	const char	*s, *one, *two, *last, *pos = "left";
	size_t		 n, pre, post, sp;
	char		 sym[64] = "";

	for (k = 0; k < exp; k++)
		minor = minor * 10 + (8 + k) % 10;
	strbuf_init(&sb, 64);
	jset_cstr(o, "currency", cur);
	if (exp < 0 || money_format(&sb, minor, cur, i18n_icu_locale(
	    w->shop.default_locale)) == -1 || (one = strchr(sb.buf, '1')) ==
	    NULL || (two = strchr(one, '2')) == NULL) {
		jset_cstr(o, "currency_symbol", "");
		jset_cstr(o, "currency_position", "");
		jset_cstr(o, "thousand_separator", "");
		jset_cstr(o, "decimal_separator", "");
		jset_i64(o, "number_of_decimals", exp < 0 ? 0 : exp);
		strbuf_release(&sb);
		return;
	}
	s = sb.buf;
	n = sb.len;
	for (last = s + n; last > s && (last[-1] < '0' || last[-1] > '9');
	    last--)
		;
	pre = (size_t)(one - s);
	post = n - (size_t)(last - s);
	if (pre > 0) {
		sp = pre >= 1 && space_len(one - 1, 1) ? 1 : pre >= 2 &&
		    space_len(one - 2, 2) ? 2 : pre >= 3 &&
		    space_len(one - 3, 3) ? 3 : 0;
		pos = sp ? "left_space" : "left";
		if (pre - sp < sizeof(sym))
			memcpy(sym, s, pre - sp), sym[pre - sp] = '\0';
	} else if (post > 0) {
		sp = space_len(last, post);
		pos = sp ? "right_space" : "right";
		if (post - sp < sizeof(sym))
			memcpy(sym, last + sp, post - sp), sym[post - sp] = '\0';
	}
	jset_cstr(o, "currency_symbol", sym);
	jset_cstr(o, "currency_position", pos);
	json_object_object_add(o, "thousand_separator",
	    json_object_new_string_len(one + 1, (int)(two - one - 1)));
	if (exp > 0) {
		const char *seven = strchr(two, '7'), *eight;

		eight = seven ? strchr(seven, '8') : NULL;
		if (eight != NULL)
			json_object_object_add(o, "decimal_separator",
			    json_object_new_string_len(seven + 1,
			    (int)(eight - seven - 1)));
		else
			jset_cstr(o, "decimal_separator", "");
	} else
		jset_cstr(o, "decimal_separator", "");
	jset_i64(o, "number_of_decimals", exp);
	strbuf_release(&sb);
}

static int
system_status(struct req *r)
{
	struct web	*w = web_of(r);
	json_object	*o = json_object_new_object(), *e, *d, *t, *s, *x;
	const char	*origin = wc_api_origin(w), *sw;
	const char	*dbv = db_version(w);
	int		 https = str_eqc(w->r->scheme, "https");

	e = jset_obj(o, "environment");
	jset_cstr(e, "home_url", arena_printf(r->arena, "%s/", origin));
	jset_cstr(e, "site_url", arena_printf(r->arena, "%s/", origin));
	jset_cstr(e, "version", "");
	jset_cstr(e, "log_directory", "");
	jset_bool(e, "log_directory_writable", 0);
	jset_cstr(e, "wp_version", "");
	jset_bool(e, "wp_multisite", 0);
	jset_i64(e, "wp_memory_limit", 0);
	jset_bool(e, "wp_debug_mode", 0);
	jset_bool(e, "wp_cron", 0);
	jset_cstr(e, "language", w->shop.default_locale ?
	    w->shop.default_locale : "");
	jset_bool(e, "external_object_cache", 0);
	sw = req_env(r, "SERVER_SOFTWARE");
	jset_cstr(e, "server_info", sw ? sw : "");
	jset_cstr(e, "php_version", "");
	jset_i64(e, "php_post_max_size", 0);
	jset_i64(e, "php_max_execution_time", 0);
	jset_i64(e, "php_max_input_vars", 0);
	jset_cstr(e, "curl_version", "");
	jset_bool(e, "suhosin_installed", 0);
	jset_i64(e, "max_upload_size", config_int("max_body", 8388608, 1,
	    INT64_MAX));
	jset_cstr(e, "mysql_version", arena_strndup(r->arena, dbv,
	    strspn(dbv, "0123456789.")));
	jset_cstr(e, "mysql_version_string", dbv);
	jset_cstr(e, "default_timezone", w->tenant->time_zone[0] ?
	    w->tenant->time_zone : "UTC");
	jset_bool(e, "fsockopen_or_curl_enabled", 0);
	jset_bool(e, "soapclient_enabled", 0);
	jset_bool(e, "domdocument_enabled", 0);
	jset_bool(e, "gzip_enabled", 0);
	jset_bool(e, "mbstring_enabled", 0);
	jset_bool(e, "remote_post_successful", 0);
	jset_cstr(e, "remote_post_response", "");
	jset_bool(e, "remote_get_successful", 0);
	jset_cstr(e, "remote_get_response", "");

	d = jset_obj(o, "database");
	jset_cstr(d, "wc_database_version", arena_printf(r->arena, "%d",
	    w->tenant->schema_version));
	jset_cstr(d, "database_prefix", arena_printf(r->arena, "s%lld_",
	    (long long)w->tenant->id));
	jset_cstr(d, "maxmind_geoip_database", "");
	x = jset_obj(d, "database_tables");
	(void)jset_obj(x, "woocommerce");
	(void)jset_obj(x, "other");

	(void)jset_arr(o, "active_plugins");
	(void)jset_arr(o, "inactive_plugins");
	x = jset_obj(o, "dropins_mu_plugins");
	(void)jset_arr(x, "dropins");
	(void)jset_arr(x, "mu_plugins");

	t = jset_obj(o, "theme");
	jset_cstr(t, "name", w->tenant->theme);
	jset_cstr(t, "version", "");
	jset_cstr(t, "version_latest", "");
	jset_cstr(t, "author_url", "");
	jset_bool(t, "is_child_theme", 0);
	jset_bool(t, "has_woocommerce_support", 1);
	jset_bool(t, "has_woocommerce_file", 0);
	jset_bool(t, "has_outdated_templates", 0);
	(void)jset_arr(t, "overrides");
	jset_cstr(t, "parent_name", "");
	jset_cstr(t, "parent_version", "");
	jset_cstr(t, "parent_author_url", "");

	s = jset_obj(o, "settings");
	jset_bool(s, "api_enabled", 1);
	jset_bool(s, "force_ssl", https);
	currency_settings(w, s);
	jset_bool(s, "geolocation_enabled", 0);
	(void)jset_obj(s, "taxonomies");
	(void)jset_obj(s, "product_visibility_terms");

	x = jset_obj(o, "security");
	jset_bool(x, "secure_connection", https);
	jset_bool(x, "hide_errors", 1);
	(void)jset_arr(o, "pages");
	(void)jset_arr(o, "post_type_counts");
	return json_api_send(w, 200, o);
}

const struct route wc_reports_routes[] = {
	{ HTTP_GET, WC_API_NS "/reports", index_, 0, NULL },
	{ HTTP_GET, WC_API_NS "/reports/sales", sales, 0, NULL },
	{ HTTP_GET, WC_API_NS "/reports/orders/totals", orders_totals, 0,
	    NULL },
	{ HTTP_GET, WC_API_NS "/reports/products/totals", products_totals, 0,
	    NULL },
	{ HTTP_GET, WC_API_NS "/reports/customers/totals", customers_totals, 0,
	    NULL },
	{ HTTP_GET, WC_API_NS "/reports/coupons/totals", coupons_totals, 0,
	    NULL },
	{ HTTP_GET, WC_API_NS "/reports/reviews/totals", reviews_totals, 0,
	    NULL },
	{ HTTP_GET, WC_API_NS "/reports/top_sellers", top_sellers, 0, NULL },
	{ HTTP_GET, WC_API_NS "/system_status", system_status, 0, NULL },
};

const size_t wc_reports_nroutes = NELEM(wc_reports_routes);
