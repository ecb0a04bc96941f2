/* operator_metrics.c: /operator/metrics (operator_metrics.h). */
#include "core/common.h"

#include <time.h>

#include "core/color.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "core/svgchart.h"
#include "platform/metrics_log.h"
#include "web/operator_metrics.h"
#include "web/operator_plans.h"
#include "web/page.h"

/* The platform's colours (admin_charts.c's for the operator). */
static const struct color blue = { 0x1f, 0x6f, 0xeb };
static const struct color orange = { 0xb3, 0x59, 0x00 };

static void
fmt_count(struct strbuf *out, int64_t v, void *arg)
{
	if (money_format_num(out, v, arg) != 0)
		strbuf_addf(out, "%lld", (long long)v);
}

/* Microseconds as milliseconds with one decimal. */
static void
fmt_ms(struct strbuf *out, int64_t v, void *arg)
{
	(void)arg;
	/* TRANSLATORS: a time in milliseconds, on a chart's axis */
	strbuf_addf(out, _("%lld.%lld ms"), (long long)(v / 1000),
	    (long long)(v % 1000 / 100));
}

static void
fmt_pct(struct strbuf *out, int64_t v, void *arg)
{
	(void)arg;
	strbuf_addf(out, "%lld %%", (long long)v);
}

struct chart_set {
	struct web		*w;
	json_object		*m;
	const char *const	*labels;
	size_t			 n;
};

/* Renders a chart of one or two series as the model's "chart_<id>". */
static void
chart(struct chart_set *cs, const char *id, enum svgchart_kind kind,
    const char *title, const char *s1, const int64_t *v1, const char *s2,
    const int64_t *v2, int64_t unit, svgchart_fmt_fn *fmt)
{
	struct strbuf	sb = STRBUF_INIT;
	struct svgchart	c;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.id = id;
	c.title = title;
	c.empty = _("No figures for the last 24 hours yet");
	c.figures = _("Show the figures");
	/* TRANSLATORS: a chart table's first column: the time (UTC) */
	c.label_head = _("Time (UTC)");
	c.labels = cs->labels;
	c.n = cs->n;
	c.series[0] = (struct svgchart_series){ s1, v1, blue };
	c.nseries = 1;
	if (s2 != NULL) {
		c.series[1] = (struct svgchart_series){ s2, v2, orange };
		c.nseries = 2;
	}
	c.unit = unit;
	c.fmt = fmt != NULL ? fmt : fmt_count;
	c.fmt_arg = (void *)cs->w->icu_locale;
	svgchart_render(&sb, &c);
	jset_cstr(cs->m, arena_printf(cs->w->r->arena, "chart_%s", id),
	    arena_strndup(cs->w->r->arena, sb.buf, sb.len));
	strbuf_release(&sb);
}

#define COLS(x)	int64_t *x = arena_calloc(a, n ? n : 1, sizeof(int64_t))

static void
charts(struct web *w, json_object *m, const struct metrics_point *p,
    size_t n)
{
	struct arena	*a = w->r->arena;
	const char	**labels = arena_calloc(a, n ? n : 1, sizeof(*labels));
	struct chart_set cs = { w, m, labels, n };
	COLS(req); COLS(err); COLS(lat); COLS(wk); COLS(busy); COLS(dead);
	COLS(jobs); COLS(oldest); COLS(sent); COLS(failed); COLS(trips);
	COLS(dberr); COLS(hit);
	size_t		 i;

	for (i = 0; i < n; i++) {
		time_t		t = (time_t)p[i].at;
		struct tm	tm;
		char		hm[8];
		int64_t		looked = p[i].cache_hits + p[i].cache_misses;

		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(hm, sizeof(hm), "%H:%M", &tm) == 0)
			memcpy(hm, "?", 2);
		labels[i] = arena_strdup(a, hm);
		req[i] = p[i].requests;
		err[i] = p[i].server_errors;
		lat[i] = p[i].requests > 0 ? p[i].latency_us /
		    p[i].requests : 0;
		wk[i] = p[i].workers;
		busy[i] = p[i].workers_busy;
		dead[i] = p[i].worker_deaths;
		jobs[i] = p[i].jobs_waiting;
		oldest[i] = p[i].jobs_oldest;
		sent[i] = p[i].mail_sent;
		failed[i] = p[i].mail_failed;
		trips[i] = p[i].db_round_trips;
		dberr[i] = p[i].db_errors;
		hit[i] = looked > 0 ? p[i].cache_hits * 100 / looked : 0;
	}
	chart(&cs, "requests", SVGCHART_BAR, _("Requests every 5 minutes"),
	    _("Requests"), req, _("Server errors (5xx)"), err, 0, NULL);
	chart(&cs, "latency", SVGCHART_LINE, _("Average response time"),
	    _("Average response time"), lat, NULL, NULL, 100, fmt_ms);
	chart(&cs, "workers", SVGCHART_LINE, _("Workers"), _("Workers"), wk,
	    _("Busy"), busy, 0, NULL);
	chart(&cs, "deaths", SVGCHART_BAR, _("Workers that died and were "
	    "replaced"), _("Workers replaced"), dead, NULL, NULL, 0, NULL);
	chart(&cs, "jobs", SVGCHART_LINE, _("Job queue"), _("Jobs waiting"),
	    jobs, _("Oldest wait (s)"), oldest, 0, NULL);
	chart(&cs, "mail", SVGCHART_BAR, _("E-mail every 5 minutes"),
	    _("Sent"), sent, _("Failed attempts"), failed, 0, NULL);
	chart(&cs, "db", SVGCHART_BAR, _("Database every 5 minutes"),
	    _("Round trips"), trips, _("Errors"), dberr, 0, NULL);
	chart(&cs, "cache", SVGCHART_LINE, _("Cache hit rate"),
	    _("Hit rate"), hit, NULL, NULL, 0, fmt_pct);
}

static int
metrics_page(struct req *r)
{
	struct web		*w = web_of(r);
	struct metrics_point	*p;
	struct metrics_plan	*plans;
	size_t			 n, np, i;
	json_object		*m, *arr, *o;

	if (metrics_log_day(w->db, r->arena, &p, &n) == -1 ||
	    metrics_log_plans(w->db, r->arena, &plans, &np) == -1)
		return page_error(w, 503, NULL);
	m = platform_model(w, _("Operating figures"));
	charts(w, m, p, n);
	arr = jset_arr(m, "plans");
	for (i = 0; i < np; i++) {
		o = jarr_obj(arr);
		jset_cstr(o, "code", plans[i].code);
		jset_cstr(o, "shops", page_count(w, (int64_t)plans[i].shops));
		jset_cstr(o, "views", page_count(w,
		    (int64_t)plans[i].page_views));
		jset_cstr(o, "api", page_count(w,
		    (int64_t)plans[i].api_requests));
		jset_cstr(o, "orders", page_count(w,
		    (int64_t)plans[i].orders));
	}
	return page_render(w, 200, "platform/metrics");
}

const struct route operator_metrics_routes[] = {
	{ HTTP_GET, "/operator/metrics", metrics_page,
	    PLATFORM_AUTH | PLATFORM_OPERATOR, NULL },
};
const size_t operator_metrics_nroutes = NELEM(operator_metrics_routes);
