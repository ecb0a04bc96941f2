-- Placing an order in one round trip (shop/order_place.c). The
-- transaction, the cart's read, the prices and the coupon stay in C;
-- this procedure then writes everything the order is made of. Called
-- as separate statements they were seven round trips to the server,
-- and the worker and MariaDB spent more time waking each other than
-- running them (perf on the place-order bench: most of both processes'
-- time in the kernel).
--
-- o_lines is a JSON array, one object per line in the order their rows
-- are locked (by product, then variant: two orders never wait for each
-- other in a circle): {"p": product id, "v": variant id or 0, "s": sku,
-- "n": name, "vn": variant name, "q": quantity, "u": unit price, "c":
-- tax class, "r": tax rate, "st": subtotal, "d": discount, "t": tax,
-- "tot": total}; JSON_TABLE gives them back in that order, so the
-- lines' ids keep it.
--
-- The stock of each line is taken with a conditional update, the one
-- guard against overselling. A line short of stock ends the procedure
-- before anything else is written: its result is (0, 0, the line's
-- index), and the caller rolls the transaction back (the lines before
-- it took their stock). Otherwise the result is (order id, number,
-- -1). The order is written with a number no order has (UUID_SHORT():
-- unique on the server), then gets its own, made of its id, as
-- order_place.c says why. o_mails 1 queues the two mail
-- jobs ("order received", "new order") of tenant o_tenant.
--
-- A later migration that adds a column these rows need replaces the
-- procedure (CREATE OR REPLACE) together with order_place.c.
CREATE OR REPLACE PROCEDURE {p}order_place(
	IN o_status VARCHAR(12) CHARACTER SET ascii,
	IN o_customer BIGINT UNSIGNED,
	IN o_email VARCHAR(254) CHARACTER SET utf8mb4,
	IN o_locale VARCHAR(8) CHARACTER SET ascii,
	IN o_idem CHAR(32) CHARACTER SET ascii,
	IN o_key CHAR(32) CHARACTER SET ascii,
	IN o_currency CHAR(3) CHARACTER SET ascii,
	IN o_pit TINYINT,
	IN o_subtotal BIGINT, IN o_discount BIGINT, IN o_shipping BIGINT,
	IN o_shipping_tax BIGINT, IN o_tax BIGINT, IN o_total BIGINT,
	IN o_display_currency CHAR(3) CHARACTER SET ascii,
	IN o_fx_rate BIGINT, IN o_display_total BIGINT,
	IN o_coupon_id BIGINT UNSIGNED,
	IN o_coupon_code VARCHAR(40) CHARACTER SET utf8mb4,
	IN o_method_id BIGINT UNSIGNED,
	IN o_ship_kind VARCHAR(10) CHARACTER SET ascii,
	IN o_ship_method VARCHAR(200) CHARACTER SET utf8mb4,
	IN o_payment VARCHAR(20) CHARACTER SET ascii,
	IN b_name VARCHAR(200) CHARACTER SET utf8mb4,
	IN b_company VARCHAR(200) CHARACTER SET utf8mb4,
	IN b_line1 VARCHAR(200) CHARACTER SET utf8mb4,
	IN b_line2 VARCHAR(200) CHARACTER SET utf8mb4,
	IN b_city VARCHAR(100) CHARACTER SET utf8mb4,
	IN b_region VARCHAR(100) CHARACTER SET utf8mb4,
	IN b_postcode VARCHAR(20) CHARACTER SET utf8mb4,
	IN b_country CHAR(2) CHARACTER SET ascii,
	IN b_phone VARCHAR(40) CHARACTER SET utf8mb4,
	IN s_name VARCHAR(200) CHARACTER SET utf8mb4,
	IN s_company VARCHAR(200) CHARACTER SET utf8mb4,
	IN s_line1 VARCHAR(200) CHARACTER SET utf8mb4,
	IN s_line2 VARCHAR(200) CHARACTER SET utf8mb4,
	IN s_city VARCHAR(100) CHARACTER SET utf8mb4,
	IN s_region VARCHAR(100) CHARACTER SET utf8mb4,
	IN s_postcode VARCHAR(20) CHARACTER SET utf8mb4,
	IN s_country CHAR(2) CHARACTER SET ascii,
	IN s_phone VARCHAR(40) CHARACTER SET utf8mb4,
	IN o_lines MEDIUMTEXT CHARACTER SET utf8mb4,
	IN o_cart BIGINT UNSIGNED,
	IN o_tenant BIGINT UNSIGNED,
	IN o_mails TINYINT,
	IN o_first BIGINT)
MODIFIES SQL DATA
place: BEGIN
	DECLARE i INT DEFAULT 0;
	DECLARE n INT DEFAULT JSON_LENGTH(o_lines);
	DECLARE pid, vid, qty BIGINT;
	DECLARE oid BIGINT UNSIGNED;
	DECLARE payload VARCHAR(48) CHARACTER SET ascii;

	WHILE i < n DO
		SET pid = JSON_VALUE(o_lines, CONCAT('$[', i, '].p'));
		SET vid = JSON_VALUE(o_lines, CONCAT('$[', i, '].v'));
		SET qty = JSON_VALUE(o_lines, CONCAT('$[', i, '].q'));
		IF vid > 0 THEN
			UPDATE {p}variants SET stock = stock - qty
			    WHERE id = vid AND product_id = pid AND stock >= qty;
		ELSE
			UPDATE {p}products SET stock = stock - qty
			    WHERE id = pid AND stock >= qty;
		END IF;
		IF ROW_COUNT() <> 1 THEN
			SELECT 0, 0, i;
			LEAVE place;
		END IF;
		SET i = i + 1;
	END WHILE;

	INSERT INTO {p}orders (number, status, customer_id, email, locale,
	    idem_key, access_key, currency, prices_include_tax, subtotal,
	    discount, shipping, shipping_tax, tax, total, display_currency,
	    fx_rate, display_total, coupon_id, coupon_code, ship_method_id,
	    ship_kind, ship_method, payment_method,
	    bill_name, bill_company, bill_line1, bill_line2, bill_city,
	    bill_region, bill_postcode, bill_country, bill_phone,
	    ship_name, ship_company, ship_line1, ship_line2, ship_city,
	    ship_region, ship_postcode, ship_country, ship_phone)
	VALUES (UUID_SHORT(), o_status, o_customer, o_email, o_locale,
	    o_idem, o_key, o_currency, o_pit, o_subtotal, o_discount,
	    o_shipping, o_shipping_tax, o_tax, o_total, o_display_currency,
	    o_fx_rate, o_display_total, o_coupon_id, o_coupon_code,
	    o_method_id, o_ship_kind, o_ship_method, o_payment,
	    b_name, b_company, b_line1, b_line2, b_city, b_region,
	    b_postcode, b_country, b_phone,
	    s_name, s_company, s_line1, s_line2, s_city, s_region,
	    s_postcode, s_country, s_phone);
	SET oid = LAST_INSERT_ID();

	INSERT INTO {p}order_lines (order_id, product_id, variant_id, sku,
	    name, variant, qty, unit_price, tax_class, tax_rate, subtotal,
	    discount, tax, total)
	SELECT oid, l.p, l.v, l.s, l.n, l.vn, l.q, l.u, l.c, l.r, l.st, l.d,
	    l.t, l.tot
	FROM JSON_TABLE(o_lines, '$[*]' COLUMNS (
	    p BIGINT UNSIGNED PATH '$.p' ERROR ON EMPTY,
	    v BIGINT UNSIGNED PATH '$.v' ERROR ON EMPTY,
	    s VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.s' ERROR ON EMPTY,
	    n VARCHAR(200) CHARACTER SET utf8mb4 PATH '$.n' ERROR ON EMPTY,
	    vn VARCHAR(120) CHARACTER SET utf8mb4 PATH '$.vn' ERROR ON EMPTY,
	    q INT PATH '$.q' ERROR ON EMPTY,
	    u BIGINT PATH '$.u' ERROR ON EMPTY,
	    c VARCHAR(10) CHARACTER SET ascii PATH '$.c' ERROR ON EMPTY,
	    r INT PATH '$.r' ERROR ON EMPTY,
	    st BIGINT PATH '$.st' ERROR ON EMPTY,
	    d BIGINT PATH '$.d' ERROR ON EMPTY,
	    t BIGINT PATH '$.t' ERROR ON EMPTY,
	    tot BIGINT PATH '$.tot' ERROR ON EMPTY)) l;

	INSERT INTO {p}order_events (order_id, actor, kind, to_status, note)
	    VALUES (oid, 'shopper', 'status', o_status, '');

	DELETE c, ci FROM {p}carts c LEFT JOIN {p}cart_items ci
	    ON ci.cart_id = c.id WHERE c.id = o_cart;

	IF o_mails THEN
		SET payload = CONCAT('{"order_id": ', oid, '}');
		INSERT INTO souk_jobs (tenant_id, kind, payload, due_at)
		    VALUES (o_tenant, 'shop.order_received', payload, NOW(3)),
		    (o_tenant, 'shop.order_new', payload, NOW(3));
	END IF;

	UPDATE {p}orders SET number = oid + o_first - 1 WHERE id = oid;
	SELECT oid, oid + o_first - 1, -1;
END
