/*
 * country.h: the countries a shop may ship to and bill, by ISO 3166-1
 * alpha-2 code, with their names in the request's language.
 *
 * The list is ICU's (uloc_getISOCountries(), without the codes ISO has
 * withdrawn), so it needs no table of our own, and the names are ICU's
 * translations (uloc_getDisplayCountry()): "Deutschland", "Allemagne",
 * "ドイツ". Every pointer returned is static (until country_free())
 * or lives in the arena given; nothing here touches the database.
 */
#ifndef SOUK_CORE_COUNTRY_H
#define SOUK_CORE_COUNTRY_H

#include <stddef.h>
#include "core/arena.h"
#include "core/str.h"

#define COUNTRY_NAME_MAX	200	/* bytes of a name, UTF-8 */

/* 1 when code is two upper-case ASCII letters ICU knows as a current
 * country ("DE"); 0 otherwise (lower case, "XX", withdrawn codes). */
int	country_valid(struct str code);

/* The codes, in ICU's (alphabetical) order; *n gets how many. Static. */
const char *const *country_codes(size_t *n);

/* The name of code in icu_locale ("de", "ja"), in a; the code itself
 * when ICU has no name for it. code must be country_valid(). */
const char	*country_name(struct arena *a, const char *code,
		    const char *icu_locale);

struct country {
	const char	*code;
	const char	*name;
};

/*
 * Every country with its name in icu_locale, sorted by name as that
 * language sorts (ICU collation); *n gets how many. For the country
 * menus of the checkout and the admin. Built once per process and
 * language (COUNTRY_LISTS languages at most, then built per call into
 * a), so a page pays nothing for it.
 */
#define COUNTRY_LISTS	8
const struct country *country_list(struct arena *a, const char *icu_locale,
		    size_t *n);

/* Frees the lists country_list() keeps (at a worker's exit). */
void	country_free(void);

#endif
