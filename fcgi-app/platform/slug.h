/*
 * slug.h: validation of shop slugs, the label a shop gets under the
 * platform domain ("acme" in acme.souk.example).
 *
 * A slug is 3..40 characters of a-z, 0-9 and '-', neither starting nor
 * ending with '-', and not one of the names the platform keeps for
 * itself (www, admin, api, mail, ...) or that browsers and resolvers
 * treat specially (localhost, local, invalid, test, example, wpad,
 * ...). Because a slug is also a DNS
 * label and a part of URLs, nothing else is accepted: no upper case
 * (callers lower-case first if they wish), no dots, no "--" restriction
 * beyond what DNS allows (IDNA "xn--" labels are refused too).
 * Pure functions; no I/O, no allocation.
 */
#ifndef SOUK_SLUG_H
#define SOUK_SLUG_H

#include "core/str.h"

#define SLUG_MIN	3
#define SLUG_MAX	40

enum slug_check {
	SLUG_OK = 0,
	SLUG_EINVAL,		/* length or characters */
	SLUG_ERESERVED,		/* a name the platform keeps */
};

/* Checks s (not NUL-terminated necessarily). */
enum slug_check	slug_check(struct str s);

/* Nonzero when s is on the reserved list (any case). */
int		slug_reserved(struct str s);

#endif
