-- Plans and what they allow (fcgi-app/platform/plan.h). A limit that
-- is NULL is no limit. Prices are minor units of the plan's currency
-- (the platform's, platform_currency, when the plan was made); a month
-- is billed per shop, pro rata of the days on each plan. Every
-- statement is idempotent: a run stopped half-way can run again.
CREATE TABLE IF NOT EXISTS souk_plans (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	code		VARCHAR(40) CHARACTER SET ascii NOT NULL,	-- "starter"
	name		VARCHAR(100) NOT NULL,
	price		BIGINT NOT NULL DEFAULT 0,		-- a month
	currency	CHAR(3) CHARACTER SET ascii NOT NULL DEFAULT 'EUR',
	max_products	BIGINT NULL,
	max_staff	BIGINT NULL,		-- staff besides the owner, and invitations
	max_media_bytes	BIGINT NULL,
	max_orders_month BIGINT NULL,		-- counted, never refused
	max_api_15min	BIGINT NULL,		-- API requests of the shop
	max_domains	BIGINT NULL,		-- custom domains
	trial_days	INT NOT NULL DEFAULT 0,	-- a new shop's free days
	is_default	TINYINT NOT NULL DEFAULT 0,	-- exactly one row is 1
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- An installation starts with one plan, without limits: what every
-- shop had before plans. The operator adds the plans they sell and
-- makes one the default (soukctl plan, /operator/plans).
INSERT IGNORE INTO souk_plans (code, name, is_default)
    VALUES ('unlimited', 'Unlimited', 1)
;;
ALTER TABLE souk_tenants
    ADD COLUMN IF NOT EXISTS plan_id BIGINT UNSIGNED NULL,
    ADD COLUMN IF NOT EXISTS trial_ends_at DATE NULL
;;
UPDATE souk_tenants SET plan_id =
    (SELECT id FROM souk_plans WHERE is_default = 1 ORDER BY id LIMIT 1)
    WHERE plan_id IS NULL
;;
-- Each change of a shop's plan, for the month's invoice (pro rata) and
-- the audit: the plan before (NULL: the shop was just made) and after.
CREATE TABLE IF NOT EXISTS souk_plan_changes (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tenant_id	BIGINT UNSIGNED NOT NULL,
	from_plan_id	BIGINT UNSIGNED NULL,
	to_plan_id	BIGINT UNSIGNED NOT NULL,
	trial_ends_at	DATE NULL,
	changed_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY tenant (tenant_id, changed_at)
) ENGINE=InnoDB
