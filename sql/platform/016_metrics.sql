-- The operator console's last day of operating figures
-- (fcgi-app/platform/metrics_log.h): souk-worker writes one row per VM
-- every metrics_sample_secs (300) from the VM's shared figures
-- (fcgi-app/core/metrics.h): what the counters gained since its last row
-- (requests, errors, latency, deaths, mail, database, caches) and the
-- gauges as they were (workers, busy, the queue). Rows older than
-- METRICS_LOG_KEEP_DAYS (3) are deleted as new ones are written.
CREATE TABLE IF NOT EXISTS souk_metric_samples (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	host		VARCHAR(64) NOT NULL,
	taken_at	DATETIME NOT NULL,
	secs		INT NOT NULL,		-- since the host's last row
	requests	BIGINT NOT NULL DEFAULT 0,
	server_errors	BIGINT NOT NULL DEFAULT 0,
	latency_us	BIGINT NOT NULL DEFAULT 0,	-- the requests' sum
	workers		BIGINT NOT NULL DEFAULT 0,
	workers_busy	BIGINT NOT NULL DEFAULT 0,
	worker_deaths	BIGINT NOT NULL DEFAULT 0,
	jobs_waiting	BIGINT NOT NULL DEFAULT 0,
	jobs_oldest	BIGINT NOT NULL DEFAULT 0,	-- seconds
	mail_sent	BIGINT NOT NULL DEFAULT 0,
	mail_failed	BIGINT NOT NULL DEFAULT 0,
	db_round_trips	BIGINT NOT NULL DEFAULT 0,
	db_errors	BIGINT NOT NULL DEFAULT 0,
	cache_hits	BIGINT NOT NULL DEFAULT 0,
	cache_misses	BIGINT NOT NULL DEFAULT 0,
	KEY taken_at (taken_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
