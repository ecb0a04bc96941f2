/* operator.c: platform operators (see operator.h). */
#include "core/common.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/account.h"
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
