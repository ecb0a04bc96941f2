/*
 * web.h: the web application as the pool sees it (http/pool.h's struct
 * pool_app): souk-fcgi passes
 *
 *	{ web_worker_init, web_serve, web_worker_exit, &worker }
 *
 * where worker is its one struct worker (web/worker.h). Every arg below
 * is that struct worker *, typed void * to fit struct pool_app.
 */
#ifndef SOUK_WEB_H
#define SOUK_WEB_H

#include "http/req.h"

/* Once in each worker after the fork: crypto, the message catalogs and
 * the database connection into the struct worker (an unreachable
 * database is logged, not fatal: requests reconnect). Returns 0. */
int	web_worker_init(void *worker);

/*
 * One request: the tenant from the Host header, the language, then the
 * route table of the host kind. parse_status is req_parse()'s result:
 * 0, or the HTTP status of input that could not be parsed (the error
 * page to send). Always answers: a handler's page, or an error page in
 * the shopper's language. Returns 0, or -1 when the client has gone.
 */
int	web_serve(void *worker, struct req *r, int parse_status);

/* Before the worker exits: releases the struct worker and the caches. */
void	web_worker_exit(void *worker);

#endif
