/*
 * customer.c: a shop's shoppers with an account (see customer.h): their
 * registration, logins, sessions, reset links, profile, address book,
 * and the erasure of an account.
 */
#include "core/common.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/account.h"
#include "platform/jobs.h"
#include "platform/lockout.h"
#include "shop/customer.h"
#include "shop/shop.h"
#include "shop/wc_webhook.h"

#include <json.h>

enum stmt {
	ST_BY_EMAIL,
	ST_BY_EMAIL_LOCK,
	ST_INSERT,
	ST_ATTACH_ORDER,
	ST_RESET_SET,
	ST_SESSION_EXPIRED,
	ST_SESSION_NEW,
	ST_SESSION_GET,
	ST_SESSION_END,
	ST_SESSIONS_END_ALL,
	ST_SESSIONS_END_OTHERS,
	ST_RESET_CHECK,
	ST_RESET_LOCK,
	ST_RESET_USE,
	ST_GET,
	ST_LOCK,
	ST_SET_PROFILE,
	ST_EMAIL_SET,
	ST_EMAIL_CHECK,
	ST_EMAIL_LOCK,
	ST_EMAIL_USE,
	ST_EMAIL_DROP,
	ST_SET_PW,
	ST_ADDR_LIST,
	ST_ADDR_GET,
	ST_ADDR_COUNT,
	ST_ADDR_INSERT,
	ST_ADDR_UPDATE,
	ST_ADDR_DELETE,
	ST_ADDR_CLEAR_DEFAULT,
	ST_ADDR_SET_DEFAULT,
	ST_ADDR_DEFAULT_OLDEST,
	ST_ADDR_DELETE_ALL,
	ST_ORDERS_NOTE,
	ST_ORDERS_ERASE,
	ST_CART_ITEMS_DELETE,
	ST_CARTS_DELETE,
	ST_DELETE,
	ST_ADMIN_LIST,
	ST__MAX
};

#define CUSTOMER_COLS \
	"id, email, name, phone, locale, " \
	"DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s')"
#define ADDRESS_COLS \
	"id, name, company, line1, line2, city, region, postcode, country, " \
	"phone, is_default"

static const struct shop_sql sql[ST__MAX] = {
	[ST_BY_EMAIL] = { "customer.by_email",
	    "SELECT " CUSTOMER_COLS ", pw_hash FROM {p}customers"
	    " WHERE email = ?" },
	/* Whether a reset link went out in the last CUSTOMER_RESET_GAP
	 * seconds, read under the row's lock: two requests at once send
	 * one mail. */
	[ST_BY_EMAIL_LOCK] = { "customer.by_email_lock",
	    "SELECT id, COALESCE(reset_expires > NOW() + INTERVAL ? SECOND,"
	    " 0) FROM {p}customers WHERE email = ? FOR UPDATE" },
	[ST_INSERT] = { "customer.insert",
	    "INSERT INTO {p}customers (email, pw_hash, name, locale)"
	    " VALUES (?, ?, ?, ?)" },
	/* A guest's order joins the account made from its confirmation
	 * page: only with its key, its e-mail, and when nobody has it. */
	[ST_ATTACH_ORDER] = { "customer.attach_order",
	    "UPDATE {p}orders SET customer_id = ? WHERE number = ?"
	    " AND access_key = ? AND email = ? AND customer_id IS NULL" },
	[ST_RESET_SET] = { "customer.reset_set",
	    "UPDATE {p}customers SET reset_hash = ?,"
	    " reset_expires = NOW() + INTERVAL ? SECOND WHERE id = ?" },
	/* A few at a time: each new session clears more than it adds. */
	[ST_SESSION_EXPIRED] = { "customer.session_expired",
	    "DELETE FROM {p}customer_sessions WHERE expires_at <= NOW()"
	    " ORDER BY expires_at LIMIT ?" },
	[ST_SESSION_NEW] = { "customer.session_new",
	    "INSERT INTO {p}customer_sessions (token_hash, customer_id, csrf,"
	    " expires_at) VALUES (?, ?, ?, NOW() + INTERVAL ? SECOND)" },
	/* Both by primary key: what every page of a signed-in shopper
	 * costs. */
	[ST_SESSION_GET] = { "customer.session_get",
	    "SELECT c.id, c.email, c.name, c.phone, c.locale, x.csrf"
	    " FROM {p}customer_sessions x"
	    " JOIN {p}customers c ON c.id = x.customer_id"
	    " WHERE x.token_hash = ? AND x.expires_at > NOW()" },
	[ST_SESSION_END] = { "customer.session_end",
	    "DELETE FROM {p}customer_sessions WHERE token_hash = ?" },
	[ST_SESSIONS_END_ALL] = { "customer.sessions_end_all",
	    "DELETE FROM {p}customer_sessions WHERE customer_id = ?" },
	[ST_SESSIONS_END_OTHERS] = { "customer.sessions_end_others",
	    "DELETE FROM {p}customer_sessions WHERE customer_id = ?"
	    " AND token_hash <> ?" },
	[ST_RESET_CHECK] = { "customer.reset_check",
	    "SELECT id FROM {p}customers WHERE reset_hash = ?"
	    " AND reset_expires > NOW()" },
	[ST_RESET_LOCK] = { "customer.reset_lock",
	    "SELECT id, email FROM {p}customers WHERE reset_hash = ?"
	    " AND reset_expires > NOW() FOR UPDATE" },
	[ST_RESET_USE] = { "customer.reset_use",
	    "UPDATE {p}customers SET pw_hash = ?, reset_hash = NULL,"
	    " reset_expires = NULL WHERE id = ? AND reset_hash = ?" },
	[ST_GET] = { "customer.get",
	    "SELECT " CUSTOMER_COLS " FROM {p}customers WHERE id = ?" },
	[ST_LOCK] = { "customer.lock",
	    "SELECT id FROM {p}customers WHERE id = ? FOR UPDATE" },
	[ST_SET_PROFILE] = { "customer.set_profile",
	    "UPDATE {p}customers SET name = ?, phone = ? WHERE id = ?" },
	[ST_EMAIL_SET] = { "customer.email_set",
	    "UPDATE {p}customers SET new_email = ?, email_hash = ?,"
	    " email_expires = NOW() + INTERVAL ? SECOND WHERE id = ?" },
	[ST_EMAIL_CHECK] = { "customer.email_check",
	    "SELECT id, new_email FROM {p}customers WHERE email_hash = ?"
	    " AND email_expires > NOW()" },
	[ST_EMAIL_LOCK] = { "customer.email_lock",
	    "SELECT id, new_email FROM {p}customers WHERE email_hash = ?"
	    " AND email_expires > NOW() FOR UPDATE" },
	[ST_EMAIL_USE] = { "customer.email_use",
	    "UPDATE {p}customers SET email = new_email, new_email = NULL,"
	    " email_hash = NULL, email_expires = NULL WHERE id = ?" },
	[ST_EMAIL_DROP] = { "customer.email_drop",
	    "UPDATE {p}customers SET new_email = NULL, email_hash = NULL,"
	    " email_expires = NULL WHERE id = ?" },
	[ST_SET_PW] = { "customer.set_password",
	    "UPDATE {p}customers SET pw_hash = ?, reset_hash = NULL,"
	    " reset_expires = NULL WHERE id = ?" },
	[ST_ADDR_LIST] = { "customer.addresses",
	    "SELECT " ADDRESS_COLS " FROM {p}addresses WHERE customer_id = ?"
	    " ORDER BY is_default DESC, id DESC LIMIT 50" },
	[ST_ADDR_GET] = { "customer.address_get",
	    "SELECT " ADDRESS_COLS " FROM {p}addresses WHERE customer_id = ?"
	    " AND id = ?" },
	[ST_ADDR_COUNT] = { "customer.address_count",
	    "SELECT COUNT(*), COALESCE(SUM(is_default), 0) FROM {p}addresses"
	    " WHERE customer_id = ?" },
	[ST_ADDR_INSERT] = { "customer.address_insert",
	    "INSERT INTO {p}addresses (customer_id, name, company, line1,"
	    " line2, city, region, postcode, country, phone, is_default)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
	[ST_ADDR_UPDATE] = { "customer.address_update",
	    "UPDATE {p}addresses SET name = ?, company = ?, line1 = ?,"
	    " line2 = ?, city = ?, region = ?, postcode = ?, country = ?,"
	    " phone = ? WHERE id = ? AND customer_id = ?" },
	[ST_ADDR_DELETE] = { "customer.address_delete",
	    "DELETE FROM {p}addresses WHERE id = ? AND customer_id = ?" },
	[ST_ADDR_CLEAR_DEFAULT] = { "customer.address_clear_default",
	    "UPDATE {p}addresses SET is_default = 0 WHERE customer_id = ?" },
	[ST_ADDR_SET_DEFAULT] = { "customer.address_set_default",
	    "UPDATE {p}addresses SET is_default = 1 WHERE id = ?"
	    " AND customer_id = ?" },
	[ST_ADDR_DEFAULT_OLDEST] = { "customer.address_default_oldest",
	    "UPDATE {p}addresses SET is_default = 1 WHERE customer_id = ?"
	    " ORDER BY id LIMIT 1" },
	[ST_ADDR_DELETE_ALL] = { "customer.address_delete_all",
	    "DELETE FROM {p}addresses WHERE customer_id = ?" },
	/* The erasure, said in each order's history (before the orders
	 * lose their customer_id, which finds them). */
	[ST_ORDERS_NOTE] = { "customer.orders_note",
	    "INSERT INTO {p}order_events (order_id, actor, kind, note)"
	    " SELECT id, 'system', 'note', ? FROM {p}orders"
	    " WHERE customer_id = ?" },
	/* Countries, regions and postcodes stay: the tax records need
	 * them. Everything that names or finds the person goes. */
	[ST_ORDERS_ERASE] = { "customer.orders_erase",
	    "UPDATE {p}orders SET customer_id = NULL, email = '',"
	    " bill_name = '', bill_company = '', bill_line1 = '',"
	    " bill_line2 = '', bill_city = '', bill_phone = '',"
	    " ship_name = '', ship_company = '', ship_line1 = '',"
	    " ship_line2 = '', ship_city = '', ship_phone = ''"
	    " WHERE customer_id = ?" },
	[ST_CART_ITEMS_DELETE] = { "customer.cart_items_delete",
	    "DELETE i FROM {p}cart_items i JOIN {p}carts c ON c.id = i.cart_id"
	    " WHERE c.customer_id = ?" },
	[ST_CARTS_DELETE] = { "customer.carts_delete",
	    "DELETE FROM {p}carts WHERE customer_id = ?" },
	[ST_DELETE] = { "customer.delete",
	    "DELETE FROM {p}customers WHERE id = ?" },
	[ST_ADMIN_LIST] = { "customer.admin_list",
	    "SELECT " CUSTOMER_COLS " FROM {p}customers"
	    " WHERE (? = 0 OR id < ?)"
	    " AND (? = '' OR email LIKE ? OR name LIKE ?)"
	    " ORDER BY id DESC LIMIT ?" },
};

/* What an order's history says of an erased account (stored as is: the
 * history's notes are the merchant's record, in no one language). */
#define ERASED_NOTE "The customer deleted their account: their personal " \
	"data (e-mail, names, street, city, phone) was erased from this order."

int64_t
customer_scope(int64_t tenant)
{
	return CUSTOMER_SCOPE_BASE + tenant;
}

/* Runs q with one id parameter; SHOP_OK or an error. */
static int
exec_id(struct shop_ctx *ctx, enum stmt q, int64_t id)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[q]);

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	return shop_exec(ctx, st);
}

static void
read_customer(struct db_stmt *st, struct customer *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_i64(st, 0);
	out->email = db_col_str(st, 1);
	out->name = db_col_str(st, 2);
	out->phone = db_col_str(st, 3);
	out->locale = db_col_str(st, 4);
	out->created_at = db_col_str(st, 5);
}

/* --- field checks ----------------------------------------------------- */

static int
text_ok(struct str s, size_t max)
{
	return str_valid_text(s) && str_chars(s) <= max;
}

static void
check_password(struct str pw, const char *field, struct field_errors *errs)
{
	switch (account_password_check(pw)) {
	case ACCOUNT_OK:
		break;
	case ACCOUNT_EWEAK_PASSWORD:
		field_errors_add(errs, field,
		    N_("Use a password of at least 8 characters."));
		break;
	default:
		field_errors_add(errs, field,
		    N_("Use a password of at most 1024 characters."));
		break;
	}
}

/* The normalised e-mail into norm, or an error on field. */
static int
check_email(struct str email, char norm[ACCOUNT_EMAIL_MAX + 1],
    struct field_errors *errs)
{
	if (account_email_norm(str_trim(email), norm, ACCOUNT_EMAIL_MAX + 1)
	    == -1) {
		field_errors_add(errs, "email",
		    N_("Enter a valid e-mail address."));
		return -1;
	}
	return 0;
}

static void
check_name(struct str name, struct field_errors *errs)
{
	if (!text_ok(name, CUSTOMER_NAME_MAX))
		field_errors_add(errs, "name",
		    N_("A name has at most 200 characters."));
}

/* A token's hex and its SHA-256. */
static void
new_token(char *hex, size_t nbytes, unsigned char h[32])
{
	crypto_random_hex(hex, nbytes);
	(void)crypto_token_hash(hex, 2 * nbytes, 2 * nbytes, h);
}

static int
enqueue(struct shop_ctx *ctx, const char *kind, json_object *pl)
{
	const char	*text = json_object_to_json_string_ext(pl,
			    JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE);
	int		 rc;

	rc = jobs_enqueue(ctx->db, ctx->tenant, kind, str_c(text), 0, NULL);
	if (rc == -1)
		log_err("cannot queue %s: %s", kind, db_error(ctx->db));
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* A reset link for customer id into the row and a mail job, in the
 * caller's transaction. */
static int
reset_set(struct shop_ctx *ctx, int64_t id, const unsigned char h[32],
    const char *url, const char *token, const char *reason)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_RESET_SET]);
	json_object	*pl;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, 32);
	db_bind_i64(st, 1, CUSTOMER_RESET_TTL);
	db_bind_i64(st, 2, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	pl = json_object_new_object();
	json_object_object_add(pl, "customer", json_object_new_int64(id));
	json_object_object_add(pl, "url", json_object_new_string(
	    arena_printf(ctx->a, "%s%s", url, token)));
	json_object_object_add(pl, "reason", json_object_new_string(reason));
	rc = enqueue(ctx, CUSTOMER_JOB_RESET, pl);
	json_object_put(pl);
	return rc;
}

/*
 * The account of norm, locked: SHOP_OK with *id (0: none) and *recent
 * (a reset link went out less than CUSTOMER_RESET_GAP seconds ago).
 */
static int
lock_by_email(struct shop_ctx *ctx, const char *norm, int64_t *id,
    int *recent)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_BY_EMAIL_LOCK]);
	int		 rc;

	*id = 0;
	*recent = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, CUSTOMER_RESET_TTL - CUSTOMER_RESET_GAP);
	db_bind_cstr(st, 1, norm);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		*id = db_col_i64(st, 0);
		*recent = db_col_i64(st, 1) != 0;
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* --- registration ------------------------------------------------------ */

struct reg {
	const struct customer_reg	*in;
	const char			*norm;
	const char			*hash;
	const char			*token;
	unsigned char			 h[32];
	int64_t				 id;	/* new account's; 0: existed */
};

static int
attach_order(struct shop_ctx *ctx, struct reg *g)
{
	struct db_stmt *st;

	if (g->in->order_number <= 0 ||
	    g->in->order_key.len != CUSTOMER_ORDER_KEY_HEX)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_ATTACH_ORDER])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, g->id);
	db_bind_i64(st, 1, g->in->order_number);
	db_bind_str(st, 2, g->in->order_key);
	db_bind_cstr(st, 3, g->norm);
	return shop_exec(ctx, st);
}

static int
register_tx(struct shop_ctx *ctx, void *arg)
{
	struct reg	*g = arg;
	struct db_stmt	*st;
	json_object	*pl;
	int64_t		 id;
	int		 recent, rc;

	g->id = 0;
	if ((rc = lock_by_email(ctx, g->norm, &id, &recent)) != SHOP_OK)
		return rc;
	if (id != 0)	/* its owner is told, with a link to choose anew */
		return recent ? SHOP_OK : reset_set(ctx, id, g->h,
		    g->in->reset_url, g->token, "register");
	if ((st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, g->norm);
	db_bind_cstr(st, 1, g->hash);
	db_bind_str(st, 2, str_trim(g->in->name));
	db_bind_cstr(st, 3, ctx->locale ? ctx->locale : "en");
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	g->id = (int64_t)db_insert_id(st);
	if ((rc = attach_order(ctx, g)) != SHOP_OK ||
	    (rc = wc_webhook_fire(ctx, "customer.created", g->id)) !=
	    SHOP_OK)
		return rc;
	pl = json_object_new_object();
	json_object_object_add(pl, "customer", json_object_new_int64(g->id));
	rc = enqueue(ctx, CUSTOMER_JOB_CREATED, pl);
	json_object_put(pl);
	return rc;
}

int
customer_register(struct shop_ctx *ctx, const struct customer_reg *in,
    struct field_errors *errs, int64_t *id_out)
{
	struct reg	g;
	char		norm[ACCOUNT_EMAIL_MAX + 1];
	char		hash[CRYPTO_PW_HASHLEN];
	char		token[CUSTOMER_RESET_HEX + 1];
	int		rc;

	memset(errs, 0, sizeof(*errs));
	if (id_out != NULL)
		*id_out = 0;
	(void)check_email(in->email, norm, errs);
	check_password(in->password, "password", errs);
	check_name(str_trim(in->name), errs);
	if (errs->n)
		return SHOP_EINVAL;
	/* The same work whether the address has an account or not: the
	 * hash, a token, one transaction with one job. */
	if (crypto_pw_hash(hash, in->password.p, in->password.len) == -1) {
		log_err("cannot hash a password");
		return SHOP_EDB;
	}
	memset(&g, 0, sizeof(g));
	g.in = in;
	g.norm = norm;
	g.hash = hash;
	g.token = token;
	new_token(token, CUSTOMER_RESET_HEX / 2, g.h);
	rc = shop_tx(ctx, register_tx, &g);
	/* Two registrations of one new address at once: the second finds
	 * the first's row when it runs again. */
	if (rc == SHOP_ECONFLICT)
		rc = shop_tx(ctx, register_tx, &g);
	if (rc != SHOP_OK)
		return rc == SHOP_ECONFLICT ? SHOP_EDB : rc;
	if (g.id)
		log_info("customer %lld registered", (long long)g.id);
	if (id_out != NULL)
		*id_out = g.id;
	return SHOP_OK;
}

/* --- logins ------------------------------------------------------------ */

struct login {
	struct shop_ctx	*ctx;
	struct str	 email;
	struct customer	*out;
};

/* lockout_find_fn: the hash of l->email's account, which fills l->out. */
static int
find(struct db *db, void *arg, char hash[CRYPTO_PW_HASHLEN])
{
	struct login	*l = arg;
	struct db_stmt	*st;
	char		 norm[ACCOUNT_EMAIL_MAX + 1];
	int		 rc;

	(void)db;
	if (account_email_norm(str_trim(l->email), norm, sizeof(norm)) == -1)
		return 0;
	if ((st = shop_stmt(l->ctx, &sql[ST_BY_EMAIL])) == NULL)
		return -1;
	db_bind_cstr(st, 0, norm);
	if (shop_exec(l->ctx, st) != SHOP_OK)
		return -1;
	if ((rc = db_step(st)) == 1) {
		read_customer(st, l->out);
		str_copy(hash, CRYPTO_PW_HASHLEN, db_col_str(st, 6));
	}
	db_done(st);
	return rc;
}

int
customer_login(struct shop_ctx *ctx, struct str email, struct str password,
    struct customer *out)
{
	struct login	l = { ctx, email, out };
	int		rc;

	memset(out, 0, sizeof(*out));
	rc = lockout_login(ctx->db, customer_scope(ctx->tenant), email,
	    password, find, &l);
	if (rc != LOCKOUT_OK)
		memset(out, 0, sizeof(*out));
	switch (rc) {
	case LOCKOUT_OK:
		return SHOP_OK;
	case LOCKOUT_EBADLOGIN:
		return SHOP_EDENIED;
	case LOCKOUT_ELOCKED:
		return SHOP_ELOCKED;
	default:
		log_err("customer login failed: %s", db_error(ctx->db));
		return SHOP_EDB;
	}
}

/* The password of signed-in customer id, checked through the lock-out
 * of their e-mail (a stolen session cannot guess it faster than a
 * login could). */
static int
check_own_password(struct shop_ctx *ctx, int64_t id, struct str password,
    struct customer *c)
{
	struct customer	found;
	int		rc;

	if ((rc = customer_get(ctx, id, c)) != SHOP_OK)
		return rc;
	rc = customer_login(ctx, c->email, password, &found);
	if (rc == SHOP_OK && found.id != id)
		return SHOP_EDENIED;
	return rc;
}

/* --- sessions ---------------------------------------------------------- */

int
customer_session_new(struct shop_ctx *ctx, int64_t customer_id, long ttl,
    char token[CUSTOMER_TOKEN_HEX + 1], char csrf[33])
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	int		 rc;

	new_token(token, CUSTOMER_TOKEN_HEX / 2, h);
	crypto_random_hex(csrf, 16);
	if ((rc = exec_id(ctx, ST_SESSION_EXPIRED, CUSTOMER_SESSION_PURGE)) !=
	    SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_SESSION_NEW])) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	db_bind_i64(st, 1, customer_id);
	db_bind_cstr(st, 2, csrf);
	db_bind_i64(st, 3, ttl);
	return shop_exec(ctx, st);
}

int
customer_session_get(struct shop_ctx *ctx, struct str token,
    struct customer *out)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (crypto_token_hash(token.p, token.len, CUSTOMER_TOKEN_HEX, h) == -1)
		return SHOP_ENOTFOUND;
	if ((st = shop_stmt(ctx, &sql[ST_SESSION_GET])) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		out->id = db_col_i64(st, 0);
		out->email = db_col_str(st, 1);
		out->name = db_col_str(st, 2);
		out->phone = db_col_str(st, 3);
		out->locale = db_col_str(st, 4);
		str_copy(out->csrf, sizeof(out->csrf), db_col_str(st, 5));
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
customer_session_end(struct shop_ctx *ctx, struct str token)
{
	struct db_stmt	*st;
	unsigned char	 h[32];

	if (crypto_token_hash(token.p, token.len, CUSTOMER_TOKEN_HEX, h) == -1)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_SESSION_END])) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	return shop_exec(ctx, st);
}

/* --- reset links ------------------------------------------------------- */

struct reset_req {
	const char	*norm;
	const char	*url;
	const char	*token;
	unsigned char	 h[32];
};

static int
reset_request_tx(struct shop_ctx *ctx, void *arg)
{
	struct reset_req	*q = arg;
	int64_t			 id;
	int			 recent, rc;

	if ((rc = lock_by_email(ctx, q->norm, &id, &recent)) != SHOP_OK)
		return rc;
	if (id == 0 || recent)
		return SHOP_OK;
	return reset_set(ctx, id, q->h, q->url, q->token, "reset");
}

int
customer_reset_request(struct shop_ctx *ctx, struct str email,
    const char *url)
{
	struct reset_req	q;
	char			norm[ACCOUNT_EMAIL_MAX + 1];
	char			token[CUSTOMER_RESET_HEX + 1];

	if (account_email_norm(str_trim(email), norm, sizeof(norm)) == -1)
		return SHOP_OK;
	memset(&q, 0, sizeof(q));
	q.norm = norm;
	q.url = url;
	q.token = token;
	new_token(token, CUSTOMER_RESET_HEX / 2, q.h);
	return shop_tx(ctx, reset_request_tx, &q);
}

int
customer_reset_check(struct shop_ctx *ctx, struct str token, int64_t *id)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	int		 rc;

	*id = 0;
	if (crypto_token_hash(token.p, token.len, CUSTOMER_RESET_HEX, h) == -1)
		return SHOP_ENOTFOUND;
	if ((st = shop_stmt(ctx, &sql[ST_RESET_CHECK])) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		*id = db_col_i64(st, 0);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

struct reset_use {
	unsigned char	 h[32];
	const char	*hash;
	int64_t		 id;
	struct str	 email;
};

static int
reset_use_tx(struct shop_ctx *ctx, void *arg)
{
	struct reset_use	*u = arg;
	struct db_stmt		*st;
	int			 rc;

	u->id = 0;
	if ((st = shop_stmt(ctx, &sql[ST_RESET_LOCK])) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, u->h, sizeof(u->h));
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		u->id = db_col_i64(st, 0);
		u->email = db_col_str(st, 1);
	}
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_RESET_USE])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, u->hash);
	db_bind_i64(st, 1, u->id);
	db_bind_blob(st, 2, u->h, sizeof(u->h));
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if (db_affected(st) != 1)
		return SHOP_ENOTFOUND;
	return exec_id(ctx, ST_SESSIONS_END_ALL, u->id);
}

int
customer_reset_finish(struct shop_ctx *ctx, struct str token,
    struct str password, struct field_errors *errs, int64_t *id)
{
	struct reset_use	u;
	char			hash[CRYPTO_PW_HASHLEN];
	int			rc;

	memset(errs, 0, sizeof(*errs));
	*id = 0;
	memset(&u, 0, sizeof(u));
	if (crypto_token_hash(token.p, token.len, CUSTOMER_RESET_HEX, u.h) ==
	    -1)
		return SHOP_ENOTFOUND;
	check_password(password, "password", errs);
	if (errs->n)
		return SHOP_EINVAL;
	/* Hashed before the transaction: no lock is held for argon2. */
	if (crypto_pw_hash(hash, password.p, password.len) == -1)
		return SHOP_EDB;
	u.hash = hash;
	if ((rc = shop_tx(ctx, reset_use_tx, &u)) != SHOP_OK)
		return rc;
	if (lockout_clear(ctx->db, customer_scope(ctx->tenant), u.email) == -1)
		return SHOP_EDB;
	log_info("customer %lld chose a new password by reset link",
	    (long long)u.id);
	*id = u.id;
	return SHOP_OK;
}

/* --- profile ----------------------------------------------------------- */

int
customer_get(struct shop_ctx *ctx, int64_t id, struct customer *out)
{
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = shop_stmt(ctx, &sql[ST_GET])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		read_customer(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

/* A phone as address_check() wants it: digits, spaces and "+-()./". */
static int
phone_ok(struct str p)
{
	size_t i;

	if (str_chars(p) > CUSTOMER_PHONE_MAX)
		return 0;
	for (i = 0; i < p.len; i++)
		if (!(p.p[i] >= '0' && p.p[i] <= '9') &&
		    strchr(" +-()./", p.p[i]) == NULL)
			return 0;
	return 1;
}

int
customer_set_profile(struct shop_ctx *ctx, int64_t id, struct str name,
    struct str phone, struct field_errors *errs)
{
	struct customer	 c;
	struct db_stmt	*st;
	int		 rc;

	memset(errs, 0, sizeof(*errs));
	name = str_trim(name);
	phone = str_trim(phone);
	check_name(name, errs);
	if (!phone_ok(phone))
		field_errors_add(errs, "phone", N_("A phone number has at most "
		    "40 digits, spaces and +-()./ signs."));
	if (errs->n)
		return SHOP_EINVAL;
	if ((rc = customer_get(ctx, id, &c)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_SET_PROFILE])) == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, name);
	db_bind_str(st, 1, phone);
	db_bind_i64(st, 2, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	/* One statement, no transaction: a crash between the two loses
	 * this event (NEEDSWORK: one transaction for both). */
	return wc_webhook_fire(ctx, "customer.updated", id);
}

/* A wrong password's field error. */
static int
denied(int rc, const char *field, struct field_errors *errs)
{
	if (rc == SHOP_EDENIED)
		field_errors_add(errs, field, N_("This is not your password."));
	else if (rc == SHOP_ELOCKED)
		field_errors_add(errs, field, N_("Too many failed attempts. "
		    "Try again in 15 minutes."));
	return rc;
}

struct email_req {
	int64_t		 id;
	const char	*norm, *url, *token;
	unsigned char	 h[32];
};

/* The pending address and its link, and the mail that carries it. */
static int
email_request_tx(struct shop_ctx *ctx, void *arg)
{
	struct email_req	*e = arg;
	struct db_stmt		*st = shop_stmt(ctx, &sql[ST_EMAIL_SET]);
	json_object		*pl;
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, e->norm);
	db_bind_blob(st, 1, e->h, 32);
	db_bind_i64(st, 2, CUSTOMER_EMAIL_TTL);
	db_bind_i64(st, 3, e->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	pl = json_object_new_object();
	json_object_object_add(pl, "customer", json_object_new_int64(e->id));
	json_object_object_add(pl, "url", json_object_new_string(
	    arena_printf(ctx->a, "%s%s", e->url, e->token)));
	rc = enqueue(ctx, CUSTOMER_JOB_EMAIL, pl);
	json_object_put(pl);
	return rc;
}

int
customer_set_email(struct shop_ctx *ctx, int64_t id, struct str password,
    struct str email, const char *confirm_url, struct field_errors *errs)
{
	struct customer		c;
	struct email_req	e;
	char			norm[ACCOUNT_EMAIL_MAX + 1];
	char			token[CUSTOMER_RESET_HEX + 1];
	int			rc;

	memset(errs, 0, sizeof(*errs));
	if (check_email(email, norm, errs) == -1)
		return SHOP_EINVAL;
	if ((rc = check_own_password(ctx, id, password, &c)) != SHOP_OK)
		return denied(rc, "password", errs);
	if (str_eqc(c.email, norm)) {
		field_errors_add(errs, "email",
		    N_("This is the address of your account already."));
		return SHOP_EINVAL;
	}
	/* Whether norm has an account is not looked at here: the mail
	 * to it says so, to its owner. */
	memset(&e, 0, sizeof(e));
	e.id = id;
	e.norm = norm;
	e.url = confirm_url;
	new_token(token, CUSTOMER_RESET_HEX / 2, e.h);
	e.token = token;
	if ((rc = shop_tx(ctx, email_request_tx, &e)) == SHOP_OK)
		log_info("customer %lld asked to change their e-mail",
		    (long long)id);
	return rc;
}

/* The customer and new address of a change token's hash, by q. */
static int
email_by_hash(struct shop_ctx *ctx, enum stmt q, const unsigned char h[32],
    int64_t *id, struct str *email)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	int		 rc;

	*id = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, 32);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		*id = db_col_i64(st, 0);
		*email = db_col_str(st, 1);
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
customer_email_check(struct shop_ctx *ctx, struct str token,
    struct str *email)
{
	unsigned char	h[32];
	int64_t		id;

	*email = STR("");
	if (crypto_token_hash(token.p, token.len, CUSTOMER_RESET_HEX, h) == -1)
		return SHOP_ENOTFOUND;
	return email_by_hash(ctx, ST_EMAIL_CHECK, h, &id, email);
}

struct email_use {
	unsigned char	 h[32];
	int64_t		 id;
	struct str	 email;
	int		 taken;
};

static int
email_use_tx(struct shop_ctx *ctx, void *arg)
{
	struct email_use	*u = arg;
	int			 rc;

	u->taken = 0;
	if ((rc = email_by_hash(ctx, ST_EMAIL_LOCK, u->h, &u->id,
	    &u->email)) != SHOP_OK)
		return rc;
	rc = exec_id(ctx, ST_EMAIL_USE, u->id);
	if (rc == SHOP_ECONFLICT) {
		/* Another account has it: the link is spent all the same. */
		u->taken = 1;
		return exec_id(ctx, ST_EMAIL_DROP, u->id);
	}
	if (rc == SHOP_OK)
		rc = wc_webhook_fire(ctx, "customer.updated", u->id);
	return rc;
}

int
customer_email_confirm(struct shop_ctx *ctx, struct str token,
    struct str *email)
{
	struct email_use	u;
	int			rc;

	*email = STR("");
	memset(&u, 0, sizeof(u));
	if (crypto_token_hash(token.p, token.len, CUSTOMER_RESET_HEX,
	    u.h) == -1)
		return SHOP_ENOTFOUND;
	if ((rc = shop_tx(ctx, email_use_tx, &u)) != SHOP_OK)
		return rc;
	*email = u.email;
	if (u.taken)
		return SHOP_ECONFLICT;
	log_info("customer %lld changed their e-mail", (long long)u.id);
	return SHOP_OK;
}

struct set_pw {
	int64_t		 id;
	const char	*hash;
	unsigned char	 keep[32];
	int		 has_keep;
};

static int
set_password_tx(struct shop_ctx *ctx, void *arg)
{
	struct set_pw	*p = arg;
	struct db_stmt	*st;
	int		 rc;

	if ((st = shop_stmt(ctx, &sql[ST_SET_PW])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, p->hash);
	db_bind_i64(st, 1, p->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if (!p->has_keep)
		return exec_id(ctx, ST_SESSIONS_END_ALL, p->id);
	if ((st = shop_stmt(ctx, &sql[ST_SESSIONS_END_OTHERS])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, p->id);
	db_bind_blob(st, 1, p->keep, sizeof(p->keep));
	return shop_exec(ctx, st);
}

int
customer_set_password(struct shop_ctx *ctx, int64_t id, struct str current,
    struct str password, struct str keep_token, struct field_errors *errs)
{
	struct customer	c;
	struct set_pw	p;
	char		hash[CRYPTO_PW_HASHLEN];
	int		rc;

	memset(errs, 0, sizeof(*errs));
	check_password(password, "password", errs);
	if (errs->n)
		return SHOP_EINVAL;
	if ((rc = check_own_password(ctx, id, current, &c)) != SHOP_OK)
		return denied(rc, "current_password", errs);
	if (crypto_pw_hash(hash, password.p, password.len) == -1)
		return SHOP_EDB;
	memset(&p, 0, sizeof(p));
	p.id = id;
	p.hash = hash;
	p.has_keep = crypto_token_hash(keep_token.p, keep_token.len,
	    CUSTOMER_TOKEN_HEX, p.keep) == 0;
	if ((rc = shop_tx(ctx, set_password_tx, &p)) != SHOP_OK)
		return rc;
	log_info("customer %lld changed their password", (long long)id);
	return SHOP_OK;
}

/* --- address book ------------------------------------------------------ */

static void
read_address(struct db_stmt *st, struct customer_address *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_i64(st, 0);
	out->a.name = db_col_str(st, 1);
	out->a.company = db_col_str(st, 2);
	out->a.line1 = db_col_str(st, 3);
	out->a.line2 = db_col_str(st, 4);
	out->a.city = db_col_str(st, 5);
	out->a.region = db_col_str(st, 6);
	out->a.postcode = db_col_str(st, 7);
	out->a.country = db_col_str(st, 8);
	out->a.phone = db_col_str(st, 9);
	out->is_default = db_col_i64(st, 10) != 0;
}

int
customer_addresses(struct shop_ctx *ctx, int64_t customer_id,
    struct customer_address **out, size_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = shop_stmt(ctx, &sql[ST_ADDR_LIST])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, customer_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_alloc(ctx->a, CUSTOMER_ADDRESSES_MAX * sizeof(**out));
	while (*n < CUSTOMER_ADDRESSES_MAX && (rc = db_step(st)) == 1)
		read_address(st, &(*out)[(*n)++]);
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
customer_address_get(struct shop_ctx *ctx, int64_t customer_id, int64_t id,
    struct customer_address *out)
{
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = shop_stmt(ctx, &sql[ST_ADDR_GET])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, customer_id);
	db_bind_i64(st, 1, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		read_address(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

/* Takes the customer's row lock (address book changes of one customer
 * run one at a time): SHOP_ENOTFOUND when the account is gone. */
static int
lock_customer(struct shop_ctx *ctx, int64_t id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LOCK]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

struct addr_save {
	int64_t			 customer_id;
	int64_t			 id;
	const struct address	*ad;
	int			 make_default;
	int			 full;
};

static void
bind_address(struct db_stmt *st, unsigned i, const struct address *ad)
{
	db_bind_str(st, i, ad->name);
	db_bind_str(st, i + 1, ad->company);
	db_bind_str(st, i + 2, ad->line1);
	db_bind_str(st, i + 3, ad->line2);
	db_bind_str(st, i + 4, ad->city);
	db_bind_str(st, i + 5, ad->region);
	db_bind_str(st, i + 6, ad->postcode);
	db_bind_str(st, i + 7, ad->country);
	db_bind_str(st, i + 8, ad->phone);
}

static int
make_default(struct shop_ctx *ctx, int64_t customer_id, int64_t id)
{
	struct db_stmt	*st;
	int		 rc;

	if ((rc = exec_id(ctx, ST_ADDR_CLEAR_DEFAULT, customer_id)) !=
	    SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_ADDR_SET_DEFAULT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	db_bind_i64(st, 1, customer_id);
	return shop_exec(ctx, st);
}

/* The count of addresses and defaults of the customer. */
static int
address_count(struct shop_ctx *ctx, int64_t customer_id, int64_t *n,
    int64_t *defaults)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_ADDR_COUNT]);
	int		 rc;

	*n = *defaults = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, customer_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		*n = db_col_i64(st, 0);
		*defaults = db_col_i64(st, 1);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
address_save_tx(struct shop_ctx *ctx, void *arg)
{
	struct addr_save	*s = arg;
	struct customer_address	 old;
	struct db_stmt		*st;
	int64_t			 n, defaults;
	int			 rc;

	s->full = 0;
	if ((rc = lock_customer(ctx, s->customer_id)) != SHOP_OK)
		return rc;
	if ((rc = address_count(ctx, s->customer_id, &n, &defaults)) !=
	    SHOP_OK)
		return rc;
	if (s->id != 0) {
		if ((rc = customer_address_get(ctx, s->customer_id, s->id,
		    &old)) != SHOP_OK)
			return rc;
		if ((st = shop_stmt(ctx, &sql[ST_ADDR_UPDATE])) == NULL)
			return SHOP_EDB;
		bind_address(st, 0, s->ad);
		db_bind_i64(st, 9, s->id);
		db_bind_i64(st, 10, s->customer_id);
		if ((rc = shop_exec(ctx, st)) != SHOP_OK)
			return rc;
	} else {
		if (n >= CUSTOMER_ADDRESSES_MAX) {
			s->full = 1;
			return SHOP_EINVAL;
		}
		if ((st = shop_stmt(ctx, &sql[ST_ADDR_INSERT])) == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, s->customer_id);
		bind_address(st, 1, s->ad);
		db_bind_i64(st, 10, 0);
		if ((rc = shop_exec(ctx, st)) != SHOP_OK)
			return rc;
		s->id = (int64_t)db_insert_id(st);
	}
	if ((s->make_default || defaults == 0) &&
	    (rc = make_default(ctx, s->customer_id, s->id)) != SHOP_OK)
		return rc;
	return wc_webhook_fire(ctx, "customer.updated", s->customer_id);
}

int
customer_address_save(struct shop_ctx *ctx, int64_t customer_id, int64_t id,
    struct address *ad, int make_default_, struct field_errors *errs,
    int64_t *id_out)
{
	struct addr_save	s;
	int			rc;

	memset(errs, 0, sizeof(*errs));
	if (address_check(ad, ADDRESS_FORM_PLAIN, errs) > 0)
		return SHOP_EINVAL;
	memset(&s, 0, sizeof(s));
	s.customer_id = customer_id;
	s.id = id;
	s.ad = ad;
	s.make_default = make_default_;
	rc = shop_tx(ctx, address_save_tx, &s);
	if (rc == SHOP_EINVAL && s.full)
		field_errors_add(errs, "address", N_("Your address book is "
		    "full (50 addresses). Delete one first."));
	if (rc == SHOP_OK && id_out != NULL)
		*id_out = s.id;
	return rc;
}

struct addr_del {
	int64_t	customer_id;
	int64_t	id;
};

static int
address_delete_tx(struct shop_ctx *ctx, void *arg)
{
	struct addr_del	*d = arg;
	struct db_stmt	*st;
	int64_t		 n, defaults;
	int		 rc;

	if ((rc = lock_customer(ctx, d->customer_id)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_ADDR_DELETE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, d->id);
	db_bind_i64(st, 1, d->customer_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if (db_affected(st) != 1)
		return SHOP_ENOTFOUND;
	if ((rc = address_count(ctx, d->customer_id, &n, &defaults)) !=
	    SHOP_OK)
		return rc;
	if (n > 0 && defaults == 0)
		return exec_id(ctx, ST_ADDR_DEFAULT_OLDEST, d->customer_id);
	return SHOP_OK;
}

int
customer_address_delete(struct shop_ctx *ctx, int64_t customer_id,
    int64_t id)
{
	struct addr_del d = { customer_id, id };

	return shop_tx(ctx, address_delete_tx, &d);
}

static int
address_default_tx(struct shop_ctx *ctx, void *arg)
{
	struct addr_del		*d = arg;
	struct customer_address	 a;
	int			 rc;

	if ((rc = lock_customer(ctx, d->customer_id)) != SHOP_OK)
		return rc;
	if ((rc = customer_address_get(ctx, d->customer_id, d->id, &a)) !=
	    SHOP_OK)
		return rc;
	return make_default(ctx, d->customer_id, d->id);
}

int
customer_address_default(struct shop_ctx *ctx, int64_t customer_id,
    int64_t id)
{
	struct addr_del d = { customer_id, id };

	return shop_tx(ctx, address_default_tx, &d);
}

/* --- deletion ---------------------------------------------------------- */

static int
erase_tx(struct shop_ctx *ctx, void *arg)
{
	int64_t		 id = *(int64_t *)arg;
	struct db_stmt	*st;
	int		 rc;

	if ((rc = lock_customer(ctx, id)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_ORDERS_NOTE])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, ERASED_NOTE);
	db_bind_i64(st, 1, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = exec_id(ctx, ST_ORDERS_ERASE, id)) != SHOP_OK ||
	    (rc = exec_id(ctx, ST_ADDR_DELETE_ALL, id)) != SHOP_OK ||
	    (rc = exec_id(ctx, ST_SESSIONS_END_ALL, id)) != SHOP_OK ||
	    (rc = exec_id(ctx, ST_CART_ITEMS_DELETE, id)) != SHOP_OK ||
	    (rc = exec_id(ctx, ST_CARTS_DELETE, id)) != SHOP_OK ||
	    (rc = wc_webhook_fire(ctx, "customer.deleted", id)) != SHOP_OK)
		return rc;
	return exec_id(ctx, ST_DELETE, id);
}

int
customer_erase(struct shop_ctx *ctx, int64_t id)
{
	int rc = shop_tx(ctx, erase_tx, &id);

	if (rc == SHOP_OK)
		log_info("customer %lld deleted, their orders anonymised",
		    (long long)id);
	return rc;
}

int
customer_delete(struct shop_ctx *ctx, int64_t id, struct str password)
{
	struct customer	c;
	int		rc;

	if ((rc = check_own_password(ctx, id, password, &c)) != SHOP_OK)
		return rc;
	return customer_erase(ctx, id);
}

/* --- admin ------------------------------------------------------------- */

/* s with LIKE's wildcards and escape character escaped, in a. */
static struct str
like_escape(struct arena *a, struct str s)
{
	char	*out = arena_alloc(a, 2 * s.len + 1);
	size_t	 i, n = 0;

	for (i = 0; i < s.len; i++) {
		if (s.p[i] == '%' || s.p[i] == '_' || s.p[i] == '\\')
			out[n++] = '\\';
		out[n++] = s.p[i];
	}
	out[n] = '\0';
	return (struct str){ out, n };
}

int
customer_admin_list(struct shop_ctx *ctx, struct str q, int64_t after,
    struct customer_list *out)
{
	struct db_stmt	*st;
	struct str	 e;
	int		 rc;

	memset(out, 0, sizeof(*out));
	q = str_trim(q);
	if (!text_ok(q, 200))
		return SHOP_EINVAL;
	e = like_escape(ctx->a, q);
	if ((st = shop_stmt(ctx, &sql[ST_ADMIN_LIST])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, after);
	db_bind_i64(st, 1, after);
	db_bind_str(st, 2, q);
	db_bind_cstr(st, 3, arena_printf(ctx->a, "%.*s%%", (int)e.len, e.p));
	db_bind_cstr(st, 4, arena_printf(ctx->a, "%%%.*s%%", (int)e.len,
	    e.p));
	db_bind_i64(st, 5, CUSTOMER_PAGE + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	out->v = arena_alloc(ctx->a, (CUSTOMER_PAGE + 1) * sizeof(*out->v));
	while ((rc = db_step(st)) == 1) {
		if (out->n == CUSTOMER_PAGE) {
			out->more = 1;
			continue;
		}
		read_customer(st, &out->v[out->n++]);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (out->more)
		out->next = out->v[out->n - 1].id;
	return SHOP_OK;
}
