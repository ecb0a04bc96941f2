/*
 * csrf.h: tokens against cross-site request forgery.
 *
 * A session holds one token (made by csrf_token_new() and stored by
 * shop/ or platform/ with the session row); every form carries it in a
 * hidden field and web/ compares what came back with csrf_check(),
 * which takes the same time whatever the bytes are.
 */
#ifndef SOUK_HTTP_CSRF_H
#define SOUK_HTTP_CSRF_H

#include "core/str.h"

#define CSRF_TOKEN_LEN	32	/* hex characters */

/* Writes a new token, 32 random lower-case hex characters and a NUL,
 * to out (libsodium's randombytes_buf). */
void	csrf_token_new(char out[CSRF_TOKEN_LEN + 1]);

/* 0 when sent is exactly the token expected (CSRF_TOKEN_LEN bytes),
 * -1 otherwise: sent or expected NULL, a wrong length, other bytes. */
int	csrf_check(const struct str *sent, const char *expected);

#endif
