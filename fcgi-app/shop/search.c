/* search.c: the storefront's product search (see search.h). */
#include "core/common.h"
#include "core/terms.h"
#include "db/db.h"
#include "shop/facet.h"
#include "core/strbuf.h"
#include "shop/search.h"
#include "shop/list_cache.h"
#include "shop/shop.h"

#define FILTERS \
	" AND (? = 0 OR p.category_id = ?)" FACET_MATCH
#define ORDER \
	" ORDER BY CASE ? WHEN 1 THEN " SALE_PRODUCT_PRICE \
	" WHEN 2 THEN -" SALE_PRODUCT_PRICE \
	" ELSE 0 END, p.featured DESC, p.id DESC LIMIT ? OFFSET ?"
/*
 * The total comes with the page: the ORDER BY sorts every match before
 * the LIMIT anyway, so SQL_CALC_FOUND_ROWS costs little more, and
 * FOUND_ROWS() is one cheap round trip. (A second, counting query ran
 * the full-text match again: search at 62 % of its former rate in
 * `make bench QUICK=1`; COUNT(*) OVER () made MariaDB build the window
 * over every match, texts included, before the sort.)
 */
enum stmt {
	ST_FULLTEXT,
	ST_LIKE,
	ST_FOUND_ROWS,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_FULLTEXT] = { "search.fulltext",
	    "SELECT SQL_CALC_FOUND_ROWS " CATALOG_CARD_COLS CATALOG_P_FROM SEARCH_FT_MATCH FILTERS ORDER },
	/* Substrings of names and descriptions, for what FULLTEXT cannot
	 * index (a Japanese word inside a sentence: 抹茶 in the bench's
	 * 10,000 Japanese products, 880 names but 6,888 texts; 20 ms with
	 * the descriptions, 19 ms without). */
	[ST_LIKE] = { "search.like",
	    "SELECT SQL_CALC_FOUND_ROWS " CATALOG_CARD_COLS CATALOG_P_FROM SEARCH_LIKE_MATCH FILTERS ORDER },
	/* Right after the page's query, on the same connection. */
	[ST_FOUND_ROWS] = { "search.found_rows", "SELECT FOUND_ROWS()" },
};

/* The page from the shop's index: MariaDB reads the products in the
 * page's order and checks each word by the index's product key; */
static const struct shop_sql terms_page[SEARCH_TERMS_MAX] = {
	SEARCH_TERMS_SQL("search.terms_page",
	    "SELECT " CATALOG_CARD_COLS CATALOG_P_FROM, FILTERS ORDER)
};
/* the total, past the first page, capped: a common word's count stops
 * at SEARCH_COUNT_CAP + 1. */
static const struct shop_sql terms_count[SEARCH_TERMS_MAX] = {
	SEARCH_TERMS_SQL("search.terms_count",
	    "SELECT COUNT(*) FROM (SELECT 1 FROM {p}products p",
	    FILTERS " LIMIT ?) c")
};

void
search_terms_of(struct shop_ctx *ctx, struct str q, struct search_terms *out)
{
	struct term_group	*g;
	size_t			 ng, i, k;

	out->n = 0;
	ng = terms_query(ctx->a, q, &g);
	for (i = 0; i < ng; i++)
		for (k = 0; k < g[i].nterms && out->n < SEARCH_TERMS_MAX;
		    k++) {
			struct str	 t = g[i].terms[k];
			char		*hi;

			out->lo[out->n] = t;
			/* A pair, exactly; a word or one character (the
			 * start of a pair, or a run's last: terms.h), by
			 * prefix. */
			if (g[i].kind == TERM_CJK && str_chars(t) > 1) {
				out->hi[out->n++] = t;
				continue;
			}
			hi = arena_alloc(ctx->a, t.len + 1);
			memcpy(hi, t.p, t.len);
			hi[t.len] = (char)0xff;
			out->hi[out->n++] = (struct str){ hi, t.len + 1 };
		}
}

unsigned
search_bind_terms(struct shop_ctx *ctx, struct db_stmt *st, unsigned i,
    const struct search_terms *t)
{
	size_t k;

	for (k = 0; k < t->n; k++) {
		db_bind_blob(st, i++, t->lo[k].p, t->lo[k].len);
		db_bind_blob(st, i++, t->hi[k].p, t->hi[k].len);
		db_bind_cstr(st, i++, ctx->locale);
		db_bind_cstr(st, i++, ctx->default_locale);
		db_bind_cstr(st, i++, ctx->locale);
	}
	return i;
}

/*
 * Boolean-mode query from the shopper's words: each word becomes a
 * prefix term ("+word*" would demand all words; shoppers expect any
 * word to match, ranked). Operators they typed are dropped, so input
 * can never be a syntax error.
 */
static struct str
fulltext_query(struct arena *a, struct str q)
{
	char	*out = arena_alloc(a, q.len * 2 + 2);
	size_t	 o = 0, i;
	int	 inword = 0;

	for (i = 0; i < q.len; i++) {
		unsigned char c = (unsigned char)q.p[i];

		if (c >= 0x80 || (c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			out[o++] = (char)c;
			inword = 1;
		} else if (inword) {
			out[o++] = '*';
			out[o++] = ' ';
			inword = 0;
		}
	}
	if (inword)
		out[o++] = '*';
	out[o] = '\0';
	return (struct str){ out, o };
}

/*
 * Whether the FULLTEXT index can answer q: InnoDB indexes words of 3
 * characters or more (innodb_ft_min_token_size) separated by spaces, so
 * it cannot find a 2-letter word, nor a word of a language written
 * without spaces (Japanese, Chinese: UTF-8 lead bytes 0xe3 and up).
 * Those fall back to substrings of names and descriptions, which scan
 * the shop's texts (list_cache.h keeps the answers of the searches
 * asked again), and the common case stays indexed.
 */
int
search_fulltext_can(struct str q)
{
	size_t	i, word = 0;
	int	long_word = 0;

	for (i = 0; i < q.len; i++) {
		unsigned char c = (unsigned char)q.p[i];

		if (c >= 0xe3)
			return 0;
		if (c >= 0x80 || (c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			if ((c & 0xc0) != 0x80 && ++word >= 3)
				long_word = 1;
		} else
			word = 0;
	}
	return long_word;
}

unsigned
search_bind_words(struct shop_ctx *ctx, struct db_stmt *st, unsigned i,
    struct str q, int ft)
{
	if (ft)
		db_bind_str(st, i++, fulltext_query(ctx->a, q));
	else {
		struct str like = catalog_like_pattern(ctx->a, q);

		db_bind_str(st, i++, like);
		db_bind_str(st, i++, like);
	}
	db_bind_cstr(st, i++, ctx->locale);
	db_bind_cstr(st, i++, ctx->default_locale);
	db_bind_cstr(st, i++, ctx->locale);
	return i;
}

/* Binds the category and the filters from index i on; returns the next
 * index. */
static unsigned
bind_filters(struct db_stmt *st, unsigned i, const struct search_query *s,
    const struct facet_filter *f, const struct facet_bind *b)
{
	db_bind_i64(st, i++, s->category_id);
	db_bind_i64(st, i++, s->category_id);
	return facet_bind(st, i, f, b);
}

/* The one number counting statement st (bound) returns, into *n. */
static int
count_of(struct shop_ctx *ctx, struct db_stmt *st, int64_t *n)
{
	int rc;

	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		*n = db_col_i64(st, 0);
	db_done(st);
	return rc == 1 ? SHOP_OK : SHOP_EDB;
}

/*
 * Runs the page's statement st, bound up to index i: its order, limit
 * and offset, then its cards into out. 1 when the page holds every
 * match (the first, with no next one: *total set), 0 when the total is
 * still to count, or an error.
 */
static int
run_page(struct shop_ctx *ctx, struct db_stmt *st, unsigned i,
    const struct search_query *s, struct search_result *out, int64_t *total)
{
	int rc;

	db_bind_i64(st, i++, (int64_t)s->sort);
	db_bind_i64(st, i++, CATALOG_PAGE + 1);
	db_bind_i64(st, i, s->page * CATALOG_PAGE);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK ||
	    (rc = catalog_read_list(ctx, st, CATALOG_PAGE, &out->list)) !=
	    SHOP_OK)
		return rc;
	if (s->page == 0 && !out->list.more) {
		*total = (int64_t)out->list.n;
		return 1;
	}
	return 0;
}

struct str
search_cache_params(struct shop_ctx *ctx, struct str q, int64_t category_id,
    const struct facet_filter *f, const struct facet_bind *b, int sort,
    int64_t page)
{
	struct strbuf	sb = STRBUF_INIT;
	struct str	out;

	strbuf_addf(&sb, "%zu:", q.len);
	strbuf_add(&sb, q.p, q.len);
	strbuf_addf(&sb, "|%lld|%lld|%lld|%d|%lld|%lld|%zu:",
	    (long long)category_id, (long long)f->min_price,
	    (long long)f->max_price, sort, (long long)page,
	    (long long)b->full, b->values.len);
	strbuf_add(&sb, b->values.p, b->values.len);
	strbuf_addf(&sb, "|%zu:", b->attrs.len);
	strbuf_add(&sb, b->attrs.p, b->attrs.len);
	out = arena_str(ctx->a, (struct str){ sb.buf, sb.len });
	strbuf_release(&sb);
	return out;
}


/*
 * A kept answer: [total, total_more, more, id...]. The cards are read
 * again (prices, stock and names as they are now); only which products
 * and in what order is kept.
 */
#define KEPT_HEAD	3

static int
from_cache(struct shop_ctx *ctx, struct str params,
    struct search_result *out)
{
	int64_t	*v;
	size_t	 n;
	int	 rc;

	if (!list_cache_get(ctx, "sr", params, &v, &n) || n < KEPT_HEAD ||
	    n - KEPT_HEAD > CATALOG_PAGE)
		return 0;
	if ((rc = catalog_by_ids(ctx, v + KEPT_HEAD, n - KEPT_HEAD, 0,
	    &out->list)) != SHOP_OK)
		return rc;
	out->total = v[0];
	out->total_more = v[1] != 0;
	out->list.more = v[2] != 0;
	return 1;
}

static void
to_cache(struct shop_ctx *ctx, struct str params, uint64_t gen,
    const struct search_result *r)
{
	int64_t	v[KEPT_HEAD + CATALOG_PAGE];
	size_t	i, n = 0;

	v[n++] = r->total;
	v[n++] = r->total_more;
	v[n++] = r->list.more;
	for (i = 0; i < r->list.n && i < CATALOG_PAGE; i++)
		v[n++] = r->list.v[i].id;
	list_cache_put(ctx, "sr", params, gen, v, n);
}

/* The page and the total from InnoDB's FULLTEXT (or substrings), until
 * the shop's index is built. */
static int
by_fulltext(struct shop_ctx *ctx, const struct search_query *s,
    const struct facet_filter *f, const struct facet_bind *b,
    struct search_result *out, int64_t *total)
{
	struct db_stmt	*st;
	unsigned	 i;
	int		 rc, ft = search_fulltext_can(s->q);

	if ((st = shop_stmt(ctx, &sql[ft ? ST_FULLTEXT : ST_LIKE])) == NULL)
		return SHOP_EDB;
	i = catalog_bind_locales(ctx, st);
	i = search_bind_words(ctx, st, i, s->q, ft);
	i = bind_filters(st, i, s, f, b);
	if ((rc = run_page(ctx, st, i, s, out, total)) != 0)
		return rc == 1 ? SHOP_OK : rc;
	/* Right after the page's query, on the same connection. */
	if ((st = shop_stmt(ctx, &sql[ST_FOUND_ROWS])) == NULL)
		return SHOP_EDB;
	return count_of(ctx, st, total);
}

/* The page and the total from the shop's index. */
static int
by_terms(struct shop_ctx *ctx, const struct search_query *s,
    const struct facet_filter *f, const struct facet_bind *b,
    struct search_result *out, int64_t *total)
{
	struct search_terms	 t;
	struct db_stmt		*st;
	unsigned		 i;
	int			 rc;

	search_terms_of(ctx, s->q, &t);
	/* No letter nor digit ("%", "&"): no term to look up, so the
	 * texts are searched for it as it is, as before the index. */
	if (t.n == 0)
		return by_fulltext(ctx, s, f, b, out, total);
	if ((st = shop_stmt(ctx, &terms_page[t.n - 1])) == NULL)
		return SHOP_EDB;
	i = catalog_bind_locales(ctx, st);
	i = search_bind_terms(ctx, st, i, &t);
	i = bind_filters(st, i, s, f, b);
	if ((rc = run_page(ctx, st, i, s, out, total)) != 0)
		return rc == 1 ? SHOP_OK : rc;
	if ((st = shop_stmt(ctx, &terms_count[t.n - 1])) == NULL)
		return SHOP_EDB;
	i = search_bind_terms(ctx, st, 0, &t);
	i = bind_filters(st, i, s, f, b);
	db_bind_i64(st, i, SEARCH_COUNT_CAP + 1);
	return count_of(ctx, st, total);
}

int
search_products(struct shop_ctx *ctx, const struct search_query *s,
    struct search_result *out)
{
	struct facet_filter	 f;
	struct facet_bind	 b;
	struct str		 params;
	uint64_t		 gen;
	int64_t			 total;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (s->q.len == 0 || s->page < 0 || s->page >= SEARCH_PAGES)
		return SHOP_EINVAL;
	/* The price range is the search form's; the values the facets'. */
	if (s->facets)
		f = *s->facets;
	else
		memset(&f, 0, sizeof(f));
	f.min_price = s->min_price;
	f.max_price = s->max_price;
	if ((rc = facet_bind_of(ctx, &f, &b)) != SHOP_OK)
		return rc;
	gen = list_cache_gen(ctx);
	params = search_cache_params(ctx, s->q, s->category_id, &f, &b,
	    (int)s->sort, s->page);
	if ((rc = from_cache(ctx, params, out)) != 0)
		return rc == 1 ? SHOP_OK : rc;
	if (ctx->search_indexed)
		rc = by_terms(ctx, s, &f, &b, out, &total);
	else
		rc = by_fulltext(ctx, s, &f, &b, out, &total);
	if (rc != SHOP_OK)
		return rc;
	out->total = total > SEARCH_COUNT_CAP ? SEARCH_COUNT_CAP : total;
	out->total_more = total > SEARCH_COUNT_CAP;
	to_cache(ctx, params, gen, out);
	return SHOP_OK;
}
