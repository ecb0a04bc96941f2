/*
 * settings.h: a shop's selling settings, rows of {p}settings (one value
 * per name), and its order counter.
 *
 * settings_get() reads every row in one statement and fills the
 * defaults for names never saved, so a new shop works before its
 * merchant opened the settings page. Texts live in ctx->a.
 */
#ifndef SOUK_SHOP_SETTINGS_H
#define SOUK_SHOP_SETTINGS_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"

#define SETTINGS_TEXT_MAX	2000	/* characters of bank details etc. */
#define SETTINGS_HOLD_MIN	30	/* card_hold_minutes */
#define SETTINGS_HOLD_MAX	1440
#define SETTINGS_HOLD_DEFAULT	60

struct shop_settings {
	/* Prices (and shipping costs) are entered with tax included
	 * (Europe; the default except for USD and CAD shops) or without
	 * (the US: tax is added at checkout). */
	int		prices_include_tax;
	int		tax_round_total;	/* 0: round per line (default) */
	int		tax_shipping;		/* shipping is taxed (default 1) */
	char		country[3];		/* the shop's, for taxes before an
						 * address is known; "" none */
	int		pay_cheque;		/* offline methods enabled */
	int		pay_bacs;		/* bank transfer (default 1) */
	int		pay_cod;		/* cash on delivery */
	int		pay_card;		/* a Stripe account is connected:
						 * written by gateway.c, not by
						 * the settings form */
	int64_t		card_hold_minutes;	/* an unpaid card order holds
						 * its stock this long (60;
						 * 30..1440: Stripe's session
						 * lives 30 min to 24 h) */
	struct str	bank_details;		/* shown with bank transfer */
	struct str	cheque_payee;		/* "Make cheques payable to" */
	int64_t		low_stock;		/* dashboard threshold (3) */
	struct str	order_email;		/* where "new order" mail goes;
						 * "": the owner's */
	struct str	legal_details;		/* the seller on invoices:
						 * legal name, address, VAT
						 * number; "": the shop's name */
	int64_t		return_days;		/* days after shipping a return
						 * may be asked (30); 0: none */
	struct str	return_policy;		/* shown on the return form */
};

/* The shop's settings, defaults filled in. SHOP_OK or SHOP_EDB. */
int	settings_get(struct shop_ctx *ctx, struct shop_settings *out);

/*
 * Validates s and saves every field in one transaction. SHOP_EINVAL
 * with errs (field names as the settings form's: "bank_details",
 * "country", ...); SHOP_OK; SHOP_EDB.
 */
int	settings_save(struct shop_ctx *ctx, const struct shop_settings *s,
	    struct field_errors *errs);

/*
 * Sets the number setting name (one of struct shop_settings' numbers,
 * "pay_card") to v alone, in the caller's transaction when one is open.
 * SHOP_EINVAL (no such name, or v out of its range), SHOP_OK, SHOP_EDB.
 */
int	settings_set_num(struct shop_ctx *ctx, const char *name, int64_t v);

#endif
