/* tax.c: a shop's tax rates and the rate of a class for an address
 * (see tax.h). */
#include "core/common.h"
#include "shop/quote.h"
#include "shop/shop.h"

static const char *const class_names[TAX__MAX] = {
	[TAX_STANDARD] = "standard",
	[TAX_REDUCED] = "reduced",
	[TAX_ZERO] = "zero",
};

const char *
tax_class_name(enum tax_class c)
{
	return (unsigned)c < TAX__MAX ? class_names[c] : "standard";
}

int
tax_class_parse(struct str s, enum tax_class *out)
{
	size_t i;

	for (i = 0; i < TAX__MAX; i++)
		if (str_eqc(s, class_names[i])) {
			*out = (enum tax_class)i;
			return 0;
		}
	return -1;
}
