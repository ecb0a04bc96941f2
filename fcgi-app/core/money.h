/*
 * money.h: amounts of money, and locale formatting of money, numbers and
 * dates.
 *
 * An amount is an int64_t count of minor units (cents, pence, fils; yen
 * for JPY) together with an ISO 4217 code. There is no float anywhere:
 * parsing is integer arithmetic with overflow checks, and ICU is handed a
 * decimal string built from the integer, never a double, so formatting
 * cannot round. The exponent of each currency (2 for EUR, 0 for JPY, 3
 * for KWD) comes from a static table here, not from ICU, so the database,
 * the forms and the pages always agree on what one minor unit is.
 *
 * Amounts are kept in [-INT64_MAX, INT64_MAX]: INT64_MIN is never
 * produced, so negating or taking the magnitude of any amount is safe.
 *
 * The ICU formatters (UNumberFormat, UDateFormat) are expensive to open,
 * so each worker keeps the ones it used in a small cache keyed by kind,
 * locale and currency or style. The cache belongs to the worker (not to
 * a request); money_free() closes them all. These functions are not
 * thread-safe (workers are single-threaded processes).
 */
#ifndef SOUK_MONEY_H
#define SOUK_MONEY_H

#include <stdint.h>
#include <time.h>
#include "core/str.h"
#include "core/strbuf.h"

/* The longest money_format_plain() result, NUL included: a sign, 19
 * digits, a point and a leading "0" for amounts under one unit. */
#define MONEY_PLAIN_MAX	24

enum money_parse_flags {
	MONEY_ALLOW_NEGATIVE = 1 << 0,	/* a leading '-' is accepted */
};

enum money_date_style {
	MONEY_DATE_SHORT,	/* 05/03/2024, 05.03.24 */
	MONEY_DATE_MEDIUM,	/* Mar 5, 2024, 05.03.2024 */
	MONEY_DATE_LONG,	/* March 5, 2024, 5. März 2024 */
	MONEY_DATE_FULL,	/* with the weekday */
	MONEY_DATE_DAY_MONTH,	/* Dec 2, 2. Dez., 12月2日: a chart's axis */
	MONEY_DATE_MONTH_YEAR,	/* Dec 2026, Dez. 2026, 2026年12月 */
	MONEY_DATE__MAX
};

/* Nonzero when code is an upper-case ISO 4217 code in souk's table. */
int	money_currency_valid(const char *code);

/* The number of minor-unit digits of code (2 for EUR, 0 for JPY, 3 for
 * KWD), or -1 when code is not in the table. */
int	money_exponent(const char *code);

/* The i-th currency souk knows, in code order, or NULL past the end
 * (for the currency choosers of forms). */
const char	*money_currency_at(size_t i);

/*
 * Parses what a merchant types in an admin form into minor units of code.
 *
 * Accepted: ASCII white space around the number (trimmed), then digits,
 * then optionally one decimal separator, '.' or ',', followed by one or
 * more digits, at most as many as the currency's exponent: for EUR "12",
 * "12.5", "12.50", "12,50", "0.05", "1234.56". Leading zeros are fine.
 *
 * Rejected: an empty string; a sign ('+' always, '-' unless flags has
 * MONEY_ALLOW_NEGATIVE; "-0" is 0); exponents ("1e3"); more fraction
 * digits than the currency has ("12.505" for EUR, "12.0" for JPY); a
 * separator without digits on both sides ("12.", ".5"); more than one
 * separator. There are no thousands separators: "1,234.56", "1.234,56"
 * and "1 234" are errors. A lone separator is always the decimal one,
 * so in 3-digit currencies "1,234" and "1.234" both mean 1.234 (1234
 * fils), never one thousand. Amounts beyond INT64_MAX minor units, and
 * inputs longer than 64 bytes, are errors.
 *
 * Returns 0 and sets *minor, or -1 (*minor untouched) when the input is
 * invalid or code is not a known currency.
 */
int	money_parse(struct str input, const char *code, int64_t *minor);
int	money_parse_flags(struct str input, const char *code,
	    enum money_parse_flags flags, int64_t *minor);

/*
 * Writes minor as a plain decimal in the currency's exponent, with '.'
 * and no grouping: "12.50", "-0.05", "1235" (JPY), "1.234" (KWD). This is
 * what a form's value attribute holds, and money_parse() reads it back.
 * buf (len bytes, MONEY_PLAIN_MAX is always enough) is the caller's.
 * Returns the length written, or -1 (unknown code, buffer too small).
 */
int	money_format_plain(int64_t minor, const char *code, char *buf,
	    size_t len);

/*
 * Appends minor units of code formatted for the ICU locale id locale
 * ("de_DE", "en_US", see i18n_icu_locale()): "12,50 €", "€12.50",
 * "￥1,235". Always shows exactly the currency's exponent in fraction
 * digits (souk's table, not ICU's). The text is UTF-8; ICU may use
 * no-break spaces (U+00A0) and narrow no-break spaces (U+202F).
 * Returns 0, or -1 (unknown currency, ICU error) with out unchanged.
 */
int	money_format(struct strbuf *out, int64_t minor, const char *code,
	    const char *locale);

/* Appends n as a grouped integer for locale ("1,234,567", "1.234.567").
 * Returns 0, or -1 with out unchanged. */
int	money_format_num(struct strbuf *out, int64_t n, const char *locale);

/*
 * Appends the date of t for locale in style (no time of day), in the
 * time zone tz (an Olson id such as "Europe/Berlin"; NULL means UTC).
 * Returns 0, or -1 (bad style, ICU error) with out unchanged.
 */
int	money_format_date(struct strbuf *out, time_t t, const char *locale,
	    enum money_date_style style, const char *tz);

/* Closes every cached ICU formatter; the cache refills on next use. */
void	money_free(void);

#endif
