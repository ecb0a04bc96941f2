/*
 * meter.h: what each shop uses, counted per UTC day in memory shared by
 * the processes of one VM, and flushed into souk_usage by souk-worker
 * (platform/usage.h reads it back).
 *
 * Two figures are events nothing else records: storefront page views
 * and API requests. Each is one atomic add into a table of (shop, day)
 * slots in a file that souk-fcgi's master and souk-worker both map
 * (meter_file, default /run/souk-usage/counters: tmpfs, so no disk
 * writes; it outlives a restart of either process, so a reload loses
 * nothing). The pool's workers inherit the master's mapping. Every
 * usage_flush_secs souk-worker moves the counts into souk_usage with
 * "+=", so several VMs, each with its own file and its own souk-worker,
 * add up. A count the database refused is put back and tried again.
 *
 * Page views are counted where they are served: souk counts the pages
 * it renders (home, category, product, search; GET with a 200, not
 * HEAD), nginx the ones its microcache answers (a HIT): nginx sends one
 * syslog line per hit, carrying the shop's id from the page's
 * X-Souk-Shop header, to a datagram socket the pool's master reads
 * (meter_socket, default /run/souk-usage/views.sock; struct pool_app's
 * master_in). The master runs whenever the pool serves, so the socket
 * is there whenever nginx has pages to answer from its cache. A hit
 * nginx could not deliver (the pool stopped, the socket's queue full)
 * is lost; so is a count when the table is full (meter_lost()).
 *
 * The table holds METER_SLOTS (shop, day) pairs: yesterday's and
 * today's of 30,000 active shops. A day's slot is freed once it is two
 * days old and flushed.
 */
#ifndef SOUK_METER_H
#define SOUK_METER_H

#include <stdint.h>

struct db;

enum meter_kind {
	METER_PAGE_VIEWS,
	METER_API_REQUESTS,
	METER__MAX
};

#define METER_SLOTS	65536

/* Maps the counters file (created when missing, with mode 0600); NULL
 * path: the configuration's meter_file. Call once per process, in the
 * pool before it forks. On failure the counters are private memory
 * (counted, never flushed by anyone else) and -1 is returned, with the
 * reason logged. */
int	meter_open(const char *path);

/* Adds n to shop's figure of today (UTC). Never blocks, never fails:
 * a count that finds no room adds to meter_lost(). */
void	meter_add(int64_t shop, enum meter_kind kind, uint64_t n);

/* Counts lost since the file was made (table full, hits nginx could not
 * deliver are not seen here). */
uint64_t meter_lost(void);

/*
 * souk-worker: moves every slot's counts into souk_usage, in
 * transactions of a few hundred rows; a batch the database refused goes
 * back into the table. Frees the slots of days before yesterday. Returns
 * the rows written, or -1 when the database failed (the counts are
 * kept).
 */
int64_t	meter_flush(struct db *db);

/*
 * The pool's master: binds the datagram socket nginx sends its cache
 * hits to (NULL path: the configuration's meter_socket; mode 0666,
 * since nginx runs as another user). The socket (non-blocking), or -1
 * (logged: page views from nginx's cache are then not counted).
 */
int	meter_socket_open(const char *path);

/* Counts each line waiting on fd as a page view of the shop it names;
 * never blocks. */
void	meter_socket_read(int fd);

/* One syslog line from nginx ("<190>Dec  2 18:00:00 souk_view: 42", or
 * the bare id): the shop id it names, or 0 when it names none. For
 * meter_socket_read() and its fuzz target. */
int64_t	meter_parse_hit(const char *p, size_t n);

#endif
