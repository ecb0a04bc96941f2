/*
 * operator.h: platform operators, the accounts that may use the operator
 * console (list, suspend, resume, delete any shop). An operator is a
 * platform account (account.h) with a row in souk_operators; whether a
 * session's account is one is account_is_operator().
 */
#ifndef SOUK_OPERATOR_H
#define SOUK_OPERATOR_H

#include <stdint.h>
#include "core/str.h"
#include "platform/account.h"

struct db;

/*
 * Makes the account of email an operator. When there is no such
 * account it is created with password (which must then be valid; it is
 * ignored for an existing account, whose password is left alone).
 * *account_id is the account. Returns ACCOUNT_OK (also when it already
 * was an operator), EINVAL_EMAIL, EWEAK_PASSWORD or EDB.
 */
enum account_err operator_add(struct db *db, struct str email,
		    struct str password, int64_t *account_id);

/* Takes operator rights away (no error when there were none). */
enum account_err operator_remove(struct db *db, int64_t account_id);

#endif
