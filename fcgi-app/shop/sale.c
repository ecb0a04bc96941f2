/* sale.c: when a sale price applies (see sale.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "shop/sale.h"

int
sale_active(int64_t sale, time_t from, time_t to, time_t now)
{
	if (sale < 0)
		return 0;
	if (from != 0 && now < from)
		return 0;
	if (to != 0 && now >= to)
		return 0;
	return 1;
}

int64_t
sale_price_now(int64_t price, int64_t sale, time_t from, time_t to,
    time_t now)
{
	if (!sale_active(sale, from, to, now))
		return price;
	return sale < price ? sale : price;
}

const char *
sale_check(int64_t price, int64_t sale, time_t from, time_t to,
    const char **field)
{
	*field = "sale_price";
	if (sale >= 0 && sale >= price)
		return N_("A sale price must be below the regular price.");
	*field = "sale_to";
	if (from != 0 && to != 0 && to <= from)
		return N_("A sale must end after it starts.");
	*field = NULL;
	return NULL;
}

/* Digits of s[*i..*i+n) as a number in [min, max], advancing *i. */
static int
digits(const char *s, size_t len, size_t *i, size_t n, int min, int max,
    int *out)
{
	int	v = 0;
	size_t	k;

	if (*i + n > len)
		return -1;
	for (k = 0; k < n; k++) {
		char c = s[*i + k];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	if (v < min || v > max)
		return -1;
	*i += n;
	*out = v;
	return 0;
}

int
sale_parse_time(const char *s, size_t len, time_t *out)
{
	struct tm	tm;
	size_t		i = 0;
	int		y, mo, d, h = 0, mi = 0, se = 0;

	*out = 0;
	if (len == 0)
		return 0;
	if (digits(s, len, &i, 4, 1970, 2037, &y) == -1 || i >= len ||
	    s[i++] != '-' || digits(s, len, &i, 2, 1, 12, &mo) == -1 ||
	    i >= len || s[i++] != '-' ||
	    digits(s, len, &i, 2, 1, 31, &d) == -1)
		return -1;
	if (i < len) {
		if (s[i] != 'T' && s[i] != ' ')
			return -1;
		i++;
		if (digits(s, len, &i, 2, 0, 23, &h) == -1 || i >= len ||
		    s[i++] != ':' || digits(s, len, &i, 2, 0, 59, &mi) == -1)
			return -1;
		if (i < len && (s[i++] != ':' ||
		    digits(s, len, &i, 2, 0, 59, &se) == -1))
			return -1;
		if (i != len)
			return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = timegm(&tm);
	/* timegm() normalises 31 February into March: refuse it. */
	{
		struct tm back;

		gmtime_r(out, &back);
		if (back.tm_mday != d || back.tm_mon != mo - 1)
			return -1;
	}
	return 0;
}

void
sale_format_time(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (n == 0)
		return;
	buf[0] = '\0';
	if (t == 0 || gmtime_r(&t, &tm) == NULL)
		return;
	if (strftime(buf, n, "%Y-%m-%dT%H:%M", &tm) == 0)
		buf[0] = '\0';
}
