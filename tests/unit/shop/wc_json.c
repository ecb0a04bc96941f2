/* Unit test of shop/wc_json.c: an order and a customer against
 * WooCommerce REST API v3 JSON written by hand. */
#include "core/common.h"

#include <json.h>
#include "shop/wc_json.h"
#include "test.h"

#define S(lit)	{ lit, sizeof(lit) - 1 }

/* got equals the JSON text want; prints both when not. Releases got. */
static void
check_json(json_object *got, const char *want)
{
	json_object *w = json_tokener_parse(want);

	TEST_CHECK(w != NULL);
	test_checks++;
	if (w == NULL || !json_object_equal(got, w)) {
		test_failures++;
		fprintf(stderr, "got  %s\nwant %s\n",
		    json_object_to_json_string_ext(got,
		    JSON_C_TO_STRING_PRETTY),
		    w ? json_object_to_json_string_ext(w,
		    JSON_C_TO_STRING_PRETTY) : want);
	}
	json_object_put(w);
	json_object_put(got);
}

static const char order_want[] =
"{\"id\": 5, \"parent_id\": 0, \"number\": \"1005\","
" \"order_key\": \"0123456789abcdef0123456789abcdef\","
" \"created_via\": \"checkout\", \"version\": \"\","
" \"status\": \"completed\", \"currency\": \"EUR\","
" \"date_created\": \"2026-03-01T10:59:00\","
" \"date_created_gmt\": \"2026-03-01T09:59:00\","
" \"date_modified\": \"2026-03-02T09:00:00\","
" \"date_modified_gmt\": \"2026-03-02T08:00:00\","
" \"date_completed\": \"2026-03-02T09:00:00\","
" \"date_completed_gmt\": \"2026-03-02T08:00:00\","
" \"discount_total\": \"0.75\", \"discount_tax\": \"0.05\","
" \"shipping_total\": \"4.12\", \"shipping_tax\": \"0.78\","
" \"cart_tax\": \"4.27\", \"total\": \"35.90\", \"total_tax\": \"5.05\","
" \"prices_include_tax\": true, \"customer_id\": 9,"
" \"customer_ip_address\": \"\", \"customer_user_agent\": \"\","
" \"customer_note\": \"\","
" \"billing\": {\"first_name\": \"Ada\", \"last_name\": \"King Lovelace\","
"  \"company\": \"\", \"address_1\": \"Hauptstr. 1\", \"address_2\": \"\","
"  \"city\": \"Berlin\", \"state\": \"\", \"postcode\": \"10115\","
"  \"country\": \"DE\", \"email\": \"ada@example.com\","
"  \"phone\": \"+49 30 1\"},"
" \"shipping\": {\"first_name\": \"Ada\", \"last_name\": \"King Lovelace\","
"  \"company\": \"\", \"address_1\": \"Hauptstr. 1\", \"address_2\": \"\","
"  \"city\": \"Berlin\", \"state\": \"\", \"postcode\": \"10115\","
"  \"country\": \"DE\", \"phone\": \"+49 30 1\"},"
" \"payment_method\": \"bacs\", \"payment_method_title\": \"bacs\","
" \"transaction_id\": \"\","
" \"date_paid\": \"2026-03-01T11:00:00\","
" \"date_paid_gmt\": \"2026-03-01T10:00:00\","
" \"cart_hash\": \"\", \"meta_data\": [],"
" \"line_items\": ["
"  {\"id\": 11, \"name\": \"Loaf\", \"product_id\": 3, \"variation_id\": 0,"
"   \"quantity\": 2, \"tax_class\": \"reduced-rate\","
"   \"subtotal\": \"7.48\", \"subtotal_tax\": \"0.52\","
"   \"total\": \"6.73\", \"total_tax\": \"0.47\","
"   \"taxes\": [{\"id\": 0, \"total\": \"0.47\", \"subtotal\": \"0.52\"}],"
"   \"meta_data\": [], \"sku\": \"LOAF\", \"price\": 3.37,"
"   \"parent_name\": null},"
"  {\"id\": 12, \"name\": \"Shirt - M / Blue\", \"product_id\": 4,"
"   \"variation_id\": 8, \"quantity\": 1, \"tax_class\": \"\","
"   \"subtotal\": \"20.00\", \"subtotal_tax\": \"3.80\","
"   \"total\": \"20.00\", \"total_tax\": \"3.80\","
"   \"taxes\": [{\"id\": 0, \"total\": \"3.80\", \"subtotal\": \"3.80\"}],"
"   \"meta_data\": [], \"sku\": \"\", \"price\": 20.00,"
"   \"parent_name\": \"Shirt\"}],"
" \"tax_lines\": [{\"id\": 0, \"rate_code\": \"\", \"rate_id\": 0,"
"  \"label\": \"\", \"compound\": false, \"tax_total\": \"4.27\","
"  \"shipping_tax_total\": \"0.78\", \"meta_data\": []}],"
" \"shipping_lines\": [{\"id\": 2, \"method_title\": \"Parcel\","
"  \"method_id\": \"flat\", \"total\": \"4.12\", \"total_tax\": \"0.78\","
"  \"taxes\": [], \"meta_data\": []}],"
" \"fee_lines\": [],"
" \"coupon_lines\": [{\"id\": 3, \"code\": \"TEN\", \"discount\": \"0.75\","
"  \"discount_tax\": \"0.05\", \"meta_data\": []}],"
" \"refunds\": [{\"id\": 1, \"reason\": \"damaged\", \"total\": \"-5.00\"}],"
" \"currency_symbol\": \"\"}";

static void
test_order(void)
{
	struct order_line lines[2];
	struct order_event ev[1];
	struct refund	r[2];
	struct order	o;

	memset(lines, 0, sizeof(lines));
	lines[0] = (struct order_line){ .id = 11, .product_id = 3,
	    .sku = S("LOAF"), .name = S("Loaf"), .variant = S(""), .qty = 2,
	    .unit_price = 400, .tax_class = S("reduced"), .tax_rate = 70000,
	    .subtotal = 800, .discount = 80, .tax = 47, .total = 720 };
	lines[1] = (struct order_line){ .id = 12, .product_id = 4,
	    .variant_id = 8, .sku = S(""), .name = S("Shirt"),
	    .variant = S("M / Blue"), .qty = 1, .unit_price = 2380,
	    .tax_class = S("standard"), .tax_rate = 190000,
	    .subtotal = 2380, .tax = 380, .total = 2380 };
	memset(ev, 0, sizeof(ev));
	ev[0] = (struct order_event){ .id = 1, .at = S("2026-03-02 08:00:00"),
	    .kind = ORDER_EV_STATUS, .from_status = S("processing"),
	    .to_status = S("shipped") };
	memset(&o, 0, sizeof(o));
	o.id = 5;
	o.number = 1005;
	o.status = ORDER_SHIPPED;
	o.customer_id = 9;
	o.email = (struct str)S("ada@example.com");
	o.access_key = (struct str)S("0123456789abcdef0123456789abcdef");
	o.currency = (struct str)S("EUR");
	o.prices_include_tax = 1;
	o.subtotal = 3180;
	o.discount = 80;
	o.shipping = 490;
	o.shipping_tax = 78;
	o.tax = 505;
	o.total = 3590;
	o.coupon_id = 3;
	o.coupon_code = (struct str)S("TEN");
	o.ship_method_id = 2;
	o.ship_kind = (struct str)S("flat");
	o.ship_method = (struct str)S("Parcel");
	o.payment_method = (struct str)S("bacs");
	o.bill = (struct address){ .name = S("Ada King Lovelace"),
	    .line1 = S("Hauptstr. 1"), .city = S("Berlin"),
	    .postcode = S("10115"), .country = S("DE"), .phone = S("+49 30 1") };
	o.ship = o.bill;
	o.created_at = (struct str)S("2026-03-01 09:59:00");
	o.paid_at = (struct str)S("2026-03-01 10:00:00");
	o.lines = lines;
	o.nlines = 2;
	o.events = ev;
	o.nevents = 1;
	memset(r, 0, sizeof(r));
	r[0] = (struct refund){ .id = 1, .order_id = 5, .amount = 500,
	    .reason = S("damaged"), .status = REFUND_SUCCEEDED };
	/* A refund still pending is not one WooCommerce would list. */
	r[1] = (struct refund){ .id = 2, .order_id = 5, .amount = 100,
	    .reason = S(""), .status = REFUND_PENDING };
	check_json(wc_json_order(&o, r, 2, "Europe/Berlin"), order_want);

	/* The status mapping; refunded in full is "refunded". */
	TEST_STREQ(wc_json_status(&o, 0), "completed");
	TEST_STREQ(wc_json_status(&o, 3590), "refunded");
	o.status = ORDER_PENDING;
	TEST_STREQ(wc_json_status(&o, 0), "pending");
	o.status = ORDER_ON_HOLD;
	TEST_STREQ(wc_json_status(&o, 0), "on-hold");
	o.status = ORDER_PROCESSING;
	TEST_STREQ(wc_json_status(&o, 100), "processing");
	o.status = ORDER_COMPLETED;
	TEST_STREQ(wc_json_status(&o, 0), "completed");
	o.status = ORDER_CANCELLED;
	TEST_STREQ(wc_json_status(&o, 0), "cancelled");
}

/* A guest order of a shop without tax, not paid, in yen: no tax lines,
 * nulls for the dates it has not reached, UTC when no zone. */
static void
test_order_plain(void)
{
	struct order_line l;
	struct order	o;
	json_object	*j, *v;

	memset(&l, 0, sizeof(l));
	l = (struct order_line){ .id = 1, .product_id = 1, .name = S("Tea"),
	    .qty = 3, .unit_price = 500, .tax_class = S("zero"),
	    .subtotal = 1500, .total = 1500 };
	memset(&o, 0, sizeof(o));
	o.id = 1;
	o.number = 1001;
	o.status = ORDER_ON_HOLD;
	o.currency = (struct str)S("JPY");
	o.total = 1500;
	o.email = (struct str)S("g@example.jp");
	o.bill = (struct address){ .name = S("Kenji"), .country = S("JP") };
	o.created_at = (struct str)S("2026-01-02 03:04:05");
	o.paid_at = (struct str)S("");
	o.lines = &l;
	o.nlines = 1;
	j = wc_json_order(&o, NULL, 0, NULL);
	TEST_STREQ(json_object_get_string(json_object_object_get(j,
	    "status")), "on-hold");
	TEST_STREQ(json_object_get_string(json_object_object_get(j,
	    "total")), "1500");
	TEST_STREQ(json_object_get_string(json_object_object_get(j,
	    "date_created")), "2026-01-02T03:04:05");
	TEST_CHECK(json_object_object_get_ex(j, "date_paid", &v) && v == NULL);
	TEST_CHECK(json_object_object_get_ex(j, "date_completed", &v) &&
	    v == NULL);
	TEST_CHECK(json_object_array_length(json_object_object_get(j,
	    "tax_lines")) == 0);
	TEST_CHECK(json_object_array_length(json_object_object_get(j,
	    "coupon_lines")) == 0);
	TEST_CHECK(json_object_array_length(json_object_object_get(j,
	    "shipping_lines")) == 0);
	v = json_object_object_get(j, "billing");
	TEST_STREQ(json_object_get_string(json_object_object_get(v,
	    "first_name")), "Kenji");
	TEST_STREQ(json_object_get_string(json_object_object_get(v,
	    "last_name")), "");
	v = json_object_array_get_idx(json_object_object_get(j,
	    "line_items"), 0);
	TEST_STREQ(json_object_get_string(json_object_object_get(v,
	    "tax_class")), "zero-rate");
	TEST_STREQ(json_object_to_json_string(json_object_object_get(v,
	    "price")), "500");
	TEST_CHECK(json_object_array_length(json_object_object_get(v,
	    "taxes")) == 0);
	json_object_put(j);
}

static const char customer_want[] =
"{\"id\": 9, \"date_created\": \"2026-02-01T21:00:00\","
" \"date_created_gmt\": \"2026-02-01T12:00:00\","
" \"date_modified\": null, \"date_modified_gmt\": null,"
" \"email\": \"ada@example.com\", \"first_name\": \"Ada\","
" \"last_name\": \"Lovelace\", \"role\": \"customer\", \"username\": \"\","
" \"billing\": {\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
"  \"company\": \"Analytical Ltd\", \"address_1\": \"1 Engine St\","
"  \"address_2\": \"Floor 2\", \"city\": \"London\", \"state\": \"\","
"  \"postcode\": \"N1 1AA\", \"country\": \"GB\","
"  \"email\": \"ada@example.com\", \"phone\": \"\"},"
" \"shipping\": {\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
"  \"company\": \"Analytical Ltd\", \"address_1\": \"1 Engine St\","
"  \"address_2\": \"Floor 2\", \"city\": \"London\", \"state\": \"\","
"  \"postcode\": \"N1 1AA\", \"country\": \"GB\", \"phone\": \"\"},"
" \"is_paying_customer\": true, \"avatar_url\": \"\", \"meta_data\": []}";

static const char customer_bare[] =
"{\"id\": 10, \"date_created\": \"2026-02-01T12:00:00\","
" \"date_created_gmt\": \"2026-02-01T12:00:00\","
" \"date_modified\": null, \"date_modified_gmt\": null,"
" \"email\": \"b@example.com\", \"first_name\": \"\","
" \"last_name\": \"\", \"role\": \"customer\", \"username\": \"\","
" \"billing\": {\"first_name\": \"\", \"last_name\": \"\","
"  \"company\": \"\", \"address_1\": \"\", \"address_2\": \"\","
"  \"city\": \"\", \"state\": \"\", \"postcode\": \"\", \"country\": \"\","
"  \"email\": \"b@example.com\", \"phone\": \"\"},"
" \"shipping\": {\"first_name\": \"\", \"last_name\": \"\","
"  \"company\": \"\", \"address_1\": \"\", \"address_2\": \"\","
"  \"city\": \"\", \"state\": \"\", \"postcode\": \"\", \"country\": \"\","
"  \"phone\": \"\"},"
" \"is_paying_customer\": false, \"avatar_url\": \"\", \"meta_data\": []}";

static void
test_customer(void)
{
	struct customer	c;
	struct address	a;

	memset(&c, 0, sizeof(c));
	c.id = 9;
	c.email = (struct str)S("ada@example.com");
	c.name = (struct str)S("Ada Lovelace");
	c.created_at = (struct str)S("2026-02-01 12:00:00");
	a = (struct address){ .name = S("Ada Lovelace"),
	    .company = S("Analytical Ltd"), .line1 = S("1 Engine St"),
	    .line2 = S("Floor 2"), .city = S("London"),
	    .postcode = S("N1 1AA"), .country = S("GB"), .phone = S("") };
	check_json(wc_json_customer(&c, &a, &a, 1, "Asia/Tokyo"),
	    customer_want);
	memset(&c, 0, sizeof(c));
	c.id = 10;
	c.email = (struct str)S("b@example.com");
	c.name = (struct str)S("");
	c.created_at = (struct str)S("2026-02-01 12:00:00");
	check_json(wc_json_customer(&c, NULL, NULL, 0, NULL), customer_bare);
}

int
main(void)
{
	test_order();
	test_order_plain();
	test_customer();
	return test_done();
}
