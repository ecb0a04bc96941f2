/* shipping.c: a shop's shipping zones and methods, and what a cart
 * costs to ship to an address (see shipping.h). */
#include "core/common.h"
#include "shop/quote.h"
#include "shop/shop.h"

static const char *const kind_names[SHIP__MAX] = {
	[SHIP_FLAT] = "flat",
	[SHIP_FREE] = "free",
	[SHIP_WEIGHT] = "weight",
	[SHIP_PICKUP] = "pickup",
};

const char *
ship_kind_name(enum ship_kind k)
{
	return (unsigned)k < SHIP__MAX ? kind_names[k] : "flat";
}

int
ship_kind_parse(struct str s, enum ship_kind *out)
{
	size_t i;

	for (i = 0; i < SHIP__MAX; i++)
		if (str_eqc(s, kind_names[i])) {
			*out = (enum ship_kind)i;
			return 0;
		}
	return -1;
}
