/*
 * credit_notes.h: an order's credit notes (shop/credit_note.h) as
 * pages made to be printed, like its invoice (web/orders.h): the
 * merchant's at GET /admin/orders/:number/credit-notes/:refund (staff
 * only), the shopper's at GET /order/:number/credit-notes/:refund?key=
 * through the same key check as the invoice (web/orders.c), and the
 * links to them on both order pages.
 */
#ifndef SOUK_WEB_CREDIT_NOTES_H
#define SOUK_WEB_CREDIT_NOTES_H

#include <json.h>
#include <stddef.h>
#include <stdint.h>
#include "http/router.h"
#include "shop/order.h"
#include "web/page.h"

extern const struct route	admin_credit_notes_routes[];
extern const size_t		admin_credit_notes_nroutes;

/*
 * The credit note of refund refund_id of o (with its lines) as a page:
 * the seller, the buyer, its number and date, the invoice it corrects,
 * the refunded lines (or the amount), the tax per rate and the totals,
 * negative. back is the link to the page it was opened from (copied).
 * A 404 page when the refund has no note (not o's, not succeeded).
 * Returns what page_render() returns.
 */
int	credit_notes_page(struct web *w, const struct order *o,
	    int64_t refund_id, const char *back);

/*
 * Sets "credit_notes" in m: o's notes, each {label, url}; key NULL
 * links the admin's pages, else the shopper's with that key. Returns
 * 0, or -1 when the database failed.
 */
int	credit_notes_links(struct web *w, json_object *m,
	    const struct order *o, const char *key);

#endif
