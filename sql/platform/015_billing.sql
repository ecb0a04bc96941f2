-- The month's billing (fcgi-app/platform/billing.h): one invoice per
-- platform account and month, numbered without gaps (the counter row is
-- taken in the invoice's transaction), its lines the plan fees of each
-- shop pro rata of its days on each plan, trial days free. Every
-- statement is idempotent.
CREATE TABLE IF NOT EXISTS souk_counters (
	name		VARCHAR(40) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	value		BIGINT NOT NULL
) ENGINE=InnoDB
;;
INSERT IGNORE INTO souk_counters (name, value) VALUES ('invoice', 0)
;;
CREATE TABLE IF NOT EXISTS souk_invoices (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	number		BIGINT NOT NULL,
	account_id	BIGINT UNSIGNED NOT NULL,
	email		VARCHAR(254) NOT NULL,		-- the account's, then
	period		CHAR(7) CHARACTER SET ascii NOT NULL,	-- 2026-11
	currency	CHAR(3) CHARACTER SET ascii NOT NULL,
	total		BIGINT NOT NULL,
	status		ENUM('open','paid','failed') NOT NULL,
	issued_at	DATETIME NOT NULL,
	paid_at		DATETIME NULL,
	failed_at	DATETIME NULL,
	fail_reason	VARCHAR(500) NOT NULL DEFAULT '',
	suspend_after	DATETIME NULL,		-- failed: the grace period's end
	UNIQUE KEY number (number),
	UNIQUE KEY account_period (account_id, period),
	KEY status (status, suspend_after)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS souk_invoice_lines (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	invoice_id	BIGINT UNSIGNED NOT NULL,
	tenant_id	BIGINT UNSIGNED NOT NULL,
	shop_slug	VARCHAR(40) CHARACTER SET ascii NOT NULL,
	shop_name	VARCHAR(200) NOT NULL,
	plan_id		BIGINT UNSIGNED NOT NULL,
	plan_name	VARCHAR(100) NOT NULL,
	first_day	DATE NOT NULL,
	last_day	DATE NOT NULL,
	days		INT NOT NULL,
	month_days	INT NOT NULL,
	price		BIGINT NOT NULL,	-- the plan's, a month
	trial		TINYINT NOT NULL DEFAULT 0,
	amount		BIGINT NOT NULL,	-- price * days / month_days, rounded
	KEY invoice (invoice_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- Months billed completely (souk-worker runs each month once).
CREATE TABLE IF NOT EXISTS souk_billing_runs (
	period		CHAR(7) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	finished_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB
;;
-- Shops made before the history started with them: their first row,
-- on the plan they had before their first change (or have now).
INSERT INTO souk_plan_changes (tenant_id, from_plan_id, to_plan_id,
    trial_ends_at, changed_at)
SELECT t.id, NULL, COALESCE((SELECT c.from_plan_id FROM souk_plan_changes c
    WHERE c.tenant_id = t.id ORDER BY c.changed_at, c.id LIMIT 1),
    t.plan_id), t.trial_ends_at, t.created_at
FROM souk_tenants t WHERE t.plan_id IS NOT NULL AND NOT EXISTS
    (SELECT 1 FROM souk_plan_changes c WHERE c.tenant_id = t.id AND
    c.from_plan_id IS NULL)
