/*
 * libFuzzer target: stripe_sig_parse() and stripe_sig_verify(), what a
 * webhook's Stripe-Signature header meets first.
 *
 * Checked: a parsed header has a positive t and 1 to STRIPE_SIG_MAX_V1
 * values of 64 hex digits inside the input; no header verifies
 * against a body it was not made for; a header made for the body
 * verifies.
 */
#include "core/common.h"

#include "core/arena.c"
#include "core/config.c"
#include "core/log.c"
#include "core/str.c"
#include "core/strbuf.c"
#include "core/xalloc.c"
#include "platform/stripe.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	a;
	static int		once;
	struct str		h = { (const char *)data, size };
	struct stripe_sig	sig;
	struct stripe		s;
	size_t			i;
	char			*made;

	if (!once) {
		arena_init(&a);
		once = 1;
	}
	stripe_init(&s, &a, "sk_test_fuzz");
	if (stripe_sig_parse(h, &sig) == 0) {
		if (sig.t <= 0 || sig.nv1 == 0 || sig.nv1 > STRIPE_SIG_MAX_V1)
			abort();
		for (i = 0; i < sig.nv1; i++)
			if (sig.v1[i].len != 64 ||
			    sig.v1[i].p < h.p ||
			    sig.v1[i].p + 64 > h.p + h.len)
				abort();
		if (stripe_sig_verify(&s, h, STR("{\"fuzz\":1}"), "whsec_fuzz",
		    sig.t, 300) == STRIPE_OK)
			abort();	/* a forgery */
	}
	/* The input as a body: its own signature verifies. */
	made = stripe_sig_make(&a, h, "whsec_fuzz", 1700000000);
	if (stripe_sig_verify(&s, str_c(made), h, "whsec_fuzz", 1700000000,
	    300) != STRIPE_OK)
		abort();
	arena_reset(&a);
	return 0;
}
