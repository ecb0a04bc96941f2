-- A custom domain a merchant adds waits for its check (platform/
-- domain.h): souk fetches http://HOST/.well-known/souk-domain/TOKEN and
-- serves the shop there only once its own answer came back. Domains an
-- operator added (soukctl) are trusted: verified at once, as the rows
-- already there are.
ALTER TABLE souk_domains
    ADD COLUMN IF NOT EXISTS verify_token CHAR(32) CHARACTER SET ascii
	NOT NULL DEFAULT '',
    ADD COLUMN IF NOT EXISTS verified_at DATETIME NULL,
    ADD COLUMN IF NOT EXISTS checked_at DATETIME NULL,
    ADD COLUMN IF NOT EXISTS check_error VARCHAR(255) NOT NULL DEFAULT ''
;;
UPDATE souk_domains SET verified_at = created_at
    WHERE verified_at IS NULL AND verify_token = ''
