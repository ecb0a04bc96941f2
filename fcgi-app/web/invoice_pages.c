/* invoice_pages.c: /invoices, /invoices/:number, /operator/invoices
 * (invoice_pages.h). */
#include "core/common.h"
#include "core/config.h"
#include "core/date.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "core/i18n.h"
#include "platform/billing.h"
#include "web/form.h"
#include "web/invoice_pages.h"
#include "web/operator_plans.h"
#include "web/page.h"

#define LIST_MAX	200	/* invoices a list shows */

static const char *const statuses[] = { "open", "paid", "failed", NULL };

static const struct field list_fields[] = {
	{ "status", FIELD_ENUM, 0, 0, FIELD_QUERY,
	    N_("Choose open, paid or failed."), statuses },
	{ 0 }
};

static const struct field one_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const char *
status_label(enum invoice_status s)
{
	switch (s) {
	case INVOICE_PAID:
		return _("Paid");
	case INVOICE_FAILED:
		return _("Payment failed");
	default:
		return _("Open");
	}
}

/* "Nov 2026" in the request's language. */
static const char *
period_label(struct web *w, const char *period)
{
	static struct strbuf	sb = STRBUF_INIT;
	char			d[DATE_LEN];
	int64_t			day;

	memcpy(d, period, 7);
	memcpy(d + 7, "-15", 4);
	strbuf_reset(&sb);
	if ((day = date_days(str_c(d))) < 0 || money_format_date(&sb,
	    (time_t)(day * 86400), w->icu_locale, MONEY_DATE_MONTH_YEAR,
	    "UTC") != 0)
		return period;
	return arena_strndup(w->r->arena, sb.buf, sb.len);
}

static void
row(struct web *w, json_object *o, const struct invoice *v)
{
	jset_i64(o, "number", v->number);
	jset_cstr(o, "period", period_label(w, v->period));
	jset_cstr(o, "email", v->email);
	jset_cstr(o, "total", page_money(w, v->total, v->currency));
	jset_cstr(o, "status", invoice_status_name(v->status));
	jset_cstr(o, "status_label", status_label(v->status));
	jset_str(o, "issued", (struct str){ v->issued_at, 10 });
}

static int
list(struct web *w, int64_t account, const char *tmpl)
{
	struct invoice	*v;
	size_t		 n, i;
	int		 status = -1;
	json_object	*m, *arr;

	if (form_text(&w->form, "status").len > 0)
		status = (int)form_i64(&w->form, "status");
	if (billing_list(w->db, w->r->arena, account, status, LIST_MAX, 0, &v,
	    &n) != BILLING_OK)
		return page_error(w, 503, NULL);
	m = platform_model(w, _("Invoices"));
	arr = jset_arr(m, "invoices");
	for (i = 0; i < n; i++)
		row(w, jarr_obj(arr), &v[i]);
	if (status >= 0)
		jset_cstr(m, "status", statuses[status]);
	return page_render(w, 200, tmpl);
}

static int
my_invoices(struct req *r)
{
	struct web *w = web_of(r);

	return list(w, w->account_id, "platform/invoices");
}

static int
all_invoices(struct req *r)
{
	return list(web_of(r), 0, "platform/operator_invoices");
}

static int
one_invoice(struct req *r)
{
	struct web	*w = web_of(r);
	struct invoice	 inv;
	size_t		 i;
	json_object	*m, *arr, *o;

	switch (billing_get(w->db, r->arena, form_i64(&w->form, "number"),
	    &inv)) {
	case BILLING_OK:
		/* Another account's invoice is as missing as none. */
		if (inv.account_id == w->account_id || w->is_operator)
			break;
		/* FALLTHROUGH */
	case BILLING_ENOTFOUND:
		return page_error(w, 404, _("There is no such invoice."));
	default:
		return page_error(w, 503, NULL);
	}
	m = platform_model(w, arena_printf(r->arena, _("Invoice %lld"),
	    (long long)inv.number));
	row(w, jset_obj(m, "invoice"), &inv);
	jset_cstr(m, "issuer", config_get("billing_issuer",
	    config_get("platform_domain", "localhost")));
	jset_cstr(m, "currency", inv.currency);
	if (inv.status == INVOICE_PAID && inv.paid_at[0] != '\0')
		jset_str(m, "paid_on", (struct str){ inv.paid_at, 10 });
	if (inv.status == INVOICE_FAILED && inv.suspend_after[0] != '\0')
		jset_cstr(m, "suspend_text", arena_printf(r->arena,
		    _("The payment failed. Unless it is paid, your shops will "
		    "be suspended on %.10s."), inv.suspend_after));
	arr = jset_arr(m, "lines");
	for (i = 0; i < inv.nlines; i++) {
		const struct invoice_line *l = &inv.lines[i];

		o = jarr_obj(arr);
		jset_cstr(o, "shop", l->shop_name);
		jset_cstr(o, "slug", l->shop_slug);
		jset_cstr(o, "plan", l->plan_name);
		jset_cstr(o, "from", l->first_day);
		jset_cstr(o, "to", l->last_day);
		jset_cstr(o, "days", arena_printf(r->arena, "%d / %d",
		    l->days, l->month_days));
		jset_cstr(o, "price", page_money(w, l->price, inv.currency));
		jset_bool(o, "trial", l->trial);
		jset_cstr(o, "amount", page_money(w, l->amount,
		    inv.currency));
	}
	return page_render(w, 200, "platform/invoice");
}

#define AUTH	PLATFORM_AUTH
#define OP	(PLATFORM_AUTH | PLATFORM_OPERATOR)

const struct route invoice_page_routes[] = {
	{ HTTP_GET, "/invoices", my_invoices, AUTH, list_fields },
	{ HTTP_GET, "/invoices/:number", one_invoice, AUTH, one_fields },
	{ HTTP_GET, "/operator/invoices", all_invoices, OP, list_fields },
};

const size_t invoice_page_nroutes = NELEM(invoice_page_routes);
