-- When a coupon last changed, for the WooCommerce API's date_modified
-- (web/wc_coupons.c): the admin's and the API's saves, and a use taken
-- or given back, as WooCommerce's coupon changes when its usage count
-- does. Rows from before have their creation time.
ALTER TABLE {p}coupons ADD COLUMN IF NOT EXISTS
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			ON UPDATE CURRENT_TIMESTAMP
;;
UPDATE {p}coupons SET updated_at = created_at WHERE updated_at < created_at
