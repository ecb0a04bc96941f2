/* audit.c: the audit log (audit.h). */
#include "core/common.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/audit.h"

#include <strings.h>

#define AUDIT_VALUE_MAX	500	/* bytes of one field's value kept */

static const char *const by_names[AUDIT_BY__MAX] = {
	[AUDIT_SYSTEM] = "system",
	[AUDIT_STAFF] = "staff",
	[AUDIT_ACCOUNT] = "account",
	[AUDIT_OPERATOR] = "operator",
	[AUDIT_API_KEY] = "api_key",
	[AUDIT_OPERATOR_KEY] = "operator_key",
	[AUDIT_SOUKCTL] = "soukctl",
};

static const char q_insert[] =
	"INSERT INTO souk_audit (tenant_id, at, actor, actor_id, actor_label,"
	" addr, agent, action, object, object_id, before_json, after_json)"
	" VALUES (?, UTC_TIMESTAMP(3), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char q_list[] =
	"SELECT id, tenant_id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'),"
	" actor, actor_label, addr, agent, action, object, object_id,"
	" IFNULL(before_json, ''), IFNULL(after_json, '') FROM souk_audit"
	" WHERE (? < 0 OR tenant_id = ?) AND (? = 0 OR id < ?)"
	" ORDER BY id DESC LIMIT ?";

static struct audit_actor	now;
static int			logged;

void
audit_begin(const struct audit_actor *a)
{
	now = *a;
	logged = 0;
}

void
audit_end(void)
{
	memset(&now, 0, sizeof(now));
	logged = 0;
}

const struct audit_actor *
audit_actor(void)
{
	return &now;
}

int
audit_logged(void)
{
	return logged;
}

const char *
audit_by_name(enum audit_by b)
{
	return (unsigned)b < AUDIT_BY__MAX ? by_names[b] : "system";
}

/* The text of v (NULL: SQL NULL), cut to what a column keeps. */
static void
bind_json(struct db_stmt *st, unsigned i, json_object *v)
{
	const char *s;

	if (v == NULL || json_object_object_length(v) == 0) {
		db_bind_null(st, i);
		return;
	}
	s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	db_bind_cstr(st, i, s);
}

/* UTF-8 text cut at a character boundary to at most max bytes. */
static struct str
cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return (struct str){ s, n };
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return (struct str){ s, max };
}

static int
insert(struct db *db, int64_t tenant, const char *action, const char *object,
    int64_t object_id, json_object *before, json_object *after)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, q_insert, 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, tenant);
	db_bind_cstr(st, 1, audit_by_name(now.by));
	db_bind_i64(st, 2, now.id);
	db_bind_str(st, 3, cut(now.label, 254));
	db_bind_cstr(st, 4, now.addr);
	db_bind_str(st, 5, cut(now.agent, 255));
	db_bind_str(st, 6, cut(action, 120));
	db_bind_str(st, 7, cut(object, 40));
	db_bind_i64(st, 8, object_id);
	bind_json(st, 9, before);
	bind_json(st, 10, after);
	if (db_exec(st, NULL) == -1) {
		log_err("audit: cannot record %s: %s", action, db_error(db));
		return -1;
	}
	logged = 1;
	return 0;
}

int
audit_log(struct db *db, int64_t tenant, const char *action,
    const char *object, int64_t object_id, json_object *before,
    json_object *after)
{
	json_object	*b = NULL, *a = NULL;
	int		 rc;

	/* Only what changed: fields equal before and after go. */
	if (before != NULL && after != NULL) {
		b = json_object_new_object();
		a = json_object_new_object();
		json_object_object_foreach(after, k, v) {
			json_object *old = NULL;

			if (json_object_object_get_ex(before, k, &old) &&
			    json_object_equal(old, v))
				continue;
			json_object_object_add(a, k, json_object_get(v));
			json_object_object_add(b, k, json_object_get(old));
		}
		if (json_object_object_length(a) == 0) {
			json_object_put(a);
			json_object_put(b);
			logged = 1;	/* the request made its own entry */
			return 0;
		}
		before = b;
		after = a;
	}
	rc = insert(db, tenant, action, object, object_id, before, after);
	json_object_put(a);
	json_object_put(b);
	return rc;
}

json_object *
audit_snapshot(struct db_stmt *st, int *err)
{
	struct json_tokener	*tok;
	json_object		*o = NULL;
	struct str		 text;
	int			 rc;

	*err = 0;
	if (db_exec(st, NULL) == -1) {
		*err = 1;
		return NULL;
	}
	if ((rc = db_step(st)) == 1) {
		text = db_col_str(st, 0);
		tok = json_tokener_new();
		o = json_tokener_parse_ex(tok, text.p, (int)text.len);
		json_tokener_free(tok);
	}
	db_done(st);
	if (rc == -1)
		*err = 1;
	return o;
}

/* Keys whose values stay out of the log. */
static int
secret_key(const char *k)
{
	static const char *const words[] = { "password", "secret", "token",
	    "key", "csrf", "card", "cvc" };
	size_t i;

	for (i = 0; i < NELEM(words); i++)
		if (strcasestr(k, words[i]) != NULL)
			return 1;
	return 0;
}

int
audit_request(struct db *db, int64_t tenant, const char *method,
    const char *pattern, int64_t object_id, json_object *fields)
{
	json_object	*f = json_object_new_object();
	char		 action[121];
	int		 rc, n;

	if (fields != NULL) {
		json_object_object_foreach(fields, k, v) {
			const char *s;

			if (secret_key(k) || json_object_object_length(f) >= 40)
				continue;
			s = json_object_get_string(v);
			json_object_object_add(f, k, s == NULL ? NULL :
			    json_object_new_string_len(cut(s,
			    AUDIT_VALUE_MAX).p, (int)cut(s,
			    AUDIT_VALUE_MAX).len));
		}
	}
	n = snprintf(action, sizeof(action), "%s %s", method, pattern);
	if (n < 0)
		action[0] = '\0';
	rc = insert(db, tenant, action, "route", object_id, NULL, f);
	json_object_put(f);
	return rc;
}

int
audit_list(struct db *db, struct arena *a, int64_t tenant, int64_t before_id,
    size_t limit, struct audit_entry **out, size_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	*out = arena_alloc(a, (limit ? limit : 1) * sizeof(**out));
	*n = 0;
	if ((st = db_prepare(db, q_list, 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, tenant);
	db_bind_i64(st, 1, tenant);
	db_bind_i64(st, 2, before_id);
	db_bind_i64(st, 3, before_id);
	db_bind_i64(st, 4, (int64_t)limit);
	if (db_exec(st, a) == -1)
		return -1;
	while (*n < limit && (rc = db_step(st)) == 1) {
		struct audit_entry *e = &(*out)[(*n)++];

		e->id = db_col_i64(st, 0);
		e->tenant_id = db_col_i64(st, 1);
		e->at = db_col_str(st, 2);
		e->actor = db_col_str(st, 3);
		e->actor_label = db_col_str(st, 4);
		e->addr = db_col_str(st, 5);
		e->agent = db_col_str(st, 6);
		e->action = db_col_str(st, 7);
		e->object = db_col_str(st, 8);
		e->object_id = db_col_i64(st, 9);
		e->before = db_col_str(st, 10);
		e->after = db_col_str(st, 11);
	}
	db_done(st);
	return 0;
}
