/*
 * wc_products.h: what web/wc_products.c shares with the other modules
 * of the products' API (wc_variations.c, wc_taxonomy.c): WooCommerce's
 * forms of money, dates and tax classes, and the answers they share.
 * Strings set into o are copied (json-c); nothing here keeps a pointer.
 */
#ifndef SOUK_WEB_WC_PRODUCTS_H
#define SOUK_WEB_WC_PRODUCTS_H

#include <stdint.h>
#include <json-c/json.h>

#include "core/field.h"
#include "core/str.h"
#include "web/page.h"

/* o[k] = minor units of the shop's currency as a decimal string. */
void	wc_products_money(struct web *w, json_object *o, const char *k,
	    int64_t minor);

/* o[k] (the shop's clock) and o[k_gmt] of a UTC time "YYYY-MM-DD
 * HH:MM:SS"; null both for "". */
void	wc_products_dates(struct web *w, json_object *o, const char *k,
	    struct str utc);

/* WooCommerce's tax class of souk's ("reduced": "reduced-rate");
 * static. */
const char *wc_products_tax_class(struct str s);

/* The request has force=true (or 1). */
int	wc_products_forced(struct web *w);

/* 503 with Retry-After. Returns 0. */
int	wc_products_unavailable(struct web *w);

/* 400 rest_invalid_param naming each field of errs (prefixed with at,
 * "" or "create[2]."). Returns 0. */
int	wc_products_invalid(struct web *w, const char *at,
	    const struct field_errors *errs);

#endif
