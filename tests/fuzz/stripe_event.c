/*
 * libFuzzer target: stripe_event_parse(), the parser of a webhook's
 * body (only a verified body reaches it, but a bug there must not be
 * one step from the network).
 *
 * Checked: an accepted event has an id and a type; a session event has
 * a session id, a refund event (but charge.refunded) a refund id;
 * every string is NUL-terminated (read in full here).
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
	struct stripe		s;
	struct stripe_event	ev;
	size_t			n;

	if (!once) {
		arena_init(&a);
		once = 1;
	}
	stripe_init(&s, &a, "sk_test_fuzz");
	if (stripe_event_parse(&s, (struct str){ (const char *)data, size },
	    &ev) == STRIPE_OK) {
		if (ev.id[0] == '\0' || ev.type[0] == '\0')
			abort();
		n = strlen(ev.id) + strlen(ev.type);
		if (ev.kind == STRIPE_EV_SESSION) {
			if (ev.session.id[0] == '\0')
				abort();
			n += strlen(ev.session.url) +
			    strlen(ev.session.status) +
			    strlen(ev.session.payment_status) +
			    strlen(ev.session.payment_intent) +
			    strlen(ev.session.currency) +
			    strlen(ev.session.order_id) +
			    strlen(ev.session.shop);
		} else if (ev.kind == STRIPE_EV_REFUND) {
			if (ev.refund.id[0] == '\0' &&
			    strcmp(ev.type, "charge.refunded") != 0)
				abort();
			n += strlen(ev.refund.status) +
			    strlen(ev.refund.payment_intent);
		}
		if (n == 0)
			abort();
	} else if (s.err[0] == '\0')
		abort();
	arena_reset(&a);
	return 0;
}
