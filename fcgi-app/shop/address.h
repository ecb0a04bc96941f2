/*
 * address.h: a postal address, as the checkout, the address book and an
 * order keep it, and the one check they all run on it.
 *
 * The fields are views (core/str.h) into whoever filled them (the
 * request's arena, a database row in ctx->a). country is ISO 3166-1
 * alpha-2 (core/country.h); region is a free text the shopper typed or
 * picked (a US state's code, "CA"), matched by tax rates and shipping
 * zones without regard to case; postcode likewise, spaces ignored.
 */
#ifndef SOUK_SHOP_ADDRESS_H
#define SOUK_SHOP_ADDRESS_H

#include "core/arena.h"
#include "core/field.h"
#include "core/str.h"

/* Limits in characters, the columns' (sql/shop/003_sales.sql). */
#define ADDRESS_NAME_MAX	200
#define ADDRESS_LINE_MAX	200
#define ADDRESS_CITY_MAX	100
#define ADDRESS_REGION_MAX	100
#define ADDRESS_POSTCODE_MAX	20
#define ADDRESS_PHONE_MAX	40

struct address {
	struct str	name;
	struct str	company;
	struct str	line1;
	struct str	line2;
	struct str	city;
	struct str	region;
	struct str	postcode;
	struct str	country;	/* "DE" */
	struct str	phone;
};

/* Which form's field names the errors carry: "ship_name", "bill_name"
 * or plain "name" (the address book). */
enum address_form {
	ADDRESS_FORM_PLAIN = 0,
	ADDRESS_FORM_SHIP,
	ADDRESS_FORM_BILL,
};

/*
 * Trims every field of *ad in place, then checks it: name, line1, city
 * and country required; lengths in characters; valid UTF-8 without
 * control characters; country a current ISO code; postcode of letters,
 * digits, spaces and '-'; phone of digits, spaces and "+-()./". Adds one
 * error per bad field to errs, named as form says. Returns the number
 * of errors added.
 */
int	address_check(struct address *ad, enum address_form form,
	    struct field_errors *errs);

/* The field name of member ("name", "line1", ...) in form; static. */
const char	*address_field(enum address_form form, const char *member);

/* 1 when a and b hold the same texts (what the address book uses to
 * avoid keeping a copy of an address it has). */
int	address_same(const struct address *a, const struct address *b);

/* Postcode for matching: upper case, spaces dropped, in a. */
struct str	address_postcode_key(struct arena *a, struct str postcode);

#endif
