/*
 * Unit test of core/svgchart.c: the output is well-formed XML (libxml2
 * parses it), ticks are nice and hold the data and zero, every text is
 * escaped, no data and one point draw, negative values go below zero.
 */
#include "core/common.h"
#include "core/svgchart.h"
#include "test.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>

static void
money_like(struct strbuf *out, int64_t v, void *arg)
{
	(void)arg;
	strbuf_addf(out, "%s€%lld.%02lld", v < 0 ? "-" : "",
	    (long long)(v < 0 ? -v : v) / 100,
	    (long long)(v < 0 ? -v : v) % 100);
}

/* Parses html as XML; returns the document (caller frees) or NULL. */
static xmlDocPtr
parse(const struct strbuf *sb)
{
	return xmlReadMemory(sb->buf, (int)sb->len, "chart.xml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The number of nodes matching expr (SVG elements carry a namespace,
 * so expressions use local-name()). */
static int
count(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr	ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr	o;
	int			n = -1;

	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (o != NULL && o->nodesetval != NULL)
		n = o->nodesetval->nodeNr;
	else if (o != NULL)
		n = 0;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return n;
}

static int
nice(int64_t step)
{
	while (step % 10 == 0 && step > 1)
		step /= 10;
	return step == 1 || step == 2 || step == 5;
}

static void
check_ticks(int64_t lo, int64_t hi, int64_t unit)
{
	int64_t	t[8];
	size_t	n = svgchart_ticks(lo, hi, unit, t, 8), i;

	TEST_CHECK(n >= 2 && n <= 8);
	lo = lo < -SVGCHART_VALUE_MAX ? -SVGCHART_VALUE_MAX : lo;
	hi = hi > SVGCHART_VALUE_MAX ? SVGCHART_VALUE_MAX : hi;
	if (n < 2)
		return;
	TEST_CHECK(t[0] <= 0 && t[0] <= lo);
	TEST_CHECK(t[n - 1] >= 0 && t[n - 1] >= hi);
	for (i = 1; i < n; i++) {
		TEST_CHECK(t[i] - t[i - 1] == t[1] - t[0]);
		TEST_CHECK(t[i] > t[i - 1]);
	}
	TEST_CHECK((t[1] - t[0]) % (unit > 0 ? unit : 1) == 0);
	if (unit <= 1)
		TEST_CHECK(nice(t[1] - t[0]));
}

int
main(void)
{
	static const char *const days[] = {
		"1 Dec", "2 Dec", "3 <Dec>", "4 & \"Dec\"", "5 Dec",
	};
	static const int64_t	revenue[] = { 1250, 0, 98000, 4300, 12 };
	static const int64_t	orders[] = { 3, 0, 12, 5, 1 };
	static const int64_t	neg[] = { -500, 300, -1200, 0, 50 };
	static const char *const bad[] = { "ok", "\x01\xff<\xc3", "x" };
	struct strbuf		sb = STRBUF_INIT;
	struct svgchart		c;
	xmlDocPtr		doc;
	int64_t			t[8];
	size_t			n;

	/* Ticks: 1, 2, 5 times a power of ten, around the data and 0. */
	n = svgchart_ticks(0, 98000, 1, t, 8);
	TEST_CHECK(n >= 2 && t[0] == 0 && t[n - 1] >= 98000);
	TEST_CHECK(t[1] - t[0] == 20000 || t[1] - t[0] == 50000);
	n = svgchart_ticks(0, 12, 1, t, 8);
	TEST_CHECK(n >= 2 && t[0] == 0 && t[1] == 5 && t[n - 1] == 15);
	n = svgchart_ticks(0, 0, 100, t, 8);
	TEST_CHECK(n == 2 && t[0] == 0 && t[1] == 100);
	n = svgchart_ticks(0, 3, 100, t, 8);
	TEST_CHECK(n == 2 && t[0] == 0 && t[1] == 100);
	n = svgchart_ticks(-1200, 300, 1, t, 8);
	TEST_CHECK(n >= 2 && t[0] == -1500 && t[n - 1] == 500);
	check_ticks(1, 1, 1);
	check_ticks(7, 7, 1);
	check_ticks(-7, -3, 1);
	check_ticks(0, 999999, 1);
	check_ticks(123456, 123457, 1);
	check_ticks(-98765, 43210, 100);
	check_ticks(INT64_MIN, INT64_MAX, 1);
	check_ticks(0, INT64_MAX, 0);
	check_ticks(-1, 1, 7);

	/* A line chart with two series: well-formed, escaped, labelled. */
	memset(&c, 0, sizeof(c));
	c.kind = SVGCHART_LINE;
	c.id = "rev\"<x>";
	c.title = "Revenue <&> \"days\"";
	c.empty = "No data";
	c.figures = "Figures";
	c.label_head = "Day";
	c.labels = days;
	c.n = NELEM(days);
	c.series[0] = (struct svgchart_series){ "This <month>", revenue,
	    { 0xf2, 0xc1, 0x4e } };
	c.series[1] = (struct svgchart_series){ "Last & month", orders,
	    { 0x1f, 0x6f, 0xeb } };
	c.nseries = 2;
	c.unit = 100;
	c.fmt = money_like;
	svgchart_render(&sb, &c);
	TEST_CHECK((doc = parse(&sb)) != NULL);
	if (doc != NULL) {
		TEST_CHECK(count(doc, "//*[local-name()='svg'][@role='img']")
		    == 1);
		TEST_CHECK(count(doc, "//*[local-name()='title'][1][.="
		    "'Revenue <&> \"days\"']") >= 1);
		TEST_CHECK(count(doc, "//*[local-name()='polyline']") == 2);
		TEST_CHECK(count(doc, "//*[local-name()='circle']") == 10);
		TEST_CHECK(count(doc, "//table//tbody/tr") == 5);
		TEST_CHECK(count(doc, "//table//th[.='3 <Dec>']") == 1);
		TEST_CHECK(count(doc, "//table//td[.='€980.00']") == 1);
		TEST_CHECK(count(doc, "//*[local-name()='desc'][contains(.,"
		    "'4 & \"Dec\": This <month> €43.00, Last & month "
		    "€0.05')]") == 1);
		xmlFreeDoc(doc);
	}
	TEST_CHECK(strstr(sb.buf, "<Dec>") == NULL);
	TEST_CHECK(strstr(sb.buf, "\"<x>") == NULL);
	TEST_CHECK(strstr(sb.buf, "aria-labelledby=\"chart-revx-t "
	    "chart-revx-d\"") != NULL);
	/* The yellow is darkened to read on the page: not drawn as is;
	 * every colour drawn reaches 4.5:1 on the page background. */
	TEST_CHECK(strstr(sb.buf, "#f2c14e") == NULL);
	{
		const char	*p = sb.buf;
		struct color	 k;
		char		 hex[8];
		int		 seen = 0;

		while ((p = strstr(p, "=\"#")) != NULL) {
			memcpy(hex, p + 2, 7);
			hex[7] = '\0';
			p += 2;
			if (color_parse(hex, &k) != 0)
				continue;
			seen++;
			/* The grid's grey is decoration, not a mark. */
			if (strcmp(hex, "#d8dee4") == 0)
				continue;
			TEST_CHECK(color_contrast(k, COLOR_PAGE_BG) >= 4.5);
		}
		TEST_CHECK(seen > 4);
	}
	TEST_CHECK(strstr(sb.buf, "viewBox=\"0 0 600 300\"") != NULL);
	TEST_CHECK(strstr(sb.buf, "width=\"100%\"") != NULL);

	/* Bars with negative values: those below zero start at the zero
	 * line and go down. */
	strbuf_reset(&sb);
	c.kind = SVGCHART_BAR;
	c.series[0].v = neg;
	c.nseries = 1;
	c.fmt = NULL;
	c.unit = 0;
	svgchart_render(&sb, &c);
	TEST_CHECK((doc = parse(&sb)) != NULL);
	if (doc != NULL) {
		TEST_CHECK(count(doc, "//*[local-name()='rect']") == 5);
		TEST_CHECK(count(doc, "//*[local-name()='text'][.='-1500']")
		    == 1);
		TEST_CHECK(count(doc, "//table//td[.='-1200']") == 1);
		xmlFreeDoc(doc);
	}

	/* One point. */
	strbuf_reset(&sb);
	c.n = 1;
	c.kind = SVGCHART_LINE;
	svgchart_render(&sb, &c);
	TEST_CHECK((doc = parse(&sb)) != NULL);
	if (doc != NULL) {
		TEST_CHECK(count(doc, "//*[local-name()='polyline']") == 0);
		TEST_CHECK(count(doc, "//*[local-name()='circle']") == 1);
		TEST_CHECK(count(doc, "//table//tbody/tr") == 1);
		xmlFreeDoc(doc);
	}

	/* No data: the caller's words, and no table. */
	strbuf_reset(&sb);
	c.n = 0;
	svgchart_render(&sb, &c);
	TEST_CHECK((doc = parse(&sb)) != NULL);
	if (doc != NULL) {
		TEST_CHECK(count(doc, "//*[local-name()='text'][.='No data']")
		    == 1);
		TEST_CHECK(count(doc, "//table") == 0);
		xmlFreeDoc(doc);
	}

	/* Bytes that are not XML text still give well-formed output. */
	strbuf_reset(&sb);
	c.labels = bad;
	c.n = NELEM(bad);
	c.title = "\xed\xa0\x80\xef\xbf\xbe";
	svgchart_render(&sb, &c);
	TEST_CHECK((doc = parse(&sb)) != NULL);
	xmlFreeDoc(doc);
	strbuf_reset(&sb);
	svgchart_escape(&sb, "a\x01\xc3\xa9<\xe3\x81", 7);
	TEST_STREQ(sb.buf, "a?é&lt;??");

	/* A few points keep every label, cut to fit; the table has the
	 * whole of it. */
	{
		static const char *const names[] = {
			"A very long product name indeed", "Tee", "茶碗と急須のセット",
		};
		static const int64_t	v[] = { 5, 3, 1 };

		strbuf_reset(&sb);
		c.labels = names;
		c.n = 3;
		c.series[0].v = v;
		svgchart_render(&sb, &c);
		TEST_CHECK((doc = parse(&sb)) != NULL);
		if (doc != NULL) {
			TEST_CHECK(count(doc, "//*[local-name()='text']"
			    "[.='Tee']") == 1);
			TEST_CHECK(count(doc, "//*[local-name()='text']"
			    "[starts-with(.,'A very')][contains(.,'…')]") == 1);
			TEST_CHECK(count(doc, "//table//th[.='A very long "
			    "product name indeed']") == 1);
			xmlFreeDoc(doc);
		}
	}

	/* Many points: labels thinned, the last one kept. */
	{
		static const char	*many[90];
		static int64_t		 v[90];
		char			 names[90][8];
		size_t			 i;

		for (i = 0; i < 90; i++) {
			TEST_CHECK(snprintf(names[i], sizeof(names[i]),
			    "D%02zu", i) == 3);
			many[i] = names[i];
			v[i] = (int64_t)(i * 37 % 11);
		}
		strbuf_reset(&sb);
		c.labels = many;
		c.n = 90;
		c.series[0].v = v;
		c.kind = SVGCHART_BAR;
		svgchart_render(&sb, &c);
		TEST_CHECK((doc = parse(&sb)) != NULL);
		if (doc != NULL) {
			int shown = count(doc, "//*[local-name()='text']"
			    "[starts-with(.,'D')]");

			TEST_CHECK(shown > 5 && shown < 30);
			TEST_CHECK(count(doc, "//*[local-name()='text']"
			    "[.='D89']") == 1);
			xmlFreeDoc(doc);
		}
	}
	strbuf_release(&sb);
	xmlCleanupParser();
	return test_done();
}
