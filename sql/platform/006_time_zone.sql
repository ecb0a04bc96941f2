-- The shop's clock (fcgi-app/core/tz.h): an IANA time zone id. Stored
-- times stay UTC; the dashboard's days and the times shown with orders
-- follow this. A shop made before it keeps UTC, the times it showed,
-- until its merchant picks a zone in the settings.
ALTER TABLE souk_tenants ADD COLUMN IF NOT EXISTS time_zone
    VARCHAR(64) CHARACTER SET ascii NOT NULL DEFAULT 'UTC'
    AFTER display_currencies
