/*
 * admin_charts.c: the dashboard's charts (admin_charts.h).
 *
 * The chart's HTML is built by core/svgchart.c, which escapes every
 * text it is given (labels, names, formatted values), so the template
 * may print it raw: that is the only reason these keys are {{{ }}}.
 */
#include "core/common.h"
#include "core/color.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "core/svgchart.h"
#include "core/tz.h"
#include "platform/tenant.h"
#include "platform/usage.h"
#include "shop/stats.h"
#include "web/admin_charts.h"
#include "web/page.h"

#define TOP_N	5

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

/* The chart c as HTML into the model's key k. The worker's buffer:
 * no malloc once warm. */
static void
put(struct web *w, json_object *m, const char *k, const struct svgchart *c)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	svgchart_render(&sb, c);
	jset_cstr(m, k, arena_strndup(w->r->arena, sb.buf, sb.len));
}

static void
base(struct svgchart *c, const char *id, const char *title,
    struct fmt_arg *f)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->title = title;
	c->empty = _("No data for this period");
	c->figures = _("Show the figures");
	c->fmt_arg = f;
	c->nseries = 1;
}

int
admin_charts_dashboard(struct web *w, json_object *m, time_t now)
{
	const struct tenant	*t = w->tenant;
	struct stats_day	 days[STATS_DAYS];
	struct stats_product	*top;
	struct fmt_arg		 f = { t->currency, w->icu_locale };
	/* The worker's buffer for the day labels: no malloc once warm. */
	static struct strbuf	 sb = STRBUF_INIT;
	const char		*labels[STATS_DAYS], *names[TOP_N];
	const char		*tz = w->shop.time_zone;
	int64_t			 orders[STATS_DAYS], revenue[STATS_DAYS];
	int64_t			 units[TOP_N], any = 0;
	struct svgchart		 c;
	size_t			 i, n;
	int			 exp;

	if (stats_days(&w->shop, now, days) != SHOP_OK ||
	    stats_top_products(&w->shop, tz_start(tz && tz_known(str_c(tz)) ?
	    tz : "UTC", now, 1), now + 1, TOP_N, &top, &n) != SHOP_OK)
		return -1;
	for (i = 0; i < STATS_DAYS; i++) {
		/* The middle of the day names it, whatever its length. */
		strbuf_reset(&sb);
		if (money_format_date(&sb, days[i].start + 12 * 3600,
		    w->icu_locale, MONEY_DATE_DAY_MONTH, tz) != 0)
			strbuf_addf(&sb, "%zu", i + 1);
		labels[i] = arena_strndup(w->r->arena, sb.buf, sb.len);
		orders[i] = days[i].orders;
		revenue[i] = days[i].revenue;
		any |= days[i].orders;
	}

	base(&c, "revenue", _("Revenue per day"), &f);
	c.kind = SVGCHART_LINE;
	c.label_head = _("Day");
	c.labels = labels;
	c.n = any ? STATS_DAYS : 0;
	c.series[0] = (struct svgchart_series){ _("Revenue"), revenue,
	    shop_color(t->color_primary) };
	c.fmt = fmt_money;
	/* Ticks in whole units of the currency: 10, 20, not 0.05. */
	for (exp = money_exponent(t->currency), c.unit = 1; exp > 0; exp--)
		c.unit *= 10;
	put(w, m, "chart_revenue", &c);

	base(&c, "orders", _("Orders per day"), &f);
	c.kind = SVGCHART_BAR;
	c.label_head = _("Day");
	c.labels = labels;
	c.n = any ? STATS_DAYS : 0;
	c.series[0] = (struct svgchart_series){ _("Orders"), orders,
	    shop_color(t->color_accent) };
	c.fmt = fmt_count;
	put(w, m, "chart_orders", &c);

	for (i = 0; i < n; i++) {
		names[i] = arena_strndup(w->r->arena, top[i].name.p,
		    top[i].name.len);
		units[i] = top[i].units;
	}
	base(&c, "top", _("Best sellers this month"), &f);
	c.kind = SVGCHART_BAR;
	c.label_head = _("Product");
	c.labels = names;
	c.n = n;
	c.series[0] = (struct svgchart_series){ _("Units sold"), units,
	    shop_color(t->color_primary) };
	c.fmt = fmt_count;
	put(w, m, "chart_top", &c);
	return 0;
}

/* One count a day as the chart "chart_<id>" of m. */
static void
day_chart(struct web *w, json_object *m, const char *id, const char *title,
    const char *series, enum svgchart_kind kind, const char **labels,
    const int64_t *v, size_t n, struct color color)
{
	struct fmt_arg	f = { NULL, w->icu_locale };
	struct svgchart	c;

	base(&c, id, title, &f);
	c.kind = kind;
	c.label_head = _("Day");
	c.labels = labels;
	c.n = n;
	c.series[0] = (struct svgchart_series){ series, v, color };
	c.fmt = fmt_count;
	put(w, m, arena_printf(w->r->arena, "chart_%s", id), &c);
}

void
admin_charts_usage(struct web *w, json_object *m, const struct usage_day *d,
    size_t n)
{
	const struct tenant	*t = w->tenant;
	static struct strbuf	 sb = STRBUF_INIT;
	const char		**labels;
	int64_t			*views, *api, *orders, *products;
	struct color		 c1, c2;
	struct tm		 tm;
	size_t			 i;

	if (n > SVGCHART_POINTS_MAX)
		n = SVGCHART_POINTS_MAX;
	c1 = shop_color(t != NULL ? t->color_primary : "#1f6feb");
	c2 = shop_color(t != NULL ? t->color_accent : "#b35900");
	labels = arena_calloc(w->r->arena, n ? n : 1, sizeof(*labels));
	views = arena_calloc(w->r->arena, n ? n : 1, sizeof(*views));
	api = arena_calloc(w->r->arena, n ? n : 1, sizeof(*api));
	orders = arena_calloc(w->r->arena, n ? n : 1, sizeof(*orders));
	products = arena_calloc(w->r->arena, n ? n : 1, sizeof(*products));
	for (i = 0; i < n; i++) {
		memset(&tm, 0, sizeof(tm));
		strbuf_reset(&sb);
		/* The record's day is UTC: its noon names it. */
		if (strptime(d[i].day, "%Y-%m-%d", &tm) == NULL ||
		    money_format_date(&sb, timegm(&tm) + 12 * 3600,
		    w->icu_locale, MONEY_DATE_DAY_MONTH, "UTC") != 0) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, d[i].day);
		}
		labels[i] = arena_strndup(w->r->arena, sb.buf, sb.len);
		views[i] = d[i].page_views;
		api[i] = d[i].api_requests;
		orders[i] = d[i].orders;
		products[i] = d[i].products;
	}
	day_chart(w, m, "views", _("Storefront page views per day"),
	    _("Page views"), SVGCHART_BAR, labels, views, n, c1);
	day_chart(w, m, "api", _("API requests per day"), _("API requests"),
	    SVGCHART_BAR, labels, api, n, c2);
	day_chart(w, m, "uorders", _("Orders per day"), _("Orders"),
	    SVGCHART_BAR, labels, orders, n, c2);
	day_chart(w, m, "products", _("Products held"), _("Products"),
	    SVGCHART_LINE, labels, products, n, c1);
}
