-- Shops made ahead of demand (fcgi-app/platform/shop_stock.h): souk-worker
-- keeps shop_stock shops with their tables created and no owner, status
-- 'stock', and a sign-up claims one in a single transaction. A value
-- added at the end of the ENUM: instant, and the code before this one
-- never sees it (it makes no such row, and reads shops by status).
ALTER TABLE souk_tenants MODIFY status
    ENUM('provisioning','ready','failed','suspended','stock')
    NOT NULL DEFAULT 'provisioning'
;;
ALTER TABLE souk_tenants ADD KEY IF NOT EXISTS stock (status, schema_version)
;;
