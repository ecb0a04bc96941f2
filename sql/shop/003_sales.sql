-- Selling: shop settings, shoppers and their carts, coupons, shipping,
-- tax, orders and their history (issue 9). "{p}" is the shop's prefix;
-- every statement is idempotent (soukctl migrate may resume).
--
-- Money is BIGINT minor units of the shop's base currency. Rates are
-- INT millionths (19 % = 190000, 7.25 % = 72500); coupon percentages
-- are basis points (10 % = 1000). Texts compared with ASCII columns
-- (country codes, slugs, keys) are checked ASCII by the caller first.
-- Kept to few tables (DESIGN.md: each costs ~3 ms to create and ~100 KB
-- when open): zone locations and coupon limits are lists in a column,
-- read whole (a shop has a handful of zones), and coupon uses are
-- counted from the orders.

-- What the product carries for the price of an order: its tax class
-- and weight in grams (a variant may weigh otherwise).
ALTER TABLE {p}products
    ADD COLUMN IF NOT EXISTS tax_class ENUM('standard','reduced','zero')
	NOT NULL DEFAULT 'standard' AFTER price,
    ADD COLUMN IF NOT EXISTS weight_g INT NOT NULL DEFAULT 0 AFTER tax_class
;;
ALTER TABLE {p}variants
    ADD COLUMN IF NOT EXISTS weight_g INT NULL AFTER stock
;;
-- One value per name (shop/settings.h says which names exist and their
-- defaults): numbers in num, texts in text. (Shops made before order
-- numbers came from the orders' ids have an 'order_number' row here, no
-- longer read.)
CREATE TABLE IF NOT EXISTS {p}settings (
	name		VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	num		BIGINT NULL,
	text		TEXT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- Shoppers with an account. email is NULL for nobody: a deleted
-- account's row goes (its orders keep no personal data, see orders).
CREATE TABLE IF NOT EXISTS {p}customers (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	email		VARCHAR(254) NOT NULL,		-- lower-cased
	pw_hash		VARCHAR(128) NOT NULL,
	name		VARCHAR(200) NOT NULL DEFAULT '',
	phone		VARCHAR(40) NOT NULL DEFAULT '',
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL,
	reset_hash	BINARY(32) NULL,		-- sha256 of the mailed token
	reset_expires	DATETIME NULL,
	new_email	VARCHAR(254) NULL,		-- 005: a change to confirm
	email_hash	BINARY(32) NULL,
	email_expires	DATETIME NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY email (email),
	UNIQUE KEY reset (reset_hash),
	UNIQUE KEY email_change (email_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS {p}customer_sessions (
	token_hash	BINARY(32) NOT NULL PRIMARY KEY,	-- sha256 of the cookie
	customer_id	BIGINT UNSIGNED NOT NULL,
	csrf		CHAR(32) CHARACTER SET ascii NOT NULL,
	expires_at	DATETIME NOT NULL,
	KEY customer (customer_id),
	KEY expires (expires_at)
) ENGINE=InnoDB
;;
-- A customer's address book. region is what the shopper chose or typed
-- (a state code such as "CA" where the checkout offers a list).
CREATE TABLE IF NOT EXISTS {p}addresses (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	customer_id	BIGINT UNSIGNED NOT NULL,
	name		VARCHAR(200) NOT NULL,
	company		VARCHAR(200) NOT NULL DEFAULT '',
	line1		VARCHAR(200) NOT NULL,
	line2		VARCHAR(200) NOT NULL DEFAULT '',
	city		VARCHAR(100) NOT NULL,
	region		VARCHAR(100) NOT NULL DEFAULT '',
	postcode	VARCHAR(20) NOT NULL DEFAULT '',
	country		CHAR(2) CHARACTER SET ascii NOT NULL,
	phone		VARCHAR(40) NOT NULL DEFAULT '',
	is_default	TINYINT NOT NULL DEFAULT 0,
	KEY customer (customer_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- A cart is found by the sha256 of its cookie, or by its customer once
-- they signed in (one cart each). checkout holds what the shopper has
-- filled in so far (addresses, method choices) as JSON.
CREATE TABLE IF NOT EXISTS {p}carts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	token_hash	BINARY(32) NULL,
	customer_id	BIGINT UNSIGNED NULL,
	coupon_code	VARCHAR(40) NOT NULL DEFAULT '',
	checkout	TEXT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY token (token_hash),
	UNIQUE KEY customer (customer_id),
	KEY updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- variant_id 0: the product has no variants.
CREATE TABLE IF NOT EXISTS {p}cart_items (
	cart_id		BIGINT UNSIGNED NOT NULL,
	product_id	BIGINT UNSIGNED NOT NULL,
	variant_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	qty		INT NOT NULL,
	added_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (cart_id, product_id, variant_id),
	CONSTRAINT qty_pos CHECK (qty > 0)
) ENGINE=InnoDB
;;
-- kind percent: amount in basis points; fixed: minor units off the
-- eligible lines; free_shipping: amount unused. product_ids and
-- category_ids limit the lines it applies to ("3 17", "" for all).
-- used counts orders that took it, with a conditional UPDATE in the
-- order's transaction; uses per customer are counted from the orders.
CREATE TABLE IF NOT EXISTS {p}coupons (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	code		VARCHAR(40) NOT NULL,		-- unique, any case
	kind		ENUM('percent','fixed','free_shipping') NOT NULL,
	amount		BIGINT NOT NULL DEFAULT 0,
	min_spend	BIGINT NOT NULL DEFAULT 0,
	expires_at	DATETIME NULL,			-- UTC; NULL: never
	product_ids	TEXT CHARACTER SET ascii NOT NULL DEFAULT '',
	category_ids	TEXT CHARACTER SET ascii NOT NULL DEFAULT '',
	usage_limit	INT NOT NULL DEFAULT 0,		-- 0: no limit
	per_customer	INT NOT NULL DEFAULT 0,		-- 0: no limit
	used		INT NOT NULL DEFAULT 0,
	active		TINYINT NOT NULL DEFAULT 1,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY code (code),
	CONSTRAINT amount_nonneg CHECK (amount >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- A zone covers the countries ("DE AT"), regions ("US:CA US:NY") and,
-- when postcodes is not empty, only those postcodes ("10115 80*
-- 90000...90999"). The first zone by position that covers an address
-- is its zone; an address no zone covers cannot be shipped to.
CREATE TABLE IF NOT EXISTS {p}ship_zones (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(200) NOT NULL,
	position	INT NOT NULL DEFAULT 0,
	countries	TEXT CHARACTER SET ascii NOT NULL DEFAULT '',
	regions		TEXT NOT NULL DEFAULT '',
	postcodes	TEXT NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- flat: cost; free: free when the order's total (after discounts)
-- reaches min_total; weight: bands "1000:490 5000:990 *:1990" (up to
-- grams: cost); pickup: cost (usually 0), no address needed.
-- Costs are entered as prices are (settings prices_include_tax).
CREATE TABLE IF NOT EXISTS {p}ship_methods (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	zone_id		BIGINT UNSIGNED NOT NULL,
	kind		ENUM('flat','free','weight','pickup') NOT NULL,
	name		VARCHAR(200) NOT NULL DEFAULT '',
	cost		BIGINT NOT NULL DEFAULT 0,
	min_total	BIGINT NOT NULL DEFAULT 0,
	bands		VARCHAR(1000) CHARACTER SET ascii NOT NULL DEFAULT '',
	position	INT NOT NULL DEFAULT 0,
	enabled		TINYINT NOT NULL DEFAULT 1,
	KEY zone (zone_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The rate of a class for an address is the most specific row that
-- matches it (postcode, then region, then country, then '' for any),
-- then the lowest position.
CREATE TABLE IF NOT EXISTS {p}tax_rates (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	class		ENUM('standard','reduced','zero') NOT NULL,
	country		CHAR(2) CHARACTER SET ascii NOT NULL DEFAULT '',
	region		VARCHAR(100) NOT NULL DEFAULT '',
	postcodes	TEXT NOT NULL DEFAULT '',
	rate		INT NOT NULL,			-- millionths
	name		VARCHAR(100) NOT NULL DEFAULT '',
	shipping	TINYINT NOT NULL DEFAULT 1,	-- also taxes shipping
	position	INT NOT NULL DEFAULT 0,
	KEY country (country, class),
	CONSTRAINT rate_range CHECK (rate >= 0 AND rate <= 1000000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- An order as it was placed: every figure a snapshot, so it can be
-- explained later whatever happens to prices, rates and coupons.
-- Amounts are in currency (the shop's base, what is charged); the
-- shopper saw display_total in display_currency at fx_rate (units of
-- display currency per unit of base, times 10^8; 100000000 when the
-- same). idem_key is the checkout form's: a resubmitted form finds the
-- order it placed. access_key lets a guest see their order. Deleting a
-- customer's account empties their personal data here (anonymised).
CREATE TABLE IF NOT EXISTS {p}orders (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	number		BIGINT UNSIGNED NOT NULL,
	status		ENUM('pending','on-hold','processing','shipped',
			    'completed','cancelled') NOT NULL,
	customer_id	BIGINT UNSIGNED NULL,
	email		VARCHAR(254) NOT NULL,
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL,
	idem_key	CHAR(32) CHARACTER SET ascii NOT NULL,
	access_key	CHAR(32) CHARACTER SET ascii NOT NULL,
	currency	CHAR(3) CHARACTER SET ascii NOT NULL,
	prices_include_tax TINYINT NOT NULL,
	subtotal	BIGINT NOT NULL,	-- lines as entered, before discount
	discount	BIGINT NOT NULL,
	shipping	BIGINT NOT NULL,	-- with its tax when prices include it
	shipping_tax	BIGINT NOT NULL,
	tax		BIGINT NOT NULL,	-- all tax, shipping's included
	total		BIGINT NOT NULL,	-- what the shopper pays
	display_currency CHAR(3) CHARACTER SET ascii NOT NULL,
	fx_rate		BIGINT NOT NULL,
	display_total	BIGINT NOT NULL,
	coupon_id	BIGINT UNSIGNED NULL,
	coupon_code	VARCHAR(40) NOT NULL DEFAULT '',
	ship_method_id	BIGINT UNSIGNED NULL,
	ship_kind	VARCHAR(10) CHARACTER SET ascii NOT NULL DEFAULT '',
	ship_method	VARCHAR(200) NOT NULL DEFAULT '',
	payment_method	VARCHAR(20) CHARACTER SET ascii NOT NULL,
	bill_name	VARCHAR(200) NOT NULL DEFAULT '',
	bill_company	VARCHAR(200) NOT NULL DEFAULT '',
	bill_line1	VARCHAR(200) NOT NULL DEFAULT '',
	bill_line2	VARCHAR(200) NOT NULL DEFAULT '',
	bill_city	VARCHAR(100) NOT NULL DEFAULT '',
	bill_region	VARCHAR(100) NOT NULL DEFAULT '',
	bill_postcode	VARCHAR(20) NOT NULL DEFAULT '',
	bill_country	CHAR(2) CHARACTER SET ascii NOT NULL DEFAULT '',
	bill_phone	VARCHAR(40) NOT NULL DEFAULT '',
	ship_name	VARCHAR(200) NOT NULL DEFAULT '',
	ship_company	VARCHAR(200) NOT NULL DEFAULT '',
	ship_line1	VARCHAR(200) NOT NULL DEFAULT '',
	ship_line2	VARCHAR(200) NOT NULL DEFAULT '',
	ship_city	VARCHAR(100) NOT NULL DEFAULT '',
	ship_region	VARCHAR(100) NOT NULL DEFAULT '',
	ship_postcode	VARCHAR(20) NOT NULL DEFAULT '',
	ship_country	CHAR(2) CHARACTER SET ascii NOT NULL DEFAULT '',
	ship_phone	VARCHAR(40) NOT NULL DEFAULT '',
	carrier		VARCHAR(100) NOT NULL DEFAULT '',
	tracking_number	VARCHAR(100) NOT NULL DEFAULT '',
	tracking_url	VARCHAR(500) NOT NULL DEFAULT '',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	paid_at		DATETIME NULL,
	shipped_at	DATETIME NULL,
	UNIQUE KEY number (number),
	UNIQUE KEY idem (idem_key),
	KEY status (status, id),
	KEY created (created_at, id),
	KEY customer (customer_id, id),
	KEY email (email, id),
	KEY coupon (coupon_id, email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- unit_price as entered (with tax when prices include it); subtotal =
-- unit_price * qty; total = subtotal - discount (+ tax when prices are
-- entered without it). Name and variant in the order's language.
CREATE TABLE IF NOT EXISTS {p}order_lines (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	product_id	BIGINT UNSIGNED NOT NULL,
	variant_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	sku		VARCHAR(64) NOT NULL DEFAULT '',
	name		VARCHAR(200) NOT NULL,
	variant		VARCHAR(120) NOT NULL DEFAULT '',
	qty		INT NOT NULL,
	unit_price	BIGINT NOT NULL,
	tax_class	VARCHAR(10) CHARACTER SET ascii NOT NULL,
	tax_rate	INT NOT NULL,
	subtotal	BIGINT NOT NULL,
	discount	BIGINT NOT NULL,
	tax		BIGINT NOT NULL,
	total		BIGINT NOT NULL,
	KEY order_id (order_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The order's history: every status change and note, with who made it
-- (actor: 'shopper', 'staff' with staff_id and their e-mail as it was,
-- or 'system'). A private note is the merchant's only.
CREATE TABLE IF NOT EXISTS {p}order_events (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	at		DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	actor		ENUM('shopper','staff','system') NOT NULL,
	staff_id	BIGINT UNSIGNED NULL,
	actor_email	VARCHAR(254) NOT NULL DEFAULT '',
	kind		ENUM('status','note','private_note') NOT NULL,
	from_status	VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT '',
	to_status	VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT '',
	note		TEXT NOT NULL,
	KEY order_id (order_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
