/*
 * postcode.h: lists of postcode patterns, as shipping zones and tax
 * rates restrict themselves to some postcodes ("10115 80* 90000...90999").
 *
 * A list holds patterns separated by spaces, commas or line breaks:
 * "10115" one postcode; "80*" every postcode starting so; "90000...90999"
 * every postcode of the same length from the first to the last, in
 * character order (so digits compare as numbers). Letters match either
 * case and spaces inside a postcode do not count: a pattern is compared
 * with address_postcode_key() of the address (upper case, no spaces).
 * An empty list restricts nothing; callers decide what that means.
 * Nothing here allocates but postcode_list_norm().
 */
#ifndef SOUK_SHOP_POSTCODE_H
#define SOUK_SHOP_POSTCODE_H

#include "core/arena.h"
#include "core/str.h"

#define POSTCODE_LIST_MAX	2000	/* bytes of a list */
#define POSTCODE_TOKEN_MAX	20	/* bytes of a postcode */

/* 1 when every pattern of list is well formed (letters, digits and
 * '-', a '*' only last, a range's ends of one length with the first
 * not after the last) and the list fits POSTCODE_LIST_MAX; else 0. */
int	postcode_list_valid(struct str list);

/* list (valid) in upper case, one space between patterns, in a. */
struct str	postcode_list_norm(struct arena *a, struct str list);

/* 1 when key (address_postcode_key()) matches a pattern of list; 0
 * when none does, the list is empty, or a pattern is malformed. */
int	postcode_match(struct str list, struct str key);

#endif
