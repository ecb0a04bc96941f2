/*
 * soukctl: the operator's command line.
 *
 *   soukctl [--config F] migrate
 *   soukctl [--config F] shop create --slug S --name N --owner-email E
 *	    --password-file F [--locale L] [--currency C]
 *   soukctl [--config F] shop list
 *   soukctl [--config F] shop stock [--fill]
 *   soukctl [--config F] shop suspend|resume SLUG
 *   soukctl [--config F] shop delete SLUG --yes-delete-all-data
 *   soukctl [--config F] shop export SLUG --format woo|shopify [FILE]
 *   soukctl [--config F] shop import SLUG FILE [--dry-run]
 *   soukctl [--config F] shop also-bought SLUG
 *   soukctl [--config F] shop books-check SLUG
 *   soukctl [--config F] shop reconcile SLUG [--min-age SECONDS]
 *   soukctl [--config F] operator add --email E [--password-file F]
 *   soukctl [--config F] operator api-key create --email E
 *	    [--description D]
 *   soukctl [--config F] operator api-key list
 *   soukctl [--config F] operator api-key revoke ID
 *   soukctl [--config F] domain add SLUG HOST
 *   soukctl [--config F] billing run [--month YYYY-MM]
 *   soukctl [--config F] billing list [--status open|paid|failed]
 *   soukctl [--config F] billing show NUMBER
 *   soukctl [--config F] demo load --slug S --kind bakery|tea|surf
 *   soukctl [--config F] rates show
 *   soukctl [--config F] rates fetch [--url URL]
 *   soukctl [--config F] secret-key create [PATH]
 *   soukctl [--config F] secret-key reseal
 *
 * Results go to stdout, messages to stderr. Exit 0 on success, 1 on
 * failure, 2 on a usage error; shop import: 0 when the file was read
 * (its refused rows listed), 1 when it was refused whole, 2 when the
 * database failed; shop books-check: 0 when the books are right, 1
 * when it found a problem (listed) or failed. secret-key create needs
 * no database: make install runs it before there is one. secret-key
 * reseal seals every shop's stored secrets again under the current key
 * (rotating it: core/secret.h); 1 when a shop's could not be.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/secret.h"
#include "db/db.h"
#include "db/migrate.h"
#include "platform/account.h"
#include "platform/audit.h"
#include "platform/backup.h"
#include "platform/billing.h"
#include "platform/domain.h"
#include "platform/opkey.h"
#include "platform/operator.h"
#include "platform/plan.h"
#include "platform/provision.h"
#include "platform/rates.h"
#include "platform/restore.h"
#include "platform/shop_archive.h"
#include "platform/shop_move.h"
#include "platform/shop_stock.h"
#include "platform/tenant.h"
#include "platform/theme.h"
#include "core/i18n.h"
#include "shop/also_bought.h"
#include "shop/card.h"
#include "shop/catalog_export.h"
#include "shop/catalog_import.h"
#include "shop/demo.h"
#include "shop/gateway.h"
#include "shop/ledger.h"
#include "shop/search_index.h"
#include "shop/shop.h"

#include <fcntl.h>
#include <pwd.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE	2

static const char usage_text[] =
	"usage: soukctl [--config FILE] COMMAND\n"
	"  migrate\n"
	"  shop create --slug SLUG --name NAME --owner-email EMAIL\n"
	"      --password-file FILE [--locale en|de|fr|es|ja] [--currency EUR]\n"
	"  shop list\n"
	"  shop stock [--fill]   (shops made ahead of sign-ups; --fill: now)\n"
	"  shop suspend SLUG\n"
	"  shop resume SLUG\n"
	"  shop delete SLUG --yes-delete-all-data\n"
	"  shop export SLUG --format woo|shopify [FILE]   (its catalog)\n"
	"  shop import SLUG FILE [--dry-run]              (a catalog into it)\n"
	"  shop export SLUG --format souk FILE   (the whole shop, to move it)\n"
	"  shop import --from FILE [--slug NEW]  (a new shop from that)\n"
	"  shop restore SLUG --to 'YYYY-MM-DD HH:MM[:SS][ UTC]'\n"
	"  shop restore SLUG --purge   (drop the tables restores set aside)\n"
	"  shop move SLUG --to SERVER  (a server of db_shards, or default)\n"
	"  shop move SLUG --purge      (drop the tables moves set aside)\n"
	"  shop also-bought SLUG\n"
	"  shop reindex SLUG   (its search index, now)\n"
	"  shop books-check SLUG\n"
	"  shop reconcile SLUG [--min-age SECONDS]\n"
	"  operator add --email EMAIL [--password-file FILE]\n"
	"      [--role admin|support]\n"
	"  operator api-key create --email EMAIL [--description TEXT]\n"
	"  operator api-key list\n"
	"  operator api-key revoke ID\n"
	"  domain add SLUG HOST\n"
	"  plan list\n"
	"  plan create CODE --name NAME --price MINOR [LIMITS] [--default]\n"
	"  plan set CODE [--name NAME] [--price MINOR] [LIMITS]\n"
	"  plan delete CODE\n"
	"  plan default CODE\n"
	"  plan assign SLUG CODE [--trial-until YYYY-MM-DD]\n"
	"      LIMITS: --products N --staff N --media-mb N --orders-month N\n"
	"      --api-15min N --domains N (N or 'unlimited') --trial-days N\n"
	"  backup run | list | verify [NAME]\n"
	"  billing run [--month YYYY-MM]   (default: last month)\n"
	"  billing list [--status open|paid|failed]\n"
	"  billing show NUMBER\n"
	"  theme list\n"
	"  theme install DIR --name NAME\n"
	"  demo load --slug SLUG --kind bakery|tea|surf\n"
	"  rates show\n"
	"  rates fetch [--url URL]\n"
	"  secret-key create [PATH]   (default: the config's secret_key_file)\n"
	"  secret-key reseal\n";

/* The audit's actor (platform/audit.h): soukctl, as the system user
 * running it, with the command in place of a user agent. */
static void
audit_soukctl(const char *cmd, const char *sub)
{
	struct audit_actor	 a;
	struct passwd		*pw = getpwuid(getuid());
	int			 n;

	memset(&a, 0, sizeof(a));
	a.by = AUDIT_SOUKCTL;
	a.id = (int64_t)getuid();
	str_copy(a.label, sizeof(a.label), str_c(pw != NULL ? pw->pw_name :
	    "?"));
	n = snprintf(a.agent, sizeof(a.agent), "soukctl %s%s%s", cmd,
	    sub != NULL ? " " : "", sub != NULL ? sub : "");
	if (n < 0)
		a.agent[0] = '\0';
	audit_begin(&a);
}

static int
usage(const char *why)
{
	if (why != NULL)
		fprintf(stderr, "soukctl: %s\n", why);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static int
die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
die(const char *fmt, ...)
{
	va_list ap;

	fputs("soukctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAILURE;
}

/*
 * Options of a sub-command: "--name value" or "--name=value" for each
 * name in names (values[i] set, else NULL), "--flag" for flags ending
 * in '!', and positional arguments into pos (up to npos). Returns 0 or
 * -1 on anything unexpected.
 */
static int
parse_opts(int argc, char **argv, const char *const *names,
    const char **values, size_t nnames, const char **pos, size_t npos)
{
	size_t	 i, n, got = 0;
	int	 k;

	for (i = 0; i < nnames; i++)
		values[i] = NULL;
	for (i = 0; i < npos; i++)
		pos[i] = NULL;
	for (k = 0; k < argc; k++) {
		const char *a = argv[k];

		if (strncmp(a, "--", 2) != 0) {
			if (got == npos)
				return -1;
			pos[got++] = a;
			continue;
		}
		for (i = 0; i < nnames; i++) {
			const char *nm = names[i];
			int flag;

			n = strlen(nm);
			flag = nm[n - 1] == '!';
			if (flag)
				n--;
			if (strncmp(a + 2, nm, n) != 0)
				continue;
			if (flag && a[2 + n] == '\0') {
				values[i] = "1";
				break;
			}
			if (flag)
				continue;
			if (a[2 + n] == '=') {
				values[i] = a + 3 + n;
				break;
			}
			if (a[2 + n] == '\0') {
				if (k + 1 >= argc)
					return -1;
				values[i] = argv[++k];
				break;
			}
		}
		if (i == nnames)
			return -1;
	}
	return got == npos ? 0 : -1;
}

/* The first line of path, without its newline, into buf. */
static int
read_password(const char *path, char *buf, size_t len)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return die("cannot open '%s': %s", path, strerror(errno));
	if (fgets(buf, (int)len, f) == NULL) {
		fclose(f);
		return die("'%s' is empty", path);
	}
	fclose(f);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

static void
print_url(const char *slug)
{
	const char *port = config_get("public_port", "");

	printf("%s://%s.%s%s%s/\n", config_get("public_scheme", "http"), slug,
	    config_get("platform_domain", "localhost"), *port ? ":" : "",
	    port);
}

static int
cmd_migrate(struct db *db)
{
	const char	*dir = config_get("sql_dir", "./sql");
	char		 err[512];
	int		 i, n, shops;

	if ((n = migrate_platform(db, dir, err, sizeof(err))) == -1)
		return die("platform migration failed: %s", err);
	fprintf(stderr, "soukctl: platform: %d migration(s) applied\n", n);
	for (i = 1; i <= db_shard_count(db); i++) {
		if ((n = migrate_shard(db_shard(db, i), dir, err,
		    sizeof(err))) == -1)
			return die("server %s: migration failed: %s",
			    db_shard_name(db, i), err);
		fprintf(stderr, "soukctl: server %s: %d migration(s) "
		    "applied\n", db_shard_name(db, i), n);
	}
	if (migrate_all_shops(db, dir, &shops, err, sizeof(err)) == -1) {
		fprintf(stderr, "soukctl: shops: %d migrated\n", shops);
		return die("shop migration failed: %s", err);
	}
	fprintf(stderr, "soukctl: shops: %d migrated\n", shops);
	return 0;
}

static int
cmd_shop_create(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "slug", "name", "owner-email",
	    "password-file", "locale", "currency" };
	const char		*v[NELEM(names)];
	struct provision_req	 req;
	struct tenant		 t;
	enum provision_err	 e;
	int64_t			 id;
	char			 pw[CRYPTO_PW_MAX_BYTES + 2], err[512];

	if (parse_opts(argc, argv, names, v, NELEM(names), NULL, 0) == -1)
		return usage("shop create: bad arguments");
	if (v[0] == NULL || v[1] == NULL || v[2] == NULL || v[3] == NULL)
		return usage("shop create: --slug, --name, --owner-email and "
		    "--password-file are required");
	if (read_password(v[3], pw, sizeof(pw)) != 0)
		return EXIT_FAILURE;
	memset(&req, 0, sizeof(req));
	req.slug = str_c(v[0]);
	req.name = str_c(v[1]);
	req.owner_email = str_c(v[2]);
	req.owner_password = str_c(pw);
	req.locale = str_c(v[4]);
	req.currency = str_c(v[5]);
	e = provision_shop(db, &req, &id, err, sizeof(err));
	memset(pw, 0, sizeof(pw));
	if (e != PROVISION_OK)
		return die("cannot create shop '%s': %s (%s)", v[0],
		    provision_strerror(e), err);
	if (tenant_get_by_id(db, id, &t) != TENANT_OK)
		return die("shop %lld: %s", (long long)id, db_error(db));
	printf("%lld ", (long long)id);
	print_url(t.slug);
	return 0;
}

static int
cmd_shop_list(struct db *db)
{
	struct arena	 a;
	struct tenant	*ts;
	struct account	 acct;
	size_t		 n, i, off = 0;
	int		 rc = 0, w;

	arena_init(&a);
	printf("%-6s %-24s %-12s %-30s %s\n", "id", "slug", "status", "owner",
	    "name");
	do {
		if (tenant_list(db, &a, 0, 500, off, &ts, &n) != TENANT_OK) {
			rc = die("cannot list shops: %s", db_error(db));
			break;
		}
		for (i = 0; i < n; i++) {
			if (account_get(db, ts[i].owner_id, &acct) !=
			    ACCOUNT_OK) {
				w = snprintf(acct.email, sizeof(acct.email),
				    "#%lld", (long long)ts[i].owner_id);
				if (w < 0 || (size_t)w >= sizeof(acct.email))
					acct.email[0] = '\0';
			}
			printf("%-6lld %-24s %-12s %-30s %s\n",
			    (long long)ts[i].id, ts[i].slug,
			    tenant_status_name(ts[i].status), acct.email,
			    ts[i].name);
		}
		off += n;
		arena_reset(&a);
	} while (n == 500);
	arena_free(&a);
	return rc;
}

/*
 * The stock of shops made ahead of sign-ups (platform/shop_stock.h);
 * --fill brings it to shop_stock now instead of waiting for
 * souk-worker (as make run does before it creates the demo shops).
 */
static int
cmd_shop_stock(struct db *db, int argc, char **argv)
{
	const char		*sql_dir = config_get("sql_dir", "./sql");
	struct shop_stock_counts c;
	char			 err[512];
	int			 fill = 0, latest, rc, steps = 0;

	if (argc == 1 && strcmp(argv[0], "--fill") == 0)
		fill = 1;
	else if (argc != 0)
		return usage("shop stock: want nothing or --fill");
	if ((latest = migrate_shop_latest(sql_dir, err, sizeof(err))) == -1)
		return die("%s", err);
	/* Each step is one shop; the bound only guards against a loop. */
	while (fill && (rc = shop_stock_step(db, sql_dir,
	    shop_stock_target(), err, sizeof(err))) != 0) {
		if (rc == -1)
			return die("%s", err);
		if (++steps > 4 * SHOP_STOCK_MAX)
			return die("shop stock: does not settle");
	}
	if (shop_stock_counts(db, latest, &c) == -1)
		return die("cannot count the stock: %s", db_error(db));
	printf("ready %d\nbuilding %d\ndropping %d\ntarget %d\n", c.ready,
	    c.building, c.dropping, shop_stock_target());
	return 0;
}

static int
find_shop(struct db *db, const char *slug, struct tenant *t)
{
	enum tenant_err e = tenant_get_by_slug(db, str_c(slug), t);

	if (e == TENANT_ENOTFOUND)
		return die("no shop '%s'", slug);
	if (e != TENANT_OK)
		return die("cannot read shop '%s': %s", slug, db_error(db));
	return 0;
}

static int
cmd_shop_status(struct db *db, int suspend, int argc, char **argv)
{
	struct tenant	 t;
	const char	*slug;
	enum tenant_err	 e;

	if (parse_opts(argc, argv, NULL, NULL, 0, &slug, 1) == -1)
		return usage("shop suspend|resume: want one SLUG");
	if (find_shop(db, slug, &t) != 0)
		return EXIT_FAILURE;
	e = suspend ? tenant_suspend(db, &t, NULL) : tenant_resume(db, &t);
	if (e == TENANT_ESTATE)
		return die("shop '%s' is %s", slug,
		    tenant_status_name(t.status));
	if (e != TENANT_OK)
		return die("cannot change shop '%s': %s", slug, db_error(db));
	fprintf(stderr, "soukctl: shop '%s' %s\n", slug,
	    suspend ? "suspended" : "resumed");
	return 0;
}

static int
cmd_shop_delete(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "yes-delete-all-data!" };
	const char		*v[1], *slug;
	struct tenant		 t;
	enum provision_err	 e;
	char			 err[512];

	if (parse_opts(argc, argv, names, v, 1, &slug, 1) == -1)
		return usage("shop delete: want SLUG --yes-delete-all-data");
	if (v[0] == NULL)
		return die("shop delete removes every product, order and "
		    "customer of '%s' for good; add --yes-delete-all-data",
		    slug);
	if (find_shop(db, slug, &t) != 0)
		return EXIT_FAILURE;
	if ((e = provision_delete(db, t.id, err, sizeof(err))) != 0)
		return die("%s", err);
	fprintf(stderr, "soukctl: shop '%s' deleted\n", slug);
	return 0;
}

/* soukctl shop export SLUG --format souk FILE: the whole shop as an
 * archive (platform/shop_archive.h). */
/*
 * Backups, restores and archives work on the main server's shops (a
 * shop's server has its own backups): 1 when t is there, else 0 with
 * the way to bring it back said.
 */
static int
on_main(struct db *db, const struct tenant *t, const char *what)
{
	if (db_shard_index(db, t->shard) == 0)
		return 1;
	fprintf(stderr, "soukctl: shop '%s' is on server '%s': %s works on "
	    "the main server's shops; move it there first (soukctl shop "
	    "move %s --to default)\n", t->slug, t->shard, what, t->slug);
	return 0;
}

static int
shop_export_archive(struct db *db, const char *slug, const char *file)
{
	struct shop_archive_report	r;
	struct tenant			t;
	char				err[1024];

	if (find_shop(db, slug, &t) != 0 || !on_main(db, &t, "export"))
		return EXIT_FAILURE;
	if (shop_archive_export(db, &t, file, &r, err, sizeof(err)) == -1)
		return die("cannot export shop '%s': %s", slug, err);
	printf("shop '%s' written to %s: %d tables (%lld products, %lld "
	    "orders), %lld media files, in %.1f s\n", t.slug, file, r.tables,
	    (long long)r.products, (long long)r.orders,
	    (long long)r.media_files, r.secs);
	return 0;
}

/* soukctl shop import --from FILE [--slug NEW]: a new shop from an
 * archive. */
static int
shop_import_archive(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "from", "slug" };
	struct shop_archive_report	 r;
	const char			*v[2];
	char				 err[1024];

	if (parse_opts(argc, argv, names, v, 2, NULL, 0) == -1 ||
	    v[0] == NULL)
		return usage("shop import: want --from FILE [--slug NEW]");
	if (shop_archive_import(db, v[0], v[1], &r, err, sizeof(err)) == -1)
		return die("cannot import '%s': %s", v[0], err);
	printf("shop '%s' (id %lld) made from %s: %d tables (%lld products, "
	    "%lld orders), schema version %d%s%d, %lld media files, in "
	    "%.1f s\n", r.slug, (long long)r.id, v[0], r.tables,
	    (long long)r.products, (long long)r.orders, r.schema_from,
	    r.schema_to != r.schema_from ? ", migrated to " : " = ",
	    r.schema_to, (long long)r.media_files, r.secs);
	print_url(r.slug);
	if (*r.domains)
		printf("its custom domains, to add again once their DNS points "
		    "here: %s\n", r.domains);
	return 0;
}

/*
 * The shop's catalog as a product CSV to FILE, or stdout. A FILE is
 * written beside as FILE.tmp and renamed when whole, so a failed
 * export never leaves a short file under the name asked for.
 */
static int
cmd_shop_export(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "format" };
	const char		*v[1], *pos[2], *tmp = NULL;
	enum catalog_csv_format	 f;
	struct tenant		 t;
	struct arena		 a;
	struct shop_ctx		 ctx;
	size_t			 n = 0;
	int			 fd = STDOUT_FILENO, rc;

	if (parse_opts(argc, argv, names, v, 1, pos, 2) == -1 &&
	    parse_opts(argc, argv, names, v, 1, pos, 1) == -1)
		return usage("shop export: want SLUG --format woo|shopify "
		    "[FILE] or SLUG --format souk FILE");
	if (v[0] != NULL && strcmp(v[0], "souk") == 0)
		return pos[1] != NULL ? shop_export_archive(db, pos[0],
		    pos[1]) : usage("shop export --format souk: want FILE");
	if (catalog_export_format_parse(v[0], &f) == -1)
		return usage("shop export: --format is woo or shopify");
	if (find_shop(db, pos[0], &t) != 0)
		return EXIT_FAILURE;
	arena_init(&a);
	if (pos[1] != NULL) {
		tmp = arena_printf(&a, "%s.tmp", pos[1]);
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
		if (fd == -1) {
			rc = die("cannot create '%s': %s", tmp,
			    strerror(errno));
			arena_free(&a);
			return rc;
		}
	}
	shop_ctx_of(&ctx, db, &a, &t);
	rc = catalog_export_fd(&ctx, f, catalog_export_origin(&a, t.slug), fd,
	    &n);
	if (rc == SHOP_OK && tmp != NULL && (close(fd) == -1 ||
	    rename(tmp, pos[1]) == -1))
		rc = CATALOG_EXPORT_EWRITE;
	else if (tmp != NULL && rc != SHOP_OK)
		close(fd);
	if (rc == CATALOG_EXPORT_EWRITE)
		rc = die("cannot write '%s': %s", pos[1] ? pos[1] : "stdout",
		    strerror(errno));
	else if (rc != SHOP_OK)
		rc = die("cannot export shop '%s': %s", t.slug, db_error(db));
	else
		fprintf(stderr, "soukctl: %zu products of '%s' exported as "
		    "%s CSV\n", n, t.slug, catalog_csv_format_name(f));
	if (rc != 0 && tmp != NULL)
		unlink(tmp);
	arena_free(&a);
	return rc;
}

/*
 * "2026-12-01 14:00[:05]" in this machine's time zone (as `date`
 * shows it), or with " UTC" or "Z" after it in UTC; -1 when not that.
 */
static int
parse_when(const char *s, int64_t *out)
{
	struct tm	 tm;
	const char	*end;
	time_t		 t;
	int		 utc;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm)) == NULL) {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(s, "%Y-%m-%d %H:%M", &tm)) == NULL)
			return -1;
	}
	utc = strcmp(end, " UTC") == 0 || strcmp(end, "Z") == 0;
	if (!utc && *end != '\0')
		return -1;
	tm.tm_isdst = -1;
	if ((t = utc ? timegm(&tm) : mktime(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

static const char *
utc_text(int64_t secs, char *buf, size_t len)
{
	time_t		t = (time_t)secs;
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

/*
 * soukctl shop restore SLUG --to TIME: the shop as it was at that
 * second (platform/restore.h); --purge drops the tables earlier
 * restores set aside.
 */
static int
cmd_shop_restore(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "to", "purge!" };
	const char		*v[2], *pos[1];
	struct restore_report	 r;
	struct tenant		 t;
	char			 err[1024], b1[40], b2[40];
	int64_t			 to;
	int			 n;

	if (parse_opts(argc, argv, names, v, 2, pos, 1) == -1 ||
	    (v[0] == NULL) == (v[1] == NULL))
		return usage("shop restore: want SLUG --to 'YYYY-MM-DD "
		    "HH:MM[:SS]' or SLUG --purge");
	if (find_shop(db, pos[0], &t) != 0 || !on_main(db, &t, "restore"))
		return EXIT_FAILURE;
	if (v[1] != NULL) {
		if (shop_restore_purge(db, &t, &n, err, sizeof(err)) == -1)
			return die("cannot purge: %s", err);
		printf("%d set-aside tables of '%s' dropped\n", n, t.slug);
		return 0;
	}
	if (parse_when(v[0], &to) == -1)
		return usage("shop restore: --to is 'YYYY-MM-DD HH:MM[:SS]' "
		    "(local time) or the same followed by ' UTC'");
	if (shop_restore(db, &t, to, &r, err, sizeof(err)) == -1)
		return die("cannot restore '%s': %s", t.slug, err);
	printf("shop '%s' restored to %s\n"
	    "  from backup %s (finished %s) and %zu binary logs\n"
	    "  %d tables swapped in; the replaced ones are %ss%lld_*\n"
	    "  (soukctl shop restore %s --purge drops them)\n"
	    "  schema version %d%s%d\n"
	    "  %lld orders placed after that time are in the replaced "
	    "tables only\n"
	    "  %lld media files copied back\n"
	    "  took %.1f s: prepare %.1f s, replay %.1f s, copy %.1f s, "
	    "swap %.3f s\n",
	    t.slug, utc_text(to, b1, sizeof(b1)), r.base.name,
	    utc_text(r.base.finished, b2, sizeof(b2)), r.binlogs, r.tables,
	    r.old_prefix, (long long)t.id, t.slug, r.schema_from,
	    r.schema_to != r.schema_from ? ", migrated to " : " = ",
	    r.schema_to, (long long)r.orders_after,
	    (long long)r.media_files, r.secs, r.prepare_secs, r.replay_secs,
	    r.copy_secs, r.swap_secs);
	return 0;
}

/*
 * soukctl shop move SLUG --to SERVER: the shop's tables to another
 * database server while it serves (platform/shop_move.h).
 */
static int
cmd_shop_move(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "to", "purge!" };
	const char		*v[2], *pos[1];
	struct move_report	 r;
	struct tenant		 t;
	char			 err[1024];
	int			 n;

	if (parse_opts(argc, argv, names, v, 2, pos, 1) == -1 ||
	    (v[0] == NULL) == (v[1] == NULL))
		return usage("shop move: want SLUG --to SERVER or SLUG "
		    "--purge");
	if (find_shop(db, pos[0], &t) != 0)
		return EXIT_FAILURE;
	if (v[1] != NULL) {
		if (shop_move_purge(db, &t, &n, err, sizeof(err)) == -1)
			return die("cannot purge: %s", err);
		printf("%d set-aside tables of '%s' dropped\n", n, t.slug);
		return 0;
	}
	if (shop_move(db, &t, v[0], &r, err, sizeof(err)) == -1)
		return die("cannot move '%s': %s", t.slug, err);
	printf("shop '%s' moved from %s to %s\n"
	    "  %d tables; %lld rows written meanwhile caught up, %lld late\n"
	    "  the old tables are %ss%lld_* on %s\n"
	    "  (soukctl shop move %s --purge drops them)\n"
	    "  took %.1f s: copy %.1f s, catch-up %.1f s; writes paused "
	    "%.1f s\n", t.slug, r.from, r.to, r.tables,
	    (long long)r.caught_up, (long long)r.late, r.moved_prefix,
	    (long long)t.id, r.from, t.slug, r.secs, r.copy_secs,
	    r.catchup_secs, r.window_secs);
	if (r.unrenamed)
		fprintf(stderr, "soukctl: warning: the old tables of '%s' on "
		    "%s could not be set aside or tidied: see the log, and "
		    "drop them before it moves back there\n", t.slug, r.from);
	return 0;
}

static void
print_bytes(int64_t n)
{
	if (n >= 1 << 30)
		printf("%7.1f GiB", (double)n / (1 << 30));
	else
		printf("%7.1f MiB", (double)n / (1 << 20));
}

/* soukctl backup run | list | verify [NAME] (platform/backup.h). */
static int
cmd_backup(const char *sub, int argc, char **argv)
{
	struct backup_report	 r;
	struct backup_check	 c;
	struct backup		*v;
	struct arena		 a;
	char			 err[1024], b1[40];
	int			 n, i;

	if (strcmp(sub, "run") == 0) {
		if (argc != 0)
			return usage("backup run: no arguments");
		if (backup_run(&r, err, sizeof(err)) == -1)
			return die("backup failed: %s", err);
		printf("backup %s: ", r.b.name);
		print_bytes(r.b.db_bytes);
		printf(" of database at %s:%lld, %lld media files (%lld new), "
		    "%d binary logs copied, %d old backups and %d binary logs "
		    "pruned, %.1f s\n", r.b.binlog_file,
		    (long long)r.b.binlog_pos, (long long)r.b.media_files,
		    (long long)(r.b.media_files - r.b.media_linked),
		    r.binlogs_copied, r.bases_pruned, r.binlogs_pruned,
		    r.secs);
		return 0;
	}
	if (strcmp(sub, "verify") == 0) {
		if (argc > 1)
			return usage("backup verify: [NAME]");
		if (backup_verify(argc ? argv[0] : NULL, &c, err,
		    sizeof(err)) == -1)
			return die("backup verify failed: %s", err);
		printf("backup %s is good: prepared in %.1f s, served %lld "
		    "shops in %lld tables (%.1f s in all)\n", c.b.name,
		    c.prepare_secs, (long long)c.shops, (long long)c.tables,
		    c.secs);
		return 0;
	}
	if (strcmp(sub, "list") != 0 || argc != 0)
		return usage("backup: run, list or verify [NAME]");
	arena_init(&a);
	if ((n = backup_list(&a, &v, err, sizeof(err))) == -1) {
		arena_free(&a);
		return die("%s", err);
	}
	printf("%-17s %-24s %11s %12s  %s\n", "NAME", "FINISHED", "DATABASE",
	    "MEDIA FILES", "BINLOG POSITION");
	for (i = 0; i < n; i++) {
		printf("%-17s %-24s ", v[i].name, utc_text(v[i].finished, b1,
		    sizeof(b1)));
		print_bytes(v[i].db_bytes);
		printf(" %12lld  %s:%lld\n", (long long)v[i].media_files,
		    v[i].binlog_file, (long long)v[i].binlog_pos);
	}
	if (n > 0) {
		int64_t end = backup_binlogs_end();

		printf("restorable from %s", utc_text(v[0].finished, b1,
		    sizeof(b1)));
		printf(" to %s (binary logs copied; the server's current "
		    "one is copied by each run and restore)\n", end > 0 ?
		    utc_text(end, b1, sizeof(b1)) : "the newest backup");
	} else
		printf("no backup yet in %s\n", backup_path(&a, "", ""));
	arena_free(&a);
	return 0;
}

/* "Customers also bought" and the best sellers of one shop, now (what
 * souk-worker does nightly for every shop). */
static int
cmd_shop_also_bought(struct db *db, int argc, char **argv)
{
	struct also_bought_stats st;
	struct tenant		 t;
	struct arena		 a;
	struct shop_ctx		 ctx;
	const char		*slug;
	int			 rc;

	if (parse_opts(argc, argv, NULL, NULL, 0, &slug, 1) == -1)
		return usage("shop also-bought: want one SLUG");
	if (find_shop(db, slug, &t) != 0)
		return EXIT_FAILURE;
	arena_init(&a);
	shop_ctx_of(&ctx, db, &a, &t);
	if (also_bought_build(&ctx, time(NULL), &st) != SHOP_OK)
		rc = die("cannot count what shop '%s' sold: %s", t.slug,
		    db_error(db));
	else {
		fprintf(stderr, "soukctl: '%s': %lld product pairs, %lld "
		    "best sellers\n", t.slug, (long long)st.pairs,
		    (long long)st.best);
		rc = 0;
	}
	arena_free(&a);
	return rc;
}

/* soukctl shop reindex SLUG: the shop's search index rebuilt now (what
 * souk-worker does for a shop that has none; after texts were changed
 * by hand in SQL). */
static int
cmd_shop_reindex(struct db *db, int argc, char **argv)
{
	struct tenant	 t;
	const char	*slug;
	char		 err[512];
	int64_t		 n;

	if (parse_opts(argc, argv, NULL, NULL, 0, &slug, 1) == -1)
		return usage("shop reindex: want one SLUG");
	if (find_shop(db, slug, &t) != 0)
		return EXIT_FAILURE;
	if (search_index_shop(db, t.id, &n, err, sizeof(err)) == -1)
		return die("shop '%s': %s", t.slug, err);
	fprintf(stderr, "soukctl: '%s': %lld products indexed\n", t.slug,
	    (long long)n);
	return 0;
}

static int
cmd_operator_add(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "email", "password-file",
	    "role" };
	const char		*v[3];
	enum account_err	 e;
	int64_t			 id;
	char			 pw[CRYPTO_PW_MAX_BYTES + 2] = "";

	if (parse_opts(argc, argv, names, v, 3, NULL, 0) == -1 ||
	    v[0] == NULL || (v[2] != NULL && strcmp(v[2], "admin") != 0 &&
	    strcmp(v[2], "support") != 0))
		return usage("operator add: want --email EMAIL "
		    "[--password-file FILE] [--role admin|support]");
	if (v[1] != NULL && read_password(v[1], pw, sizeof(pw)) != 0)
		return EXIT_FAILURE;
	e = operator_add(db, str_c(v[0]), str_c(pw), &id);
	memset(pw, 0, sizeof(pw));
	if (e == ACCOUNT_EWEAK_PASSWORD && v[1] == NULL)
		return die("no account '%s' yet: give --password-file to "
		    "create it", v[0]);
	if (e != ACCOUNT_OK)
		return die("cannot add operator '%s': %s", v[0],
		    e == ACCOUNT_EDB ? db_error(db) : account_strerror(e));
	/* A new operator is an admin unless told; a role given holds. */
	if (v[2] != NULL && (e = operator_set_role(db, id, v[2])) !=
	    ACCOUNT_OK)
		return die("cannot set the role of '%s': %s", v[0],
		    e == ACCOUNT_EDB ? db_error(db) : account_strerror(e));
	printf("%lld\n", (long long)id);
	return 0;
}

/* The tenant API's operator keys (platform/opkey.h): a new key is
 * printed once, on stdout, and never again. */
static int
cmd_opkey(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "email", "description" };
	const char		*v[2], *pos[1];
	struct account		 a;
	struct arena		 ar;
	struct opkey		*ks;
	enum opkey_err		 e;
	char			 key[OPKEY_LEN + 1];
	size_t			 n, i;
	int64_t			 id;

	if (argc >= 1 && strcmp(argv[0], "create") == 0) {
		if (parse_opts(argc - 1, argv + 1, names, v, 2, NULL, 0) ==
		    -1 || v[0] == NULL)
			return usage("operator api-key create: want --email "
			    "EMAIL [--description TEXT]");
		if (account_get_by_email(db, str_c(v[0]), &a) != ACCOUNT_OK)
			return die("no account '%s'", v[0]);
		e = opkey_create(db, a.id, str_c(v[1]), key, &id);
		if (e != OPKEY_OK)
			return die("cannot create a key for '%s': %s", v[0],
			    e == OPKEY_EDB ? db_error(db) : opkey_strerror(e));
		fprintf(stderr, "soukctl: key %lld created; it is shown "
		    "this once\n", (long long)id);
		printf("%s\n", key);
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "list") == 0) {
		arena_init(&ar);
		if (opkey_list(db, &ar, &ks, &n) != OPKEY_OK) {
			arena_free(&ar);
			return die("cannot list keys: %s", db_error(db));
		}
		printf("%-6s %-8s %-8s %-19s %-19s %s\n", "id", "account",
		    "ends", "created", "last used", "description");
		for (i = 0; i < n; i++)
			printf("%-6lld %-8lld ...%-5s %-19s %-19s %s%s\n",
			    (long long)ks[i].id, (long long)ks[i].account_id,
			    ks[i].last, ks[i].created_at,
			    *ks[i].last_used_at ? ks[i].last_used_at : "-",
			    ks[i].revoked ? "(revoked) " : "",
			    ks[i].description);
		arena_free(&ar);
		return 0;
	}
	if (argc >= 1 && strcmp(argv[0], "revoke") == 0) {
		if (parse_opts(argc - 1, argv + 1, NULL, NULL, 0, pos, 1) ==
		    -1 || str_to_i64c(pos[0], 1, INT64_MAX, &id) == -1)
			return usage("operator api-key revoke: want ID");
		if ((e = opkey_revoke(db, id)) != OPKEY_OK)
			return die("cannot revoke key %lld: %s", (long long)id,
			    e == OPKEY_EDB ? db_error(db) : opkey_strerror(e));
		fprintf(stderr, "soukctl: key %lld revoked\n", (long long)id);
		return 0;
	}
	return usage("operator api-key: create, list or revoke");
}

static int
cmd_domain_add(struct db *db, int argc, char **argv)
{
	const char	*pos[2];
	struct tenant	 t;
	enum domain_err	 e;

	if (parse_opts(argc, argv, NULL, NULL, 0, pos, 2) == -1)
		return usage("domain add: want SLUG HOST");
	if (find_shop(db, pos[0], &t) != 0)
		return EXIT_FAILURE;
	if ((e = domain_add(db, t.id, str_c(pos[1]))) != DOMAIN_OK)
		return die("cannot add '%s' to shop '%s': %s", pos[1], pos[0],
		    e == DOMAIN_EDB ? db_error(db) : domain_strerror(e));
	fprintf(stderr, "soukctl: '%s' now reaches shop '%s'\n", pos[1],
	    pos[0]);
	return 0;
}

/* --- plans (platform/plan.h) ---------------------------------------- */

/* The options of plan create and set: --name, --price, the limits in
 * enum plan_limit's order, --trial-days, --default. */
static const char *const plan_opts[] = {
	"name", "price", "products", "staff", "media-mb", "orders-month",
	"api-15min", "domains", "trial-days", "default!"
};
enum { PO_NAME, PO_PRICE, PO_LIMITS, PO_TRIAL = PO_LIMITS + PLAN_LIMIT__MAX,
	PO_DEFAULT, PO__MAX };

static void
print_limit(int64_t v, int64_t unit)
{
	if (v == PLAN_UNLIMITED)
		printf(" %12s", "-");
	else
		printf(" %12lld", (long long)(v / unit));
}

static int
cmd_plan_list(struct db *db)
{
	struct arena	 a;
	struct plan	*ps;
	size_t		 n, i;
	int		 k;

	arena_init(&a);
	if (plan_list(db, &a, &ps, &n) != PLAN_OK) {
		arena_free(&a);
		return die("cannot list plans: %s", db_error(db));
	}
	printf("%-16s %12s %3s %12s %12s %12s %12s %12s %12s %5s %6s %s\n",
	    "code", "price", "cur", "products", "staff", "media-mb",
	    "orders-month", "api-15min", "domains", "trial", "shops", "name");
	for (i = 0; i < n; i++) {
		printf("%-16s %12lld %3s", ps[i].code, (long long)ps[i].price,
		    ps[i].currency);
		for (k = 0; k < PLAN_LIMIT__MAX; k++)
			print_limit(ps[i].limits[k], k == PLAN_MEDIA_BYTES ?
			    1000000 : 1);
		printf(" %5d %6lld %s%s\n", ps[i].trial_days,
		    (long long)ps[i].shops, ps[i].name,
		    ps[i].is_default ? " (default)" : "");
	}
	arena_free(&a);
	return 0;
}

/* soukctl billing run|list|show (platform/billing.h). */
static int
cmd_billing(struct db *db, const char *sub, int argc, char **argv)
{
	struct arena	 a;
	struct invoice	*v, inv;
	char		 month[8];
	int64_t		 made, number;
	size_t		 n, i;
	int		 status = -1, k, rc = 0;

	if (strcmp(sub, "run") == 0) {
		billing_last_month(month);
		if (argc == 2 && strcmp(argv[0], "--month") == 0 &&
		    strlen(argv[1]) == 7)
			memcpy(month, argv[1], 8);
		else if (argc != 0)
			return usage("billing run: [--month YYYY-MM]");
		switch (billing_run(db, month, &made)) {
		case BILLING_OK:
			printf("%lld invoices written for %s\n",
			    (long long)made, month);
			return 0;
		case BILLING_EPERIOD:
			return die("%s: want a month that has ended, as "
			    "YYYY-MM", month);
		default:
			return die("cannot write the invoices of %s (%lld "
			    "written): %s", month, (long long)made,
			    db_error(db));
		}
	}
	arena_init(&a);
	if (strcmp(sub, "list") == 0) {
		if (argc == 2 && strcmp(argv[0], "--status") == 0) {
			for (k = 0; k < INVOICE__STATUS_MAX; k++)
				if (strcmp(argv[1], invoice_status_name(
				    (enum invoice_status)k)) == 0)
					status = k;
			if (status < 0)
				rc = usage("billing list: --status open, paid "
				    "or failed");
		} else if (argc != 0)
			rc = usage("billing list: [--status STATUS]");
		if (rc == 0 && billing_list(db, &a, 0, status, 100000, 0, &v,
		    &n) != BILLING_OK)
			rc = die("cannot list invoices: %s", db_error(db));
		if (rc == 0)
			printf("%8s %-7s %-6s %12s %3s %s\n", "number",
			    "period", "status", "total", "cur", "account");
		for (i = 0; rc == 0 && i < n; i++)
			printf("%8lld %-7s %-6s %12lld %3s %s\n",
			    (long long)v[i].number, v[i].period,
			    invoice_status_name(v[i].status),
			    (long long)v[i].total, v[i].currency, v[i].email);
	} else if (strcmp(sub, "show") == 0) {
		if (argc != 1 || str_to_i64c(argv[0], 1, INT64_MAX, &number)
		    != 0)
			rc = usage("billing show NUMBER");
		else if ((k = billing_get(db, &a, number, &inv)) ==
		    BILLING_ENOTFOUND)
			rc = die("there is no invoice %s", argv[0]);
		else if (k != BILLING_OK)
			rc = die("cannot read invoice %s: %s", argv[0],
			    db_error(db));
		else {
			struct strbuf sb = STRBUF_INIT;

			billing_json(&sb, &inv, "");
			printf("%s\n", sb.buf);
			strbuf_release(&sb);
		}
	} else
		rc = usage("unknown sub-command");
	arena_free(&a);
	return rc;
}

/* Applies the options given to *p; -1 on a bad value. */
static int
plan_apply_opts(const char **v, struct plan *p)
{
	int64_t	x;
	int	k;

	if (v[PO_NAME] != NULL)
		str_copy(p->name, sizeof(p->name), str_c(v[PO_NAME]));
	if (v[PO_PRICE] != NULL && str_to_i64c(v[PO_PRICE], 0,
	    PLAN_PRICE_MAX, &p->price) == -1)
		return -1;
	for (k = 0; k < PLAN_LIMIT__MAX; k++) {
		const char *s = v[PO_LIMITS + k];

		if (s == NULL)
			continue;
		if (strcmp(s, "unlimited") == 0)
			x = PLAN_UNLIMITED;
		else if (str_to_i64c(s, 0, INT64_MAX / 1000000, &x) == -1)
			return -1;
		else if (k == PLAN_MEDIA_BYTES)
			x *= 1000000;
		p->limits[k] = x;
	}
	if (v[PO_TRIAL] != NULL) {
		if (str_to_i64c(v[PO_TRIAL], 0, PLAN_TRIAL_MAX, &x) == -1)
			return -1;
		p->trial_days = (int)x;
	}
	return 0;
}

static int
cmd_plan_save(struct db *db, int create, int argc, char **argv)
{
	const char	*v[PO__MAX], *pos[1];
	struct plan	 p;
	enum plan_err	 e;
	int64_t		 id = 0;
	int		 k;

	if (parse_opts(argc, argv, plan_opts, v, PO__MAX, pos, 1) == -1)
		return usage(create ? "plan create: want CODE --name NAME "
		    "--price MINOR [LIMITS]" : "plan set: want CODE [OPTIONS]");
	if (create) {
		if (v[PO_NAME] == NULL || v[PO_PRICE] == NULL)
			return usage("plan create: --name and --price are "
			    "required");
		memset(&p, 0, sizeof(p));
		for (k = 0; k < PLAN_LIMIT__MAX; k++)
			p.limits[k] = PLAN_UNLIMITED;
		str_copy(p.code, sizeof(p.code), str_c(pos[0]));
	} else if ((e = plan_get_by_code(db, str_c(pos[0]), &p)) != PLAN_OK)
		return die("plan '%s': %s", pos[0], plan_strerror(e));
	else
		id = p.id;
	if (plan_apply_opts(v, &p) == -1)
		return usage("plan: a price, limit or trial is a whole number "
		    "(a limit may be 'unlimited')");
	if ((e = plan_save(db, id, &p, &id)) != PLAN_OK)
		return die("cannot save plan '%s': %s", pos[0],
		    e == PLAN_EDB ? db_error(db) : plan_strerror(e));
	if (v[PO_DEFAULT] != NULL && (e = plan_set_default(db, id)) !=
	    PLAN_OK)
		return die("cannot make plan '%s' the default: %s", pos[0],
		    plan_strerror(e));
	fprintf(stderr, "soukctl: plan '%s' saved\n", pos[0]);
	return 0;
}

static int
cmd_plan_one(struct db *db, const char *what, int argc, char **argv)
{
	const char	*pos[1];
	struct plan	 p;
	enum plan_err	 e;

	if (parse_opts(argc, argv, NULL, NULL, 0, pos, 1) == -1)
		return usage("plan delete|default: want CODE");
	if ((e = plan_get_by_code(db, str_c(pos[0]), &p)) != PLAN_OK)
		return die("plan '%s': %s", pos[0], plan_strerror(e));
	e = strcmp(what, "delete") == 0 ? plan_delete(db, p.id) :
	    plan_set_default(db, p.id);
	if (e != PLAN_OK)
		return die("cannot %s plan '%s': %s", what, pos[0],
		    e == PLAN_EDB ? db_error(db) : plan_strerror(e));
	fprintf(stderr, "soukctl: plan '%s': %s done\n", pos[0], what);
	return 0;
}

static int
cmd_plan_assign(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "trial-until" };
	const char	*v[1], *pos[2];
	struct tenant	 t;
	struct plan	 p;
	enum plan_err	 e;

	if (parse_opts(argc, argv, names, v, 1, pos, 2) == -1)
		return usage("plan assign: want SLUG CODE "
		    "[--trial-until YYYY-MM-DD]");
	if (find_shop(db, pos[0], &t) != 0)
		return EXIT_FAILURE;
	if ((e = plan_get_by_code(db, str_c(pos[1]), &p)) != PLAN_OK)
		return die("plan '%s': %s", pos[1], plan_strerror(e));
	if ((e = plan_assign(db, t.id, p.id, v[0])) != PLAN_OK)
		return die("cannot put shop '%s' on plan '%s': %s", pos[0],
		    pos[1], e == PLAN_EDB ? db_error(db) : plan_strerror(e));
	fprintf(stderr, "soukctl: shop '%s' is on plan '%s'\n", pos[0],
	    pos[1]);
	return 0;
}

/* --- themes (platform/theme.h) -------------------------------------- */

static int
cmd_theme(const char *sub, int argc, char **argv)
{
	static const char *const names[] = { "name" };
	char		 list[THEME_MAX][THEME_NAME_MAX + 1], err[512];
	const char	*v[1], *pos[1];
	size_t		 n, i;

	if (strcmp(sub, "list") == 0 && argc == 0) {
		n = theme_list(list, THEME_MAX);
		for (i = 0; i < n; i++)
			printf("%s\n", list[i]);
		return 0;
	}
	if (strcmp(sub, "install") != 0 ||
	    parse_opts(argc, argv, names, v, 1, pos, 1) == -1 || v[0] == NULL)
		return usage("theme: list, or install DIR --name NAME");
	if (theme_install(pos[0], v[0], err, sizeof(err)) == -1)
		return die("cannot install theme '%s': %s", v[0], err);
	fprintf(stderr, "soukctl: theme '%s' installed; shops choose it on "
	    "their admin's Theme page (after replacing a theme of that name, "
	    "reload souk-fcgi)\n", v[0]);
	return 0;
}

/* The shop offers the demo catalog's languages, its own default first. */
static int
offer_demo_locales(struct db *db, const struct tenant *t, const char *kind)
{
	struct tenant_settings	 s;
	const char		*langs[3];
	size_t			 n = demo_locales(kind, langs), i;
	enum tenant_err		 e;

	memset(&s, 0, sizeof(s));
	s.name = str_c(t->name);
	s.color_primary = str_c(t->color_primary);
	s.color_accent = str_c(t->color_accent);
	s.default_locale = str_c(t->default_locale);
	s.currency = str_c(t->currency);
	for (i = 0; i < t->ndisplay; i++)
		s.display_currencies[s.ndisplay++] =
		    str_c(t->display_currencies[i]);
	s.logo = str_c(t->logo);
	s.locales[s.nlocales++] = str_c(t->default_locale);
	for (i = 0; i < n; i++)
		if (strcmp(langs[i], t->default_locale) != 0)
			s.locales[s.nlocales++] = str_c(langs[i]);
	if ((e = tenant_update_settings(db, t->id, &s)) != TENANT_OK)
		return die("cannot set the languages of '%s': %s", t->slug,
		    e == TENANT_EDB ? db_error(db) : tenant_strerror(e));
	return 0;
}

/* Fills a shop with a demo catalog (make run); nothing when it has
 * products already. */
static int
cmd_demo_load(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "slug", "kind" };
	const char	*v[2];
	struct tenant	 t;
	struct arena	 a;
	struct shop_ctx	 ctx;
	int		 added, rc;

	if (parse_opts(argc, argv, names, v, 2, NULL, 0) == -1 ||
	    v[0] == NULL || v[1] == NULL)
		return usage("demo load: want --slug SLUG --kind KIND");
	if (!demo_known(v[1]))
		return usage("demo load: --kind is bakery, tea or surf");
	if (find_shop(db, v[0], &t) != 0)
		return EXIT_FAILURE;
	if (offer_demo_locales(db, &t, v[1]) != 0)
		return EXIT_FAILURE;
	arena_init(&a);
	shop_ctx_of(&ctx, db, &a, &t);
	rc = demo_load(&ctx, v[1], &added);
	arena_free(&a);
	if (rc != SHOP_OK)
		return die("cannot load the demo catalog into '%s' (%d): %s",
		    v[0], rc, db_error(db));
	fprintf(stderr, "soukctl: %d demo products added to '%s'\n", added,
	    v[0]);
	return 0;
}

/* Prints what an import did (or would do) and its refused rows. */
static void
print_import(const struct catalog_import_report *r, int dry)
{
	size_t i;

	if (dry)
		printf("dry run: nothing written\n");
	printf("format %s\n", catalog_csv_format_name(r->format));
	printf("rows %zu, refused %zu\n", r->rows, r->rows_refused);
	printf("products new %zu, updated %zu, same %zu\n", r->products_new,
	    r->products_updated, r->products_same);
	printf("variants new %zu, updated %zu, same %zu\n", r->variants_new,
	    r->variants_updated, r->variants_same);
	printf("categories new %zu\n", r->categories_new);
	printf("images new %zu, failed %zu\n", r->images_new,
	    r->images_failed);
	for (i = 0; i < r->nerrors; i++) {
		const struct catalog_import_error *e = &r->errors[i];

		printf("line %zu: %s%s", e->line, e->warning ?
		    "warning: " : "", _(e->reason));
		if (e->detail.len)
			printf(" (%.*s)", (int)e->detail.len, e->detail.p);
		putchar('\n');
	}
	if (r->rows_refused > r->nerrors && r->nerrors ==
	    CATALOG_IMPORT_MAX_ERRORS)
		printf("(only the first %d refusals are listed)\n",
		    CATALOG_IMPORT_MAX_ERRORS);
}

/*
 * Imports a WooCommerce or Shopify CSV into a shop in-process (or, with
 * --dry-run, says what it would do). Exit 0 when the file was read
 * (rows may have been refused: they are listed), 1 when the whole file
 * was refused, 2 when the database failed.
 */
static int
cmd_shop_import(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "dry-run!" };
	const char			*v[1], *pos[2];
	struct catalog_import_report	 r;
	struct tenant			 t;
	struct arena			 a;
	struct shop_ctx			 ctx;
	int				 fd, rc, dry;

	if (argc > 0 && strncmp(argv[0], "--from", 6) == 0)
		return shop_import_archive(db, argc, argv);
	if (parse_opts(argc, argv, names, v, 1, pos, 2) == -1)
		return usage("shop import: want SLUG FILE [--dry-run] or "
		    "--from FILE [--slug NEW]");
	dry = v[0] != NULL;
	if (find_shop(db, pos[0], &t) != 0)
		return EXIT_FAILURE;
	if ((fd = open(pos[1], O_RDONLY | O_CLOEXEC)) == -1)
		return die("cannot open '%s': %s", pos[1], strerror(errno));
	arena_init(&a);
	shop_ctx_of(&ctx, db, &a, &t);
	rc = catalog_import_run(&ctx, fd, dry ? CATALOG_IMPORT_PREVIEW :
	    CATALOG_IMPORT_APPLY, NULL, NULL, &r);
	close(fd);
	if (rc == SHOP_EINVAL) {
		if (r.rows)
			print_import(&r, dry);
		rc = die("'%s' refused: line %zu: %s", pos[1],
		    r.file_error_line, _(r.file_error));
	} else {
		print_import(&r, dry);
		if (rc == SHOP_EDB)
			rc = die("the database failed during the import "
			    "(the products listed as done are there): %s",
			    db_error(db)) + 1;
	}
	arena_free(&a);
	return rc;
}

/*
 * Checks the shop's books (ledger_check()): prints the problems found
 * and the counts; exit 1 on a problem, so a cron job or a test notices.
 */
static int
cmd_shop_books_check(struct db *db, int argc, char **argv)
{
	struct tenant	t;
	struct arena	a;
	struct shop_ctx	ctx;
	struct strbuf	report;
	size_t		problems = 0;
	int		rc;

	if (argc != 1)
		return usage("shop books-check: want SLUG");
	if (find_shop(db, argv[0], &t) != 0)
		return EXIT_FAILURE;
	arena_init(&a);
	strbuf_init(&report, 0);
	shop_ctx_of(&ctx, db, &a, &t);
	rc = ledger_check(&ctx, &report, &problems);
	if (rc != SHOP_OK)
		rc = die("cannot check the books of '%s': %s", t.slug,
		    db_error(db));
	else {
		fputs(report.buf, stdout);
		rc = problems ? EXIT_FAILURE : 0;
	}
	strbuf_release(&report);
	arena_free(&a);
	return rc;
}

/*
 * Runs the card payments' reconciliation (card_reconcile()) for a shop
 * once, as souk-worker does every few minutes: orders pending longer
 * than --min-age seconds (default: the config's card_reconcile_after)
 * are asked of Stripe, paid or cancelled. Exit 1 when some could not
 * be settled (the gateway or the database failed: logged).
 */
static int
cmd_shop_reconcile(struct db *db, int argc, char **argv)
{
	struct card_reconcile_stats	 st;
	struct tenant			 t;
	struct arena			 a;
	struct shop_ctx			 ctx;
	int64_t				 min_age = -1;
	int				 rc;

	if (argc == 3 && strcmp(argv[1], "--min-age") == 0) {
		if (str_to_i64(str_c(argv[2]), 0, 86400 * 30, &min_age) != 0)
			return usage("shop reconcile: --min-age wants "
			    "seconds");
	} else if (argc != 1)
		return usage("shop reconcile: want SLUG [--min-age SECONDS]");
	if (find_shop(db, argv[0], &t) != 0)
		return EXIT_FAILURE;
	arena_init(&a);
	shop_ctx_of(&ctx, db, &a, &t);
	rc = card_reconcile(&ctx, min_age, &st);
	if (rc != SHOP_OK)
		rc = die("cannot reconcile the card payments of '%s': %s",
		    t.slug, db_error(db));
	else {
		printf("checked %lld, paid %lld, cancelled %lld, failed %lld\n",
		    (long long)st.checked, (long long)st.paid,
		    (long long)st.cancelled, (long long)st.failed);
		rc = st.failed ? EXIT_FAILURE : 0;
	}
	arena_free(&a);
	return rc;
}

/* The newest exchange rates, their age, and whether /_health warns. */
static int
cmd_rates_show(struct db *db)
{
	struct fx_rates	*r = xcalloc(1, sizeof(*r));
	enum rates_err	 e;
	char		 at[20], today[FX_DATE_LEN + 1], rate[32];
	int64_t		 age, max;
	size_t		 i;
	int		 rc = 0;

	if ((e = rates_latest(db, r, at)) != RATES_OK) {
		rc = e == RATES_ENONE ? die("no exchange rates stored yet: "
		    "run soukctl rates fetch or souk-rates") :
		    die("cannot read exchange rates: %s", db_error(db));
		free(r);
		return rc;
	}
	rates_today(today);
	age = fx_date_diff(r->date, today);
	max = config_int("rates_max_age_days", 4, 1, 3650);
	printf("date %s (%lld day(s) old)%s\nfetched %s UTC\nbase EUR\n",
	    r->date, (long long)age, age > max ? ", STALE" : "", at);
	for (i = 0; i < r->n; i++) {
		fx_rate_format(r->v[i].rate, rate, sizeof(rate));
		printf("%s %s\n", r->v[i].code, rate);
	}
	if (age > max)
		fprintf(stderr, "soukctl: warning: exchange rates from %s are "
		    "older than %lld days\n", r->date, (long long)max);
	free(r);
	return 0;
}

/* Fetches and stores the rates now, as souk-rates does. */
static int
cmd_rates_fetch(struct db *db, int argc, char **argv)
{
	static const char *const names[] = { "url" };
	const char		*v[1];
	struct rates_result	*res;
	enum rates_err		 e;
	int			 rc = 0;

	if (parse_opts(argc, argv, names, v, 1, NULL, 0) == -1)
		return usage("rates fetch: want [--url URL]");
	(void)rates_max_change();
	res = xcalloc(1, sizeof(*res));
	e = rates_fetch(db, v[0], res);
	if (e != RATES_OK)
		rc = die("exchange rates not stored: %s: %s (previous rates "
		    "kept)", rates_strerror(e), res->msg);
	else if (res->unchanged)
		fprintf(stderr, "soukctl: exchange rates of %s already "
		    "stored\n", res->rates.date);
	else
		fprintf(stderr, "soukctl: exchange rates of %s stored (%zu "
		    "currencies)\n", res->rates.date, res->rates.n);
	free(res);
	return rc;
}

/* Writes the key payment gateways' keys are sealed with: never over an
 * existing file (the keys sealed with it would be lost). */
static int
cmd_secret_key_create(int argc, char **argv)
{
	const char	*path;
	char		 err[512];

	if (argc > 1)
		return usage("secret-key create: want [PATH]");
	path = argc == 1 ? argv[0] : config_get("secret_key_file",
	    SECRET_KEY_FILE);
	if (secret_key_create(path, err, sizeof(err)) == -1)
		return die("%s", err);
	printf("wrote %s (mode 0640: give it to the souk group, "
	    "chgrp souk %s)\n", path, path);
	return 0;
}

/* Seals every shop's gateway keys again under the current key: the
 * second step of a rotation (core/secret.h). Shops in any state: a
 * suspended shop's keys must open when it is resumed. */
static int
cmd_secret_key_reseal(struct db *db)
{
	struct tenant	*ts;
	struct arena	 a;
	struct shop_ctx	 ctx;
	size_t		 n, i, off = 0;
	int		 count, total = 0, failed = 0;

	arena_init(&a);
	do {
		arena_reset(&a);
		if (tenant_list(db, &a, 0, 500, off, &ts, &n) != TENANT_OK) {
			arena_free(&a);
			return die("cannot list shops: %s", db_error(db));
		}
		for (i = 0; i < n; i++) {
			if (ts[i].status != TENANT_READY &&
			    ts[i].status != TENANT_SUSPENDED)
				continue;
			shop_ctx_of(&ctx, db, &a, &ts[i]);
			if (gateway_reseal(&ctx, &count) != SHOP_OK) {
				fprintf(stderr, "soukctl: '%s': keys not "
				    "sealed again (see the log above)\n",
				    ts[i].slug);
				failed++;
			} else
				total += count;
		}
		off += n;
	} while (n == 500);
	arena_free(&a);
	fprintf(stderr, "soukctl: %d gateway rows sealed again, %d shops "
	    "failed\n", total, failed);
	return failed ? EXIT_FAILURE : 0;
}

int
main(int argc, char **argv)
{
	const char	*config = NULL, *cmd, *sub = NULL;
	struct db	*db;
	char		 err[512];
	int		 i = 1, rc, lvl;

	while (i < argc && strncmp(argv[i], "--", 2) == 0) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			config = argv[i] + 9;
			i++;
		} else if (strcmp(argv[i], "--help") == 0) {
			fputs(usage_text, stdout);
			config_print_defaults(stdout);
			return 0;
		} else
			return usage("unknown option");
	}
	if (i >= argc)
		return usage(NULL);
	cmd = argv[i++];
	if (strcmp(cmd, "shop") == 0 || strcmp(cmd, "operator") == 0 ||
	    strcmp(cmd, "domain") == 0 || strcmp(cmd, "demo") == 0 ||
	    strcmp(cmd, "plan") == 0 || strcmp(cmd, "theme") == 0 ||
	    strcmp(cmd, "billing") == 0 || strcmp(cmd, "backup") == 0 ||
	    strcmp(cmd, "rates") == 0 || strcmp(cmd, "secret-key") == 0) {
		if (i >= argc)
			return usage("missing sub-command");
		sub = argv[i++];
	} else if (strcmp(cmd, "migrate") != 0)
		return usage("unknown command");

	if (config_load(config, err, sizeof(err)) == -1)
		return die("%s", err);
	lvl = log_level_parse(config_get("log_level", "warn"));
	log_init("soukctl", lvl < 0 ? LOG_LVL_WARN : (enum log_level)lvl);
	if (crypto_init() == -1)
		return die("cannot initialise libsodium");
	/* Files only: no database. */
	if (strcmp(cmd, "theme") == 0) {
		rc = cmd_theme(sub, argc - i, argv + i);
		config_free();
		return rc;
	}
	if (strcmp(cmd, "secret-key") == 0 && strcmp(sub, "reseal") != 0) {
		rc = strcmp(sub, "create") == 0 ? cmd_secret_key_create(argc -
		    i, argv + i) : usage("unknown sub-command");
		config_free();
		return rc;
	}
	audit_soukctl(cmd, sub);
	/* An operator's command may wait longer than a page: a migration's
	 * ALTER TABLE, a restore's RENAME TABLE behind a long query. */
	if (config_get("db_read_timeout", NULL) == NULL)
		config_set("db_read_timeout", "3600");
	db = db_open();
	tenant_route_install(db);
	if (!db_alive(db, 0)) {
		rc = die("cannot connect to the database: %s", db_error(db));
		db_close(db);
		return rc;
	}

	argc -= i;
	argv += i;
	if (sub == NULL)
		rc = argc == 0 ? cmd_migrate(db) : usage("migrate: no "
		    "arguments");
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "create") == 0)
		rc = cmd_shop_create(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "list") == 0)
		rc = argc == 0 ? cmd_shop_list(db) : usage("shop list: no "
		    "arguments");
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "stock") == 0)
		rc = cmd_shop_stock(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "suspend") == 0)
		rc = cmd_shop_status(db, 1, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "resume") == 0)
		rc = cmd_shop_status(db, 0, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "delete") == 0)
		rc = cmd_shop_delete(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "export") == 0)
		rc = cmd_shop_export(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "import") == 0)
		rc = cmd_shop_import(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "restore") == 0)
		rc = cmd_shop_restore(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "move") == 0)
		rc = cmd_shop_move(db, argc, argv);
	else if (strcmp(cmd, "backup") == 0)
		rc = cmd_backup(sub, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "also-bought") == 0)
		rc = cmd_shop_also_bought(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "reindex") == 0)
		rc = cmd_shop_reindex(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "books-check") == 0)
		rc = cmd_shop_books_check(db, argc, argv);
	else if (strcmp(cmd, "shop") == 0 && strcmp(sub, "reconcile") == 0)
		rc = cmd_shop_reconcile(db, argc, argv);
	else if (strcmp(cmd, "operator") == 0 && strcmp(sub, "add") == 0)
		rc = cmd_operator_add(db, argc, argv);
	else if (strcmp(cmd, "operator") == 0 && strcmp(sub, "api-key") == 0)
		rc = cmd_opkey(db, argc, argv);
	else if (strcmp(cmd, "domain") == 0 && strcmp(sub, "add") == 0)
		rc = cmd_domain_add(db, argc, argv);
	else if (strcmp(cmd, "plan") == 0 && strcmp(sub, "list") == 0)
		rc = argc == 0 ? cmd_plan_list(db) : usage("plan list: no "
		    "arguments");
	else if (strcmp(cmd, "plan") == 0 && (strcmp(sub, "create") == 0 ||
	    strcmp(sub, "set") == 0))
		rc = cmd_plan_save(db, strcmp(sub, "create") == 0, argc, argv);
	else if (strcmp(cmd, "plan") == 0 && (strcmp(sub, "delete") == 0 ||
	    strcmp(sub, "default") == 0))
		rc = cmd_plan_one(db, sub, argc, argv);
	else if (strcmp(cmd, "plan") == 0 && strcmp(sub, "assign") == 0)
		rc = cmd_plan_assign(db, argc, argv);
	else if (strcmp(cmd, "billing") == 0)
		rc = cmd_billing(db, sub, argc, argv);
	else if (strcmp(cmd, "demo") == 0 && strcmp(sub, "load") == 0)
		rc = cmd_demo_load(db, argc, argv);
	else if (strcmp(cmd, "rates") == 0 && strcmp(sub, "show") == 0)
		rc = argc == 0 ? cmd_rates_show(db) : usage("rates show: no "
		    "arguments");
	else if (strcmp(cmd, "rates") == 0 && strcmp(sub, "fetch") == 0)
		rc = cmd_rates_fetch(db, argc, argv);
	else if (strcmp(cmd, "secret-key") == 0)
		rc = argc == 0 ? cmd_secret_key_reseal(db) :
		    usage("secret-key reseal: no arguments");
	else
		rc = usage("unknown sub-command");
	db_close(db);
	migrate_free();
	config_free();
	return rc;
}
