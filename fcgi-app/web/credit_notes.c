/*
 * credit_notes.c: an order's credit notes as printed pages (see
 * credit_notes.h). Amounts are shown negative: a credit note takes
 * back part of its invoice.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "http/router.h"
#include "shop/credit_note.h"
#include "shop/invoice.h"
#include "shop/refund.h"
#include "shop/settings.h"
#include "shop/tax.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/credit_notes.h"
#include "web/orders.h"
#include "web/page.h"

static const char *
money(struct web *w, const struct order *o, int64_t minor)
{
	return page_money(w, minor, arena_strndup(w->r->arena, o->currency.p,
	    o->currency.len));
}

static const char *
label(struct web *w, int64_t number)
{
	/* TRANSLATORS: %s is a credit note's number, "CN-3". */
	return arena_printf(w->r->arena, _("Credit note %s"),
	    arena_printf(w->r->arena, CREDIT_NOTE_PREFIX "%lld",
	    (long long)number));
}

static const struct order_line *
line_of(const struct order *o, int64_t id)
{
	size_t i;

	for (i = 0; i < o->nlines; i++)
		if (o->lines[i].id == id)
			return &o->lines[i];
	return NULL;
}

/* The note's lines: the refunded order lines, or one of the amount. */
static int
lines_model(struct web *w, json_object *x, const struct order *o,
    const struct refund *r)
{
	struct credit_note_line	*cl;
	json_object		*arr = jset_arr(x, "lines");
	size_t			 i, n;
	char			 pct[16];

	if (credit_note_lines(&w->shop, r->id, &cl, &n) != SHOP_OK)
		return -1;
	for (i = 0; i < n; i++) {
		const struct order_line	*l = line_of(o, cl[i].order_line_id);
		json_object		*y = jarr_obj(arr);

		if (l != NULL) {
			tax_rate_format(l->tax_rate, pct, sizeof(pct));
			jset_str(y, "name", l->name);
			jset_str(y, "variant", l->variant);
			jset_str(y, "sku", l->sku);
			jset_cstr(y, "rate", arena_printf(w->r->arena,
			    "%s %%", pct));
		}
		jset_i64(y, "qty", cl[i].qty);
		jset_cstr(y, "net", money(w, o, -(cl[i].amount - cl[i].tax)));
	}
	if (n == 0) {
		json_object *y = jarr_obj(arr);

		jset_cstr(y, "name", r->shipping > 0 ?
		    _("Refund of the order, shipping included") :
		    _("Refund of the order"));
		jset_i64(y, "qty", 1);
		jset_cstr(y, "net", money(w, o, -(r->amount - r->tax)));
	}
	return 0;
}

/* The tax per rate, as the refund's entry took it back. */
static int
rates_model(struct web *w, json_object *x, const struct order *o,
    int64_t refund_id)
{
	struct credit_note_rate	*rt;
	json_object		*arr = jset_arr(x, "taxes");
	size_t			 i, n;
	char			 pct[16];

	if (credit_note_rates(&w->shop, refund_id, &rt, &n) != SHOP_OK)
		return -1;
	for (i = 0; i < n; i++) {
		json_object *y = jarr_obj(arr);

		if (rt[i].has_rate) {
			tax_rate_format(rt[i].rate, pct, sizeof(pct));
			jset_cstr(y, "label", arena_printf(w->r->arena,
			    _("Tax %s %%"), pct));
		} else
			jset_cstr(y, "label", _("Not split by rate"));
		jset_cstr(y, "net", money(w, o, -rt[i].net));
		jset_cstr(y, "tax", money(w, o, -rt[i].tax));
	}
	return 0;
}

int
credit_notes_page(struct web *w, const struct order *o, int64_t refund_id,
    const char *back)
{
	struct credit_note	 cn;
	struct invoice		 inv;
	struct shop_settings	 s;
	struct refund		*ref, *r = NULL;
	json_object		*m, *x;
	size_t			 i, n;
	int			 rc;

	rc = credit_note_of_refund(&w->shop, o->id, refund_id, &cn);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This refund has no credit note."));
	if (rc != SHOP_OK || refund_list(&w->shop, o->id, &ref, &n) !=
	    SHOP_OK || settings_get(&w->shop, &s) != SHOP_OK)
		return 503;
	for (i = 0; i < n; i++)
		if (ref[i].id == refund_id)
			r = &ref[i];
	if (r == NULL)
		return page_error(w, 404, _("This refund has no credit note."));
	rc = invoice_of_order(&w->shop, o->id, &inv);
	if (rc != SHOP_OK && rc != SHOP_ENOTFOUND)
		return 503;
	m = page_model(w, label(w, cn.number));
	orders_model(w, m, o, 0);
	x = jset_obj(m, "note");
	jset_cstr(x, "number", arena_printf(w->r->arena, CREDIT_NOTE_PREFIX
	    "%lld", (long long)cn.number));
	jset_cstr(x, "date", orders_date(w, cn.issued_at));
	if (rc == SHOP_OK) {
		jset_i64(x, "invoice_number", inv.number);
		jset_cstr(x, "invoice_date", orders_date(w, inv.issued_at));
	}
	jset_str(x, "reason", r->reason);
	if (lines_model(w, x, o, r) != 0 || rates_model(w, x, o, r->id) != 0)
		return 503;
	jset_cstr(x, "net", money(w, o, -(r->amount - r->tax)));
	jset_cstr(x, "tax", money(w, o, -r->tax));
	jset_cstr(x, "total", money(w, o, -r->amount));
	jset_str(m, "seller", s.legal_details);
	jset_cstr(m, "back", back);
	return page_render(w, 200, "credit_note");
}

int
credit_notes_links(struct web *w, json_object *m, const struct order *o,
    const char *key)
{
	struct credit_note	*cn;
	json_object		*arr;
	size_t			 i, n;

	if (credit_note_list(&w->shop, o->id, &cn, &n) != SHOP_OK)
		return -1;
	arr = jset_arr(m, "credit_notes");
	for (i = 0; i < n; i++) {
		json_object *y = jarr_obj(arr);

		jset_cstr(y, "label", label(w, cn[i].number));
		jset_cstr(y, "url", key == NULL ? arena_printf(w->r->arena,
		    "/admin/orders/%lld/credit-notes/%lld",
		    (long long)o->number, (long long)cn[i].refund_id) :
		    arena_printf(w->r->arena,
		    "/order/%lld/credit-notes/%lld?key=%s",
		    (long long)o->number, (long long)cn[i].refund_id, key));
	}
	return 0;
}

static const struct field note_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "refund", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static int
admin_note(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	int		 rc;

	rc = order_get(&w->shop, form_i64(&w->form, "number"), 1, &o);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This order does not exist."));
	if (rc != SHOP_OK)
		return 503;
	return credit_notes_page(w, &o, form_i64(&w->form, "refund"),
	    arena_printf(r->arena, "/admin/orders/%lld",
	    (long long)o.number));
}

const struct route admin_credit_notes_routes[] = {
	{ HTTP_GET, "/admin/orders/:number/credit-notes/:refund", admin_note,
	    ADMIN_AUTH | ADMIN_PERM(PERM_ORDERS), note_fields },
};

const size_t admin_credit_notes_nroutes = NELEM(admin_credit_notes_routes);
