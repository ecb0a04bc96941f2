-- The currencies a shop shows prices in besides its base currency
-- (souk_tenants.currency, where orders are charged): a comma list of
-- ISO 4217 codes chosen in the shop's admin settings, '' for none.
ALTER TABLE souk_tenants ADD COLUMN IF NOT EXISTS display_currencies
    VARCHAR(100) CHARACTER SET ascii NOT NULL DEFAULT '' AFTER currency
