/*
 * tz.c: time zones through ICU's calendar (ucal), which carries the
 * IANA data Debian's libicu ships; no TZ environment games, no
 * MariaDB time zone tables (they are not loaded on a fresh server).
 * The list is every location id ICU knows, old names and new
 * ("Asia/Calcutta" and "Asia/Kolkata"): CLDR's canonical ones are the
 * old, and a merchant looks for the name they know.
 */
#include "core/common.h"
#include "core/tz.h"
#include <stdlib.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>

static const char	**zones;
static size_t		  nzones;

/* The areas of IANA's location ids; ICU's list also has "US/Pacific",
 * "EST5EDT", "SystemV/..." and such, which no merchant picks. */
static int
location(const char *id)
{
	static const char *const areas[] = { "Africa/", "America/",
		"Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/",
		"Europe/", "Indian/", "Pacific/" };
	size_t i;

	for (i = 0; i < NELEM(areas); i++)
		if (strncmp(id, areas[i], strlen(areas[i])) == 0)
			return 1;
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *const *
tz_list(size_t *n)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UEnumeration	*en;
	const char	*id;
	int32_t		 len;
	size_t		 cap = 0;

	if (zones == NULL &&
	    (en = ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_ANY, NULL,
	    NULL, &st)) != NULL && U_SUCCESS(st)) {
		cap = (size_t)uenum_count(en, &st) + 1;
		zones = xcalloc(cap, sizeof(*zones));
		zones[nzones++] = "UTC";
		while (nzones < cap && (id = uenum_next(en, &len, &st)) !=
		    NULL && U_SUCCESS(st))
			if (len > 0 && len <= TZ_ID_MAX && location(id))
				zones[nzones++] = xstrdup(id);
		uenum_close(en);
		qsort(zones, nzones, sizeof(*zones), cmp);
	}
	*n = nzones;
	return zones;
}

int
tz_known(struct str id)
{
	const char *const	*v;
	size_t			 n, lo = 0, hi, i;
	char			 key[TZ_ID_MAX + 1];
	int			 c;

	if (id.len == 0 || id.len > TZ_ID_MAX)
		return 0;
	for (i = 0; i < id.len; i++)
		if (!((id.p[i] >= 'A' && id.p[i] <= 'Z') ||
		    (id.p[i] >= 'a' && id.p[i] <= 'z') ||
		    (id.p[i] >= '0' && id.p[i] <= '9') || id.p[i] == '/' ||
		    id.p[i] == '_' || id.p[i] == '-' || id.p[i] == '+'))
			return 0;
	memcpy(key, id.p, id.len);
	key[id.len] = '\0';
	if ((v = tz_list(&n)) == NULL)
		return 0;
	for (hi = n; lo < hi; ) {
		i = lo + (hi - lo) / 2;
		if ((c = strcmp(key, v[i])) == 0)
			return 1;
		if (c < 0)
			hi = i;
		else
			lo = i + 1;
	}
	return 0;
}

/*
 * Opening an ICU calendar loads its zone's rules: 5% of a worker's time
 * on a page of dates (make bench). Each process keeps the last few it
 * opened, by zone, and moves them to the time asked; callers give them
 * back with calendar_done(), which keeps them open. Not thread-safe, as
 * everything of a worker.
 */
#define CALENDARS	8

static struct {
	char		 tz[TZ_ID_MAX + 1];
	UCalendar	*cal;
} calendars[CALENDARS];
static unsigned next_calendar;

/* A calendar of tz at t, or NULL when tz is not known. */
static UCalendar *
calendar(const char *tz, time_t t)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UCalendar	*cal = NULL;
	UChar		 u[TZ_ID_MAX + 1];
	unsigned	 i;

	if (tz == NULL || !tz_known(str_c(tz)))
		return NULL;
	for (i = 0; i < CALENDARS && cal == NULL; i++)
		if (calendars[i].cal != NULL &&
		    strcmp(calendars[i].tz, tz) == 0)
			cal = calendars[i].cal;
	if (cal == NULL) {
		u_uastrcpy(u, tz);
		cal = ucal_open(u, -1, "en_US", UCAL_GREGORIAN, &st);
		if (U_FAILURE(st))
			return NULL;
		i = next_calendar++ % CALENDARS;
		if (calendars[i].cal != NULL)
			ucal_close(calendars[i].cal);
		calendars[i].cal = cal;
		str_copy(calendars[i].tz, sizeof(calendars[i].tz), str_c(tz));
	}
	/* Every field from t: what a caller set before is gone. */
	ucal_clear(cal);
	ucal_setMillis(cal, (UDate)t * 1000.0, &st);
	if (U_FAILURE(st))
		return NULL;
	return cal;
}

/* A calendar of calendar() given back: kept open for the next call. */
static void
calendar_done(UCalendar *cal)
{
	(void)cal;
}

time_t
tz_start(const char *tz, time_t now, int month)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UCalendar	*cal;
	UDate		 d;

	if ((cal = calendar(tz, now)) == NULL)
		return -1;
	if (month)
		ucal_set(cal, UCAL_DATE, 1);
	ucal_set(cal, UCAL_HOUR_OF_DAY, 0);
	ucal_set(cal, UCAL_MINUTE, 0);
	ucal_set(cal, UCAL_SECOND, 0);
	ucal_set(cal, UCAL_MILLISECOND, 0);
	d = ucal_getMillis(cal, &st);
	calendar_done(cal);
	return U_FAILURE(st) ? -1 : (time_t)(d / 1000.0);
}

time_t
tz_utc(const char *tz, int year, int month, int day, int hour, int min,
    int sec)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UCalendar	*cal;
	UDate		 d;

	if ((cal = calendar(tz, 0)) == NULL)
		return -1;
	/* Lenient (ICU's default) rolls fields over. */
	ucal_setDateTime(cal, year, month - 1, day, hour, min, sec, &st);
	ucal_set(cal, UCAL_MILLISECOND, 0);
	d = ucal_getMillis(cal, &st);
	calendar_done(cal);
	return U_FAILURE(st) ? -1 : (time_t)(d / 1000.0);
}

time_t
tz_midnight(const char *tz, int year, int month, int day)
{
	return tz_utc(tz, year, month, day, 0, 0, 0);
}

int
tz_local(const char *tz, time_t t, char out[TZ_LOCAL_LEN])
{
	UErrorCode	 st = U_ZERO_ERROR;
	UCalendar	*cal;
	int32_t		 f[6];
	int		 n;

	out[0] = '\0';
	if ((cal = calendar(tz, t)) == NULL)
		return -1;
	f[0] = ucal_get(cal, UCAL_YEAR, &st);
	f[1] = ucal_get(cal, UCAL_MONTH, &st) + 1;
	f[2] = ucal_get(cal, UCAL_DATE, &st);
	f[3] = ucal_get(cal, UCAL_HOUR_OF_DAY, &st);
	f[4] = ucal_get(cal, UCAL_MINUTE, &st);
	f[5] = ucal_get(cal, UCAL_SECOND, &st);
	calendar_done(cal);
	if (U_FAILURE(st) || f[0] < 1 || f[0] > 9999)
		return -1;
	n = snprintf(out, TZ_LOCAL_LEN, "%04u-%02u-%02u %02u:%02u:%02u",
	    (unsigned)f[0] % 10000, (unsigned)f[1] % 100, (unsigned)f[2] % 100,
	    (unsigned)f[3] % 100, (unsigned)f[4] % 100, (unsigned)f[5] % 100);
	if (n < 0 || n >= TZ_LOCAL_LEN) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

const char *
tz_for_locale(const char *locale)
{
	static const struct { const char *l, *tz; } by[] = {
		{ "de", "Europe/Berlin" }, { "fr", "Europe/Paris" },
		{ "es", "Europe/Madrid" }, { "ja", "Asia/Tokyo" },
	};
	size_t i;

	for (i = 0; locale != NULL && i < NELEM(by); i++)
		if (strcmp(locale, by[i].l) == 0)
			return by[i].tz;
	return "UTC";
}
