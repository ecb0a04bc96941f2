/*
 * tenant_api_billing.c: invoices in the tenant API (platform/billing.h,
 * README "Billing"):
 *
 *	GET  /api/v1/invoices			newest first; an account its
 *						own, an operator every one
 *						(?status=open|paid|failed,
 *						?page=, ?per_page= <= 100)
 *	GET  /api/v1/invoices/:number		one, with its lines
 *	POST /api/v1/invoices/:number/payment	{"status": "paid"|"failed",
 *						 "reason": "..."} (operators:
 *						 the billing system reports)
 *
 * A failed payment starts the grace period (billing_grace_days); the
 * shops are suspended when it ends unless "paid" comes first.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "platform/billing.h"
#include "web/json_api.h"
#include "web/tenant_api_kit.h"

#define AUTH	TENANT_API_AUTH
#define OP	(TENANT_API_AUTH | TENANT_API_OPERATOR)
#define PER_PAGE_MAX	100

/* The query's integer name in [min, max], def when absent; -1 bad. */
static int
query_int(struct web *w, const char *name, int64_t min, int64_t max,
    int64_t def, int64_t *out)
{
	const struct str *q = req_query(w->r, name);

	*out = def;
	if (q == NULL)
		return 0;
	return str_to_i64(*q, min, max, out) == 0 ? 0 : -1;
}

static int
invoices_list(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*q = req_query(r, "status");
	struct invoice		*v;
	int64_t			 page, per;
	size_t			 n, i;
	int			 status = -1, k;
	json_object		*arr;

	if (q != NULL) {
		for (k = 0; k < INVOICE__STATUS_MAX; k++)
			if (str_eqc(*q, invoice_status_name(
			    (enum invoice_status)k)))
				status = k;
		if (status < 0)
			return tenant_api_field_error(w,
			    "souk_rest_invalid_param", "status");
	}
	if (query_int(w, "page", 1, 1000000, 1, &page) == -1)
		return tenant_api_field_error(w, "souk_rest_invalid_param",
		    "page");
	if (query_int(w, "per_page", 1, PER_PAGE_MAX, 20, &per) == -1)
		return tenant_api_field_error(w, "souk_rest_invalid_param",
		    "per_page");
	if (billing_list(w->db, r->arena, w->is_operator ? 0 : w->account_id,
	    status, (size_t)per, (size_t)((page - 1) * per), &v, &n) !=
	    BILLING_OK)
		return tenant_api_unavailable(w);
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, billing_json_obj(&v[i],
		    billing_invoice_url(r->arena, v[i].number)));
	return json_api_send(w, 200, arr);
}

/* The route's invoice when the caller may see it: 0, or -1 answered
 * (another account's is a 404, as if it did not exist). */
static int
route_invoice(struct web *w, struct invoice *inv)
{
	int64_t	number;

	if (w->r->nparams < 1 || str_to_i64(w->r->params[0].val, 1,
	    INT64_MAX, &number) != 0)
		goto missing;
	switch (billing_get(w->db, w->r->arena, number, inv)) {
	case BILLING_OK:
		if (w->is_operator || inv->account_id == w->account_id)
			return 0;
		goto missing;
	case BILLING_ENOTFOUND:
		goto missing;
	default:
		(void)tenant_api_unavailable(w);
		return -1;
	}
missing:
	(void)json_api_error(w, 404, "souk_rest_invoice_invalid",
	    _("There is no such invoice."));
	return -1;
}

static int
invoice_get(struct req *r)
{
	struct web	*w = web_of(r);
	struct invoice	 inv;

	if (route_invoice(w, &inv) == -1)
		return 0;
	return json_api_send(w, 200, billing_json_obj(&inv,
	    billing_invoice_url(r->arena, inv.number)));
}

enum { PAY_STATUS, PAY_REASON, PAY__MAX };

static const struct tenant_api_field pay_fields[PAY__MAX] = {
	[PAY_STATUS] = { "status", TA_TEXT, 10, 1 },
	[PAY_REASON] = { "reason", TA_TEXT, 500, 0 },
};

static int
invoice_payment(struct req *r)
{
	struct web	*w = web_of(r);
	struct invoice	 inv;
	json_object	*body, *v[PAY__MAX];
	struct str	 st, reason = STR("");
	int		 rc, paid;

	if (route_invoice(w, &inv) == -1)
		return 0;
	if (tenant_api_read_body(w, pay_fields, PAY__MAX, v, &body) == -1)
		return 0;
	st = tenant_api_body_str(v[PAY_STATUS]);
	if (v[PAY_REASON] != NULL)
		reason = tenant_api_body_str(v[PAY_REASON]);
	if (!str_eqc(st, "paid") && !str_eqc(st, "failed")) {
		rc = tenant_api_field_error(w, "souk_rest_invalid_value",
		    "status");
		goto done;
	}
	paid = str_eqc(st, "paid");
	switch (billing_report(w->db, inv.number, paid, reason,
	    (int)config_int("billing_grace_days", 14, 0, 365))) {
	case BILLING_OK:
		break;
	case BILLING_ENOTFOUND:
		rc = json_api_error(w, 404, "souk_rest_invoice_invalid",
		    _("There is no such invoice."));
		goto done;
	default:
		rc = tenant_api_unavailable(w);
		goto done;
	}
	log_info("api: invoice %lld %s", (long long)inv.number,
	    paid ? "paid" : "failed");
	if (billing_get(w->db, r->arena, inv.number, &inv) != BILLING_OK) {
		rc = tenant_api_unavailable(w);
		goto done;
	}
	rc = json_api_send(w, 200, billing_json_obj(&inv,
	    billing_invoice_url(r->arena, inv.number)));
done:
	json_object_put(body);
	return rc;
}

const struct route tenant_api_billing_routes[] = {
	{ HTTP_GET, "/api/v1/invoices", invoices_list, AUTH, NULL },
	{ HTTP_GET, "/api/v1/invoices/:number", invoice_get, AUTH, NULL },
	{ HTTP_POST, "/api/v1/invoices/:number/payment", invoice_payment, OP,
	    NULL },
};

const size_t tenant_api_billing_nroutes = NELEM(tenant_api_billing_routes);
