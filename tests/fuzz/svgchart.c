/*
 * libFuzzer target: svgchart_render(), fed labels, names and values
 * from the input, and svgchart_ticks().
 *
 * Input: byte 0 picks the kind, the series count and the unit; then
 * NUL-separated texts (title, series names, labels) until a 0xff
 * byte, after which every 8 bytes are a value. Checked: the output is
 * well-formed XML (libxml2 parses it) and the ticks hold the data.
 */
#include "core/common.h"

#include <libxml/parser.h>

#include "core/color.c"
#include "core/str.c"
#include "core/strbuf.c"
#include "core/svgchart.c"
#include "core/xalloc.c"

#define TEXTS_MAX	64

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fmt(struct strbuf *out, int64_t v, void *arg)
{
	strbuf_addf(out, "%s%lld", (const char *)arg, (long long)v);
}

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct strbuf	 sb = STRBUF_INIT;
	static char		 buf[4096], prefix[] = "<€&>";
	const char		*texts[TEXTS_MAX];
	int64_t			 v[2][TEXTS_MAX], ticks[8];
	struct svgchart		 c;
	size_t			 nt = 0, nv = 0, i, len, n;
	xmlDocPtr		 doc;

	xmlSetGenericErrorFunc(NULL, quiet);
	if (size < 1)
		return 0;
	memset(&c, 0, sizeof(c));
	c.kind = (data[0] & 1) ? SVGCHART_BAR : SVGCHART_LINE;
	c.nseries = (data[0] & 2) ? 2 : 1;
	c.unit = (int64_t)(data[0] >> 2) * 25;
	c.fmt = (data[0] & 0x80) ? fmt : NULL;
	c.fmt_arg = prefix;
	/* Texts: copied into buf, NUL-terminated. */
	len = size - 1 < sizeof(buf) - 1 ? size - 1 : sizeof(buf) - 1;
	memcpy(buf, data + 1, len);
	buf[len] = '\0';
	for (i = 0; i < len && nt < TEXTS_MAX; i++) {
		if ((unsigned char)buf[i] == 0xff) {
			buf[i] = '\0';
			break;
		}
		if (i == 0 || buf[i - 1] == '\0')
			texts[nt++] = buf + i;
	}
	for (i = i + 1; i + 8 <= len && nv < 2 * TEXTS_MAX; i += 8, nv++)
		memcpy(&v[nv % 2][nv / 2], buf + i, 8);
	if (nt < 3)
		return 0;
	c.title = texts[0];
	c.id = texts[0];
	c.empty = texts[1];
	c.figures = texts[1];
	c.label_head = texts[2];
	c.series[0].name = texts[1];
	c.series[1].name = texts[2];
	c.series[0].color = (struct color){ data[0], 0x80, 0xff };
	c.series[1].color = (struct color){ 0xff, data[0], 0x10 };
	c.labels = texts + 3;
	n = nt - 3;
	c.n = n < nv / 2 ? n : nv / 2;
	c.series[0].v = v[0];
	c.series[1].v = v[1];
	strbuf_reset(&sb);
	svgchart_render(&sb, &c);
	doc = xmlReadMemory(sb.buf, (int)sb.len, "f.xml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		abort();
	xmlFreeDoc(doc);
	for (i = 0; i < c.n; i++) {
		int64_t	lo = v[0][i], hi = v[1][i];

		n = svgchart_ticks(lo, hi, c.unit, ticks, 8);
		if (n < 2 || ticks[0] > 0 || ticks[n - 1] < 0)
			abort();
		if (lo > hi) {
			lo = v[1][i];
			hi = v[0][i];
		}
		if (ticks[0] > (lo < -SVGCHART_VALUE_MAX ?
		    -SVGCHART_VALUE_MAX : lo) ||
		    ticks[n - 1] < (hi > SVGCHART_VALUE_MAX ?
		    SVGCHART_VALUE_MAX : hi))
			abort();
	}
	return 0;
}
