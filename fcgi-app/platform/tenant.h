/*
 * tenant.h: shops as the platform sees them (souk_tenants, souk_domains),
 * and the resolution of a request's Host to its shop.
 *
 * A host reaches a shop as "{slug}.{platform_domain}" or as a custom
 * domain row in souk_domains. platform_domain itself and
 * "www."platform_domain are the platform's own pages. Host names are
 * compared lower-cased, without port (the caller strips it).
 *
 * Each worker keeps a small cache host -> tenant (positive entries for
 * TENANT_CACHE_TTL_MS, unknown hosts for TENANT_CACHE_NEG_MS), so a
 * page costs no platform query while a suspension or a settings change
 * shows within seconds on every worker; the worker that made the change
 * sees it at once (tenant_cache_invalidate() is called by the functions
 * here that write).
 *
 * struct tenant is a flat value (fixed-size strings, NUL-terminated),
 * so copies are plain assignments.
 */
#ifndef SOUK_TENANT_H
#define SOUK_TENANT_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"

#include <json-c/json.h>

struct db;

#define TENANT_MAX_LOCALES	8
#define TENANT_MAX_CURRENCIES	8	/* display currencies besides the base */
#define TENANT_CACHE_TTL_MS	3000
#define TENANT_CACHE_NEG_MS	1000
#define TENANT_HOST_MAX		253

enum tenant_status {
	TENANT_PROVISIONING,
	TENANT_READY,
	TENANT_FAILED,
	TENANT_SUSPENDED,
	TENANT_STATUS__MAX
};

struct tenant {
	int64_t			id;
	int64_t			owner_id;	/* souk_accounts.id */
	enum tenant_status	status;
	int			schema_version;
	/* 1: its search index holds every product (shop/search_index.h) */
	int			search_version;
	char			slug[41];
	char			name[801];	/* 200 chars of UTF-8 */
	char			status_reason[501];
	char			shard[65];
	char			theme[41];
	char			default_locale[9];
	char			locales[TENANT_MAX_LOCALES][9];
	size_t			nlocales;
	char			currency[4];	/* base: orders are charged in it */
	/* Shown to shoppers besides the base, converted (platform/rates.h);
	 * valid ISO 4217 codes known to core/money, never the base. */
	char			display_currencies[TENANT_MAX_CURRENCIES][4];
	size_t			ndisplay;
	char			color_primary[8];	/* "#rrggbb" */
	char			color_accent[8];
	/* The same, darkened just enough to read on the page and under
	 * white text (core/color.h): what the storefront shows. Derived
	 * once when the row is read, not per page. */
	char			text_primary[8];
	char			text_accent[8];
	char			logo[201];	/* path under /media/, or "" */
	char			created_at[20];	/* "YYYY-MM-DD HH:MM:SS" UTC */
	/* The shop's clock (core/tz.h): its dashboard's days and the
	 * times its pages show; stored times stay UTC. */
	char			time_zone[65];
	/* Its plan (platform/plan.h): code and name ("" for a shop
	 * made before plans, which has no limits), the shop's API
	 * requests a 15 minutes (-1: no limit), the trial's last day
	 * ("YYYY-MM-DD" or ""). The other limits are read where they
	 * are enforced (platform/quota.h), in the writing transaction. */
	char			plan_code[41];
	char			plan_name[401];
	int64_t			api_limit;
	char			trial_ends_at[11];
	/* The shop's own CSS: a path under /media/, or "" (the admin's
	 * Theme page). */
	char			custom_css[201];
	/* While a move switches its server (platform/shop_move.h), the
	 * shop's writes wait: a Unix time, or 0. */
	int64_t			read_only_until;
};

/* What tenant_resolve() found. */
enum tenant_where {
	TENANT_ERROR = -1,	/* database error; answer 503 */
	TENANT_PLATFORM = 0,	/* the platform's own host */
	TENANT_FOUND,		/* a shop, in any status (the caller shows
				 * a suspended shop's notice itself) */
	TENANT_UNKNOWN,		/* no shop has this host */
};

enum tenant_err {
	TENANT_OK = 0,
	TENANT_EDB,
	TENANT_ENOTFOUND,
	TENANT_EINVAL_NAME,	/* 1..200 characters of text */
	TENANT_EINVAL_COLOR,	/* "#rrggbb" */
	TENANT_EINVAL_LOCALE,	/* not one souk ships, or default not listed */
	TENANT_EINVAL_CURRENCY,	/* not an ISO 4217 code souk knows */
	TENANT_EINVAL_LOGO,	/* not a plain relative media path */
	TENANT_ECURRENCY_LOCKED,/* a new base currency for a shop with
				 * orders (their amounts are in the old) */
	TENANT_EINVAL_TZ,	/* not a time zone of core/tz.h */
	TENANT_ESTATE,		/* (suspend, resume) not in a state that
				 * allows it */
	TENANT_EINVAL_THEME,	/* not a theme folder under themes_dir */
};

/*
 * Resolves host (any case, no port) to its shop. On TENANT_FOUND *out
 * points into the worker's cache: valid until the next tenant_resolve()
 * or tenant_cache_invalidate(); copy the struct to keep it longer.
 * *out is NULL otherwise.
 */
enum tenant_where tenant_resolve(struct db *db, struct str host,
		    const struct tenant **out);

/* Lets db route shops' statements to their servers (db.h, "Shops on
 * several servers"); nothing to do without db_shards. */
void	tenant_route_install(struct db *db);

/* 1 while shop t's writes are refused (it is being moved), else 0. */
int	tenant_read_only(const struct tenant *t);

/* Forgets every cached host (all, since a shop may have several). */
void	tenant_cache_invalidate(void);

/* Shop id's row as the audit shows it, locked (platform/audit.h's
 * audit_snapshot()): the caller's to json_object_put(). */
json_object	*tenant_snapshot(struct db *db, int64_t id, int *err);

/* Runs fn(db, arg) in the caller's transaction between two snapshots of
 * shop id and records action with what changed. fn's result (0 goes
 * on), TENANT_ENOTFOUND, or -1. */
int	tenant_audit_tx(struct db *db, int64_t id, const char *action,
	    int (*fn)(struct db *, void *), void *arg);

/* Shop id changed (row, status, hosts, plan): every worker drops its
 * cached entries of that shop, and of hosts that named no shop. */
void	tenant_changed(int64_t id);

/* Fills *out with the shop id / slug (no cache). ENOTFOUND, EDB. */
enum tenant_err tenant_get_by_id(struct db *db, int64_t id,
		    struct tenant *out);
enum tenant_err tenant_get_by_slug(struct db *db, struct str slug,
		    struct tenant *out);

/*
 * Shops ordered by id, for the operator console (owner_id 0: all) and
 * an owner's dashboard (owner_id: that owner's), at most limit from
 * offset. *out is an array of *n tenants allocated in a. Returns
 * TENANT_OK or TENANT_EDB.
 */
enum tenant_err tenant_list(struct db *db, struct arena *a, int64_t owner_id,
		    size_t limit, size_t offset, struct tenant **out,
		    size_t *n);

/* Sets shop id's theme: the name of a folder of themes_dir (a-z, 0-9,
 * '-', at most 40) that has templates. EINVAL_THEME, EDB. */
enum tenant_err tenant_set_theme(struct db *db, int64_t id,
		    struct str theme);

/* Sets shop id's own CSS: a path under /media/ (tenant_logo_valid()'s
 * rules) or "" for none. EINVAL_LOGO, ENOTFOUND, EDB. */
enum tenant_err tenant_set_custom_css(struct db *db, int64_t id,
		    struct str path);

/* 1 when theme is such a folder (reads the file system, no database). */
int	tenant_theme_valid(struct str theme);

/* How many shops tenant_list() would list in all (owner_id 0: all)
 * into *n. TENANT_OK or EDB. */
enum tenant_err tenant_count(struct db *db, int64_t owner_id, int64_t *n);

/*
 * What soukctl, the operator console and the tenant API do to suspend
 * and resume shop t: suspending a 'ready' shop (or a suspended one
 * again, with a new reason; NULL or "": "suspended by an operator"),
 * resuming a suspended one. ESTATE for a shop in another state
 * (provisioning, failed), ENOTFOUND, EDB.
 */
enum tenant_err tenant_suspend(struct db *db, const struct tenant *t,
		    const char *reason);
enum tenant_err tenant_resume(struct db *db, const struct tenant *t);

/* The public link of path ("/admin/") on shop slug's own host
 * ("{slug}.{platform_domain}"), or on the platform's host when slug is
 * NULL, from the configuration (public_scheme, public_port), never a
 * request's Host header; in a. */
const char	*tenant_link(struct arena *a, const char *slug, const char *path);

/* Sets the status and its reason (NULL: ""). ENOTFOUND, EDB. */
enum tenant_err tenant_set_status(struct db *db, int64_t id,
		    enum tenant_status status, const char *reason);

/* What a shop owner may change. Every field is required. */
struct tenant_settings {
	struct str	name;
	struct str	color_primary;
	struct str	color_accent;
	struct str	locales[TENANT_MAX_LOCALES];
	size_t		nlocales;
	struct str	default_locale;
	struct str	currency;
	struct str	display_currencies[TENANT_MAX_CURRENCIES];
	size_t		ndisplay;	/* 0 for none; the base is dropped */
	struct str	logo;		/* "" for none */
	struct str	time_zone;	/* core/tz.h; "" keeps the shop's */
};

/* Validates and stores s for shop id; the first invalid field's code,
 * ENOTFOUND or EDB. */
enum tenant_err tenant_update_settings(struct db *db, int64_t id,
		    const struct tenant_settings *s);

/* Lower-cases a syntactically possible host name (no port) into out;
 * -1 if it is not one. */
int	tenant_host_norm(struct str host, char out[TENANT_HOST_MAX + 1]);

/* Validators, pure: 1 when valid. */
int	tenant_name_valid(struct str name);
int	tenant_locale_known(struct str locale);	/* en de fr es ja */
int	tenant_currency_known(struct str code);	/* EUR USD GBP ... */
int	tenant_color_valid(struct str color);
int	tenant_logo_valid(struct str path);

/* "provisioning", "ready", ...; and back (-1 when unknown). */
const char	*tenant_status_name(enum tenant_status s);
int		 tenant_status_parse(struct str s);

/* English text of an error code, for logs and soukctl. */
const char	*tenant_strerror(enum tenant_err e);

/* Frees the cache (at worker exit). */
void	tenant_cache_free(void);

#endif
