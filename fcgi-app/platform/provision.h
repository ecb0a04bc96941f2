/*
 * provision.h: creating and deleting shops.
 *
 * provision_shop() validates the request, finds or creates the owner's
 * platform account, then claims a shop made ahead of demand when there
 * is one (platform/shop_stock.h: one transaction names it, gives it its
 * owner and plan, writes the owner's staff row and marks it ready).
 * Otherwise it inserts the souk_tenants row ('provisioning'),
 * creates the shop's tables from sql/shop (db/migrate.h), copies the
 * owner into the shop's staff (role owner, same password hash) and
 * marks the shop 'ready' at the newest schema version. DDL is not
 * transactional, so every step is idempotent and the state is recorded:
 * a failure after the row exists leaves it 'failed' with the reason,
 * and calling provision_shop() again with the same slug and owner
 * finishes the job. The same call for a shop already ready for that
 * owner returns PROVISION_OK with its id (a double-submitted form or a
 * re-run script creates nothing twice).
 *
 * Errors are enum provision_err codes (the web layer maps them to
 * translated messages), plus an English detail in err for logs.
 */
#ifndef SOUK_PROVISION_H
#define SOUK_PROVISION_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"

struct db;

enum provision_err {
	PROVISION_OK = 0,
	PROVISION_EDB,			/* database failed; retry later */
	PROVISION_EINVAL_SLUG,		/* syntax (see slug.h) */
	PROVISION_ESLUG_RESERVED,	/* www, admin, ... */
	PROVISION_ESLUG_TAKEN,		/* another owner's, or not ours */
	PROVISION_EINVAL_NAME,		/* 1..200 characters of text */
	PROVISION_EINVAL_LOCALE,	/* not en de fr es ja */
	PROVISION_EINVAL_CURRENCY,	/* not an ISO 4217 code we know */
	PROVISION_EINVAL_EMAIL,
	PROVISION_EWEAK_PASSWORD,	/* under 8 characters */
	PROVISION_EOWNER_AUTH,		/* e-mail has an account; password
					 * does not match (or it is locked) */
	PROVISION_ENO_OWNER,		/* owner_id is not an account */
	PROVISION_ESCHEMA,		/* creating the tables failed; the
					 * shop is 'failed', retry finishes */
	PROVISION_ENOTFOUND,		/* (delete) no such shop */
	PROVISION_ELONG_PASSWORD,	/* over 1024 characters */
};

struct provision_req {
	struct str	slug;		/* required */
	struct str	name;		/* required */
	struct str	locale;		/* default language; "" = "en" */
	struct str	currency;	/* base currency; "" = "EUR" */
	/* The owner: an existing account id, or (owner_id 0) an e-mail
	 * and password: the account is created, or, when it exists, the
	 * password must match it. The e-mail form is for the operator
	 * (soukctl shop create); the web's anonymous sign-up never uses
	 * it (platform/signup.h): it would be a login form. */
	int64_t		owner_id;
	struct str	owner_email;
	struct str	owner_password;
};

/*
 * Provisions the shop of req. On PROVISION_OK *tenant_id is its id;
 * *tenant_id is also set on PROVISION_ESCHEMA (the failed shop's id).
 * err (may be NULL) gets an English detail. Reads config sql_dir.
 */
enum provision_err provision_shop(struct db *db,
		    const struct provision_req *req, int64_t *tenant_id,
		    char *err, size_t errlen);

/*
 * What provision_shop() would refuse before it creates anything: the
 * fields (owner_email and owner_password too when owner_id is 0) and
 * whether the slug is free. A slug that exists is taken unless its
 * owner is req->owner_id: it is never matched by e-mail, so the answer
 * says nothing about who owns it (anonymous sign-up, platform/signup.h).
 * The slug may still be taken before provision_shop() runs; that one
 * decides. PROVISION_OK or the code provision_shop() would return.
 */
enum provision_err provision_check(struct db *db,
		    const struct provision_req *req, char *err, size_t errlen);

/*
 * Deletes shop tenant_id and all its data: drops its tables (the names
 * come from the shop migrations, never from the server's catalogue or
 * user text), its custom domains and its row. Irreversible.
 * PROVISION_OK, ENOTFOUND or EDB.
 */
enum provision_err provision_delete(struct db *db, int64_t tenant_id,
		    char *err, size_t errlen);

/* English text of an error code, for logs and soukctl. */
const char	*provision_strerror(enum provision_err e);

#endif
