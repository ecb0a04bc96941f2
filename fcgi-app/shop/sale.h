/*
 * sale.h: when a sale price applies, in SQL and in C, so the cart, the
 * order and every page agree on the price a shopper pays.
 *
 * A product or a variant has sale_price, sale_from and sale_to (UTC,
 * either may be NULL: open). A variant's own sale overrides the
 * product's; the product's applies to a variant only when the variant
 * has no price of its own (its price is the product's then). A sale
 * price never raises a price: LEAST() keeps the lower, whatever was
 * saved before the validation that says so.
 */
#ifndef SOUK_SHOP_SALE_H
#define SOUK_SHOP_SALE_H

#include <stdint.h>
#include <time.h>

/* True (in SQL) when the sale of table alias t is running now. */
#define SALE_ON(t) \
	"(" t ".sale_price IS NOT NULL" \
	" AND COALESCE(" t ".sale_from <= UTC_TIMESTAMP(), 1)" \
	" AND COALESCE(" t ".sale_to > UTC_TIMESTAMP(), 1))"

/* A product's price now (alias p): its sale price while it runs. The
 * price sorts and price ranges of the storefront are by it (catalog.h
 * says how they are sorted without an index). */
#define SALE_PRODUCT_PRICE \
	"IF(" SALE_ON("p") ", LEAST(p.sale_price, p.price), p.price)"

/*
 * The price now of a line of product p and variant v (v may be the
 * NULL row of a LEFT JOIN: no variant): what the cart, the checkout
 * and the order charge, and what the variant menu shows.
 */
#define SALE_LINE_PRICE \
	"(CASE WHEN " SALE_ON("v") \
	" THEN LEAST(v.sale_price, COALESCE(v.price, p.price))" \
	" WHEN v.price IS NULL AND " SALE_ON("p") \
	" THEN LEAST(p.sale_price, p.price)" \
	" ELSE COALESCE(v.price, p.price) END)"

/*
 * The C twin of SALE_ON: 1 when a sale of price sale (minor units, -1:
 * none) runs at now, from from (0: open) until to (0: open; the end
 * itself is outside), else 0.
 */
int	sale_active(int64_t sale, time_t from, time_t to, time_t now);

/* The price now of a regular price and its sale (sale_active()). */
int64_t	sale_price_now(int64_t price, int64_t sale, time_t from, time_t to,
	    time_t now);

/*
 * Checks a sale as the merchant typed it: sale below price (or -1:
 * none), from before to when both are set. Returns NULL when it is
 * right, else an untranslated msgid (N_()) and *field the field it is
 * about ("sale_price", "sale_to").
 */
const char *sale_check(int64_t price, int64_t sale, time_t from, time_t to,
	    const char **field);

/*
 * Parses a date or date and time as typed in a form, in UTC:
 * "2026-12-24", "2026-12-24T18:00" or "2026-12-24 18:00[:ss]"; empty
 * is 0 (open). Years 1970 to 2037: MariaDB's FROM_UNIXTIME() stops in
 * 2038. Returns 0 and *out, or -1 when malformed.
 */
int	sale_parse_time(const char *s, size_t len, time_t *out);

/* "YYYY-MM-DDTHH:MM" of t (0: "") into buf of size n (17 or more), for
 * a datetime-local input. */
void	sale_format_time(time_t t, char *buf, size_t n);

#endif
