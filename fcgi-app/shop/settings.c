/* settings.c: a shop's selling settings and its order counter (see
 * settings.h). */
#include "core/common.h"
#include "core/country.h"
#include "core/i18n.h"
#include "db/db.h"
#include "platform/account.h"
#include "shop/selling.h"
#include "shop/settings.h"
#include "shop/shop.h"

enum stmt {
	ST_ALL,
	ST_SET_NUM,
	ST_SET_TEXT,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_ALL] = { "settings.all",
	    "SELECT name, num, text FROM {p}settings LIMIT 100" },
	[ST_SET_NUM] = { "settings.set_num",
	    "INSERT INTO {p}settings (name, num) VALUES (?, ?)"
	    " ON DUPLICATE KEY UPDATE num = VALUES(num)" },
	[ST_SET_TEXT] = { "settings.set_text",
	    "INSERT INTO {p}settings (name, text) VALUES (?, ?)"
	    " ON DUPLICATE KEY UPDATE text = VALUES(text)" },
};

/* Where each number setting lives in struct shop_settings. */
struct num_field {
	const char	*name;
	size_t		 off;
	int64_t		 min, max;
	int		 is_i64;
};

#define NUM(f, lo, hi) { #f, offsetof(struct shop_settings, f), lo, hi, 0 }
static const struct num_field nums[] = {
	NUM(prices_include_tax, 0, 1),
	NUM(tax_round_total, 0, 1),
	NUM(tax_shipping, 0, 1),
	NUM(pay_cheque, 0, 1),
	NUM(pay_bacs, 0, 1),
	NUM(pay_cod, 0, 1),
	NUM(pay_card, 0, 1),
	{ "card_hold_minutes", offsetof(struct shop_settings,
	    card_hold_minutes), SETTINGS_HOLD_MIN, SETTINGS_HOLD_MAX, 1 },
	{ "low_stock", offsetof(struct shop_settings, low_stock), 0,
	    1000000, 1 },
	{ "return_days", offsetof(struct shop_settings, return_days), 0,
	    3650, 1 },
};
#undef NUM

static int64_t
num_get(const struct shop_settings *s, const struct num_field *f)
{
	const char *p = (const char *)s + f->off;

	return f->is_i64 ? *(const int64_t *)(const void *)p :
	    *(const int *)(const void *)p;
}

static void
num_set(struct shop_settings *s, const struct num_field *f, int64_t v)
{
	char *p = (char *)s + f->off;

	if (v < f->min || v > f->max)
		return;		/* a row edited by hand: keep the default */
	if (f->is_i64)
		*(int64_t *)(void *)p = v;
	else
		*(int *)(void *)p = (int)v;
}

static void
defaults(struct shop_ctx *ctx, struct shop_settings *s)
{
	const char *cur = ctx->currency ? ctx->currency : "";

	memset(s, 0, sizeof(*s));
	/* North America adds sales tax at the till; elsewhere the price
	 * on the label is what one pays. */
	s->prices_include_tax = !(strcmp(cur, "USD") == 0 ||
	    strcmp(cur, "CAD") == 0);
	s->tax_shipping = 1;
	s->pay_bacs = 1;
	s->low_stock = 3;
	s->card_hold_minutes = SETTINGS_HOLD_DEFAULT;
	s->bank_details = STR("");
	s->cheque_payee = STR("");
	s->order_email = STR("");
	s->legal_details = STR("");
	s->return_days = 30;
	s->return_policy = STR("");
}

static void
read_row(struct db_stmt *st, struct shop_settings *s)
{
	struct str	name = db_col_str(st, 0), text = db_col_str(st, 2);
	size_t		i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (str_eqc(name, nums[i].name)) {
			if (!db_col_null(st, 1))
				num_set(s, &nums[i], db_col_i64(st, 1));
			return;
		}
	if (str_eqc(name, "country")) {
		if (text.len == 2 && country_valid(text))
			str_copy(s->country, sizeof(s->country), text);
	} else if (str_eqc(name, "bank_details"))
		s->bank_details = text;
	else if (str_eqc(name, "cheque_payee"))
		s->cheque_payee = text;
	else if (str_eqc(name, "order_email"))
		s->order_email = text;
	else if (str_eqc(name, "legal_details"))
		s->legal_details = text;
	else if (str_eqc(name, "return_policy"))
		s->return_policy = text;
}

int
settings_get(struct shop_ctx *ctx, struct shop_settings *out)
{
	struct db_stmt	*st;
	int		 rc;

	defaults(ctx, out);
	if ((st = shop_stmt(ctx, &sql[ST_ALL])) == NULL)
		return SHOP_EDB;
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1)
		read_row(st, out);
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* A text setting: valid UTF-8, at most max characters (CR LF and tabs
 * allowed: bank details span lines). */
static int
text_ok(struct str s, size_t max)
{
	return str_valid_text(s) && str_chars(s) <= max;
}

static void
check(const struct shop_settings *s, struct field_errors *errs)
{
	char	mail[ACCOUNT_EMAIL_MAX + 1];
	size_t	i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		int64_t v = num_get(s, &nums[i]);

		if (v < nums[i].min || v > nums[i].max)
			field_errors_add(errs, nums[i].name, nums[i].max == 1 ?
			    N_("Choose yes or no.") : nums[i].max == 3650 ?
			    N_("Enter a number of days from 0 to 3650.") :
			    nums[i].max == SETTINGS_HOLD_MAX ?
			    N_("Enter a number of minutes from 30 to 1440.") :
			    N_("Enter a whole number from 0 to 1000000."));
	}
	if (s->country[0] != '\0' && !country_valid(str_c(s->country)))
		field_errors_add(errs, "country", N_("Choose a country from "
		    "the list."));
	if (!text_ok(s->bank_details, SETTINGS_TEXT_MAX))
		field_errors_add(errs, "bank_details", N_("Bank details have "
		    "at most 2000 characters."));
	if (!text_ok(s->cheque_payee, 200) ||
	    memchr(s->cheque_payee.p, '\n', s->cheque_payee.len) != NULL)
		field_errors_add(errs, "cheque_payee", N_("A payee has at "
		    "most 200 characters, on one line."));
	if (!text_ok(s->legal_details, SETTINGS_TEXT_MAX))
		field_errors_add(errs, "legal_details", N_("Legal details "
		    "have at most 2000 characters."));
	if (!text_ok(s->return_policy, SETTINGS_TEXT_MAX))
		field_errors_add(errs, "return_policy", N_("A return policy "
		    "has at most 2000 characters."));
	if (s->order_email.len > 0 &&
	    account_email_norm(s->order_email, mail, sizeof(mail)) == -1)
		field_errors_add(errs, "order_email", N_("Enter an e-mail "
		    "address such as name@example.com."));
}

static int
set_num(struct shop_ctx *ctx, const char *name, int64_t v)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_SET_NUM]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, name);
	db_bind_i64(st, 1, v);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}

static int
set_text(struct shop_ctx *ctx, const char *name, struct str v)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_SET_TEXT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, name);
	db_bind_str(st, 1, v);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}

static int
save_tx(struct shop_ctx *ctx, void *arg)
{
	const struct shop_settings	*s = arg;
	size_t				 i;
	int				 rc;

	/* pay_card follows the gateway's row (gateway.c), never a form
	 * read before a connect that saves after it. */
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (strcmp(nums[i].name, "pay_card") != 0 &&
		    (rc = set_num(ctx, nums[i].name,
		    num_get(s, &nums[i]))) != SHOP_OK)
			return rc;
	if ((rc = set_text(ctx, "country", str_c(s->country))) != SHOP_OK ||
	    (rc = set_text(ctx, "bank_details", s->bank_details)) != SHOP_OK ||
	    (rc = set_text(ctx, "cheque_payee", s->cheque_payee)) != SHOP_OK ||
	    (rc = set_text(ctx, "legal_details", s->legal_details)) != SHOP_OK ||
	    (rc = set_text(ctx, "return_policy", s->return_policy)) != SHOP_OK)
		return rc;
	return set_text(ctx, "order_email", s->order_email);
}

int
settings_save(struct shop_ctx *ctx, const struct shop_settings *in,
    struct field_errors *errs)
{
	struct shop_settings	s = *in;
	char			mail[ACCOUNT_EMAIL_MAX + 1];
	int			rc;

	errs->n = 0;
	s.bank_details = str_trim(s.bank_details);
	s.cheque_payee = str_trim(s.cheque_payee);
	s.legal_details = str_trim(s.legal_details);
	s.return_policy = str_trim(s.return_policy);
	s.order_email = str_trim(s.order_email);
	check(&s, errs);
	if (errs->n > 0)
		return SHOP_EINVAL;
	if (s.order_email.len > 0) {
		account_email_norm(s.order_email, mail, sizeof(mail));
		s.order_email = str_c(arena_strdup(ctx->a, mail));
	}
	if ((rc = shop_tx(ctx, save_tx, &s)) == SHOP_OK)
		selling_changed(ctx);
	return rc;
}

int
settings_set_num(struct shop_ctx *ctx, const char *name, int64_t v)
{
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (strcmp(nums[i].name, name) == 0)
			break;
	if (i == sizeof(nums) / sizeof(nums[0]) || v < nums[i].min ||
	    v > nums[i].max)
		return SHOP_EINVAL;
	if ((rc = set_num(ctx, name, v)) == SHOP_OK)
		selling_changed(ctx);
	return rc;
}
