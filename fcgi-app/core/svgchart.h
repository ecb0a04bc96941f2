/*
 * svgchart.h: bar and line charts drawn on the server as SVG text, for
 * the admin's dashboard and reports. No JavaScript, no fonts to load.
 *
 * A chart is n points along the x axis, each with a label, and one or
 * two series of int64_t values (money in minor units, counts). The
 * module knows nothing of money, dates or languages: the caller passes
 * the labels already translated and formatted for the locale, and a
 * callback that formats a value (money_format() in the shop's currency,
 * money_format_num() for counts). Every text the caller passes, and
 * every text the callback writes, is escaped here; text that is not
 * valid UTF-8 or holds a character XML forbids comes out with '?' in
 * its place, so the output is always well-formed XML.
 *
 * What it writes: a <figure class="chart"> holding a <figcaption> (the
 * title, for sighted readers), the <svg> (a
 * viewBox, width 100%, role="img", a <title> and a <desc> that reads
 * the figures out) and, under it, a <details> with the same figures as
 * a table, for screen readers and for people who want the numbers.
 * Axis ticks are "nice" values (1, 2 or 5 times a power of ten, never
 * finer than the caller's unit). Up to SVGCHART_NAMED_MAX points
 * (products, months) every label is shown, cut with an ellipsis to its
 * band; more (days) are thinned instead: every k-th is shown, the last
 * always. The title of each mark and the table keep the whole
 * label. No data (n == 0) draws the empty text instead.
 *
 * Sizes are in viewBox units (SVGCHART_W wide); text is
 * SVGCHART_FONT units, which stays legible on a 360 px phone. Colours
 * are the caller's (the shop's primary and accent), darkened with
 * color_readable() until they reach 4.5:1 on the page background, so
 * marks and their legend read as well as text. Values are clamped to
 * [-SVGCHART_VALUE_MAX, SVGCHART_VALUE_MAX]: ten trillion euros in
 * cents is beyond any shop, and integer ticks never overflow.
 *
 * No I/O. svgchart_render() formats each value into a scratch strbuf of
 * its own, freed before it returns (a few hundred bytes, once a chart).
 */
#ifndef SOUK_CORE_SVGCHART_H
#define SOUK_CORE_SVGCHART_H

#include <stddef.h>
#include <stdint.h>
#include "core/color.h"
#include "core/strbuf.h"

#define SVGCHART_SERIES_MAX	2
#define SVGCHART_POINTS_MAX	400	/* more points are cut */
#define SVGCHART_VALUE_MAX	INT64_C(1000000000000000)
#define SVGCHART_W		600
#define SVGCHART_H		300
#define SVGCHART_FONT		24
#define SVGCHART_NAMED_MAX	12	/* up to this many points, every
					 * label is shown, cut to fit */

enum svgchart_kind {
	SVGCHART_BAR,
	SVGCHART_LINE,
};

struct svgchart_series {
	const char	*name;		/* legend and table head, translated */
	const int64_t	*v;		/* n values (struct svgchart's n) */
	struct color	 color;		/* made readable before use */
};

/*
 * Appends v, formatted, to out (money_format(), a count, a percentage).
 * It must append something (the plain number when formatting fails).
 */
typedef void	svgchart_fmt_fn(struct strbuf *out, int64_t v, void *arg);

struct svgchart {
	enum svgchart_kind	 kind;
	const char		*id;	/* unique in the page, [A-Za-z0-9_-] */
	const char		*title;	/* the chart's name, translated */
	const char		*empty;	/* "No data for this period" */
	const char		*figures; /* the <details>' summary */
	const char		*label_head; /* the table's first head ("Day") */
	const char *const	*labels; /* n x-axis labels, formatted */
	size_t			 n;
	struct svgchart_series	 series[SVGCHART_SERIES_MAX];
	size_t			 nseries; /* 1 or 2 */
	int64_t			 unit;	/* the finest tick step (100 for
					 * cents of a euro); 0 means 1 */
	svgchart_fmt_fn		*fmt;	/* NULL: plain integers */
	void			*fmt_arg;
};

/*
 * Appends the chart c as HTML (a figure with an SVG and a table) to
 * out, which the caller owns. Texts that are NULL count as "". The
 * pointers of c are read only during the call.
 */
void	svgchart_render(struct strbuf *out, const struct svgchart *c);

/*
 * The ticks of an axis from lo to hi (any order, clamped as values
 * are) with a step of at least unit: writes at most max tick values,
 * lowest first, into ticks and returns their count (at least 2 when
 * max >= 2). The first is at or below min(lo, 0), the last at or above
 * max(hi, 0), so the zero line is always on the axis.
 */
size_t	svgchart_ticks(int64_t lo, int64_t hi, int64_t unit,
	    int64_t *ticks, size_t max);

/* Appends s (n bytes) escaped for XML text and attribute values, every
 * byte that is not valid XML UTF-8 as '?'. */
void	svgchart_escape(struct strbuf *out, const char *s, size_t n);

#endif
