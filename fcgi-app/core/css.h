/*
 * css.h: a merchant's own CSS, checked before souk stores and serves it
 * (the admin's Theme page).
 *
 * CSS cannot run code, but it can fetch: url(), @import and image-set()
 * would load from anywhere a shopper's browser reaches, and old
 * browsers ran expression(), behavior and -moz-binding. So a sheet is
 * refused, not mended, when it holds any of them, a backslash (an
 * escape could spell them), "<" (it could end a style element), a
 * control character, or more than CSS_MAX_CHARS characters. The rest
 * is the merchant's: colours, fonts of the shopper's machine, spacing,
 * layout. Pure: no I/O, no allocation.
 */
#ifndef SOUK_CORE_CSS_H
#define SOUK_CORE_CSS_H

#include "core/str.h"

#define CSS_MAX_CHARS	20000

/* 0 when css may be served; -1 with *why an untranslated msgid (N_()) to
 * show the merchant. */
int	css_check(struct str css, const char **why);

#endif
