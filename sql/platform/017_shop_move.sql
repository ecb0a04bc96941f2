-- Moving a shop to another server (fcgi-app/platform/shop_move.h): for
-- the seconds of the switch its writes are refused (a 503 with
-- Retry-After) while its pages are still served. A time, not a flag: a
-- move that died half-way lets the shop write again by itself.
ALTER TABLE souk_tenants ADD COLUMN IF NOT EXISTS read_only_until
    DATETIME NULL AFTER shard
;;
