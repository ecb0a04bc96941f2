/*
 * tz.h: a shop's time zone (an IANA id such as "Europe/Berlin"), with
 * ICU's zone data: which ids are known, the list a merchant picks
 * from, where a local day or month starts, and a time as the shop's
 * clock reads it. The database and every stored DATETIME stay UTC;
 * only what a merchant or shopper reads, and the days a dashboard
 * counts, follow the shop's zone.
 *
 * Ownership: tz_list() returns a per-process list, built once, never
 * freed; the rest writes into the caller's buffers.
 */
#ifndef SOUK_CORE_TZ_H
#define SOUK_CORE_TZ_H

#include <stddef.h>
#include <time.h>
#include "core/str.h"

#define TZ_ID_MAX	64	/* bytes of an id, without its NUL */
#define TZ_LOCAL_LEN	20	/* "YYYY-MM-DD HH:MM:SS" and its NUL */

/* 1 when id is a zone of tz_list() (ASCII checked first). */
int	tz_known(struct str id);

/* The location zones ("Africa/Abidjan" .. "Pacific/Wallis", old and
 * new names) and "UTC", sorted; *n their count. NULL when ICU has
 * none. */
const char *const *tz_list(size_t *n);

/*
 * The UTC time at which the local day holding now starts in zone tz
 * (month 0), or the local month (month 1). A day that starts at 01:00
 * because of a summer time change starts then. Returns -1 when tz is
 * not known.
 */
time_t	tz_start(const char *tz, time_t now, int month);

/*
 * The UTC time of the wall clock reading year-month-day hour:min:sec in
 * zone tz (fields past their range roll over: day 32 is the next
 * month's first). A reading a summer time change skips (02:30 on the
 * spring day in Berlin) is taken as the same time before the change;
 * one it repeats, as its first. Returns -1 when tz is not known.
 */
time_t	tz_utc(const char *tz, int year, int month, int day, int hour,
	    int min, int sec);

/* Where a day begins: tz_utc() at 00:00:00 (a merchant's "orders of
 * 2026-12-02"). */
time_t	tz_midnight(const char *tz, int year, int month, int day);

/* t as the clock of tz reads it, "YYYY-MM-DD HH:MM:SS", into out. Returns
 * 0, or -1 (tz not known) with out "". */
int	tz_local(const char *tz, time_t t, char out[TZ_LOCAL_LEN]);

/* A usual zone for a shop of locale ("de": Europe/Berlin; "en": UTC),
 * static. */
const char *tz_for_locale(const char *locale);

#endif
