-- What each shop used, per UTC day (fcgi-app/platform/usage.h), kept
-- USAGE_KEEP_DAYS (400) days. Page views and API requests are added by
-- souk-worker from the VMs' shared counters (platform/meter.h);
-- orders, revenue and what the shop holds are counted from its tables
-- by souk-worker's refresh (the last one of a day is that day's
-- figure). revenue is in minor units of currency, the shop's own.
CREATE TABLE IF NOT EXISTS souk_usage (
	tenant_id	BIGINT UNSIGNED NOT NULL,
	day		DATE NOT NULL,
	orders		BIGINT NOT NULL DEFAULT 0,
	revenue		BIGINT NOT NULL DEFAULT 0,
	currency	CHAR(3) CHARACTER SET ascii NOT NULL DEFAULT '',
	products	BIGINT NOT NULL DEFAULT 0,
	media_bytes	BIGINT NOT NULL DEFAULT 0,
	staff		BIGINT NOT NULL DEFAULT 0,
	api_requests	BIGINT NOT NULL DEFAULT 0,
	page_views	BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant_id, day),
	KEY day (day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
