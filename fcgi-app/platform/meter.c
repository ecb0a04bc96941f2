/* meter.c: per shop and day counters shared by a VM's processes
 * (meter.h). */
#include "core/common.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "core/config.h"
#include "core/log.h"
#include "core/metrics.h"
#include "db/db.h"
#include "platform/meter.h"

#define METER_MAGIC	0x736f756b6d747231ULL	/* "soukmtr1" */
#define METER_PROBES	64	/* slots tried before a count is lost */
#define METER_BATCH	200	/* rows per flush transaction */
#define SHOP_BITS	40	/* key: day << SHOP_BITS | shop */
/* Datagrams nginx's hits may queue on meter_socket while the master
 * waits for a CPU: Linux caps the queue at net.unix.max_dgram_qlen (10
 * by default), whatever the socket's buffer, and nginx drops a hit
 * that finds it full. README, "Usage metering". */
#define METER_QLEN_MIN	512

struct meter_slot {
	uint64_t	key;		/* 0: free */
	uint64_t	n[METER__MAX];
};

struct meter_mem {
	uint64_t		magic;
	uint64_t		nslots;
	uint64_t		lost;
	uint64_t		pad;
	struct meter_slot	slot[METER_SLOTS];
};

static struct meter_mem *mem;

static void
meter_private(void)
{
	mem = xcalloc(1, sizeof(*mem));
	mem->magic = METER_MAGIC;
	mem->nslots = METER_SLOTS;
}

/* Makes path's directory when it is missing (a developer's var/usage;
 * systemd makes /run/souk-usage). */
static void
make_parent(const char *path)
{
	char	 dir[4096];
	char	*slash;

	if (strlen(path) >= sizeof(dir))
		return;
	memcpy(dir, path, strlen(path) + 1);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return;
	*slash = '\0';
	(void)mkdir(dir, 0750);
}

int
meter_open(const char *path)
{
	struct stat	 sb;
	void		*p;
	int		 fd;

	if (mem != NULL)
		return 0;
	if (path == NULL)
		path = config_get("meter_file", "/run/souk-usage/counters");
	make_parent(path);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		log_warn("usage counters: cannot open %s: %s (page views and "
		    "API requests are not metered)", path, strerror(errno));
		meter_private();
		return -1;
	}
	/* The pool and souk-worker may start at once: one sizes the file
	 * while the other waits. A file of another size or version (an
	 * older release) starts again from zero. */
	if (flock(fd, LOCK_EX) == -1 || fstat(fd, &sb) == -1)
		goto fail;
	if ((size_t)sb.st_size != sizeof(*mem) &&
	    (ftruncate(fd, 0) == -1 || ftruncate(fd, sizeof(*mem)) == -1))
		goto fail;
	p = mmap(NULL, sizeof(*mem), PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	if (p == MAP_FAILED)
		goto fail;
	mem = p;
	if (mem->magic != METER_MAGIC || mem->nslots != METER_SLOTS) {
		memset(mem, 0, sizeof(*mem));
		mem->nslots = METER_SLOTS;
		__atomic_store_n(&mem->magic, METER_MAGIC, __ATOMIC_RELEASE);
	}
	(void)flock(fd, LOCK_UN);
	close(fd);
	return 0;
fail:
	log_warn("usage counters: cannot map %s: %s (page views and API "
	    "requests are not metered)", path, strerror(errno));
	close(fd);
	meter_private();
	return -1;
}

static struct meter_mem *
meter(void)
{
	if (mem == NULL)
		meter_private();
	return mem;
}

static uint64_t
today(void)
{
	return (uint64_t)time(NULL) / 86400;
}

static uint64_t
slot_hash(uint64_t key)
{
	/* splitmix64's finaliser: shops and days spread over the table */
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebULL;
	key ^= key >> 31;
	return key;
}

/* The slot of key, claimed when free; NULL when METER_PROBES slots
 * are all taken by other keys. */
static struct meter_slot *
slot_of(struct meter_mem *m, uint64_t key)
{
	uint64_t	h = slot_hash(key), k, zero;
	unsigned	i;

	for (i = 0; i < METER_PROBES; i++) {
		struct meter_slot *s = &m->slot[(h + i) % METER_SLOTS];

		k = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE);
		if (k == key)
			return s;
		if (k != 0)
			continue;
		zero = 0;
		if (__atomic_compare_exchange_n(&s->key, &zero, key, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) || zero == key)
			return s;
	}
	return NULL;
}

static void
add_at(uint64_t key, enum meter_kind kind, uint64_t n)
{
	struct meter_mem	*m = meter();
	struct meter_slot	*s;

	if ((s = slot_of(m, key)) == NULL)
		__atomic_add_fetch(&m->lost, n, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&s->n[kind], n, __ATOMIC_RELAXED);
}

void
meter_add(int64_t shop, enum meter_kind kind, uint64_t n)
{
	if (shop <= 0 || shop >= (1LL << SHOP_BITS) || kind >= METER__MAX ||
	    n == 0)
		return;
	add_at(today() << SHOP_BITS | (uint64_t)shop, kind, n);
}

uint64_t
meter_lost(void)
{
	return __atomic_load_n(&meter()->lost, __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------- flush */

struct taken {
	uint64_t	key;
	uint64_t	n[METER__MAX];
};

struct batch {
	struct taken	v[METER_BATCH];
	size_t		n;
};

static const char q_add[] =
	"INSERT INTO souk_usage (tenant_id, day, page_views, api_requests) "
	"VALUES (?, FROM_DAYS(TO_DAYS('1970-01-01') + ?), ?, ?) "
	"ON DUPLICATE KEY UPDATE page_views = page_views + VALUES(page_views), "
	"api_requests = api_requests + VALUES(api_requests)";

static int
write_batch(struct db *db, void *arg)
{
	struct batch	*b = arg;
	struct db_stmt	*st;
	size_t		 i;

	if ((st = db_prepare(db, q_add, 0)) == NULL)
		return -1;
	for (i = 0; i < b->n; i++) {
		db_bind_i64(st, 0, (int64_t)(b->v[i].key &
		    ((1ULL << SHOP_BITS) - 1)));
		db_bind_i64(st, 1, (int64_t)(b->v[i].key >> SHOP_BITS));
		db_bind_i64(st, 2, (int64_t)b->v[i].n[METER_PAGE_VIEWS]);
		db_bind_i64(st, 3, (int64_t)b->v[i].n[METER_API_REQUESTS]);
		if (db_exec(st, NULL) == -1)
			return -1;
		db_done(st);
	}
	return 0;
}

static void
put_back(struct batch *b)
{
	size_t		i;
	unsigned	k;

	for (i = 0; i < b->n; i++)
		for (k = 0; k < METER__MAX; k++)
			if (b->v[i].n[k] != 0)
				add_at(b->v[i].key, (enum meter_kind)k,
				    b->v[i].n[k]);
	b->n = 0;
}

/* Writes the batch, or when the database refuses it (or failed
 * already, *failed), puts every count back into the table, into the
 * same day's slot. Returns the rows written. */
static int64_t
flush_batch(struct db *db, struct batch *b, int *failed)
{
	size_t n = b->n;

	if (n == 0)
		return 0;
	if (!*failed && db_tx_run(db, write_batch, b) == 0) {
		b->n = 0;
		return (int64_t)n;
	}
	*failed = 1;
	put_back(b);
	return 0;
}

int64_t
meter_flush(struct db *db)
{
	struct meter_mem	*m = meter();
	struct batch		*b = xcalloc(1, sizeof(*b));
	uint64_t		 oldest = today() - 1, key;
	int64_t			 rows = 0;
	size_t			 i;
	unsigned		 k;
	int			 failed = 0, any;

	for (i = 0; i < METER_SLOTS; i++) {
		struct meter_slot *s = &m->slot[i];

		if ((key = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE)) == 0)
			continue;
		any = 0;
		b->v[b->n].key = key;
		for (k = 0; k < METER__MAX; k++)
			if ((b->v[b->n].n[k] = __atomic_exchange_n(&s->n[k],
			    0, __ATOMIC_ACQ_REL)) != 0)
				any = 1;
		if (any && ++b->n == METER_BATCH)
			rows += flush_batch(db, b, &failed);
		/* A day before yesterday gets no more counts (a request
		 * takes seconds, not a day): its emptied slot is free. */
		if (!any && (key >> SHOP_BITS) < oldest)
			__atomic_compare_exchange_n(&s->key, &key, 0, 0,
			    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	}
	rows += flush_batch(db, b, &failed);
	free(b);
	return failed ? -1 : rows;
}

/* ---------------------------------------------------------------- nginx */

void
meter_socket_read(int fd)
{
	char	buf[512];
	ssize_t	n;
	int64_t	shop;
	int	i;

	/* A bounded drain: the master has signals to see to as well. */
	for (i = 0; i < 4096; i++) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("usage counters: nginx's socket: %s",
				    strerror(errno));
			return;
		}
		if ((shop = meter_parse_hit(buf, (size_t)n)) > 0) {
			meter_add(shop, METER_PAGE_VIEWS, 1);
			metrics_cache(METRICS_CACHE_NGINX, 1);
		}
	}
}

/* Says when the host's queue limit loses hits under a burst. */
static void
check_qlen(void)
{
	FILE	*f = fopen("/proc/sys/net/unix/max_dgram_qlen", "re");
	int	 q = -1;

	if (f == NULL)
		return;
	if (fscanf(f, "%d", &q) == 1 && q >= 0 && q < METER_QLEN_MIN)
		log_warn("usage counters: net.unix.max_dgram_qlen is %d: a "
		    "burst of more than %d cache hits while this process "
		    "waits for a CPU loses page views; set it to %d "
		    "(README, \"Usage metering\")", q, q, METER_QLEN_MIN);
	fclose(f);
}

int
meter_socket_open(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd = -1, rcvbuf = 1 << 20;

	if (path == NULL)
		path = config_get("meter_socket",
		    "/run/souk-usage/views.sock");
	if (*path == '\0')
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warn("usage counters: meter_socket %s is too long", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		goto fail;
	/* A burst of hits waits here while the master catches up. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	make_parent(path);
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0666) == -1)
		goto fail;
	check_qlen();
	return fd;
fail:
	log_warn("usage counters: cannot listen on %s for nginx's cache "
	    "hits: %s (pages served from the cache are not metered)", path,
	    strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}
