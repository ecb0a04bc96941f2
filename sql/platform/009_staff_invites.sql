-- Invitations of staff to a shop (fcgi-app/shop/staff_invite.h): kept
-- with the platform's rows, not the shop's, so no shop gets a table
-- more (provisioning's cost is per table). Single use: accepting
-- deletes the row. The token is only in the e-mail; this keeps its
-- SHA-256.
CREATE TABLE IF NOT EXISTS souk_staff_invites (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tenant_id	BIGINT UNSIGNED NOT NULL,
	email		VARCHAR(254) NOT NULL,		-- account_email_norm()
	role		ENUM('manager','clerk') NOT NULL,
	token_hash	BINARY(32) NOT NULL,
	invited_by	BIGINT UNSIGNED NOT NULL,	-- s{tenant}_staff.id
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL DEFAULT '',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at	DATETIME NOT NULL,
	UNIQUE KEY token (token_hash),
	UNIQUE KEY tenant_email (tenant_id, email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
