/*
 * i18n.h: the language of a request, and the gettext catalogs.
 *
 * souk ships en (the source language, untranslated), de, fr, es and ja.
 * One worker serves every language, so it switches the catalog per
 * request, and that switch has to be cheap and must work on a fresh
 * Debian system.
 *
 * Why C.UTF-8 + LANGUAGE, not named locales with uselocale():
 * a fresh Debian 12 has only the C and C.UTF-8 locales; newlocale() of
 * "de_DE.UTF-8" fails until locales-all (~230 MB) or a locale-gen step is
 * added to every host, and a missing locale would silently show English.
 * glibc's gettext ignores LANGUAGE in the plain "C" locale, but honours
 * it under C.UTF-8, which every glibc system has. So i18n_init() sets
 * LC_ALL to C.UTF-8 once, and i18n_set_language() only changes LANGUAGE.
 * gettext caches the translations it has looked up; glibc invalidates
 * that cache when the exported counter _nl_msg_cat_cntr grows (what
 * setlocale() and textdomain() do internally), so a language change
 * bumps it, and a request in the same language as the previous one costs
 * nothing. Locale-sensitive formatting (money, numbers, dates) is ICU's,
 * which carries its own locale data, so nothing needs a named C locale;
 * the C library's own formatting stays in C.UTF-8 (a '.' decimal point,
 * which the code and the SQL rely on).
 *
 * The catalogs are <locale_dir>/<lang>/LC_MESSAGES/souk.mo ("make mo"
 * builds them under build/locale). All state here is per process (the
 * environment, the current language); workers are single-threaded.
 * Every string returned is static.
 */
#ifndef SOUK_I18N_H
#define SOUK_I18N_H

#include <stddef.h>
#include <libintl.h>

/* User-visible text is _("..."); N_("...") marks a string for xgettext
 * where it cannot be translated yet (static tables): gettext() it later. */
#define _(s)	gettext(s)
#define N_(s)	(s)

/* The most Accept-Language entries looked at; the rest are ignored. */
#define I18N_ACCEPT_MAX	32

/*
 * Sets LC_ALL to C.UTF-8 and binds the "souk" text domain to locale_dir
 * (config key locale_dir) in UTF-8. Call once per worker before serving;
 * the language starts as en. Returns 0, or -1 when C.UTF-8 is missing or
 * gettext refuses the domain (then every string stays English).
 */
int	 i18n_init(const char *locale_dir);

/*
 * Makes gettext translate into lang ("de"); "en", NULL or an unsupported
 * code give the untranslated source strings. Cheap when lang is the
 * current language. Returns the language now in effect (static).
 */
const char	*i18n_set_language(const char *lang);

/* The language set by the last i18n_set_language() ("en" at first). */
const char	*i18n_language(void);

/* Nonzero when lang is one of the languages souk ships ("en", "de",
 * "fr", "es", "ja"; exact lower-case code). */
int	 i18n_supported(const char *lang);

/*
 * Chooses the language of a request. Candidates, in order: url_lang (a
 * path prefix such as /de/), cookie_lang (the shopper's saved choice),
 * then the Accept-Language header, then fallback (the shop's default).
 * A candidate counts only when souk ships it and it is in enabled (the
 * nenabled codes the shop offers; enabled NULL means all supported).
 * Accept-Language is parsed leniently: entries are "tag;q=value"
 * separated by commas; "de-CH" matches de; "*" stands for the first
 * enabled language the header does not name at all (the fallback
 * first); an entry with q=0 picks nothing; the highest q wins and ties
 * go to the earlier entry; a malformed entry is skipped; only the first
 * I18N_ACCEPT_MAX entries are looked at.
 * Any argument may be NULL. Returns a static code; when nothing else
 * fits and fallback is unusable, the first enabled language souk ships,
 * else "en".
 */
const char	*i18n_negotiate(const char *url_lang, const char *cookie_lang,
		    const char *accept_language, const char *const *enabled,
		    size_t nenabled, const char *fallback);

/* The ICU locale id for lang, for money_format() and friends: "de" gives
 * "de_DE", "ja" gives "ja_JP"; anything else "en_US". Static. */
const char	*i18n_icu_locale(const char *lang);

/* The i-th language souk ships ("en" first), or NULL past the end. */
const char	*i18n_lang_at(size_t i);

#endif
