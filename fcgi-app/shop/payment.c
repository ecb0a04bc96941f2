/* payment.c: the payment methods (see payment.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "shop/payment.h"

static int
cheque_on(const struct shop_settings *s)
{
	return s->pay_cheque;
}

static int
bacs_on(const struct shop_settings *s)
{
	return s->pay_bacs;
}

static int
cod_on(const struct shop_settings *s)
{
	return s->pay_cod;
}

/* The flag gateway.c keeps while a Stripe account is connected. */
static int
card_on(const struct shop_settings *s)
{
	return s->pay_card;
}

static const struct payment_method methods[] = {
	{ "bacs", N_("Bank transfer"),
	    N_("Pay by bank transfer once you have placed your order. Use "
	    "your order number as the payment reference."),
	    N_("Please transfer the total to the account below, with your "
	    "order number as the payment reference. We ship your order as "
	    "soon as the money has arrived."),
	    ORDER_ON_HOLD, 0, 1, 0, LEDGER_BANK, bacs_on },
	{ "cheque", N_("Cheque"),
	    N_("Send us a cheque once you have placed your order."),
	    N_("Please send a cheque for the total, with your order number "
	    "written on the back. We ship your order once it has cleared."),
	    ORDER_ON_HOLD, 0, 0, 1, LEDGER_CHEQUES, cheque_on },
	{ "cod", N_("Cash on delivery"),
	    N_("Pay in cash when your order is delivered."),
	    N_("Please have the total ready in cash when your order is "
	    "delivered."),
	    ORDER_ON_HOLD, 0, 0, 0, LEDGER_CASH, cod_on },
	/* Paid on the gateway's hosted page (shop/card.h); the order
	 * holds its stock while pending. */
	{ "card", N_("Card"),
	    N_("Pay by credit or debit card on our payment provider's "
	    "secure page."),
	    N_("Your payment is being confirmed by our payment provider. "
	    "We prepare your order as soon as it is."),
	    ORDER_PENDING, 1, 0, 0, LEDGER_GATEWAY, card_on },
};

const struct payment_method *
payment_methods(size_t *n)
{
	*n = NELEM(methods);
	return methods;
}

const struct payment_method *
payment_find(struct str code)
{
	size_t i;

	for (i = 0; i < NELEM(methods); i++)
		if (str_eqc(code, methods[i].code))
			return &methods[i];
	return NULL;
}

const struct payment_method *
payment_offered(const struct shop_settings *s, struct str code)
{
	const struct payment_method *m = payment_find(code);

	return m != NULL && m->enabled(s) ? m : NULL;
}
