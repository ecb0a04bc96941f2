"""A Shopify product CSV imported with `soukctl shop import` (issue 10,
shop/catalog_import.c): the rows of a handle grouped into one product
with its variants (options), a compare-at price as the struck regular
price, images from Image Src rows (ordered by Image Position, alt texts
kept) and a variant's own image, served by a local HTTP server; a
"Default Title" product as a simple one; a draft; malformed rows
refused with their lines, a product with one refused whole. The
storefront shows them; the same file again changes and fetches
nothing."""
import os
import re

from import_setup import (ImageServer, catalog_counts, new_shop,
                          soukctl_import, write_csv)
from souk_client import Client

HEADER = ['Handle', 'Title', 'Body (HTML)', 'Vendor', 'Product Category',
          'Type', 'Tags', 'Published', 'Option1 Name', 'Option1 Value',
          'Option1 Linked To', 'Option2 Name', 'Option2 Value',
          'Option2 Linked To', 'Option3 Name', 'Option3 Value',
          'Option3 Linked To', 'Variant SKU', 'Variant Grams',
          'Variant Inventory Tracker', 'Variant Inventory Qty',
          'Variant Inventory Policy', 'Variant Fulfillment Service',
          'Variant Price', 'Variant Compare At Price',
          'Variant Requires Shipping', 'Variant Taxable', 'Variant Barcode',
          'Image Src', 'Image Position', 'Image Alt Text', 'Gift Card',
          'SEO Title', 'SEO Description', 'Variant Image',
          'Variant Weight Unit', 'Variant Tax Code', 'Cost per item',
          'Status']


def rows(img):
    v = {'Variant Inventory Tracker': 'shopify',
         'Variant Inventory Policy': 'deny',
         'Variant Fulfillment Service': 'manual',
         'Variant Requires Shipping': 'TRUE', 'Variant Taxable': 'TRUE',
         'Variant Weight Unit': 'kg'}
    return [
        # 2-5: one product, three variants, four images
        dict(v, **{'Handle': 'surf-tee', 'Title': 'Surf tee',
             'Body (HTML)': '<p>Soft <em>cotton</em>.'
                            '<script>steal(document.cookie)</script></p>',
             'Vendor': 'Acme', 'Type': 'Shirts', 'Published': 'TRUE',
             'Option1 Name': 'Size', 'Option1 Value': 'S',
             'Option2 Name': 'Colour', 'Option2 Value': 'White',
             'Variant SKU': 'TEE-S-W', 'Variant Grams': '200',
             'Variant Inventory Qty': '4', 'Variant Price': '25.00',
             'Variant Compare At Price': '30.00',
             'Image Src': img('tee-front'), 'Image Position': '1',
             'Image Alt Text': 'The front', 'Variant Image': img('tee-white'),
             'Status': 'active'}),
        dict(v, **{'Handle': 'surf-tee', 'Option1 Value': 'M',
             'Option2 Value': 'White', 'Variant SKU': 'TEE-M-W',
             'Variant Grams': '210', 'Variant Inventory Qty': '0',
             'Variant Price': '25.00', 'Image Src': img('tee-back'),
             'Image Position': '2', 'Image Alt Text': 'The back'}),
        dict(v, **{'Handle': 'surf-tee', 'Option1 Value': 'M',
             'Option2 Value': 'Black', 'Variant SKU': 'TEE-M-B',
             'Variant Grams': '210', 'Variant Inventory Qty': '2',
             'Variant Price': '26.00'}),
        {'Handle': 'surf-tee', 'Image Src': img('tee-side'),
         'Image Position': '3'},
        # 6: a product without options, a draft, not taxable
        dict(v, **{'Handle': 'surf-wax', 'Title': 'Surf wax',
             'Body (HTML)': 'Sticky.', 'Type': 'Accessories',
             'Published': 'TRUE', 'Option1 Name': 'Title',
             'Option1 Value': 'Default Title', 'Variant SKU': 'WAX',
             'Variant Grams': '50', 'Variant Inventory Qty': '30',
             'Variant Price': '4.50', 'Variant Taxable': 'FALSE',
             'Status': 'draft'}),
        # 7: a simple one on sale, published
        dict(v, **{'Handle': 'leash', 'Title': 'Leash',
             'Type': 'Accessories', 'Published': 'TRUE',
             'Option1 Name': 'Title', 'Option1 Value': 'Default Title',
             'Variant SKU': 'LEASH', 'Variant Grams': '300',
             'Variant Inventory Qty': '9', 'Variant Price': '18.00',
             'Variant Compare At Price': '24.00', 'Status': 'active'}),
        # 8: a spreadsheet's thousands separator
        dict(v, **{'Handle': 'board', 'Title': 'Board',
             'Option1 Name': 'Title', 'Option1 Value': 'Default Title',
             'Variant SKU': 'BOARD', 'Variant Price': '1,299.00',
             'Status': 'active'}),
        # 9: no handle
        dict(v, **{'Title': 'Nameless', 'Variant Price': '1.00'}),
        # 10-11: two variants with the same options: refused whole
        dict(v, **{'Handle': 'fin', 'Title': 'Fin', 'Option1 Name': 'Size',
             'Option1 Value': 'S', 'Variant SKU': 'FIN-S',
             'Variant Price': '10.00', 'Status': 'active'}),
        dict(v, **{'Handle': 'fin', 'Option1 Value': 'S',
             'Variant SKU': 'FIN-S2', 'Variant Price': '11.00'}),
        # 12: a weight that is not a number
        dict(v, **{'Handle': 'deck-grip', 'Title': 'Deck grip',
             'Option1 Name': 'Title', 'Option1 Value': 'Default Title',
             'Variant SKU': 'GRIP', 'Variant Grams': 'heavy',
             'Variant Price': '12.00', 'Status': 'active'}),
    ]


def test_shopify_import_apply_storefront_and_again(stack):
    slug, p = new_shop(stack, 'shopify')
    with ImageServer() as srv:
        def img(name):
            return srv.url(f'/img/{name}.png')
        path = write_csv(os.path.join(stack.dir, f'{slug}.csv'), HEADER,
                         rows(img))
        r = soukctl_import(stack, slug, path, dry=True, allow_private=True)
        assert r.status == 0, r
        assert 'format Shopify' in r.out, r
        assert r.counts['products'] == (3, 0, 0), r
        assert catalog_counts(stack, p) == (0, 0, 0, 0)

        r = soukctl_import(stack, slug, path, allow_private=True)
        assert r.status == 0, r
        assert r.counts['rows'] == (11, 5), r
        assert r.counts['products'] == (3, 0, 0), r
        assert r.counts['variants'] == (3, 0, 0), r
        assert r.counts['categories'] == 2, r
        assert r.counts['images'] == (4, 0), r
        assert any('not an amount' in m for m in r.line(8)), r
        assert any('no Handle' in m for m in r.line(9)), r
        assert any('same attribute values' in m for m in r.line(11)), r
        assert any('one of its rows is refused' in m
                   for m in r.line(10)), r
        assert any('weight' in m for m in r.line(12)), r
        assert catalog_counts(stack, p) == (3, 3, 4, 2)
        hits = srv.hits()
        assert hits == 4, srv.requests

        prods = {r[0]: r[1:] for r in stack.query(
            f"SELECT p.slug, p.sku, c.slug, p.price, p.sale_price, "
            f"p.tax_class, p.weight_g, p.stock, p.status FROM "
            f"{p}products p LEFT JOIN {p}categories c "
            f"ON c.id = p.category_id")}
        assert prods['surf-tee'][:3] == ['TEE-S-W', 'shirts', '2500'], prods
        assert prods['surf-wax'] == ['WAX', 'accessories', '450', None,
                                     'zero', '50', '30', 'draft'], prods
        assert prods['leash'] == ['LEASH', 'accessories', '2400', '1800',
                                  'standard', '300', '9', 'active'], prods
        variants = [tuple(r) for r in stack.query(
            f"SELECT v.sku, v.name, v.price, v.sale_price, v.stock, "
            f"v.weight_g, i.source_url FROM {p}variants v LEFT JOIN "
            f"{p}images i ON i.id = v.image_id ORDER BY v.position")]
        assert variants == [
            ('TEE-S-W', 'S / White', '3000', '2500', '4', '200',
             img('tee-white')),
            ('TEE-M-W', 'M / White', '2500', None, '0', '210', None),
            ('TEE-M-B', 'M / Black', '2600', None, '2', '210', None)], \
            variants
        images = [tuple(r) for r in stack.query(
            f"SELECT i.source_url, i.alt FROM {p}images i ORDER BY "
            f"i.product_id, i.position")]
        assert [u for u, _ in images] == [img('tee-front'), img('tee-back'),
                                          img('tee-side'),
                                          img('tee-white')], images
        assert '"The front"' in images[0][1], images
        html = stack.query(
            f"SELECT t.description_html FROM {p}product_texts t JOIN "
            f"{p}products x ON x.id = t.product_id WHERE "
            f"x.slug = 'surf-tee'")[0][0]
        assert '<em>cotton</em>' in html, html
        assert 'script' not in html and 'steal' not in html, html

        c = Client(stack.port, f'{slug}.localhost')
        page = c.get('/p/surf-tee')
        assert page.status == 200, page
        assert re.search(r'S / White · €25\.00 \(was €30\.00\)', page.text), \
            page.text[:4000]
        assert 'M / Black · €26.00' in page.text
        assert '<em>cotton</em>' in page.text and 'steal(' not in page.text
        assert 'alt="The front"' in page.text, page.text[:4000]
        m = re.search(r'<img class="main" src="(/media/[^"]+)"', page.text)
        assert m and c.get(m.group(1)).status == 200
        leash = c.get('/p/leash')
        assert leash.status == 200 and '<del class="was">' in leash.text
        assert c.get('/p/surf-wax').status == 404
        assert 'Surf tee' in c.get('/c/shirts').text

        r = soukctl_import(stack, slug, path, allow_private=True)
        assert r.status == 0, r
        assert r.counts['products'] == (0, 0, 3), r
        assert r.counts['variants'] == (0, 0, 3), r
        assert r.counts['images'] == (0, 0), r
        assert catalog_counts(stack, p) == (3, 3, 4, 2)
        assert srv.hits() == hits, srv.requests
