/*
 * admin_export.c: the catalog export of the shop admin (see
 * admin_export.h). The file is streamed: headers first, then each page
 * of products as catalog_export_run() writes it, so a big catalog
 * never sits in memory and the download starts at once. Staff only
 * (ADMIN_AUTH: anyone else is sent to the login); never stored by a
 * cache (admin_dispatch() says no-store); nginx is told not to buffer
 * it (X-Accel-Buffering).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/catalog_export.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_export.h"
#include "web/page.h"

/* In the order of enum catalog_csv_format: form_i64() is the index. */
static const char *const formats[] = { "woo", "shopify", NULL };

static const struct field export_fields[] = {
	{ "format", FIELD_ENUM, 0, 0, FIELD_QUERY | FIELD_REQUIRED,
	    N_("Choose the format of the export: woo (WooCommerce) or "
	    "shopify (Shopify)."), formats },
	{ 0 }
};

static int
write_out(void *arg, const char *p, size_t n)
{
	return resp_write(arg, p, n);
}

static int
export(struct req *r)
{
	struct web		*w = web_of(r);
	enum catalog_csv_format	 f;
	const char		*name;
	size_t			 n = 0;
	int			 rc;

	f = form_i64(&w->form, "format") == 1 ? CATALOG_CSV_SHOPIFY :
	    CATALOG_CSV_WOO;
	name = arena_printf(r->arena, "%s-products-%s.csv", w->tenant->slug,
	    formats[f]);
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s\"", name));
	resp_header(r, "X-Accel-Buffering", "no");
	if (resp_stream(r) == -1)
		return -1;
	if (r->method == HTTP_HEAD)
		return 0;
	rc = catalog_export_run(&w->shop, f, catalog_export_origin(r->arena,
	    w->tenant->slug), write_out, r, &n);
	/* The status is sent: a failure can only cut the file short. */
	if (rc != SHOP_OK)
		log_warn("catalog export '%s' cut short after %zu products "
		    "(%d)", name, n, rc);
	else
		log_info("catalog exported as '%s': %zu products", name, n);
	return rc == CATALOG_EXPORT_EWRITE ? -1 : 0;
}

const struct route admin_export_routes[] = {
	{ HTTP_GET, "/admin/products/export", export,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG),
	    export_fields },
};

const size_t admin_export_nroutes = NELEM(admin_export_routes);
