/* notify.c: a shop's transactional e-mail of a job (see notify.h). */
#include "core/common.h"

#include <dirent.h>
#include <json.h>
#include <time.h>
#include "core/config.h"
#include "core/country.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "core/tmpl.h"
#include "core/tz.h"
#include "platform/jobs.h"
#include "platform/mail.h"
#include "platform/tenant.h"
#include "shop/notify.h"
#include "shop/order.h"
#include "shop/refund.h"
#include "shop/rma.h"
#include "shop/settings.h"
#include "shop/shop.h"

enum kind {
	K_RECEIVED,
	K_NEW,
	K_PAID,
	K_SHIPPED,
	K_CANCELLED,
	K_REFUNDED,
	K_RET_REQUESTED,
	K_RET_APPROVED,
	K_RET_REFUSED,
	K_RET_RECEIVED,
	K_ACCOUNT,
	K_RESET,
	K_EMAIL,
	K_INVITE,
	K__MAX
};

/* The job kind and its templates' name under mail/. */
static const struct {
	const char	*kind;
	const char	*tmpl;
} kinds[K__MAX] = {
	[K_RECEIVED] = { NOTIFY_ORDER_RECEIVED, "order_received" },
	[K_NEW] = { NOTIFY_ORDER_NEW, "order_new" },
	[K_PAID] = { NOTIFY_ORDER_PAID, "order_paid" },
	[K_SHIPPED] = { NOTIFY_ORDER_SHIPPED, "order_shipped" },
	[K_CANCELLED] = { NOTIFY_ORDER_CANCELLED, "order_cancelled" },
	[K_REFUNDED] = { NOTIFY_ORDER_REFUNDED, "order_refunded" },
	[K_RET_REQUESTED] = { NOTIFY_RETURN_REQUESTED, "return_requested" },
	[K_RET_APPROVED] = { NOTIFY_RETURN_APPROVED, "return_approved" },
	[K_RET_REFUSED] = { NOTIFY_RETURN_REFUSED, "return_refused" },
	[K_RET_RECEIVED] = { NOTIFY_RETURN_RECEIVED, "return_received" },
	[K_ACCOUNT] = { NOTIFY_ACCOUNT_CREATED, "account_created" },
	[K_RESET] = { NOTIFY_PASSWORD_RESET, "password_reset" },
	[K_EMAIL] = { NOTIFY_EMAIL_CHANGE, "email_change" },
	[K_INVITE] = { NOTIFY_STAFF_INVITE, "staff_invite" },
};

enum stmt {
	ST_INVITE,
	ST_CUSTOMER,
	ST_OWNER,
	ST_EMAIL_TAKEN,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	/* An invitation and who sent it (shop/staff_invite.h). */
	[ST_INVITE] = { "notify.invite",
	    "SELECT i.email, i.role, i.locale, IFNULL(s.email, '')"
	    " FROM souk_staff_invites i LEFT JOIN {p}staff s"
	    " ON s.id = i.invited_by WHERE i.id = ? AND i.tenant_id = ?"
	    " AND i.expires_at > UTC_TIMESTAMP()" },
	[ST_CUSTOMER] = { "notify.customer",
	    "SELECT email, name, locale, COALESCE(new_email, '')"
	    " FROM {p}customers WHERE id = ?" },
	/* Whether a new address asked for has an account already. */
	[ST_EMAIL_TAKEN] = { "notify.email_taken",
	    "SELECT COUNT(*) FROM {p}customers WHERE email = ?" },
	/* The merchant, when the settings name no order_email. */
	[ST_OWNER] = { "notify.owner",
	    "SELECT email FROM {p}staff WHERE role = 'owner' ORDER BY id"
	    " LIMIT 1" },
};


/* The merchant's order page, in the shop's admin (web/admin_orders.c),
 * and the shopper's: in their account, or a guest's by its access key
 * (web/orders.c). */
#define ADMIN_ORDER_PATH	"admin/orders/%lld"
#define ACCOUNT_ORDER_PATH	"account/orders/%lld"
#define GUEST_ORDER_PATH	"order/%lld?key=%.*s"
#define INVOICE_PATH		"order/%lld/invoice?key=%.*s"
#define RESET_URL_MAX		2000
#define TAX_RATES_MAX		8

/* What one render works with; everything lives in ctx->a. */
struct render {
	struct shop_ctx		*ctx;
	const struct tenant	*t;
	enum kind		 kind;
	const char		*lang;		/* the recipient's */
	const char		*icu;		/* its ICU locale */
	const char		*shop_url;	/* "http://a.localhost/" */
	char			*to;
	char			*err;
	size_t			 errlen;
	json_object		*m;		/* the view model */
	int64_t			 refund_id;	/* K_REFUNDED's */
	int64_t			 return_id;	/* K_RET_*'s */
	int			 merchant;	/* K_RET_REQUESTED's copy */
};

int
notify_kind_known(const char *kind)
{
	size_t i;

	for (i = 0; i < K__MAX; i++)
		if (strcmp(kind, kinds[i].kind) == 0)
			return 1;
	return 0;
}

/* ---- templates */

/* Reads path (at most TMPL_MAX_FILE bytes) into sb; 0 or -1. */
static int
read_file(const char *path, struct strbuf *sb)
{
	FILE	*f = fopen(path, "rb");
	char	 buf[8192];
	size_t	 n;

	if (f == NULL)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 &&
	    sb->len + n <= TMPL_MAX_FILE)
		strbuf_add(sb, buf, n);
	n = ferror(f) || !feof(f);
	fclose(f);
	return n ? -1 : 0;
}

/*
 * Parses every .html and .txt file of dir into set: "x.html" as
 * "mail/x" (the name the web's template set gives it too, so its
 * partials resolve in both), "x.txt" as "mail/x.txt". 0, or -1 with
 * err (no folder: ENOENT in errno).
 */
static int
load_dir(struct tmpl_set *set, const char *dir, char *err, size_t errlen)
{
	struct strbuf	 path = STRBUF_INIT, src = STRBUF_INIT;
	struct dirent	*e;
	DIR		*d;
	char		 name[300];
	int		 rc = 0;

	if ((d = opendir(dir)) == NULL) {
		str_errf(err, errlen, "cannot open '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t	n = strlen(e->d_name);
		int	html, w;

		html = n > 5 && strcmp(e->d_name + n - 5, ".html") == 0;

		if (e->d_name[0] == '.' || (!html && (n <= 4 ||
		    strcmp(e->d_name + n - 4, ".txt") != 0)))
			continue;
		w = snprintf(name, sizeof(name), "mail/%.*s",
		    (int)(html ? n - 5 : n), e->d_name);
		if (w < 0 || (size_t)w >= sizeof(name))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, e->d_name);
		strbuf_reset(&src);
		if (read_file(path.buf, &src) == -1) {
			str_errf(err, errlen, "cannot read '%s'", path.buf);
			rc = -1;
		} else if (tmpl_parse_string(set, name, src.buf, src.len, err,
		    errlen) == -1)
			rc = -1;
	}
	closedir(d);
	strbuf_release(&path);
	strbuf_release(&src);
	return rc;
}

/* The set of theme, loaded at first use; NULL with err. */
static struct tmpl_set *
templates(struct notify *n, const char *theme, char *err, size_t errlen)
{
	struct tmpl_set	*set;
	char		 dir[1024];
	size_t		 i;
	int		 w;

	if (theme == NULL || theme[0] == '\0' || strchr(theme, '/') != NULL ||
	    strlen(theme) >= sizeof(n->theme[0]))
		theme = "default";
	for (i = 0; i < n->n; i++)
		if (strcmp(n->theme[i], theme) == 0)
			return n->set[i];
	w = snprintf(dir, sizeof(dir), "%s/%s/templates/mail",
	    config_get("themes_dir", "themes"), theme);
	if (w < 0 || (size_t)w >= sizeof(dir)) {
		str_errf(err, errlen, "themes_dir too long");
		return NULL;
	}
	set = tmpl_set_new();
	if (load_dir(set, dir, err, errlen) == -1 ||
	    !tmpl_exists(set, "mail/order_received")) {
		tmpl_set_free(set);
		/* A theme without mail templates mails as the default. */
		if (strcmp(theme, "default") != 0)
			return templates(n, "default", err, errlen);
		if (err[0] == '\0')
			str_errf(err, errlen, "no mail templates in '%s'", dir);
		return NULL;
	}
	if (n->n == NOTIFY_THEMES) {
		/* Full: the newest slot gives way (a handful of themes). */
		tmpl_set_free(n->set[--n->n]);
	}
	str_copy(n->theme[n->n], sizeof(n->theme[0]), str_c(theme));
	n->set[n->n] = set;
	return n->set[n->n++];
}

void
notify_free(struct notify *n)
{
	size_t i;

	for (i = 0; i < n->n; i++)
		tmpl_set_free(n->set[i]);
	n->n = 0;
}

/* ---- the view model */

static void
put(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void
putv(json_object *o, const char *k, struct str v)
{
	json_object_object_add(o, k, json_object_new_string_len(v.p ? v.p :
	    "", (int)v.len));
}

/* printf into the render's arena. */
static const char *fmt(struct render *r, const char *f, ...)
	__attribute__((format(printf, 2, 3)));

static const char *
fmt(struct render *r, const char *f, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	const char	*s;
	va_list		ap;

	va_start(ap, f);
	strbuf_vaddf(&sb, f, ap);
	va_end(ap);
	s = arena_strndup(r->ctx->a, sb.buf ? sb.buf : "", sb.len);
	strbuf_release(&sb);
	return s;
}

/* A view of a struct str as a C string in the arena. */
static const char *
cs(struct render *r, struct str s)
{
	return arena_strndup(r->ctx->a, s.p ? s.p : "", s.len);
}

/* amount of currency, as the recipient's language writes it. */
static const char *
money(struct render *r, int64_t amount, struct str currency)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*code = cs(r, currency), *s;

	if (money_format(&sb, amount, code, r->icu) == -1) {
		char plain[MONEY_PLAIN_MAX];

		if (money_format_plain(amount, code, plain, sizeof(plain)) < 0)
			plain[0] = '\0';
		strbuf_addf(&sb, "%s %s", plain, code);
	}
	s = arena_strndup(r->ctx->a, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

/* A rate in millionths as "19 %" or "7,25 %" in the language. */
static const char *
rate(struct render *r, int32_t millionths)
{
	char	frac[8];
	int	n, dec = strcmp(r->lang, "en") != 0 && strcmp(r->lang, "ja")
	    != 0;

	n = snprintf(frac, sizeof(frac), "%04d", (int)(millionths % 10000));
	if (n < 0 || (size_t)n >= sizeof(frac))
		frac[0] = '\0';
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	/* TRANSLATORS: a tax rate: %s is the number, "19" or "7,25". */
	return fmt(r, _("%s %%"), frac[0] ? fmt(r, "%d%c%s",
	    (int)(millionths / 10000), dec ? ',' : '.', frac) : fmt(r, "%d",
	    (int)(millionths / 10000)));
}

/* "YYYY-MM-DD HH:MM:SS" UTC as a long date in the language. */
static const char *
date(struct render *r, struct str at)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct tm	 tm;
	char		 buf[20];
	const char	*s;

	memset(&tm, 0, sizeof(tm));
	str_copy(buf, sizeof(buf), at);
	if (sscanf(buf, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return cs(r, at);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	/* The date on the shop's clock: an order of 23:30 UTC is of the
	 * next day in Tokyo. */
	if (money_format_date(&sb, timegm(&tm), r->icu, MONEY_DATE_LONG,
	    r->ctx->time_zone != NULL && tz_known(str_c(r->ctx->time_zone)) ?
	    r->ctx->time_zone : NULL) == -1) {
		strbuf_release(&sb);
		return cs(r, at);
	}
	s = arena_strndup(r->ctx->a, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

/* An address as its lines, empty ones left out. */
static json_object *
address_lines(struct render *r, const struct address *ad)
{
	json_object	*a = json_object_new_array();
	struct str	 parts[] = { ad->name, ad->company, ad->line1,
	    ad->line2 };
	size_t		 i;

	for (i = 0; i < NELEM(parts); i++)
		if (parts[i].len > 0)
			json_object_array_add(a, json_object_new_string_len(
			    parts[i].p, (int)parts[i].len));
	if (ad->postcode.len > 0 || ad->city.len > 0)
		json_object_array_add(a, json_object_new_string(fmt(r,
		    "%.*s%s%.*s", (int)ad->postcode.len, ad->postcode.p ?
		    ad->postcode.p : "", ad->postcode.len && ad->city.len ?
		    " " : "", (int)ad->city.len, ad->city.p ? ad->city.p :
		    "")));
	if (ad->region.len > 0)
		json_object_array_add(a, json_object_new_string_len(
		    ad->region.p, (int)ad->region.len));
	if (country_valid(ad->country))
		json_object_array_add(a, json_object_new_string(country_name(
		    r->ctx->a, cs(r, ad->country), r->icu)));
	return a;
}

static const char *
payment_label(struct str method)
{
	if (str_eqc(method, "bacs"))
		return _("Bank transfer");
	if (str_eqc(method, "cheque"))
		return _("Cheque");
	if (str_eqc(method, "cod"))
		return _("Cash on delivery");
	return NULL;
}

static void
row(json_object *rows, const char *label, const char *amount)
{
	json_object *o = json_object_new_object();

	put(o, "label", label);
	put(o, "amount", amount);
	json_object_array_add(rows, o);
}

/* The tax rows: one per rate of the lines, and shipping's; the total
 * alone when rounding on the total makes the parts differ from it. */
static void
tax_rows(struct render *r, const struct order *o, json_object *rows)
{
	int32_t	 rates[TAX_RATES_MAX];
	int64_t	 sums[TAX_RATES_MAX], lines = 0;
	size_t	 i, j, n = 0;

	if (o->tax == 0)
		return;
	for (i = 0; i < o->nlines; i++) {
		lines += o->lines[i].tax;
		for (j = 0; j < n && rates[j] != o->lines[i].tax_rate; j++)
			;
		if (j == n) {
			if (n == TAX_RATES_MAX)
				break;
			rates[n] = o->lines[i].tax_rate;
			sums[n++] = 0;
		}
		sums[j] += o->lines[i].tax;
	}
	if (i < o->nlines || lines + o->shipping_tax != o->tax) {
		row(rows, o->prices_include_tax ? _("incl. tax") : _("Tax"),
		    money(r, o->tax, o->currency));
		return;
	}
	for (j = 0; j < n; j++)
		if (sums[j] != 0)
			row(rows, o->prices_include_tax ?
			    /* TRANSLATORS: tax included in prices; %s is
			     * its rate, "19 %". */
			    fmt(r, _("incl. tax %s"), rate(r, rates[j])) :
			    /* TRANSLATORS: tax added to prices; %s is its
			     * rate, "7.25 %". */
			    fmt(r, _("Tax %s"), rate(r, rates[j])),
			    money(r, sums[j], o->currency));
	if (o->shipping_tax != 0)
		row(rows, o->prices_include_tax ? _("incl. tax on shipping") :
		    _("Tax on shipping"), money(r, o->shipping_tax,
		    o->currency));
}

/* The order's summary: lines, totals with taxes, addresses, methods. */
static json_object *
order_model(struct render *r, const struct order *o)
{
	json_object	*m = json_object_new_object(), *lines, *rows, *taxes;
	size_t		 i;
	const char	*pay = payment_label(o->payment_method);

	/* TRANSLATORS: %lld is the order's number, 1001. */
	put(m, "number_label", fmt(r, _("Order %lld"), (long long)o->number));
	put(m, "number", fmt(r, "%lld", (long long)o->number));
	put(m, "date_label", _("Order date"));
	put(m, "date", date(r, o->created_at));
	put(m, "product_label", _("Product"));
	put(m, "qty_label", _("Quantity"));
	put(m, "total_label", _("Total"));
	lines = json_object_new_array();
	for (i = 0; i < o->nlines; i++) {
		const struct order_line	*l = &o->lines[i];
		json_object		*x = json_object_new_object();

		putv(x, "name", l->name);
		putv(x, "variant", l->variant);
		putv(x, "sku", l->sku);
		put(x, "qty", fmt(r, "%lld", (long long)l->qty));
		put(x, "unit", money(r, l->unit_price, o->currency));
		/* As entered: with tax when prices include it. */
		put(x, "total", money(r, l->subtotal, o->currency));
		json_object_array_add(lines, x);
	}
	json_object_object_add(m, "lines", lines);
	rows = json_object_new_array();
	row(rows, _("Subtotal"), money(r, o->subtotal, o->currency));
	if (o->discount != 0)
		row(rows, o->coupon_code.len > 0 ?
		    /* TRANSLATORS: %s is the coupon's code. */
		    fmt(r, _("Discount (%s)"), cs(r, o->coupon_code)) :
		    _("Discount"), money(r, -o->discount, o->currency));
	if (o->ship_kind.len > 0 || o->shipping != 0)
		row(rows, o->ship_method.len > 0 ? fmt(r, "%s (%s)",
		    _("Shipping"), cs(r, o->ship_method)) : _("Shipping"),
		    money(r, o->shipping, o->currency));
	taxes = json_object_new_array();
	tax_rows(r, o, o->prices_include_tax ? taxes : rows);
	json_object_object_add(m, "rows", rows);
	json_object_object_add(m, "taxes", taxes);
	put(m, "total", money(r, o->total, o->currency));
	/* The shopper browsed in another currency: what they saw. */
	if (o->display_currency.len > 0 &&
	    !str_eq(o->display_currency, o->currency))
		put(m, "converted", fmt(r, _("About %s at the exchange rate "
		    "of your order; you pay the amount in %s."),
		    money(r, o->display_total, o->display_currency),
		    cs(r, o->currency)));
	if (pay != NULL) {
		put(m, "payment_label", _("Payment"));
		put(m, "payment", pay);
	}
	if (o->ship.line1.len > 0 || o->ship.name.len > 0) {
		put(m, "ship_label", _("Shipping address"));
		json_object_object_add(m, "ship", address_lines(r, &o->ship));
	} else if (str_eqc(o->ship_kind, "pickup")) {
		put(m, "ship_label", _("Shipping"));
		json_object_object_add(m, "ship", json_object_new_array());
	}
	if (o->bill.line1.len > 0 || o->bill.name.len > 0) {
		put(m, "bill_label", _("Billing address"));
		json_object_object_add(m, "bill", address_lines(r, &o->bill));
	}
	return m;
}

/* The text of s split into its non-empty lines, as an array. */
static json_object *
split_lines(struct str s)
{
	json_object	*a = json_object_new_array();
	size_t		 i = 0, j;

	while (i < s.len) {
		for (j = i; j < s.len && s.p[j] != '\n'; j++)
			;
		{
			struct str l = str_trim((struct str){ s.p + i,
			    j - i });

			if (l.len > 0)
				json_object_array_add(a,
				    json_object_new_string_len(l.p,
				    (int)l.len));
		}
		i = j + 1;
	}
	return a;
}

static void
intro(struct render *r, const char *para)
{
	json_object *a;

	if (!json_object_object_get_ex(r->m, "intro", &a)) {
		a = json_object_new_array();
		json_object_object_add(r->m, "intro", a);
	}
	json_object_array_add(a, json_object_new_string(para));
}

static void
cta(struct render *r, const char *label, const char *url)
{
	json_object *o = json_object_new_object();

	put(o, "label", label);
	put(o, "url", url);
	put(o, "fallback", _("If the button does not work, copy this link "
	    "into your browser:"));
	json_object_object_add(r->m, "cta", o);
}

static enum notify_result
fail(struct render *r, enum notify_result rc, const char *fmt_, ...)
	__attribute__((format(printf, 3, 4)));

static enum notify_result
fail(struct render *r, enum notify_result rc, const char *fmt_, ...)
{
	va_list ap;
	int	n;

	va_start(ap, fmt_);
	n = vsnprintf(r->err, r->errlen, fmt_, ap);
	va_end(ap);
	if (n < 0 && r->errlen > 0)
		r->err[0] = '\0';
	return rc;
}

/* Switches gettext and money to lang, else the shop's default. */
static void
language(struct render *r, struct str lang)
{
	const char *l = cs(r, lang);

	if (!i18n_supported(l))
		l = i18n_supported(r->t->default_locale) ?
		    r->t->default_locale : "en";
	r->lang = i18n_set_language(l);
	r->icu = i18n_icu_locale(r->lang);
	put(r->m, "lang", r->lang);
}

static enum notify_result
recipient(struct render *r, struct str email)
{
	str_copy(r->to, NOTIFY_TO_MAX + 1, email);
	if (email.len == 0)
		return fail(r, NOTIFY_BURY, "no e-mail address to send to");
	if (email.len > NOTIFY_TO_MAX || !mail_addr_ok(r->to))
		return fail(r, NOTIFY_BURY, "address '%.*s' cannot be mailed "
		    "(not a plain ASCII addr-spec)", (int)email.len, email.p);
	return NOTIFY_OK;
}

/* The merchant's address: the settings' order_email, else the owner. */
static enum notify_result
merchant(struct render *r, const struct shop_settings *s)
{
	struct db_stmt	*st;
	struct str	 email = s->order_email;
	int		 rc;

	if (email.len == 0) {
		if ((st = shop_stmt(r->ctx, &sql[ST_OWNER])) == NULL ||
		    shop_exec(r->ctx, st) != SHOP_OK)
			return fail(r, NOTIFY_RETRY, "cannot read the owner");
		if ((rc = db_step(st)) == 1)
			email = db_col_str(st, 0);
		db_done(st);
		if (rc == -1)
			return fail(r, NOTIFY_RETRY, "cannot read the owner");
	}
	return recipient(r, email);
}

/* The payment instructions of a new order: bank details, payee. */
static void
payment_notes(struct render *r, const struct order *o,
    const struct shop_settings *s)
{
	json_object *b;

	if (str_eqc(o->payment_method, "bacs")) {
		b = json_object_new_object();
		put(b, "title", _("Bank details"));
		json_object_object_add(b, "lines", split_lines(
		    s->bank_details));
		put(b, "reference_label", _("Reference"));
		put(b, "reference", fmt(r, _("Order %lld"),
		    (long long)o->number));
		put(b, "amount_label", _("Amount"));
		put(b, "amount", money(r, o->total, o->currency));
		json_object_object_add(r->m, "bank", b);
		intro(r, _("Please transfer the total to the account below, "
		    "with the order number as the reference. We send your "
		    "order as soon as the payment has arrived."));
	} else if (str_eqc(o->payment_method, "cheque")) {
		if (s->cheque_payee.len > 0)
			/* TRANSLATORS: %s is who cheques are made out to. */
			intro(r, fmt(r, _("Please send us a cheque for the "
			    "total, payable to %s. We send your order as soon "
			    "as it has arrived."), cs(r, s->cheque_payee)));
		else
			intro(r, _("Please send us a cheque for the total. We "
			    "send your order as soon as it has arrived."));
	} else if (str_eqc(o->payment_method, "cod"))
		intro(r, _("You pay the total in cash when the parcel is "
		    "delivered."));
}

static int	url_ok(const char *u);

/* The shopper's link to the order: their account's page, or a
 * guest's by its key. */
static void
view_order(struct render *r, const struct order *o)
{
	cta(r, _("View your order"), o->customer_id > 0 ?
	    fmt(r, "%s" ACCOUNT_ORDER_PATH, r->shop_url, (long long)o->number) :
	    fmt(r, "%s" GUEST_ORDER_PATH, r->shop_url, (long long)o->number,
	    (int)o->access_key.len, o->access_key.p ? o->access_key.p : ""));
}

static void
greeting(struct render *r, struct str name)
{
	if (name.len > 0)
		/* TRANSLATORS: %s is the shopper's name. */
		intro(r, fmt(r, _("Hello %s,"), cs(r, name)));
	else
		intro(r, _("Hello,"));
}

/* The amount of the job's refund of o, formatted, into *out. */
static enum notify_result
refund_amount(struct render *r, const struct order *o, const char **out)
{
	struct refund	*v;
	size_t		 n, i;

	if (refund_list(r->ctx, o->id, &v, &n) != SHOP_OK)
		return fail(r, NOTIFY_RETRY, "cannot read the refunds");
	for (i = 0; i < n; i++)
		if (v[i].id == r->refund_id) {
			*out = money(r, v[i].amount, o->currency);
			return NOTIFY_OK;
		}
	return fail(r, NOTIFY_BURY, "order %lld has no refund %lld",
	    (long long)o->number, (long long)r->refund_id);
}

/* The return's lines, reason and notes under "rma". */
static void
return_model(struct render *r, const struct rma *x)
{
	json_object	*m = json_object_new_object(), *lines;
	size_t		 i;

	put(m, "lines_label", _("Items to return"));
	lines = json_object_new_array();
	for (i = 0; i < x->nlines; i++) {
		json_object *l = json_object_new_object();

		putv(l, "name", x->lines[i].name);
		putv(l, "variant", x->lines[i].variant);
		put(l, "qty", fmt(r, "%lld", (long long)x->lines[i].qty));
		json_object_array_add(lines, l);
	}
	json_object_object_add(m, "lines", lines);
	put(m, "reason_label", _("Reason"));
	put(m, "reason", _(rma_reason_label(x->reason)));
	if (x->note.len > 0) {
		put(m, "note_label", _("Your note"));
		putv(m, "note", x->note);
	}
	if (x->merchant_note.len > 0 && x->status != RMA_REQUESTED) {
		put(m, "reply_label", _("Our note"));
		putv(m, "reply", x->merchant_note);
	}
	json_object_object_add(r->m, "rma", m);
}

/* A return's mail (shop/rma.h): to the shopper, or the merchant's copy
 * of a request. */
static enum notify_result
return_mail(struct render *r, const struct order *o)
{
	struct rma	 x;
	long long	 num = (long long)o->number, id;
	int		 rc;

	if ((rc = rma_get(r->ctx, r->return_id, &x)) == SHOP_ENOTFOUND ||
	    (rc == SHOP_OK && x.order_id != o->id))
		return fail(r, NOTIFY_BURY, "order %lld has no return %lld",
		    num, (long long)r->return_id);
	if (rc != SHOP_OK)
		return fail(r, NOTIFY_RETRY, "cannot read the return");
	id = (long long)x.id;
	return_model(r, &x);
	if (r->merchant) {
		/* TRANSLATORS: the return's number, then the order's. */
		put(r->m, "subject", fmt(r, _("Return %lld requested for "
		    "order %lld"), id, num));
		put(r->m, "heading", _("A shopper asks to return items"));
		/* TRANSLATORS: e-mail address, return number, order. */
		intro(r, fmt(r, _("%s asks to return items of order %lld "
		    "(return %lld). Approve or refuse it in the admin."),
		    cs(r, o->email.len ? o->email : STR("?")), num, id));
		cta(r, _("Open the return"), fmt(r, "%sadmin/returns/%lld",
		    r->shop_url, id));
		return NOTIFY_OK;
	}
	greeting(r, o->bill.name.len ? o->bill.name : o->ship.name);
	switch (r->kind) {
	case K_RET_REQUESTED:
		put(r->m, "subject", fmt(r, _("We have your return request "
		    "for order %lld"), num));
		put(r->m, "heading", _("Return requested"));
		intro(r, fmt(r, _("We have received your request to return "
		    "items of order %lld (return %lld). We will let you know "
		    "when we have looked at it."), num, id));
		break;
	case K_RET_APPROVED:
		put(r->m, "subject", fmt(r, _("Your return for order %lld is "
		    "approved"), num));
		put(r->m, "heading", _("Return approved"));
		intro(r, fmt(r, _("Your return %lld is approved. Please send "
		    "the items back to us; we refund them once they have "
		    "arrived."), id));
		break;
	case K_RET_REFUSED:
		put(r->m, "subject", fmt(r, _("Your return for order %lld"),
		    num));
		put(r->m, "heading", _("Return not accepted"));
		intro(r, fmt(r, _("We are sorry: we cannot accept your return "
		    "%lld for order %lld."), id, num));
		break;
	default:
		put(r->m, "subject", fmt(r, _("We have received your return "
		    "for order %lld"), num));
		put(r->m, "heading", _("Return received"));
		intro(r, fmt(r, _("The items of your return %lld have arrived. "
		    "We will refund them shortly."), id));
		break;
	}
	view_order(r, o);
	return NOTIFY_OK;
}

/* The mail of the order whose id (by_id) or number is n. */
static enum notify_result
order_mail(struct render *r, int64_t n, int by_id)
{
	struct shop_settings	 s;
	struct order		 o;
	const char		*shop = r->t->name, *total;
	const char		*what = by_id ? " with id" : "";
	long long		 num;
	int			 rc;

	rc = by_id ? order_get_by_id(r->ctx, n, 0, &o) :
	    order_get(r->ctx, n, 0, &o);
	if (rc == SHOP_ENOTFOUND)
		return fail(r, NOTIFY_BURY, "shop %lld has no order%s %lld",
		    (long long)r->t->id, what, (long long)n);
	if (rc != SHOP_OK)
		return fail(r, NOTIFY_RETRY, "cannot read order%s %lld", what,
		    (long long)n);
	num = (long long)o.number;
	if (settings_get(r->ctx, &s) != SHOP_OK)
		return fail(r, NOTIFY_RETRY, "cannot read the settings");
	if (r->kind == K_NEW || (r->kind == K_RET_REQUESTED &&
	    r->merchant)) {
		language(r, str_c(r->t->default_locale));
		if ((rc = merchant(r, &s)) != NOTIFY_OK)
			return rc;
	} else {
		language(r, o.locale);
		if ((rc = recipient(r, o.email)) != NOTIFY_OK)
			return rc;
	}
	json_object_object_add(r->m, "order", order_model(r, &o));
	total = money(r, o.total, o.currency);
	switch (r->kind) {
	case K_RECEIVED:
		put(r->m, "subject", fmt(r, _("Your order %lld at %s"), num,
		    shop));
		put(r->m, "heading", _("Thank you for your order"));
		greeting(r, o.bill.name.len ? o.bill.name : o.ship.name);
		intro(r, fmt(r, _("We have received your order %lld and will "
		    "let you know as soon as it is on its way."), num));
		payment_notes(r, &o, &s);
		view_order(r, &o);
		break;
	case K_NEW:
		/* TRANSLATORS: %lld is the order's number, %s its total. */
		put(r->m, "subject", fmt(r, _("New order %lld (%s)"), num,
		    total));
		put(r->m, "heading", _("You have a new order"));
		/* TRANSLATORS: e-mail address, order number, total. */
		intro(r, fmt(r, _("%s placed order %lld for %s."),
		    cs(r, o.email.len ? o.email : STR("?")), num, total));
		if (payment_label(o.payment_method) != NULL)
			/* TRANSLATORS: %s is a payment method. */
			intro(r, fmt(r, _("Payment: %s. The order waits on "
			    "hold until you mark it paid."), payment_label(
			    o.payment_method)));
		cta(r, _("Open the order"), fmt(r, "%s" ADMIN_ORDER_PATH,
		    r->shop_url, num));
		break;
	case K_PAID:
		put(r->m, "subject", fmt(r, _("Payment received for your "
		    "order %lld"), num));
		put(r->m, "heading", _("Payment received"));
		greeting(r, o.bill.name.len ? o.bill.name : o.ship.name);
		intro(r, fmt(r, _("We have received your payment for order "
		    "%lld. We are getting your order ready to ship."), num));
		/* Issued in the transaction that marked it paid. */
		intro(r, fmt(r, _("Your invoice: %s"), fmt(r, "%s"
		    INVOICE_PATH, r->shop_url, (long long)o.number,
		    (int)o.access_key.len, o.access_key.p ? o.access_key.p :
		    "")));
		view_order(r, &o);
		break;
	case K_SHIPPED:
		put(r->m, "subject", fmt(r, _("Your order %lld is on its way"),
		    num));
		put(r->m, "heading", _("Your order is on its way"));
		greeting(r, o.ship.name.len ? o.ship.name : o.bill.name);
		if (o.carrier.len > 0)
			/* TRANSLATORS: order number, then the carrier. */
			intro(r, fmt(r, _("Your order %lld has been handed to "
			    "%s."), num, cs(r, o.carrier)));
		else
			intro(r, fmt(r, _("Your order %lld has been shipped."),
			    num));
		if (o.tracking_number.len > 0) {
			json_object *tr = json_object_new_object();

			put(tr, "label", _("Tracking number"));
			putv(tr, "number", o.tracking_number);
			putv(tr, "carrier", o.carrier);
			json_object_object_add(r->m, "tracking", tr);
		}
		/* The merchant typed it: only http(s) becomes a button. */
		if (o.tracking_url.len > 0 && url_ok(cs(r, o.tracking_url)))
			cta(r, _("Track your parcel"), cs(r, o.tracking_url));
		else
			view_order(r, &o);
		break;
	case K_CANCELLED:
		put(r->m, "subject", fmt(r, _("Your order %lld has been "
		    "cancelled"), num));
		put(r->m, "heading", _("Your order has been cancelled"));
		greeting(r, o.bill.name.len ? o.bill.name : o.ship.name);
		intro(r, fmt(r, _("Your order %lld has been cancelled. If you "
		    "have paid for it already, please contact us about the "
		    "refund."), num));
		view_order(r, &o);
		break;
	case K_REFUNDED:
		if ((rc = refund_amount(r, &o, &total)) != NOTIFY_OK)
			return rc;
		put(r->m, "subject", fmt(r, _("A refund for your order %lld"),
		    num));
		put(r->m, "heading", _("We have refunded you"));
		greeting(r, o.bill.name.len ? o.bill.name : o.ship.name);
		/* TRANSLATORS: the amount, then the order's number. */
		intro(r, fmt(r, _("We have refunded %s for your order %lld. "
		    "Depending on how you paid, it may take a few days to "
		    "reach you."), total, num));
		view_order(r, &o);
		break;
	case K_RET_REQUESTED:
	case K_RET_APPROVED:
	case K_RET_REFUSED:
	case K_RET_RECEIVED:
		return return_mail(r, &o);
	default:
		return fail(r, NOTIFY_BURY, "not an order kind");
	}
	return NOTIFY_OK;
}

/* An http(s) link (reset, tracking): ASCII, no blanks. */
static int
url_ok(const char *u)
{
	size_t i, n = strlen(u);

	if (n > RESET_URL_MAX || (strncmp(u, "https://", 8) != 0 &&
	    strncmp(u, "http://", 7) != 0))
		return 0;
	for (i = 0; i < n; i++)
		if (u[i] <= 0x20 || u[i] >= 0x7f || u[i] == '"' ||
		    u[i] == '<' || u[i] == '>')
			return 0;
	return 1;
}

/* register: the reset link answers a registration of an address that
 * has an account (shop/customer.h), not a request to reset. */
/*
 * To the address a customer asked their account to move to: the link
 * to confirm it, or, when the address has an account of its own, word
 * that nothing changes (its owner learns it; the one who asked does
 * not, customer.h).
 */
static enum notify_result
email_change_mail(struct render *r, struct str to, struct str name,
    const char *url)
{
	struct db_stmt	*st;
	const char	*shop = r->t->name;
	int64_t		 taken = 0;
	int		 rc;

	if (to.len == 0)
		return fail(r, NOTIFY_BURY, "no change of address is pending");
	if ((rc = recipient(r, to)) != NOTIFY_OK)
		return rc;
	if ((st = shop_stmt(r->ctx, &sql[ST_EMAIL_TAKEN])) == NULL)
		return fail(r, NOTIFY_RETRY, "cannot read the customers");
	db_bind_str(st, 0, to);
	if (shop_exec(r->ctx, st) != SHOP_OK)
		return fail(r, NOTIFY_RETRY, "cannot read the customers");
	if (db_step(st) == 1)
		taken = db_col_i64(st, 0);
	db_done(st);
	/* TRANSLATORS: %s is the shop's name. */
	put(r->m, "subject", fmt(r, _("Confirm your e-mail address at %s"),
	    shop));
	put(r->m, "heading", _("Confirm your e-mail address"));
	if (taken > 0) {
		intro(r, _("Hello,"));
		intro(r, fmt(r, _("Someone asked to move an account at %s to "
		    "this address. This address has an account there "
		    "already, so nothing was changed."), shop));
		cta(r, _("Visit the shop"), r->shop_url);
		put(r->m, "note", _("If you did not ask for this, ignore this "
		    "message."));
		return NOTIFY_OK;
	}
	greeting(r, name);
	intro(r, fmt(r, _("Someone, probably you, asked to use this address "
	    "for their account at %s. Confirm it to sign in with it from "
	    "now on."), shop));
	cta(r, _("Confirm this address"), url);
	put(r->m, "note", _("The link works once, for a day. If you did not "
	    "ask for this, ignore this message: nothing changes."));
	return NOTIFY_OK;
}

static enum notify_result
customer_mail(struct render *r, int64_t id, const char *url, int registering)
{
	struct db_stmt	*st;
	struct str	 email, name, locale, new_email;
	const char	*shop = r->t->name;
	int		 rc;

	if ((r->kind == K_RESET || r->kind == K_EMAIL) &&
	    (url == NULL || !url_ok(url)))
		return fail(r, NOTIFY_BURY, "payload lacks an http(s) url");
	if ((st = shop_stmt(r->ctx, &sql[ST_CUSTOMER])) == NULL)
		return fail(r, NOTIFY_RETRY, "cannot read customer %lld",
		    (long long)id);
	db_bind_i64(st, 0, id);
	if (shop_exec(r->ctx, st) != SHOP_OK)
		return fail(r, NOTIFY_RETRY, "cannot read customer %lld",
		    (long long)id);
	rc = db_step(st);
	if (rc == 1) {
		email = db_col_str(st, 0);
		name = db_col_str(st, 1);
		locale = db_col_str(st, 2);
		new_email = db_col_str(st, 3);
	}
	db_done(st);
	if (rc == 0)
		/* Deleted since: nobody to write to. */
		return fail(r, NOTIFY_BURY, "shop %lld has no customer %lld",
		    (long long)r->t->id, (long long)id);
	if (rc != 1)
		return fail(r, NOTIFY_RETRY, "cannot read customer %lld",
		    (long long)id);
	language(r, locale);
	if (r->kind == K_EMAIL)
		return email_change_mail(r, new_email, name, url);
	if ((rc = recipient(r, email)) != NOTIFY_OK)
		return rc;
	greeting(r, name);
	if (r->kind == K_ACCOUNT) {
		/* TRANSLATORS: %s is the shop's name. */
		put(r->m, "subject", fmt(r, _("Welcome to %s"), shop));
		put(r->m, "heading", _("Your account is ready"));
		intro(r, fmt(r, _("Your account at %s has been created. Sign "
		    "in to follow your orders, keep your addresses and check "
		    "out faster."), shop));
		cta(r, _("Visit the shop"), r->shop_url);
		/* TRANSLATORS: %s is the customer's e-mail address. */
		put(r->m, "note", fmt(r, _("You sign in with your e-mail "
		    "address, %s, and the password you chose."), r->to));
	} else {
		put(r->m, "subject", fmt(r, _("Reset your password at %s"),
		    shop));
		put(r->m, "heading", _("Reset your password"));
		if (registering)
			intro(r, fmt(r, _("Someone, probably you, tried to "
			    "open an account at %s with this address, which "
			    "has one already. Sign in with your password, or "
			    "choose a new one here."), shop));
		else
			intro(r, fmt(r, _("Someone, probably you, asked to "
			    "reset the password of your account at %s."),
			    shop));
		cta(r, _("Choose a new password"), url);
		put(r->m, "note", _("The link works once and only for a "
		    "short time. If you did not ask for this, ignore this "
		    "message: your password stays as it is."));
	}
	return NOTIFY_OK;
}

/* The invitation id to join the shop's staff, its link url. */
static enum notify_result
invite_mail(struct render *r, int64_t id, const char *url)
{
	struct db_stmt	*st;
	struct str	 email, role, locale, by;
	const char	*shop = r->t->name, *role_text;
	int		 rc;

	if (url == NULL || !url_ok(url))
		return fail(r, NOTIFY_BURY, "payload lacks an http(s) url");
	if ((st = shop_stmt(r->ctx, &sql[ST_INVITE])) == NULL)
		return fail(r, NOTIFY_RETRY, "cannot read invitation %lld",
		    (long long)id);
	db_bind_i64(st, 0, id);
	db_bind_i64(st, 1, r->t->id);
	if (shop_exec(r->ctx, st) != SHOP_OK)
		return fail(r, NOTIFY_RETRY, "cannot read invitation %lld",
		    (long long)id);
	if ((rc = db_step(st)) == 1) {
		email = db_col_str(st, 0);
		role = db_col_str(st, 1);
		locale = db_col_str(st, 2);
		by = db_col_str(st, 3);
	}
	db_done(st);
	if (rc == 0)
		/* Withdrawn, used or out of date: no link to send. */
		return fail(r, NOTIFY_BURY, "shop %lld has no open invitation "
		    "%lld", (long long)r->t->id, (long long)id);
	if (rc != 1)
		return fail(r, NOTIFY_RETRY, "cannot read invitation %lld",
		    (long long)id);
	language(r, locale);
	if ((rc = recipient(r, email)) != NOTIFY_OK)
		return rc;
	role_text = str_eqc(role, "manager") ? _("a manager") : _("a clerk");
	/* TRANSLATORS: %s is the shop's name. */
	put(r->m, "subject", fmt(r, _("You are invited to join %s"), shop));
	put(r->m, "heading", fmt(r, _("Join the team of %s"), shop));
	intro(r, _("Hello,"));
	/* TRANSLATORS: who invites, the shop's name, "a manager" or
	 * "a clerk". */
	intro(r, fmt(r, _("%s invites you to help run %s as %s."),
	    by.len ? cs(r, by) : shop, shop, role_text));
	cta(r, _("Accept the invitation"), url);
	put(r->m, "note", _("The link works once, for seven days: you "
	    "choose your password there. If you did not expect this, ignore "
	    "this message."));
	return NOTIFY_OK;
}

/* The shop's part of the model: name, colours, links, footer. */
static void
shop_model(struct render *r)
{
	json_object	*s = json_object_new_object();
	const char	*port = config_get("public_port", "");

	r->shop_url = fmt(r, "%s://%s.%s%s%s/", config_get("public_scheme",
	    "http"), r->t->slug, config_get("platform_domain", "localhost"),
	    *port ? ":" : "", port);
	put(s, "name", r->t->name);
	/* The readable shades (tenant.h): white text on them passes. */
	put(s, "color", r->t->text_primary[0] ? r->t->text_primary :
	    "#1f2933");
	put(s, "accent", r->t->text_accent[0] ? r->t->text_accent :
	    "#1f2933");
	put(s, "url", r->shop_url);
	put(s, "host", fmt(r, "%s.%s", r->t->slug, config_get(
	    "platform_domain", "localhost")));
	if (r->t->logo[0] != '\0')
		put(s, "logo", fmt(r, "%smedia/%s", r->shop_url, r->t->logo));
	json_object_object_add(r->m, "shop", s);
}

static void
footer(struct render *r)
{
	/* TRANSLATORS: %s is the shop's name. */
	put(r->m, "footer", fmt(r, _("This e-mail was sent by %s. It is an "
	    "automatic message: replies are not read."), r->t->name));
}

/* Reads the job's payload and renders the model into r->m. */
static enum notify_result
model(struct render *r, const struct job *job)
{
	json_object	*pl, *v;
	int64_t		 id = 0;
	const char	*url = NULL, *key;
	enum notify_result rc;
	int		 registering;

	if ((pl = json_tokener_parse(job->payload.buf ? job->payload.buf :
	    "")) == NULL || !json_object_is_type(pl, json_type_object)) {
		json_object_put(pl);
		return fail(r, NOTIFY_BURY, "payload is not a JSON object");
	}
	/* An order by its id (placing: queued before its number) or its
	 * number (the merchant's changes). */
	key = r->kind == K_INVITE ? "invite" :
	    r->kind == K_ACCOUNT || r->kind == K_RESET ||
	    r->kind == K_EMAIL ? "customer" :
	    json_object_object_get_ex(pl, "order_id", NULL) ? "order_id" :
	    "order";
	if (json_object_object_get_ex(pl, key, &v) &&
	    json_object_is_type(v, json_type_int))
		id = json_object_get_int64(v);
	if (json_object_object_get_ex(pl, "refund", &v) &&
	    json_object_is_type(v, json_type_int))
		r->refund_id = json_object_get_int64(v);
	if (json_object_object_get_ex(pl, "return", &v) &&
	    json_object_is_type(v, json_type_int))
		r->return_id = json_object_get_int64(v);
	r->merchant = json_object_object_get_ex(pl, "merchant", &v) &&
	    json_object_get_int64(v) == 1;
	if (json_object_object_get_ex(pl, "url", &v) &&
	    json_object_is_type(v, json_type_string))
		url = arena_strdup(r->ctx->a, json_object_get_string(v));
	registering = json_object_object_get_ex(pl, "reason", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "register") == 0;
	json_object_put(pl);
	if (id <= 0)
		return fail(r, NOTIFY_BURY, "payload lacks a positive \"%s\"",
		    key);
	shop_model(r);
	if (r->kind == K_INVITE)
		rc = invite_mail(r, id, url);
	else if (r->kind == K_ACCOUNT || r->kind == K_RESET ||
	    r->kind == K_EMAIL)
		rc = customer_mail(r, id, url, registering);
	else
		rc = order_mail(r, id, strcmp(key, "order_id") == 0);
	if (rc == NOTIFY_OK) {
		footer(r);
		json_object_object_get_ex(r->m, "subject", &v);
		put(r->m, "preheader", json_object_get_string(v));
	}
	return rc;
}

enum notify_result
notify_parts(struct notify *n, struct shop_ctx *ctx, const struct tenant *t,
    const struct job *job, struct strbuf *subject, struct strbuf *text,
    struct strbuf *html, char *to, char *err, size_t errlen)
{
	struct render		 r;
	struct tmpl_set		*set;
	json_object		*v;
	enum notify_result	 rc;
	char			 name[80];
	size_t			 k;

	for (k = 0; k < K__MAX && strcmp(job->kind, kinds[k].kind) != 0; k++)
		;
	if (k == K__MAX)
		return NOTIFY_NOT_MINE;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.t = t;
	r.kind = (enum kind)k;
	r.to = to;
	r.err = err;
	r.errlen = errlen;
	err[0] = '\0';
	to[0] = '\0';
	if ((set = templates(n, t->theme, err, errlen)) == NULL) {
		log_err("mail templates: %s", err);
		return NOTIFY_RETRY;
	}
	r.m = json_object_new_object();
	if ((rc = model(&r, job)) != NOTIFY_OK)
		goto out;
	json_object_object_get_ex(r.m, "subject", &v);
	strbuf_addstr(subject, json_object_get_string(v));
	str_copy(name, sizeof(name), str_c(kinds[k].tmpl));
	if (tmpl_render(set, arena_printf(ctx->a, "mail/%s", name), r.m,
	    html) == -1 || tmpl_render(set, arena_printf(ctx->a,
	    "mail/%s.txt", name), r.m, text) == -1)
		rc = fail(&r, NOTIFY_RETRY, "cannot render mail/%s", name);
out:
	json_object_put(r.m);
	return rc;
}

enum notify_result
notify_render(struct notify *n, struct shop_ctx *ctx, const struct tenant *t,
    const struct job *job, const char *from, struct strbuf *msg, char *to,
    char *err, size_t errlen)
{
	struct strbuf		 subject = STRBUF_INIT, text = STRBUF_INIT,
				 html = STRBUF_INIT;
	char			 msgid[MAIL_MSGID_MAX];
	struct mail		 m;
	enum notify_result	 rc;

	rc = notify_parts(n, ctx, t, job, &subject, &text, &html, to, err,
	    errlen);
	if (rc != NOTIFY_OK)
		goto out;
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = to;
	m.subject = (struct str){ subject.buf, subject.len };
	m.body = (struct str){ text.buf, text.len };
	m.html = (struct str){ html.buf, html.len };
	if (mail_job_msgid(msgid, sizeof(msgid), job->id, job->tenant_id,
	    from) == -1 || (m.msgid = msgid, mail_compose(msg, &m)) == -1) {
		str_errf(err, errlen, "invalid sender '%s' or recipient", from);
		rc = NOTIFY_BURY;
	}
out:
	strbuf_release(&subject);
	strbuf_release(&text);
	strbuf_release(&html);
	return rc;
}
