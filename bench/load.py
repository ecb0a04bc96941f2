"""bench/load.py: the benchmark's catalog data as SQL, for bulk loading.

Shops are created by `soukctl shop create` (bench/run.py times that);
this module only fills their tables, with multi-row INSERTs piped to the
mariadb client: seconds for tens of thousands of rows, where one HTTP
call a product would take minutes.

Everything is a pure function of the ids, so bench/wrk/*.lua can name a
product, category or word that exists without asking the database:

    big shop    categories 1..300 in 3 levels: 12 top (1..12), 48 below
                them (13..60, 4 each), 240 leaves (61..300, 5 each);
                slug "c-<id>". Products 1..N, slug "p-<id>", sku
                "SKU-<id>"; products 1..BIG_CAT_PRODUCTS are all in leaf
                category 61 (a long listing for the keyset test), the
                rest spread over the other leaves. Every 100th product is
                featured. Texts in every language given; VARIANTS
                variants each.
    small shop  5 categories "c-1".."c-5", products 1..n "p-<id>", texts
                in the shop's language, 2 variants each.
"""

import random

BIG_CAT_PRODUCTS = 2400      # 100 pages of 24 in category c-61
LEAF_FIRST, LEAF_LAST = 61, 300
BATCH = 500

ADJ = {
    "en": ["Soft", "Classic", "Organic", "Vintage", "Light", "Warm",
           "Handmade", "Slim", "Rustic", "Bright", "Sturdy", "Tiny"],
    "de": ["Weicher", "Klassischer", "Bio-", "Alter", "Leichter",
           "Warmer", "Handgemachter", "Schmaler", "Rustikaler", "Heller",
           "Robuster", "Kleiner"],
}
MATERIAL = {
    "en": ["linen", "wool", "cotton", "oak", "steel", "leather", "clay",
           "bamboo", "silk", "walnut", "copper", "glass"],
    "de": ["Leinen", "Woll", "Baumwoll", "Eichen", "Stahl", "Leder",
           "Ton", "Bambus", "Seiden", "Nussbaum", "Kupfer", "Glas"],
}
NOUN = {
    "en": ["shirt", "blanket", "mug", "lamp", "chair", "bag", "bowl",
           "scarf", "table", "vase", "jacket", "basket", "teapot",
           "notebook", "cushion"],
    "de": ["hemd", "decke", "becher", "lampe", "stuhl", "tasche",
           "schale", "schal", "tisch", "vase", "jacke", "korb",
           "teekanne", "notizbuch", "kissen"],
}
SIZES = ["S", "M", "L", "XL", "XXL", "XS"]
SENT = {
    "en": ["Made to last and easy to care for.",
           "Every piece is checked by hand before it leaves the workshop.",
           "Ships within two working days in recyclable packaging.",
           "The natural material ages well and gains character with use.",
           "Designed in small batches with local makers.",
           "Fits well with the rest of the collection.",
           "Wash at low temperature and dry flat."],
    "de": ["Langlebig und leicht zu pflegen.",
           "Jedes Stück wird von Hand geprüft, bevor es die Werkstatt "
           "verlässt.",
           "Versand innerhalb von zwei Werktagen in recycelbarer "
           "Verpackung.",
           "Das natürliche Material altert schön und gewinnt an Charakter.",
           "In kleinen Serien mit Herstellern aus der Region entworfen.",
           "Passt gut zum Rest der Kollektion.",
           "Bei niedriger Temperatur waschen und liegend trocknen."],
}
# Words the search scenario looks for (present in many names).
SEARCH_WORDS = MATERIAL["en"] + NOUN["en"]


def q(s):
    """A SQL string literal (the data is ours, but quote it properly)."""
    return "'" + str(s).replace("\\", "\\\\").replace("'", "''") + "'"


def inserts(table, cols, rows):
    """Multi-row INSERT statements, BATCH rows each."""
    out = []
    for i in range(0, len(rows), BATCH):
        chunk = rows[i:i + BATCH]
        vals = ",\n".join("(" + ",".join(
            "NULL" if v is None else str(v) if isinstance(v, int) else q(v)
            for v in r) + ")" for r in chunk)
        out.append(f"INSERT INTO {table} ({', '.join(cols)}) VALUES\n"
                   f"{vals};")
    return out


def price_of(pid):
    """Minor units; bench/wrk/admin-save.lua sends the same."""
    return 100 + (pid * 7919) % 49900


def stock_of(pid):
    return 0 if pid % 17 == 0 else 1 + (pid * 31) % 200


def name_of(pid, lang):
    a, m, n = ADJ[lang], MATERIAL[lang], NOUN[lang]
    if lang == "de":
        return f"{a[pid % len(a)]} {m[(pid // 12) % len(m)]}" \
               f"{n[(pid // 144) % len(n)]} {pid}"
    return f"{a[pid % len(a)]} {m[(pid // 12) % len(m)]} " \
           f"{n[(pid // 144) % len(n)]} {pid}"


def description_of(pid, lang, rnd):
    s = SENT[lang]
    paras = []
    for _ in range(3):
        paras.append(" ".join(rnd.choice(s) for _ in range(4)))
    return "\n\n".join(paras)


def category_tree():
    """[(id, parent_id or None, position)] of the big shop."""
    cats = [(i, None, i) for i in range(1, 13)]
    cid = 13
    for top in range(1, 13):
        for k in range(4):
            cats.append((cid, top, k))
            cid += 1
    for mid in range(13, 61):
        for k in range(5):
            cats.append((cid, mid, k))
            cid += 1
    assert len(cats) == 300 and cid - 1 == LEAF_LAST
    return cats


def category_of(pid):
    if pid <= BIG_CAT_PRODUCTS:
        return LEAF_FIRST
    return LEAF_FIRST + 1 + pid % (LEAF_LAST - LEAF_FIRST)


# The big shop's Japanese texts (a third language; bench/wrk/search-ja.lua
# looks for words inside them, which no space separates) and
# bench/search_engines.py's Japanese shop.
JA_ADJ = ["手作りの", "伝統的な", "軽い", "やわらかい", "上品な", "小さな",
          "丈夫な", "新しい"]
JA_MAT = ["陶器", "木製", "竹製", "鉄製", "ガラス", "漆塗り", "和紙",
          "有田焼", "信楽焼", "萩焼"]
JA_NOUN = ["湯呑み", "急須", "茶碗", "抹茶碗", "茶筒", "花瓶", "弁当箱",
           "箸置き", "茶托", "皿", "徳利", "風鈴"]
JA_SENT = ["職人が一つずつ丁寧に仕上げました。",
           "毎日の暮らしに使いやすい大きさです。",
           "二営業日以内に発送いたします。",
           "使うほどに味わいが増します。",
           "贈り物にも最適です。",
           "緑茶や抹茶によく合います。"]


def ja_name(i):
    return (f"{JA_ADJ[i % len(JA_ADJ)]}{JA_MAT[(i // 8) % len(JA_MAT)]}"
            f"{JA_NOUN[(i // 80) % len(JA_NOUN)]} {i}")


def ja_desc(i, rnd):
    return "".join(rnd.choice(JA_SENT) for _ in range(6))

# Words search-ja.lua looks for: each inside longer words of names or
# descriptions (抹茶 in 抹茶碗 and in sentences).
JA_SEARCH_WORDS = ["抹茶", "茶碗", "陶器", "急須", "花瓶", "和紙", "仕上げ",
                   "発送", "贈り物", "木製"]


def ja_text_rows(p, ids, seed=3):
    rnd = random.Random(seed)
    return inserts(p + "product_texts", ["product_id", "locale", "name",
        "description"], [(i, "ja", ja_name(i), ja_desc(i, rnd)) for i in ids])


def big_shop_sql(tid, products=10000, variants=4, langs=("en", "de"),
                 seed=1):
    rnd = random.Random(seed)
    p = f"s{int(tid)}_"
    out = []
    cats = category_tree()
    out += inserts(p + "categories", ["id", "parent_id", "slug",
        "position"], [(c, par, f"c-{c}", pos) for c, par, pos in cats])
    rows = []
    for c, _, _ in cats:
        for lang in langs:
            word = NOUN[lang][c % len(NOUN[lang])]
            rows.append((c, lang, f"{word.title()} {c}"))
    out += inserts(p + "category_texts", ["category_id", "locale", "name"],
        rows)
    out += product_rows(p, range(1, products + 1), category_of, variants,
        langs, rnd)
    out += facet_rows(p, range(1, products + 1), langs)
    out += ja_text_rows(p, range(1, products + 1))
    return out


# Facets of the big shop: attribute Size (id 1) with SIZES as values
# 11.., Colour (id 2) with COLOURS as values 21..; each product offers
# two or three sizes and one or two colours, as functions of its id.
# bench/wrk/category-facets.lua ticks FACET_QUERY's two.
COLOURS = {"en": ["Black", "White", "Blue", "Red", "Green", "Grey"],
           "de": ["Schwarz", "Weiß", "Blau", "Rot", "Grün", "Grau"]}
FACET_QUERY = "v=12&v=23"    # Size M, Colour Blue


def facet_values(pid):
    sizes = {pid % 6, (pid // 6) % 6}
    if pid % 4 == 0:
        sizes.add((pid // 36) % 6)
    colours = {(pid // 2) % 6}
    if pid % 3 == 0:
        colours.add((pid // 5) % 6)
    return [11 + s for s in sorted(sizes)] + [21 + c for c in
                                              sorted(colours)]


def facet_rows(p, ids, langs):
    attrs = [(1, 0, "size", 0), (2, 0, "colour", 1)]
    attrs += [(11 + k, 1, s.lower(), k) for k, s in enumerate(SIZES)]
    attrs += [(21 + k, 2, c.lower(), k)
              for k, c in enumerate(COLOURS["en"])]
    texts = []
    for lang in langs:
        texts.append((1, lang, "Größe" if lang == "de" else "Size"))
        texts.append((2, lang, "Farbe" if lang == "de" else "Colour"))
        texts += [(11 + k, lang, s) for k, s in enumerate(SIZES)]
        texts += [(21 + k, lang, c) for k, c in
                  enumerate(COLOURS.get(lang, COLOURS["en"]))]
    out = inserts(p + "attributes", ["id", "parent_id", "slug",
        "position"], attrs)
    out += inserts(p + "attribute_texts", ["attribute_id", "locale",
        "name"], texts)
    out += inserts(p + "product_values", ["product_id", "value_id"],
        [(i, v) for i in ids for v in facet_values(i)])
    return out


def product_rows(p, ids, cat_of, variants, langs, rnd):
    out = []
    out += inserts(p + "products", ["id", "slug", "sku", "category_id",
        "price", "stock", "status", "featured"],
        [(i, f"p-{i}", f"SKU-{i}", cat_of(i), price_of(i), stock_of(i),
          "active", 1 if i % 100 == 0 else 0) for i in ids])
    out += inserts(p + "product_texts", ["product_id", "locale", "name",
        "description"],
        [(i, lang, name_of(i, lang), description_of(i, lang, rnd))
         for i in ids for lang in langs])
    vrows = []
    vid = 1
    for i in ids:
        for k in range(variants):
            vrows.append((vid, i, f"SKU-{i}-{k}", f"Size {SIZES[k % 6]}",
                None if k < 2 else price_of(i) + 100 * k,
                (i + k) % 50, k))
            vid += 1
    out += inserts(p + "variants", ["id", "product_id", "sku", "name",
        "price", "stock", "position"], vrows)
    return out


def small_shop_sql(tid, products=50, lang="en", seed=0):
    rnd = random.Random(seed or tid)
    p = f"s{int(tid)}_"
    out = inserts(p + "categories", ["id", "parent_id", "slug",
        "position"], [(c, None, f"c-{c}", c) for c in range(1, 6)])
    out += inserts(p + "category_texts", ["category_id", "locale", "name"],
        [(c, lang, NOUN[lang][c].title()) for c in range(1, 6)])
    out += product_rows(p, range(1, products + 1), lambda i: 1 + i % 5, 2,
        (lang,), rnd)
    return out
