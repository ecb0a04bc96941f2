"""Attributes, variants and sale prices over HTTP through nginx
(web/admin_variants.c, shop/attribute.c, shop/sale.h): the merchant
creates attributes and values with names per language, generates the
variants of a product from ticked values (none twice), edits every
variant in one form, and puts one on sale; a shopper sees the sale
struck through, adds that variant to the cart and pays the sale price.
Bad input (a sale price above the price, dates out of order, a value
sent under another attribute, another shop's ids) is a 4xx with its
message, writing nothing."""
import html
import re

from shop_setup import (add_to_cart, checkout_to_review, place_fields,
                        selling_shop)
from souk_client import Client, admin_login


def _shop(stack, prefix):
    slug, tid, pid = selling_shop(stack, prefix, stock=10, price='20.00')
    email = f'{slug}@x.test'
    admin = admin_login(stack.port, slug, email)
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Variant Caps', 'color_primary': '#8a4b08',
        'color_accent': '#f2c14e', 'locales': ['en', 'de'],
        'default_locale': 'en', 'currency': 'EUR'})
    assert r.status == 303, r.text[:3000]
    return slug, tid, pid, admin


def _attr(stack, c, tid, fields):
    r = c.submit('/admin/attributes', '/admin/attributes', fields)
    assert r.status == 303, (r.status, r.text[:3000])
    slug = fields.get('slug') or fields['name_en'].lower()
    parent = fields.get('parent_id', '0')
    return int(stack.query(
        f"SELECT id FROM s{tid}_attributes WHERE slug = '{slug}' "
        f"AND parent_id = {parent}")[0][0])


def _message(r, status, message):
    assert r.status == status, (r.status, r.text[:3000])
    text = r.text.replace('&#39;', "'")
    assert html.escape(message, quote=False) in text, text[:4000]


def _count(stack, tid, table, where='1'):
    return int(stack.query(
        f"SELECT COUNT(*) FROM s{tid}_{table} WHERE {where}")[0][0])


def _variants(stack, tid, pid):
    return [tuple(r) for r in stack.query(
        f"SELECT id, name FROM s{tid}_variants WHERE product_id = {pid} "
        f"ORDER BY position, id")]


def test_generate_edit_and_buy_on_sale(stack):
    slug, tid, pid, c = _shop(stack, 'variants')
    size = _attr(stack, c, tid, {'name_en': 'Size', 'name_de': 'Größe'})
    colour = _attr(stack, c, tid, {'name_en': 'Colour', 'name_de': 'Farbe'})
    s = _attr(stack, c, tid, {'name_en': 'S', 'parent_id': str(size)})
    m = _attr(stack, c, tid, {'name_en': 'M', 'parent_id': str(size)})
    blue = _attr(stack, c, tid, {'name_en': 'Blue', 'name_de': 'Blau',
                                 'parent_id': str(colour)})
    page = c.get('/admin/attributes')
    assert page.status == 200
    for text in ('Size', 'Colour', 'Blue', 'Add value'):
        assert text in page.text, text
    assert stack.query(f"SELECT name FROM s{tid}_attribute_texts WHERE "
                       f"attribute_id = {blue} AND locale = 'de'")[0][0] \
        == 'Blau'
    # Rename a value in German; reorder: Colour first.
    r = c.submit(f'/admin/attributes/{size}', f'/admin/attributes/{size}',
                 {'name_en': 'Size', 'name_de': 'Größe', 'slug': 'size',
                  'position': '9'})
    assert r.status == 303, r.text[:3000]

    vpath = f'/admin/products/{pid}/variants'
    r = c.submit(vpath, vpath + '/generate',
                 {'value': [f'{size}.{s}', f'{size}.{m}',
                            f'{colour}.{blue}'], 'do': 'generate'})
    assert r.status == 303, (r.status, r.text[:3000])
    vs = _variants(stack, tid, pid)
    assert [n for _, n in vs] == ['Blue / S', 'Blue / M'], vs
    # Again: nothing new.
    r = c.submit(vpath, vpath + '/generate',
                 {'value': [f'{size}.{s}', f'{size}.{m}',
                            f'{colour}.{blue}'], 'do': 'generate'})
    assert r.status == 303
    assert len(_variants(stack, tid, pid)) == 2
    assert _count(stack, tid, 'variant_values') == 4
    assert sorted(int(r[0]) for r in stack.query(
        f"SELECT value_id FROM s{tid}_product_values WHERE product_id = "
        f"{pid}")) == sorted([s, m, blue])

    # The editor: every variant in one form.
    page = c.get(vpath)
    assert page.status == 200
    assert 'Blue / M' in page.text and 'Generate variants' in page.text
    (v1, _), (v2, _) = vs
    fields = {'variant': [str(v1), str(v2)],
              f'sku_{v1}': 'CAP-BS', f'stock_{v1}': '4',
              f'price_{v1}': '', f'sale_price_{v1}': '15.00',
              f'sale_from_{v1}': '2001-01-01T00:00', f'sale_to_{v1}': '',
              f'sku_{v2}': 'CAP-BM', f'stock_{v2}': '2',
              f'price_{v2}': '22.00', f'weight_{v2}': '120'}
    r = c.submit(vpath, vpath, fields)
    assert r.status == 303, (r.status, r.text[:3000])
    rows = stack.query(f"SELECT sku, price, sale_price, stock, weight_g "
                       f"FROM s{tid}_variants WHERE product_id = {pid} "
                       f"ORDER BY position, id")
    assert [tuple(x) for x in rows] == [
        ('CAP-BS', None, '1500', '4', None),
        ('CAP-BM', '2200', None, '2', '120')], rows

    # The shopper sees the sale and pays it.
    shopper = Client(stack.port, f'{slug}.localhost')
    p = shopper.get('/p/loaf')
    assert p.status == 200
    assert re.search(r'Blue / S · €15\.00 \(was €20\.00\)', p.text), \
        p.text[:4000]
    r = add_to_cart(stack, shopper, {'product_id': str(pid),
                                     'variant_id': str(v1), 'qty': '2'})
    assert r.status == 303, (r.status, r.text[:2000])
    cart = shopper.get('/cart')
    assert '€30.00' in cart.text, cart.text[:4000]
    review = checkout_to_review(shopper)
    r = shopper.post('/checkout/place', place_fields(review))
    assert r.status == 303, (r.status, r.text[:3000])
    line = stack.query(f"SELECT unit_price, qty FROM s{tid}_order_lines "
                       f"WHERE variant_id = {v1}")
    assert [tuple(x) for x in line] == [('1500', '2')], line


def test_bad_input_is_refused_with_messages(stack):
    slug, tid, pid, c = _shop(stack, 'varbad')
    size = _attr(stack, c, tid, {'name_en': 'Size'})
    colour = _attr(stack, c, tid, {'name_en': 'Colour'})
    s = _attr(stack, c, tid, {'name_en': 'S', 'parent_id': str(size)})
    red = _attr(stack, c, tid, {'name_en': 'Red', 'parent_id': str(colour)})
    vpath = f'/admin/products/{pid}/variants'
    # A value under another attribute.
    r = c.submit(vpath, vpath + '/generate',
                 {'value': [f'{size}.{red}'], 'do': 'generate'})
    _message(r, 422, 'A value was sent under another attribute.')
    # Garbage and an unknown value.
    r = c.submit(vpath, vpath + '/generate', {'value': ['x.y']})
    _message(r, 422, "Choose values of this shop's attributes.")
    r = c.submit(vpath, vpath + '/generate', {'value': [f'{size}.99999']})
    _message(r, 422, "Choose values of this shop's attributes.")
    assert _count(stack, tid, 'variants') == 0

    r = c.submit(vpath, vpath + '/generate',
                 {'value': [f'{size}.{s}', f'{colour}.{red}']})
    assert r.status == 303
    (v1, name), = _variants(stack, tid, pid)
    assert name == 'S / Red'
    # A sale price above the price (the product's 20.00).
    base = {'variant': [str(v1)], f'stock_{v1}': '1'}
    r = c.submit(vpath, vpath, dict(base, **{f'sale_price_{v1}': '25.00'}))
    _message(r, 422, 'A sale price must be below the regular price.')
    r = c.submit(vpath, vpath, dict(base, **{
        f'sale_price_{v1}': '5.00', f'sale_from_{v1}': '2030-02-01T00:00',
        f'sale_to_{v1}': '2030-01-01T00:00'}))
    _message(r, 422, 'A sale must end after it starts.')
    r = c.submit(vpath, vpath, dict(base, **{f'sale_from_{v1}': 'soon'}))
    _message(r, 422, 'Enter a date such as 2026-12-24 or nothing.')
    r = c.submit(vpath, vpath, dict(base, **{f'image_{v1}': '12345'}))
    _message(r, 422, "Choose one of this product's images.")
    assert stack.query(f"SELECT sale_price FROM s{tid}_variants")[0][0] \
        is None
    # The product's own sale above its price.
    r = c.submit(f'/admin/products/{pid}', f'/admin/products/{pid}', {
        'name_en': 'Last loaf', 'slug': 'loaf', 'price': '20.00',
        'stock': '1', 'active': '1', 'sale_price': '30.00'})
    _message(r, 422, 'A sale price must be below the regular price.')
    # Deleting a value variants are made from.
    r = c.submit('/admin/attributes', f'/admin/attributes/{red}/delete', {})
    _message(r, 409, 'Variants are made from this; delete those variants '
                     'first.')

    # Another shop's ids: its product, its variant, its value.
    slug2, tid2, pid2, c2 = _shop(stack, 'varother')
    r = c2.submit('/admin/attributes', f'/admin/attributes/{size}/delete',
                  {})
    assert r.status == 404, r.status
    r = c2.get(f'/admin/attributes/{size}')
    assert r.status == 404
    r = c2.submit('/admin/attributes', '/admin/attributes',
                  {'name_en': 'XL', 'parent_id': str(size)})
    _message(r, 422, 'Choose an attribute of this shop.')
    p2 = f'/admin/products/{pid2}/variants'
    r = c2.submit(p2, p2, dict(base))
    _message(r, 404, 'This product or one of its variants does not exist.')
    r = c2.submit(p2, p2 + '/generate', {'value': [f'{size}.{s}']})
    _message(r, 422, "Choose values of this shop's attributes.")
    r = c2.get('/admin/products/999999/variants')
    assert r.status == 404
    r = c2.submit(p2, f'{p2}/{v1}/delete', {})
    assert r.status == 404
    assert _count(stack, tid, 'variants') == 1
    assert _count(stack, tid2, 'variants') == 0


def test_demo_shop_has_attributes_variants_and_sales(stack):
    """The surf demo: Size and Colour named in its three languages, the
    variants of a sized product made from them (six, named from their
    values), their values on the product, a product on sale whose card
    shows the regular price struck through."""
    slug = stack.unique('surfdemo')
    stack.create_shop(slug, 'Surf', f'owner@{slug}.example',
                      'correct horse battery', 'en', 'EUR')
    stack.soukctl('demo', 'load', '--slug', slug, '--kind', 'surf')
    tid = stack.query(f"SELECT id FROM souk_tenants WHERE slug = '{slug}'"
                      )[0][0]
    p = f's{tid}_'
    names = {tuple(r) for r in stack.query(
        f"SELECT a.slug, t.locale, t.name FROM {p}attributes a JOIN "
        f"{p}attribute_texts t ON t.attribute_id = a.id "
        f"WHERE a.parent_id = 0")}
    assert ('colour', 'es', 'Color') in names, names
    assert ('size', 'fr', 'Taille') in names, names
    rows = stack.query(
        f"SELECT product_id, COUNT(*) FROM {p}variants GROUP BY product_id")
    assert rows and all(n == '6' for _, n in rows), rows
    pid = rows[0][0]
    vnames = [r[0] for r in stack.query(
        f"SELECT name FROM {p}variants WHERE product_id = {pid} "
        f"ORDER BY position")]
    assert vnames == ['S / Black', 'S / Blue', 'M / Black', 'M / Blue',
                      'L / Black', 'L / Blue'], vnames
    assert stack.query(f"SELECT COUNT(*) FROM {p}product_values WHERE "
                       f"product_id = {pid}") == [['5']]
    assert stack.query(f"SELECT COUNT(*) FROM {p}variant_values") == \
        [[str(2 * 6 * len(rows))]]
    on_sale = stack.query(f"SELECT slug FROM {p}products WHERE "
                          f"sale_price IS NOT NULL")
    assert on_sale, 'no product on sale'
    page = Client(stack.port, f'{slug}.localhost').get(f'/p/{on_sale[0][0]}')
    assert page.status == 200
    assert '<del class="was">' in page.text, page.text[:4000]


def test_only_the_card_on_sale_shows_a_struck_price(stack):
    """Cards are rendered inside {{#products.0}}: a card without a sale
    must not take the first card's struck-through price (Mustache looks
    a missing name up in the enclosing contexts)."""
    from souk_client import create_product
    slug, tid, pid = selling_shop(stack, 'cards', stock=10, price='20.00')
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    create_product(admin, {'name_en': 'Second loaf', 'slug': 'loaf2',
                           'price': '30.00', 'stock': '5'})
    c = Client(stack.port, f'{slug}.localhost')
    for on_sale in ('loaf', 'loaf2'):
        stack.query(f"UPDATE s{tid}_products SET sale_price = NULL")
        stack.query(f"UPDATE s{tid}_products SET sale_price = 1000 "
                    f"WHERE slug = '{on_sale}'")
        stack.query("UPDATE souk_tenants SET updated_at = NOW() "
                    f"WHERE id = {tid}")
        r = c.get('/search?q=loaf', headers={'Cookie': 'cart=x'})
        assert r.status == 200, r.text[:2000]
        cards = re.findall(r'<li class="card">.*?</li>', r.text, re.S)
        assert len(cards) == 2, r.text[:3000]
        struck = [('class="was"' in card) for card in cards]
        assert struck.count(True) == 1, (on_sale, struck)
