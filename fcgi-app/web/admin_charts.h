/*
 * admin_charts.h: the charts of the admin's dashboard (orders and
 * revenue per day over the last STATS_DAYS days, the month's best
 * sellers), drawn by core/svgchart.h from shop/stats.h's figures in
 * the shop's colours, language, currency and time zone.
 */
#ifndef SOUK_WEB_ADMIN_CHARTS_H
#define SOUK_WEB_ADMIN_CHARTS_H

#include <json.h>
#include <time.h>

struct usage_day;
struct web;

/*
 * Sets "chart_revenue", "chart_orders" and "chart_top" in the page
 * model m: each the HTML of one chart (its text in the arena of w's
 * request), for {{{ }}} in the template. Two statements. Returns 0,
 * or -1 when the database failed.
 */
int	admin_charts_dashboard(struct web *w, json_object *m, time_t now);

/*
 * The usage charts (platform/usage.h) of the n days d, one point a
 * day: sets "chart_views" and "chart_api" (bars), "chart_uorders"
 * (bars) and "chart_products" (a line) in m, in the shop's colours (the
 * platform's blue on the operator's pages, where w->tenant is NULL).
 */
void	admin_charts_usage(struct web *w, json_object *m,
	    const struct usage_day *d, size_t n);

#endif
