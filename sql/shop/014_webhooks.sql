-- WooCommerce webhooks (issue 12, point 4; shop/wc_webhook.h): a
-- merchant's subscription of a delivery URL to a topic ("order.created"),
-- delivered by souk-worker as WooCommerce delivers them (signed with the
-- secret, which is kept sealed: core/secret.h). status follows
-- WooCommerce's: only 'active' ones fire; 'disabled' is also what five
-- failed deliveries in a row set (failures counts them; note says why).
-- recent is a JSON array of the last deliveries' outcomes, newest first
-- (a handful: kept in the row rather than in a table of its own, which
-- would cost every shop a table for what the admin's list shows).
CREATE TABLE IF NOT EXISTS {p}wc_webhooks (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(200) NOT NULL DEFAULT '',
	status		ENUM('active','paused','disabled') NOT NULL
			    DEFAULT 'active',
	topic		VARCHAR(40) CHARACTER SET ascii NOT NULL,
	delivery_url	VARCHAR(1000) CHARACTER SET ascii NOT NULL,
	secret		VARCHAR(1500) CHARACTER SET ascii NOT NULL,
	api_version	VARCHAR(20) CHARACTER SET ascii NOT NULL
			    DEFAULT 'wp_api_v3',
	failures	INT NOT NULL DEFAULT 0,
	note		VARCHAR(500) NOT NULL DEFAULT '',
	recent		TEXT NOT NULL DEFAULT '[]',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY topic (status, topic)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
