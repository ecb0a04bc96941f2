-- The whole catalog (issue 10): attributes and their values with names
-- per language, the values of each product and variant (the variant
-- editor and the facets read them), sale prices with optional dates,
-- descriptions as sanitised HTML, several images per product with alt
-- texts per language and their resized copies, and a variant's image.
-- "{p}" is the shop's prefix; every statement is idempotent. 001 has
-- the new columns already, so a new shop's ALTERs change nothing.

-- A sale price (minor units, below the price) applies from sale_from
-- to sale_to when they are set (UTC; either may be NULL: open).
ALTER TABLE {p}products
    ADD COLUMN IF NOT EXISTS sale_price BIGINT NULL AFTER price,
    ADD COLUMN IF NOT EXISTS sale_from DATETIME NULL AFTER sale_price,
    ADD COLUMN IF NOT EXISTS sale_to DATETIME NULL AFTER sale_from
;;
-- A variant's sale price overrides the product's like its price does;
-- image_id: one of the product's images ({p}images), NULL the first.
ALTER TABLE {p}variants
    ADD COLUMN IF NOT EXISTS sale_price BIGINT NULL AFTER price,
    ADD COLUMN IF NOT EXISTS sale_from DATETIME NULL AFTER sale_price,
    ADD COLUMN IF NOT EXISTS sale_to DATETIME NULL AFTER sale_from,
    ADD COLUMN IF NOT EXISTS image_id BIGINT UNSIGNED NULL AFTER weight_g
;;
-- description_html: the merchant's rich text as saved, sanitised
-- against the allow-list (core/richtext.h); description then holds its
-- text alone (search, cards, meta tags). NULL: description is plain
-- text (written before rich text, or by an import without HTML).
ALTER TABLE {p}product_texts
    ADD COLUMN IF NOT EXISTS description_html MEDIUMTEXT NULL
	AFTER description
;;
-- An image: the original as uploaded or fetched (path), and the copies
-- souk made of it once (card: the category grid, page: the product
-- page), all under /media/; alt texts as a JSON object by language
-- ({"en": "...", "de": "..."}); source_url: where an import fetched it
-- (a re-import of the same URL fetches nothing); sha256 of the original.
ALTER TABLE {p}images
    ADD COLUMN IF NOT EXISTS card_path VARCHAR(200) NOT NULL DEFAULT ''
	AFTER path,
    ADD COLUMN IF NOT EXISTS page_path VARCHAR(200) NOT NULL DEFAULT ''
	AFTER card_path,
    ADD COLUMN IF NOT EXISTS width INT NOT NULL DEFAULT 0 AFTER page_path,
    ADD COLUMN IF NOT EXISTS height INT NOT NULL DEFAULT 0 AFTER width,
    ADD COLUMN IF NOT EXISTS bytes INT NOT NULL DEFAULT 0 AFTER height,
    ADD COLUMN IF NOT EXISTS alt TEXT NOT NULL DEFAULT '{}' AFTER bytes,
    ADD COLUMN IF NOT EXISTS source_url VARCHAR(1000) NOT NULL DEFAULT ''
	AFTER alt,
    ADD COLUMN IF NOT EXISTS sha256 BINARY(32) NULL AFTER source_url
;;
-- Attributes and their values in one table: parent_id 0 is an
-- attribute of the shop (Size), a value's parent_id its attribute (M).
-- Slugs are ASCII (checked by the caller), unique within the parent.
CREATE TABLE IF NOT EXISTS {p}attributes (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	parent_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	slug		VARCHAR(120) CHARACTER SET ascii NOT NULL,
	position	INT NOT NULL DEFAULT 0,
	UNIQUE KEY slug (parent_id, slug),
	KEY parent (parent_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The name of an attribute or a value per language ("Größe", "Blau").
CREATE TABLE IF NOT EXISTS {p}attribute_texts (
	attribute_id	BIGINT UNSIGNED NOT NULL,
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL,
	name		VARCHAR(200) NOT NULL,
	PRIMARY KEY (attribute_id, locale)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- The values a product offers: its variants' (written with them) or
-- its own (a simple product "made of wool"). The facets count these.
CREATE TABLE IF NOT EXISTS {p}product_values (
	product_id	BIGINT UNSIGNED NOT NULL,
	value_id	BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (product_id, value_id),
	KEY value (value_id, product_id)
) ENGINE=InnoDB
;;
-- A variant's value of each of its product's attributes (M, Blue).
CREATE TABLE IF NOT EXISTS {p}variant_values (
	variant_id	BIGINT UNSIGNED NOT NULL,
	value_id	BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (variant_id, value_id),
	KEY value (value_id)
) ENGINE=InnoDB
;;
