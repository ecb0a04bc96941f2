"""A WooCommerce product CSV imported with `soukctl shop import` (issue
10, shop/catalog_import.c): a variable product whose variations have
sale prices and an image, nested categories from "A > B" paths, HTML
descriptions with a script, images served by a local HTTP server (the
test's configuration sets fetch_allow_private), a draft, and malformed
rows refused with their lines (a product with one refused row refused
whole). The preview writes nothing; the storefront then shows the
products, their variants, the sale struck through and the images; the
same file again changes nothing and fetches nothing."""
import os
import re

from import_setup import (ImageServer, catalog_counts, new_shop,
                          soukctl_import, write_csv)
from souk_client import Client

HEADER = ['ID', 'Type', 'SKU', 'Name', 'Published', 'Is featured?',
          'Visibility in catalog', 'Short description', 'Description',
          'Date sale price starts', 'Date sale price ends', 'Tax status',
          'Tax class', 'In stock?', 'Stock', 'Weight (kg)', 'Sale price',
          'Regular price', 'Categories', 'Tags', 'Images', 'Parent',
          'Attribute 1 name', 'Attribute 1 value(s)', 'Attribute 1 visible',
          'Attribute 1 global', 'Attribute 2 name', 'Attribute 2 value(s)',
          'Attribute 2 visible', 'Attribute 2 global']


def rows(img):
    """The file's rows; its line numbers are in the comments."""
    return [
        # 2: a variable product
        {'ID': '10', 'Type': 'variable', 'SKU': 'HOOD',
         'Name': 'Harbour hoodie', 'Published': '1', 'Is featured?': '1',
         'Description': '<h2>Warm</h2><p>Heavy <strong>cotton</strong>.'
                        '<script>alert("pwned")</script></p>'
                        '<ul><li>Hood</li></ul>',
         'Tax status': 'taxable', 'In stock?': '1', 'Weight (kg)': '0.6',
         'Categories': 'Clothing > Tops > Hoodies, Sale',
         'Images': f"{img('hood-front')}, {img('hood-back')}",
         'Attribute 1 name': 'Size', 'Attribute 1 value(s)': 'S, M',
         'Attribute 2 name': 'Colour', 'Attribute 2 value(s)': 'Blue, Grey'},
        # 3-5: its variations (the last names its parent by SKU)
        {'ID': '11', 'Type': 'variation', 'SKU': 'HOOD-S-BLUE',
         'Name': 'Harbour hoodie - S, Blue', 'Published': '1',
         'Tax class': 'parent', 'In stock?': '1', 'Stock': '5',
         'Sale price': '32.00', 'Regular price': '40.00',
         'Images': img('hood-blue'), 'Parent': 'id:10',
         'Attribute 1 name': 'Size', 'Attribute 1 value(s)': 'S',
         'Attribute 2 name': 'Colour', 'Attribute 2 value(s)': 'Blue'},
        {'ID': '12', 'Type': 'variation', 'SKU': 'HOOD-M-BLUE',
         'Published': '1', 'In stock?': '1', 'Stock': '3',
         'Regular price': '40.00', 'Parent': 'id:10',
         'Attribute 1 name': 'Size', 'Attribute 1 value(s)': 'M',
         'Attribute 2 name': 'Colour', 'Attribute 2 value(s)': 'Blue'},
        {'ID': '13', 'Type': 'variation', 'SKU': 'HOOD-M-GREY',
         'Published': '1', 'In stock?': '1', 'Stock': '0',
         'Regular price': '42.00', 'Parent': 'HOOD',
         'Attribute 1 name': 'Size', 'Attribute 1 value(s)': 'M',
         'Attribute 2 name': 'Colour', 'Attribute 2 value(s)': 'Grey'},
        # 6: a simple product on sale with dates, nested category
        {'ID': '20', 'Type': 'simple', 'SKU': 'CAP', 'Name': 'Kelp cap',
         'Published': '1', 'Short description': 'A cap of kelp green.',
         'Date sale price starts': '2020-01-01',
         'Date sale price ends': '2037-12-31 23:00:00',
         'Tax class': 'reduced-rate', 'In stock?': '1', 'Stock': '7',
         'Weight (kg)': '0.12', 'Sale price': '8',
         'Regular price': '12.50', 'Categories': 'Clothing > Hats',
         'Images': img('cap'), 'Attribute 1 name': 'Material',
         'Attribute 1 value(s)': 'Wool, Cotton'},
        # 7: a draft without stock management
        {'ID': '30', 'Type': 'simple, virtual', 'SKU': 'SCARF',
         'Name': 'Draft scarf', 'Published': '0', 'In stock?': '1',
         'Regular price': '9.99'},
        # 8: a price with a thousands separator
        {'ID': '40', 'Type': 'simple', 'SKU': 'BADP', 'Name': 'Bad price',
         'Published': '1', 'Regular price': '1,299.00'},
        # 9-11: a variable product with one bad variation: refused whole
        {'ID': '50', 'Type': 'variable', 'SKU': 'SOCK',
         'Name': 'Fjord socks', 'Published': '1',
         'Attribute 1 name': 'Size', 'Attribute 1 value(s)': 'S, M'},
        {'ID': '51', 'Type': 'variation', 'SKU': 'SOCK-S',
         'Regular price': '5.00', 'Parent': 'id:50',
         'Attribute 1 name': 'Size', 'Attribute 1 value(s)': 'S'},
        {'ID': '52', 'Type': 'variation', 'SKU': 'SOCK-M',
         'Regular price': 'five', 'Parent': 'id:50',
         'Attribute 1 name': 'Size', 'Attribute 1 value(s)': 'M'},
        # 12: a variation whose parent is not before it
        {'ID': '60', 'Type': 'variation', 'SKU': 'ORPH',
         'Regular price': '5.00', 'Parent': 'id:999'},
        # 13: a type souk does not import
        {'ID': '70', 'Type': 'grouped', 'SKU': 'GRP', 'Name': 'Bundle'},
        # 14: a date that is not one
        {'ID': '80', 'Type': 'simple', 'SKU': 'DATE', 'Name': 'Bad date',
         'Regular price': '3.00', 'Sale price': '2.00',
         'Date sale price starts': '2024-13-45'},
    ]


def test_woocommerce_import_preview_apply_and_again(stack):
    slug, p = new_shop(stack, 'woo')
    with ImageServer() as srv:
        def img(name):
            return srv.url(f'/img/{name}.png')
        path = write_csv(os.path.join(stack.dir, f'{slug}.csv'), HEADER,
                         rows(img))

        # The preview: the counts, every refused row, nothing written.
        r = soukctl_import(stack, slug, path, dry=True, allow_private=True)
        assert r.status == 0, r
        assert 'dry run: nothing written' in r.out, r
        assert r.counts['products'] == (3, 0, 0), r
        assert r.counts['variants'] == (3, 0, 0), r
        assert r.counts['categories'] == 5, r
        assert r.counts['images'] == (4, 0), r
        assert r.counts['rows'] == (13, 7), r
        assert catalog_counts(stack, p) == (0, 0, 0, 0)
        assert srv.hits() == 0

        r = soukctl_import(stack, slug, path, allow_private=True)
        assert r.status == 0, r
        assert r.counts['products'] == (3, 0, 0), r
        assert r.counts['variants'] == (3, 0, 0), r
        assert r.counts['images'] == (4, 0), r
        assert r.counts['rows'] == (13, 7), r
        assert any('not an amount' in m for m in r.line(8)), r
        assert any('one of its rows is refused' in m for m in r.line(9)), r
        assert any('not an amount' in m for m in r.line(11)), r
        assert any('does not follow its variable product' in m
                   for m in r.line(12)), r
        assert any('simple, variable or variation' in m
                   for m in r.line(13)), r
        assert any('date' in m for m in r.line(14)), r
        assert not r.line(2) and not r.line(6) and not r.line(7), r
        assert catalog_counts(stack, p) == (3, 3, 4, 5)
        hits = srv.hits()
        assert hits == 4, srv.requests

        # Nested categories from the paths.
        cats = {s: (par, n) for s, par, n in stack.query(
            f"SELECT c.slug, COALESCE(pc.slug, ''), t.name FROM "
            f"{p}categories c LEFT JOIN {p}categories pc ON pc.id = "
            f"c.parent_id JOIN {p}category_texts t ON t.category_id = c.id")}
        assert cats == {'clothing': ('', 'Clothing'),
                        'tops': ('clothing', 'Tops'),
                        'hoodies': ('tops', 'Hoodies'),
                        'sale': ('', 'Sale'),
                        'hats': ('clothing', 'Hats')}, cats
        prods = {r[0]: r[1:] for r in stack.query(
            f"SELECT p.slug, p.sku, c.slug, p.price, p.sale_price, "
            f"p.sale_from, p.sale_to, p.tax_class, p.weight_g, p.status, "
            f"p.featured FROM {p}products p LEFT JOIN {p}categories c "
            f"ON c.id = p.category_id")}
        assert prods['harbour-hoodie'] == ['HOOD', 'hoodies', '4000', None,
            None, None, 'standard', '600', 'active', '1'], prods
        assert prods['kelp-cap'] == ['CAP', 'hats', '1250', '800',
            '2020-01-01 00:00:00', '2037-12-31 23:00:00', 'reduced', '120',
            'active', '0'], prods
        assert prods['draft-scarf'][8] == 'draft', prods
        assert int(stack.query(f"SELECT stock FROM {p}products WHERE "
                               f"slug = 'draft-scarf'")[0][0]) > 0
        variants = [tuple(r) for r in stack.query(
            f"SELECT v.sku, v.name, v.price, v.sale_price, v.stock, "
            f"i.source_url FROM {p}variants v LEFT JOIN {p}images i ON "
            f"i.id = v.image_id ORDER BY v.position")]
        assert variants == [
            ('HOOD-S-BLUE', 'S / Blue', '4000', '3200', '5',
             img('hood-blue')),
            ('HOOD-M-BLUE', 'M / Blue', '4000', None, '3', None),
            ('HOOD-M-GREY', 'M / Grey', '4200', None, '0', None)], variants
        values = {r[0] for r in stack.query(
            f"SELECT a.slug FROM {p}product_values pv JOIN {p}attributes a "
            f"ON a.id = pv.value_id JOIN {p}products x ON x.id = "
            f"pv.product_id WHERE x.slug = 'kelp-cap'")}
        assert values == {'wool', 'cotton'}, values
        html, text = stack.query(
            f"SELECT t.description_html, t.description FROM "
            f"{p}product_texts t JOIN {p}products x ON x.id = t.product_id "
            f"WHERE x.slug = 'harbour-hoodie'")[0]
        assert '<strong>cotton</strong>' in html, html
        assert 'script' not in html and 'pwned' not in html, html
        assert 'pwned' not in text, text
        srcs = [r[0] for r in stack.query(
            f"SELECT i.source_url FROM {p}images i JOIN {p}products x ON "
            f"x.id = i.product_id WHERE x.slug = 'harbour-hoodie' "
            f"ORDER BY i.position")]
        assert srcs == [img('hood-front'), img('hood-back'),
                        img('hood-blue')], srcs

        # The storefront.
        c = Client(stack.port, f'{slug}.localhost')
        page = c.get('/p/harbour-hoodie')
        assert page.status == 200, page
        assert re.search(r'S / Blue · €32\.00 \(was €40\.00\)', page.text), \
            page.text[:4000]
        assert 'M / Grey · €42.00' in page.text, page.text[:4000]
        assert '<strong>cotton</strong>' in page.text
        assert 'pwned' not in page.text
        m = re.search(r'<img class="main" src="(/media/[^"]+)"', page.text)
        assert m, page.text[:4000]
        assert c.get(m.group(1)).status == 200
        cap = c.get('/p/kelp-cap')
        assert cap.status == 200 and '<del class="was">' in cap.text, \
            cap.text[:4000]
        assert '€8.00' in cap.text and '€12.50' in cap.text
        assert c.get('/p/draft-scarf').status == 404
        assert 'Harbour hoodie' in c.get('/c/hoodies').text

        # The same file again: the same, nothing written or fetched.
        r = soukctl_import(stack, slug, path, allow_private=True)
        assert r.status == 0, r
        assert r.counts['products'] == (0, 0, 3), r
        assert r.counts['variants'] == (0, 0, 3), r
        assert r.counts['images'] == (0, 0), r
        assert r.counts['categories'] == 0, r
        assert catalog_counts(stack, p) == (3, 3, 4, 5)
        assert srv.hits() == hits, srv.requests

        # A price changed in the file: that product is updated.
        changed = rows(img)
        changed[2]['Regular price'] = '41.00'
        write_csv(path, HEADER, changed)
        r = soukctl_import(stack, slug, path, allow_private=True)
        assert r.counts['products'] == (0, 1, 2), r
        assert r.counts['variants'] == (0, 1, 2), r
        assert stack.query(f"SELECT price FROM {p}variants WHERE "
                           f"sku = 'HOOD-M-BLUE'") == [['4100']]
        assert catalog_counts(stack, p) == (3, 3, 4, 5)
