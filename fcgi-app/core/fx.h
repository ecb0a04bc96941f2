/*
 * fx.h: exchange rates and currency conversion, without floating point.
 *
 * Pure functions, no I/O: the parser of the European Central Bank's
 * daily reference rates (eurofxref-daily.xml), the rules a new set of
 * rates must pass before it replaces the last good one, and conversion
 * of integer minor units between currencies.
 *
 * A rate is an int64_t fixed-point number: the decimal value times
 * FX_SCALE (10^8), so the ECB's "1.0812" is 108120000 and "162.49" is
 * 16249000000. The ECB publishes at most 4 or 5 decimals; a rate with
 * more than 8 is rejected, never rounded, so what is stored is exactly
 * what was published. Every rate is "units of the currency per euro";
 * EUR itself is implicitly FX_SCALE.
 *
 * Conversion from A to B goes through the euro: the exact ratio
 * rate(B) / rate(A), applied to the amount in one 128-bit expression
 *
 *	out = amount * rate(B) * 10^exp(B) / (rate(A) * 10^exp(A))
 *
 * and rounded once, to the minor unit of B (ISO 4217 exponents from
 * core/money: JPY 0, EUR 2, KWD 3). There is no intermediate rounding:
 * USD -> JPY is computed from EUR->JPY and EUR->USD directly. The
 * rounding is FX_ROUND_HALF_UP (ties away from zero, what a shopper
 * expects: 0.5 yen shows as 1) or FX_ROUND_HALF_EVEN (banker's
 * rounding, for accounting), chosen by the caller. Amounts up to
 * FX_AMOUNT_MAX (10^15 minor units, in either sign) with rates up to
 * FX_RATE_MAX never overflow the 128-bit intermediate; larger inputs are
 * refused with -1.
 *
 * struct fx_rates is a flat value (fixed arrays), so copies are plain
 * assignments and it can live in a worker's static cache.
 */
#ifndef SOUK_FX_H
#define SOUK_FX_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"

#define FX_SCALE	100000000LL		/* 10^8: 8 decimals */
#define FX_DECIMALS	8
#define FX_RATE_MAX	(1000000000LL * FX_SCALE)	/* 10^9 per euro */
#define FX_AMOUNT_MAX	1000000000000000LL	/* 10^15 minor units */
#define FX_MAX_RATES	64	/* the ECB publishes about 30 */
#define FX_MAX_DOC	(1024 * 1024)	/* the real file is ~2 KB */
#define FX_DATE_LEN	10	/* "YYYY-MM-DD" */

/* The namespaces of the ECB document. */
#define FX_NS_GESMES	"http://www.gesmes.org/xml/2002-08-01"
#define FX_NS_EUROFXREF	"http://www.ecb.int/vocabulary/2002-08-01/eurofxref"

struct fx_rate {
	char	code[4];	/* ISO 4217, upper case, never "EUR" */
	int64_t	rate;		/* units of code per euro, times FX_SCALE */
};

struct fx_rates {
	char		date[FX_DATE_LEN + 1];	/* the rates' day, "" if none */
	size_t		n;
	struct fx_rate	v[FX_MAX_RATES];
};

enum fx_round {
	FX_ROUND_HALF_UP,	/* ties away from zero: 2.5 -> 3, -2.5 -> -3 */
	FX_ROUND_HALF_EVEN,	/* ties to even: 2.5 -> 2, 3.5 -> 4 */
};

/*
 * What a conversion gives, so an order can record both the amount and
 * the rate it was computed with. The rate used is exactly
 * quote_per_eur / base_per_eur (both times FX_SCALE, EUR = FX_SCALE),
 * from the rates of date; rate is that ratio times FX_SCALE rounded
 * half up, for display and records (the amount is computed from the
 * exact ratio, not from rate).
 */
struct fx_conversion {
	int64_t	amount;			/* minor units of to */
	char	from[4], to[4];
	int64_t	base_per_eur;		/* rate of from, times FX_SCALE */
	int64_t	quote_per_eur;		/* rate of to, times FX_SCALE */
	int64_t	rate;			/* units of to per unit of from */
	char	date[FX_DATE_LEN + 1];
};

/*
 * Parses an ECB daily document (buf, len bytes, not NUL-terminated)
 * into *out. The document must be well-formed XML of at most FX_MAX_DOC
 * bytes, with the root gesmes:Envelope in FX_NS_GESMES, and exactly one
 * Cube with a time attribute (a valid calendar date) in
 * FX_NS_EUROFXREF holding 1 to FX_MAX_RATES Cube elements, each with a
 * currency (three upper-case letters, not EUR, each once) and a rate
 * (see fx_rate_parse(); zero and negative rates are refused). No DTD is
 * loaded, no entity expanded, nothing fetched from the network.
 * Returns 0, or -1 with a lower-case English reason in err (for logs)
 * and *out emptied (n 0, date "").
 */
int	fx_parse_ecb(const char *buf, size_t len, struct fx_rates *out,
	    char *err, size_t errlen);

/*
 * Parses a positive decimal rate ("1.0812", "162.49", "7") into a
 * scaled integer: digits, optionally '.' and 1 to FX_DECIMALS digits,
 * no sign, no exponent, no spaces, greater than zero and at most
 * FX_RATE_MAX. Returns 0 and sets *out, or -1.
 */
int	fx_rate_parse(struct str s, int64_t *out);

/*
 * Writes the scaled rate as a decimal with at least 4 and at most
 * FX_DECIMALS decimals, trailing zeros beyond 4 dropped ("1.0812",
 * "162.4900", "0.84712345") into buf. Returns the length, or -1 when
 * len is too small (32 is always enough) or rate is negative.
 */
int	fx_rate_format(int64_t rate, char *buf, size_t len);

/* Nonzero when s is a real calendar date "YYYY-MM-DD" (1999 to 9999). */
int	fx_date_valid(struct str s);

/* Days from date a to date b (b - a); both valid "YYYY-MM-DD". */
int64_t	fx_date_diff(const char *a, const char *b);

/* The rate of code per euro (FX_SCALE for "EUR"), or 0 when r has none. */
int64_t	fx_rate_of(const struct fx_rates *r, const char *code);

/*
 * The guard against a feed gone wrong: every currency that both old and
 * new have may move by at most a factor of max_factor (scaled like a
 * rate: 1.5 is 150000000, must be >= FX_SCALE) in either direction.
 * Currencies that appear or disappear are allowed. Returns 0, or -1
 * with the first offending currency and its two rates in err.
 */
int	fx_check_change(const struct fx_rates *old, const struct fx_rates *new,
	    int64_t max_factor, char *err, size_t errlen);

/*
 * Converts amount minor units of from into to with the rates r and the
 * rounding mode, filling *out (see struct fx_conversion). from == to
 * gives the amount itself at rate 1. Returns 0, or -1 (*out untouched)
 * when a currency is unknown to core/money, r has no rate for one of
 * them, |amount| > FX_AMOUNT_MAX, or the result does not fit.
 */
int	fx_convert(const struct fx_rates *r, int64_t amount, const char *from,
	    const char *to, enum fx_round mode, struct fx_conversion *out);

#endif
