/*
 * souk-rates: fetches the European Central Bank's daily reference rates
 * and stores them in souk_exchange_rates (platform/rates.h). Run once a
 * day by systemd/souk-rates.timer or cron.
 *
 *   souk-rates [--config FILE] [--url URL]
 *
 * It writes one log line (core/log.h, journald) saying what it did, and
 * exits with:
 *   0  rates stored, or the same day's rates were there already
 *   1  the feed could not be fetched (network, timeout, HTTP error,
 *      after rates_retries retries)
 *   2  usage or configuration error
 *   3  the feed was refused (malformed, empty, too large, older than the
 *      stored rates, dated in the future, or a rate moved by more than
 *      rates_max_change): nothing changed
 *   4  database error: nothing changed
 * On any non-zero status the last good rates stay in use.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/rates.h"

enum {
	EXIT_FETCH = 1,
	EXIT_USAGE = 2,
	EXIT_REFUSED = 3,
	EXIT_DB = 4,
};

static int
usage(void)
{
	fputs("usage: souk-rates [--config FILE] [--url URL]\n", stderr);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	const char		*config = NULL, *url = NULL;
	struct rates_result	*res;
	struct db		*db;
	enum rates_err		 e;
	char			 err[512];
	int			 i, lvl, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config = argv[++i];
		else if (strcmp(argv[i], "--url") == 0 && i + 1 < argc)
			url = argv[++i];
		else if (strcmp(argv[i], "--help") == 0) {
			usage();
			return 0;
		} else
			return usage();
	}
	if (config_load(config, err, sizeof(err)) == -1) {
		fprintf(stderr, "souk-rates: %s\n", err);
		return EXIT_USAGE;
	}
	lvl = log_level_parse(config_get("log_level", "info"));
	log_init("souk-rates", lvl < 0 ? LOG_LVL_INFO : (enum log_level)lvl);
	if (url == NULL)
		url = config_get("rates_url", RATES_DEFAULT_URL);
	(void)rates_max_change();	/* a bad value stops here (fatal) */

	db = db_open();
	if (!db_alive(db, 0)) {
		log_err("cannot store exchange rates: database unavailable: %s",
		    db_error(db));
		db_close(db);
		return EXIT_DB;
	}
	res = xcalloc(1, sizeof(*res));
	e = rates_fetch(db, url, res);
	switch (e) {
	case RATES_OK:
		if (res->unchanged)
			log_info("exchange rates of %s already stored "
			    "(%zu currencies) from '%s'", res->rates.date,
			    res->rates.n, url);
		else
			log_info("exchange rates of %s stored (%zu "
			    "currencies, previous %s) from '%s' in %d "
			    "attempt(s)", res->rates.date, res->rates.n,
			    res->previous[0] ? res->previous : "none", url,
			    res->attempts);
		rc = 0;
		break;
	case RATES_EFETCH:
		log_err("cannot fetch exchange rates from '%s' after %d "
		    "attempt(s): %s; previous rates kept", url, res->attempts,
		    res->msg);
		rc = EXIT_FETCH;
		break;
	case RATES_EDB:
		log_err("cannot store exchange rates from '%s': database: %s; "
		    "previous rates kept", url, res->msg);
		rc = EXIT_DB;
		break;
	default:
		log_err("exchange rates from '%s' refused: %s: %s; previous "
		    "rates kept", url, rates_strerror(e), res->msg);
		rc = EXIT_REFUSED;
		break;
	}
	free(res);
	db_close(db);
	config_free();
	return rc;
}
