-- Whether a shop's search index (fcgi-app/shop/search_index.h) holds
-- every product: 0 until souk-worker has built it (a shop made before
-- the index, or restored from a backup of then), 1 after; a new shop
-- starts at 1 (its products are indexed as they are written). Search
-- reads the index only at 1.
ALTER TABLE souk_tenants
    ADD COLUMN IF NOT EXISTS search_version TINYINT NOT NULL DEFAULT 0
;;
