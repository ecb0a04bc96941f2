-- A server of shops besides the main one (fcgi-app/db/db.h, "Shops on
-- several servers"): a moved shop's tables live here, with the platform
-- rows that are written in its own transactions: its jobs (an order and
-- its e-mail commit together) and its staff invitations (written with
-- its staff). The same columns as the main server's tables
-- (sql/platform/005_signups.sql, 009_staff_invites.sql); a later change
-- to either is made in both folders. Nothing else of the platform is
-- here, so a statement sent to the wrong server fails loudly.
CREATE TABLE IF NOT EXISTS souk_schema (
	name		VARCHAR(64) NOT NULL PRIMARY KEY,	-- migration file
	applied_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS souk_jobs (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tenant_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	kind		VARCHAR(40) CHARACTER SET ascii NOT NULL,
	payload		MEDIUMTEXT NOT NULL,			-- JSON
	due_at		DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	attempts	INT NOT NULL DEFAULT 0,
	last_error	VARCHAR(500) NOT NULL DEFAULT '',
	dead_at		DATETIME NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY due (dead_at, due_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS souk_staff_invites (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tenant_id	BIGINT UNSIGNED NOT NULL,
	email		VARCHAR(254) NOT NULL,
	role		ENUM('manager','clerk') NOT NULL,
	token_hash	BINARY(32) NOT NULL,
	invited_by	BIGINT UNSIGNED NOT NULL,
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL DEFAULT '',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at	DATETIME NOT NULL,
	UNIQUE KEY token (token_hash),
	UNIQUE KEY tenant_email (tenant_id, email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
