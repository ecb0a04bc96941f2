/* tenant.c: shops, their hosts and the per-worker host cache (see
 * tenant.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/clock.h"
#include "core/color.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "core/shared.h"
#include "core/tz.h"
#include "core/weight_bands.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/tenant.h"

#include <sys/stat.h>
#include <time.h>

#define CACHE_SLOTS	256	/* direct-mapped by host hash */

#define COLS "SELECT t.id, t.owner_id, t.status, t.schema_version, t.slug, " \
	"t.name, t.status_reason, t.shard, t.theme, t.default_locale, " \
	"t.locales, t.currency, t.color_primary, t.color_accent, t.logo, " \
	"t.created_at, t.display_currencies, t.time_zone, " \
	"IFNULL(p.code, ''), IFNULL(p.name, ''), p.max_api_15min, " \
	"IFNULL(DATE_FORMAT(t.trial_ends_at, '%Y-%m-%d'), ''), t.custom_css, " \
	"IFNULL(UNIX_TIMESTAMP(t.read_only_until), 0), t.search_version " \
	"FROM souk_tenants t LEFT JOIN souk_plans p ON p.id = t.plan_id "

enum {
	Q_BY_SLUG,
	Q_BY_DOMAIN,
	Q_BY_ID,
	Q_LIST,
	Q_SET_STATUS,
	Q_UPDATE,
	Q_CURRENCY_OF,
	Q_RESCALE_PRODUCTS,
	Q_RESCALE_VARIANTS,
	Q_RESCALE_SHIPPING,
	Q_RESCALE_COUPONS,
	Q_BANDS,
	Q_SET_BANDS,
	Q_HAS_ORDER,
	Q_COUNT,
	Q_SET_THEME,
	Q_SNAP,
	Q_SET_CSS,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	/* Stock shops (platform/shop_stock.h) are nobody's yet: never
	 * found, listed or counted. */
	[Q_BY_SLUG] = COLS "WHERE t.slug = ? AND t.status <> 'stock'",
	/* A merchant's domain serves the shop once it is verified. */
	[Q_BY_DOMAIN] = COLS "JOIN souk_domains d ON d.tenant_id = t.id "
	    "WHERE d.host = ? AND d.verified_at IS NOT NULL",
	[Q_BY_ID] = COLS "WHERE t.id = ? AND t.status <> 'stock'",
	[Q_SET_THEME] = "UPDATE souk_tenants SET theme = ? WHERE id = ?",
	[Q_SET_CSS] = "UPDATE souk_tenants SET custom_css = ? WHERE id = ?",
	/* The shop as the audit shows it (platform/audit.h), locked. */
	[Q_SNAP] = "SELECT JSON_OBJECT('name', name, 'status', status, "
	    "'status_reason', status_reason, 'theme', theme, "
	    "'default_locale', default_locale, 'locales', locales, "
	    "'currency', currency, 'display_currencies', display_currencies, "
	    "'color_primary', color_primary, 'color_accent', color_accent, "
	    "'logo', logo, 'time_zone', time_zone, 'custom_css', custom_css, "
	    "'plan', (SELECT code FROM "
	    "souk_plans WHERE id = plan_id), 'trial_ends_at', trial_ends_at) "
	    "FROM souk_tenants WHERE id = ? FOR UPDATE",
	[Q_COUNT] = "SELECT COUNT(*) FROM souk_tenants "
	    "WHERE (? = 0 OR owner_id = ?) AND status <> 'stock'",
	[Q_LIST] = COLS "WHERE (? = 0 OR t.owner_id = ?) AND "
	    "t.status <> 'stock' ORDER BY t.id "
	    "LIMIT ? OFFSET ?",
	[Q_SET_STATUS] = "UPDATE souk_tenants SET status = ?, "
	    "status_reason = ? WHERE id = ?",
	[Q_UPDATE] = "UPDATE souk_tenants SET name = ?, color_primary = ?, "
	    "color_accent = ?, locales = ?, default_locale = ?, currency = ?, "
	    "logo = ?, display_currencies = ?, "
	    "time_zone = COALESCE(NULLIF(?, ''), time_zone) WHERE id = ?",
	[Q_CURRENCY_OF] = "SELECT currency FROM souk_tenants WHERE id = ? "
	    "FOR UPDATE",
	/* Amounts keep their value in major units, rounded half up to the
	 * new minor unit: (v * mul + div / 2) DIV div, amounts >= 0. */
	/* A NULL (no sale price; a variant at its product's price)
	 * stays NULL. */
	[Q_RESCALE_PRODUCTS] = "UPDATE {p}products SET "
	    "price = (price * ? + ? DIV 2) DIV ?, "
	    "sale_price = (sale_price * ? + ? DIV 2) DIV ?",
	[Q_RESCALE_VARIANTS] = "UPDATE {p}variants SET "
	    "price = (price * ? + ? DIV 2) DIV ?, "
	    "sale_price = (sale_price * ? + ? DIV 2) DIV ?",
	[Q_RESCALE_SHIPPING] = "UPDATE {p}ship_methods SET "
	    "cost = (cost * ? + ? DIV 2) DIV ?, "
	    "min_total = (min_total * ? + ? DIV 2) DIV ?",
	/* A percentage is no amount: only fixed coupons' amounts. */
	[Q_RESCALE_COUPONS] = "UPDATE {p}coupons SET "
	    "amount = IF(kind = 'fixed', (amount * ? + ? DIV 2) DIV ?, amount), "
	    "min_spend = (min_spend * ? + ? DIV 2) DIV ?",
	/* Weight bands are a text (core/weight_bands.h), rescaled in C. */
	[Q_BANDS] = "SELECT id, bands FROM {p}ship_methods WHERE bands <> '' "
	    "LIMIT 5000",
	[Q_SET_BANDS] = "UPDATE {p}ship_methods SET bands = ? WHERE id = ?",
	/* A shared lock on the first order, or on the empty table's end:
	 * a first order placed meanwhile waits for this transaction, and
	 * then reads the new currency. */
	[Q_HAS_ORDER] = "SELECT id FROM {p}orders ORDER BY id LIMIT 1 "
	    "LOCK IN SHARE MODE",
};

static const char *const status_names[TENANT_STATUS__MAX] = {
	[TENANT_PROVISIONING] = "provisioning",
	[TENANT_READY] = "ready",
	[TENANT_FAILED] = "failed",
	[TENANT_SUSPENDED] = "suspended",
};

/*
 * The worker's shops by host (core/cache.h): keyed under shop 0 by the
 * host, each entry owned by the shop it found, so a change of one shop
 * drops that shop's hosts only. A host that names no shop is
 * remembered briefly (a NULL value owned by shop 0). Provisioning
 * clears every worker's whole cache through SHARED_TENANT_GEN.
 */
static struct cache	*hosts;

const char *
tenant_status_name(enum tenant_status s)
{
	return (unsigned)s < TENANT_STATUS__MAX ? status_names[s] : "unknown";
}

int
tenant_status_parse(struct str s)
{
	int i;

	for (i = 0; i < TENANT_STATUS__MAX; i++)
		if (str_eqc(s, status_names[i]))
			return i;
	return -1;
}

static void
parse_locales(struct tenant *t, struct str l)
{
	size_t i, start = 0;

	t->nlocales = 0;
	for (i = 0; i <= l.len && t->nlocales < TENANT_MAX_LOCALES; i++)
		if (i == l.len || l.p[i] == ',') {
			if (i > start)
				str_copy(t->locales[t->nlocales++],
				    sizeof(t->locales[0]),
				    (struct str){ l.p + start, i - start });
			start = i + 1;
		}
}

static void
parse_currencies(struct tenant *t, struct str l)
{
	size_t i, start = 0;

	t->ndisplay = 0;
	for (i = 0; i <= l.len && t->ndisplay < TENANT_MAX_CURRENCIES; i++)
		if (i == l.len || l.p[i] == ',') {
			if (i - start == 3)
				str_copy(t->display_currencies[t->ndisplay++], 4,
				    (struct str){ l.p + start, 3 });
			start = i + 1;
		}
}

/* Reads the current row (columns of COLS) into t. */
/* hex as text on the page can show it: darkened just enough to read
 * (core/color.h). Colours are checked when saved; one that is not
 * parses to black. */
static void
readable(const char *hex, char out[8])
{
	struct color c = { 0, 0, 0 };

	(void)color_parse(hex, &c);
	color_hex(color_readable(c, COLOR_PAGE_BG, COLOR_TEXT_RATIO), out);
}

static void
fill(struct db_stmt *st, struct tenant *t)
{
	int s;

	memset(t, 0, sizeof(*t));
	t->id = db_col_i64(st, 0);
	t->owner_id = db_col_i64(st, 1);
	s = tenant_status_parse(db_col_str(st, 2));
	t->status = s < 0 ? TENANT_FAILED : (enum tenant_status)s;
	t->schema_version = (int)db_col_i64(st, 3);
	str_copy(t->slug, sizeof(t->slug), db_col_str(st, 4));
	str_copy(t->name, sizeof(t->name), db_col_str(st, 5));
	str_copy(t->status_reason, sizeof(t->status_reason), db_col_str(st, 6));
	str_copy(t->shard, sizeof(t->shard), db_col_str(st, 7));
	str_copy(t->theme, sizeof(t->theme), db_col_str(st, 8));
	str_copy(t->default_locale, sizeof(t->default_locale), db_col_str(st, 9));
	parse_locales(t, db_col_str(st, 10));
	str_copy(t->currency, sizeof(t->currency), db_col_str(st, 11));
	str_copy(t->color_primary, sizeof(t->color_primary), db_col_str(st, 12));
	str_copy(t->color_accent, sizeof(t->color_accent), db_col_str(st, 13));
	readable(t->color_primary, t->text_primary);
	readable(t->color_accent, t->text_accent);
	str_copy(t->logo, sizeof(t->logo), db_col_str(st, 14));
	str_copy(t->created_at, sizeof(t->created_at), db_col_str(st, 15));
	parse_currencies(t, db_col_str(st, 16));
	str_copy(t->time_zone, sizeof(t->time_zone), db_col_str(st, 17));
	str_copy(t->plan_code, sizeof(t->plan_code), db_col_str(st, 18));
	str_copy(t->plan_name, sizeof(t->plan_name), db_col_str(st, 19));
	t->api_limit = db_col_null(st, 20) ? -1 : db_col_i64(st, 20);
	str_copy(t->trial_ends_at, sizeof(t->trial_ends_at),
	    db_col_str(st, 21));
	str_copy(t->custom_css, sizeof(t->custom_css), db_col_str(st, 22));
	t->read_only_until = db_col_i64(st, 23);
	t->search_version = (int)db_col_i64(st, 24);
}

/* Runs a one-row query; 1 found (t filled), 0 none, -1 error. */
static int
one(struct db_stmt *st, struct tenant *t)
{
	int rc;

	/* No arena: db_col_str() views the statement's buffers, which
	 * fill() copies at once. */
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1)
		fill(st, t);
	db_done(st);
	return rc;
}

int
tenant_host_norm(struct str host, char out[TENANT_HOST_MAX + 1])
{
	size_t i;

	if (host.len == 0 || host.len > TENANT_HOST_MAX)
		return -1;
	for (i = 0; i < host.len; i++) {
		char c = host.p[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.'))
			return -1;
		out[i] = c;
	}
	out[host.len] = '\0';
	return 0;
}

/* The shared generation this worker's cache was filled under. */
static uint64_t hosts_gen;

void
tenant_cache_invalidate(void)
{
	/* Every worker of the pool sees the bump at its next resolve, so a
	 * new shop shows at once everywhere, not after the TTL. */
	hosts_gen = shared_bump(SHARED_TENANT_GEN);
	if (hosts != NULL)
		cache_clear(hosts);
}

json_object *
tenant_snapshot(struct db *db, int64_t id, int *err)
{
	struct db_stmt *st = db_prepare(db, q[Q_SNAP], 0);

	if (st == NULL) {
		*err = 1;
		return NULL;
	}
	db_bind_i64(st, 0, id);
	return audit_snapshot(st, err);
}

int
tenant_audit_tx(struct db *db, int64_t id, const char *action,
    int (*fn)(struct db *, void *), void *arg)
{
	json_object	*before, *after;
	int		 err, rc;

	if ((before = tenant_snapshot(db, id, &err)) == NULL)
		return err ? -1 : TENANT_ENOTFOUND;
	if ((rc = fn(db, arg)) != 0) {
		json_object_put(before);
		return rc;
	}
	after = tenant_snapshot(db, id, &err);
	rc = err ? -1 : audit_log(db, id, action, "shop", id, before, after);
	json_object_put(before);
	json_object_put(after);
	return rc;
}

/*
 * The server of shop id's tables (db.h, "Shops on several servers"):
 * its souk_tenants.shard, cached as hosts are (TENANT_CACHE_TTL_MS,
 * dropped by tenant_changed()), so a move shows on every worker within
 * that lifetime, which platform/shop_move.c waits out.
 */
static struct cache	*routes;

static int
tenant_shard_of(struct db *db, int64_t id)
{
	struct db_stmt	*st;
	char		 shard[65] = "";
	void		*v;
	int		*idx, rc;

	if (routes == NULL)
		routes = cache_new(CACHE_SLOTS, free);
	if (cache_get(routes, id, "shard", &v))
		return *(int *)v;
	if ((st = db_prepare(db, "SELECT shard FROM souk_tenants "
	    "WHERE id = ?", 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	if ((rc = db_exec_first(st)) == 1)
		str_copy(shard, sizeof(shard), db_col_str(st, 0));
	db_done(st);
	if (rc == -1)
		return -1;
	/* An unknown shop (deleted meanwhile) is on the main server, where
	 * its statements fail as they would without shards. */
	if ((rc = db_shard_index(db, shard)) == -1)
		return -1;
	idx = xmalloc(sizeof(*idx));
	*idx = rc;
	cache_put(routes, id, "shard", id, idx, TENANT_CACHE_TTL_MS);
	return rc;
}

void
tenant_route_install(struct db *db)
{
	if (db_shard_count(db) > 0)
		db_set_route(db, tenant_shard_of);
}

int
tenant_read_only(const struct tenant *t)
{
	return t->read_only_until > 0 && t->read_only_until > time(NULL);
}

void
tenant_changed(int64_t id)
{
	cache_bump(id);
	cache_bump(0);
}

void
tenant_cache_free(void)
{
	cache_free(hosts);
	hosts = NULL;
	cache_free(routes);
	routes = NULL;
}

enum tenant_where
tenant_resolve(struct db *db, struct str host, const struct tenant **out)
{
	const char		*pd = config_get("platform_domain", "localhost");
	char			 h[TENANT_HOST_MAX + 1];
	size_t			 hlen, pdlen = strlen(pd);
	struct tenant		*t;
	struct db_stmt		*st;
	void			*v;
	int			 rc;

	*out = NULL;
	if (tenant_host_norm(host, h) == -1)
		return TENANT_UNKNOWN;
	hlen = host.len;
	/* platform_domain is configured lower case. */
	if (strcmp(h, pd) == 0 ||
	    (hlen == pdlen + 4 && memcmp(h, "www.", 4) == 0 &&
	    strcmp(h + 4, pd) == 0))
		return TENANT_PLATFORM;

	if (hosts == NULL)
		hosts = cache_new(CACHE_SLOTS, free);
	if (shared_get(SHARED_TENANT_GEN) != hosts_gen) {
		hosts_gen = shared_get(SHARED_TENANT_GEN);
		cache_clear(hosts);
	}
	if (cache_get(hosts, 0, h, &v)) {
		if (v == NULL)
			return TENANT_UNKNOWN;
		*out = v;
		return TENANT_FOUND;
	}

	t = xcalloc(1, sizeof(*t));
	if (hlen > pdlen + 1 && h[hlen - pdlen - 1] == '.' &&
	    strcmp(h + hlen - pdlen, pd) == 0) {
		/* {slug}.{platform_domain}: one label only. */
		struct str slug = { h, hlen - pdlen - 1 };

		if (memchr(slug.p, '.', slug.len) != NULL)
			rc = 0;
		else if ((st = db_prepare(db, q[Q_BY_SLUG], 0)) == NULL)
			rc = -1;
		else {
			db_bind_str(st, 0, slug);
			rc = one(st, t);
		}
	} else {
		if ((st = db_prepare(db, q[Q_BY_DOMAIN], 0)) == NULL)
			rc = -1;
		else {
			db_bind_cstr(st, 0, h);
			rc = one(st, t);
		}
	}
	if (rc != 1) {
		free(t);
		if (rc == -1)
			return TENANT_ERROR;
		cache_put(hosts, 0, h, 0, NULL, TENANT_CACHE_NEG_MS);
		return TENANT_UNKNOWN;
	}
	cache_put(hosts, 0, h, t->id, t, TENANT_CACHE_TTL_MS);
	*out = t;
	return TENANT_FOUND;
}

enum tenant_err
tenant_get_by_id(struct db *db, int64_t id, struct tenant *out)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[Q_BY_ID], 0)) == NULL)
		return TENANT_EDB;
	db_bind_i64(st, 0, id);
	rc = one(st, out);
	return rc == 1 ? TENANT_OK : rc == 0 ? TENANT_ENOTFOUND : TENANT_EDB;
}

enum tenant_err
tenant_get_by_slug(struct db *db, struct str slug, struct tenant *out)
{
	struct db_stmt	*st;
	int		 rc;

	if (slug.len == 0 || slug.len > 40)
		return TENANT_ENOTFOUND;
	if ((st = db_prepare(db, q[Q_BY_SLUG], 0)) == NULL)
		return TENANT_EDB;
	db_bind_str(st, 0, slug);
	rc = one(st, out);
	return rc == 1 ? TENANT_OK : rc == 0 ? TENANT_ENOTFOUND : TENANT_EDB;
}

enum tenant_err
tenant_list(struct db *db, struct arena *a, int64_t owner_id, size_t limit,
    size_t offset, struct tenant **out, size_t *n)
{
	struct db_stmt	*st;
	size_t		 cap = 16;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (limit > 10000)
		limit = 10000;
	if ((st = db_prepare(db, q[Q_LIST], 0)) == NULL)
		return TENANT_EDB;
	db_bind_i64(st, 0, owner_id);
	db_bind_i64(st, 1, owner_id);
	db_bind_i64(st, 2, (int64_t)limit);
	db_bind_i64(st, 3, (int64_t)offset);
	if (db_exec(st, NULL) == -1)
		return TENANT_EDB;
	*out = arena_alloc(a, cap * sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		if (*n == cap) {
			struct tenant *bigger;

			bigger = arena_alloc(a, xmul(cap * 2, sizeof(**out)));
			memcpy(bigger, *out, cap * sizeof(**out));
			*out = bigger;
			cap *= 2;
		}
		fill(st, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == -1 ? TENANT_EDB : TENANT_OK;
}

struct set_status {
	int64_t			 id;
	enum tenant_status	 status;
	char			 reason[501];
};

static int
status_tx(struct db *db, void *arg)
{
	struct set_status	*ss = arg;
	struct db_stmt		*st;

	if ((st = db_prepare(db, q[Q_SET_STATUS], 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, status_names[ss->status]);
	db_bind_cstr(st, 1, ss->reason);
	db_bind_i64(st, 2, ss->id);
	return db_exec(st, NULL) == -1 ? -1 : 0;
}

static int
audited_status_tx(struct db *db, void *arg)
{
	struct set_status *ss = arg;

	return tenant_audit_tx(db, ss->id, "shop.status", status_tx, ss);
}

enum tenant_err
tenant_set_status(struct db *db, int64_t id, enum tenant_status status,
    const char *reason)
{
	struct set_status	ss = { id, status, "" };
	int			rc;

	if ((unsigned)status >= TENANT_STATUS__MAX)
		return TENANT_EDB;
	str_copy(ss.reason, sizeof(ss.reason), str_c(reason));
	rc = db_tx_run(db, audited_status_tx, &ss);
	tenant_changed(id);
	return rc == -1 ? TENANT_EDB : (enum tenant_err)rc;
}

enum tenant_err
tenant_count(struct db *db, int64_t owner_id, int64_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[Q_COUNT], 0)) == NULL)
		return TENANT_EDB;
	db_bind_i64(st, 0, owner_id);
	db_bind_i64(st, 1, owner_id);
	if (db_exec(st, NULL) == -1)
		return TENANT_EDB;
	if ((rc = db_step(st)) == 1)
		*n = db_col_i64(st, 0);
	db_done(st);
	return rc == 1 ? TENANT_OK : TENANT_EDB;
}

int
tenant_theme_valid(struct str theme)
{
	struct stat	sb;
	char		path[1024];
	size_t		i;
	int		n;

	/* A folder name: no dots, no slashes, so never outside
	 * themes_dir. */
	if (theme.len == 0 || theme.len > 40)
		return 0;
	for (i = 0; i < theme.len; i++)
		if (!((theme.p[i] >= 'a' && theme.p[i] <= 'z') ||
		    (theme.p[i] >= '0' && theme.p[i] <= '9') ||
		    theme.p[i] == '-'))
			return 0;
	n = snprintf(path, sizeof(path), "%s/%.*s/templates",
	    config_get("themes_dir", "themes"), (int)theme.len, theme.p);
	return n > 0 && (size_t)n < sizeof(path) && stat(path, &sb) == 0 &&
	    S_ISDIR(sb.st_mode);
}

struct set_theme {
	int64_t		id;
	struct str	theme;
};

static int
theme_write(struct db *db, void *arg)
{
	struct set_theme	*th = arg;
	struct db_stmt		*st;

	if ((st = db_prepare(db, q[Q_SET_THEME], 0)) == NULL)
		return -1;
	db_bind_str(st, 0, th->theme);
	db_bind_i64(st, 1, th->id);
	return db_exec(st, NULL) == -1 ? -1 : 0;
}

static int
theme_tx(struct db *db, void *arg)
{
	struct set_theme *th = arg;

	return tenant_audit_tx(db, th->id, "shop.theme", theme_write, th);
}

static int
css_write(struct db *db, void *arg)
{
	struct set_theme	*th = arg;
	struct db_stmt		*st;

	if ((st = db_prepare(db, q[Q_SET_CSS], 0)) == NULL)
		return -1;
	db_bind_str(st, 0, th->theme);
	db_bind_i64(st, 1, th->id);
	return db_exec(st, NULL) == -1 ? -1 : 0;
}

static int
css_tx(struct db *db, void *arg)
{
	struct set_theme *th = arg;

	return tenant_audit_tx(db, th->id, "shop.css", css_write, th);
}

enum tenant_err
tenant_set_custom_css(struct db *db, int64_t id, struct str path)
{
	struct set_theme	th = { id, path };
	int			rc;

	if (path.len != 0 && !tenant_logo_valid(path))
		return TENANT_EINVAL_LOGO;
	if ((rc = db_tx_run(db, css_tx, &th)) != 0)
		return rc == -1 ? TENANT_EDB : (enum tenant_err)rc;
	tenant_changed(id);
	return TENANT_OK;
}

enum tenant_err
tenant_set_theme(struct db *db, int64_t id, struct str theme)
{
	struct set_theme	th = { id, theme };
	int			rc;

	if (!tenant_theme_valid(theme))
		return TENANT_EINVAL_THEME;
	if ((rc = db_tx_run(db, theme_tx, &th)) != 0)
		return rc == -1 ? TENANT_EDB : (enum tenant_err)rc;
	tenant_changed(id);
	return TENANT_OK;
}

enum tenant_err
tenant_suspend(struct db *db, const struct tenant *t, const char *reason)
{
	if (t->status != TENANT_READY && t->status != TENANT_SUSPENDED)
		return TENANT_ESTATE;
	return tenant_set_status(db, t->id, TENANT_SUSPENDED,
	    reason != NULL && *reason ? reason : "suspended by an operator");
}

enum tenant_err
tenant_resume(struct db *db, const struct tenant *t)
{
	if (t->status != TENANT_SUSPENDED)
		return TENANT_ESTATE;
	return tenant_set_status(db, t->id, TENANT_READY, "");
}

int
tenant_name_valid(struct str name)
{
	size_t i, chars = 0;

	if (str_trim(name).len == 0 || !str_valid_text(name))
		return 0;
	for (i = 0; i < name.len; i++) {
		if (name.p[i] == '\n' || name.p[i] == '\r' ||
		    name.p[i] == '\t')
			return 0;
		if (((unsigned char)name.p[i] & 0xc0) != 0x80)
			chars++;
	}
	return chars <= 200;
}

/* The languages souk ships (core/i18n) and the currencies it knows
 * (core/money): one list each, for the shops and their choosers. */
int
tenant_locale_known(struct str l)
{
	char buf[9];

	if (l.len == 0 || l.len >= sizeof(buf))
		return 0;
	memcpy(buf, l.p, l.len);
	buf[l.len] = '\0';
	return i18n_supported(buf);
}

int
tenant_currency_known(struct str c)
{
	char buf[4];

	if (c.len != 3)
		return 0;
	memcpy(buf, c.p, 3);
	buf[3] = '\0';
	return money_currency_valid(buf);
}

int
tenant_color_valid(struct str c)
{
	size_t i;

	if (c.len != 7 || c.p[0] != '#')
		return 0;
	for (i = 1; i < 7; i++)
		if (!((c.p[i] >= '0' && c.p[i] <= '9') ||
		    (c.p[i] >= 'a' && c.p[i] <= 'f') ||
		    (c.p[i] >= 'A' && c.p[i] <= 'F')))
			return 0;
	return 1;
}

int
tenant_logo_valid(struct str p)
{
	size_t i;

	if (p.len == 0)
		return 1;
	if (p.len > 200 || p.p[0] == '/' || p.p[0] == '.')
		return 0;
	for (i = 0; i < p.len; i++) {
		char c = p.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-' || c == '/'))
			return 0;
		if (i > 0 && (c == '/' || c == '.') && p.p[i - 1] == '/')
			return 0;	/* "//", "/." and so "/.." */
		if (i > 0 && c == '.' && p.p[i - 1] == '.')
			return 0;
	}
	return p.p[p.len - 1] != '/';
}

struct settings_update {
	int64_t				 id;
	const struct tenant_settings	*s;
	struct str			 list, curs;
	uint64_t			 affected;
};

/* 10^n for the small exponents of ISO 4217 (0 to 4). */
static int64_t
pow10_of(int n)
{
	int64_t v = 1;

	while (n-- > 0)
		v *= 10;
	return v;
}

/* The weight bands' costs times mul / div, as rescale_prices()'s
 * statements do with the other amounts. Bands that do not parse (none
 * are saved so) are left as they are. */
static int
rescale_bands(struct db *db, int64_t id, int64_t mul, int64_t div)
{
	struct db_stmt	*st, *up;
	struct arena	 a;
	struct strbuf	 sb = STRBUF_INIT;
	int		 rc = -1, r;

	arena_init(&a);
	if ((st = db_prepare(db, q[Q_BANDS], id)) == NULL ||
	    db_exec(st, &a) == -1)
		goto out;
	/* The result is all on this side (db_exec()): the updates may
	 * run while it is read. */
	while ((r = db_step(st)) == 1) {
		strbuf_setlen(&sb, 0);
		if (weight_bands_rescale(db_col_str(st, 1), mul, div, &sb) ==
		    -1)
			continue;
		if ((up = db_prepare(db, q[Q_SET_BANDS], id)) == NULL)
			break;
		db_bind_str(up, 0, str_c(sb.buf));
		db_bind_i64(up, 1, db_col_i64(st, 0));
		if (db_exec(up, NULL) == -1)
			break;
		db_done(up);
	}
	db_done(st);
	if (r == 0)
		rc = 0;
out:
	if (rc == -1)
		log_err("cannot rescale weight bands of shop %lld: %s",
		    (long long)id, db_error(db));
	strbuf_release(&sb);
	arena_free(&a);
	return rc;
}

/*
 * A new base currency: the shop's stored amounts (product and variant
 * prices and sale prices, shipping costs and thresholds, fixed coupons and minimum
 * spends) are rescaled in the same transaction, so $12.50 becomes 13
 * JPY and not 1250 JPY. A shop with orders cannot change it at all
 * (shop_has_order()): their amounts, payments and refunds are in the
 * old currency. Weight bands ("1000:490 *:990", a text) are rescaled
 * by rescale_bands().
 */
static int
rescale_prices(struct db *db, int64_t id, const char *from, const char *to)
{
	static const int	 steps[] = { Q_RESCALE_PRODUCTS,
				    Q_RESCALE_VARIANTS, Q_RESCALE_SHIPPING,
				    Q_RESCALE_COUPONS };
	int			 ef = money_exponent(from);
	int			 et = money_exponent(to);
	int64_t			 mul = 1, div = 1;
	struct db_stmt		*st;
	size_t			 i;

	if (ef < 0 || et < 0)
		return -1;
	if (et >= ef)
		mul = pow10_of(et - ef);
	else
		div = pow10_of(ef - et);
	if (mul == 1 && div == 1)
		return 0;
	for (i = 0; i < NELEM(steps); i++) {
		if ((st = db_prepare(db, q[steps[i]], id)) == NULL)
			return -1;
		db_bind_i64(st, 0, mul);
		db_bind_i64(st, 1, div);
		db_bind_i64(st, 2, div);
		/* Two amounts per row: the same three again. */
		db_bind_i64(st, 3, mul);
		db_bind_i64(st, 4, div);
		db_bind_i64(st, 5, div);
		if (db_exec(st, NULL) == -1) {
			log_err("cannot rescale prices of shop %lld: %s",
			    (long long)id, db_error(db));
			return -1;
		}
	}
	return rescale_bands(db, id, mul, div);
}

/* 1 when shop id has an order (locked against a first one meanwhile),
 * 0 when none, -1 on error. */
static int
shop_has_order(struct db *db, int64_t id)
{
	struct db_stmt	*st = db_prepare(db, q[Q_HAS_ORDER], id);
	int		 rc;

	if (st == NULL || db_exec(st, NULL) == -1)
		return -1;
	rc = db_step(st);
	db_done(st);
	return rc;
}

static int	settings_write(struct db *, void *);

static int
settings_tx(struct db *db, void *arg)
{
	struct settings_update *u = arg;

	return tenant_audit_tx(db, u->id, "shop.settings", settings_write, u);
}

static int
settings_write(struct db *db, void *arg)
{
	struct settings_update		*u = arg;
	const struct tenant_settings	*s = u->s;
	struct db_stmt			*st;
	char				 from[8], to[8];
	int				 rc;

	if ((st = db_prepare(db, q[Q_CURRENCY_OF], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, u->id);
	if (db_exec(st, NULL) == -1 || (rc = db_step(st)) == -1) {
		db_done(st);
		return -1;
	}
	if (rc == 0) {
		db_done(st);
		return TENANT_ENOTFOUND;
	}
	str_copy(from, sizeof(from), db_col_str(st, 0));
	db_done(st);
	if (!str_eqc(s->currency, from)) {
		if ((rc = shop_has_order(db, u->id)) == -1)
			return -1;
		if (rc == 1)
			return TENANT_ECURRENCY_LOCKED;
	}
	if ((st = db_prepare(db, q[Q_UPDATE], 0)) == NULL)
		return -1;
	db_bind_str(st, 0, str_trim(s->name));
	db_bind_str(st, 1, s->color_primary);
	db_bind_str(st, 2, s->color_accent);
	db_bind_str(st, 3, u->list);
	db_bind_str(st, 4, s->default_locale);
	db_bind_str(st, 5, s->currency);
	db_bind_str(st, 6, s->logo);
	db_bind_str(st, 7, u->curs);
	db_bind_str(st, 8, s->time_zone);
	db_bind_i64(st, 9, u->id);
	if (db_exec(st, NULL) == -1)
		return -1;
	u->affected = db_affected(st);
	str_copy(to, sizeof(to), s->currency);
	if (strcmp(from, to) != 0 &&
	    rescale_prices(db, u->id, from, to) == -1)
		return -1;
	return 0;
}

enum tenant_err
tenant_update_settings(struct db *db, int64_t id,
    const struct tenant_settings *s)
{
	struct settings_update	 u;
	struct tenant		 t;
	int			 rc;
	char		 list[TENANT_MAX_LOCALES * 9];
	char		 curs[TENANT_MAX_CURRENCIES * 4];
	size_t		 i, j, len = 0, clen = 0;
	int		 has_default = 0;

	if (!tenant_name_valid(s->name))
		return TENANT_EINVAL_NAME;
	if (!tenant_color_valid(s->color_primary) ||
	    !tenant_color_valid(s->color_accent))
		return TENANT_EINVAL_COLOR;
	if (s->nlocales == 0 || s->nlocales > TENANT_MAX_LOCALES)
		return TENANT_EINVAL_LOCALE;
	for (i = 0; i < s->nlocales; i++) {
		if (!tenant_locale_known(s->locales[i]))
			return TENANT_EINVAL_LOCALE;
		for (j = 0; j < i; j++)
			if (str_eq(s->locales[i], s->locales[j]))
				return TENANT_EINVAL_LOCALE;
		if (str_eq(s->locales[i], s->default_locale))
			has_default = 1;
		if (i > 0)
			list[len++] = ',';
		memcpy(list + len, s->locales[i].p, s->locales[i].len);
		len += s->locales[i].len;
	}
	if (!has_default)
		return TENANT_EINVAL_LOCALE;
	if (!tenant_currency_known(s->currency))
		return TENANT_EINVAL_CURRENCY;
	if (s->ndisplay > TENANT_MAX_CURRENCIES)
		return TENANT_EINVAL_CURRENCY;
	for (i = 0; i < s->ndisplay; i++) {
		struct str c = s->display_currencies[i];
		char code[4];

		if (c.len != 3)
			return TENANT_EINVAL_CURRENCY;
		memcpy(code, c.p, 3);
		code[3] = '\0';
		if (!money_currency_valid(code))
			return TENANT_EINVAL_CURRENCY;
		for (j = 0; j < i; j++)
			if (str_eq(c, s->display_currencies[j]))
				return TENANT_EINVAL_CURRENCY;
		if (str_eq(c, s->currency))
			continue;	/* the base is always shown */
		if (clen > 0)
			curs[clen++] = ',';
		memcpy(curs + clen, code, 3);
		clen += 3;
	}
	if (!tenant_logo_valid(s->logo))
		return TENANT_EINVAL_LOGO;
	if (s->time_zone.len > 0 && !tz_known(s->time_zone))
		return TENANT_EINVAL_TZ;

	u.id = id;
	u.s = s;
	u.list = (struct str){ list, len };
	u.curs = (struct str){ curs, clen };
	u.affected = 0;
	if ((rc = db_tx_run(db, settings_tx, &u)) != 0)
		return rc == TENANT_ENOTFOUND || rc == TENANT_ECURRENCY_LOCKED ?
		    (enum tenant_err)rc : TENANT_EDB;
	tenant_changed(id);
	/* 0 rows changed is also what an unchanged form gives. */
	if (u.affected == 0)
		return tenant_get_by_id(db, id, &t);
	return TENANT_OK;
}

const char *
tenant_strerror(enum tenant_err e)
{
	switch (e) {
	case TENANT_OK:
		return "ok";
	case TENANT_EDB:
		return "database error";
	case TENANT_ENOTFOUND:
		return "no such shop";
	case TENANT_EINVAL_NAME:
		return "name must be 1 to 200 characters of text";
	case TENANT_EINVAL_COLOR:
		return "colour must be #rrggbb";
	case TENANT_EINVAL_LOCALE:
		return "unknown language, or default not among the languages";
	case TENANT_EINVAL_CURRENCY:
		return "unknown currency";
	case TENANT_EINVAL_LOGO:
		return "invalid logo path";
	case TENANT_ECURRENCY_LOCKED:
		return "the shop has orders: its base currency stays";
	case TENANT_EINVAL_TZ:
		return "unknown time zone";
	case TENANT_ESTATE:
		return "the shop is not in a state that allows this";
	case TENANT_EINVAL_THEME:
		return "no such theme";
	}
	return "unknown error";
}

const char *
tenant_link(struct arena *a, const char *slug, const char *path)
{
	const char *port = config_get("public_port", "");

	return arena_printf(a, "%s://%s%s%s%s%s%s",
	    config_get("public_scheme", "http"), slug ? slug : "",
	    slug ? "." : "", config_get("platform_domain", "localhost"),
	    *port ? ":" : "", port, path);
}
