-- The platform's tenant API (fcgi-app/web/tenant_api.c): operators'
-- API keys and the refresh tokens of platform accounts' JWTs
-- (fcgi-app/platform/opkey.h, platform/apitoken.h). Every statement is
-- idempotent: a run stopped half-way can run again.
CREATE TABLE IF NOT EXISTS souk_operator_keys (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	account_id	BIGINT UNSIGNED NOT NULL,	-- the operator's souk_accounts.id
	key_hash	BINARY(32) NOT NULL,		-- sha256 of the whole key
	last_chars	CHAR(4) CHARACTER SET ascii NOT NULL,
	description	VARCHAR(200) NOT NULL DEFAULT '',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	last_used_at	DATETIME NULL,
	revoked_at	DATETIME NULL,
	UNIQUE KEY key_hash (key_hash),
	KEY account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- A refresh token is used once: the DELETE that consumes it decides.
CREATE TABLE IF NOT EXISTS souk_refresh_tokens (
	token_hash	BINARY(32) NOT NULL PRIMARY KEY,	-- sha256
	account_id	BIGINT UNSIGNED NOT NULL,
	expires_at	DATETIME NOT NULL,			-- UTC
	KEY account (account_id),
	KEY expires (expires_at)
) ENGINE=InnoDB
;;
-- Access tokens issued before this (Unix seconds) are refused: what
-- /api/v1/auth/revoke sets.
ALTER TABLE souk_accounts ADD COLUMN IF NOT EXISTS tokens_not_before
    BIGINT NOT NULL DEFAULT 0
