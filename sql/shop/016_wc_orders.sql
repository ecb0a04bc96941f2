-- What WooCommerce's v3 orders carry that souk's did not (issue 12,
-- web/wc_orders.c): the shopper's note on the order (customer_note,
-- which an integration may set) and where the order came from
-- (created_via: 'checkout' for the shop's own, 'rest-api' for one an
-- integration placed through POST /wp-json/wc/v3/orders).
ALTER TABLE {p}orders
    ADD COLUMN IF NOT EXISTS customer_note TEXT NOT NULL DEFAULT ''
;;
ALTER TABLE {p}orders
    ADD COLUMN IF NOT EXISTS created_via VARCHAR(20) CHARACTER SET ascii
	NOT NULL DEFAULT 'checkout'
