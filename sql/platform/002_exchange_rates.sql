-- Exchange rates fetched by souk-rates from the European Central Bank:
-- one row per day and currency, kept as history (an order records the
-- day of the rates it used). Every rate is per euro (base 'EUR'); cross
-- rates are computed by core/fx.c. A rate is an exact decimal with 8
-- places, never a float. The newest day is what the shops show.
CREATE TABLE IF NOT EXISTS souk_exchange_rates (
	rate_date	DATE NOT NULL,			-- the day the ECB published
	base		CHAR(3) CHARACTER SET ascii NOT NULL,	-- 'EUR'
	quote		CHAR(3) CHARACTER SET ascii NOT NULL,	-- 'USD', 'JPY'
	rate		DECIMAL(18,8) NOT NULL,		-- quote units per base unit
	fetched_at	DATETIME NOT NULL,		-- UTC, when souk-rates stored it
	PRIMARY KEY (rate_date, base, quote)
) ENGINE=InnoDB DEFAULT CHARSET=ascii
