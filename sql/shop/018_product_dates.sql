-- The API's product list (issue 12) sorts by date by default, newest
-- first, as WooCommerce does: with this index MariaDB reads the page's
-- rows in its order and stops at the LIMIT, where it sorted every
-- product of the shop (10 ms a page of a 10,000-product shop). The id
-- breaks ties of the same second, as the list's ORDER BY does.
-- Idempotent (soukctl migrate may resume).
ALTER TABLE {p}products ADD KEY IF NOT EXISTS created (created_at, id)
;;
