/* operator_usage.c: /operator/usage (operator_usage.h). */
#include "core/common.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "platform/tenant.h"
#include "platform/usage.h"
#include "web/admin_charts.h"
#include "web/form.h"
#include "web/operator_plans.h"
#include "web/operator_usage.h"
#include "web/page.h"

#define USAGE_PAGE	100	/* shops a page */
#define USAGE_DEFAULT_DAYS 30

static const char *const sorts[] = { "shop", "orders", "revenue",
    "products", "media", "staff", "api", "views", NULL };

#define RANGE_FIELDS \
	{ "from", FIELD_TEXT, 0, 10, FIELD_QUERY | FIELD_ASCII, \
	    N_("Enter a date such as 2026-03-31."), NULL }, \
	{ "to", FIELD_TEXT, 0, 10, FIELD_QUERY | FIELD_ASCII, \
	    N_("Enter a date such as 2026-03-31."), NULL }

static const struct field table_fields[] = {
	RANGE_FIELDS,
	{ "sort", FIELD_ENUM, 0, 0, FIELD_QUERY,
	    N_("Sort by one of the table's columns."), sorts },
	{ "page", FIELD_INT, 1, 1000000, FIELD_QUERY,
	    N_("A page is a number from 1."), NULL },
	{ 0 }
};

static const struct field shop_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	RANGE_FIELDS,
	{ 0 }
};

/* The period asked for (empty: the last USAGE_DEFAULT_DAYS days, to
 * today) into from, to; NULL, or the message of what is wrong. */
static const char *
period(struct web *w, char from[11], char to[11])
{
	struct str f = form_text(&w->form, "from"), t = form_text(&w->form,
	    "to");

	usage_date_ago(USAGE_DEFAULT_DAYS - 1, from);
	usage_date_ago(0, to);
	if (f.len > 0) {
		memcpy(from, f.p, f.len);
		from[f.len] = '\0';
	}
	if (t.len > 0) {
		memcpy(to, t.p, t.len);
		to[t.len] = '\0';
	}
	if (!usage_date_valid(from) || !usage_date_valid(to))
		return _("Enter a date such as 2026-03-31.");
	if (strcmp(from, to) > 0)
		return _("The period ends before it starts.");
	if (usage_span(from, to) > USAGE_KEEP_DAYS + 1)
		return _("Choose a period of at most 400 days.");
	return NULL;
}

static const char *
media_mb(struct web *w, int64_t bytes)
{
	/* Whole megabytes, rounded up: a shop with one photo holds 1. */
	return page_count(w, (bytes + 999999) / 1000000);
}

static void
row_model(struct web *w, json_object *o, const struct usage_row *u)
{
	jset_i64(o, "id", u->tenant_id);
	jset_cstr(o, "slug", u->slug);
	jset_cstr(o, "name", u->name);
	jset_cstr(o, "plan", u->plan);
	jset_cstr(o, "orders", page_count(w, u->u.orders));
	jset_cstr(o, "revenue", u->u.currency[0] ? page_money(w,
	    u->u.revenue, u->u.currency) : "");
	jset_cstr(o, "products", page_count(w, u->u.products));
	jset_cstr(o, "media", media_mb(w, u->u.media_bytes));
	jset_cstr(o, "staff", page_count(w, u->u.staff));
	jset_cstr(o, "api", page_count(w, u->u.api_requests));
	jset_cstr(o, "views", page_count(w, u->u.page_views));
}

static int
usage_page(struct req *r)
{
	struct web		*w = web_of(r);
	struct usage_row	*rows;
	struct usage_day	*days;
	const char		*bad;
	char			 from[11], to[11];
	size_t			 n, ndays, i;
	int64_t			 total, page = form_i64(&w->form, "page");
	int			 sort = (int)form_i64(&w->form, "sort");
	json_object		*m, *arr, *o;

	if ((bad = period(w, from, to)) != NULL)
		return page_error(w, 400, bad);
	if (page < 1)
		page = 1;
	if (usage_table(w->db, r->arena, from, to, (enum usage_sort)sort,
	    USAGE_PAGE, (size_t)(page - 1) * USAGE_PAGE, &rows, &n, &total) ==
	    -1 || usage_days(w->db, r->arena, 0, from, to, &days, &ndays) ==
	    -1)
		return page_error(w, 503, NULL);
	m = platform_model(w, _("Usage"));
	jset_cstr(m, "from", from);
	jset_cstr(m, "to", to);
	jset_cstr(m, "sort", sorts[sort]);
	jset_cstr(m, "count_text", arena_printf(r->arena, ngettext("%s shop",
	    "%s shops", (unsigned long)total), page_count(w, total)));
	admin_charts_usage(w, m, days, ndays);
	arr = jset_arr(m, "cols");
	for (i = 0; sorts[i] != NULL; i++) {
		static const char *const heads[] = { N_("Shop"),
		    N_("Orders"), N_("Revenue"), N_("Products"),
		    N_("Media (MB)"), N_("Staff"), N_("API requests"),
		    N_("Page views") };

		o = jarr_obj(arr);
		jset_cstr(o, "label", _(heads[i]));
		jset_cstr(o, "url", arena_printf(r->arena,
		    "/operator/usage?from=%s&to=%s&sort=%s", from, to,
		    sorts[i]));
		jset_bool(o, "num", i > 0);
		jset_bool(o, "current", (int)i == sort);
	}
	arr = jset_arr(m, "rows");
	for (i = 0; i < n; i++)
		row_model(w, jarr_obj(arr), &rows[i]);
	if (page > 1)
		jset_cstr(m, "prev_url", arena_printf(r->arena,
		    "/operator/usage?from=%s&to=%s&sort=%s&page=%lld", from,
		    to, sorts[sort], (long long)page - 1));
	if (page * USAGE_PAGE < total)
		jset_cstr(m, "next_url", arena_printf(r->arena,
		    "/operator/usage?from=%s&to=%s&sort=%s&page=%lld", from,
		    to, sorts[sort], (long long)page + 1));
	jset_cstr(m, "csv_url", arena_printf(r->arena,
	    "/operator/usage.csv?from=%s&to=%s&sort=%s", from, to,
	    sorts[sort]));
	return page_render(w, 200, "platform/usage");
}

static void
csv_put(struct str *v, size_t *n, const char *s)
{
	v[(*n)++] = str_c(s);
}

static int
usage_csv(struct req *r)
{
	struct web		*w = web_of(r);
	struct usage_row	*rows;
	const char		*bad;
	char			 from[11], to[11], rev[MONEY_PLAIN_MAX];
	struct str		 v[12];
	size_t			 n, i, k;
	int64_t			 total;
	int			 sort = (int)form_i64(&w->form, "sort");

	if ((bad = period(w, from, to)) != NULL)
		return page_error(w, 400, bad);
	if (tenant_count(w->db, 0, &total) != TENANT_OK)
		return page_error(w, 503, NULL);
	if (usage_table(w->db, r->arena, from, to, (enum usage_sort)sort,
	    (size_t)total + 1, 0, &rows, &n, &total) == -1)
		return page_error(w, 503, NULL);
	strbuf_reset(r->out);
	strbuf_addstr(r->out, CSV_BOM);
	k = 0;
	csv_put(v, &k, _("Shop"));
	csv_put(v, &k, _("Name"));
	csv_put(v, &k, _("Plan"));
	csv_put(v, &k, _("Orders"));
	csv_put(v, &k, _("Revenue"));
	csv_put(v, &k, _("Currency"));
	csv_put(v, &k, _("Products"));
	csv_put(v, &k, _("Media bytes"));
	csv_put(v, &k, _("Staff"));
	csv_put(v, &k, _("API requests"));
	csv_put(v, &k, _("Page views"));
	csv_row(r->out, v, k);
	for (i = 0; i < n; i++) {
		const struct usage_row *u = &rows[i];

		k = 0;
		if (money_format_plain(u->u.revenue, u->u.currency[0] ?
		    u->u.currency : "EUR", rev, sizeof(rev)) < 0)
			rev[0] = '\0';
		csv_put(v, &k, u->slug);
		csv_put(v, &k, u->name);
		csv_put(v, &k, u->plan);
		csv_put(v, &k, arena_printf(r->arena, "%lld",
		    (long long)u->u.orders));
		csv_put(v, &k, arena_strdup(r->arena, rev));
		csv_put(v, &k, u->u.currency);
		csv_put(v, &k, arena_printf(r->arena, "%lld",
		    (long long)u->u.products));
		csv_put(v, &k, arena_printf(r->arena, "%lld",
		    (long long)u->u.media_bytes));
		csv_put(v, &k, arena_printf(r->arena, "%lld",
		    (long long)u->u.staff));
		csv_put(v, &k, arena_printf(r->arena, "%lld",
		    (long long)u->u.api_requests));
		csv_put(v, &k, arena_printf(r->arena, "%lld",
		    (long long)u->u.page_views));
		csv_row(r->out, v, k);
	}
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"usage-%s-%s.csv\"", from, to));
	return resp_send(r);
}

static int
shop_usage(struct req *r)
{
	struct web		*w = web_of(r);
	struct usage_day	*days;
	struct tenant		 t;
	const char		*bad;
	char			 from[11], to[11];
	size_t			 n, i;
	json_object		*m, *arr, *o;

	if ((bad = period(w, from, to)) != NULL)
		return page_error(w, 400, bad);
	switch (tenant_get_by_id(w->db, form_i64(&w->form, "id"), &t)) {
	case TENANT_OK:
		break;
	case TENANT_ENOTFOUND:
		return page_error(w, 404, _("There is no such shop."));
	default:
		return page_error(w, 503, NULL);
	}
	if (usage_days(w->db, r->arena, t.id, from, to, &days, &n) == -1)
		return page_error(w, 503, NULL);
	m = platform_model(w, t.name);
	jset_cstr(m, "shop_name", t.name);
	jset_cstr(m, "slug", t.slug);
	jset_i64(m, "id", t.id);
	jset_cstr(m, "from", from);
	jset_cstr(m, "to", to);
	admin_charts_usage(w, m, days, n);
	arr = jset_arr(m, "days");
	for (i = n; i-- > 0;) {
		o = jarr_obj(arr);
		jset_cstr(o, "day", days[i].day);
		jset_cstr(o, "orders", page_count(w, days[i].orders));
		jset_cstr(o, "revenue", page_money(w, days[i].revenue,
		    t.currency));
		jset_cstr(o, "products", page_count(w, days[i].products));
		jset_cstr(o, "media", media_mb(w, days[i].media_bytes));
		jset_cstr(o, "staff", page_count(w, days[i].staff));
		jset_cstr(o, "api", page_count(w, days[i].api_requests));
		jset_cstr(o, "views", page_count(w, days[i].page_views));
	}
	return page_render(w, 200, "platform/usage_shop");
}

const struct route operator_usage_routes[] = {
	{ HTTP_GET, "/operator/usage", usage_page,
	    PLATFORM_AUTH | PLATFORM_OPERATOR, table_fields },
	{ HTTP_GET, "/operator/usage.csv", usage_csv,
	    PLATFORM_AUTH | PLATFORM_OPERATOR, table_fields },
	{ HTTP_GET, "/operator/usage/:id", shop_usage,
	    PLATFORM_AUTH | PLATFORM_OPERATOR, shop_fields },
};
const size_t operator_usage_nroutes = NELEM(operator_usage_routes);
