-- One login throttle for platform accounts and shop staff
-- (fcgi-app/platform/lockout.h): failures are counted per e-mail in a
-- row of their own, so unknown e-mails are counted and locked exactly
-- like known ones, and every claim of a try is one atomic statement.
-- Every statement is idempotent: a run stopped half-way can run again.
CREATE TABLE IF NOT EXISTS souk_login_throttles (
	scope		BIGINT UNSIGNED NOT NULL,	-- 0: platform accounts; else the shop id
	email_hash	BINARY(32) NOT NULL,		-- sha256 of the e-mail, trimmed, lower-cased
	tries		INT NOT NULL DEFAULT 1,		-- let through in this window (failed or checking)
	failures	INT NOT NULL DEFAULT 0,		-- failed in this window
	window_start	DATETIME NOT NULL,		-- UTC, the window's first try
	locked_until	DATETIME NULL,			-- UTC; in the past: no lock
	PRIMARY KEY (scope, email_hash),
	KEY window_start (window_start)			-- purge of dead rows
) ENGINE=InnoDB
;;
-- The counts that lived in the account's row: replaced by the above.
ALTER TABLE souk_accounts
    DROP COLUMN IF EXISTS failed_logins,
    DROP COLUMN IF EXISTS first_failed_at,
    DROP COLUMN IF EXISTS locked_until
;;
-- Created by 001 and never read or written by any code: replaced by
-- souk_login_throttles.
DROP TABLE IF EXISTS souk_login_failures
;;
-- Each new session deletes a few expired ones, found by this key.
ALTER TABLE souk_account_sessions ADD KEY IF NOT EXISTS expires (expires_at)
