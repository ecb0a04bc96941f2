/*
 * operator.h: platform operators, the accounts that may use the operator
 * console (list, suspend, resume, delete any shop). An operator is a
 * platform account (account.h) with a row in souk_operators; whether a
 * session's account is one is account_is_operator().
 *
 * Roles: an admin may do everything; support may look at everything
 * (the console's pages, the tenant API's GETs) and change nothing: the
 * console answers its forms 403, the tenant API its writes.
 */
#ifndef SOUK_OPERATOR_H
#define SOUK_OPERATOR_H

#include <stdint.h>
#include "core/str.h"
#include "platform/account.h"

struct db;

#define OPERATOR_ADMIN		1
#define OPERATOR_SUPPORT	2

/*
 * Makes the account of email an operator. When there is no such
 * account it is created with password (which must then be valid; it is
 * ignored for an existing account, whose password is left alone).
 * *account_id is the account. Returns ACCOUNT_OK (also when it already
 * was an operator), EINVAL_EMAIL, EWEAK_PASSWORD or EDB.
 */
enum account_err operator_add(struct db *db, struct str email,
		    struct str password, int64_t *account_id);

/* Gives operator account_id role ("admin" or "support"): ACCOUNT_OK,
 * ACCOUNT_ENOTFOUND (not an operator), EDB. */
enum account_err operator_set_role(struct db *db, int64_t account_id,
		    const char *role);

/* Takes operator rights away (no error when there were none). */
enum account_err operator_remove(struct db *db, int64_t account_id);

#endif
