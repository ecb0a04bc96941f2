/*
 * svgchart.c: bar and line charts as SVG text (svgchart.h).
 *
 * Coordinates are written as whole viewBox units with our own integer
 * printing, never "%f": the worker's LC_NUMERIC must not turn a point
 * into a comma inside an attribute, and a 600-unit-wide box needs no
 * finer grain. Text widths are estimated (no font metrics on the
 * server): 0.6 em for ASCII, 1 em for everything else (CJK), which
 * errs wide, so thinned labels never touch.
 */
#include "core/common.h"
#include "core/svgchart.h"

#define TEXT_COLOR	"#1f2328"	/* 15:1 on white */
#define MUTED_COLOR	"#57606a"	/* 6:1 on white */
#define GRID_COLOR	"#d8dee4"
#define PAD		10
#define LEGEND_H	(SVGCHART_FONT + 14)
#define TICKS_MAX	8
#define BAR_MAX		(SVGCHART_W / 6)

static int64_t
clamp(int64_t v)
{
	if (v > SVGCHART_VALUE_MAX)
		return SVGCHART_VALUE_MAX;
	if (v < -SVGCHART_VALUE_MAX)
		return -SVGCHART_VALUE_MAX;
	return v;
}

/* Floor and ceiling of a / b for b > 0, whatever a's sign. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int64_t
ceil_div(int64_t a, int64_t b)
{
	return a >= 0 ? (a + b - 1) / b : -(-a / b);
}

/* The smallest of 1, 2, 5 times a power of ten at or above raw (> 0),
 * made a multiple of unit. */
static int64_t
nice_step(int64_t raw, int64_t unit)
{
	int64_t p = 1, s;

	while (p <= raw / 10)
		p *= 10;
	if (raw <= p)
		s = p;
	else if (raw <= 2 * p)
		s = 2 * p;
	else if (raw <= 5 * p)
		s = 5 * p;
	else
		s = 10 * p;
	if (s < unit)
		s = unit;
	return ceil_div(s, unit) * unit;
}

size_t
svgchart_ticks(int64_t lo, int64_t hi, int64_t unit, int64_t *ticks,
    size_t max)
{
	int64_t	t, range, step, first, last;
	size_t	n, i;

	if (max == 0)
		return 0;
	lo = clamp(lo);
	hi = clamp(hi);
	if (lo > hi) {
		t = lo;
		lo = hi;
		hi = t;
	}
	if (lo > 0)
		lo = 0;
	if (hi < 0)
		hi = 0;
	unit = unit > 0 ? (unit > SVGCHART_VALUE_MAX ? SVGCHART_VALUE_MAX :
	    unit) : 1;
	range = hi - lo;
	if (range == 0) {
		ticks[0] = 0;
		if (max > 1)
			ticks[1] = unit;
		return max > 1 ? 2 : 1;
	}
	step = nice_step(ceil_div(range, 4), unit);
	for (;;) {
		first = floor_div(lo, step) * step;
		last = ceil_div(hi, step) * step;
		n = (size_t)((last - first) / step) + 1;
		if (n <= max || max < 2)
			break;
		step = nice_step(step + 1, unit);
	}
	for (i = 0; i < n && i < max; i++)
		ticks[i] = first + (int64_t)i * step;
	return i;
}

/* The length of the UTF-8 sequence at p (n bytes left) and its code
 * point in *cp, or 0 when it is not valid or not an XML Char. */
static size_t
xml_char(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t	c;
	size_t		len, i;

	if (p[0] < 0x80) {
		c = p[0];
		len = 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		len = 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		len = 3;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		len = 4;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000))
		return 0;	/* overlong */
	if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
		return 0;
	if ((c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff ||
	    c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

void
svgchart_escape(struct strbuf *out, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 i = 0, len;

	while (i < n) {
		if ((len = xml_char(p + i, n - i, &c)) == 0) {
			strbuf_addch(out, '?');
			i++;
			continue;
		}
		switch (c) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_add(out, p + i, len); break;
		}
		i += len;
	}
}

static void
esc(struct strbuf *out, const char *s)
{
	if (s != NULL)
		svgchart_escape(out, s, strlen(s));
}

/* The estimated width of s in viewBox units at SVGCHART_FONT. */
static int
text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)(s ? s : "");
	long			 w = 0;

	for (; *p != '\0'; p++) {
		if (*p < 0x80)
			w += 6;
		else if ((*p & 0xc0) != 0x80)
			w += 10;
		if (w > 100000)
			break;
	}
	return (int)(w * SVGCHART_FONT / 10);
}

/* A coordinate: whole units, rounded (see the top comment). */
static void
num(struct strbuf *out, double v)
{
	strbuf_addf(out, "%ld", (long)(v < 0 ? v - 0.5 : v + 0.5));
}

/* value formatted by the caller, plain; the result lives in tmp. */
static const char *
fmt_value(const struct svgchart *c, struct strbuf *tmp, int64_t v)
{
	strbuf_reset(tmp);
	if (c->fmt != NULL)
		c->fmt(tmp, v, c->fmt_arg);
	if (tmp->len == 0)
		strbuf_addf(tmp, "%lld", (long long)v);
	return tmp->buf;
}

struct layout {
	int64_t	 ticks[TICKS_MAX];
	size_t	 nticks;
	double	 x0, x1, y0, y1;	/* the plot area */
	double	 slot;			/* width of one point's band */
	size_t	 every;			/* every k-th x label is shown */
	size_t	 n;
};

static double
y_of(const struct layout *l, int64_t v)
{
	int64_t	lo = l->ticks[0], hi = l->ticks[l->nticks - 1];

	return l->y1 - (double)(clamp(v) - lo) * (l->y1 - l->y0) /
	    (double)(hi - lo);
}

static double
x_of(const struct layout *l, size_t i)
{
	return l->x0 + l->slot * ((double)i + 0.5);
}

static void
lay_out(const struct svgchart *c, size_t n, struct strbuf *tmp,
    struct layout *l)
{
	int64_t	lo = 0, hi = 0;
	int	w, left = 0;
	size_t	i, s;

	memset(l, 0, sizeof(*l));
	l->n = n;
	for (s = 0; s < c->nseries; s++)
		for (i = 0; i < n; i++) {
			int64_t v = clamp(c->series[s].v[i]);

			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	l->nticks = svgchart_ticks(lo, hi, c->unit, l->ticks, TICKS_MAX);
	for (i = 0; i < l->nticks; i++) {
		w = text_width(fmt_value(c, tmp, l->ticks[i]));
		left = w > left ? w : left;
	}
	if (left > SVGCHART_W / 3)
		left = SVGCHART_W / 3;
	w = 0;
	for (i = 0; i < n; i++) {
		int lw = text_width(c->labels ? c->labels[i] : NULL);

		w = lw > w ? lw : w;
	}
	l->x0 = left + 2 * PAD;
	/* Room for half the newest label right of its point, so it is
	 * never pushed left into its neighbour. */
	l->x1 = SVGCHART_W - (n > SVGCHART_NAMED_MAX && w / 2 > PAD ?
	    (w / 2 < SVGCHART_W / 6 ? w / 2 : SVGCHART_W / 6) : PAD);
	l->y0 = PAD + SVGCHART_FONT / 2 + (c->nseries > 1 ? LEGEND_H : 0);
	l->y1 = SVGCHART_H - SVGCHART_FONT - 2 * PAD;
	l->slot = (l->x1 - l->x0) / (double)n;
	/* A few points are categories (products): each keeps its label,
	 * cut to its band. Many are a series (days): thinned. */
	l->every = n <= SVGCHART_NAMED_MAX ? 1 :
	    (size_t)((w + PAD) / l->slot) + 1;
}

/* Appends s, cut with an ellipsis to at most max units wide. */
static void
label(struct strbuf *out, const char *s, double max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, cut = 0;
	double			 w = 0, ell = SVGCHART_FONT;

	if (text_width(s) <= max) {
		esc(out, s);
		return;
	}
	for (i = 0; p[i] != '\0'; i++) {
		if ((p[i] & 0xc0) == 0x80)
			continue;
		w += (p[i] < 0x80 ? 6 : 10) * SVGCHART_FONT / 10.0;
		if (w + ell > max)
			break;
		cut = i + 1;
		while (p[cut] != '\0' && (p[cut] & 0xc0) == 0x80)
			cut++;
	}
	svgchart_escape(out, s, cut);
	strbuf_addstr(out, "\xe2\x80\xa6");
}

static void
axes(struct strbuf *out, const struct svgchart *c, const struct layout *l,
    struct strbuf *tmp)
{
	size_t	i;

	for (i = 0; i < l->nticks; i++) {
		double y = y_of(l, l->ticks[i]);

		strbuf_addf(out, "<line x1=\"");
		num(out, l->x0);
		strbuf_addstr(out, "\" x2=\"");
		num(out, l->x1);
		strbuf_addstr(out, "\" y1=\"");
		num(out, y);
		strbuf_addstr(out, "\" y2=\"");
		num(out, y);
		strbuf_addf(out, "\" stroke=\"%s\" stroke-width=\"%d\"/>",
		    l->ticks[i] == 0 ? MUTED_COLOR : GRID_COLOR,
		    l->ticks[i] == 0 ? 2 : 1);
		strbuf_addstr(out, "<text x=\"");
		num(out, l->x0 - PAD);
		strbuf_addstr(out, "\" y=\"");
		num(out, y + SVGCHART_FONT / 3);
		strbuf_addstr(out, "\" text-anchor=\"end\">");
		esc(out, fmt_value(c, tmp, l->ticks[i]));
		strbuf_addstr(out, "</text>");
	}
	/* The newest point (the right end) always keeps its label. */
	for (i = 0; i < l->n; i++) {
		const char	*s = c->labels ? c->labels[i] : NULL;
		double		 x = x_of(l, i), half, max;

		if ((l->n - 1 - i) % l->every != 0 || s == NULL)
			continue;
		max = l->slot * (double)l->every - PAD / 2.0;
		half = (text_width(s) < max ? text_width(s) : max) / 2.0;
		/* Shifted, a label would touch its neighbour: the oldest
		 * one is dropped when it does not fit on the left. */
		if (x - half < 0 && l->every > 1)
			continue;
		if (x - half < 0)
			x = half;
		if (x + half > SVGCHART_W)
			x = SVGCHART_W - half;
		strbuf_addstr(out, "<text x=\"");
		num(out, x);
		strbuf_addstr(out, "\" y=\"");
		num(out, SVGCHART_H - PAD);
		strbuf_addstr(out, "\" text-anchor=\"middle\">");
		label(out, s, max);
		strbuf_addstr(out, "</text>");
	}
}

static void
color_of(const struct svgchart_series *s, char hex[8])
{
	color_hex(color_readable(s->color, COLOR_PAGE_BG, COLOR_TEXT_RATIO),
	    hex);
}

/* "label: value" (and the second series) for a mark's tooltip and the
 * description. */
static void
point_text(struct strbuf *out, const struct svgchart *c, size_t i,
    struct strbuf *tmp)
{
	size_t s;

	esc(out, c->labels ? c->labels[i] : NULL);
	strbuf_addstr(out, ": ");
	for (s = 0; s < c->nseries; s++) {
		if (s > 0)
			strbuf_addstr(out, ", ");
		if (c->nseries > 1) {
			esc(out, c->series[s].name);
			strbuf_addch(out, ' ');
		}
		esc(out, fmt_value(c, tmp, c->series[s].v[i]));
	}
}

static void
bars(struct strbuf *out, const struct svgchart *c, const struct layout *l,
    struct strbuf *tmp)
{
	/* A bar wider than BAR_MAX reads as a block, not a bar. */
	double	band = l->slot * 0.7 < BAR_MAX ? l->slot * 0.7 : BAR_MAX;
	double	bw = band / (double)c->nseries;
	double	zero = y_of(l, 0);
	size_t	i, s;
	char	hex[8];

	for (s = 0; s < c->nseries; s++) {
		color_of(&c->series[s], hex);
		strbuf_addf(out, "<g fill=\"%s\">", hex);
		for (i = 0; i < l->n; i++) {
			double y = y_of(l, c->series[s].v[i]);
			double x = x_of(l, i) - band / 2 + bw * (double)s;

			strbuf_addstr(out, "<rect x=\"");
			num(out, x);
			strbuf_addstr(out, "\" y=\"");
			num(out, y < zero ? y : zero);
			strbuf_addstr(out, "\" width=\"");
			num(out, bw > 1 ? bw : 1);
			strbuf_addstr(out, "\" height=\"");
			num(out, y < zero ? zero - y : y - zero);
			strbuf_addstr(out, "\"><title>");
			point_text(out, c, i, tmp);
			strbuf_addstr(out, "</title></rect>");
		}
		strbuf_addstr(out, "</g>");
	}
}

static void
lines(struct strbuf *out, const struct svgchart *c,
    const struct layout *l, struct strbuf *tmp)
{
	size_t	i, s;
	char	hex[8];

	for (s = 0; s < c->nseries; s++) {
		color_of(&c->series[s], hex);
		if (l->n > 1) {
			strbuf_addf(out, "<polyline fill=\"none\" stroke=\"%s\""
			    " stroke-width=\"3\" stroke-linejoin=\"round\""
			    "%s points=\"", hex,
			    s > 0 ? " stroke-dasharray=\"8 4\"" : "");
			for (i = 0; i < l->n; i++) {
				if (i > 0)
					strbuf_addch(out, ' ');
				num(out, x_of(l, i));
				strbuf_addch(out, ',');
				num(out, y_of(l, c->series[s].v[i]));
			}
			strbuf_addstr(out, "\"/>");
		}
		strbuf_addf(out, "<g fill=\"%s\">", hex);
		for (i = 0; i < l->n; i++) {
			strbuf_addstr(out, "<circle cx=\"");
			num(out, x_of(l, i));
			strbuf_addstr(out, "\" cy=\"");
			num(out, y_of(l, c->series[s].v[i]));
			strbuf_addf(out, "\" r=\"%d\"><title>",
			    l->n > 60 ? 2 : 4);
			point_text(out, c, i, tmp);
			strbuf_addstr(out, "</title></circle>");
		}
		strbuf_addstr(out, "</g>");
	}
}

static void
legend(struct strbuf *out, const struct svgchart *c)
{
	size_t	s;
	int	x = PAD;
	char	hex[8];

	for (s = 0; s < c->nseries; s++) {
		color_of(&c->series[s], hex);
		strbuf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\""
		    " height=\"%d\" fill=\"%s\"/>", x, PAD, SVGCHART_FONT,
		    SVGCHART_FONT, hex);
		strbuf_addf(out, "<text x=\"%d\" y=\"%d\">",
		    x + SVGCHART_FONT + 6, PAD + SVGCHART_FONT - 4);
		esc(out, c->series[s].name);
		strbuf_addstr(out, "</text>");
		x += SVGCHART_FONT + 6 + text_width(c->series[s].name) +
		    2 * PAD;
		if (x > SVGCHART_W)
			break;
	}
}

static void
table(struct strbuf *out, const struct svgchart *c, size_t n,
    struct strbuf *tmp)
{
	size_t	i, s;

	strbuf_addstr(out, "<details><summary>");
	esc(out, c->figures);
	strbuf_addstr(out, "</summary><table class=\"list\"><thead><tr>"
	    "<th scope=\"col\">");
	esc(out, c->label_head);
	strbuf_addstr(out, "</th>");
	for (s = 0; s < c->nseries; s++) {
		strbuf_addstr(out, "<th scope=\"col\" class=\"num\">");
		esc(out, c->series[s].name);
		strbuf_addstr(out, "</th>");
	}
	strbuf_addstr(out, "</tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		strbuf_addstr(out, "<tr><th scope=\"row\">");
		esc(out, c->labels ? c->labels[i] : NULL);
		strbuf_addstr(out, "</th>");
		for (s = 0; s < c->nseries; s++) {
			strbuf_addstr(out, "<td class=\"num\">");
			esc(out, fmt_value(c, tmp, c->series[s].v[i]));
			strbuf_addstr(out, "</td>");
		}
		strbuf_addstr(out, "</tr>");
	}
	strbuf_addstr(out, "</tbody></table></details>");
}

static void
id_attr(struct strbuf *out, const char *id, const char *suffix)
{
	const char *p;

	strbuf_addstr(out, "chart-");
	for (p = id ? id : ""; *p != '\0'; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			strbuf_addch(out, *p);
	strbuf_addstr(out, suffix);
}

void
svgchart_render(struct strbuf *out, const struct svgchart *c)
{
	struct strbuf	tmp = STRBUF_INIT;
	struct layout	l;
	size_t		n = c->n, i;
	int		empty;

	if (n > SVGCHART_POINTS_MAX)
		n = SVGCHART_POINTS_MAX;
	empty = n == 0 || c->nseries == 0 ||
	    c->nseries > SVGCHART_SERIES_MAX;
	/* The caption is hidden from the accessibility tree: the SVG's
	 * title says the same, with the figures. */
	strbuf_addstr(out, "<figure class=\"chart\"><figcaption"
	    " aria-hidden=\"true\">");
	esc(out, c->title);
	strbuf_addstr(out, "</figcaption><svg xmlns="
	    "\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	strbuf_addf(out, "%d %d\" width=\"100%%\" role=\"img\""
	    " aria-labelledby=\"", SVGCHART_W, SVGCHART_H);
	id_attr(out, c->id, "-t");
	strbuf_addch(out, ' ');
	id_attr(out, c->id, "-d");
	strbuf_addf(out, "\" font-family=\"system-ui, sans-serif\""
	    " font-size=\"%d\" fill=\"%s\"><title id=\"", SVGCHART_FONT,
	    TEXT_COLOR);
	id_attr(out, c->id, "-t");
	strbuf_addstr(out, "\">");
	esc(out, c->title);
	strbuf_addstr(out, "</title><desc id=\"");
	id_attr(out, c->id, "-d");
	strbuf_addstr(out, "\">");
	if (empty)
		esc(out, c->empty);
	for (i = 0; !empty && i < n; i++) {
		if (i > 0)
			strbuf_addstr(out, "; ");
		point_text(out, c, i, &tmp);
	}
	strbuf_addstr(out, "</desc>");
	if (empty) {
		strbuf_addf(out, "<rect x=\"1\" y=\"1\" width=\"%d\""
		    " height=\"%d\" fill=\"none\" stroke=\"%s\""
		    " stroke-dasharray=\"6 6\"/><text x=\"%d\" y=\"%d\""
		    " text-anchor=\"middle\" fill=\"%s\">", SVGCHART_W - 2,
		    SVGCHART_H - 2, GRID_COLOR, SVGCHART_W / 2,
		    SVGCHART_H / 2, MUTED_COLOR);
		esc(out, c->empty);
		strbuf_addstr(out, "</text></svg></figure>");
		strbuf_release(&tmp);
		return;
	}
	lay_out(c, n, &tmp, &l);
	if (c->nseries > 1)
		legend(out, c);
	axes(out, c, &l, &tmp);
	if (c->kind == SVGCHART_BAR)
		bars(out, c, &l, &tmp);
	else
		lines(out, c, &l, &tmp);
	strbuf_addstr(out, "</svg>");
	table(out, c, n, &tmp);
	strbuf_addstr(out, "</figure>");
	strbuf_release(&tmp);
}
