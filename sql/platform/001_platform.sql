-- Platform tables: one set per installation, on the first database server.
-- Statements are separated by a line holding only ";;" (migrate.c splits
-- on it), so a statement may itself contain semicolons.

CREATE TABLE IF NOT EXISTS souk_schema (
	name		VARCHAR(64) NOT NULL PRIMARY KEY,	-- migration file
	applied_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- A platform account (a merchant who signs up); owns shops.
CREATE TABLE IF NOT EXISTS souk_accounts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	email		VARCHAR(254) NOT NULL,
	pw_hash		VARCHAR(128) NOT NULL,		-- argon2id, libsodium string
	failed_logins	INT NOT NULL DEFAULT 0,	-- since first_failed_at
	first_failed_at	DATETIME NULL,		-- start of the failure window
	locked_until	DATETIME NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- Sessions of platform accounts (sign-up dashboard, operator console).
CREATE TABLE IF NOT EXISTS souk_account_sessions (
	token_hash	BINARY(32) NOT NULL PRIMARY KEY,	-- sha256 of the cookie
	account_id	BIGINT UNSIGNED NOT NULL,
	csrf		CHAR(32) NOT NULL,
	expires_at	DATETIME NOT NULL,
	KEY account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii
;;
CREATE TABLE IF NOT EXISTS souk_operators (
	account_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB
;;
CREATE TABLE IF NOT EXISTS souk_tenants (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	slug		VARCHAR(40) CHARACTER SET ascii NOT NULL,
	name		VARCHAR(200) NOT NULL,
	owner_id	BIGINT UNSIGNED NOT NULL,	-- souk_accounts.id
	status		ENUM('provisioning','ready','failed','suspended')
			    NOT NULL DEFAULT 'provisioning',
	status_reason	VARCHAR(500) NOT NULL DEFAULT '',
	schema_version	INT NOT NULL DEFAULT 0,		-- last shop migration applied
	shard		VARCHAR(64) CHARACTER SET ascii NOT NULL DEFAULT 'default',
	theme		VARCHAR(40) CHARACTER SET ascii NOT NULL DEFAULT 'default',
	default_locale	VARCHAR(8) CHARACTER SET ascii NOT NULL DEFAULT 'en',
	locales		VARCHAR(100) CHARACTER SET ascii NOT NULL DEFAULT 'en',  -- comma list
	currency	CHAR(3) CHARACTER SET ascii NOT NULL DEFAULT 'EUR',     -- base
	color_primary	CHAR(7) CHARACTER SET ascii NOT NULL DEFAULT '#1f6feb',
	color_accent	CHAR(7) CHARACTER SET ascii NOT NULL DEFAULT '#f78166',
	logo		VARCHAR(200) NOT NULL DEFAULT '',	-- path under /media/
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY slug (slug),
	KEY owner (owner_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- Host names that reach a shop: "{slug}.{platform domain}" is implicit;
-- custom domains are rows here.
CREATE TABLE IF NOT EXISTS souk_domains (
	host		VARCHAR(253) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	tenant_id	BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY tenant (tenant_id)
) ENGINE=InnoDB
;;
-- Failed logins by client address, for the lock-out (platform and shops).
CREATE TABLE IF NOT EXISTS souk_login_failures (
	scope		VARCHAR(80) CHARACTER SET ascii NOT NULL,  -- "p" or "s<id>" + email hash
	failures	INT NOT NULL DEFAULT 0,
	window_start	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (scope)
) ENGINE=InnoDB
