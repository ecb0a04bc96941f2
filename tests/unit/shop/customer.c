/*
 * tests/unit/shop/customer.c: shoppers' accounts against the private
 * MariaDB: registration (a new address and one with an account answer
 * alike; the jobs queued), logins with the lock-out in their own scope
 * (apart from the shop's staff), sessions, reset links (single use,
 * expiry, other sessions ended), profile and address book, a guest
 * order attached at registration, deleting an account (its orders kept
 * and anonymised, with a history note), and isolation between shops.
 */
#include "core/common.h"
#include "core/arena.h"
#include "platform/lockout.h"
#include "shop/customer.h"
#include "shop/staff.h"
#include "dbtest.h"
#include "test.h"

#include <ctype.h>

static struct db	*db;
static struct arena	 a;
static char		 owner[96];

static int64_t
col(const char *sql, int64_t tenant, int64_t arg)
{
	struct db_stmt	*st = db_prepare(db, sql, tenant);
	int64_t		 v = -1;

	if (st == NULL)
		return -2;
	db_bind_i64(st, 0, arg);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

/* The text of the first column of sql's first row, in a ("" when none). */
static struct str
text(const char *sql, int64_t tenant, int64_t arg)
{
	struct db_stmt	*st = db_prepare(db, sql, tenant);
	struct str	 v = STR("");

	if (st == NULL)
		return v;
	db_bind_i64(st, 0, arg);
	if (db_exec(st, &a) == 0 && db_step(st) == 1)
		v = db_col_str(st, 0);
	db_done(st);
	return v;
}

static void
run(const char *sql, int64_t tenant, int64_t arg)
{
	struct db_stmt *st = db_prepare(db, sql, tenant);

	TEST_CHECK(st != NULL);
	if (st == NULL)
		return;
	db_bind_i64(st, 0, arg);
	TEST_CHECK(db_exec(st, NULL) == 0);
}

static int64_t
jobs(int64_t tenant, const char *kind)
{
	struct db_stmt	*st = db_prepare(db, "SELECT COUNT(*) FROM souk_jobs"
			    " WHERE tenant_id = ? AND kind = ?", 0);
	int64_t		 v = -1;

	if (st == NULL)
		return -2;
	db_bind_i64(st, 0, tenant);
	db_bind_cstr(st, 1, kind);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

/* The token of the newest reset link mailed for the shop (read from the
 * job's payload, as the mail would carry it). */
static struct str
last_reset_token(int64_t tenant)
{
	struct str	p = text("SELECT payload FROM souk_jobs WHERE tenant_id = ?"
			    " AND kind = 'shop.password_reset' ORDER BY id DESC"
			    " LIMIT 1", 0, tenant);
	const char	*s = strstr(p.p ? p.p : "", "/account/reset/");

	if (s == NULL)
		return STR("");
	s += strlen("/account/reset/");
	return (struct str){ s, strnlen(s, CUSTOMER_RESET_HEX) };
}

/* The token of the newest e-mail change link of the shop. */
static struct str
last_email_token(int64_t tenant)
{
	struct str	p = text("SELECT payload FROM souk_jobs WHERE tenant_id = ?"
			    " AND kind = 'shop.email_change' ORDER BY id DESC"
			    " LIMIT 1", 0, tenant);
	const char	*s = strstr(p.p ? p.p : "", "/account/email/");

	if (s == NULL)
		return STR("");
	s += strlen("/account/email/");
	return (struct str){ s, strnlen(s, CUSTOMER_RESET_HEX) };
}

static struct customer_reg
reg(const char *email, const char *pw, const char *name)
{
	struct customer_reg r;

	memset(&r, 0, sizeof(r));
	r.email = str_c(email);
	r.password = str_c(pw);
	r.name = str_c(name);
	r.reset_url = "http://shop.test/account/reset/";
	return r;
}

static char	email[96];	/* the account of test_register() */
static int64_t	cid;

static void
test_register(struct shop_ctx *c)
{
	struct customer_reg	r;
	struct field_errors	errs;
	struct customer		g;
	int64_t			id = -1;
	char			upper[96];
	size_t			i;

	snprintf(email, sizeof(email), "shopper-%s@cust.test", dbtest_tag());
	r = reg(email, "short", "Ann");
	TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_EINVAL);
	TEST_CHECK(errs.n == 1 && strcmp(errs.v[0].field, "password") == 0);
	r = reg("not-an-address", "long enough", "Ann");
	TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_EINVAL);
	TEST_CHECK(errs.n == 1 && strcmp(errs.v[0].field, "email") == 0);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}customers WHERE id > ?",
	    c->tenant, 0) == 0);

	r = reg(email, "long enough", "  Ann Example ");
	TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_OK);
	TEST_CHECK(id > 0);
	cid = id;
	TEST_CHECK(customer_get(c, id, &g) == SHOP_OK);
	TEST_CHECK(str_eqc(g.email, email));
	TEST_CHECK(str_eqc(g.name, "Ann Example"));
	TEST_CHECK(str_eqc(g.locale, "en"));
	TEST_CHECK(jobs(c->tenant, CUSTOMER_JOB_CREATED) == 1);
	TEST_CHECK(str_eqc(text("SELECT payload FROM souk_jobs WHERE "
	    "tenant_id = ? AND kind = 'shop.account_created'", 0, c->tenant),
	    arena_printf(&a, "{\"customer\":%lld}", (long long)id)));

	/* The same address again, in capitals: SHOP_OK, no second account,
	 * and its owner gets a reset link instead of a welcome. */
	for (i = 0; email[i] && i + 1 < sizeof(upper); i++)
		upper[i] = (char)toupper((unsigned char)email[i]);
	upper[i] = '\0';
	r = reg(upper, "another password", "Mallory");
	TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_OK);
	TEST_CHECK(id == 0);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}customers WHERE id > ?",
	    c->tenant, 0) == 1);
	TEST_CHECK(jobs(c->tenant, CUSTOMER_JOB_CREATED) == 1);
	TEST_CHECK(jobs(c->tenant, CUSTOMER_JOB_RESET) == 1);
	TEST_CHECK(strstr(text("SELECT payload FROM souk_jobs WHERE tenant_id "
	    "= ? AND kind = 'shop.password_reset'", 0, c->tenant).p,
	    "\"reason\":\"register\"") != NULL);
	/* Nothing of the account changed. */
	TEST_CHECK(customer_get(c, cid, &g) == SHOP_OK);
	TEST_CHECK(str_eqc(g.name, "Ann Example"));
	TEST_CHECK(customer_login(c, str_c(email), STR("long enough"), &g) ==
	    SHOP_OK);
	/* A third try within a minute sends nothing more. */
	TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_OK);
	TEST_CHECK(jobs(c->tenant, CUSTOMER_JOB_RESET) == 1);
}

static void
test_lockout(struct shop_ctx *c, struct shop_ctx *other)
{
	struct customer	g;
	struct staff	s;
	char		unknown[96];
	int		i;

	TEST_CHECK(customer_login(c, str_c(email), STR("long enough"), &g) ==
	    SHOP_OK && g.id == cid);
	/* The shop's customers have their own scope, not the staff's. */
	TEST_CHECK(customer_scope(c->tenant) == CUSTOMER_SCOPE_BASE +
	    c->tenant);
	for (i = 0; i < 5; i++)
		TEST_CHECK(customer_login(c, str_c(email), STR("wrong"), &g) ==
		    SHOP_EDENIED && g.id == 0);
	TEST_CHECK(customer_login(c, str_c(email), STR("long enough"), &g) ==
	    SHOP_ELOCKED);
	TEST_CHECK(col("SELECT COUNT(*) FROM souk_login_throttles WHERE scope "
	    "= ?", 0, customer_scope(c->tenant)) == 1);
	/* The staff of the shop are not locked by a shopper's failures. */
	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_OK);
	/* An unknown e-mail is counted and locked alike; the staff still
	 * log in. */
	snprintf(unknown, sizeof(unknown), "nobody-%s@cust.test",
	    dbtest_tag());
	for (i = 0; i < 5; i++)
		TEST_CHECK(customer_login(c, str_c(unknown), STR("x"), &g) ==
		    SHOP_EDENIED);
	TEST_CHECK(customer_login(c, str_c(unknown), STR("x"), &g) ==
	    SHOP_ELOCKED);
	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_OK);
	/* Fifteen minutes later (moved back) it works. */
	run("UPDATE souk_login_throttles SET window_start = window_start - "
	    "INTERVAL 901 SECOND, locked_until = locked_until - INTERVAL 901 "
	    "SECOND WHERE scope = ?", 0, customer_scope(c->tenant));
	TEST_CHECK(customer_login(c, str_c(email), STR("long enough"), &g) ==
	    SHOP_OK);
	/* Another shop has no such account. */
	TEST_CHECK(customer_login(other, str_c(email), STR("long enough"),
	    &g) == SHOP_EDENIED);
}

static void
test_sessions(struct shop_ctx *c, struct shop_ctx *other)
{
	struct customer	g;
	char		tok[CUSTOMER_TOKEN_HEX + 1], csrf[33];
	char		tok2[CUSTOMER_TOKEN_HEX + 1], csrf2[33];

	TEST_CHECK(customer_session_new(c, cid, 3600, tok, csrf) == SHOP_OK);
	TEST_CHECK(strlen(tok) == CUSTOMER_TOKEN_HEX && strlen(csrf) == 32);
	TEST_CHECK(customer_session_get(c, str_c(tok), &g) == SHOP_OK);
	TEST_CHECK(g.id == cid && strcmp(g.csrf, csrf) == 0);
	TEST_CHECK(str_eqc(g.email, email));
	/* Only the hash is stored. */
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}customer_sessions WHERE "
	    "customer_id = ? AND token_hash = UNHEX(SHA2(token_hash, 256))",
	    c->tenant, cid) == 0);
	TEST_CHECK(text("SELECT HEX(token_hash) FROM {p}customer_sessions "
	    "WHERE customer_id = ? LIMIT 1", c->tenant, cid).len == 64);
	/* Shop B knows nothing of shop A's session token. */
	TEST_CHECK(customer_session_get(other, str_c(tok), &g) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(customer_session_get(c, STR("junk"), &g) == SHOP_ENOTFOUND);

	/* Expired: gone, and the next new session purges it. */
	run("UPDATE {p}customer_sessions SET expires_at = NOW() - INTERVAL 1 "
	    "SECOND WHERE customer_id = ?", c->tenant, cid);
	TEST_CHECK(customer_session_get(c, str_c(tok), &g) == SHOP_ENOTFOUND);
	TEST_CHECK(customer_session_new(c, cid, 3600, tok2, csrf2) == SHOP_OK);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}customer_sessions WHERE "
	    "customer_id = ?", c->tenant, cid) == 1);
	TEST_CHECK(customer_session_end(c, str_c(tok2)) == SHOP_OK);
	TEST_CHECK(customer_session_get(c, str_c(tok2), &g) == SHOP_ENOTFOUND);
	TEST_CHECK(customer_session_end(c, STR("junk")) == SHOP_OK);
}

static void
test_reset(struct shop_ctx *c)
{
	struct field_errors	errs;
	struct customer		g;
	struct str		token;
	char			tok[CUSTOMER_TOKEN_HEX + 1], csrf[33];
	char			keep[CUSTOMER_RESET_HEX + 1];
	int64_t			id, before;

	/* An unknown address: the same answer, nothing queued. */
	before = jobs(c->tenant, CUSTOMER_JOB_RESET);
	TEST_CHECK(customer_reset_request(c, STR("nobody@cust.test"),
	    "http://shop.test/account/reset/") == SHOP_OK);
	TEST_CHECK(customer_reset_request(c, STR("junk"),
	    "http://shop.test/account/reset/") == SHOP_OK);
	TEST_CHECK(jobs(c->tenant, CUSTOMER_JOB_RESET) == before);

	/* The last mail went out under a minute ago (test_register()):
	 * moved back, a new one goes. */
	run("UPDATE {p}customers SET reset_expires = reset_expires - INTERVAL "
	    "120 SECOND WHERE id = ?", c->tenant, cid);
	TEST_CHECK(customer_reset_request(c, str_c(email),
	    "http://shop.test/account/reset/") == SHOP_OK);
	TEST_CHECK(jobs(c->tenant, CUSTOMER_JOB_RESET) == before + 1);
	token = last_reset_token(c->tenant);
	TEST_CHECK(token.len == CUSTOMER_RESET_HEX);
	str_copy(keep, sizeof(keep), token);
	/* Stored hashed, never as sent. */
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}customers WHERE id = ? AND "
	    "reset_hash IS NOT NULL AND reset_expires > NOW() + INTERVAL 3500 "
	    "SECOND", c->tenant, cid) == 1);
	TEST_CHECK(customer_reset_check(c, str_c(keep), &id) == SHOP_OK &&
	    id == cid);

	/* A session open before the reset ends with it. */
	TEST_CHECK(customer_session_new(c, cid, 3600, tok, csrf) == SHOP_OK);
	TEST_CHECK(customer_reset_finish(c, str_c(keep), STR("short"), &errs,
	    &id) == SHOP_EINVAL);
	TEST_CHECK(customer_reset_finish(c, str_c(keep), STR("brand new pw"),
	    &errs, &id) == SHOP_OK && id == cid);
	TEST_CHECK(customer_session_get(c, str_c(tok), &g) == SHOP_ENOTFOUND);
	TEST_CHECK(customer_login(c, str_c(email), STR("brand new pw"), &g) ==
	    SHOP_OK);
	TEST_CHECK(customer_login(c, str_c(email), STR("long enough"), &g) ==
	    SHOP_EDENIED);
	/* Single use. */
	TEST_CHECK(customer_reset_check(c, str_c(keep), &id) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(customer_reset_finish(c, str_c(keep), STR("third password"),
	    &errs, &id) == SHOP_ENOTFOUND);
	TEST_CHECK(customer_login(c, str_c(email), STR("brand new pw"), &g) ==
	    SHOP_OK);

	/* Expiry: a link older than an hour does nothing. */
	run("UPDATE {p}customers SET reset_expires = NULL WHERE id = ?",
	    c->tenant, cid);
	TEST_CHECK(customer_reset_request(c, str_c(email),
	    "http://shop.test/account/reset/") == SHOP_OK);
	token = last_reset_token(c->tenant);
	str_copy(keep, sizeof(keep), token);
	TEST_CHECK(customer_reset_check(c, str_c(keep), &id) == SHOP_OK);
	run("UPDATE {p}customers SET reset_expires = NOW() - INTERVAL 1 SECOND"
	    " WHERE id = ?", c->tenant, cid);
	TEST_CHECK(customer_reset_check(c, str_c(keep), &id) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(customer_reset_finish(c, str_c(keep), STR("third password"),
	    &errs, &id) == SHOP_ENOTFOUND);
	TEST_CHECK(customer_login(c, str_c(email), STR("brand new pw"), &g) ==
	    SHOP_OK);
	TEST_CHECK(customer_reset_check(c, STR("zz"), &id) == SHOP_ENOTFOUND);
}

static void
test_profile(struct shop_ctx *c)
{
	struct field_errors	 errs;
	struct customer		 g;
	struct customer_address	*v, one;
	struct address		 ad;
	char			 other[96], tok[CUSTOMER_TOKEN_HEX + 1];
	char			 tok2[CUSTOMER_TOKEN_HEX + 1], csrf[33];
	int64_t			 a1, a2, id;
	size_t			 n;

	TEST_CHECK(customer_set_profile(c, cid, STR("Ann B"), STR("+49 30 1"),
	    &errs) == SHOP_OK);
	TEST_CHECK(customer_get(c, cid, &g) == SHOP_OK);
	TEST_CHECK(str_eqc(g.name, "Ann B") && str_eqc(g.phone, "+49 30 1"));
	TEST_CHECK(customer_set_profile(c, cid, STR("x"), STR("call me"),
	    &errs) == SHOP_EINVAL && strcmp(errs.v[0].field, "phone") == 0);

	/* E-mail change needs the password, and the new address confirms
	 * it by its link; a taken address gets the same answer (its mail
	 * says so to its owner), and its link changes nothing. */
	snprintf(other, sizeof(other), "other-%s@cust.test", dbtest_tag());
	{
		struct customer_reg r = reg(other, "other password", "O");

		TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_OK &&
		    id > 0);
	}
	{
		const char	*u = "http://x.test/account/email/";
		struct str	 tok, got;
		int64_t		 before = jobs(c->tenant, "shop.email_change");

		TEST_CHECK(customer_set_email(c, cid, STR("wrong"),
		    STR("n@cust.test"), u, &errs) == SHOP_EDENIED);
		TEST_CHECK(customer_set_email(c, cid, STR("brand new pw"),
		    str_c(email), u, &errs) == SHOP_EINVAL &&
		    strcmp(errs.v[0].field, "email") == 0);
		/* Taken: the same answer; its link changes nothing. */
		TEST_CHECK(customer_set_email(c, cid, STR("brand new pw"),
		    str_c(other), u, &errs) == SHOP_OK);
		TEST_CHECK(jobs(c->tenant, "shop.email_change") ==
		    before + 1);
		tok = last_email_token(c->tenant);
		TEST_CHECK(tok.len == CUSTOMER_RESET_HEX);
		tok = str_c(arena_strndup(&a, tok.p, tok.len));
		TEST_CHECK(customer_email_check(c, tok, &got) == SHOP_OK &&
		    str_eqc(got, other));
		TEST_CHECK(customer_email_confirm(c, tok, &got) ==
		    SHOP_ECONFLICT);
		TEST_CHECK(customer_get(c, cid, &g) == SHOP_OK &&
		    str_eqc(g.email, email));
		TEST_CHECK(customer_email_confirm(c, tok, &got) ==
		    SHOP_ENOTFOUND);
		/* A free address: nothing changes until its link is used,
		 * once. */
		TEST_CHECK(customer_set_email(c, cid, STR("brand new pw"),
		    STR(" New-Ann@Cust.TEST "), u, &errs) == SHOP_OK);
		TEST_CHECK(customer_get(c, cid, &g) == SHOP_OK &&
		    str_eqc(g.email, email));
		tok = last_email_token(c->tenant);
		tok = str_c(arena_strndup(&a, tok.p, tok.len));
		TEST_CHECK(customer_email_check(c, STR("f00"), &got) ==
		    SHOP_ENOTFOUND);
		TEST_CHECK(customer_email_confirm(c, tok, &got) == SHOP_OK &&
		    str_eqc(got, "new-ann@cust.test"));
		TEST_CHECK(customer_get(c, cid, &g) == SHOP_OK &&
		    str_eqc(g.email, "new-ann@cust.test"));
		TEST_CHECK(customer_email_confirm(c, tok, &got) ==
		    SHOP_ENOTFOUND);
		/* An expired link does nothing. */
		TEST_CHECK(customer_set_email(c, cid, STR("brand new pw"),
		    str_c(email), u, &errs) == SHOP_OK);
		tok = last_email_token(c->tenant);
		tok = str_c(arena_strndup(&a, tok.p, tok.len));
		run("UPDATE {p}customers SET email_expires = NOW() -"
		    " INTERVAL 1 SECOND WHERE id = ?", c->tenant, cid);
		TEST_CHECK(customer_email_confirm(c, tok, &got) ==
		    SHOP_ENOTFOUND);
		run("UPDATE {p}customers SET email_expires = NOW() +"
		    " INTERVAL 1 HOUR WHERE id = ?", c->tenant, cid);
		TEST_CHECK(customer_email_confirm(c, tok, &got) == SHOP_OK);
		TEST_CHECK(customer_get(c, cid, &g) == SHOP_OK &&
		    str_eqc(g.email, email));
	}

	/* A password change keeps this session, ends the others. */
	TEST_CHECK(customer_session_new(c, cid, 3600, tok, csrf) == SHOP_OK);
	TEST_CHECK(customer_session_new(c, cid, 3600, tok2, csrf) == SHOP_OK);
	TEST_CHECK(customer_set_password(c, cid, STR("brand new pw"),
	    STR("even newer pw"), str_c(tok), &errs) == SHOP_OK);
	TEST_CHECK(customer_session_get(c, str_c(tok), &g) == SHOP_OK);
	TEST_CHECK(customer_session_get(c, str_c(tok2), &g) == SHOP_ENOTFOUND);
	TEST_CHECK(customer_login(c, str_c(email), STR("even newer pw"), &g) ==
	    SHOP_OK);

	/* The address book: the first is the default. */
	memset(&ad, 0, sizeof(ad));
	ad.name = STR("Ann B");
	ad.line1 = STR("Hauptstr. 1");
	ad.city = STR("Berlin");
	ad.postcode = STR("10115");
	ad.country = STR("DE");
	TEST_CHECK(customer_address_save(c, cid, 0, &ad, 0, &errs, &a1) ==
	    SHOP_OK);
	ad.line1 = STR("Nebenstr. 2");
	TEST_CHECK(customer_address_save(c, cid, 0, &ad, 0, &errs, &a2) ==
	    SHOP_OK);
	TEST_CHECK(customer_addresses(c, cid, &v, &n) == SHOP_OK && n == 2);
	TEST_CHECK(v[0].id == a1 && v[0].is_default && !v[1].is_default);
	TEST_CHECK(customer_address_default(c, cid, a2) == SHOP_OK);
	TEST_CHECK(customer_addresses(c, cid, &v, &n) == SHOP_OK &&
	    v[0].id == a2 && v[0].is_default && !v[1].is_default);
	ad.country = STR("XX");
	TEST_CHECK(customer_address_save(c, cid, a1, &ad, 0, &errs, NULL) ==
	    SHOP_EINVAL);
	ad.country = STR("FR");
	TEST_CHECK(customer_address_save(c, cid, a1, &ad, 0, &errs, NULL) ==
	    SHOP_OK);
	TEST_CHECK(customer_address_get(c, cid, a1, &one) == SHOP_OK &&
	    str_eqc(one.a.country, "FR"));
	/* Another customer's address is not theirs. */
	TEST_CHECK(customer_address_get(c, id, a1, &one) == SHOP_ENOTFOUND);
	TEST_CHECK(customer_address_save(c, id, a1, &ad, 0, &errs, NULL) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(customer_address_delete(c, id, a1) == SHOP_ENOTFOUND);
	/* Deleting the default makes the other one the default. */
	TEST_CHECK(customer_address_delete(c, cid, a2) == SHOP_OK);
	TEST_CHECK(customer_addresses(c, cid, &v, &n) == SHOP_OK && n == 1 &&
	    v[0].id == a1 && v[0].is_default);
}

/* An order row as the checkout writes one (only what this test reads). */
static int64_t
insert_order(struct shop_ctx *c, int64_t number, const char *mail,
    int64_t customer, const char *key)
{
	struct db_stmt	*st = db_prepare(db, "INSERT INTO {p}orders (number,"
			    " status, customer_id, email, locale, idem_key,"
			    " access_key, currency, prices_include_tax,"
			    " subtotal, discount, shipping, shipping_tax, tax,"
			    " total, display_currency, fx_rate, display_total,"
			    " payment_method, bill_name, bill_line1, bill_city,"
			    " bill_postcode, bill_country, bill_phone,"
			    " ship_name, ship_company, ship_line1, ship_city,"
			    " ship_postcode, ship_country, ship_region)"
			    " VALUES (?, 'on-hold', NULLIF(?, 0), ?, 'en',"
			    " MD5(RAND()), ?, 'EUR', 1, 1190, 0, 490, 78, 268,"
			    " 1680, 'EUR', 100000000, 1680, 'bacs', 'Ann B',"
			    " 'Hauptstr. 1', 'Berlin', '10115', 'DE', '+49 1',"
			    " 'Ann B', 'ACME', 'Hauptstr. 1', 'Berlin', '10115',"
			    " 'DE', 'BE')", c->tenant);
	int64_t		 id = 0;

	TEST_CHECK(st != NULL);
	if (st == NULL)
		return 0;
	db_bind_i64(st, 0, number);
	db_bind_i64(st, 1, customer);
	db_bind_cstr(st, 2, mail);
	db_bind_cstr(st, 3, key);
	TEST_CHECK(db_exec(st, NULL) == 0);
	id = (int64_t)db_insert_id(st);
	return id;
}

static void
test_guest_order(struct shop_ctx *c)
{
	struct customer_reg	r;
	struct field_errors	errs;
	char			mail[96];
	const char		*key = "0123456789abcdef0123456789abcdef";
	int64_t			o, id;

	snprintf(mail, sizeof(mail), "guest-%s@cust.test", dbtest_tag());
	o = insert_order(c, 5001, mail, 0, key);
	/* A wrong key attaches nothing (the account is still made). */
	r = reg(mail, "guest password", "Guest");
	r.order_number = 5001;
	r.order_key = STR("ffffffffffffffffffffffffffffffff");
	TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_OK && id > 0);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}orders WHERE id = ? AND "
	    "customer_id IS NULL", c->tenant, o) == 1);
	TEST_CHECK(customer_erase(c, id) == SHOP_OK);
	/* The right key and e-mail: attached. */
	r.order_key = str_c(key);
	TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_OK && id > 0);
	TEST_CHECK(col("SELECT customer_id FROM {p}orders WHERE id = ?",
	    c->tenant, o) == id);
	TEST_CHECK(customer_erase(c, id) == SHOP_OK);
}

static void
test_delete(struct shop_ctx *c)
{
	struct customer	 g;
	char		 tok[CUSTOMER_TOKEN_HEX + 1], csrf[33];
	int64_t		 o1, o2, other;

	o1 = insert_order(c, 1001, email, cid, "0123456789abcdef0123456789abcde1");
	o2 = insert_order(c, 1002, email, cid, "0123456789abcdef0123456789abcde2");
	other = insert_order(c, 1003, "someone@else.test", 0,
	    "0123456789abcdef0123456789abcde3");
	TEST_CHECK(customer_session_new(c, cid, 3600, tok, csrf) == SHOP_OK);
	run("INSERT INTO {p}carts (customer_id) VALUES (?)", c->tenant, cid);
	run("INSERT INTO {p}cart_items (cart_id, product_id, qty) SELECT id, 1,"
	    " 2 FROM {p}carts WHERE customer_id = ?", c->tenant, cid);

	TEST_CHECK(customer_delete(c, cid, STR("wrong")) == SHOP_EDENIED);
	TEST_CHECK(customer_get(c, cid, &g) == SHOP_OK);
	TEST_CHECK(customer_delete(c, cid, STR("even newer pw")) == SHOP_OK);

	TEST_CHECK(customer_get(c, cid, &g) == SHOP_ENOTFOUND);
	TEST_CHECK(customer_session_get(c, str_c(tok), &g) == SHOP_ENOTFOUND);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}addresses WHERE customer_id = "
	    "?", c->tenant, cid) == 0);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}carts WHERE customer_id = ?",
	    c->tenant, cid) == 0);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}cart_items WHERE qty = 2 AND "
	    "product_id = ?", c->tenant, 1) == 0);
	TEST_CHECK(customer_login(c, str_c(email), STR("even newer pw"), &g) ==
	    SHOP_EDENIED);
	/* The orders stay, with their numbers, amounts, countries and
	 * postcodes, and nothing that names the person. */
	{
		struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM "
		    "{p}orders WHERE id IN (?, ?) AND customer_id IS NULL AND "
		    "email = '' AND bill_name = '' AND bill_line1 = '' AND "
		    "bill_city = '' AND bill_phone = '' AND ship_name = '' AND "
		    "ship_company = '' AND ship_line1 = '' AND ship_city = '' "
		    "AND total = 1680 AND tax = 268 AND bill_country = 'DE' AND "
		    "ship_postcode = '10115' AND ship_region = 'BE' AND "
		    "number IN (1001, 1002)", c->tenant);

		TEST_CHECK(st != NULL);
		if (st != NULL) {
			db_bind_i64(st, 0, o1);
			db_bind_i64(st, 1, o2);
			TEST_CHECK(db_exec(st, NULL) == 0 && db_step(st) == 1 &&
			    db_col_i64(st, 0) == 2);
			db_done(st);
		}
	}
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}order_events WHERE order_id = ?"
	    " AND actor = 'system' AND note LIKE '%erased%'", c->tenant, o1) ==
	    1);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}order_events WHERE order_id = ?",
	    c->tenant, o2) == 1);
	/* Another shopper's order is untouched. */
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}orders WHERE id = ? AND email "
	    "= 'someone@else.test' AND bill_name = 'Ann B'", c->tenant, other)
	    == 1);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}order_events WHERE order_id = ?",
	    c->tenant, other) == 0);
	/* The address may register again, as a new account. */
	{
		struct customer_reg	r = reg(email, "fresh start pw", "");
		struct field_errors	errs;
		int64_t			id;

		TEST_CHECK(customer_register(c, &r, &errs, &id) == SHOP_OK &&
		    id > 0 && id != cid);
	}
}

static void
test_admin_list(struct shop_ctx *c)
{
	struct customer_list l;

	TEST_CHECK(customer_admin_list(c, STR(""), 0, &l) == SHOP_OK);
	TEST_CHECK(l.n >= 2 && !l.more);
	TEST_CHECK(customer_admin_list(c, STR("other-"), 0, &l) == SHOP_OK);
	TEST_CHECK(l.n == 1);
	TEST_CHECK(customer_admin_list(c, STR("%"), 0, &l) == SHOP_OK);
	TEST_CHECK(l.n == 0);
	TEST_CHECK(customer_admin_list(c, STR("shopper-"), 0, &l) == SHOP_OK);
	TEST_CHECK(l.n == 1);
	TEST_CHECK(customer_admin_list(c, STR(""), l.v[0].id, &l) == SHOP_OK);
}

int
main(void)
{
	struct shop_ctx	c, other;
	int64_t		id, id2;

	db = dbtest_open("test-customer");
	arena_init(&a);
	snprintf(owner, sizeof(owner), "owner-%s@cust.test", dbtest_tag());
	id = dbtest_shop(db, "cust", owner, "owner password", NULL, NULL);
	id2 = dbtest_shop(db, "cust2", owner, "owner password", NULL, NULL);
	TEST_CHECK(id > 0 && id2 > 0);
	if (id <= 0 || id2 <= 0)
		return test_done();
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.a = &a;
	c.tenant = id;
	c.locale = c.default_locale = "en";
	c.currency = "EUR";
	other = c;
	other.tenant = id2;

	test_register(&c);
	test_lockout(&c, &other);
	test_sessions(&c, &other);
	test_reset(&c);
	test_profile(&c);
	test_guest_order(&c);
	test_delete(&c);
	test_admin_list(&c);

	arena_free(&a);
	db_close(db);
	migrate_free();
	config_free();
	return test_done();
}
