-- Invoices (issue 11): one per paid order, issued in the transaction
-- that marks it paid (shop/invoice.h), numbered per shop without gaps
-- by a counter row in {p}settings ('invoice_number') whose lock is held
-- until that transaction ends. kind and refund_id leave room for the
-- credit note of each refund, numbered on their own counter.
CREATE TABLE IF NOT EXISTS {p}invoices (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind		ENUM('invoice','credit_note') NOT NULL,
	number		BIGINT UNSIGNED NOT NULL,
	order_id	BIGINT UNSIGNED NOT NULL,
	refund_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	issued_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY number (kind, number),
	UNIQUE KEY one (order_id, kind, refund_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
