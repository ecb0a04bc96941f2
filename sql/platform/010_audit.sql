-- The audit log (fcgi-app/platform/audit.h): every change made in an
-- admin, the operator console, the APIs or soukctl, with who, from
-- where, when, what, and the values before and after. souk only ever
-- inserts here: no page, API or command edits or deletes an entry.
CREATE TABLE IF NOT EXISTS souk_audit (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tenant_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,	-- 0: the platform
	at		DATETIME(3) NOT NULL,			-- UTC
	actor		ENUM('system','staff','account','operator','api_key',
			    'operator_key','soukctl') NOT NULL,
	actor_id	BIGINT NOT NULL DEFAULT 0,
	actor_label	VARCHAR(254) NOT NULL DEFAULT '',	-- e-mail, key, user
	addr		VARCHAR(45) CHARACTER SET ascii NOT NULL DEFAULT '',
	agent		VARCHAR(255) NOT NULL DEFAULT '',	-- user agent
	action		VARCHAR(120) NOT NULL,			-- "product.update"
	object		VARCHAR(40) CHARACTER SET ascii NOT NULL DEFAULT '',
	object_id	BIGINT NOT NULL DEFAULT 0,
	before_json	TEXT NULL,
	after_json	TEXT NULL,
	KEY tenant (tenant_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
