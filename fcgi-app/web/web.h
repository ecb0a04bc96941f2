/*
 * web.h: the application as the pool sees it.
 *
 * The pool calls web_worker_init() once in each worker after the fork,
 * web_serve() for each request, and web_worker_exit() before the worker
 * exits. web_serve() always answers: a handler's page, or an error page
 * in the shopper's language. Returns 0, or -1 when the client has gone.
 */
#ifndef SOUK_WEB_H
#define SOUK_WEB_H

#include "http/req.h"

void	web_worker_init(void);

/* parse_status is req_parse()'s result: 0, or the HTTP status of input
 * that could not be parsed (the error page to send). */
int	web_serve(struct req *r, int parse_status);

void	web_worker_exit(void);

#endif
