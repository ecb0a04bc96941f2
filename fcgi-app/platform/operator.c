/* operator.c: platform operators (see operator.h). */
#include "core/common.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/account.h"
#include "platform/audit.h"
#include "platform/operator.h"

enum account_err
operator_add(struct db *db, struct str email, struct str password,
    int64_t *account_id)
{
	struct account		 acct;
	struct db_stmt		*st;
	enum account_err	 e;
	int64_t			 id;

	e = account_get_by_email(db, email, &acct);
	if (e == ACCOUNT_ENOTFOUND) {
		e = account_create(db, email, password, &id);
		if (e == ACCOUNT_EEXISTS)	/* created meanwhile */
			e = account_get_by_email(db, email, &acct);
		else
			acct.id = id;
	}
	if (e != ACCOUNT_OK)
		return e;
	st = db_prepare(db, "INSERT IGNORE INTO souk_operators (account_id) "
	    "VALUES (?)", 0);
	if (st == NULL)
		return ACCOUNT_EDB;
	db_bind_i64(st, 0, acct.id);
	if (db_exec(st, NULL) == -1)
		return ACCOUNT_EDB;
	if (db_affected(st) == 1)
		log_info("account %lld is now an operator",
		    (long long)acct.id);
	*account_id = acct.id;
	return ACCOUNT_OK;
}

enum account_err
operator_set_role(struct db *db, int64_t account_id, const char *role)
{
	struct db_stmt	*st;
	json_object	*a;
	int		 rc;

	if (strcmp(role, "admin") != 0 && strcmp(role, "support") != 0)
		return ACCOUNT_EDB;
	st = db_prepare(db, "UPDATE souk_operators SET role = ? WHERE "
	    "account_id = ?", 0);
	if (st == NULL)
		return ACCOUNT_EDB;
	db_bind_cstr(st, 0, role);
	db_bind_i64(st, 1, account_id);
	if (db_exec(st, NULL) == -1)
		return ACCOUNT_EDB;
	if ((rc = account_is_operator(db, account_id)) <= 0)
		return rc == 0 ? ACCOUNT_ENOTFOUND : ACCOUNT_EDB;
	a = json_object_new_object();
	json_object_object_add(a, "role", json_object_new_string(role));
	rc = audit_log(db, 0, "operator.role", "account", account_id, NULL, a);
	json_object_put(a);
	return rc == -1 ? ACCOUNT_EDB : ACCOUNT_OK;
}

enum account_err
operator_remove(struct db *db, int64_t account_id)
{
	struct db_stmt *st;

	st = db_prepare(db, "DELETE FROM souk_operators WHERE account_id = ?",
	    0);
	if (st == NULL)
		return ACCOUNT_EDB;
	db_bind_i64(st, 0, account_id);
	return db_exec(st, NULL) == -1 ? ACCOUNT_EDB : ACCOUNT_OK;
}
