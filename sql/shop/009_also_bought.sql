-- "Customers also bought" and the best sellers (issue 11): figures
-- souk-worker computes nightly from the orders (shop/also_bought.h),
-- each table replaced whole in one transaction, so a page reads either
-- the old set or the new one. Only the pages read them.
-- For each product, the other products most often in the same orders
-- (not cancelled, the last 365 days): position 1 first, at most 8; score
-- is the number of orders holding both.
CREATE TABLE IF NOT EXISTS {p}also_bought (
	product_id	BIGINT UNSIGNED NOT NULL,
	pos		TINYINT UNSIGNED NOT NULL,
	other_id	BIGINT UNSIGNED NOT NULL,
	score		INT UNSIGNED NOT NULL,
	PRIMARY KEY (product_id, pos)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The active products that sold the most units in the last 30 days:
-- position 1 first, at most 8.
CREATE TABLE IF NOT EXISTS {p}best_sellers (
	pos		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	product_id	BIGINT UNSIGNED NOT NULL,
	units		BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
