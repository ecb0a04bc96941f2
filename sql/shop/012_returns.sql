-- Returns (issue 11, part 3; shop/rma.h): a shopper asks to send back
-- units of the lines of a shipped order; the merchant approves or
-- refuses, marks the goods received (and back in stock, or not), and
-- refunds through shop/refund.h. A return's id is its number in the
-- shop ("Return 3"): the table is the shop's own.
-- customer_id is the signed-in shopper's (NULL: a guest, who reaches it
-- by the order's key); locale is the language of the mails about it.
-- restock: the goods went back in stock when received; refund_id the
-- refund that closed it; refunding: a refund of it is under way (taken
-- in a transaction before the refund, which runs outside it: a gateway
-- is asked; cleared when it is recorded or refused), so two clicks
-- refund once.
CREATE TABLE IF NOT EXISTS {p}returns (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	customer_id	BIGINT UNSIGNED NULL,
	status		ENUM('requested','approved','refused','received',
			    'refunded','cancelled') NOT NULL,
	reason		ENUM('damaged','wrong_item','not_as_described',
			    'unwanted','other') NOT NULL,
	note		VARCHAR(1000) NOT NULL DEFAULT '',
	merchant_note	VARCHAR(1000) NOT NULL DEFAULT '',
	restock		TINYINT NOT NULL DEFAULT 0,
	refund_id	BIGINT UNSIGNED NULL,
	refunding	TINYINT NOT NULL DEFAULT 0,
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL DEFAULT '',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY order_id (order_id, id),
	KEY status (status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The units of each order line a return sends back.
CREATE TABLE IF NOT EXISTS {p}return_lines (
	return_id	BIGINT UNSIGNED NOT NULL,
	order_line_id	BIGINT UNSIGNED NOT NULL,
	qty		INT NOT NULL,
	PRIMARY KEY (return_id, order_line_id),
	KEY order_line (order_line_id),
	CONSTRAINT retl_qty CHECK (qty > 0)
) ENGINE=InnoDB
