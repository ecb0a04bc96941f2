/*
 * date.h: calendar days as "YYYY-MM-DD" and as day numbers (days since
 * 1970-01-01, UTC), for the usage records and invoices, which count
 * whole UTC days.
 */
#ifndef SOUK_DATE_H
#define SOUK_DATE_H

#include <stdint.h>
#include "core/str.h"

#define DATE_LEN	11	/* "YYYY-MM-DD" and its NUL */

/* The day number of s, a date of the calendar from 1970 to 9999; -1
 * when it is not one (2026-02-30 is not). */
int64_t	date_days(struct str s);

/* The date of day number days into out. */
void	date_string(int64_t days, char out[DATE_LEN]);

/* Today's day number (UTC). */
int64_t	date_today(void);

/* The days of the month that day number days falls in (28 to 31), and
 * the day number of its 1st. */
int	date_month_days(int64_t days, int64_t *first);

#endif
