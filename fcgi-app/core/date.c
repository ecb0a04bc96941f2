/* date.c: calendar days (date.h). */
#include "core/common.h"

#include <time.h>
#include "core/date.h"

int64_t
date_days(struct str s)
{
	struct tm	tm;
	int64_t		y, m, d;
	time_t		t;

	if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-' ||
	    str_to_i64((struct str){ s.p, 4 }, 1970, 9999, &y) != 0 ||
	    str_to_i64((struct str){ s.p + 5, 2 }, 1, 12, &m) != 0 ||
	    str_to_i64((struct str){ s.p + 8, 2 }, 1, 31, &d) != 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	t = timegm(&tm);
	/* timegm() carries 02-31 into March: not a day of the calendar */
	if (tm.tm_mday != (int)d || tm.tm_mon != (int)m - 1)
		return -1;
	return (int64_t)t / 86400;
}

void
date_string(int64_t days, char out[DATE_LEN])
{
	time_t		t = (time_t)(days * 86400);
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, DATE_LEN, "%Y-%m-%d", &tm) != 10)
		out[0] = '\0';
}

int64_t
date_today(void)
{
	return (int64_t)time(NULL) / 86400;
}

int
date_month_days(int64_t days, int64_t *first)
{
	time_t		t = (time_t)(days * 86400);
	struct tm	tm, next;

	gmtime_r(&t, &tm);
	*first = days - (tm.tm_mday - 1);
	memset(&next, 0, sizeof(next));
	next.tm_year = tm.tm_mon == 11 ? tm.tm_year + 1 : tm.tm_year;
	next.tm_mon = (tm.tm_mon + 1) % 12;
	next.tm_mday = 1;
	return (int)((int64_t)timegm(&next) / 86400 - *first);
}
