/* staff_invite.c: inviting, changing and removing staff (staff_invite.h). */
#include "core/common.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/account.h"
#include "platform/audit.h"
#include "platform/jobs.h"
#include "platform/quota.h"
#include "shop/shop.h"
#include "shop/staff_invite.h"

#include <json-c/json.h>

#define UTC_FMT	"'%Y-%m-%d %H:%i:%s'"

enum stmt {
	ST_IS_STAFF,
	ST_PURGE,
	ST_DROP_EMAIL,
	ST_INSERT,
	ST_STAFF,
	ST_INVITES,
	ST_CANCEL,
	ST_BY_TOKEN,
	ST_LOCK_TOKEN,
	ST_ADD_STAFF,
	ST_DROP,
	ST_SET_ROLE,
	ST_REMOVE,
	ST_END_SESSIONS,
	ST_SNAP,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_IS_STAFF] = { "staff.is_staff",
	    "SELECT id FROM {p}staff WHERE email = ?" },
	[ST_PURGE] = { "staff.invite_purge",
	    "DELETE FROM souk_staff_invites WHERE tenant_id = ? AND "
	    "expires_at <= UTC_TIMESTAMP()" },
	[ST_DROP_EMAIL] = { "staff.invite_replace",
	    "DELETE FROM souk_staff_invites WHERE tenant_id = ? AND email = ?" },
	[ST_INSERT] = { "staff.invite",
	    "INSERT INTO souk_staff_invites (tenant_id, email, role, "
	    "token_hash, invited_by, locale, expires_at) VALUES (?, ?, ?, ?, "
	    "?, ?, UTC_TIMESTAMP() + INTERVAL ? DAY)" },
	[ST_STAFF] = { "staff.list",
	    "SELECT id, email, role, DATE_FORMAT(created_at, " UTC_FMT ") "
	    "FROM {p}staff ORDER BY role = 'owner' DESC, id LIMIT 1000" },
	[ST_INVITES] = { "staff.invites",
	    "SELECT id, email, role, DATE_FORMAT(expires_at, " UTC_FMT ") "
	    "FROM souk_staff_invites WHERE tenant_id = ? AND expires_at > "
	    "UTC_TIMESTAMP() ORDER BY id LIMIT 1000" },
	[ST_CANCEL] = { "staff.invite_cancel",
	    "DELETE FROM souk_staff_invites WHERE id = ? AND tenant_id = ?" },
	[ST_BY_TOKEN] = { "staff.invite_get",
	    "SELECT id, email, role, DATE_FORMAT(expires_at, " UTC_FMT ") "
	    "FROM souk_staff_invites WHERE token_hash = ? AND tenant_id = ? "
	    "AND expires_at > UTC_TIMESTAMP()" },
	[ST_LOCK_TOKEN] = { "staff.invite_lock",
	    "SELECT id, email, role, DATE_FORMAT(expires_at, " UTC_FMT ") "
	    "FROM souk_staff_invites WHERE token_hash = ? AND tenant_id = ? "
	    "AND expires_at > UTC_TIMESTAMP() FOR UPDATE" },
	[ST_ADD_STAFF] = { "staff.add",
	    "INSERT INTO {p}staff (email, pw_hash, role) VALUES (?, ?, ?)" },
	[ST_DROP] = { "staff.invite_used",
	    "DELETE FROM souk_staff_invites WHERE id = ?" },
	[ST_SET_ROLE] = { "staff.set_role",
	    "UPDATE {p}staff SET role = ? WHERE id = ? AND role <> 'owner'" },
	[ST_REMOVE] = { "staff.remove",
	    "DELETE FROM {p}staff WHERE id = ? AND role <> 'owner'" },
	[ST_END_SESSIONS] = { "staff.end_sessions",
	    "DELETE FROM {p}sessions WHERE staff_id = ?" },
	[ST_SNAP] = { "staff.snapshot",
	    "SELECT JSON_OBJECT('email', email, 'role', role) FROM {p}staff"
	    " WHERE id = ? AND role <> 'owner' FOR UPDATE" },
};

/* Staff member id (not the owner) as the audit shows it, locked. */
static int
snapshot(struct shop_ctx *ctx, int64_t id, json_object **out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_SNAP]);
	int		 err;

	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	*out = audit_snapshot(st, &err);
	return err ? SHOP_EDB : *out == NULL ? SHOP_ENOTFOUND : SHOP_OK;
}

/* The fields {email, role} as a new object. */
static json_object *
who_json(struct str email, struct str role)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "email", json_object_new_string_len(
	    email.p, (int)email.len));
	json_object_object_add(o, "role", json_object_new_string_len(
	    role.p, (int)role.len));
	return o;
}

/* "manager" or "clerk": what an invitation or a change may give. */
static int
role_ok(struct str role)
{
	return str_eqc(role, "manager") || str_eqc(role, "clerk");
}

static int
exec1(struct shop_ctx *ctx, enum stmt s, int64_t a, int64_t b, int nb)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[s]);

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, a);
	if (nb)
		db_bind_i64(st, 1, b);
	return shop_exec(ctx, st);
}

struct invite {
	char			 email[ACCOUNT_EMAIL_MAX + 1];
	struct str		 role;
	int64_t			 by;
	const char		*url;
	const char		*locale;
	unsigned char		 h[32];
	struct field_errors	*errs;
};

static int
invite_tx(struct shop_ctx *ctx, void *arg)
{
	struct invite	*in = arg;
	struct db_stmt	*st;
	json_object	*pl;
	int64_t		 id, room;
	int		 rc;

	/* The plan's staff, first (quota.h). */
	if (quota_room(ctx->db, ctx->tenant, PLAN_STAFF, &room) != QUOTA_OK)
		return SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_IS_STAFF])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, in->email);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (rc == 1) {
		field_errors_add(in->errs, "email",
		    N_("This person is on the staff already."));
		return SHOP_ECONFLICT;
	}
	/* A new link for an address invited already: it was counted. */
	if ((st = shop_stmt(ctx, &sql[ST_DROP_EMAIL])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, ctx->tenant);
	db_bind_cstr(st, 1, in->email);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if (room != PLAN_UNLIMITED && room + (int64_t)db_affected(st) < 1)
		return SHOP_EQUOTA;
	if (exec1(ctx, ST_PURGE, ctx->tenant, 0, 0) != SHOP_OK ||
	    (st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, ctx->tenant);
	db_bind_cstr(st, 1, in->email);
	db_bind_str(st, 2, in->role);
	db_bind_blob(st, 3, in->h, sizeof(in->h));
	db_bind_i64(st, 4, in->by);
	db_bind_cstr(st, 5, in->locale);
	db_bind_i64(st, 6, STAFF_INVITE_DAYS);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	id = (int64_t)db_insert_id(st);
	db_done(st);
	pl = who_json(str_c(in->email), in->role);
	rc = audit_log(ctx->db, ctx->tenant, "staff.invite", "invitation", id,
	    NULL, pl);
	json_object_put(pl);
	if (rc == -1)
		return SHOP_EDB;
	pl = json_object_new_object();
	json_object_object_add(pl, "invite", json_object_new_int64(id));
	json_object_object_add(pl, "url", json_object_new_string(in->url));
	rc = jobs_enqueue(ctx->db, ctx->tenant, STAFF_INVITE_JOB,
	    str_c(json_object_to_json_string_ext(pl, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE)), 0, NULL);
	json_object_put(pl);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
staff_invite(struct shop_ctx *ctx, struct str email, struct str role,
    int64_t by, const char *base_url, const char *locale,
    struct field_errors *errs)
{
	struct invite	in = { .role = role, .by = by, .locale = locale,
			    .errs = errs };
	char		token[STAFF_INVITE_TOKEN_HEX + 1];

	if (account_email_norm(email, in.email, sizeof(in.email)) == -1)
		field_errors_add(errs, "email",
		    N_("Enter an e-mail address such as name@example.com."));
	if (!role_ok(role))
		field_errors_add(errs, "role",
		    N_("Choose manager or clerk."));
	if (errs->n)
		return SHOP_EINVAL;
	crypto_random_hex(token, STAFF_INVITE_TOKEN_HEX / 2);
	(void)crypto_token_hash(token, STAFF_INVITE_TOKEN_HEX,
	    STAFF_INVITE_TOKEN_HEX, in.h);
	in.url = arena_printf(ctx->a, "%sadmin/invite/%s", base_url, token);
	return shop_tx(ctx, invite_tx, &in);
}

int
staff_list(struct shop_ctx *ctx, struct staff_member **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_STAFF]);
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		(*out)[*n] = (struct staff_member){ db_col_i64(st, 0),
		    db_col_str(st, 1), db_col_str(st, 2), db_col_str(st, 3) };
		(*n)++;
	}
	db_done(st);
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}

static void
read_invite(struct db_stmt *st, struct staff_invitation *v)
{
	*v = (struct staff_invitation){ db_col_i64(st, 0), db_col_str(st, 1),
	    db_col_str(st, 2), db_col_str(st, 3) };
}

int
staff_invitations(struct shop_ctx *ctx, struct staff_invitation **out,
    size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_INVITES]);
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, ctx->tenant);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		read_invite(st, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}

int
staff_invite_cancel(struct shop_ctx *ctx, int64_t id)
{
	return exec1(ctx, ST_CANCEL, id, ctx->tenant, 1);
}

/* The invitation of token (checked: 64 hex digits) by statement s. */
static int
by_token(struct shop_ctx *ctx, enum stmt s, struct str token,
    struct staff_invitation *out)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	int		 rc;

	if (crypto_token_hash(token.p, token.len, STAFF_INVITE_TOKEN_HEX,
	    h) == -1)
		return SHOP_ENOTFOUND;
	if ((st = shop_stmt(ctx, &sql[s])) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	db_bind_i64(st, 1, ctx->tenant);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		read_invite(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
staff_invite_get(struct shop_ctx *ctx, struct str token,
    struct staff_invitation *out)
{
	return by_token(ctx, ST_BY_TOKEN, token, out);
}

struct accept {
	struct str		 token;
	char			 hash[CRYPTO_PW_HASHLEN];
	int64_t			 staff_id;
};

static int
accept_tx(struct shop_ctx *ctx, void *arg)
{
	struct accept		*ac = arg;
	struct staff_invitation	 inv;
	struct db_stmt		*st;
	json_object		*after;
	int			 rc;

	/* Locked: of two tabs accepting at once, one makes the row. */
	if ((rc = by_token(ctx, ST_LOCK_TOKEN, ac->token, &inv)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_ADD_STAFF])) == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, inv.email);
	db_bind_cstr(st, 1, ac->hash);
	db_bind_str(st, 2, inv.role);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	ac->staff_id = (int64_t)db_insert_id(st);
	db_done(st);
	after = who_json(inv.email, inv.role);
	rc = audit_log(ctx->db, ctx->tenant, "staff.join", "staff",
	    ac->staff_id, NULL, after);
	json_object_put(after);
	if (rc == -1)
		return SHOP_EDB;
	return exec1(ctx, ST_DROP, inv.id, 0, 0);
}

int
staff_invite_accept(struct shop_ctx *ctx, struct str token,
    struct str password, struct field_errors *errs, int64_t *staff_id)
{
	struct accept		ac = { .token = token };
	struct staff_invitation	inv;
	enum account_err	e;
	int			rc;

	/* Known first: no hashing for a dead link. */
	if ((rc = staff_invite_get(ctx, token, &inv)) != SHOP_OK)
		return rc;
	if ((e = account_password_check(password)) != ACCOUNT_OK) {
		field_errors_add(errs, "password", e == ACCOUNT_EWEAK_PASSWORD ?
		    N_("A password has at least 8 characters.") :
		    N_("This password is too long."));
		return SHOP_EINVAL;
	}
	if (crypto_pw_hash(ac.hash, password.p, password.len) == -1)
		return SHOP_EDB;
	if ((rc = shop_tx(ctx, accept_tx, &ac)) != SHOP_OK)
		return rc;
	*staff_id = ac.staff_id;
	return SHOP_OK;
}

struct set_role {
	int64_t		id;
	struct str	role;
};

static int
role_tx(struct shop_ctx *ctx, void *arg)
{
	struct set_role	*sr = arg;
	struct db_stmt	*st;
	json_object	*before, *after;
	int		 rc;

	if ((rc = snapshot(ctx, sr->id, &before)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_SET_ROLE])) == NULL) {
		json_object_put(before);
		return SHOP_EDB;
	}
	db_bind_str(st, 0, sr->role);
	db_bind_i64(st, 1, sr->id);
	if (shop_exec(ctx, st) != SHOP_OK ||
	    (rc = snapshot(ctx, sr->id, &after)) != SHOP_OK) {
		json_object_put(before);
		return SHOP_EDB;
	}
	rc = audit_log(ctx->db, ctx->tenant, "staff.role", "staff", sr->id,
	    before, after);
	json_object_put(before);
	json_object_put(after);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
staff_set_role(struct shop_ctx *ctx, int64_t id, struct str role)
{
	struct set_role sr = { id, role };

	if (!role_ok(role))
		return SHOP_EINVAL;
	return shop_tx(ctx, role_tx, &sr);
}

static int
remove_tx(struct shop_ctx *ctx, void *arg)
{
	const int64_t	*id = arg;
	struct db_stmt	*st;
	json_object	*before;
	int		 rc;

	if ((rc = snapshot(ctx, *id, &before)) != SHOP_OK)
		return rc;
	rc = audit_log(ctx->db, ctx->tenant, "staff.remove", "staff", *id,
	    before, NULL);
	json_object_put(before);
	if (rc == -1 || (st = shop_stmt(ctx, &sql[ST_REMOVE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, *id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if (db_affected(st) == 0)
		return SHOP_ENOTFOUND;
	return exec1(ctx, ST_END_SESSIONS, *id, 0, 0);
}

int
staff_remove(struct shop_ctx *ctx, int64_t id)
{
	return shop_tx(ctx, remove_tx, &id);
}
