"""Prices in the shopper's currency: a shop with base EUR in Japanese shows
yen converted with the stored rates, with the "approximate" note; the
switcher (cookie cur) and the language choose the currency; a refused feed
leaves the prices as they were."""
import re

from souk_client import Client, admin_login, create_product
from rates_server import RatesServer, ecb_feed, next_date, run_rates, stored


def _shop(stack):
    slug = stack.unique('yen')
    email = f'{slug}@x.test'
    stack.create_shop(slug, locale='ja', currency='EUR', owner_email=email)
    admin = admin_login(stack.port, slug, email)
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Tokyo Matcha', 'color_primary': '#336633',
        'color_accent': '#cc9933', 'locales': ['ja', 'en'],
        'default_locale': 'ja', 'currency': 'EUR',
        'display_currencies': ['JPY', 'USD']})
    assert r.status == 303, r.text[:3000]
    page = admin.get('/admin/settings')
    assert re.search(r'value="JPY" checked', page.text), page.text[:4000]
    assert re.search(r'value="USD" checked', page.text)
    assert not re.search(r'value="GBP" checked', page.text)
    create_product(admin, {'name_ja': '抹茶', 'name_en': 'Matcha',
                           'price': '12.50', 'stock': '5',
                           'slug': 'matcha'})
    return slug, admin


def test_japanese_shop_with_base_eur_shows_yen(stack):
    slug, admin = _shop(stack)
    shop = Client(stack.port, f'{slug}.localhost')
    with RatesServer() as srv:
        srv.serve(ecb_feed(next_date(stack)))
        status, out = run_rates(stack, srv.url)
        assert status == 0, out
    # 12.50 EUR * 162.49 = 2031.125 yen, rounded to whole yen.
    r = shop.get('/p/matcha')
    assert r.status == 200, r
    assert '<html lang="ja">' in r.text
    assert re.search(r'class="price big">[￥¥]2,031<', r.text), r.text
    assert 'class="fxnote' in r.text
    assert 'JPY' in re.search(r'class="fxnote[^>]*>([^<]*)', r.text).group(1)
    assert '€12.50' in r.text      # what the order will be charged
    assert re.search(r'[￥¥]2,031', shop.get('/').text)
    # The switcher: base EUR, no note; remembered in the cookie.
    r = shop.get('/p/matcha?cur=EUR')
    assert re.search(r'class="price big">€12\.50<', r.text), r.text
    assert 'class="fxnote' not in r.text
    assert shop.jars[f'{slug}.localhost'].get('cur') == 'EUR'
    r = shop.get('/p/matcha')
    assert re.search(r'class="price big">€12\.50<', r.text)
    # USD: 12.50 * 1.0812 = 13.515, half up to 13.52.
    r = shop.get('/p/matcha?cur=USD')
    assert re.search(r'class="price big">\$13\.52<', r.text), r.text
    # Not offered: ignored, the cookie's choice stays.
    r = shop.get('/p/matcha?cur=GBP')
    assert re.search(r'class="price big">\$13\.52<', r.text)
    assert shop.jars[f'{slug}.localhost'].get('cur') == 'USD'
    # Hostile values are ignored too.
    r = shop.get('/p/matcha', raw_cookies='cur=<script>')
    assert r.status == 200 and '<script>' not in r.text
    assert re.search(r'class="price big">[￥¥]2,031<', r.text)
    # In English, with no choice made: the language's usual USD.
    en = Client(stack.port, f'{slug}.localhost')
    r = en.get('/p/matcha?lang=en')
    assert re.search(r'class="price big">\$13\.52<', r.text), r.text
    assert 'approximate' in r.text


def test_refused_feed_keeps_the_prices(stack):
    slug, _ = _shop(stack)
    shop = Client(stack.port, f'{slug}.localhost')
    before = stored(stack)
    assert before[1], 'no rates stored'
    page = shop.get('/p/matcha').text
    price = re.search(r'class="price big">([^<]*)<', page).group(1)
    with RatesServer() as srv:
        srv.serve(b'<html>maintenance</html>')
        status, out = run_rates(stack, srv.url)
        assert status == 3, out
        assert 'refused' in out
    assert stored(stack) == before
    page = shop.get('/p/matcha').text
    assert re.search(r'class="price big">([^<]*)<', page).group(1) == price


def test_shop_without_rates_for_a_currency_shows_its_base(stack):
    # KWD is not in the ECB feed: offered, but shown in the base.
    slug = stack.unique('kwd')
    email = f'{slug}@x.test'
    stack.create_shop(slug, locale='en', currency='EUR', owner_email=email)
    admin = admin_login(stack.port, slug, email)
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Gulf', 'color_primary': '#336633',
        'color_accent': '#cc9933', 'locales': ['en'],
        'default_locale': 'en', 'currency': 'EUR',
        'display_currencies': ['KWD']})
    assert r.status == 303, r.text[:3000]
    create_product(admin, {'name_en': 'Dates', 'price': '3.00',
                           'slug': 'dates'})
    r = Client(stack.port, f'{slug}.localhost').get('/p/dates?cur=KWD')
    assert re.search(r'class="price big">€3\.00<', r.text), r.text
    assert 'class="fxnote' not in r.text
    # An unknown code in the settings is refused.
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Gulf', 'color_primary': '#336633',
        'color_accent': '#cc9933', 'locales': ['en'],
        'default_locale': 'en', 'currency': 'EUR',
        'display_currencies': ['XXX']})
    assert r.status == 422
