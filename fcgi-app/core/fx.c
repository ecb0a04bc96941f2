/* fx.c: the ECB feed parser, rate checks and integer conversion (see
 * fx.h). */
#include "core/common.h"
#include "core/fx.h"
#include "core/money.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

int
fx_rate_parse(struct str s, int64_t *out)
{
	int64_t	v = 0;
	size_t	i, nint = 0, nfrac = 0;
	int	dot = 0;

	if (s.len == 0 || s.len > 32)
		return -1;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (c == '.' && !dot && nint > 0) {
			dot = 1;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		if (dot && ++nfrac > FX_DECIMALS)
			return -1;
		if (!dot)
			nint++;
		if (v > (FX_RATE_MAX - (c - '0')) / 10)
			return -1;
		v = v * 10 + (c - '0');
	}
	if (nint == 0 || (dot && nfrac == 0))
		return -1;
	for (; nfrac < FX_DECIMALS; nfrac++) {
		if (v > FX_RATE_MAX / 10)
			return -1;
		v *= 10;
	}
	if (v <= 0 || v > FX_RATE_MAX)
		return -1;
	*out = v;
	return 0;
}

int
fx_rate_format(int64_t rate, char *buf, size_t len)
{
	long long	ip, fp;
	int		n, dec = FX_DECIMALS;

	if (rate < 0)
		return -1;
	ip = rate / FX_SCALE;
	fp = rate % FX_SCALE;
	while (dec > 4 && fp % 10 == 0) {
		fp /= 10;
		dec--;
	}
	n = snprintf(buf, len, "%lld.%0*lld", ip, dec, fp);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *p, size_t n)
{
	int	v = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int
fx_date_valid(struct str s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d;

	if (s.len != FX_DATE_LEN || s.p[4] != '-' || s.p[7] != '-')
		return 0;
	y = digits(s.p, 4);
	m = digits(s.p + 5, 2);
	d = digits(s.p + 8, 2);
	if (y < 1999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return 0;
	return 1;
}

int64_t
fx_date_diff(const char *a, const char *b)
{
	return days_from_civil(digits(b, 4), digits(b + 5, 2),
	    digits(b + 8, 2)) - days_from_civil(digits(a, 4),
	    digits(a + 5, 2), digits(a + 8, 2));
}

int64_t
fx_rate_of(const struct fx_rates *r, const char *code)
{
	size_t i;

	if (code == NULL)
		return 0;
	if (strcmp(code, "EUR") == 0)
		return FX_SCALE;
	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].code, code) == 0)
			return r->v[i].rate;
	return 0;
}

int
fx_check_change(const struct fx_rates *old, const struct fx_rates *new,
    int64_t max_factor, char *err, size_t errlen)
{
	char	a[32], b[32];
	size_t	i;

	if (max_factor < FX_SCALE) {
		str_errf(err, errlen, "max change factor below 1");
		return -1;
	}
	for (i = 0; i < new->n; i++) {
		__int128	o = fx_rate_of(old, new->v[i].code);
		__int128	n = new->v[i].rate;

		if (o == 0)
			continue;
		if (n * FX_SCALE > o * max_factor ||
		    o * FX_SCALE > n * max_factor) {
			fx_rate_format((int64_t)o, a, sizeof(a));
			fx_rate_format((int64_t)n, b, sizeof(b));
			str_errf(err, errlen, "%s moves from %s to %s, more than "
			    "the allowed factor", new->v[i].code, a, b);
			return -1;
		}
	}
	return 0;
}

static int64_t
pow10i(int e)
{
	int64_t v = 1;

	while (e-- > 0)
		v *= 10;
	return v;
}

/* n / d rounded by mode; n >= 0, d > 0. */
static unsigned __int128
div_round(unsigned __int128 n, unsigned __int128 d, enum fx_round mode)
{
	unsigned __int128 q = n / d, r2 = (n % d) * 2;

	if (r2 > d || (r2 == d && (mode == FX_ROUND_HALF_UP || (q & 1))))
		q++;
	return q;
}

int
fx_convert(const struct fx_rates *r, int64_t amount, const char *from,
    const char *to, enum fx_round mode, struct fx_conversion *out)
{
	unsigned __int128	n, d, q;
	int64_t			b, qr, mag;
	int			ef, et;

	if ((ef = money_exponent(from)) < 0 || (et = money_exponent(to)) < 0)
		return -1;
	if (amount > FX_AMOUNT_MAX || amount < -FX_AMOUNT_MAX)
		return -1;
	if ((b = fx_rate_of(r, from)) <= 0 || (qr = fx_rate_of(r, to)) <= 0)
		return -1;
	if (strcmp(from, to) == 0)
		qr = b;
	mag = amount < 0 ? -amount : amount;
	/* 10^15 * 10^17 * 10^3 < 2^127: cannot overflow. */
	n = (unsigned __int128)mag * (unsigned __int128)qr *
	    (unsigned __int128)pow10i(et);
	d = (unsigned __int128)b * (unsigned __int128)pow10i(ef);
	q = div_round(n, d, mode);
	if (q > (unsigned __int128)INT64_MAX)
		return -1;
	n = (unsigned __int128)qr * FX_SCALE;
	if (div_round(n, b, FX_ROUND_HALF_UP) > (unsigned __int128)INT64_MAX)
		return -1;
	memset(out, 0, sizeof(*out));
	out->amount = amount < 0 ? -(int64_t)q : (int64_t)q;
	memcpy(out->from, from, 4);
	memcpy(out->to, to, 4);
	out->base_per_eur = b;
	out->quote_per_eur = qr;
	out->rate = (int64_t)div_round(n, b, FX_ROUND_HALF_UP);
	memcpy(out->date, r->date, sizeof(out->date));
	return 0;
}

/* --- the ECB document ------------------------------------------------ */

static int
is_elem(const xmlNode *n, const char *name, const char *ns)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0 && n->ns != NULL &&
	    n->ns->href != NULL && strcmp((const char *)n->ns->href, ns) == 0;
}

/* The one child element of parent that is a Cube, in the eurofxref
 * namespace; NULL (with err) when there is none, several, or anything
 * else but text and comments. */
static xmlNode *
only_cube(xmlNode *parent, int *count, const char *what, char *err,
    size_t errlen)
{
	xmlNode *c, *found = NULL;

	*count = 0;
	for (c = parent->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is_elem(c, "Cube", FX_NS_EUROFXREF))
			continue;	/* gesmes:subject, gesmes:Sender */
		(*count)++;
		found = c;
	}
	if (*count != 1) {
		str_errf(err, errlen, *count == 0 ? "no %s cube" :
		    "more than one %s cube", what);
		return NULL;
	}
	return found;
}

/* Copies attribute name of n (no namespace) into buf; -1 if absent or
 * longer than len - 1. */
static int
attr(xmlNode *n, const char *name, char *buf, size_t len)
{
	xmlChar	*v = xmlGetNoNsProp(n, (const xmlChar *)name);
	size_t	 l;

	if (v == NULL)
		return -1;
	l = strlen((const char *)v);
	if (l >= len) {
		xmlFree(v);
		return -1;
	}
	memcpy(buf, v, l + 1);
	xmlFree(v);
	return 0;
}

static int
code_valid(const char *c)
{
	return strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' &&
	    c[1] <= 'Z' && c[2] >= 'A' && c[2] <= 'Z';
}

static int
parse_day(xmlNode *day, struct fx_rates *out, char *err, size_t errlen)
{
	xmlNode	*c;
	char	 code[8], rate[40];
	size_t	 i;

	if (attr(day, "time", out->date, sizeof(out->date)) == -1 ||
	    !fx_date_valid(str_c(out->date))) {
		str_errf(err, errlen, "missing or invalid time attribute");
		return -1;
	}
	for (c = day->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_COMMENT_NODE)
			continue;
		if (!is_elem(c, "Cube", FX_NS_EUROFXREF)) {
			str_errf(err, errlen, "unexpected element in the day's "
			    "cube");
			return -1;
		}
		if (attr(c, "currency", code, sizeof(code)) == -1 ||
		    !code_valid(code)) {
			str_errf(err, errlen, "missing or invalid currency");
			return -1;
		}
		if (strcmp(code, "EUR") == 0) {
			str_errf(err, errlen, "a rate for EUR itself");
			return -1;
		}
		for (i = 0; i < out->n; i++)
			if (strcmp(out->v[i].code, code) == 0) {
				str_errf(err, errlen, "duplicate currency %s",
				    code);
				return -1;
			}
		if (out->n == FX_MAX_RATES) {
			str_errf(err, errlen, "more than %d currencies",
			    FX_MAX_RATES);
			return -1;
		}
		if (attr(c, "rate", rate, sizeof(rate)) == -1 ||
		    fx_rate_parse(str_c(rate), &out->v[out->n].rate) == -1) {
			str_errf(err, errlen, "missing or invalid rate for %s",
			    code);
			return -1;
		}
		memcpy(out->v[out->n].code, code, 4);
		out->n++;
	}
	if (out->n == 0) {
		str_errf(err, errlen, "no rates");
		return -1;
	}
	return 0;
}

int
fx_parse_ecb(const char *buf, size_t len, struct fx_rates *out, char *err,
    size_t errlen)
{
	xmlDoc	*doc;
	xmlNode	*root, *outer, *day;
	int	 n, rc = -1;

	memset(out, 0, sizeof(*out));
	if (len == 0) {
		str_errf(err, errlen, "empty document");
		return -1;
	}
	if (len > FX_MAX_DOC) {
		str_errf(err, errlen, "document larger than %d bytes",
		    FX_MAX_DOC);
		return -1;
	}
	/* No NOENT or DTDLOAD: entities stay unexpanded and nothing
	 * external is read; NONET in case; no messages on stderr. */
	doc = xmlReadMemory(buf, (int)len, "eurofxref.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		str_errf(err, errlen, "not well-formed XML");
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_elem(root, "Envelope", FX_NS_GESMES)) {
		str_errf(err, errlen, "root is not a gesmes:Envelope");
		goto fail;
	}
	if ((outer = only_cube(root, &n, "outer", err, errlen)) == NULL)
		goto fail;
	if ((day = only_cube(outer, &n, "day", err, errlen)) == NULL)
		goto fail;
	rc = parse_day(day, out, err, errlen);
fail:
	xmlFreeDoc(doc);
	if (rc == -1)
		memset(out, 0, sizeof(*out));
	return rc;
}
