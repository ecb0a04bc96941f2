/*
 * tests/unit/shop/facet.c: facet counts and filtered pages against a
 * brute-force count computed here from the same rows.
 *
 * A shop gets random products (two categories, random prices, a few
 * drafts), three attributes with a few values each and random values
 * per product; then many random selections (values of one, two or
 * three attributes, a price range or not) are counted by facet_counts()
 * and listed by facet_list() in every sort, page by page, and compared
 * with what the rows say: OR within an attribute, AND between them,
 * the count of a value over the selection of the other attributes.
 * A search's counts (search words as the base set) and another shop's
 * rows (never counted) are checked too. Some products are on sale (a
 * sale running, one to come, one over): prices, ranges and the price
 * sorts are the price now. Every round runs twice: from the rows a
 * worker keeps (facet.c's rows_get()) and through the statements used
 * for a category too big to keep (rows_max 0).
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "platform/provision.h"
#include "shop/facet.c"	/* rows_max: both ways of counting */
#include "shop/search.h"
#include "dbtest.h"
#include "test.h"

#define NPROD	90
#define NATTR	3
#define NVAL	4		/* values per attribute */
#define ROUNDS	150

static struct arena a;

/* The rows as inserted. Attribute k has id 1 + k; its values ids
 * 100 + k * 10 + j. */
static struct {
	int64_t	 id;
	int64_t	 cat;
	int64_t	 price;
	int64_t	 sale;		/* -1: none */
	time_t	 from, to;	/* 0: open */
	int64_t	 now;		/* the price now */
	int	 active;
	int	 wool;		/* "wool" in its name */
	int	 has[NATTR][NVAL];
} prod[NPROD];

static int64_t
value_id(int k, int j)
{
	return 100 + k * 10 + j;
}

static int
sel_has(const struct facet_filter *f, int64_t id)
{
	size_t i;

	for (i = 0; i < f->nvalues; i++)
		if (f->values[i] == id)
			return 1;
	return 0;
}

/* Whether product i passes f, ignoring attribute skip (-1: none). */
static int
passes(int i, int64_t cat, int wool, const struct facet_filter *f,
    int skip)
{
	int k, j;

	if (!prod[i].active || (cat && prod[i].cat != cat))
		return 0;
	if (wool && !prod[i].wool)
		return 0;
	if (f->min_price >= 0 && prod[i].now < f->min_price)
		return 0;
	if (f->max_price >= 0 && prod[i].now > f->max_price)
		return 0;
	for (k = 0; k < NATTR; k++) {
		int any = 0, hit = 0;

		if (k == skip)
			continue;
		for (j = 0; j < NVAL; j++)
			if (sel_has(f, value_id(k, j))) {
				any = 1;
				hit |= prod[i].has[k][j];
			}
		if (any && !hit)
			return 0;
	}
	return 1;
}

static int64_t
brute_count(int64_t cat, int wool, const struct facet_filter *f, int k,
    int j)
{
	int64_t	n = 0;
	int	i;

	for (i = 0; i < NPROD; i++)
		if (prod[i].has[k][j] && passes(i, cat, wool, f, k))
			n++;
	return n;
}

static int64_t
counted(const struct facet_set *fs, int64_t id, int *selected)
{
	size_t i, k;

	*selected = 0;
	for (i = 0; i < fs->n; i++)
		for (k = 0; k < fs->a[i].n; k++)
			if (fs->a[i].v[k].id == id) {
				*selected = fs->a[i].v[k].selected;
				return fs->a[i].v[k].count;
			}
	return 0;
}

static int
check_counts(struct shop_ctx *c, int64_t cat, int wool,
    struct facet_filter *f)
{
	struct facet_set	fs;
	int			k, j, sel, bad = 0;

	if (facet_counts(c, cat, wool ? STR("wool") : STR_NULL, f, &fs) !=
	    SHOP_OK)
		return -1;
	for (k = 0; k < NATTR; k++)
		for (j = 0; j < NVAL; j++) {
			int64_t want = brute_count(cat, wool, f, k, j);
			int64_t got = counted(&fs, value_id(k, j), &sel);

			if (want != got || sel != sel_has(f, value_id(k, j))) {
				printf("  value %lld: counted %lld, brute"
				    " force %lld\n", (long long)value_id(k, j),
				    (long long)got, (long long)want);
				bad++;
			}
		}
	return bad ? -1 : 0;
}

/* Every page of facet_list() in sort s: the same products as brute
 * force, each once, in order. */
static int
check_list(struct shop_ctx *c, int64_t cat, const struct facet_filter *f,
    enum catalog_sort s)
{
	struct catalog_cursor	cur = { 0, 0 };
	struct product_list	l;
	int64_t			want = 0, got = 0, prev_p = -1, prev_id = -1;
	int			i, pages = 0;
	size_t			k;

	for (i = 0; i < NPROD; i++)
		want += passes(i, cat, 0, f, -1);
	do {
		if (facet_list(c, cat, f, s, &cur, &l) != SHOP_OK)
			return -1;
		for (k = 0; k < l.n; k++) {
			int found = 0;

			for (i = 0; i < NPROD; i++)
				if (prod[i].id == l.v[k].id) {
					found = passes(i, cat, 0, f, -1) &&
					    l.v[k].price_now == prod[i].now &&
					    l.v[k].price == prod[i].price;
					break;
				}
			if (!found)
				return -1;
			/* Ordered by the price now: a product on sale
			 * sorts by its sale price. */
			if (prev_id != -1 && ((s == CATALOG_SORT_NEWEST &&
			    l.v[k].id >= prev_id) ||
			    (s == CATALOG_SORT_PRICE_ASC && (l.v[k].price_now <
			    prev_p || (l.v[k].price_now == prev_p &&
			    l.v[k].id <= prev_id))) ||
			    (s == CATALOG_SORT_PRICE_DESC &&
			    (l.v[k].price_now > prev_p ||
			    (l.v[k].price_now == prev_p &&
			    l.v[k].id >= prev_id)))))
				return -1;
			prev_p = l.v[k].price_now;
			prev_id = l.v[k].id;
			got++;
		}
		cur = l.next;
		if (++pages > NPROD)
			return -1;
	} while (l.more);
	if (got != want)
		printf("  listed %lld, brute force %lld\n", (long long)got,
		    (long long)want);
	return got == want ? 0 : -1;
}

/* "FROM_UNIXTIME(t)" or "NULL" (t 0: open), in sb. */
static const char *
stamp(struct strbuf *sb, time_t t)
{
	strbuf_reset(sb);
	if (t == 0)
		strbuf_addstr(sb, "NULL");
	else
		strbuf_addf(sb, "FROM_UNIXTIME(%lld)", (long long)t);
	return sb->buf;
}

/*
 * A third of the products on sale: most running now (open or dated
 * around now), some to come or over (their price now is the regular
 * one). Dates are hours from now: no sale starts or ends while the
 * test runs.
 */
static void
sale_of(int i, time_t now)
{
	prod[i].sale = -1;
	prod[i].from = prod[i].to = 0;
	if (rand() % 3 == 0) {
		/* Below the price, among the others: it moves in the
		 * price sorts. */
		prod[i].sale = prod[i].price - 50 * (1 + rand() %
		    (int)(prod[i].price / 50));
		if (prod[i].sale < 0)
			prod[i].sale = 0;
		switch (rand() % 5) {
		case 0:
			prod[i].from = now - 3600;
			prod[i].to = now + 3600;
			break;
		case 1:
			prod[i].to = now + 7200;
			break;
		case 2:		/* to come */
			prod[i].from = now + 3600;
			break;
		case 3:		/* over */
			prod[i].to = now - 3600;
			break;
		default:	/* open */
			break;
		}
	}
	prod[i].now = sale_price_now(prod[i].price, prod[i].sale,
	    prod[i].from, prod[i].to, now);
}

static void
load(struct db *db, int64_t shop, unsigned seed)
{
	struct strbuf	sb = STRBUF_INIT, sb2 = STRBUF_INIT, sb3 = STRBUF_INIT;
	time_t		now = time(NULL);
	int		i, k, j;

	srand(seed);
	memset(prod, 0, sizeof(prod));
	strbuf_addstr(&sb, "INSERT INTO {p}categories (id, slug, position)"
	    " VALUES (1, 'one', 0), (2, 'two', 1)");
	TEST_CHECK(db_exec_ddl(db, sb.buf, shop) == 0);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "INSERT INTO {p}attributes (id, parent_id, slug,"
	    " position) VALUES");
	for (k = 0; k < NATTR; k++) {
		strbuf_addf(&sb, "%s(%d, 0, 'a%d', %d)", k ? "," : "", 1 + k,
		    k, NATTR - k);
		for (j = 0; j < NVAL; j++)
			strbuf_addf(&sb, ",(%lld, %d, 'v%d', %d)",
			    (long long)value_id(k, j), 1 + k, j, j);
	}
	TEST_CHECK(db_exec_ddl(db, sb.buf, shop) == 0);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "INSERT INTO {p}attribute_texts (attribute_id,"
	    " locale, name) VALUES (1, 'en', 'Size'), (2, 'en', 'Colour'),"
	    " (100, 'en', 'S'), (100, 'de', 'Klein')");
	TEST_CHECK(db_exec_ddl(db, sb.buf, shop) == 0);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "INSERT INTO {p}products (id, slug, sku,"
	    " category_id, price, stock, status, sale_price, sale_from,"
	    " sale_to) VALUES");
	for (i = 0; i < NPROD; i++) {
		prod[i].id = 1 + i;
		prod[i].cat = 1 + rand() % 2;
		/* Few distinct prices: ties for the keyset pages. */
		prod[i].price = 100 * (1 + rand() % 20);
		prod[i].active = rand() % 10 != 0;
		prod[i].wool = rand() % 3 == 0;
		sale_of(i, now);
		strbuf_addf(&sb, "%s(%lld, 'p%d', 'S%d', %lld, %lld, 1, '%s',",
		    i ? "," : "", (long long)prod[i].id, i, i,
		    (long long)prod[i].cat, (long long)prod[i].price,
		    prod[i].active ? "active" : "draft");
		if (prod[i].sale < 0)
			strbuf_addstr(&sb, "NULL, NULL, NULL)");
		else
			strbuf_addf(&sb, "%lld, %s, %s)",
			    (long long)prod[i].sale,
			    stamp(&sb2, prod[i].from), stamp(&sb3, prod[i].to));
	}
	TEST_CHECK(db_exec_ddl(db, sb.buf, shop) == 0);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "INSERT INTO {p}product_texts (product_id,"
	    " locale, name, description) VALUES");
	for (i = 0; i < NPROD; i++)
		strbuf_addf(&sb, "%s(%lld, 'en', 'Thing %d%s', '')",
		    i ? "," : "", (long long)prod[i].id, i,
		    prod[i].wool ? " wool" : " cotton");
	TEST_CHECK(db_exec_ddl(db, sb.buf, shop) == 0);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "INSERT INTO {p}product_values (product_id,"
	    " value_id) VALUES (0, 0)");	/* of no product */
	for (i = 0; i < NPROD; i++)
		for (k = 0; k < NATTR; k++)
			for (j = 0; j < NVAL; j++) {
				/* Attribute 2 is rare: some products lack
				 * it entirely. */
				if (rand() % (k == 2 ? 5 : 3) != 0)
					continue;
				prod[i].has[k][j] = 1;
				strbuf_addf(&sb, ",(%lld, %lld)",
				    (long long)prod[i].id,
				    (long long)value_id(k, j));
			}
	TEST_CHECK(db_exec_ddl(db, sb.buf, shop) == 0);
	strbuf_release(&sb);
	strbuf_release(&sb2);
	strbuf_release(&sb3);
}

static void
random_filter(struct facet_filter *f)
{
	int n = rand() % 5, i;

	memset(f, 0, sizeof(*f));
	f->min_price = f->max_price = -1;
	for (i = 0; i < n; i++)
		(void)facet_filter_add(f, value_id(rand() % NATTR,
		    rand() % NVAL));
	if (rand() % 3 == 0)
		f->min_price = 100 * (rand() % 10);
	if (rand() % 3 == 0)
		f->max_price = 100 * (5 + rand() % 20);
}

/* A filter of the given values and bounds (-1: none). */
static void
filter_of(struct facet_filter *f, const int64_t *v, size_t n, int64_t min,
    int64_t max)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++)
		(void)facet_filter_add(f, v[i]);
	f->min_price = min;
	f->max_price = max;
}

/*
 * The chosen cases (two values of one attribute: OR; values of two and
 * three attributes: AND; a price range alone and with values; nothing),
 * then ROUNDS random ones, each counted in a category, listed in a sort
 * page by page, and every fifth counted over the search "wool" too.
 * Returns the number of rounds that differ from brute force.
 */
static int
run_rounds(struct shop_ctx *en)
{
	static const int64_t or1[] = { 100, 101 };
	static const int64_t and2[] = { 100, 101, 110 };
	static const int64_t and3[] = { 102, 111, 113, 120 };
	struct facet_filter	 f;
	int			 r, bad = 0;

	for (r = 0; r < ROUNDS + 6; r++) {
		int64_t cat = 1 + r % 2;

		switch (r) {
		case 0: filter_of(&f, or1, NELEM(or1), -1, -1); break;
		case 1: filter_of(&f, and2, NELEM(and2), -1, -1); break;
		case 2: filter_of(&f, and3, NELEM(and3), -1, 1200); break;
		case 3: filter_of(&f, NULL, 0, 300, 900); break;
		case 4: filter_of(&f, or1, NELEM(or1), 500, -1); break;
		case 5: filter_of(&f, NULL, 0, -1, -1); break;
		default: random_filter(&f); break;
		}
		if (check_counts(en, cat, 0, &f) == -1) {
			printf("round %d: counts differ (%zu values,"
			    " %lld..%lld)\n", r, f.nvalues,
			    (long long)f.min_price, (long long)f.max_price);
			bad++;
		}
		if (check_list(en, cat, &f, (enum catalog_sort)(r % 3)) ==
		    -1) {
			printf("round %d: list differs\n", r);
			bad++;
		}
		/* A search's set: the products named "wool", any
		 * category. */
		if ((r < 6 || r % 5 == 0) && check_counts(en, 0, 1, &f) == -1) {
			printf("round %d: search counts differ\n", r);
			bad++;
		}
		/* Half the rounds from rows read again, half from the
		 * worker's: both must count the same. */
		if (r % 2)
			facet_cache_free();
		arena_reset(&a);
	}
	return bad;
}

/*
 * The rows a worker keeps follow a save: catalog_changed() drops them.
 * A product of category 1 is made a draft behind the cache's back,
 * then catalog_changed() is called: the counts and the list no longer
 * have it.
 */
static void
test_changed(struct db *db, struct shop_ctx *en, int64_t shop)
{
	struct facet_filter	f;
	int			i;

	filter_of(&f, NULL, 0, -1, -1);
	TEST_CHECK(check_counts(en, 1, 0, &f) == 0);	/* kept now */
	for (i = 0; i < NPROD && !(prod[i].active && prod[i].cat == 1);
	    i++)
		;
	TEST_CHECK(i < NPROD);
	if (i == NPROD)
		return;
	{
		char sqlbuf[128];

		snprintf(sqlbuf, sizeof(sqlbuf), "UPDATE {p}products SET"
		    " status = 'draft' WHERE id = %lld", (long long)prod[i].id);
		TEST_CHECK(db_exec_ddl(db, sqlbuf, shop) == 0);
	}
	prod[i].active = 0;
	catalog_changed(en);
	TEST_CHECK(check_counts(en, 1, 0, &f) == 0);
	TEST_CHECK(check_list(en, 1, &f, CATALOG_SORT_PRICE_ASC) == 0);
	arena_reset(&a);
}

int
main(void)
{
	struct db		*db = dbtest_open("test-facet");
	struct shop_ctx		 en, de, other;
	struct facet_filter	 f;
	struct facet_set	 fs;
	int64_t			 s1, s2;
	size_t			 i;

	arena_init(&a);
	s1 = dbtest_shop(db, "facet1", NULL, NULL, "en", "EUR");
	s2 = dbtest_shop(db, "facet2", NULL, NULL, "en", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	en = (struct shop_ctx){ db, &a, s1, "en", "en", "EUR", NULL, NULL, 0 };
	de = (struct shop_ctx){ db, &a, s1, "de", "en", "EUR", NULL, NULL, 0 };
	other = (struct shop_ctx){ db, &a, s2, "en", "en", "EUR", NULL,
	    NULL, 0 };
	load(db, s2, 7);	/* the other shop first: never counted */
	load(db, s1, 1234);

	/* From the rows a worker keeps, then through the statements. */
	rows_max = ROWS_MAX;
	TEST_CHECK(run_rounds(&en) == 0);
	rows_max = 0;
	TEST_CHECK(run_rounds(&en) == 0);
	rows_max = ROWS_MAX;
	test_changed(db, &en, s1);

	/* Names in the request's language, the default's, or the slug;
	 * attributes by position (a3 first). */
	memset(&f, 0, sizeof(f));
	f.min_price = f.max_price = -1;
	TEST_CHECK(facet_counts(&de, 1, STR_NULL, &f, &fs) == SHOP_OK);
	TEST_CHECK(fs.n == NATTR);
	if (fs.n == NATTR) {
		TEST_STREQ(fs.a[0].slug.p, "a2");
		TEST_STREQ(fs.a[2].name.p, "Size");
		TEST_STREQ(fs.a[1].name.p, "Colour");
		TEST_STREQ(fs.a[0].name.p, "a2");
		TEST_CHECK(fs.a[2].n > 0 && fs.a[2].v[0].id == 100);
		if (fs.a[2].n > 0)
			TEST_STREQ(fs.a[2].v[0].name.p, "Klein");
	}

	/* Ids that are no value of this shop are dropped: an attribute,
	 * an unknown id; the filter is then empty. */
	memset(&f, 0, sizeof(f));
	f.min_price = f.max_price = -1;
	TEST_CHECK(facet_filter_add(&f, 1) == 0);
	TEST_CHECK(facet_filter_add(&f, 999999) == 0);
	TEST_CHECK(facet_filter_add(&f, 999999) == 0 && f.nvalues == 2);
	TEST_CHECK(facet_counts(&other, 1, STR_NULL, &f, &fs) == SHOP_OK);
	TEST_CHECK(f.nvalues == 0 && !facet_filter_active(&f));

	/* A full filter refuses more. */
	memset(&f, 0, sizeof(f));
	for (i = 0; i < FACET_MAX_VALUES; i++)
		TEST_CHECK(facet_filter_add(&f, (int64_t)(1000 + i)) == 0);
	TEST_CHECK(facet_filter_add(&f, 5000) == -1);

	facet_cache_free();
	arena_free(&a);
	db_close(db);
	return test_done();
}
