/* rates.c: fetching, storing and caching exchange rates (see rates.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/fx.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "platform/rates.h"

#include <curl/curl.h>
#include <time.h>

enum {
	Q_LATEST,
	Q_LATEST_LOCK,
	Q_MAX_DATE,
	Q_UPSERT,
	Q__MAX
};

#define LATEST "SELECT quote, rate, rate_date, fetched_at " \
	"FROM souk_exchange_rates WHERE base = 'EUR' AND rate_date = " \
	"(SELECT MAX(rate_date) FROM souk_exchange_rates WHERE base = 'EUR') " \
	"ORDER BY quote"

static const char *const q[Q__MAX] = {
	[Q_LATEST] = LATEST,
	/* Inside the store's transaction: a second fetcher at the same
	 * moment waits, then compares with what the first stored. */
	[Q_LATEST_LOCK] = LATEST " FOR UPDATE",
	[Q_MAX_DATE] = "SELECT MAX(rate_date) FROM souk_exchange_rates "
	    "WHERE base = 'EUR'",
	[Q_UPSERT] = "INSERT INTO souk_exchange_rates (rate_date, base, "
	    "quote, rate, fetched_at) VALUES (?, 'EUR', ?, ?, UTC_TIMESTAMP()) "
	    "ON DUPLICATE KEY UPDATE rate = VALUES(rate), "
	    "fetched_at = VALUES(fetched_at)",
};

const char *
rates_strerror(enum rates_err e)
{
	switch (e) {
	case RATES_OK:
		return "ok";
	case RATES_ENONE:
		return "no exchange rates stored";
	case RATES_EDB:
		return "database error";
	case RATES_EFETCH:
		return "cannot fetch the feed";
	case RATES_EFEED:
		return "malformed feed";
	case RATES_ESTALE:
		return "feed older than the stored rates";
	case RATES_EFUTURE:
		return "feed dated in the future";
	case RATES_EJUMP:
		return "rate change beyond rates_max_change";
	}
	return "unknown error";
}

void
rates_today(char *buf)
{
	time_t		t = time(NULL);
	struct tm	tm;

	gmtime_r(&t, &tm);
	if (strftime(buf, FX_DATE_LEN + 1, "%Y-%m-%d", &tm) != FX_DATE_LEN)
		buf[0] = '\0';
}

int64_t
rates_max_change(void)
{
	const char	*s = config_get("rates_max_change", "1.5");
	int64_t		 v;

	if (fx_rate_parse(str_c(s), &v) == -1 || v < FX_SCALE)
		fatal("rates_max_change '%s' is not a factor of at least 1", s);
	return v;
}

/* Runs a latest-rates statement into *out; fetched_at may be NULL. */
static enum rates_err
read_latest(struct db *db, int lock, struct fx_rates *out, char *fetched_at)
{
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (fetched_at != NULL)
		fetched_at[0] = '\0';
	if ((st = db_prepare(db, q[lock ? Q_LATEST_LOCK : Q_LATEST], 0)) ==
	    NULL)
		return RATES_EDB;
	/* No arena: every value is copied at once. */
	if (db_exec(st, NULL) == -1)
		return RATES_EDB;
	while ((rc = db_step(st)) == 1) {
		struct fx_rate *r = &out->v[out->n];

		if (out->n == FX_MAX_RATES)
			continue;
		str_copy(r->code, sizeof(r->code), db_col_str(st, 0));
		if (fx_rate_parse(db_col_str(st, 1), &r->rate) == -1) {
			log_warn("bad stored rate for '%s'", r->code);
			continue;
		}
		str_copy(out->date, sizeof(out->date), db_col_str(st, 2));
		if (fetched_at != NULL)
			str_copy(fetched_at, 20, db_col_str(st, 3));
		out->n++;
	}
	db_done(st);
	if (rc == -1)
		return RATES_EDB;
	return out->n > 0 ? RATES_OK : RATES_ENONE;
}

enum rates_err
rates_latest(struct db *db, struct fx_rates *out, char *fetched_at)
{
	return read_latest(db, 0, out, fetched_at);
}

enum rates_err
rates_latest_date(struct db *db, char *date)
{
	struct db_stmt	*st;
	int		 rc;

	date[0] = '\0';
	if ((st = db_prepare(db, q[Q_MAX_DATE], 0)) == NULL)
		return RATES_EDB;
	if (db_exec(st, NULL) == -1)
		return RATES_EDB;
	if ((rc = db_step(st)) == 1 && !db_col_null(st, 0))
		str_copy(date, FX_DATE_LEN + 1, db_col_str(st, 0));
	db_done(st);
	if (rc == -1)
		return RATES_EDB;
	return date[0] != '\0' ? RATES_OK : RATES_ENONE;
}

/* Nonzero when a and b hold the same currencies at the same rates. */
static int
same_rates(const struct fx_rates *a, const struct fx_rates *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (fx_rate_of(b, a->v[i].code) != a->v[i].rate)
			return 0;
	return 1;
}

/* The checks against the newest stored day old, inside the tx. */
static enum rates_err
check(const struct fx_rates *old, const struct fx_rates *r,
    int64_t max_factor, const char *today, int *unchanged, char *err,
    size_t errlen)
{
	char why[256];

	if (today != NULL && fx_date_valid(str_c(today)) &&
	    fx_date_diff(today, r->date) > 1) {
		str_errf(err, errlen, "feed dated %s, after tomorrow (%s is "
		    "today)", r->date, today);
		return RATES_EFUTURE;
	}
	if (old->n == 0)
		return RATES_OK;
	if (strcmp(r->date, old->date) < 0) {
		str_errf(err, errlen, "feed dated %s is older than the stored "
		    "rates of %s", r->date, old->date);
		return RATES_ESTALE;
	}
	if (strcmp(r->date, old->date) == 0 && same_rates(old, r)) {
		*unchanged = 1;
		return RATES_OK;
	}
	if (fx_check_change(old, r, max_factor, why, sizeof(why)) == -1) {
		str_errf(err, errlen, "%s (limit rates_max_change)", why);
		return RATES_EJUMP;
	}
	return RATES_OK;
}

struct store {
	const struct fx_rates	*r;
	int64_t			 max_factor;
	const char		*today;
	int			*unchanged;
	char			*previous;
	char			*err;
	size_t			 errlen;
	struct fx_rates		*old;
	enum rates_err		 e;
};

/* The transaction of rates_store(), run by db_tx_run(): 0 commits, 1 a
 * refusal (s->e), -1 a database error. */
static int
store_tx(struct db *db, void *arg)
{
	struct store		*s = arg;
	const struct fx_rates	*r = s->r;
	struct db_stmt		*st;
	size_t			 i;
	char			 rate[32];

	*s->unchanged = 0;
	if ((s->e = read_latest(db, 1, s->old, NULL)) == RATES_EDB)
		return -1;
	if (s->previous != NULL)
		memcpy(s->previous, s->old->date, sizeof(s->old->date));
	if ((s->e = check(s->old, r, s->max_factor, s->today, s->unchanged,
	    s->err, s->errlen)) != RATES_OK)
		return 1;
	if (*s->unchanged)
		return 0;
	if ((st = db_prepare(db, q[Q_UPSERT], 0)) == NULL)
		return -1;
	for (i = 0; i < r->n; i++) {
		if (fx_rate_format(r->v[i].rate, rate, sizeof(rate)) < 0) {
			s->e = RATES_EFEED;
			str_errf(s->err, s->errlen, "cannot format rate");
			return 1;
		}
		db_bind_cstr(st, 0, r->date);
		db_bind_cstr(st, 1, r->v[i].code);
		db_bind_cstr(st, 2, rate);
		if (db_exec(st, NULL) == -1)
			return -1;
	}
	return 0;
}

enum rates_err
rates_store(struct db *db, const struct fx_rates *r, int64_t max_factor,
    const char *today, int *unchanged, char *previous, char *err,
    size_t errlen)
{
	struct store	s = { r, max_factor, today, unchanged, previous, err,
			    errlen, NULL, RATES_OK };
	int		rc;

	*unchanged = 0;
	if (previous != NULL)
		previous[0] = '\0';
	if (r->n == 0 || !fx_date_valid(str_c(r->date))) {
		str_errf(err, errlen, "no rates to store");
		return RATES_EFEED;
	}
	s.old = xcalloc(1, sizeof(*s.old));
	rc = db_tx_run(db, store_tx, &s);
	free(s.old);
	if (rc == 0)
		return RATES_OK;
	if (rc == 1)
		return s.e;
	str_errf(err, errlen, "%s", db_error(db));
	return RATES_EDB;
}

/* --- HTTP -------------------------------------------------------------- */

struct sink {
	struct strbuf	*sb;
	int		 too_large;
};

static size_t
sink_write(char *p, size_t size, size_t n, void *arg)
{
	struct sink	*s = arg;
	size_t		 len = size * n;

	if (s->sb->len + len > FX_MAX_DOC) {
		s->too_large = 1;
		return 0;	/* makes curl fail with CURLE_WRITE_ERROR */
	}
	strbuf_add(s->sb, p, len);
	return len;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* One GET; 0 done (*status set), -1 transport error (reason in err). */
static int
get_once(CURL *c, struct sink *s, long *status, char *err, size_t errlen)
{
	char		ebuf[CURL_ERROR_SIZE] = "";
	CURLcode	rc;

	strbuf_reset(s->sb);
	s->too_large = 0;
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	rc = curl_easy_perform(c);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	if (rc != CURLE_OK) {
		str_errf(err, errlen, "%s", ebuf[0] ? ebuf :
		    curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

enum rates_err
rates_download(const char *url, long timeout_s, int retries, long backoff_ms,
    struct strbuf *out, int *attempts, char *err, size_t errlen)
{
	static int	 inited;
	struct sink	 s = { out, 0 };
	CURL		*c;
	long		 status = 0, wait = backoff_ms;
	enum rates_err	 e = RATES_EFETCH;
	int		 i;

	*attempts = 0;
	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			str_errf(err, errlen, "cannot initialise libcurl");
			return RATES_EFETCH;
		}
		inited = 1;
	}
	if ((c = curl_easy_init()) == NULL) {
		str_errf(err, errlen, "cannot initialise libcurl");
		return RATES_EFETCH;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ?
	    timeout_s : 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "souk-rates/1");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	for (i = 0; i <= retries; i++) {
		if (i > 0) {
			log_debug("retrying '%s' in %ld ms: %s", url, wait,
			    err);
			sleep_ms(wait);
			wait = wait > 60000 ? 120000 : wait * 2;
		}
		(*attempts)++;
		if (get_once(c, &s, &status, err, errlen) == -1) {
			if (s.too_large) {
				str_errf(err, errlen, "feed larger than %d "
				    "bytes", FX_MAX_DOC);
				e = RATES_EFEED;
				break;
			}
			continue;	/* network, timeout: retry */
		}
		if (status == 200) {
			e = RATES_OK;
			break;
		}
		str_errf(err, errlen, "HTTP status %ld", status);
		if (status < 500 && status != 429)
			break;		/* 404, 403: retrying will not help */
	}
	curl_easy_cleanup(c);
	return e;
}

enum rates_err
rates_fetch(struct db *db, const char *url, struct rates_result *res)
{
	struct strbuf	 body = STRBUF_INIT;
	enum rates_err	 e;
	char		 today[FX_DATE_LEN + 1];

	memset(res, 0, sizeof(*res));
	if (url == NULL)
		url = config_get("rates_url", RATES_DEFAULT_URL);
	e = rates_download(url, (long)config_int("rates_timeout", 30, 1, 600),
	    (int)config_int("rates_retries", 3, 0, 10),
	    (long)config_int("rates_backoff_ms", 2000, 0, 600000), &body,
	    &res->attempts, res->msg, sizeof(res->msg));
	if (e != RATES_OK)
		goto done;
	if (fx_parse_ecb(body.buf, body.len, &res->rates, res->msg,
	    sizeof(res->msg)) == -1) {
		e = RATES_EFEED;
		goto done;
	}
	rates_today(today);
	e = rates_store(db, &res->rates, rates_max_change(), today,
	    &res->unchanged, res->previous, res->msg, sizeof(res->msg));
	if (e == RATES_OK)
		rates_cache_expire();
done:
	strbuf_release(&body);
	return e;
}

/* --- the worker's cache ------------------------------------------------ */

/*
 * The platform's rates, one entry of a core/cache.h cache under shop 0
 * (the platform): rates_cache_expire() bumps shop 0's generation, so
 * every worker of the same pool reads them again at its next page; a
 * fetch by another process (souk-rates) shows within RATES_CACHE_MS.
 * "No rates yet" is cached as NULL for a shorter time. When the database fails, the last rates are
 * served a while longer (cache_stale()).
 */
#define RATES_KEY	"rates"

static struct cache	*rates_c;

static struct fx_rates *
rates_copy(const struct fx_rates *r)
{
	struct fx_rates *c = xmalloc(sizeof(*c));

	*c = *r;
	return c;
}

const struct fx_rates *
rates_cached(struct db *db)
{
	struct fx_rates	 fresh;
	enum rates_err	 e;
	void		*v;

	if (rates_c == NULL)
		rates_c = cache_new(1, free);
	if (cache_get(rates_c, 0, RATES_KEY, &v))
		return v;
	e = rates_latest(db, &fresh, NULL);
	if (e == RATES_OK)
		v = rates_copy(&fresh);
	else if (e == RATES_ENONE)
		v = NULL;
	else if (cache_stale(rates_c, 0, RATES_KEY, &v) && v != NULL)
		v = rates_copy(v);	/* RATES_EDB: keep what we had */
	cache_put(rates_c, 0, RATES_KEY, 0, v, e == RATES_OK ?
	    RATES_CACHE_MS : RATES_CACHE_NONE_MS);
	return v;
}

void
rates_cache_expire(void)
{
	/* Every worker's, not only this one's: new rates were stored. */
	cache_bump(0);
}

void
rates_cache_free(void)
{
	cache_free(rates_c);
	rates_c = NULL;
}
