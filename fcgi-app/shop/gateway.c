/* gateway.c: a shop's connected payment gateways (see gateway.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/secret.h"
#include "db/db.h"
#include "platform/stripe.h"
#include "shop/gateway.h"
#include "shop/order.h"
#include "shop/settings.h"
#include "shop/shop.h"

enum stmt {
	ST_GET,
	ST_SECRETS,
	ST_PUT,
	ST_DELETE,
	ST_LOCK_ALL,
	ST_RESEAL,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_GET] = { "gateway.get",
	    "SELECT provider, account_id, account_name, key_last4, livemode,"
	    " staff_id, connected_at FROM {p}gateways WHERE provider = ?" },
	[ST_SECRETS] = { "gateway.secrets",
	    "SELECT secret_key, webhook_secret FROM {p}gateways"
	    " WHERE provider = ?" },
	[ST_PUT] = { "gateway.put",
	    "INSERT INTO {p}gateways (provider, account_id, account_name,"
	    " key_last4, livemode, secret_key, webhook_secret, staff_id,"
	    " connected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP())"
	    " ON DUPLICATE KEY UPDATE account_id = VALUES(account_id),"
	    " account_name = VALUES(account_name),"
	    " key_last4 = VALUES(key_last4), livemode = VALUES(livemode),"
	    " secret_key = VALUES(secret_key),"
	    " webhook_secret = VALUES(webhook_secret),"
	    " staff_id = VALUES(staff_id),"
	    " connected_at = VALUES(connected_at)" },
	[ST_DELETE] = { "gateway.delete",
	    "DELETE FROM {p}gateways WHERE provider = ?" },
	[ST_LOCK_ALL] = { "gateway.lock_all",
	    "SELECT provider, secret_key, webhook_secret FROM {p}gateways"
	    " ORDER BY provider FOR UPDATE" },
	[ST_RESEAL] = { "gateway.reseal",
	    "UPDATE {p}gateways SET secret_key = ?, webhook_secret = ?"
	    " WHERE provider = ?" },
};

int
gateway_get(struct shop_ctx *ctx, const char *provider, struct gateway *out)
{
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = shop_stmt(ctx, &sql[ST_GET])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, provider);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	if (rc == 1) {
		out->provider = db_col_str(st, 0);
		out->account_id = db_col_str(st, 1);
		out->account_name = db_col_str(st, 2);
		out->key_last4 = db_col_str(st, 3);
		out->livemode = db_col_i64(st, 4) != 0;
		out->staff_id = db_col_i64(st, 5);
		out->connected_at = db_col_str(st, 6);
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

/* prefix, then one or more of [A-Za-z0-9], in all at most
 * GATEWAY_KEY_MAX: what Stripe's keys and secrets look like. */
static int
shaped(struct str s, const char *const *prefixes)
{
	size_t i, n;

	if (s.len > GATEWAY_KEY_MAX)
		return 0;
	for (; *prefixes != NULL; prefixes++) {
		n = strlen(*prefixes);
		if (s.len <= n || memcmp(s.p, *prefixes, n) != 0)
			continue;
		for (i = n; i < s.len; i++)
			if (!((s.p[i] >= 'a' && s.p[i] <= 'z') ||
			    (s.p[i] >= 'A' && s.p[i] <= 'Z') ||
			    (s.p[i] >= '0' && s.p[i] <= '9')))
				return 0;
		return 1;
	}
	return 0;
}

static int
put(struct shop_ctx *ctx, const struct stripe_account *acct,
    struct str key, int live, const char *sealed_key,
    const char *sealed_whsec, int64_t staff_id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PUT]);
	struct str	 name = str_c(acct->name);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	/* The column holds 200 characters: a longer name is cut, on a
	 * character's boundary. */
	if (str_chars(name) > 200) {
		size_t i, c = 0;

		for (i = 0; i < name.len; i++)
			if (((unsigned char)name.p[i] & 0xc0) != 0x80 &&
			    c++ == 200)
				break;
		name.len = i;
	}
	db_bind_cstr(st, 0, GATEWAY_STRIPE);
	db_bind_cstr(st, 1, acct->id);
	db_bind_str(st, 2, name);
	db_bind_str(st, 3, (struct str){ key.p + key.len - 4, 4 });
	db_bind_i64(st, 4, live);
	db_bind_cstr(st, 5, sealed_key);
	db_bind_cstr(st, 6, sealed_whsec);
	db_bind_i64(st, 7, staff_id);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}

int
gateway_stripe_connect(struct shop_ctx *ctx, const struct gateway_connect *in,
    struct field_errors *errs, char *detail, size_t dlen)
{
	static const char *const key_prefixes[] = { "sk_test_", "sk_live_",
	    "rk_test_", "rk_live_", NULL };
	static const char *const whsec_prefixes[] = { "whsec_", NULL };
	struct stripe		 s;
	struct stripe_account	 acct;
	enum stripe_err		 e;
	char			 err[256], *key, *sk, *wh;
	size_t			 before = errs->n;

	if (detail != NULL && dlen > 0)
		detail[0] = '\0';
	if (!shaped(in->secret_key, key_prefixes))
		field_errors_add(errs, "stripe_secret_key", N_("Enter the "
		    "secret key from your Stripe dashboard: it starts with "
		    "sk_live_ or sk_test_."));
	if (!shaped(in->webhook_secret, whsec_prefixes))
		field_errors_add(errs, "stripe_webhook_secret", N_("Enter the "
		    "webhook signing secret from your Stripe dashboard: it "
		    "starts with whsec_."));
	if (errs->n > before)
		return SHOP_EINVAL;
	key = arena_strndup(ctx->a, in->secret_key.p, in->secret_key.len);
	stripe_init(&s, ctx->a, key);
	if ((e = stripe_account_get(&s, &acct)) != STRIPE_OK) {
		log_warn("stripe refused the account check: %s (%s)",
		    stripe_strerror(e), s.err);
		str_errf(detail, dlen, "%s", s.err);
		field_errors_add(errs, "stripe_secret_key", e == STRIPE_EAUTH ?
		    N_("Stripe refused this key. Copy the secret key again "
		    "from your Stripe dashboard (Developers, API keys).") :
		    N_("Stripe could not be reached to check this key. Try "
		    "again in a moment."));
		return SHOP_EINVAL;
	}
	sk = secret_seal(ctx->a, in->secret_key, err, sizeof(err));
	wh = sk == NULL ? NULL : secret_seal(ctx->a, in->webhook_secret, err,
	    sizeof(err));
	if (sk == NULL || wh == NULL) {
		log_err("cannot store the stripe keys: %s", err);
		field_errors_add(errs, "stripe_secret_key", N_("This server "
		    "cannot store payment keys yet: its secret key is missing. "
		    "Ask the platform's operator to create one."));
		return SHOP_EINVAL;
	}
	/* The checkout offers "card" by the settings flag (payment.h):
	 * the row first, so the flag never names keys not stored. */
	if (put(ctx, &acct, in->secret_key, stripe_key_mode(key) == 0, sk, wh,
	    in->staff_id) != SHOP_OK ||
	    settings_set_num(ctx, "pay_card", 1) != SHOP_OK)
		return SHOP_EDB;
	log_info("stripe account '%s' connected (key ending in %s)", acct.id,
	    key + in->secret_key.len - 4);
	return SHOP_OK;
}

int
gateway_disconnect(struct shop_ctx *ctx, const char *provider)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_DELETE]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, provider);
	rc = shop_exec(ctx, st);
	if (rc == SHOP_OK && db_affected(st) == 0)
		rc = SHOP_ENOTFOUND;
	db_done(st);
	/* The flag off even when the row was gone already. */
	if ((rc == SHOP_OK || rc == SHOP_ENOTFOUND) &&
	    strcmp(provider, GATEWAY_STRIPE) == 0 &&
	    settings_set_num(ctx, "pay_card", 0) != SHOP_OK)
		return SHOP_EDB;
	return rc == SHOP_OK || rc == SHOP_ENOTFOUND ? rc : SHOP_EDB;
}

int
gateway_secrets(struct shop_ctx *ctx, const char *provider,
    struct str *secret_key, struct str *webhook_secret)
{
	struct db_stmt	*st;
	struct str	 k = STR_NULL, w = STR_NULL, ko, wo;
	char		 err[256];
	int		 rc;

	if ((st = shop_stmt(ctx, &sql[ST_SECRETS])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, provider);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1) {
		k = db_col_str(st, 0);
		w = db_col_str(st, 1);
	}
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if (secret_open(ctx->a, k, &ko, err, sizeof(err)) == -1 ||
	    secret_open(ctx->a, w, &wo, err, sizeof(err)) == -1) {
		log_err("cannot open the %s keys: %s", provider, err);
		return SHOP_EDB;
	}
	if (secret_key != NULL)
		*secret_key = ko;
	if (webhook_secret != NULL)
		*webhook_secret = wo;
	return SHOP_OK;
}

int
gateway_stripe_items(struct shop_ctx *ctx, const struct order *o,
    struct stripe_item **out)
{
	struct stripe_line	*v;
	char			 err[256];
	size_t			 i, n = 0;
	int			 k;

	v = arena_calloc(ctx->a, o->nlines + 2, sizeof(*v));
	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];

		v[n].name = l->variant.len > 0 ? arena_printf(ctx->a,
		    "%.*s (%.*s)", (int)l->name.len, l->name.p,
		    (int)l->variant.len, l->variant.p) :
		    arena_strndup(ctx->a, l->name.p, l->name.len);
		v[n].qty = l->qty;
		/* Tax is in the line's total when prices include it, and
		 * one item of its own otherwise. */
		v[n].amount = o->prices_include_tax ? l->total :
		    l->total - l->tax;
		n++;
	}
	if (o->shipping > 0) {
		v[n].name = o->ship_method.len > 0 ? arena_strndup(ctx->a,
		    o->ship_method.p, o->ship_method.len) : _("Shipping");
		v[n].qty = 1;
		v[n].amount = o->shipping;
		n++;
	}
	if (!o->prices_include_tax && o->tax > 0) {
		v[n].name = _("Tax");
		v[n].qty = 1;
		v[n].amount = o->tax;
		n++;
	}
	k = stripe_items(ctx->a, v, n, o->total, out, err, sizeof(err));
	if (k == -1)
		log_err("order %lld: no stripe line items: %s",
		    (long long)o->id, err);
	return k;
}

/* A row of reseal_tx(), read before any is written. */
struct sealed_row {
	struct str	provider, key, hook;
};

static int
reseal_tx(struct shop_ctx *ctx, void *arg)
{
	int			*count = arg;
	struct sealed_row	*v = NULL;
	struct db_stmt		*st;
	size_t			 n = 0, cap = 0, i;
	char			 err[256];
	int			 rc;

	*count = 0;
	if ((st = shop_stmt(ctx, &sql[ST_LOCK_ALL])) == NULL ||
	    shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		v = shop_grow(ctx->a, v, sizeof(*v), n, &cap);
		v[n].provider = db_col_str(st, 0);
		v[n].key = db_col_str(st, 1);
		v[n].hook = db_col_str(st, 2);
		n++;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < n; i++) {
		struct str	 k, h;
		char		*ks, *hs;

		if (secret_is_current(v[i].key) &&
		    secret_is_current(v[i].hook))
			continue;
		if (secret_open(ctx->a, v[i].key, &k, err, sizeof(err)) ==
		    -1 || secret_open(ctx->a, v[i].hook, &h, err,
		    sizeof(err)) == -1 ||
		    (ks = secret_seal(ctx->a, k, err, sizeof(err))) == NULL ||
		    (hs = secret_seal(ctx->a, h, err, sizeof(err))) == NULL) {
			log_err("cannot seal the %.*s keys again: %s",
			    (int)v[i].provider.len, v[i].provider.p, err);
			return SHOP_EINVAL;
		}
		if ((st = shop_stmt(ctx, &sql[ST_RESEAL])) == NULL)
			return SHOP_EDB;
		db_bind_cstr(st, 0, ks);
		db_bind_cstr(st, 1, hs);
		db_bind_str(st, 2, v[i].provider);
		if ((rc = shop_exec(ctx, st)) != SHOP_OK)
			return rc;
		db_done(st);
		(*count)++;
	}
	return SHOP_OK;
}

int
gateway_reseal(struct shop_ctx *ctx, int *count)
{
	return shop_tx(ctx, reseal_tx, count);
}
