/*
 * rates.h: the platform's exchange rates (souk_exchange_rates): fetching
 * the ECB feed, storing it, reading the newest day back, and the small
 * per-worker cache the storefront converts prices with.
 *
 * The feed is fetched by souk-rates (a systemd timer or cron, once a
 * day) and by `soukctl rates fetch`; both call rates_fetch(). A feed is
 * stored whole, in one transaction, or not at all: a document that
 * does not parse (core/fx.c), a day older than the newest stored one, a
 * day more than one day in the future, or a rate that moved by more
 * than rates_max_change from the stored one is refused, and the last
 * good rates stay in use. The same day fetched again is accepted
 * (nothing changes when the rates are the same; a correction the ECB
 * published for that day replaces them, within the same limits).
 *
 * Configuration (core/config.h): rates_url, rates_timeout (seconds for
 * the whole transfer), rates_retries (attempts after the first, on a
 * network error or an HTTP 5xx/429, waiting rates_backoff_ms, then twice
 * that, and so on), rates_max_change (a factor, "1.5"),
 * rates_max_age_days (the health warning, see web/web.c).
 *
 * Everything here is per process and single-threaded (workers, the
 * helper, soukctl). Results are plain values copied into the caller's
 * structs; nothing returned needs freeing except the worker's cache,
 * released by rates_cache_free().
 */
#ifndef SOUK_RATES_H
#define SOUK_RATES_H

#include <stdint.h>
#include "core/fx.h"

struct db;
struct strbuf;

#define RATES_DEFAULT_URL \
	"https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
#define RATES_CACHE_MS		300000	/* the worker re-reads every 5 min */
#define RATES_CACHE_NONE_MS	5000	/* ... every 5 s while there are none */

enum rates_err {
	RATES_OK = 0,
	RATES_ENONE,	/* no rates stored yet */
	RATES_EDB,	/* database error: nothing stored */
	RATES_EFETCH,	/* network, timeout or HTTP error after retries */
	RATES_EFEED,	/* malformed, empty or too large document */
	RATES_ESTALE,	/* older than the newest stored day */
	RATES_EFUTURE,	/* dated after tomorrow */
	RATES_EJUMP,	/* a rate moved by more than rates_max_change */
};

/* What rates_fetch() did. */
struct rates_result {
	struct fx_rates	rates;		/* the feed (parsed), n 0 if not */
	char		previous[FX_DATE_LEN + 1];	/* newest day before */
	int		attempts;	/* HTTP requests made */
	int		unchanged;	/* that day was stored already, same */
	char		msg[512];	/* the reason of an error (English) */
};

/*
 * Downloads url (NULL: config rates_url) with libcurl, parses it and
 * stores it with rates_store() (limits from the configuration, today in
 * UTC). Returns RATES_OK (res->unchanged tells a repeat) or the reason
 * it stored nothing, with res->msg. res is always filled.
 */
enum rates_err	rates_fetch(struct db *db, const char *url,
		    struct rates_result *res);

/*
 * Downloads url into out (reset first): at most FX_MAX_DOC bytes, http
 * or https only, timeout_s for each attempt, retries more attempts after
 * a network error or HTTP 5xx/429 with a doubling backoff from
 * backoff_ms. *attempts counts the requests. RATES_OK, RATES_EFETCH, or
 * RATES_EFEED (too large), with a reason in err.
 */
enum rates_err	rates_download(const char *url, long timeout_s, int retries,
		    long backoff_ms, struct strbuf *out, int *attempts,
		    char *err, size_t errlen);

/*
 * Stores r (a parsed feed) in one transaction after the checks above:
 * today is "YYYY-MM-DD" (UTC), max_factor a scaled factor (fx.h).
 * *unchanged is set when that day was stored already with the same
 * rates (nothing written). previous (FX_DATE_LEN + 1 bytes, may be NULL)
 * gets the newest day stored before ("" if none). RATES_OK, ESTALE,
 * EFUTURE, EJUMP, EFEED (empty r) or EDB, with a reason in err.
 */
enum rates_err	rates_store(struct db *db, const struct fx_rates *r,
		    int64_t max_factor, const char *today, int *unchanged,
		    char *previous, char *err, size_t errlen);

/*
 * The newest day's rates into *out, and when fetched_at is not NULL
 * (20 bytes) when they were stored ("YYYY-MM-DD HH:MM:SS" UTC).
 * RATES_OK, RATES_ENONE or RATES_EDB.
 */
enum rates_err	rates_latest(struct db *db, struct fx_rates *out,
		    char *fetched_at);

/* The newest stored day into date (FX_DATE_LEN + 1 bytes); one cheap
 * query, for the health check. RATES_OK, RATES_ENONE or RATES_EDB. */
enum rates_err	rates_latest_date(struct db *db, char *date);

/*
 * The worker's copy of the newest rates, re-read from the database
 * every RATES_CACHE_MS (every RATES_CACHE_NONE_MS while there are none;
 * a database error keeps the copy it has). NULL when there are no
 * rates. The pointer is valid until the next call.
 */
const struct fx_rates	*rates_cached(struct db *db);

/* Makes the next rates_cached() of every worker of this pool (of this
 * process outside a pool) re-read (tests, after a fetch). */
void	rates_cache_expire(void);
void	rates_cache_free(void);

/* Today's date in UTC, "YYYY-MM-DD", into buf (FX_DATE_LEN + 1). */
void	rates_today(char *buf);

/* The configured rates_max_change as a scaled factor; fatal when it is
 * not a decimal of at least 1 (a configuration error). */
int64_t	rates_max_change(void);

/* English text of an error code, for logs and soukctl. */
const char	*rates_strerror(enum rates_err e);

#endif
