-- Card payment gateways a shop has connected (issue 11): one row per
-- provider ('stripe'). The secret key and the webhook signing secret
-- are stored only sealed with the server's key (core/secret.h: ASCII
-- "s1:KID:base64", never the key itself); what the admin shows of them
-- is the account, the key's last four characters and its mode, kept
-- apart in clear. Disconnecting deletes the row.
CREATE TABLE IF NOT EXISTS {p}gateways (
	provider	VARCHAR(16) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	account_id	VARCHAR(64) CHARACTER SET ascii NOT NULL,
	account_name	VARCHAR(200) NOT NULL DEFAULT '',
	key_last4	VARCHAR(4) CHARACTER SET ascii NOT NULL,
	livemode	TINYINT NOT NULL DEFAULT 0,
	secret_key	TEXT CHARACTER SET ascii NOT NULL,	-- sealed
	webhook_secret	TEXT CHARACTER SET ascii NOT NULL,	-- sealed
	staff_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,	-- who connected
	connected_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
