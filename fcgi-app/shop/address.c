/*
 * address.c: the check of a postal address (address.h).
 */
#include "core/common.h"
#include "core/country.h"
#include "core/i18n.h"
#include "shop/address.h"

#define NMEMBERS	9
static const char *const members[NMEMBERS] = {
	"name", "company", "line1", "line2", "city", "region", "postcode",
	"country", "phone"
};
static const char *const names[3][NMEMBERS] = {
	{ "name", "company", "line1", "line2", "city", "region", "postcode",
	  "country", "phone" },
	{ "ship_name", "ship_company", "ship_line1", "ship_line2",
	  "ship_city", "ship_region", "ship_postcode", "ship_country",
	  "ship_phone" },
	{ "bill_name", "bill_company", "bill_line1", "bill_line2",
	  "bill_city", "bill_region", "bill_postcode", "bill_country",
	  "bill_phone" },
};

const char *
address_field(enum address_form form, const char *member)
{
	size_t	i;

	for (i = 0; i < NMEMBERS; i++)
		if (strcmp(members[i], member) == 0)
			return names[form][i];
	return member;
}

/* Trimmed, valid text of at most max characters; required: not empty. */
static int
text_ok(struct str *s, size_t max, int required)
{
	*s = str_trim(*s);
	if (required && s->len == 0)
		return 0;
	return str_valid_text(*s) && str_chars(*s) <= max;
}

/* Only digits and the characters in allowed. */
static int
chars_ok(struct str s, const char *allowed)
{
	size_t	i;

	for (i = 0; i < s.len; i++)
		if (!(s.p[i] >= '0' && s.p[i] <= '9') &&
		    (s.p[i] == '\0' || strchr(allowed, s.p[i]) == NULL))
			return 0;
	return 1;
}

static int
postcode_ok(struct str s)
{
	size_t	i;

	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z') || c == ' ' || c == '-'))
			return 0;
	}
	return 1;
}

int
address_check(struct address *ad, enum address_form form,
    struct field_errors *errs)
{
	size_t	before = errs->n;

	if (!text_ok(&ad->name, ADDRESS_NAME_MAX, 1))
		field_errors_add(errs, names[form][0],
		    N_("Enter a name of at most 200 characters."));
	if (!text_ok(&ad->company, ADDRESS_NAME_MAX, 0))
		field_errors_add(errs, names[form][1],
		    N_("A company name has at most 200 characters."));
	if (!text_ok(&ad->line1, ADDRESS_LINE_MAX, 1))
		field_errors_add(errs, names[form][2],
		    N_("Enter the street and number, at most 200 characters."));
	if (!text_ok(&ad->line2, ADDRESS_LINE_MAX, 0))
		field_errors_add(errs, names[form][3],
		    N_("This line has at most 200 characters."));
	if (!text_ok(&ad->city, ADDRESS_CITY_MAX, 1))
		field_errors_add(errs, names[form][4],
		    N_("Enter a town or city of at most 100 characters."));
	if (!text_ok(&ad->region, ADDRESS_REGION_MAX, 0))
		field_errors_add(errs, names[form][5],
		    N_("A region has at most 100 characters."));
	if (!text_ok(&ad->postcode, ADDRESS_POSTCODE_MAX, 0) ||
	    !postcode_ok(ad->postcode))
		field_errors_add(errs, names[form][6],
		    N_("A postcode has at most 20 letters, digits, spaces "
		    "or dashes."));
	ad->country = str_trim(ad->country);
	if (!country_valid(ad->country))
		field_errors_add(errs, names[form][7],
		    N_("Choose a country from the list."));
	if (!text_ok(&ad->phone, ADDRESS_PHONE_MAX, 0) ||
	    !chars_ok(ad->phone, " +-()./"))
		field_errors_add(errs, names[form][8],
		    N_("A phone number has at most 40 digits, spaces and "
		    "+-()./ signs."));
	return (int)(errs->n - before);
}

int
address_same(const struct address *a, const struct address *b)
{
	return str_eq(a->name, b->name) && str_eq(a->company, b->company) &&
	    str_eq(a->line1, b->line1) && str_eq(a->line2, b->line2) &&
	    str_eq(a->city, b->city) && str_eq(a->region, b->region) &&
	    str_eq(a->postcode, b->postcode) &&
	    str_eq(a->country, b->country) && str_eq(a->phone, b->phone);
}

struct str
address_postcode_key(struct arena *a, struct str postcode)
{
	char	*out = arena_alloc(a, postcode.len + 1);
	size_t	 i, n = 0;

	for (i = 0; i < postcode.len; i++) {
		char c = postcode.p[i];

		if (c == ' ')
			continue;
		out[n++] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
	}
	out[n] = '\0';
	return (struct str){ out, n };
}
