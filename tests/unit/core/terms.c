/*
 * tests/unit/core/terms.c: the search index's terms of texts in
 * English, German, French and Japanese, what NFKC case folding makes
 * one, the cut of long words and long input, bytes that are not UTF-8,
 * and the groups of a query.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/terms.h"
#include "test.h"

static struct arena	a;

/* The index terms of the n bytes at s, space-separated, checked sorted
 * and duplicate-free. */
static const char *
idx_n(const char *s, size_t n)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct str	*v = NULL;
	const char	*r;
	size_t		 i, nt;

	nt = terms_index(&a, (struct str){ s, n }, &v);
	TEST_CHECK(v != NULL);
	for (i = 0; i < nt; i++) {
		TEST_CHECK(v[i].len > 0 && v[i].len <= TERMS_MAX_BYTES);
		TEST_CHECK(str_valid_utf8(v[i]));
		if (i > 0) {
			TEST_CHECK(memcmp(v[i - 1].p, v[i].p,
			    v[i - 1].len < v[i].len ? v[i - 1].len :
			    v[i].len) <= 0);
			TEST_CHECK(!str_eq(v[i - 1], v[i]));
			strbuf_addch(&sb, ' ');
		}
		strbuf_addv(&sb, v[i]);
	}
	r = arena_strdup(&a, sb.buf);
	strbuf_release(&sb);
	return r;
}

static const char *
idx(const char *s)
{
	return idx_n(s, strlen(s));
}

/* The groups of query s: "w:word" or "c:bigram,bigram", space apart. */
static const char *
qry(const char *s)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct term_group	*g = NULL;
	const char		*r;
	size_t			 i, j, n;

	n = terms_query(&a, str_c(s), &g);
	TEST_CHECK(g != NULL && n <= TERMS_QUERY_MAX);
	for (i = 0; i < n; i++) {
		TEST_CHECK(g[i].nterms >= 1);
		TEST_CHECK(g[i].kind == TERM_CJK ?
		    g[i].nterms <= TERMS_QUERY_BIGRAMS : g[i].nterms == 1);
		strbuf_addstr(&sb, i ? " " : "");
		strbuf_addstr(&sb, g[i].kind == TERM_WORD ? "w:" : "c:");
		for (j = 0; j < g[i].nterms; j++) {
			strbuf_addstr(&sb, j ? "," : "");
			strbuf_addv(&sb, g[i].terms[j]);
		}
	}
	r = arena_strdup(&a, sb.buf);
	strbuf_release(&sb);
	return r;
}

static void
latin(void)
{
	/* × is a symbol (NFKC keeps it): it separates 50 from 70cm */
	TEST_STREQ(idx("Linen Tea Towel, 50×70cm"),
	    "50 70cm linen tea towel");
	TEST_STREQ(idx("Straße"), "strasse");
	TEST_STREQ(idx("STRASSE strasse"), "strasse");
	/* accents are kept, and composed whichever way they were typed */
	TEST_STREQ(idx("café"), "café");
	TEST_STREQ(idx("CAFÉ"), "café");
	TEST_STREQ(idx("cafe\xcc\x81"), "café");
	TEST_STREQ(idx("crème brûlée"), "brûlée crème");
	/* full-width Latin and digits, an ideographic space between */
	TEST_STREQ(idx("ＣＡＦÉ"), "café");
	TEST_STREQ(idx("ＴＥＡ\xe3\x80\x80ＴＯＷＥＬ ５０"), "50 tea towel");
	/* ligatures and superscripts are letters and digits */
	TEST_STREQ(idx("ﬁne m²"), "fine m2");
	/* a soft hyphen is ignorable: NFKC case fold drops it */
	TEST_STREQ(idx("co\xc2\xad" "operate"), "cooperate");
	/* an apostrophe and a hyphen separate */
	TEST_STREQ(idx("l'été tea-towel"), "l tea towel été");
	/* marks belong to the word (Devanagari vowel signs); Greek */
	TEST_STREQ(idx("हिंदी"), "हिंदी");
	TEST_STREQ(idx("ΣΟΦΊΑ"), "σοφία");
}

static void
cjk(void)
{
	/* each adjacent pair and the run's last character, in memcmp
	 * order: every character starts a term */
	TEST_STREQ(idx("抹茶ラテ"), "テ ラテ 抹茶 茶ラ");
	TEST_STREQ(idx("茶"), "茶");
	/* a run and a word end each other */
	TEST_STREQ(idx("抹茶latte"), "latte 抹茶 茶");
	TEST_STREQ(idx("latte抹茶"), "latte 抹茶 茶");
	/* punctuation in the CJK blocks separates: 、 。 ・ 「 」 */
	TEST_STREQ(idx("「緑茶」、ドン・キホーテ。"),
	    "キホ テ ドン ホー ン ーテ 緑茶 茶");
	/* half-width katakana is widened, its voicing mark joined */
	TEST_STREQ(idx("ｶﾌｪ"), idx("カフェ"));
	TEST_STREQ(idx("ｶﾞ"), "ガ");
	/* 々 and 〇 stand for Han */
	TEST_STREQ(idx("時々"), "々 時々");
	TEST_STREQ(qry("二〇二四年"), "c:二〇,〇二,二四,四年");
	/* supplementary ideographs (𠮷, U+20BB7) */
	TEST_STREQ(idx("𠮷野"), "野 𠮷野");
	/* repeats give one term */
	TEST_STREQ(idx("ははは"), "は はは");
}

static void
limits(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct str	*v;
	char		 want[TERMS_MAX_BYTES + 1];
	int		 i;

	/* 100 letters: 64 bytes */
	for (i = 0; i < 100; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	TEST_CHECK(terms_index(&a, strbuf_str(&sb), &v) == 1);
	TEST_CHECK(v[0].len == 64 && memcmp(v[0].p, sb.buf, 64) == 0);
	/* é at bytes 63-64 does not fit: cut before it */
	strbuf_reset(&sb);
	for (i = 0; i < 63; i++)
		strbuf_addch(&sb, 'x');
	memcpy(want, sb.buf, 63);
	want[63] = '\0';
	for (i = 0; i < 37; i++)
		strbuf_addstr(&sb, "é");
	TEST_STREQ(idx(sb.buf), want);
	/* the query cuts the same way, so it still finds it by prefix */
	TEST_STREQ(qry(sb.buf), arena_printf(&a, "w:%s", want));
	/* 100 é: 32 of them */
	strbuf_reset(&sb);
	for (i = 0; i < 100; i++)
		strbuf_addstr(&sb, "É");
	TEST_CHECK(terms_index(&a, strbuf_str(&sb), &v) == 1);
	TEST_CHECK(v[0].len == 64);
	/* a 4-byte letter (𐐨, U+10428) at bytes 62-65 */
	strbuf_reset(&sb);
	for (i = 0; i < 61; i++)
		strbuf_addch(&sb, 'y');
	for (i = 0; i < 10; i++)
		strbuf_addstr(&sb, "𐐀");
	TEST_CHECK(terms_index(&a, strbuf_str(&sb), &v) == 1);
	TEST_CHECK(v[0].len == 61);
	strbuf_setlen(&sb, 0);
	for (i = 0; i < 60; i++)
		strbuf_addch(&sb, 'y');
	for (i = 0; i < 10; i++)
		strbuf_addstr(&sb, "𐐀");
	TEST_CHECK(terms_index(&a, strbuf_str(&sb), &v) == 1);
	TEST_CHECK(v[0].len == 64 && memcmp(v[0].p + 60, "𐐨", 4) == 0);

	/* input past TERMS_MAX_INPUT is not read */
	strbuf_reset(&sb);
	for (i = 0; i < TERMS_MAX_INPUT - 3; i++)
		strbuf_addch(&sb, ' ');
	strbuf_addstr(&sb, "teapot");
	TEST_STREQ(idx_n(sb.buf, sb.len), "tea");
	/* 茶 at bytes MAX-2..MAX: not read, not even as U+FFFD */
	strbuf_setlen(&sb, TERMS_MAX_INPUT - 3);
	strbuf_addstr(&sb, " 茶 tea");
	TEST_STREQ(idx_n(sb.buf, sb.len), "");

	/* NFKC lengthens U+FDFA 18 times (the second try at the length) */
	strbuf_reset(&sb);
	for (i = 0; i < 20000; i++)
		strbuf_addstr(&sb, "\xef\xb7\xba ");
	TEST_CHECK(terms_index(&a, strbuf_str(&sb), &v) == 4);
	strbuf_release(&sb);
}

static void
bad_input(void)
{
	struct str		*v = NULL;
	struct term_group	*g = NULL;

	TEST_CHECK(terms_index(&a, STR(""), &v) == 0 && v != NULL);
	TEST_CHECK(terms_index(&a, STR_NULL, &v) == 0 && v != NULL);
	TEST_CHECK(terms_query(&a, STR(""), &g) == 0 && g != NULL);
	TEST_STREQ(idx("!?, . … — «»"), "");
	TEST_STREQ(idx(" \t\n"), "");
	TEST_STREQ(qry("?!"), "");
	/* a byte that is not UTF-8 separates (U+FFFD) */
	TEST_STREQ(idx("ab\xff" "cd"), "ab cd");
	TEST_STREQ(idx("\xc3"), "");
	TEST_STREQ(idx("tea\xc3"), "tea");
	TEST_STREQ(idx("\xe6\x8a"), "");
	/* an encoded surrogate, an overlong '/' */
	TEST_STREQ(idx("tea\xed\xa0\x80pot"), "pot tea");
	TEST_STREQ(idx("tea\xc0\xafpot"), "pot tea");
	TEST_STREQ(idx_n("a\0b", 3), "a b");
	TEST_STREQ(idx("\xef\xbf\xbd"), "");
}

static void
order(void)
{
	/* a term before the longer ones it starts; repeats once */
	TEST_STREQ(idx("Tea tea TEA teapot te teas tea."),
	    "te tea teapot teas");
	TEST_STREQ(idx("b a c a b"), "a b c");
	/* memcmp order: digits, ASCII, then the rest by UTF-8 bytes */
	TEST_STREQ(idx("été zebra 9 Ärger"), "9 zebra ärger été");
}

static void
query(void)
{
	TEST_STREQ(qry("Linen TEA"), "w:linen w:tea");
	TEST_STREQ(qry("抹茶ラ"), "c:抹茶,茶ラ");
	TEST_STREQ(qry("抹茶ラテ"), "c:抹茶,茶ラ,ラテ");
	TEST_STREQ(qry("茶"), "c:茶");
	TEST_STREQ(qry("抹茶latte"), "c:抹茶 w:latte");
	TEST_STREQ(qry("ｶﾌｪ 茶"), "c:カフ,フェ c:茶");
	/* repeated bigrams once: the caller counts them */
	TEST_STREQ(qry("ははは"), "c:はは");
	/* the first 8 bigrams of a long run */
	TEST_STREQ(qry("あいうえおかきくけこ"),
	    "c:あい,いう,うえ,えお,おか,かき,きく,くけ");
	/* 9 groups: the first 8 */
	TEST_STREQ(qry("a b c d e f g h i"),
	    "w:a w:b w:c w:d w:e w:f w:g w:h");
	/* duplicates are dropped, and do not count against the 8 */
	TEST_STREQ(qry("tea TEA Tea pot"), "w:tea w:pot");
	TEST_STREQ(qry("茶 緑茶 茶 緑茶"), "c:茶 c:緑茶");
	TEST_STREQ(qry("a A b c d e f g h i"),
	    "w:a w:b w:c w:d w:e w:f w:g w:h");
	/* what NFKC case folding makes one is a duplicate */
	TEST_STREQ(qry("CAFÉ ｶﾌｪ café"), "w:café c:カフ,フェ");
	TEST_STREQ(qry("  «tea»  "), "w:tea");
}

int
main(void)
{
	arena_init(&a);
	latin();
	cjk();
	limits();
	bad_input();
	order();
	query();
	arena_free(&a);
	return test_done();
}
