/*
 * admin_sales.c: the shop admin's selling pages (see admin_sales.h).
 * Each page reads its fields through its route's table; the shop/
 * modules validate again and are the authority (their messages are
 * shown beside the fields). A bad or foreign id is a 404: rows are
 * read through the shop's own tables only.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/country.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/coupon.h"
#include "shop/gateway.h"
#include "shop/settings.h"
#include "shop/shipping.h"
#include "shop/tax.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_sales.h"
#include "web/page.h"

#define AUTH	ADMIN_AUTH

static const char *const ship_kinds[] = { "flat", "free", "weight",
    "pickup", NULL };
static const char *const tax_classes[] = { "standard", "reduced", "zero",
    NULL };
static const char *const coupon_kinds[] = { "percent", "fixed",
    "free_shipping", NULL };

/* --- field tables ------------------------------------------------------ */

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field method_id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "mid", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field saved_fields[] = {
	{ "saved", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

#define ZONE_COUNTRIES_MAX	60	/* a form holds 64 values */

static const struct field zone_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "name", FIELD_TEXT, 0, SHIP_NAME_MAX, 0,
	    N_("Enter a name of at most 200 characters."), NULL },
	{ "countries", FIELD_TEXT, 1, 2, FIELD_MULTI | FIELD_ASCII,
	    N_("Choose at most 60 countries from the list, or every "
	    "country."), NULL },
	{ "regions", FIELD_TEXT, 0, SHIP_LIST_MAX, 0,
	    N_("List regions as country code and region, such as US:CA "
	    "US:NY."), NULL },
	{ "postcodes", FIELD_TEXT, 0, SHIP_LIST_MAX, 0,
	    N_("List postcodes such as 10115, 80* or 90000...90999, "
	    "separated by spaces."), NULL },
	{ "position", FIELD_INT, 0, 1000000, 0,
	    N_("Enter a whole number from 0 to 1000000."), NULL },
	{ 0 }
};

static const struct field method_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "mid", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "kind", FIELD_ENUM, 0, 0, FIELD_REQUIRED,
	    N_("Choose a kind of shipping."), ship_kinds },
	{ "name", FIELD_TEXT, 0, SHIP_NAME_MAX, 0,
	    N_("Enter a name of at most 200 characters."), NULL },
	{ "cost", FIELD_MONEY, 0, 24, 0,
	    N_("Enter an amount such as 4.90."), NULL },
	{ "min_total", FIELD_MONEY, 0, 24, 0,
	    N_("Enter an amount such as 4.90."), NULL },
	{ "bands", FIELD_TEXT, 0, 1000, FIELD_ASCII,
	    N_("Write bands as grams:cost in ascending weight, such as "
	    "1000:490 5000:990 *:1990."), NULL },
	{ "position", FIELD_INT, 0, 1000000, 0,
	    N_("Enter a whole number from 0 to 1000000."), NULL },
	{ "enabled", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ 0 }
};

static const struct field tax_settings_fields[] = {
	{ "prices_include_tax", FIELD_INT, 0, 1, FIELD_REQUIRED,
	    N_("Choose yes or no."), NULL },
	{ "tax_round_total", FIELD_INT, 0, 1, FIELD_REQUIRED,
	    N_("Choose yes or no."), NULL },
	{ "tax_shipping", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "country", FIELD_TEXT, 0, 2, FIELD_ASCII,
	    N_("Choose a country from the list."), NULL },
	{ "legal_details", FIELD_TEXT, 0, SETTINGS_TEXT_MAX, 0,
	    N_("Legal details have at most 2000 characters."), NULL },
	{ 0 }
};

static const struct field rate_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "tax_class", FIELD_ENUM, 0, 0, FIELD_REQUIRED,
	    N_("Choose a tax class."), tax_classes },
	{ "country", FIELD_TEXT, 0, 2, FIELD_ASCII,
	    N_("Choose a country from the list."), NULL },
	{ "region", FIELD_TEXT, 0, 100, 0,
	    N_("A region has at most 100 characters."), NULL },
	{ "postcodes", FIELD_TEXT, 0, 2000, 0,
	    N_("List postcodes such as 10115, 80* or 90000...90999, "
	    "separated by spaces."), NULL },
	{ "rate", FIELD_TEXT, 1, 12, FIELD_REQUIRED,
	    N_("Enter a rate from 0 to 100 %, such as 19 or 7.25."), NULL },
	{ "name", FIELD_TEXT, 0, TAX_NAME_MAX, 0,
	    N_("A name has at most 100 characters."), NULL },
	{ "shipping", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "position", FIELD_INT, 0, 1000000, 0,
	    N_("Enter a whole number from 0 to 1000000."), NULL },
	{ 0 }
};

static const struct field payments_fields[] = {
	{ "pay_bacs", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "bank_details", FIELD_TEXT, 0, SETTINGS_TEXT_MAX, 0,
	    N_("Bank details have at most 2000 characters."), NULL },
	{ "pay_cheque", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "cheque_payee", FIELD_TEXT, 0, 200, 0,
	    N_("A payee has at most 200 characters, on one line."), NULL },
	{ "pay_cod", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "order_email", FIELD_EMAIL, 0, 254, 0,
	    N_("Enter an e-mail address such as name@example.com."), NULL },
	{ "low_stock", FIELD_INT, 0, 1000000, 0,
	    N_("Enter a whole number from 0 to 1000000."), NULL },
	{ "card_hold_minutes", FIELD_INT, SETTINGS_HOLD_MIN,
	    SETTINGS_HOLD_MAX, 0,
	    N_("Enter a number of minutes from 30 to 1440."), NULL },
	{ 0 }
};

static const struct field stripe_fields[] = {
	{ "stripe_secret_key", FIELD_TEXT, 1, GATEWAY_KEY_MAX,
	    FIELD_REQUIRED | FIELD_ASCII, N_("Enter the secret key from your "
	    "Stripe dashboard: it starts with sk_live_ or sk_test_."), NULL },
	{ "stripe_webhook_secret", FIELD_TEXT, 1, GATEWAY_KEY_MAX,
	    FIELD_REQUIRED | FIELD_ASCII, N_("Enter the webhook signing secret "
	    "from your Stripe dashboard: it starts with whsec_."), NULL },
	{ 0 }
};

static const struct field coupon_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "code", FIELD_TEXT, 1, COUPON_CODE_MAX, FIELD_REQUIRED | FIELD_ASCII,
	    N_("A code has 1 to 40 letters, digits, - or _."), NULL },
	{ "kind", FIELD_ENUM, 0, 0, FIELD_REQUIRED,
	    N_("Choose a kind of coupon."), coupon_kinds },
	{ "amount", FIELD_TEXT, 0, 24, 0,
	    N_("Enter a percentage such as 10, or an amount such as 5.00."),
	    NULL },
	{ "min_spend", FIELD_MONEY, 0, 24, 0,
	    N_("Enter an amount such as 4.90."), NULL },
	{ "expires_on", FIELD_TEXT, 0, 10, FIELD_ASCII,
	    N_("Enter a date such as 2026-12-31, or nothing."), NULL },
	{ "product_ids", FIELD_TEXT, 0, COUPON_IDS_MAX, FIELD_ASCII,
	    N_("List product numbers separated by spaces, or nothing for "
	    "every product."), NULL },
	{ "category_ids", FIELD_TEXT, 0, COUPON_IDS_MAX, FIELD_ASCII,
	    N_("List category numbers separated by spaces, or nothing for "
	    "all."), NULL },
	{ "usage_limit", FIELD_INT, 0, 1000000000, 0,
	    N_("Enter a whole number of 0 (no limit) or more."), NULL },
	{ "per_customer", FIELD_INT, 0, 1000000000, 0,
	    N_("Enter a whole number of 0 (no limit) or more."), NULL },
	{ "active", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ 0 }
};

static const struct field coupon_active_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "active", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ 0 }
};

/* --- helpers ----------------------------------------------------------- */

static const char *
base_currency(struct web *w)
{
	return w->tenant->currency;
}

/* An amount typed in a money field into minor units of the shop's
 * currency; empty is 0. -1 and an error on field when it is none. */
static int
read_money(struct web *w, const char *field, int64_t *out,
    struct field_errors *errs)
{
	struct str s = form_text(&w->form, field);

	*out = 0;
	if (s.len == 0)
		return 0;
	if (money_parse(s, base_currency(w), out) == -1) {
		field_errors_add(errs, field, N_("Enter an amount such as "
		    "4.90."));
		return -1;
	}
	return 0;
}

static const char *
plain_money(struct web *w, int64_t minor)
{
	char buf[MONEY_PLAIN_MAX];

	if (money_format_plain(minor, base_currency(w), buf, sizeof(buf)) <= 0)
		return "";
	return arena_strdup(w->r->arena, buf);
}

static const char *
rate_text(struct web *w, int32_t rate)
{
	char buf[16];

	tax_rate_format(rate, buf, sizeof(buf));
	return arena_strdup(w->r->arena, buf);
}

/* A percentage to read, with the language's decimal sign ("7,25" in
 * German, French and Spanish); forms keep "7.25", which every
 * language's form reads back. */
static const char *
rate_shown(struct web *w, int32_t rate)
{
	char	*t = (char *)rate_text(w, rate), *dot;

	if ((strcmp(w->lang, "de") == 0 || strcmp(w->lang, "fr") == 0 ||
	    strcmp(w->lang, "es") == 0) && (dot = strchr(t, '.')) != NULL)
		*dot = ',';
	return t;
}

/* Merges the domain's errors after the form's. */
static void
errs_merge(struct field_errors *to, const struct field_errors *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		field_errors_add(to, from->v[i].field, from->v[i].msgid);
}

/* The form's raw values of names into f, to show what was sent. */
static void
raw_fields(struct web *w, json_object *f, const char *const *names)
{
	for (; *names != NULL; names++)
		jset_str(f, *names, page_field(w, *names));
}

static void
errors_model(json_object *m, const struct field_errors *errs)
{
	if (errs != NULL && errs->n > 0)
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"),
		    errs);
	else
		jset_obj(m, "e");
}

/* A country menu under key: "" first (labelled empty_label, when not
 * NULL), then every country in the request's language. */
static void
country_menu(struct web *w, json_object *m, const char *key,
    struct str selected, const char *empty_label)
{
	const struct country	*c;
	json_object		*arr = jset_arr(m, key), *o;
	size_t			 n, i;

	if (empty_label != NULL) {
		o = jarr_obj(arr);
		jset_cstr(o, "code", "");
		jset_cstr(o, "name", empty_label);
		jset_bool(o, "selected", selected.len == 0);
	}
	c = country_list(w->r->arena, w->icu_locale, &n);
	for (i = 0; i < n; i++) {
		o = jarr_obj(arr);
		jset_cstr(o, "code", c[i].code);
		jset_cstr(o, "name", c[i].name);
		jset_bool(o, "selected", str_eqc(selected, c[i].code));
	}
}

static int
list_has(struct str list, const char *code)
{
	size_t	n = strlen(code), i = 0;

	while (i + n <= list.len) {
		if (memcmp(list.p + i, code, n) == 0 &&
		    (i + n == list.len || list.p[i + n] == ' '))
			return 1;
		while (i < list.len && list.p[i] != ' ')
			i++;
		i++;
	}
	return 0;
}

/* Countries names of a zone's list, for the zones page. */
static const char *
countries_label(struct web *w, struct str list)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i = 0, j;
	const char	*out;

	while (i < list.len) {
		char cc[3];

		for (j = i; j < list.len && list.p[j] != ' '; j++)
			;
		if (sb.len)
			strbuf_addstr(&sb, ", ");
		if (j - i == 1 && list.p[i] == '*')
			strbuf_addstr(&sb, _("every country"));
		else if (j - i == 2) {
			str_copy(cc, sizeof(cc), (struct str){ list.p + i, 2 });
			strbuf_addstr(&sb, country_name(w->r->arena, cc,
			    w->icu_locale));
		}
		i = j + 1;
	}
	out = arena_strdup(w->r->arena, sb.buf ? sb.buf : "");
	strbuf_release(&sb);
	return out;
}

static const char *
ship_kind_label(enum ship_kind k)
{
	switch (k) {
	case SHIP_FLAT:
		return _("Flat rate");
	case SHIP_FREE:
		return _("Free above an order total");
	case SHIP_WEIGHT:
		return _("By weight");
	case SHIP_PICKUP:
		return _("Local pickup");
	default:
		return "";
	}
}

static const char *
tax_class_label(enum tax_class c)
{
	switch (c) {
	case TAX_STANDARD:
		return _("Standard");
	case TAX_REDUCED:
		return _("Reduced");
	case TAX_ZERO:
		return _("Zero");
	default:
		return "";
	}
}

static const char *
coupon_kind_label(enum coupon_kind k)
{
	switch (k) {
	case COUPON_PERCENT:
		return _("Percentage off");
	case COUPON_FIXED:
		return _("Amount off");
	case COUPON_FREE_SHIPPING:
		return _("Free shipping");
	default:
		return "";
	}
}

/* The options of a menu of names (values) with labels, one selected. */
static void
enum_menu(json_object *m, const char *key, const char *const *values,
    const char *(*label)(int), int selected)
{
	json_object	*arr = jset_arr(m, key);
	int		 i;

	for (i = 0; values[i] != NULL; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "value", values[i]);
		jset_cstr(o, "label", label(i));
		jset_bool(o, "selected", i == selected);
	}
}

static const char *
ship_kind_label_i(int i)
{
	return ship_kind_label((enum ship_kind)i);
}

static const char *
tax_class_label_i(int i)
{
	return tax_class_label((enum tax_class)i);
}

static const char *
coupon_kind_label_i(int i)
{
	return coupon_kind_label((enum coupon_kind)i);
}

static int
db_error(struct web *w, int rc, const char *notfound)
{
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, notfound);
	return page_error(w, 503, NULL);
}

/* --- shipping zones ---------------------------------------------------- */

/* "≤ 1000 g: 6,90 € · ≤ 5000 g: 12,90 € · more: 24,90 €" */
static const char *
bands_text(struct web *w, struct str bands)
{
	struct weight_band	b[WEIGHT_BANDS_MAX];
	struct strbuf		sb = STRBUF_INIT;
	const char		*out;
	int			n, i;

	if ((n = weight_bands_parse(bands, b, WEIGHT_BANDS_MAX)) < 0)
		return "";
	for (i = 0; i < n; i++) {
		const char *cost = page_money(w, b[i].cost, base_currency(w));

		if (i > 0)
			strbuf_addstr(&sb, " · ");
		if (b[i].max_g < 0)
			/* TRANSLATORS: a weight band of a shipping method,
			 * above every other: "heavier: 24,90 €". */
			strbuf_addf(&sb, _("heavier: %s"), cost);
		else
			/* TRANSLATORS: a weight band: "up to 1000 g:
			 * 6,90 €". */
			strbuf_addf(&sb, _("up to %lld g: %s"),
			    (long long)b[i].max_g, cost);
	}
	out = arena_strdup(w->r->arena, sb.buf ? sb.buf : "");
	strbuf_release(&sb);
	return out;
}

static const char *
method_summary(struct web *w, const struct ship_method *m)
{
	switch (m->kind) {
	case SHIP_FLAT:
	case SHIP_PICKUP:
		return page_money(w, m->cost, base_currency(w));
	case SHIP_FREE:
		return arena_printf(w->r->arena, _("from %s"),
		    page_money(w, m->min_total, base_currency(w)));
	case SHIP_WEIGHT:
		return bands_text(w, m->bands);
	default:
		return "";
	}
}

static void
methods_model(struct web *w, json_object *arr, const struct ship_method *v,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", v[i].id);
		jset_i64(o, "zone_id", v[i].zone_id);
		jset_str(o, "name", v[i].name.len ? v[i].name :
		    str_c(ship_kind_label(v[i].kind)));
		jset_cstr(o, "kind", ship_kind_label(v[i].kind));
		jset_cstr(o, "cost", method_summary(w, &v[i]));
		jset_bool(o, "disabled", !v[i].enabled);
	}
}

static int
zones(struct req *r)
{
	struct web		*w = web_of(r);
	struct ship_zone	*z;
	struct ship_method	*ms;
	size_t			 n, nm, i;
	json_object		*m, *arr;
	int			 rc;

	if ((rc = ship_zones_list(&w->shop, &z, &n)) != SHOP_OK)
		return db_error(w, rc, NULL);
	m = admin_model(w, _("Shipping"), "nav_shipping");
	arr = jset_arr(m, "zones");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", z[i].id);
		jset_str(o, "name", z[i].name);
		jset_cstr(o, "countries", countries_label(w, z[i].countries));
		jset_str(o, "regions", z[i].regions);
		jset_str(o, "postcodes", z[i].postcodes);
		if ((rc = ship_methods_list(&w->shop, z[i].id, &ms, &nm)) !=
		    SHOP_OK)
			return db_error(w, rc, NULL);
		methods_model(w, jset_arr(o, "methods"), ms, nm);
	}
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Saved."));
	return page_render(w, 200, "admin/shipping");
}

/* The zone form: new (z NULL, id 0), a zone, or what was sent. */
static int
zone_form(struct web *w, int status, int64_t id, const struct ship_zone *z,
    const struct field_errors *errs)
{
	static const char *const names[] = { "name", "regions", "postcodes",
	    "position", NULL };
	struct ship_method	*ms;
	size_t			 nm, i;
	json_object		*m, *f, *arr;
	struct str		 sel = STR(""), sent[ZONE_COUNTRIES_MAX];
	struct strbuf		 sb = STRBUF_INIT;
	const struct country	*c;
	int			 n, rc;

	m = admin_model(w, id ? _("Shipping zone") : _("New shipping zone"),
	    "nav_shipping");
	jset_cstr(m, "action", id ? arena_printf(w->r->arena,
	    "/admin/shipping/%lld", (long long)id) : "/admin/shipping");
	f = jset_obj(m, "f");
	if (errs != NULL) {
		raw_fields(w, f, names);
		n = form_all(&w->form, "countries", sent, ZONE_COUNTRIES_MAX);
		for (i = 0; n > 0 && i < (size_t)n; i++) {
			if (sb.len)
				strbuf_addch(&sb, ' ');
			strbuf_add(&sb, sent[i].p, sent[i].len);
		}
		sel = str_c(arena_strdup(w->r->arena, sb.buf ? sb.buf : ""));
		strbuf_release(&sb);
	} else if (z != NULL) {
		jset_str(f, "name", z->name);
		jset_str(f, "regions", z->regions);
		jset_str(f, "postcodes", z->postcodes);
		jset_i64(f, "position", z->position);
		sel = z->countries;
	} else
		jset_cstr(f, "position", "0");
	errors_model(m, errs);
	jset_bool(m, "everywhere", list_has(sel, "*"));
	jset_cstr(m, "chosen", countries_label(w, sel));
	arr = jset_arr(m, "country_options");
	c = country_list(w->r->arena, w->icu_locale, &nm);
	for (i = 0; i < nm; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "code", c[i].code);
		jset_cstr(o, "name", c[i].name);
		jset_bool(o, "selected", list_has(sel, c[i].code));
	}
	if (id) {
		jset_i64(m, "id", id);
		if ((rc = ship_methods_list(&w->shop, id, &ms, &nm)) !=
		    SHOP_OK)
			return db_error(w, rc, NULL);
		methods_model(w, jset_arr(m, "methods"), ms, nm);
	}
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Saved."));
	return page_render(w, status, "admin/zone");
}

static int
zone_new(struct req *r)
{
	return zone_form(web_of(r), 200, 0, NULL, NULL);
}

static int
zone_edit(struct req *r)
{
	struct web		*w = web_of(r);
	struct ship_zone	 z;
	int			 rc;

	rc = ship_zone_get(&w->shop, form_i64(&w->form, "id"), &z);
	if (rc != SHOP_OK)
		return db_error(w, rc, _("This shipping zone does not exist."));
	return zone_form(w, 200, z.id, &z, NULL);
}

static int
zone_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct ship_zone	 z;
	struct field_errors	 errs = w->form.errs, more = { .n = 0 };
	struct str		 cc[ZONE_COUNTRIES_MAX];
	struct strbuf		 sb = STRBUF_INIT;
	int64_t			 id = form_i64(&w->form, "id");
	int			 n, i, rc;

	if (id && (rc = ship_zone_get(&w->shop, id, &z)) != SHOP_OK)
		return db_error(w, rc, _("This shipping zone does not exist."));
	memset(&z, 0, sizeof(z));
	z.id = id;
	z.name = form_text(&w->form, "name");
	z.regions = form_text(&w->form, "regions");
	z.postcodes = form_text(&w->form, "postcodes");
	z.position = form_i64(&w->form, "position");
	n = form_all(&w->form, "countries", cc, ZONE_COUNTRIES_MAX);
	for (i = 0; i < n; i++) {
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, cc[i].p, cc[i].len);
	}
	z.countries = str_c(arena_strdup(w->r->arena, sb.buf ? sb.buf : ""));
	strbuf_release(&sb);
	if (errs.n > 0) {
		/* The domain's messages for the fields that passed: one
		 * round shows them all. */
		ship_zone_check(&w->shop, &z, &more);
		errs_merge(&errs, &more);
		return zone_form(w, 422, id, NULL, &errs);
	}
	rc = ship_zone_save(&w->shop, &z, &more);
	if (rc == SHOP_EINVAL) {
		errs_merge(&errs, &more);
		return zone_form(w, 422, id, NULL, &errs);
	}
	if (rc != SHOP_OK)
		return db_error(w, rc, _("This shipping zone does not exist."));
	log_info("shipping zone %lld saved", (long long)z.id);
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/shipping/%lld?saved=1", (long long)z.id));
}

static int
zone_delete(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	int		 rc;

	if ((rc = ship_zone_delete(&w->shop, id)) != SHOP_OK)
		return db_error(w, rc, _("This shipping zone does not exist."));
	log_info("shipping zone %lld deleted", (long long)id);
	return page_redirect(w, "/admin/shipping?saved=1");
}

/* --- shipping methods -------------------------------------------------- */

static int
method_form(struct web *w, int status, const struct ship_zone *z,
    const struct ship_method *sm, const struct field_errors *errs)
{
	static const char *const names[] = { "name", "cost", "min_total",
	    "bands", "position", NULL };
	json_object	*m, *f;
	int		 kind = SHIP_FLAT;

	m = admin_model(w, sm ? _("Shipping method") : _("New shipping "
	    "method"), "nav_shipping");
	jset_i64(m, "zone_id", z->id);
	jset_str(m, "zone_name", z->name);
	jset_cstr(m, "currency", base_currency(w));
	jset_cstr(m, "action", sm ? arena_printf(w->r->arena,
	    "/admin/shipping/%lld/methods/%lld", (long long)z->id,
	    (long long)sm->id) : arena_printf(w->r->arena,
	    "/admin/shipping/%lld/methods", (long long)z->id));
	if (sm != NULL)
		jset_i64(m, "id", sm->id);
	f = jset_obj(m, "f");
	if (errs != NULL) {
		raw_fields(w, f, names);
		jset_bool(f, "enabled", form_bool(&w->form, "enabled"));
		if (form_has(&w->form, "kind"))
			kind = (int)form_i64(&w->form, "kind");
	} else if (sm != NULL) {
		jset_str(f, "name", sm->name);
		jset_cstr(f, "cost", plain_money(w, sm->cost));
		jset_cstr(f, "min_total", plain_money(w, sm->min_total));
		jset_str(f, "bands", sm->bands);
		jset_i64(f, "position", sm->position);
		jset_bool(f, "enabled", sm->enabled);
		kind = sm->kind;
	} else {
		jset_cstr(f, "cost", "0");
		jset_cstr(f, "min_total", "0");
		jset_cstr(f, "position", "0");
		jset_bool(f, "enabled", 1);
	}
	errors_model(m, errs);
	enum_menu(m, "kind_options", ship_kinds, ship_kind_label_i, kind);
	return page_render(w, status, "admin/ship_method");
}

/* The zone of the route, and its method :mid when asked (it must be
 * of that zone: another zone's or shop's method is a 404). */
static int
method_route(struct web *w, struct ship_zone *z, struct ship_method *sm,
    int want_method)
{
	int rc;

	if ((rc = ship_zone_get(&w->shop, form_i64(&w->form, "id"), z)) !=
	    SHOP_OK) {
		(void)db_error(w, rc, _("This shipping zone does not exist."));
		return -1;
	}
	if (!want_method)
		return 0;
	rc = ship_method_get(&w->shop, form_i64(&w->form, "mid"), sm);
	if (rc == SHOP_OK && sm->zone_id != z->id)
		rc = SHOP_ENOTFOUND;
	if (rc != SHOP_OK) {
		(void)db_error(w, rc, _("This shipping method does not "
		    "exist."));
		return -1;
	}
	return 0;
}

static int
method_new(struct req *r)
{
	struct web		*w = web_of(r);
	struct ship_zone	 z;

	if (method_route(w, &z, NULL, 0) == -1)
		return 0;
	return method_form(w, 200, &z, NULL, NULL);
}

static int
method_edit(struct req *r)
{
	struct web		*w = web_of(r);
	struct ship_zone	 z;
	struct ship_method	 sm;

	if (method_route(w, &z, &sm, 1) == -1)
		return 0;
	return method_form(w, 200, &z, &sm, NULL);
}

static int
method_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct ship_zone	 z;
	struct ship_method	 sm, old;
	struct field_errors	 errs = w->form.errs, more = { .n = 0 };
	int			 editing = form_has(&w->form, "mid"), rc;

	if (method_route(w, &z, &old, editing) == -1)
		return 0;
	memset(&sm, 0, sizeof(sm));
	sm.id = editing ? old.id : 0;
	sm.zone_id = z.id;
	sm.kind = (enum ship_kind)form_i64(&w->form, "kind");
	sm.name = form_text(&w->form, "name");
	sm.bands = form_text(&w->form, "bands");
	sm.position = form_i64(&w->form, "position");
	sm.enabled = form_bool(&w->form, "enabled");
	read_money(w, "cost", &sm.cost, &errs);
	read_money(w, "min_total", &sm.min_total, &errs);
	if (errs.n > 0) {
		ship_method_check(&sm, &more);
		errs_merge(&errs, &more);
		return method_form(w, 422, &z, editing ? &old : NULL, &errs);
	}
	rc = ship_method_save(&w->shop, &sm, &more);
	if (rc == SHOP_EINVAL) {
		errs_merge(&errs, &more);
		return method_form(w, 422, &z, editing ? &old : NULL, &errs);
	}
	if (rc != SHOP_OK)
		return db_error(w, rc, _("This shipping method does not "
		    "exist."));
	log_info("shipping method %lld saved", (long long)sm.id);
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/shipping/%lld?saved=1", (long long)z.id));
}

static int
method_delete(struct req *r)
{
	struct web		*w = web_of(r);
	struct ship_zone	 z;
	struct ship_method	 sm;
	int			 rc;

	if (method_route(w, &z, &sm, 1) == -1)
		return 0;
	if ((rc = ship_method_delete(&w->shop, sm.id)) != SHOP_OK)
		return db_error(w, rc, _("This shipping method does not "
		    "exist."));
	log_info("shipping method %lld deleted", (long long)sm.id);
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/shipping/%lld?saved=1", (long long)z.id));
}

/* --- taxes ------------------------------------------------------------- */

static int
taxes_page(struct web *w, int status, const struct shop_settings *s,
    const struct field_errors *errs)
{
	struct tax_rate	*v;
	size_t		 n, i;
	json_object	*m, *f, *arr;
	int		 rc;

	if ((rc = tax_rates_list(&w->shop, &v, &n)) != SHOP_OK)
		return db_error(w, rc, NULL);
	m = admin_model(w, _("Taxes"), "nav_taxes");
	f = jset_obj(m, "f");
	jset_bool(f, "prices_include_tax", s->prices_include_tax);
	jset_bool(f, "tax_round_total", s->tax_round_total);
	jset_bool(f, "tax_shipping", s->tax_shipping);
	jset_str(f, "legal_details", s->legal_details);
	errors_model(m, errs);
	country_menu(w, m, "country_options", str_c(s->country),
	    _("None"));
	arr = jset_arr(m, "rates");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", v[i].id);
		jset_cstr(o, "tax_class", tax_class_label(v[i].tax_class));
		jset_cstr(o, "country", v[i].country[0] ? country_name(
		    w->r->arena, v[i].country, w->icu_locale) :
		    _("Any country"));
		jset_str(o, "region", v[i].region);
		jset_str(o, "postcodes", v[i].postcodes);
		jset_cstr(o, "rate", rate_shown(w, v[i].rate));
		jset_str(o, "name", v[i].name);
		jset_bool(o, "shipping", v[i].shipping);
	}
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Saved."));
	return page_render(w, status, "admin/taxes");
}

static int
taxes(struct req *r)
{
	struct web		*w = web_of(r);
	struct shop_settings	 s;

	if (settings_get(&w->shop, &s) != SHOP_OK)
		return page_error(w, 503, NULL);
	return taxes_page(w, 200, &s, NULL);
}

static int
tax_settings_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct shop_settings	 s;
	struct field_errors	 errs = w->form.errs, more = { .n = 0 };
	int			 rc;

	if (settings_get(&w->shop, &s) != SHOP_OK)
		return page_error(w, 503, NULL);
	s.prices_include_tax = (int)form_i64(&w->form, "prices_include_tax");
	s.tax_round_total = (int)form_i64(&w->form, "tax_round_total");
	s.tax_shipping = form_bool(&w->form, "tax_shipping");
	str_copy(s.country, sizeof(s.country),
	    form_text(&w->form, "country"));
	s.legal_details = errs.n > 0 ? page_field(w, "legal_details") :
	    form_text(&w->form, "legal_details");
	if (errs.n > 0)
		return taxes_page(w, 422, &s, &errs);
	rc = settings_save(&w->shop, &s, &more);
	if (rc == SHOP_EINVAL)
		return taxes_page(w, 422, &s, &more);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("tax settings saved");
	return page_redirect(w, "/admin/taxes?saved=1");
}

static int
rate_form(struct web *w, int status, const struct tax_rate *t,
    const struct field_errors *errs)
{
	static const char *const names[] = { "region", "postcodes", "rate",
	    "name", "position", NULL };
	json_object	*m, *f;
	struct str	 country = STR("");
	int		 cls = TAX_STANDARD;

	m = admin_model(w, t ? _("Tax rate") : _("New tax rate"),
	    "nav_taxes");
	jset_cstr(m, "action", t ? arena_printf(w->r->arena,
	    "/admin/taxes/rates/%lld", (long long)t->id) :
	    "/admin/taxes/rates");
	if (t != NULL)
		jset_i64(m, "id", t->id);
	f = jset_obj(m, "f");
	if (errs != NULL) {
		raw_fields(w, f, names);
		jset_bool(f, "shipping", form_bool(&w->form, "shipping"));
		country = form_text(&w->form, "country");
		if (form_has(&w->form, "tax_class"))
			cls = (int)form_i64(&w->form, "tax_class");
	} else if (t != NULL) {
		jset_str(f, "region", t->region);
		jset_str(f, "postcodes", t->postcodes);
		jset_cstr(f, "rate", rate_text(w, t->rate));
		jset_str(f, "name", t->name);
		jset_i64(f, "position", t->position);
		jset_bool(f, "shipping", t->shipping);
		country = str_c(arena_strdup(w->r->arena, t->country));
		cls = t->tax_class;
	} else {
		jset_cstr(f, "position", "0");
		jset_bool(f, "shipping", 1);
	}
	errors_model(m, errs);
	enum_menu(m, "class_options", tax_classes, tax_class_label_i, cls);
	country_menu(w, m, "country_options", country, _("Any country"));
	return page_render(w, status, "admin/tax_rate");
}

static int
rate_new(struct req *r)
{
	return rate_form(web_of(r), 200, NULL, NULL);
}

static int
rate_edit(struct req *r)
{
	struct web	*w = web_of(r);
	struct tax_rate	 t;
	int		 rc;

	rc = tax_rate_get(&w->shop, form_i64(&w->form, "id"), &t);
	if (rc != SHOP_OK)
		return db_error(w, rc, _("This tax rate does not exist."));
	return rate_form(w, 200, &t, NULL);
}

static int
rate_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct tax_rate		 t, old;
	struct field_errors	 errs = w->form.errs, more = { .n = 0 };
	int64_t			 id = form_i64(&w->form, "id");
	int			 rc;

	if (id && (rc = tax_rate_get(&w->shop, id, &old)) != SHOP_OK)
		return db_error(w, rc, _("This tax rate does not exist."));
	memset(&t, 0, sizeof(t));
	t.id = id;
	t.tax_class = (enum tax_class)form_i64(&w->form, "tax_class");
	str_copy(t.country, sizeof(t.country),
	    form_text(&w->form, "country"));
	t.region = form_text(&w->form, "region");
	t.postcodes = form_text(&w->form, "postcodes");
	t.name = form_text(&w->form, "name");
	t.shipping = form_bool(&w->form, "shipping");
	t.position = form_i64(&w->form, "position");
	if (form_has(&w->form, "rate") &&
	    tax_rate_parse(form_text(&w->form, "rate"), &t.rate) == -1)
		field_errors_add(&errs, "rate", N_("Enter a rate from 0 to "
		    "100 %, such as 19 or 7.25."));
	if (errs.n > 0) {
		tax_rate_check(&w->shop, &t, &more);
		errs_merge(&errs, &more);
		return rate_form(w, 422, id ? &old : NULL, &errs);
	}
	rc = tax_rate_save(&w->shop, &t, &more);
	if (rc == SHOP_EINVAL) {
		errs_merge(&errs, &more);
		return rate_form(w, 422, id ? &old : NULL, &errs);
	}
	if (rc != SHOP_OK)
		return db_error(w, rc, _("This tax rate does not exist."));
	log_info("tax rate %lld saved", (long long)t.id);
	return page_redirect(w, "/admin/taxes?saved=1");
}

static int
rate_delete(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	int		 rc;

	if ((rc = tax_rate_delete(&w->shop, id)) != SHOP_OK)
		return db_error(w, rc, _("This tax rate does not exist."));
	log_info("tax rate %lld deleted", (long long)id);
	return page_redirect(w, "/admin/taxes?saved=1");
}

/* --- payments ---------------------------------------------------------- */

/* Where Stripe must send the shop's events: its own host from the
 * configuration (as mail links), never the request's Host header. The
 * endpoint itself comes with card payments at checkout. */
static const char *
stripe_webhook_url(struct web *w)
{
	const char *port = config_get("public_port", "");

	return arena_printf(w->r->arena, "%s://%s.%s%s%s/_stripe/webhook",
	    config_get("public_scheme", "http"), w->tenant->slug,
	    config_get("platform_domain", "localhost"), *port ? ":" : "",
	    port);
}

/* The "Card payments (Stripe)" part of the page: the connection, or
 * the form to make one. The keys themselves are never shown. */
static int
stripe_model(struct web *w, json_object *m, const char *detail)
{
	struct gateway	 g;
	json_object	*o = jset_obj(m, "stripe");
	int		 rc;

	jset_cstr(o, "webhook_url", stripe_webhook_url(w));
	if (detail != NULL && detail[0] != '\0')
		jset_cstr(o, "detail", detail);
	rc = gateway_get(&w->shop, GATEWAY_STRIPE, &g);
	if (rc == SHOP_ENOTFOUND)
		return 0;
	if (rc != SHOP_OK)
		return -1;
	jset_bool(o, "connected", 1);
	/* TRANSLATORS: %1$s is Stripe's account id ("acct_1N..."), %2$s
	 * the last four characters of the secret key. */
	jset_cstr(o, "summary", arena_printf(w->r->arena, _("Connected: "
	    "account %1$s, key ending in …%2$s"),
	    arena_strndup(w->r->arena, g.account_id.p, g.account_id.len),
	    arena_strndup(w->r->arena, g.key_last4.p, g.key_last4.len)));
	jset_cstr(o, "mode", g.livemode ? _("live mode") : _("test mode"));
	jset_bool(o, "test", !g.livemode);
	jset_str(o, "name", g.account_name);
	jset_str(o, "since", g.connected_at);
	return 0;
}

/* errs are the settings form's when stripe_detail is NULL, the Stripe
 * form's otherwise (then the settings are shown as saved, not as
 * sent: that form was not sent). */
static int
payments_page(struct web *w, int status, const struct shop_settings *s,
    const struct field_errors *errs, const char *stripe_detail)
{
	json_object *m, *f;

	m = admin_model(w, _("Payments and orders"), "nav_payments");
	if (stripe_model(w, m, stripe_detail) == -1)
		return page_error(w, 503, NULL);
	f = jset_obj(m, "f");
	jset_bool(f, "pay_bacs", s->pay_bacs);
	jset_str(f, "bank_details", s->bank_details);
	jset_bool(f, "pay_cheque", s->pay_cheque);
	jset_str(f, "cheque_payee", s->cheque_payee);
	jset_bool(f, "pay_cod", s->pay_cod);
	jset_str(f, "order_email", s->order_email);
	if (errs != NULL && stripe_detail == NULL) {
		jset_str(f, "low_stock", page_field(w, "low_stock"));
		jset_str(f, "card_hold_minutes", page_field(w,
		    "card_hold_minutes"));
	} else {
		jset_i64(f, "low_stock", s->low_stock);
		jset_i64(f, "card_hold_minutes", s->card_hold_minutes);
	}
	errors_model(m, errs);
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Saved."));
	else if (form_bool(&w->form, "connected"))
		jset_cstr(m, "flash", _("Your Stripe account is connected."));
	else if (form_bool(&w->form, "disconnected"))
		jset_cstr(m, "flash", _("Your Stripe account is disconnected: "
		    "its keys are deleted from this shop."));
	return page_render(w, status, "admin/payments");
}

static int
payments(struct req *r)
{
	struct web		*w = web_of(r);
	struct shop_settings	 s;

	if (settings_get(&w->shop, &s) != SHOP_OK)
		return page_error(w, 503, NULL);
	return payments_page(w, 200, &s, NULL, NULL);
}

static int
payments_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct shop_settings	 s;
	struct field_errors	 errs = w->form.errs, more = { .n = 0 };
	int			 rc;

	if (settings_get(&w->shop, &s) != SHOP_OK)
		return page_error(w, 503, NULL);
	s.pay_bacs = form_bool(&w->form, "pay_bacs");
	s.pay_cheque = form_bool(&w->form, "pay_cheque");
	s.pay_cod = form_bool(&w->form, "pay_cod");
	s.bank_details = page_field(w, "bank_details");
	s.cheque_payee = page_field(w, "cheque_payee");
	s.order_email = page_field(w, "order_email");
	if (form_has(&w->form, "low_stock"))
		s.low_stock = form_i64(&w->form, "low_stock");
	if (form_has(&w->form, "card_hold_minutes"))
		s.card_hold_minutes = form_i64(&w->form, "card_hold_minutes");
	/* Bank transfer without an account to pay into leaves the
	 * shopper nowhere to pay. */
	if (s.pay_bacs && form_text(&w->form, "bank_details").len == 0)
		field_errors_add(&errs, "bank_details", N_("Enter the bank "
		    "details shoppers pay into, or turn bank transfer off."));
	if (errs.n > 0)
		return payments_page(w, 422, &s, &errs, NULL);
	s.bank_details = form_text(&w->form, "bank_details");
	s.cheque_payee = form_text(&w->form, "cheque_payee");
	s.order_email = form_text(&w->form, "order_email");
	rc = settings_save(&w->shop, &s, &more);
	if (rc == SHOP_EINVAL)
		return payments_page(w, 422, &s, &more, NULL);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("payment settings saved");
	return page_redirect(w, "/admin/payments?saved=1");
}

/* Connects the shop's Stripe account: the key is checked with Stripe
 * before anything is stored; the page never shows either secret again
 * (not even back in the form after an error). */
static int
stripe_connect(struct req *r)
{
	struct web		*w = web_of(r);
	struct shop_settings	 s;
	struct field_errors	 errs = w->form.errs;
	struct gateway_connect	 in;
	char			 detail[256] = "";
	int			 rc;

	if (settings_get(&w->shop, &s) != SHOP_OK)
		return page_error(w, 503, NULL);
	if (errs.n > 0)
		return payments_page(w, 422, &s, &errs, "");
	in.secret_key = form_text(&w->form, "stripe_secret_key");
	in.webhook_secret = form_text(&w->form, "stripe_webhook_secret");
	in.staff_id = w->has_staff ? w->staff.id : 0;
	rc = gateway_stripe_connect(&w->shop, &in, &errs, detail,
	    sizeof(detail));
	if (rc == SHOP_EINVAL)
		return payments_page(w, 422, &s, &errs, detail);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/admin/payments?connected=1");
}

static int
stripe_disconnect(struct req *r)
{
	struct web	*w = web_of(r);
	int		 rc = gateway_disconnect(&w->shop, GATEWAY_STRIPE);

	if (rc != SHOP_OK && rc != SHOP_ENOTFOUND)
		return page_error(w, 503, NULL);
	if (rc == SHOP_OK)
		log_info("stripe account disconnected");
	return page_redirect(w, "/admin/payments?disconnected=1");
}

/* --- coupons ----------------------------------------------------------- */

static const char *
coupon_amount_text(struct web *w, const struct coupon *c, int plain)
{
	char pct[16];

	switch (c->kind) {
	case COUPON_PERCENT:
		/* Basis points are a rate in ten-thousandths: 1250 is
		 * 12.5 %, which tax_rate_format() writes from
		 * millionths. */
		tax_rate_format((int32_t)(c->amount * 100), pct, sizeof(pct));
		return plain ? arena_strdup(w->r->arena, pct) :
		    arena_printf(w->r->arena, "%s %%",
		    rate_shown(w, (int32_t)(c->amount * 100)));
	case COUPON_FIXED:
		return plain ? plain_money(w, c->amount) :
		    page_money(w, c->amount, base_currency(w));
	default:
		return "";
	}
}

static int
coupons(struct req *r)
{
	struct web	*w = web_of(r);
	struct coupon	*v;
	size_t		 n, i;
	json_object	*m, *arr;
	int		 rc;

	if ((rc = coupons_list(&w->shop, &v, &n)) != SHOP_OK)
		return db_error(w, rc, NULL);
	m = admin_model(w, _("Coupons"), "nav_coupons");
	arr = jset_arr(m, "coupons");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", v[i].id);
		jset_str(o, "code", v[i].code);
		jset_cstr(o, "kind", coupon_kind_label(v[i].kind));
		jset_cstr(o, "amount", coupon_amount_text(w, &v[i], 0));
		if (v[i].min_spend > 0)
			jset_cstr(o, "min_spend", page_money(w,
			    v[i].min_spend, base_currency(w)));
		jset_str(o, "expires_on", v[i].expires_on);
		jset_i64(o, "used", v[i].used);
		if (v[i].usage_limit > 0)
			jset_i64(o, "usage_limit", v[i].usage_limit);
		jset_bool(o, "active", v[i].active);
		jset_cstr(o, "status", !v[i].active ? _("Off") :
		    v[i].expired ? _("Expired") : (v[i].usage_limit > 0 &&
		    v[i].used >= v[i].usage_limit) ? _("Used up") :
		    _("Active"));
	}
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Saved."));
	return page_render(w, 200, "admin/coupons");
}

static int
coupon_form(struct web *w, int status, const struct coupon *c,
    const struct field_errors *errs)
{
	static const char *const names[] = { "code", "amount", "min_spend",
	    "expires_on", "product_ids", "category_ids", "usage_limit",
	    "per_customer", NULL };
	json_object	*m, *f;
	int		 kind = COUPON_PERCENT;

	m = admin_model(w, c ? _("Coupon") : _("New coupon"), "nav_coupons");
	jset_cstr(m, "action", c ? arena_printf(w->r->arena,
	    "/admin/coupons/%lld", (long long)c->id) : "/admin/coupons");
	jset_cstr(m, "currency", base_currency(w));
	/* TRANSLATORS: %s is a currency code, "EUR". */
	jset_cstr(m, "amount_hint", arena_printf(w->r->arena, _("A "
	    "percentage (10 or 12.5), or an amount in %s. Nothing for free "
	    "shipping."), base_currency(w)));
	if (c != NULL) {
		jset_i64(m, "id", c->id);
		jset_i64(m, "used", c->used);
		jset_bool(m, "active", c->active);
	}
	f = jset_obj(m, "f");
	if (errs != NULL) {
		raw_fields(w, f, names);
		jset_bool(f, "active", form_bool(&w->form, "active"));
		if (form_has(&w->form, "kind"))
			kind = (int)form_i64(&w->form, "kind");
	} else if (c != NULL) {
		jset_str(f, "code", c->code);
		jset_cstr(f, "amount", coupon_amount_text(w, c, 1));
		jset_cstr(f, "min_spend", plain_money(w, c->min_spend));
		jset_str(f, "expires_on", c->expires_on);
		jset_str(f, "product_ids", c->product_ids);
		jset_str(f, "category_ids", c->category_ids);
		jset_i64(f, "usage_limit", c->usage_limit);
		jset_i64(f, "per_customer", c->per_customer);
		jset_bool(f, "active", c->active);
		kind = c->kind;
	} else {
		jset_cstr(f, "min_spend", "0");
		jset_cstr(f, "usage_limit", "0");
		jset_cstr(f, "per_customer", "0");
		jset_bool(f, "active", 1);
	}
	errors_model(m, errs);
	enum_menu(m, "kind_options", coupon_kinds, coupon_kind_label_i, kind);
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Saved."));
	return page_render(w, status, "admin/coupon");
}

static int
coupon_new(struct req *r)
{
	return coupon_form(web_of(r), 200, NULL, NULL);
}

static int
coupon_edit(struct req *r)
{
	struct web	*w = web_of(r);
	struct coupon	 c;
	int		 rc;

	rc = coupon_get(&w->shop, form_i64(&w->form, "id"), &c);
	if (rc != SHOP_OK)
		return db_error(w, rc, _("This coupon does not exist."));
	return coupon_form(w, 200, &c, NULL);
}

/* The amount field as the kind reads it: a percentage in basis points
 * or money in minor units. */
static void
coupon_amount(struct web *w, struct coupon *c, struct field_errors *errs)
{
	struct str s = form_text(&w->form, "amount");

	c->amount = 0;
	if (c->kind == COUPON_FREE_SHIPPING || !form_has(&w->form, "kind"))
		return;
	if (c->kind == COUPON_PERCENT ?
	    coupon_percent_parse(s, &c->amount) == -1 :
	    money_parse(s, base_currency(w), &c->amount) == -1 ||
	    c->amount <= 0)
		field_errors_add(errs, "amount", c->kind == COUPON_PERCENT ?
		    N_("Enter a percentage over 0 and at most 100, such as 10 "
		    "or 12.5.") : N_("Enter an amount over 0, under ten "
		    "million."));
}

static int
coupon_save_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct coupon		 c, old;
	struct field_errors	 errs = w->form.errs, more = { .n = 0 };
	int64_t			 id = form_i64(&w->form, "id");
	int			 rc;

	if (id && (rc = coupon_get(&w->shop, id, &old)) != SHOP_OK)
		return db_error(w, rc, _("This coupon does not exist."));
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.code = form_text(&w->form, "code");
	c.kind = (enum coupon_kind)form_i64(&w->form, "kind");
	c.expires_on = form_text(&w->form, "expires_on");
	c.product_ids = form_text(&w->form, "product_ids");
	c.category_ids = form_text(&w->form, "category_ids");
	c.usage_limit = form_i64(&w->form, "usage_limit");
	c.per_customer = form_i64(&w->form, "per_customer");
	c.active = form_bool(&w->form, "active");
	coupon_amount(w, &c, &errs);
	read_money(w, "min_spend", &c.min_spend, &errs);
	if (errs.n > 0) {
		coupon_check(&w->shop, &c, &more);
		errs_merge(&errs, &more);
		return coupon_form(w, 422, id ? &old : NULL, &errs);
	}
	rc = coupon_save(&w->shop, &c, &more);
	if (rc == SHOP_EINVAL) {
		errs_merge(&errs, &more);
		return coupon_form(w, 422, id ? &old : NULL, &errs);
	}
	if (rc != SHOP_OK)
		return db_error(w, rc, _("This coupon does not exist."));
	log_info("coupon %lld saved", (long long)c.id);
	return page_redirect(w, "/admin/coupons?saved=1");
}

static int
coupon_active(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	int		 rc;

	rc = coupon_set_active(&w->shop, id, form_bool(&w->form, "active"));
	if (rc != SHOP_OK)
		return db_error(w, rc, _("This coupon does not exist."));
	log_info("coupon %lld turned %s", (long long)id,
	    form_bool(&w->form, "active") ? "on" : "off");
	return page_redirect(w, "/admin/coupons?saved=1");
}

/* --- routes ------------------------------------------------------------ */

static const struct field zone_get_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "saved", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

static const struct field payments_get_fields[] = {
	{ "saved", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ "connected", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ "disconnected", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

#define FE	(AUTH | ROUTE_FORM_ERRORS)

const struct route admin_sales_routes[] = {
	{ HTTP_GET, "/admin/shipping", zones, AUTH | ADMIN_PERM(PERM_SHIPPING),
	    saved_fields },
	{ HTTP_GET, "/admin/shipping/new", zone_new,
	    AUTH | ADMIN_PERM(PERM_SHIPPING), NULL },
	{ HTTP_POST, "/admin/shipping", zone_save,
	    FE | ADMIN_PERM(PERM_SHIPPING), zone_fields },
	{ HTTP_GET, "/admin/shipping/:id", zone_edit,
	    AUTH | ADMIN_PERM(PERM_SHIPPING), zone_get_fields },
	{ HTTP_POST, "/admin/shipping/:id", zone_save,
	    FE | ADMIN_PERM(PERM_SHIPPING), zone_fields },
	{ HTTP_POST, "/admin/shipping/:id/delete", zone_delete,
	    AUTH | ADMIN_PERM(PERM_SHIPPING),
	    id_fields },
	{ HTTP_GET, "/admin/shipping/:id/methods/new", method_new,
	    AUTH | ADMIN_PERM(PERM_SHIPPING),
	    id_fields },
	{ HTTP_POST, "/admin/shipping/:id/methods", method_save,
	    FE | ADMIN_PERM(PERM_SHIPPING),
	    method_fields },
	{ HTTP_GET, "/admin/shipping/:id/methods/:mid", method_edit,
	    AUTH | ADMIN_PERM(PERM_SHIPPING),
	    method_id_fields },
	{ HTTP_POST, "/admin/shipping/:id/methods/:mid", method_save,
	    FE | ADMIN_PERM(PERM_SHIPPING),
	    method_fields },
	{ HTTP_POST, "/admin/shipping/:id/methods/:mid/delete", method_delete,
	    AUTH | ADMIN_PERM(PERM_SHIPPING), method_id_fields },
	{ HTTP_GET, "/admin/taxes", taxes, AUTH | ADMIN_PERM(PERM_SHIPPING),
	    saved_fields },
	{ HTTP_POST, "/admin/taxes", tax_settings_save,
	    FE | ADMIN_PERM(PERM_SHIPPING),
	    tax_settings_fields },
	{ HTTP_GET, "/admin/taxes/rates/new", rate_new,
	    AUTH | ADMIN_PERM(PERM_SHIPPING), NULL },
	{ HTTP_POST, "/admin/taxes/rates", rate_save,
	    FE | ADMIN_PERM(PERM_SHIPPING), rate_fields },
	{ HTTP_GET, "/admin/taxes/rates/:id", rate_edit,
	    AUTH | ADMIN_PERM(PERM_SHIPPING), id_fields },
	{ HTTP_POST, "/admin/taxes/rates/:id", rate_save,
	    FE | ADMIN_PERM(PERM_SHIPPING), rate_fields },
	{ HTTP_POST, "/admin/taxes/rates/:id/delete", rate_delete,
	    AUTH | ADMIN_PERM(PERM_SHIPPING),
	    id_fields },
	{ HTTP_POST, "/admin/payments", payments_save,
	    FE | ADMIN_PERM(PERM_PAYMENTS), payments_fields },
	{ HTTP_GET, "/admin/payments", payments,
	    AUTH | ADMIN_PERM(PERM_PAYMENTS), payments_get_fields },
	{ HTTP_POST, "/admin/payments/stripe", stripe_connect,
	    FE | ADMIN_PERM(PERM_PAYMENTS),
	    stripe_fields },
	{ HTTP_POST, "/admin/payments/stripe/disconnect", stripe_disconnect,
	    AUTH | ADMIN_PERM(PERM_PAYMENTS), NULL },
	{ HTTP_GET, "/admin/coupons", coupons, AUTH | ADMIN_PERM(PERM_COUPONS),
	    saved_fields },
	{ HTTP_GET, "/admin/coupons/new", coupon_new,
	    AUTH | ADMIN_PERM(PERM_COUPONS), NULL },
	{ HTTP_POST, "/admin/coupons", coupon_save_post,
	    FE | ADMIN_PERM(PERM_COUPONS), coupon_fields },
	{ HTTP_GET, "/admin/coupons/:id", coupon_edit,
	    AUTH | ADMIN_PERM(PERM_COUPONS), id_fields },
	{ HTTP_POST, "/admin/coupons/:id", coupon_save_post,
	    FE | ADMIN_PERM(PERM_COUPONS),
	    coupon_fields },
	{ HTTP_POST, "/admin/coupons/:id/active", coupon_active,
	    AUTH | ADMIN_PERM(PERM_COUPONS),
	    coupon_active_fields },
};

const size_t admin_sales_nroutes = NELEM(admin_sales_routes);
