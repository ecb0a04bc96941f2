-- A customer's change of e-mail waits for the new address to confirm
-- it (shop/customer.h): the address asked for, the sha256 of the
-- mailed token and when it expires. Until then the account keeps its
-- address, and the answer to the request is the same whether or not
-- the new address has an account of its own. 003 has these columns
-- already, so a new shop's ALTER changes nothing.
ALTER TABLE {p}customers
    ADD COLUMN IF NOT EXISTS new_email VARCHAR(254) NULL AFTER reset_expires,
    ADD COLUMN IF NOT EXISTS email_hash BINARY(32) NULL AFTER new_email,
    ADD COLUMN IF NOT EXISTS email_expires DATETIME NULL AFTER email_hash,
    ADD UNIQUE KEY IF NOT EXISTS email_change (email_hash)
;;
