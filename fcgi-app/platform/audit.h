/*
 * audit.h: the audit log (souk_audit). Who changed what, from where,
 * when, with the values before and after.
 *
 * Who: each process says who acts for it while a request (or a soukctl
 * command) runs: audit_begin() with the actor (a shop's staff member,
 * a platform account, an operator, an API key, soukctl and the system
 * user), its address and user agent (or key); audit_end() after. The
 * worker is single-threaded, so this is the process's, like the
 * request's language.
 *
 * What: the functions that change the things worth naming (products,
 * a shop's settings and status, plans, staff, orders' status) call
 * audit_log() in their own transaction with the fields that changed,
 * before and after. Every other change the web layer makes is recorded
 * once per request by audit_request() after the handler succeeded: the
 * route, its ids, and the fields sent (never passwords, secrets or
 * tokens), so no change goes unrecorded.
 *
 * Entries are only ever inserted: souk has no way to edit or delete
 * one. The merchant's admin shows its shop's entries, the operator
 * console all (audit_list()).
 */
#ifndef SOUK_AUDIT_H
#define SOUK_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "core/arena.h"
#include "core/str.h"

struct db;
struct db_stmt;

enum audit_by {
	AUDIT_SYSTEM,		/* no one: a job, a timer */
	AUDIT_STAFF,		/* a shop's staff member (its admin) */
	AUDIT_ACCOUNT,		/* a platform account (dashboard, its JWT) */
	AUDIT_OPERATOR,		/* an operator in the console */
	AUDIT_API_KEY,		/* a shop's API key (/wp-json/) */
	AUDIT_OPERATOR_KEY,	/* an operator's key (tenant API) */
	AUDIT_SOUKCTL,		/* soukctl, as a system user */
	AUDIT_BY__MAX
};

struct audit_actor {
	enum audit_by	by;
	int64_t		id;		/* staff, account, key id */
	char		label[255];	/* e-mail, key's end, user name */
	char		addr[46];	/* client address */
	char		agent[256];	/* user agent */
};

/* Who acts from now until audit_end() (copied). */
void	audit_begin(const struct audit_actor *a);
void	audit_end(void);

/* The actor of now (AUDIT_SYSTEM when none). */
const struct audit_actor *audit_actor(void);

/*
 * Records action ("product.update") on object ("product", id) of shop
 * tenant (0: the platform) by the actor of now, in the caller's
 * transaction: before and after are flat objects of the fields as they
 * were and are (either may be NULL: created, deleted); the fields equal
 * in both are dropped first, and when an update changed nothing no
 * entry is written. The objects stay the caller's. 0, or -1 (database).
 */
int	audit_log(struct db *db, int64_t tenant, const char *action,
	    const char *object, int64_t object_id, json_object *before,
	    json_object *after);

/*
 * A row as it is, for audit_log()'s before and after: runs st (prepared
 * and bound; its one column a JSON_OBJECT() of the row's fields, one row
 * or none) and returns the object, the caller's to json_object_put().
 * NULL when there is no row, or on an error (*err then 1).
 */
json_object	*audit_snapshot(struct db_stmt *st, int *err);

/* 1 when audit_log() wrote since audit_begin() (the request's own
 * entries make audit_request()'s unneeded). */
int	audit_logged(void);

/*
 * The web layer's entry for a change request that named none itself:
 * action "METHOD /route/pattern", the route's ids in object_id (the
 * first) and the fields (fields: a flat object, the caller's; values
 * of keys naming passwords, secrets, tokens or keys are dropped). 0 or
 * -1.
 */
int	audit_request(struct db *db, int64_t tenant, const char *method,
	    const char *pattern, int64_t object_id, json_object *fields);

struct audit_entry {
	int64_t		id;
	int64_t		tenant_id;
	struct str	at;		/* "YYYY-MM-DD HH:MM:SS.mmm" UTC */
	struct str	actor;		/* "staff", ... */
	struct str	actor_label;
	struct str	addr;
	struct str	agent;
	struct str	action;
	struct str	object;
	int64_t		object_id;
	struct str	before;		/* JSON or "" */
	struct str	after;
};

/* Entries of shop tenant (-1: every shop and the platform's), newest
 * first, older than before_id (0: from the newest), at most limit, in
 * a. 0 or -1. */
int	audit_list(struct db *db, struct arena *a, int64_t tenant,
	    int64_t before_id, size_t limit, struct audit_entry **out,
	    size_t *n);

const char	*audit_by_name(enum audit_by b);

#endif
