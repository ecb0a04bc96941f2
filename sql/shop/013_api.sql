-- The shop's WooCommerce-compatible API (issue 12): its keys and the
-- OAuth 1.0a nonces seen. "{p}" is the shop's prefix; every statement
-- is idempotent (soukctl migrate may resume).
--
-- A key is a consumer key ("ck_" + 40 hex) and a consumer secret
-- ("cs_" + 40 hex), shown once when made. Neither is stored:
--  * key_hash is a keyed hash of the consumer key under the server's
--    secret key (core/secret.h, secret_mac()): the request's key is
--    looked up by it. A copy of the database alone cannot make it.
--  * The secret is derived, not stored: cs_ + the first 20 bytes (hex)
--    of a keyed hash of salt under the server's key. OAuth 1.0a signs
--    with the secret itself (HMAC keyed with it), so the server must be
--    able to get it back; a hash of the secret would not do. Derived
--    from a random salt, it needs no sealing and costs one hash per
--    request; without the server's key the row tells nothing of it.
--    Basic and query credentials are checked by deriving it again and
--    comparing in constant time (crypto_eq).
--  * The price: the server's key belongs to every key. Rotating it
--    (soukctl secret-key) makes every API key invalid; the merchant
--    makes new ones (NEEDSWORK: keep the key id in the row and derive
--    under a retired key, as secret_open() does).
-- truncated_key is the consumer key's last 7 characters, for the list
-- (WooCommerce shows the same). last_access is written at most once a
-- minute per key, not per request.
CREATE TABLE IF NOT EXISTS {p}api_keys (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	key_hash	BINARY(32) NOT NULL,
	salt		BINARY(16) NOT NULL,
	description	VARCHAR(200) NOT NULL,
	permission	ENUM('read','write','read_write') NOT NULL,
	truncated_key	CHAR(7) CHARACTER SET ascii NOT NULL,
	staff_id	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	last_access	DATETIME NULL,
	UNIQUE KEY key_hash (key_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
-- OAuth 1.0a nonces per key, each kept for the 15 minutes its
-- timestamp may be off (and as long again): a nonce seen again within
-- them is a replay. The primary key makes the check and the insert one
-- statement; old rows go a few at a time with later inserts
-- (shop/api_key.c), so the table stays the size of 30 minutes of
-- signed requests. nonce_hash is the SHA-256 of the nonce (any length
-- a client sends fits).
CREATE TABLE IF NOT EXISTS {p}api_nonces (
	key_id		BIGINT UNSIGNED NOT NULL,
	nonce_hash	BINARY(32) NOT NULL,
	ts		BIGINT NOT NULL,
	PRIMARY KEY (key_id, nonce_hash),
	KEY ts (ts)
) ENGINE=InnoDB DEFAULT CHARSET=ascii
;;
