-- The products' API (issue 12): total_sales and orderby=popularity sum a
-- product's order lines (shop/product_query.c), by product: an index
-- on the product spares a scan of every line. Idempotent.
ALTER TABLE {p}order_lines
    ADD INDEX IF NOT EXISTS product (product_id, order_id)
