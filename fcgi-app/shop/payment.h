/*
 * payment.h: the ways a shopper may pay, one table of methods.
 *
 * A method has a code (stored in orders.payment_method), a label and a
 * description (msgids: the caller translates them), whether the shop
 * offers it (its settings, shop/settings.h), the status an order placed
 * with it starts in, and what the shopper is told once the order is
 * placed (instructions, and whether the shop's bank details or cheque
 * payee go with them: the confirmation page and the "order received"
 * e-mail show them).
 *
 * The first methods are offline: cheque, bank transfer ("bacs"), cash
 * on delivery; their orders wait on-hold until the merchant marks them
 * paid. An online method ("card", issue 11) is one more entry with
 * online set, offered while the shop's Stripe account is connected
 * (settings pay_card): its orders start pending, holding their stock,
 * and the checkout hands the shopper to the gateway's page
 * (shop/card.h) after the order is placed, before the confirmation
 * page.
 */
#ifndef SOUK_SHOP_PAYMENT_H
#define SOUK_SHOP_PAYMENT_H

#include <stddef.h>
#include "core/str.h"
#include "shop/ledger.h"
#include "shop/order.h"
#include "shop/settings.h"

struct payment_method {
	const char	*code;		/* "bacs" */
	const char	*label;		/* N_(): "Bank transfer" */
	const char	*description;	/* N_(): shown beside the choice */
	const char	*instructions;	/* N_(): after ordering */
	enum order_status start;	/* ORDER_ON_HOLD for offline ones */
	int		 online;	/* the shopper pays on another page */
	int		 bank_details;	/* show settings.bank_details */
	int		 cheque_payee;	/* show settings.cheque_payee */
	/* The ledger account its money reaches (ledger.h): a payment
	 * posts Dr this, Cr receivable; a refund of it, Cr this. */
	enum ledger_account account;
	/* Offered by the shop whose settings are s. */
	int		(*enabled)(const struct shop_settings *s);
};

/* Every method souk knows, in the order the checkout lists them; *n
 * gets how many. Static. */
const struct payment_method	*payment_methods(size_t *n);

/* The method with this code, or NULL (unknown: a tampered form). */
const struct payment_method	*payment_find(struct str code);

/* The method with this code when the shop offers it, else NULL. */
const struct payment_method	*payment_offered(const struct shop_settings *s,
				    struct str code);

#endif
