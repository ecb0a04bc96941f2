-- The shop's own search index (fcgi-app/shop/search_index.h): every
-- term of each product text (core/terms.h: words, and each Japanese or
-- Chinese character and pair of characters), with the text's language.
-- The primary key lists a term's products in the search page's own
-- order (featured first, then newest), so the first page of a common
-- word stops after its rows, where InnoDB's FULLTEXT found and sorted
-- every match (27 ms for a word in 8,483 of 10,000 products, against
-- 0.2 ms: bench/results/search-2026-12-03-terms.md). The second key
-- answers "has this product this word" and rewrites one product's rows.
-- featured is a copy of products.featured, kept with it.
-- Written by souk alone, in the transaction that writes the texts; a
-- shop's index is built by souk-worker first (souk_tenants.
-- search_version, platform 019), the FULLTEXT index serving meanwhile.
CREATE TABLE IF NOT EXISTS {p}search_terms (
	term		VARBINARY(64) NOT NULL,
	featured	TINYINT NOT NULL,
	product_id	BIGINT UNSIGNED NOT NULL,
	locale		VARCHAR(8) CHARACTER SET ascii NOT NULL,
	PRIMARY KEY (term, featured, product_id, locale),
	KEY product (product_id, locale, term)
) ENGINE=InnoDB
;;
