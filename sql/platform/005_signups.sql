-- Sign-up by confirmed e-mail, and the job queue that sends the mail.
-- Statements are separated by a line holding only ";;" (see 001).

-- When the account's address was last proved to be its owner's. Accounts
-- made before this migration (sign-ups that checked nothing, soukctl,
-- the demo) count as verified from their creation: they were made by the
-- operator or have been in use; every account made from now on is
-- verified by the sign-up link or made by the operator (soukctl).
ALTER TABLE souk_accounts ADD COLUMN IF NOT EXISTS email_verified_at
    DATETIME NULL AFTER pw_hash
;;
UPDATE souk_accounts SET email_verified_at = created_at
    WHERE email_verified_at IS NULL
;;
-- Sign-ups (platform/signup.h). A 'new' row waits for its link to be
-- opened: the link's token is stored only as its SHA-256, the row is
-- used once (used_at) and dies at expires_at; nothing here is an
-- account yet: the account and the shop are made when the link is
-- opened. An 'exists' row records an attempt on an address that has an
-- account (its owner was mailed a notice; no token was sent, no
-- password kept); both kinds count toward the mails an address gets an
-- hour.
CREATE TABLE IF NOT EXISTS souk_signups (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind		ENUM('new','exists') NOT NULL,
	token_hash	BINARY(32) NOT NULL,
	email		VARCHAR(254) NOT NULL,		-- normalised
	pw_hash		VARCHAR(128) NOT NULL,		-- argon2id; '' for exists
	shop_name	VARCHAR(200) NOT NULL,
	slug		VARCHAR(40) CHARACTER SET ascii NOT NULL,
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL,
	currency	CHAR(3) CHARACTER SET ascii NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at	DATETIME NOT NULL,
	used_at		DATETIME NULL,
	UNIQUE KEY token (token_hash),
	KEY email (email, created_at),
	KEY expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The queue (platform/jobs.h): transactional e-mail now, webhooks and
-- imports later. A job is claimed with SELECT ... FOR UPDATE SKIP LOCKED
-- and leased by moving due_at forward, so a worker that dies mid-job
-- leaves it to be claimed again when the lease ends; done jobs are
-- deleted; a job out of attempts keeps its row with dead_at set.
CREATE TABLE IF NOT EXISTS souk_jobs (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tenant_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,	-- 0: the platform
	kind		VARCHAR(40) CHARACTER SET ascii NOT NULL,
	payload		MEDIUMTEXT NOT NULL,			-- JSON
	due_at		DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	attempts	INT NOT NULL DEFAULT 0,
	last_error	VARCHAR(500) NOT NULL DEFAULT '',
	dead_at		DATETIME NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY due (dead_at, due_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
