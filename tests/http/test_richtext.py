"""Rich-text descriptions over the whole stack: a merchant saves HTML with
script, styles, event handlers and a list through nginx; the product page
shows the list, the emphasis and the link (with rel="nofollow noopener")
and none of the script; the admin form gives the sanitised HTML back to
edit; search finds the text, not the markup; and a description written
before rich text (description_html NULL) still shows escaped, in
paragraphs."""
import re

from souk_client import Client, signup, admin_login, create_product

HOSTILE = (
    '<h2 onclick="alert(1)">Pflege</h2>'
    '<script>alert("xss")</script>'
    '<style>body{display:none}</style>'
    '<p style="color:red">Kalt <em>waschen</em>, '
    '<a href="javascript:alert(1)">nie</a> '
    '<a href="https://example.org/care?a=1&amp;b=2" target="_blank">mehr</a>'
    '</p><img src=x onerror="alert(2)">'
    '<ul><li>Baumwolle<li><strong>Leinen</strong></ul>'
    '<svg onload="alert(3)"></svg><iframe src="/"></iframe>'
)


def _shop(stack):
    slug = stack.unique('rich')
    email = f'{slug}@x.test'
    signup(stack.port, slug, email, locale='de', currency='EUR')
    return slug, admin_login(stack.port, slug, email)


def _description(html):
    m = re.search(r'<div class="description[^"]*">(.*?)</div>', html, re.S)
    assert m, html[:4000]
    return m.group(1)


def test_rich_description_is_sanitised(stack):
    slug, admin = _shop(stack)
    pid = create_product(admin, {'name_de': 'Hemd', 'slug': 'hemd',
                                 'description_de': HOSTILE})
    shop = Client(stack.port, f'{slug}.localhost')
    r = shop.get('/p/hemd')
    assert r.status == 200, r.text[:2000]
    d = _description(r.text)
    assert d == (
        '<h2>Pflege</h2><p>Kalt <em>waschen</em>, nie '
        '<a href="https://example.org/care?a=1&amp;b=2" '
        'rel="nofollow noopener">mehr</a></p>'
        '<ul><li>Baumwolle</li><li><strong>Leinen</strong></li></ul>'), d
    low = d.lower()
    for bad in ('alert(', 'javascript:', 'onerror', 'onload', 'onclick',
                '<img', '<svg', '<iframe', '<style', 'display:none',
                'color:red'):
        assert bad not in low, bad
    # The page has no script at all (souk's pages use none).
    assert '<script' not in r.text and 'alert(' not in r.text
    assert 'class="description rich"' in r.text
    # The meta description is the text, on one line.
    assert ('<meta name="description" content="Pflege Kalt waschen, nie '
            'mehr Baumwolle Leinen">') in r.text, r.text[:1500]
    # The form gives the sanitised HTML back, escaped in its textarea.
    r = admin.get(f'/admin/products/{pid}')
    assert r.status == 200
    assert ('&lt;ul&gt;&lt;li&gt;Baumwolle&lt;/li&gt;' in r.text), \
        r.text[:4000]
    assert 'alert(' not in r.text
    assert 'blockquote' in r.text          # the help line names the tags
    # Saving it again changes nothing (the sanitiser is idempotent).
    m = re.search(r'<textarea name="description_de"[^>]*>(.*?)</textarea>',
                  r.text, re.S)
    assert m, r.text[:4000]
    again = (m.group(1).replace('&lt;', '<').replace('&gt;', '>')
             .replace('&quot;', '"').replace('&#39;', "'")
             .replace('&amp;', '&'))
    r = admin.submit(f'/admin/products/{pid}', f'/admin/products/{pid}',
                     {'name_de': 'Hemd', 'slug': 'hemd', 'price': '1.00',
                      'stock': '1', 'active': '1', 'description_de': again})
    assert r.status == 303, r.text[:3000]
    assert _description(shop.get('/p/hemd').text) == d
    # Search reads the text: a word of the list, not of the script.
    r = shop.get('/search?q=Leinen')
    assert r.status == 200 and 'Hemd' in r.text, r.text[:3000]
    r = shop.get('/search?q=xss')
    assert r.status == 200 and '/p/hemd' not in r.text


def test_old_plain_description_shows_escaped(stack):
    slug, admin = _shop(stack)
    create_product(admin, {'name_de': 'Alt', 'slug': 'alt',
                           'description_de': 'Erst.'})
    tid = int(stack.query("SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    # As a description written before rich text: text only, html NULL,
    # with what looks like markup in it.
    stack.query(f"UPDATE s{tid}_product_texts SET description = "
                "'<b>1 < 2</b> & <script>alert(1)</script>\n\nZweiter "
                "Absatz', description_html = NULL")
    shop = Client(stack.port, f'{slug}.localhost')
    r = shop.get('/p/alt')
    assert r.status == 200, r.text[:2000]
    d = _description(r.text)
    assert d == ('<p>&lt;b&gt;1 &lt; 2&lt;/b&gt; &amp; '
                 '&lt;script&gt;alert(1)&lt;/script&gt;</p>'
                 '<p>Zweiter Absatz</p>'), d
    assert '<script>alert' not in r.text
    assert 'class="description rich"' not in r.text
    assert ('<meta name="description" content="&lt;b&gt;1 &lt; 2&lt;/b&gt; '
            '&amp; &lt;script&gt;alert(1)&lt;/script&gt; Zweiter Absatz">'
            ) in r.text, r.text[:1500]


def test_meta_description_is_cut_at_160_characters(stack):
    slug, admin = _shop(stack)
    create_product(admin, {'name_de': 'Tee', 'slug': 'tee',
                           'description_de': '<p>' + '茶' * 200 + '</p>'})
    r = Client(stack.port, f'{slug}.localhost').get('/p/tee')
    assert r.status == 200
    assert f'<meta name="description" content="{"茶" * 160}">' in r.text
