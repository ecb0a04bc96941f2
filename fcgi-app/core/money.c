/* money.c: integer money, and ICU formatting with a per-worker cache
 * (see money.h). */
#include "core/common.h"
#include "core/money.h"

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#define MONEY_INPUT_MAX	64

/*
 * ISO 4217 codes with their minor-unit exponent. Keep it sorted by code
 * for readers; the lookup is linear (a few dozen 4-byte compares).
 * Adding a currency here is all it takes to sell in it.
 */
static const struct currency {
	char	code[4];
	int	exp;
} currencies[] = {
	{ "AED", 2 }, { "ARS", 2 }, { "AUD", 2 }, { "BGN", 2 },
	{ "BHD", 3 }, { "BRL", 2 }, { "CAD", 2 }, { "CHF", 2 },
	{ "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "CZK", 2 },
	{ "DKK", 2 }, { "EGP", 2 }, { "EUR", 2 }, { "GBP", 2 },
	{ "HKD", 2 }, { "HUF", 2 }, { "IDR", 2 }, { "ILS", 2 },
	{ "INR", 2 }, { "IQD", 3 }, { "ISK", 0 }, { "JOD", 3 },
	{ "JPY", 0 }, { "KRW", 0 }, { "KWD", 3 }, { "LYD", 3 },
	{ "MAD", 2 }, { "MXN", 2 }, { "MYR", 2 }, { "NOK", 2 },
	{ "NZD", 2 }, { "OMR", 3 }, { "PHP", 2 }, { "PLN", 2 },
	{ "QAR", 2 }, { "RON", 2 }, { "SAR", 2 }, { "SEK", 2 },
	{ "SGD", 2 }, { "THB", 2 }, { "TND", 3 }, { "TRY", 2 },
	{ "TWD", 2 }, { "UAH", 2 }, { "UGX", 0 }, { "USD", 2 },
	{ "VND", 0 }, { "ZAR", 2 },
};

static const struct currency *
currency_find(const char *code)
{
	size_t i;

	if (code == NULL || strlen(code) != 3)
		return NULL;
	for (i = 0; i < NELEM(currencies); i++)
		if (memcmp(currencies[i].code, code, 3) == 0)
			return &currencies[i];
	return NULL;
}

int
money_currency_valid(const char *code)
{
	return currency_find(code) != NULL;
}

const char *
money_currency_at(size_t i)
{
	return i < NELEM(currencies) ? currencies[i].code : NULL;
}

int
money_exponent(const char *code)
{
	const struct currency *c = currency_find(code);

	return c ? c->exp : -1;
}

int
money_parse(struct str input, const char *code, int64_t *minor)
{
	return money_parse_flags(input, code, 0, minor);
}

int
money_parse_flags(struct str in, const char *code,
    enum money_parse_flags flags, int64_t *minor)
{
	uint64_t	v = 0;
	size_t		i = 0, nint = 0;
	int		exp, nfrac = 0, neg = 0, sep = 0;

	if ((exp = money_exponent(code)) < 0)
		return -1;
	in = str_trim(in);
	if (in.len == 0 || in.len > MONEY_INPUT_MAX)
		return -1;
	if (in.p[0] == '-') {
		if (!(flags & MONEY_ALLOW_NEGATIVE))
			return -1;
		neg = 1;
		i = 1;
	}
	for (; i < in.len; i++) {
		char		c = in.p[i];
		unsigned	d;

		if ((c == '.' || c == ',') && !sep && nint > 0) {
			sep = 1;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		if (sep) {
			if (++nfrac > exp)
				return -1;
		} else
			nint++;
		d = (unsigned)(c - '0');
		if (v > ((uint64_t)INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (nint == 0 || (sep && nfrac == 0))
		return -1;
	for (; nfrac < exp; nfrac++) {
		if (v > (uint64_t)INT64_MAX / 10)
			return -1;
		v *= 10;
	}
	*minor = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

/* minor as a decimal with exp fraction digits ("-12.50"); the length, or
 * -1 when it does not fit in len bytes with its NUL. */
static int
decimal(int64_t minor, int exp, char *buf, size_t len)
{
	char		digits[24];
	uint64_t	m;
	size_t		n = 0, need, o = 0;

	/* Unsigned negation: INT64_MIN has no positive int64_t. */
	m = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	do {
		digits[n++] = (char)('0' + m % 10);
		m /= 10;
	} while (m != 0);
	while (n <= (size_t)exp)
		digits[n++] = '0';	/* "0.05": an integer digit */
	need = (minor < 0) + n + (exp > 0);
	if (need + 1 > len)
		return -1;
	if (minor < 0)
		buf[o++] = '-';
	while (n > 0) {
		if (exp > 0 && n == (size_t)exp)
			buf[o++] = '.';
		buf[o++] = digits[--n];
	}
	buf[o] = '\0';
	return (int)o;
}

int
money_format_plain(int64_t minor, const char *code, char *buf, size_t len)
{
	int exp;

	if ((exp = money_exponent(code)) < 0)
		return -1;
	return decimal(minor, exp, buf, len);
}

/*
 * The worker's ICU formatters. Opening one loads and parses locale data
 * (tens of microseconds); a request formats many amounts in one or two
 * locales, so a handful of slots with least-recently-used replacement
 * keeps every format call after the first a lookup.
 */
enum fmt_kind {
	FMT_MONEY,
	FMT_NUM,
	FMT_DATE,
};

#define FMT_SLOTS	16

static struct fmt_slot {
	void		*fmt;	/* UNumberFormat, UDateFormat, NULL */
	unsigned long	 used;
	enum fmt_kind	 kind;
	int		 style;
	char		 locale[48];
	char		 key[48];	/* currency code or time zone */
} fmt_cache[FMT_SLOTS];
static unsigned long	fmt_clock;

static void
slot_close(struct fmt_slot *s)
{
	if (s->fmt == NULL)
		return;
	if (s->kind == FMT_DATE)
		udat_close(s->fmt);
	else
		unum_close(s->fmt);
	s->fmt = NULL;
}

void
money_free(void)
{
	size_t i;

	for (i = 0; i < FMT_SLOTS; i++)
		slot_close(&fmt_cache[i]);
}

static void *
fmt_open(enum fmt_kind kind, const char *locale, const char *key, int style)
{
	static const UDateFormatStyle dstyles[MONEY_DATE__MAX] = {
		UDAT_SHORT, UDAT_MEDIUM, UDAT_LONG, UDAT_FULL,
	};
	static const UChar	 day_month[] = { 'M', 'M', 'M', 'd', 0 };
	static const UChar	 month_year[] = { 'y', 'M', 'M', 'M', 0 };
	UDateTimePatternGenerator *pg;
	UChar			 pat[64];
	int32_t			 np;
	UErrorCode	 st = U_ZERO_ERROR;
	UNumberFormat	*nf;
	UDateFormat	*df;
	UChar		 ukey[48];
	int		 exp;

	switch (kind) {
	case FMT_MONEY:
		nf = unum_open(UNUM_CURRENCY, NULL, 0, locale, NULL, &st);
		if (U_FAILURE(st))
			return NULL;
		u_charsToUChars(key, ukey, 4);
		unum_setTextAttribute(nf, UNUM_CURRENCY_CODE, ukey, 3, &st);
		if (U_FAILURE(st)) {
			unum_close(nf);
			return NULL;
		}
		/* After the currency, which resets them to ICU's digits. */
		exp = money_exponent(key);
		unum_setAttribute(nf, UNUM_MIN_FRACTION_DIGITS, exp);
		unum_setAttribute(nf, UNUM_MAX_FRACTION_DIGITS, exp);
		return nf;
	case FMT_NUM:
		nf = unum_open(UNUM_DECIMAL, NULL, 0, locale, NULL, &st);
		return U_FAILURE(st) ? NULL : nf;
	case FMT_DATE:
		u_charsToUChars(key, ukey, (int32_t)strlen(key));
		if (style != MONEY_DATE_DAY_MONTH &&
		    style != MONEY_DATE_MONTH_YEAR) {
			df = udat_open(UDAT_NONE, dstyles[style], locale,
			    ukey, (int32_t)strlen(key), NULL, 0, &st);
			return U_FAILURE(st) ? NULL : df;
		}
		/* No style names "day and month": the locale's pattern
		 * for the skeleton MMMd ("d. MMM", "M月d日"), or yMMM. */
		if ((pg = udatpg_open(locale, &st)) == NULL || U_FAILURE(st))
			return NULL;
		np = udatpg_getBestPattern(pg, style == MONEY_DATE_DAY_MONTH ?
		    day_month : month_year, -1, pat,
		    (int32_t)NELEM(pat), &st);
		udatpg_close(pg);
		if (U_FAILURE(st) || np >= (int32_t)NELEM(pat))
			return NULL;
		df = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, ukey,
		    (int32_t)strlen(key), pat, np, &st);
		return U_FAILURE(st) ? NULL : df;
	}
	return NULL;
}

/* The cached formatter for (kind, locale, key, style), opened on a miss;
 * NULL when ICU cannot open it or the names are too long. */
static void *
fmt_get(enum fmt_kind kind, const char *locale, const char *key, int style)
{
	struct fmt_slot	*s, *victim = &fmt_cache[0];
	size_t		 i;
	void		*f;

	if (locale == NULL || strlen(locale) >= sizeof(s->locale) ||
	    strlen(key) >= sizeof(s->key))
		return NULL;
	for (i = 0; i < FMT_SLOTS; i++) {
		s = &fmt_cache[i];
		if (s->fmt != NULL && s->kind == kind && s->style == style &&
		    strcmp(s->locale, locale) == 0 &&
		    strcmp(s->key, key) == 0) {
			s->used = ++fmt_clock;
			return s->fmt;
		}
		if (victim->fmt != NULL &&
		    (s->fmt == NULL || s->used < victim->used))
			victim = s;
	}
	if ((f = fmt_open(kind, locale, key, style)) == NULL)
		return NULL;
	slot_close(victim);
	victim->fmt = f;
	victim->kind = kind;
	victim->style = style;
	victim->used = ++fmt_clock;
	memcpy(victim->locale, locale, strlen(locale) + 1);
	memcpy(victim->key, key, strlen(key) + 1);
	return f;
}

/* Appends the n UTF-16 units of u to out as UTF-8. */
static int
add_uchars(struct strbuf *out, const UChar *u, int32_t n)
{
	UErrorCode	st = U_ZERO_ERROR;
	char		buf[512];
	int32_t		len;

	u_strToUTF8(buf, (int32_t)sizeof(buf), &len, u, n, &st);
	if (U_FAILURE(st) || len >= (int32_t)sizeof(buf))
		return -1;
	strbuf_add(out, buf, (size_t)len);
	return 0;
}

int
money_format(struct strbuf *out, int64_t minor, const char *code,
    const char *locale)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UNumberFormat	*nf;
	UChar		 u[128];
	char		 dec[MONEY_PLAIN_MAX];
	int32_t		 n;
	int		 declen;

	if ((declen = money_format_plain(minor, code, dec, sizeof(dec))) < 0)
		return -1;
	if ((nf = fmt_get(FMT_MONEY, locale, code, 0)) == NULL)
		return -1;
	n = unum_formatDecimal(nf, dec, declen, u, (int32_t)NELEM(u), NULL,
	    &st);
	if (U_FAILURE(st) || n >= (int32_t)NELEM(u))
		return -1;
	return add_uchars(out, u, n);
}

int
money_format_num(struct strbuf *out, int64_t v, const char *locale)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UNumberFormat	*nf;
	UChar		 u[128];
	int32_t		 n;

	if ((nf = fmt_get(FMT_NUM, locale, "", 0)) == NULL)
		return -1;
	n = unum_formatInt64(nf, v, u, (int32_t)NELEM(u), NULL, &st);
	if (U_FAILURE(st) || n >= (int32_t)NELEM(u))
		return -1;
	return add_uchars(out, u, n);
}

/* Time zone ids are ASCII ("America/Argentina/Buenos_Aires", "Etc/GMT+3"):
 * anything else is refused before it reaches ICU's invariant converter. */
static int
tz_valid(const char *tz)
{
	const char *p;

	if (*tz == '\0')
		return 0;
	for (p = tz; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		    *p == '-' || *p == '+'))
			return 0;
	return 1;
}

int
money_format_date(struct strbuf *out, time_t t, const char *locale,
    enum money_date_style style, const char *tz)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UDateFormat	*df;
	UChar		 u[128];
	int32_t		 n;

	if ((unsigned)style >= MONEY_DATE__MAX)
		return -1;
	if (tz == NULL)
		tz = "UTC";
	if (!tz_valid(tz))
		return -1;
	if ((df = fmt_get(FMT_DATE, locale, tz, (int)style)) == NULL)
		return -1;
	/* UDate is ICU's double of milliseconds: exact for any time_t
	 * below 2^53 / 1000, which covers every date a shop shows. */
	n = udat_format(df, (UDate)t * 1000.0, u, (int32_t)NELEM(u), NULL,
	    &st);
	if (U_FAILURE(st) || n >= (int32_t)NELEM(u))
		return -1;
	return add_uchars(out, u, n);
}
