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
 * rows (never counted) are checked too.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "platform/provision.h"
#include "shop/facet.h"
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
	if (f->min_price >= 0 && prod[i].price < f->min_price)
		return 0;
	if (f->max_price >= 0 && prod[i].price > f->max_price)
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
					found = passes(i, cat, 0, f, -1);
					break;
				}
			if (!found)
				return -1;
			if (prev_id != -1 && ((s == CATALOG_SORT_NEWEST &&
			    l.v[k].id >= prev_id) ||
			    (s == CATALOG_SORT_PRICE_ASC && (l.v[k].price <
			    prev_p || (l.v[k].price == prev_p &&
			    l.v[k].id <= prev_id))) ||
			    (s == CATALOG_SORT_PRICE_DESC && (l.v[k].price >
			    prev_p || (l.v[k].price == prev_p &&
			    l.v[k].id >= prev_id)))))
				return -1;
			prev_p = l.v[k].price;
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

static void
load(struct db *db, int64_t shop, unsigned seed)
{
	struct strbuf	sb = STRBUF_INIT;
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
	    " category_id, price, stock, status) VALUES");
	for (i = 0; i < NPROD; i++) {
		prod[i].id = 1 + i;
		prod[i].cat = 1 + rand() % 2;
		/* Few distinct prices: ties for the keyset pages. */
		prod[i].price = 100 * (1 + rand() % 20);
		prod[i].active = rand() % 10 != 0;
		prod[i].wool = rand() % 3 == 0;
		strbuf_addf(&sb, "%s(%lld, 'p%d', 'S%d', %lld, %lld, 1, '%s')",
		    i ? "," : "", (long long)prod[i].id, i, i,
		    (long long)prod[i].cat, (long long)prod[i].price,
		    prod[i].active ? "active" : "draft");
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

int
main(void)
{
	struct db		*db = dbtest_open("test-facet");
	struct shop_ctx		 en, de, other;
	struct facet_filter	 f;
	struct facet_set	 fs;
	int64_t			 s1, s2;
	int			 r, bad_counts = 0, bad_lists = 0;
	size_t			 i;

	arena_init(&a);
	s1 = dbtest_shop(db, "facet1", NULL, NULL, "en", "EUR");
	s2 = dbtest_shop(db, "facet2", NULL, NULL, "en", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	en = (struct shop_ctx){ db, &a, s1, "en", "en", "EUR", NULL, NULL };
	de = (struct shop_ctx){ db, &a, s1, "de", "en", "EUR", NULL, NULL };
	other = (struct shop_ctx){ db, &a, s2, "en", "en", "EUR", NULL, NULL };
	load(db, s2, 7);	/* the other shop first: never counted */
	load(db, s1, 1234);

	for (r = 0; r < ROUNDS; r++) {
		int64_t cat = 1 + r % 2;

		random_filter(&f);
		if (check_counts(&en, cat, 0, &f) == -1) {
			printf("round %d: counts differ (%zu values,"
			    " %lld..%lld)\n", r, f.nvalues,
			    (long long)f.min_price, (long long)f.max_price);
			bad_counts++;
		}
		if (check_list(&en, cat, &f, (enum catalog_sort)(r % 3)) ==
		    -1) {
			printf("round %d: list differs\n", r);
			bad_lists++;
		}
		/* A search's set: the products named "wool", any
		 * category. */
		if (r % 5 == 0 && check_counts(&en, 0, 1, &f) == -1) {
			printf("round %d: search counts differ\n", r);
			bad_counts++;
		}
		/* Each round's counts from SQL, not the worker's cache. */
		facet_cache_free();
		arena_reset(&a);
	}
	TEST_CHECK(bad_counts == 0);
	TEST_CHECK(bad_lists == 0);

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
