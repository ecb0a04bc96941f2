/*
 * config.h: the process configuration.
 *
 * A file of "key = value" lines ('#' starts a comment line; blank lines
 * are skipped), by default CONFIG_FILE (/etc/souk/souk.conf). Every key
 * may be overridden by an environment variable SOUK_<KEY> (upper case):
 * SOUK_DB_SOCKET beats db_socket in the file. The configuration is
 * loaded once at start-up, before the pool forks; values live until
 * config_free().
 *
 * The file paths have built-in defaults, compiled in by the GNUmakefile
 * (-DSOUK_CONFIG_FILE, -DSOUK_THEMES_DIR, ...): a release build (make
 * install) gets the installed paths under PREFIX, a developer build the
 * checkout's. For these keys the built-in default wins over the def a
 * caller passes to config_get(), so no caller can fall back to a path
 * relative to the working directory. souk.conf.sample lists every key.
 *
 * Keys souk reads (defaults in parentheses):
 *   db_host (localhost)  db_port (3306)  db_socket ()  db_user (souk)
 *   db_password ()  db_name (souk)  db_read_timeout (10 s; soukctl 3600)
 *   db_shards ()  db_shard_<name>_socket  db_shard_<name>_host
 *     db_shard_<name>_port (3306)  -- servers of shops (db/db.h)
 *   platform_domain (localhost)  public_port ()  -- appended to links
 *   public_scheme (http)
 *   workers (4)  max_requests (10000)  listen ()  stop_timeout (30)
 *   api_cache_mb (64, core/shcache.h)
 *   listen_mode (0660, octal)  listen_group ()
 *   themes_dir (PREFIX/share/souk/themes)  locale_dir (PREFIX/share/locale)
 *   sql_dir (PREFIX/share/souk/sql)  media_dir (/var/lib/souk/media)
 *   upload_dir (/var/lib/souk/uploads)  -- private: CSV imports, never
 *     served by nginx; written by souk-fcgi, read by souk-worker
 *   usage metering (platform/meter.h): meter_file
 *     (/run/souk-usage/counters)  meter_socket (/run/souk-usage/views.sock;
 *     empty: nginx's cache hits are not counted)  usage_flush_secs (60)
 *     usage_refresh_secs (900)
 *   migrate_lock_wait_secs (2: soukctl migrate's wait for a table in use,
 *     db/migrate.h)
 *   health_job_lag_secs (300: older due jobs are a warning in /_health)
 *   backups (platform/backup.h): backup_dir (/var/backups/souk)
 *     backup_retention_days (14)  backup_user (root)  backup_password ()
 *     backup_socket (db_socket, else /run/mysqld/mysqld.sock)
 *   metrics (core/metrics.h, http/scrape.h): metrics_listen (; host:port
 *     where souk-fcgi's master serves /metrics)  metrics_file
 *     (/run/souk-usage/metrics)  metrics_gauge_secs (15)
 *     metrics_sample_secs (300, souk-worker)
 *   billing (platform/billing.h): platform_currency (EUR)
 *     billing_issuer (platform_domain)  billing_webhook_url ()
 *     billing_webhook_secret ()  billing_grace_days (14)
 *     billing_check_secs (300)
 *   shop stock (platform/shop_stock.h): shop_stock (4, shops made ahead
 *     of sign-ups; 0 none)  shop_stock_check_ms (2000, souk-worker)
 *   log_level (info)  log_requests (1: a line per request, http/pool.h)
 *   session_ttl (1209600)  max_body (8388608)  secure_cookies (0)
 *   exchange rates (platform/rates.h, souk-rates):
 *   rates_url (https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml)
 *   rates_timeout (30, seconds per attempt)  rates_retries (3)
 *   rates_backoff_ms (2000, doubled each retry)
 *   rates_max_change (1.5, a rate may move by this factor per fetch)
 *   rates_max_age_days (4, older rates are a warning in /_health)
 *   fetch_allow_private (0; 1 lets fetched URLs reach local and private
 *     addresses, platform/fetch.h)
 *   card payments: secret_key_file (/etc/souk/secret.key, core/secret.h)
 *   secret_old_key_files ("", retired keys while rotating)
 *   stripe_api_url (https://api.stripe.com)  stripe_webhook_tolerance
 *     (300 s) (platform/stripe.h)
 *   card_reconcile_every (60 s, souk-worker)  card_reconcile_after
 *     (600 s) (shop/card.h)
 */
#ifndef SOUK_CONFIG_H
#define SOUK_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#ifndef SOUK_CONFIG_FILE
#define SOUK_CONFIG_FILE	"/etc/souk/souk.conf"
#endif
#define CONFIG_FILE	SOUK_CONFIG_FILE

/*
 * Reads path (NULL: $SOUK_CONFIG, else CONFIG_FILE). A missing
 * file is no error when path was not given explicitly (defaults and the
 * environment still apply). Returns 0, or -1 with a message in err.
 */
int		 config_load(const char *path, char *err, size_t errlen);

/* Sets key to value (copied), as if read from the file. */
void		 config_set(const char *key, const char *value);

/* The value of key (environment first), or def. Lives until
 * config_free(); the environment's own strings are returned as is. */
const char	*config_get(const char *key, const char *def);

/* The value as an integer in [min, max], or def when unset; fatal when
 * set but invalid (configuration errors stop start-up). */
int64_t		 config_int(const char *key, int64_t def, int64_t min,
		    int64_t max);

/* The built-in default of a path key (themes_dir, locale_dir, sql_dir,
 * media_dir, upload_dir), or NULL for any other key. Static strings. */
const char	*config_default(const char *key);

/* Prints the configuration file and the built-in path defaults, one
 * "name  value" a line (for --help). */
void		 config_print_defaults(FILE *f);

void		 config_free(void);

#endif
