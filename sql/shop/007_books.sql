-- The shop's books (issue 11): payments received, refunds given, and
-- the double-entry ledger they and the sales post to (shop/ledger.h).
-- Amounts are BIGINT minor units of the order's currency (the shop's
-- base); tax rates are INT millionths, as the order lines store them.

-- Money received for an order. gateway is '' and gateway_ref '' for a
-- payment the merchant recorded (bank transfer, cheque, cash); a card
-- gateway's payment carries its own id, unique per gateway, so a
-- webhook delivered twice records one payment (gateway_key is NULL for
-- the offline rows, which a UNIQUE key lets repeat).
CREATE TABLE IF NOT EXISTS {p}payments (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	method		VARCHAR(20) CHARACTER SET ascii NOT NULL,
	amount		BIGINT NOT NULL,
	fee		BIGINT NOT NULL DEFAULT 0,
	gateway		VARCHAR(20) CHARACTER SET ascii NOT NULL DEFAULT '',
	gateway_ref	VARCHAR(255) CHARACTER SET ascii NOT NULL DEFAULT '',
	gateway_key	VARCHAR(255) CHARACTER SET ascii
			    AS (NULLIF(gateway_ref, '')) PERSISTENT,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	staff_id	BIGINT UNSIGNED NULL,
	KEY order_id (order_id, id),
	UNIQUE KEY gateway_ref (gateway, gateway_key),
	CONSTRAINT pay_amount CHECK (amount > 0),
	CONSTRAINT pay_fee CHECK (fee >= 0)
) ENGINE=InnoDB
;;
-- Money given back. amount = the net refunded + tax; shipping is the
-- part of amount that was shipping (with its tax when prices include
-- it). A refund of a gateway payment waits 'pending' until the gateway
-- answers; an offline one is 'succeeded' at once.
CREATE TABLE IF NOT EXISTS {p}refunds (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	payment_id	BIGINT UNSIGNED NULL,
	amount		BIGINT NOT NULL,
	tax		BIGINT NOT NULL DEFAULT 0,
	shipping	BIGINT NOT NULL DEFAULT 0,
	reason		VARCHAR(500) NOT NULL DEFAULT '',
	restock		TINYINT NOT NULL DEFAULT 0,
	status		ENUM('pending','succeeded','failed') NOT NULL,
	gateway		VARCHAR(20) CHARACTER SET ascii NOT NULL DEFAULT '',
	gateway_ref	VARCHAR(255) CHARACTER SET ascii NOT NULL DEFAULT '',
	staff_id	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY order_id (order_id, id),
	CONSTRAINT refund_amount CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The order lines a refund by lines gave back: qty of the line, and
-- the amount (with tax) and tax refunded for them.
CREATE TABLE IF NOT EXISTS {p}refund_lines (
	refund_id	BIGINT UNSIGNED NOT NULL,
	order_line_id	BIGINT UNSIGNED NOT NULL,
	qty		INT NOT NULL,
	amount		BIGINT NOT NULL,
	tax		BIGINT NOT NULL,
	PRIMARY KEY (refund_id, order_line_id),
	KEY order_line (order_line_id),
	CONSTRAINT rl_qty CHECK (qty > 0)
) ENGINE=InnoDB
;;
-- The ledger: one row per line, never updated or deleted (a mistake is
-- reversed by new lines). An entry is the lines of one (entry_kind,
-- ref_id): sale (ref: the order id), payment (the payment's), refund
-- (the refund's); the unique key posts each entry once. account is a
-- code of the chart in shop/ledger.c; tax_rate (millionths) and
-- tax_country say which tax a 2200 line is (and the rate of a sale's
-- or refund's 4000/4010/4020 lines).
CREATE TABLE IF NOT EXISTS {p}ledger (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	entry_kind	VARCHAR(12) CHARACTER SET ascii NOT NULL,
	ref_id		BIGINT UNSIGNED NOT NULL,
	order_id	BIGINT UNSIGNED NOT NULL,
	line_no		SMALLINT NOT NULL,
	account		SMALLINT NOT NULL,
	debit		BIGINT NOT NULL DEFAULT 0,
	credit		BIGINT NOT NULL DEFAULT 0,
	tax_rate	INT NULL,
	tax_country	CHAR(2) CHARACTER SET ascii NOT NULL DEFAULT '',
	posted_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY entry (entry_kind, ref_id, line_no),
	KEY order_id (order_id),
	KEY posted (posted_at),
	CONSTRAINT ledger_debit CHECK (debit >= 0),
	CONSTRAINT ledger_credit CHECK (credit >= 0),
	CONSTRAINT ledger_one_side CHECK ((debit > 0) <> (credit > 0))
) ENGINE=InnoDB
