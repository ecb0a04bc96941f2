/*
 * admin_reports.c: the reports page and its CSV files (see
 * admin_reports.h). Staff only (ADMIN_AUTH); never stored by a cache
 * (admin_dispatch() says no-store).
 *
 * The charts' HTML is built by core/svgchart.c, which escapes every
 * text it is given, so the template prints it raw: that is the only
 * reason its key is {{{ }}}.
 */
#include "core/common.h"
#include "core/color.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "core/svgchart.h"
#include "core/tz.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/payment.h"
#include "shop/reports.h"
#include "shop/tax.h"
#include "core/country.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_reports.h"
#include "web/page.h"

/* In the order of the enums of shop/reports.h: form_i64() is the
 * index. */
static const char *const presets[] = { "this-month", "last-month",
    "this-year", "last-30", NULL };
static const char *const groups[] = { "day", "week", "month", NULL };

enum kind {
	K_SALES = 0,
	K_TAX,
	K_PAYMENTS,
	K_REFUNDS,
	K_PRODUCTS,
	K_CATEGORIES,
	K__MAX
};

static const char *const kinds[] = { "sales", "tax", "payments",
    "refunds", "products", "categories", NULL };

#define RANGE_FIELDS \
	{ "preset", FIELD_ENUM, 0, 0, FIELD_QUERY, \
	    N_("Choose a period from the list."), presets }, \
	{ "from", FIELD_TEXT, 0, 10, FIELD_QUERY | FIELD_ASCII, \
	    N_("Enter a date such as 2026-03-31."), NULL }, \
	{ "to", FIELD_TEXT, 0, 10, FIELD_QUERY | FIELD_ASCII, \
	    N_("Enter a date such as 2026-03-31."), NULL }, \
	{ "group", FIELD_ENUM, 0, 0, FIELD_QUERY, \
	    N_("Group by day, week or month."), groups }

static const struct field page_fields[] = {
	RANGE_FIELDS,
	{ 0 }
};

static const struct field export_fields[] = {
	RANGE_FIELDS,
	{ "report", FIELD_ENUM, 0, 0, FIELD_QUERY | FIELD_REQUIRED,
	    N_("Choose a report: sales, tax, payments, refunds, products "
	    "or categories."), kinds },
	{ 0 }
};

/* The range the query asks for: a preset, or from and to (neither:
 * this month). SHOP_OK, SHOP_EINVAL (errs), SHOP_EDB. */
static int
range_of(struct web *w, struct reports_range *rg, struct field_errors *errs)
{
	struct str	from = form_text(&w->form, "from");
	struct str	to = form_text(&w->form, "to");
	char		f[11], t[11];
	int		rc;

	memset(errs, 0, sizeof(*errs));
	if (form_has(&w->form, "preset") || (from.len == 0 && to.len == 0)) {
		rc = reports_preset_dates(&w->shop, (enum reports_preset)
		    form_i64(&w->form, "preset"), time(NULL), f, t);
		if (rc != SHOP_OK)
			return rc;
		from = (struct str){ arena_strndup(w->r->arena, f, 10), 10 };
		to = (struct str){ arena_strndup(w->r->arena, t, 10), 10 };
	}
	return reports_range(&w->shop, from, to, (enum reports_group)
	    form_i64(&w->form, "group"), rg, errs);
}

static const char *
money(struct web *w, int64_t minor)
{
	return page_money(w, minor, w->tenant->currency);
}

static const char *
count(struct web *w, int64_t n)
{
	return page_count(w, n);
}

static const char *
date(struct web *w, time_t t, enum money_date_style style)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	if (money_format_date(&sb, t, w->icu_locale, style,
	    w->shop.time_zone) != 0)
		strbuf_addf(&sb, "%lld", (long long)t);
	return arena_strndup(w->r->arena, sb.buf, sb.len);
}

/* The name a bucket goes by: its day, "Week of" its Monday, its
 * month. Noon of the first day names it whatever the day's length. */
static const char *
bucket_label(struct web *w, const struct reports_range *rg, size_t i,
    int chart)
{
	time_t t = rg->bucket[i] + 12 * 3600;

	switch (rg->group) {
	case REPORTS_WEEK:
		/* TRANSLATORS: %s is the Monday a week of a report
		 * starts on ("Dec 7, 2026"). */
		return chart ? date(w, t, MONEY_DATE_DAY_MONTH) :
		    arena_printf(w->r->arena, _("Week of %s"),
		    date(w, t, MONEY_DATE_MEDIUM));
	case REPORTS_MONTH:
		return date(w, t, MONEY_DATE_MONTH_YEAR);
	default:
		return date(w, t, chart ? MONEY_DATE_DAY_MONTH :
		    MONEY_DATE_MEDIUM);
	}
}

static const char *
rate_text(struct web *w, const struct reports_tax *t)
{
	char buf[16];

	if (!t->has_rate)
		return _("Not split by rate");
	tax_rate_format(t->rate, buf, sizeof(buf));
	return arena_printf(w->r->arena, "%s %%", buf);
}

static const char *
country_text(struct web *w, const char *code)
{
	if (!country_valid((struct str){ code, strlen(code) }))
		return _("No country");
	return country_name(w->r->arena, code, w->icu_locale);
}

static const char *
method_text(struct str code)
{
	const struct payment_method *m = payment_find(code);

	return m != NULL ? _(m->label) : code.p != NULL ? code.p : "";
}

/* --- the page ---------------------------------------------------------- */

struct fmt_arg {
	const char	*currency;
	const char	*locale;
};

static void
fmt_money(struct strbuf *out, int64_t v, void *arg)
{
	const struct fmt_arg *f = arg;

	if (money_format(out, v, f->currency, f->locale) != 0)
		strbuf_addf(out, "%lld", (long long)v);
}

static void
fmt_count(struct strbuf *out, int64_t v, void *arg)
{
	const struct fmt_arg *f = arg;

	if (money_format_num(out, v, f->locale) != 0)
		strbuf_addf(out, "%lld", (long long)v);
}

static struct color
shop_color(const char *hex)
{
	struct color c = { 0x1f, 0x6f, 0xeb };

	(void)color_parse(hex, &c);
	return c;
}

static void
chart(struct web *w, json_object *m, const char *key, struct svgchart *c)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	svgchart_render(&sb, c);
	jset_cstr(m, key, arena_strndup(w->r->arena, sb.buf, sb.len));
}

static void
sales_row(struct web *w, json_object *o, const struct reports_sales *s)
{
	jset_cstr(o, "orders", count(w, s->orders));
	jset_cstr(o, "gross", money(w, s->gross));
	jset_cstr(o, "discounts", money(w, s->discounts));
	jset_cstr(o, "refunds", money(w, s->refunds));
	jset_cstr(o, "net", money(w, s->net));
	jset_cstr(o, "shipping", money(w, s->shipping));
	jset_cstr(o, "tax", money(w, s->tax));
	jset_cstr(o, "total", money(w, s->total));
}

static int
sales_model(struct web *w, json_object *m, const struct reports_range *rg)
{
	const struct tenant	*t = w->tenant;
	struct reports_sales	*s, sum;
	struct fmt_arg		 f = { t->currency, w->icu_locale };
	struct svgchart		 c;
	json_object		*arr;
	const char		**labels;
	int64_t			*net, *orders;
	size_t			 i, n = rg->nbuckets;
	int			 exp;

	if (reports_sales(&w->shop, rg, &s, &sum) != SHOP_OK)
		return -1;
	labels = arena_calloc(w->r->arena, n + 1, sizeof(*labels));
	net = arena_calloc(w->r->arena, n + 1, sizeof(*net));
	orders = arena_calloc(w->r->arena, n + 1, sizeof(*orders));
	arr = jset_arr(m, "sales");
	for (i = 0; i < n; i++) {
		json_object *o;

		labels[i] = bucket_label(w, rg, i, 1);
		net[i] = s[i].net;
		orders[i] = s[i].orders;
		if (s[i].orders == 0 && s[i].total == 0 && s[i].refunds == 0)
			continue;
		o = jarr_obj(arr);
		jset_cstr(o, "label", bucket_label(w, rg, i, 0));
		sales_row(w, o, &s[i]);
	}
	sales_row(w, jset_obj(m, "sales_sum"), &sum);

	memset(&c, 0, sizeof(c));
	c.empty = _("No data for this period");
	c.figures = _("Show the figures");
	c.label_head = rg->group == REPORTS_MONTH ? _("Month") :
	    rg->group == REPORTS_WEEK ? _("Week") : _("Day");
	c.labels = labels;
	c.n = sum.orders || sum.total || sum.refunds ? n : 0;
	c.nseries = 1;
	c.fmt_arg = &f;

	c.id = "report-net";
	c.title = _("Net sales");
	c.kind = SVGCHART_BAR;
	c.series[0] = (struct svgchart_series){ _("Net sales"), net,
	    shop_color(t->color_primary) };
	c.fmt = fmt_money;
	for (exp = money_exponent(t->currency), c.unit = 1; exp > 0; exp--)
		c.unit *= 10;
	chart(w, m, "chart_net", &c);

	c.id = "report-orders";
	c.title = _("Orders paid");
	c.kind = SVGCHART_LINE;
	c.series[0] = (struct svgchart_series){ _("Orders"), orders,
	    shop_color(t->color_accent) };
	c.fmt = fmt_count;
	c.unit = 1;
	chart(w, m, "chart_orders", &c);
	return 0;
}

static int
tax_model(struct web *w, json_object *m, const struct reports_range *rg)
{
	struct reports_tax	*t;
	json_object		*arr;
	int64_t			 base = 0, tax = 0;
	size_t			 i, n;

	if (reports_tax(&w->shop, rg, &t, &n) != SHOP_OK)
		return -1;
	arr = jset_arr(m, "tax");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "country", country_text(w, t[i].country));
		jset_cstr(o, "rate", rate_text(w, &t[i]));
		jset_bool(o, "no_rate", !t[i].has_rate);
		jset_cstr(o, "base", money(w, t[i].base));
		jset_cstr(o, "collected", money(w, t[i].tax));
		base += t[i].base;
		tax += t[i].tax;
	}
	jset_cstr(m, "tax_base", money(w, base));
	jset_cstr(m, "tax_sum", money(w, tax));
	return 0;
}

static int
payments_model(struct web *w, json_object *m, const struct reports_range *rg)
{
	struct reports_payment	*p;
	json_object		*arr;
	int64_t			 k = 0, amount = 0, fee = 0;
	size_t			 i, n;

	if (reports_payments(&w->shop, rg, &p, &n) != SHOP_OK)
		return -1;
	arr = jset_arr(m, "payments");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "method", method_text(p[i].method));
		jset_cstr(o, "count", count(w, p[i].count));
		jset_cstr(o, "amount", money(w, p[i].amount));
		jset_cstr(o, "fee", money(w, p[i].fee));
		k += p[i].count;
		amount += p[i].amount;
		fee += p[i].fee;
	}
	jset_cstr(m, "payments_count", count(w, k));
	jset_cstr(m, "payments_amount", money(w, amount));
	jset_cstr(m, "payments_fee", money(w, fee));
	return 0;
}

static int
refunds_model(struct web *w, json_object *m, const struct reports_range *rg)
{
	struct reports_refund	*f;
	json_object		*arr;
	int64_t			 k = 0, amount = 0, tax = 0;
	size_t			 i, n;

	if (reports_refunds(&w->shop, rg, &f, &n, &k, &amount, &tax) !=
	    SHOP_OK)
		return -1;
	arr = jset_arr(m, "refunds");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "date", date(w, f[i].at, MONEY_DATE_MEDIUM));
		jset_i64(o, "order", f[i].order_number);
		jset_cstr(o, "amount", money(w, f[i].amount));
		jset_cstr(o, "tax", money(w, f[i].tax));
		jset_str(o, "reason", f[i].reason);
	}
	jset_bool(m, "refunds_more", (int64_t)n < k);
	jset_cstr(m, "refunds_count", count(w, k));
	jset_cstr(m, "refunds_amount", money(w, amount));
	jset_cstr(m, "refunds_tax", money(w, tax));
	return 0;
}

static int
top_model(struct web *w, json_object *m, const struct reports_range *rg,
    int categories)
{
	struct reports_top	*t;
	json_object		*arr;
	size_t			 i, n;

	if (reports_top(&w->shop, rg, categories, &t, &n) != SHOP_OK)
		return -1;
	arr = jset_arr(m, categories ? "top_categories" : "top_products");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", t[i].id);
		if (t[i].name.len)
			jset_str(o, "name", t[i].name);
		else
			jset_cstr(o, "name", _("No category"));
		jset_cstr(o, "units", count(w, t[i].units));
		jset_cstr(o, "net", money(w, t[i].net));
	}
	return 0;
}

static void
groups_model(struct web *w, json_object *m, enum reports_group g)
{
	static const char *const labels[] = { N_("By day"), N_("By week"),
	    N_("By month") };
	json_object	*arr = jset_arr(m, "groups");
	size_t		 i;

	(void)w;
	for (i = 0; i < NELEM(labels); i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "value", groups[i]);
		jset_cstr(o, "label", _(labels[i]));
		jset_bool(o, "selected", g == (enum reports_group)i);
	}
}

/* The presets' links, each keeping the grouping asked for. */
static void
presets_model(struct web *w, json_object *m, enum reports_group g)
{
	static const char *const labels[] = { N_("This month"),
	    N_("Last month"), N_("This year"), N_("Last 30 days") };
	json_object	*arr = jset_arr(m, "presets");
	size_t		 i;

	for (i = 0; i < NELEM(labels); i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "url", arena_printf(w->r->arena,
		    "/admin/reports?preset=%s&group=%s", presets[i],
		    groups[g]));
		jset_cstr(o, "label", _(labels[i]));
		jset_bool(o, "current", form_has(&w->form, "preset") &&
		    form_i64(&w->form, "preset") == (int64_t)i);
	}
}

/* The form's values, the presets' links, and the CSV links' query. */
static void
range_model(struct web *w, json_object *m, const struct reports_range *rg)
{
	jset_cstr(m, "from", rg->from);
	jset_cstr(m, "to", rg->to);
	jset_cstr(m, "range_text", arena_printf(w->r->arena, "%s – %s",
	    date(w, rg->start + 12 * 3600, MONEY_DATE_LONG),
	    date(w, rg->end - 12 * 3600, MONEY_DATE_LONG)));
	presets_model(w, m, rg->group);
	groups_model(w, m, rg->group);
	jset_cstr(m, "csv", arena_printf(w->r->arena,
	    "/admin/reports/export?from=%s&to=%s&group=%s", rg->from, rg->to,
	    groups[rg->group]));
	jset_cstr(m, "tz", w->shop.time_zone ? w->shop.time_zone : "UTC");
}

static int
reports_page(struct req *r)
{
	struct web		*w = web_of(r);
	struct reports_range	 rg;
	struct field_errors	 errs;
	json_object		*m;
	int			 rc;

	rc = range_of(w, &rg, &errs);
	if (rc == SHOP_EDB)
		return 503;
	m = admin_model(w, _("Reports"), "nav_reports");
	if (rc == SHOP_EINVAL) {
		jset_str(m, "from", form_text(&w->form, "from"));
		jset_str(m, "to", form_text(&w->form, "to"));
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"),
		    &errs);
		groups_model(w, m, (enum reports_group)form_i64(&w->form,
		    "group"));
		presets_model(w, m, (enum reports_group)form_i64(&w->form,
		    "group"));
		jset_bool(m, "invalid", 1);
		return page_render(w, 400, "admin/reports");
	}
	range_model(w, m, &rg);
	if (sales_model(w, m, &rg) != 0 || tax_model(w, m, &rg) != 0 ||
	    payments_model(w, m, &rg) != 0 || refunds_model(w, m, &rg) != 0 ||
	    top_model(w, m, &rg, 0) != 0 || top_model(w, m, &rg, 1) != 0)
		return 503;
	return page_render(w, 200, "admin/reports");
}

/* --- CSV --------------------------------------------------------------- */

struct csv {
	struct web	*w;
	struct strbuf	*out;
	struct str	 v[12];
	size_t		 n;
};

static void
put(struct csv *c, const char *s)
{
	if (c->n < NELEM(c->v))
		c->v[c->n++] = (struct str){ s, strlen(s) };
}

static void
put_str(struct csv *c, struct str s)
{
	if (c->n < NELEM(c->v))
		c->v[c->n++] = s;
}

static void
put_i64(struct csv *c, int64_t v)
{
	put(c, arena_printf(c->w->r->arena, "%lld", (long long)v));
}

/* An amount in decimal form, "12.50", as money_parse() reads it. */
static void
put_money(struct csv *c, int64_t v)
{
	char buf[MONEY_PLAIN_MAX];

	if (money_format_plain(v, c->w->tenant->currency, buf,
	    sizeof(buf)) < 0)
		put_i64(c, v);
	else
		put(c, arena_strdup(c->w->r->arena, buf));
}

static void
end_row(struct csv *c)
{
	csv_row(c->out, c->v, c->n);
	c->n = 0;
}

/* The shop's local date of t, "YYYY-MM-DD". */
static const char *
local_day(struct web *w, time_t t, int with_time)
{
	char buf[TZ_LOCAL_LEN];

	if (tz_local(w->shop.time_zone && tz_known(str_c(w->shop.time_zone))
	    ? w->shop.time_zone : "UTC", t, buf) != 0)
		return "";
	return arena_strndup(w->r->arena, buf, with_time ? 19 : 10);
}

static int
csv_sales(struct csv *c, const struct reports_range *rg)
{
	struct reports_sales	*s, sum;
	size_t			 i;

	if (reports_sales(&c->w->shop, rg, &s, &sum) != SHOP_OK)
		return -1;
	put(c, _("Period start"));
	put(c, _("Orders"));
	put(c, _("Gross sales"));
	put(c, _("Discounts"));
	put(c, _("Refunds"));
	put(c, _("Net sales"));
	put(c, _("Shipping"));
	put(c, _("Tax"));
	put(c, _("Total"));
	put(c, _("Currency"));
	end_row(c);
	for (i = 0; i < rg->nbuckets; i++) {
		/* The first bucket may start before the range: it names
		 * the range's first day instead. */
		put(c, i == 0 ? rg->from : local_day(c->w, s[i].start, 0));
		put_i64(c, s[i].orders);
		put_money(c, s[i].gross);
		put_money(c, s[i].discounts);
		put_money(c, s[i].refunds);
		put_money(c, s[i].net);
		put_money(c, s[i].shipping);
		put_money(c, s[i].tax);
		put_money(c, s[i].total);
		put(c, c->w->tenant->currency);
		end_row(c);
	}
	return 0;
}

static int
csv_tax(struct csv *c, const struct reports_range *rg)
{
	struct reports_tax	*t;
	size_t			 i, n;
	char			 buf[16];

	if (reports_tax(&c->w->shop, rg, &t, &n) != SHOP_OK)
		return -1;
	put(c, _("Country"));
	put(c, _("Tax rate (%)"));
	put(c, _("Taxable amount"));
	put(c, _("Tax"));
	put(c, _("Currency"));
	end_row(c);
	for (i = 0; i < n; i++) {
		put(c, arena_strdup(c->w->r->arena, t[i].country));
		if (t[i].has_rate) {
			tax_rate_format(t[i].rate, buf, sizeof(buf));
			put(c, arena_strdup(c->w->r->arena, buf));
		} else
			put(c, "");
		put_money(c, t[i].base);
		put_money(c, t[i].tax);
		put(c, c->w->tenant->currency);
		end_row(c);
	}
	return 0;
}

static int
csv_payments(struct csv *c, const struct reports_range *rg)
{
	struct reports_payment	*p;
	size_t			 i, n;

	if (reports_payments(&c->w->shop, rg, &p, &n) != SHOP_OK)
		return -1;
	put(c, _("Method"));
	put(c, _("Code"));
	put(c, _("Payments"));
	put(c, _("Amount"));
	put(c, _("Fees"));
	put(c, _("Currency"));
	end_row(c);
	for (i = 0; i < n; i++) {
		put(c, method_text(p[i].method));
		put_str(c, p[i].method);
		put_i64(c, p[i].count);
		put_money(c, p[i].amount);
		put_money(c, p[i].fee);
		put(c, c->w->tenant->currency);
		end_row(c);
	}
	return 0;
}

static int
csv_refunds(struct csv *c, const struct reports_range *rg)
{
	struct reports_refund	*f;
	size_t			 i, n;

	if (reports_refunds(&c->w->shop, rg, &f, &n, NULL, NULL, NULL) !=
	    SHOP_OK)
		return -1;
	put(c, _("Date"));
	put(c, _("Order"));
	put(c, _("Amount"));
	put(c, _("Tax"));
	put(c, _("Shipping"));
	put(c, _("Reason"));
	put(c, _("Currency"));
	end_row(c);
	for (i = 0; i < n; i++) {
		put(c, local_day(c->w, f[i].at, 1));
		put_i64(c, f[i].order_number);
		put_money(c, f[i].amount);
		put_money(c, f[i].tax);
		put_money(c, f[i].shipping);
		put_str(c, f[i].reason);
		put(c, c->w->tenant->currency);
		end_row(c);
	}
	return 0;
}

static int
csv_top(struct csv *c, const struct reports_range *rg, int categories)
{
	struct reports_top	*t;
	size_t			 i, n;

	if (reports_top(&c->w->shop, rg, categories, &t, &n) != SHOP_OK)
		return -1;
	put(c, categories ? _("Category ID") : _("Product ID"));
	put(c, categories ? _("Category") : _("Product"));
	put(c, _("Units"));
	put(c, _("Net sales"));
	put(c, _("Currency"));
	end_row(c);
	for (i = 0; i < n; i++) {
		put_i64(c, t[i].id);
		if (t[i].name.len)
			put_str(c, t[i].name);
		else
			put(c, categories ? _("No category") : "");
		put_i64(c, t[i].units);
		put_money(c, t[i].net);
		put(c, c->w->tenant->currency);
		end_row(c);
	}
	return 0;
}

static int
export(struct req *r)
{
	struct web		*w = web_of(r);
	struct reports_range	 rg;
	struct field_errors	 errs;
	struct csv		 c;
	enum kind		 k = (enum kind)form_i64(&w->form, "report");
	int			 rc;

	rc = range_of(w, &rg, &errs);
	if (rc == SHOP_EDB)
		return 503;
	if (rc == SHOP_EINVAL)
		return page_error(w, 400, _(errs.v[0].msgid));
	memset(&c, 0, sizeof(c));
	c.w = w;
	c.out = r->out;
	strbuf_reset(r->out);
	strbuf_addstr(r->out, CSV_BOM);
	switch (k) {
	case K_SALES:
		rc = csv_sales(&c, &rg);
		break;
	case K_TAX:
		rc = csv_tax(&c, &rg);
		break;
	case K_PAYMENTS:
		rc = csv_payments(&c, &rg);
		break;
	case K_REFUNDS:
		rc = csv_refunds(&c, &rg);
		break;
	case K_PRODUCTS:
	case K_CATEGORIES:
		rc = csv_top(&c, &rg, k == K_CATEGORIES);
		break;
	default:
		rc = -1;
		break;
	}
	if (rc != 0) {
		strbuf_reset(r->out);
		return 503;
	}
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s-%s-%s-%s.csv\"", w->tenant->slug,
	    kinds[k], rg.from, rg.to));
	return resp_send(r);
}

const struct route admin_reports_routes[] = {
	{ HTTP_GET, "/admin/reports", reports_page,
	    ADMIN_AUTH | ADMIN_PERM(PERM_REPORTS), page_fields },
	{ HTTP_GET, "/admin/reports/export", export,
	    ADMIN_AUTH | ADMIN_PERM(PERM_REPORTS),
	    export_fields },
};

const size_t admin_reports_nroutes = NELEM(admin_reports_routes);
