-- A shop's own CSS (the admin's Theme page): sanitised, stored as a file
-- under its media folder; the storefront links it after the theme's.
ALTER TABLE souk_tenants
    ADD COLUMN IF NOT EXISTS custom_css VARCHAR(200) NOT NULL DEFAULT ''
