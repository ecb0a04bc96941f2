-- One shop's tables. "{p}" is the shop's prefix "s<id>_", put in by
-- db_prefix() from the integer id. Kept few: every table costs the
-- server ~100 KB when open and ~3 ms to create.
-- Statements are separated by a line holding only ";;".

CREATE TABLE IF NOT EXISTS {p}categories (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	parent_id	BIGINT UNSIGNED NULL,
	slug		VARCHAR(80) CHARACTER SET ascii NOT NULL,
	position	INT NOT NULL DEFAULT 0,
	UNIQUE KEY slug (slug),
	KEY parent (parent_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS {p}category_texts (
	category_id	BIGINT UNSIGNED NOT NULL,
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL,
	name		VARCHAR(200) NOT NULL,
	PRIMARY KEY (category_id, locale)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS {p}products (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	slug		VARCHAR(120) CHARACTER SET ascii NOT NULL,
	sku		VARCHAR(64) NOT NULL DEFAULT '',
	category_id	BIGINT UNSIGNED NULL,
	price		BIGINT NOT NULL,		-- minor units of the shop currency
	sale_price	BIGINT NULL,			-- 004: sale prices
	sale_from	DATETIME NULL,
	sale_to		DATETIME NULL,
	tax_class	ENUM('standard','reduced','zero') NOT NULL DEFAULT 'standard',
	weight_g	INT NOT NULL DEFAULT 0,		-- grams
	stock		INT NOT NULL DEFAULT 0,		-- never below zero
	status		ENUM('draft','active') NOT NULL DEFAULT 'active',
	featured	TINYINT NOT NULL DEFAULT 0,
	image		VARCHAR(200) NOT NULL DEFAULT '',	-- main image, under /media/
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY slug (slug),
	KEY cat_price (category_id, price, id),
	KEY cat_new (category_id, id),
	KEY featured (featured, id),
	CONSTRAINT stock_nonneg CHECK (stock >= 0),
	CONSTRAINT price_nonneg CHECK (price >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- Name and description per shop language; FULLTEXT for the search page.
CREATE TABLE IF NOT EXISTS {p}product_texts (
	product_id	BIGINT UNSIGNED NOT NULL,
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL,
	name		VARCHAR(200) NOT NULL,
	description	TEXT NOT NULL,
	description_html MEDIUMTEXT NULL,		-- 004
	PRIMARY KEY (product_id, locale),
	FULLTEXT KEY ft (name, description)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS {p}variants (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	product_id	BIGINT UNSIGNED NOT NULL,
	sku		VARCHAR(64) NOT NULL DEFAULT '',
	name		VARCHAR(120) NOT NULL,		-- "Size M / Blue"
	price		BIGINT NULL,			-- NULL: the product's price
	sale_price	BIGINT NULL,
	sale_from	DATETIME NULL,
	sale_to		DATETIME NULL,
	stock		INT NOT NULL DEFAULT 0,
	weight_g	INT NULL,			-- NULL: the product's
	image_id	BIGINT UNSIGNED NULL,		-- 004
	position	INT NOT NULL DEFAULT 0,
	KEY product (product_id, position),
	CONSTRAINT vstock_nonneg CHECK (stock >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS {p}images (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	product_id	BIGINT UNSIGNED NOT NULL,
	path		VARCHAR(200) NOT NULL,		-- under /media/
	card_path	VARCHAR(200) NOT NULL DEFAULT '',	-- 004
	page_path	VARCHAR(200) NOT NULL DEFAULT '',
	width		INT NOT NULL DEFAULT 0,
	height		INT NOT NULL DEFAULT 0,
	bytes		INT NOT NULL DEFAULT 0,
	alt		TEXT NOT NULL DEFAULT '{}',
	source_url	VARCHAR(1000) NOT NULL DEFAULT '',
	sha256		BINARY(32) NULL,
	position	INT NOT NULL DEFAULT 0,
	KEY product (product_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- Staff of the shop: the owner (copied from the platform account at
-- provisioning) and, later, other staff with roles. A new shop gets the
-- shape 002 gives older ones (no failure counts: logins are throttled
-- in souk_login_throttles), so 002 has nothing to rebuild for it: an
-- ALTER of two tables cost provisioning ~60 ms.
CREATE TABLE IF NOT EXISTS {p}staff (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	email		VARCHAR(254) NOT NULL,
	pw_hash		VARCHAR(128) NOT NULL,
	role		ENUM('owner','manager','clerk') NOT NULL DEFAULT 'clerk',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE IF NOT EXISTS {p}sessions (
	token_hash	BINARY(32) NOT NULL PRIMARY KEY,	-- sha256 of the cookie
	staff_id	BIGINT UNSIGNED NOT NULL,
	csrf		CHAR(32) CHARACTER SET ascii NOT NULL,
	expires_at	DATETIME NOT NULL,
	KEY staff (staff_id),
	KEY expires (expires_at)
) ENGINE=InnoDB
