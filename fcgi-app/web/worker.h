/*
 * worker.h: what a web worker keeps from one request to the next.
 *
 * One struct worker per process: souk-fcgi owns it (a static in its
 * main()), passes it to the pool as the application's arg, and each
 * worker gets its own copy with fork(). web_worker_init() fills it,
 * web_serve() lends it to the request (struct web's worker and db),
 * web_worker_exit() releases it. Nothing in it belongs to a request or
 * to a tenant: any worker serves any request of any shop.
 *
 * NEEDSWORK: the tenant, category and exchange-rate caches are still
 * module statics (platform/tenant.c, shop/catalog.c, platform/rates.c);
 * they join this struct when they move onto the shared core/cache.
 */
#ifndef SOUK_WEB_WORKER_H
#define SOUK_WEB_WORKER_H

#include "web/page.h"

struct db;

struct worker {
	/* The platform connection (db/db.h), opened by web_worker_init()
	 * even when MariaDB is down (it reconnects per request); closed by
	 * web_worker_exit(). */
	struct db		*db;
	/* Parsed templates, one slot a theme (web/page.h). */
	struct page_themes	 themes;
};

#endif
