-- Card payments at checkout (issue 11): the Stripe Checkout Sessions
-- made for an order (several when the shopper tried again after one
-- expired or Stripe failed), so a webhook or the reconciliation job
-- finds the order of a session it is told about: a session not in this
-- table is not this shop's and changes nothing. state follows what
-- Stripe said last; the order's own status is the truth of the order.
CREATE TABLE IF NOT EXISTS {p}card_sessions (
	session_id	VARCHAR(255) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	state		ENUM('open','complete','expired') NOT NULL DEFAULT 'open',
	url		VARCHAR(1000) CHARACTER SET ascii NOT NULL DEFAULT '',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY order_id (order_id),
	KEY state (state, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- A refund sent to the gateway (shop/refund_issue.h): Stripe's id for
-- it, so its refund.* webhooks settle the refund still pending, and the
-- reason Stripe gave when it refused one (shown on the order page).
CREATE TABLE IF NOT EXISTS {p}card_refunds (
	refund_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	gateway_ref	VARCHAR(255) CHARACTER SET ascii NULL,
	error		VARCHAR(500) NOT NULL DEFAULT '',
	UNIQUE KEY gateway_ref (gateway_ref)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The card method is offered while a Stripe account is connected: a
-- settings flag written on connecting and disconnecting (no query per
-- page), here for a shop connected before the flag existed.
INSERT IGNORE INTO {p}settings (name, num)
SELECT 'pay_card', 1 FROM {p}gateways WHERE provider = 'stripe'
