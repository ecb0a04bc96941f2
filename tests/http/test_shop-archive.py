"""One shop as a portable archive (issue 14): soukctl shop export SLUG
--format souk FILE, then soukctl shop import --from FILE --slug NEW makes
a new shop (its own id, table prefix and media folder) that holds the
same tables, serves the same pages and images, takes its owner's
password; hostile or broken archives are refused with a clear message,
leave no shop, no scratch database and nothing else behind."""
import io
import json
import os
import re
import subprocess
import tarfile

from shop_setup import selling_shop, shopper
from souk_client import Client, admin_login
from test_images import png, upload

PATH_TABLES = ('products', 'images')      # media paths are renamed there


def _checksums(stack, tid, skip=()):
    names = [r[0] for r in stack.query(
        "SELECT table_name FROM information_schema.tables WHERE "
        f"table_schema = DATABASE() AND table_name LIKE 's{tid}\\_%'")]
    rows = stack.query("CHECKSUM TABLE " + ", ".join(names))
    out = {}
    for name, value in rows:
        short = name.split('.', 1)[1].split('_', 1)[1]
        if short not in skip:
            out[short] = value
    return out


def _count(stack, table):
    return int(stack.query(f"SELECT COUNT(*) FROM {table}")[0][0])


def _no_leftovers(stack, slug):
    assert stack.query(f"SELECT COUNT(*) FROM souk_tenants WHERE slug = "
                       f"'{slug}'") == [['0']], 'a shop was left behind'
    assert stack.query("SELECT COUNT(*) FROM information_schema.schemata "
                       "WHERE schema_name LIKE 'souk\\_import\\_%'") == \
        [['0']], 'a scratch database was left behind'
    assert stack.query("SELECT COUNT(*) FROM mysql.user WHERE user LIKE "
                       "'souk\\_import\\_%'") == [['0']]


def _rewrite(src, dst, manifest=None, sql=None):
    """A copy of archive src with its manifest or tables.sql changed."""
    with tarfile.open(src) as t_in, tarfile.open(dst, 'w:gz') as t_out:
        for m in t_in.getmembers():
            data = t_in.extractfile(m).read() if m.isfile() else None
            if m.name == 'manifest.json' and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            if m.name == 'tables.sql' and sql:
                data = sql(data.decode()).encode()
            if data is not None:
                m.size = len(data)
                t_out.addfile(m, io.BytesIO(data))
            else:
                t_out.addfile(m)


def test_shop_archive_moves_a_shop(stack):
    slug, tid, pid = selling_shop(stack, 'arca', stock=20)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    r = upload(admin, pid, [('a.png', png(64, 48, 1)),
                            ('b.png', png(80, 60, 2))])
    assert r.status == 303, (r.status, r.text[:2000])
    c, fields = shopper(stack, slug, pid)
    assert c.post('/checkout/place', fields).status == 303
    stack.query(f"UPDATE souk_tenants SET color_primary = '#225533', "
                f"locales = 'ja,en', default_locale = 'ja' WHERE id = {tid}")
    before = _checksums(stack, tid)
    media_before = sorted(os.listdir(os.path.join(stack.media_dir,
                                                   f's{tid}')))
    assert len(media_before) >= 4, media_before     # originals and copies

    path = os.path.join(stack.dir, f'{slug}.souk')
    r = stack.soukctl('shop', 'export', slug, '--format', 'souk', path)
    assert re.search(r'\d+ tables \(\d+ products, 1 orders\), \d+ media',
                     r.stdout), r.stdout
    new = stack.unique('arcb')
    r = stack.soukctl('shop', 'import', '--from', path, '--slug', new)
    m = re.search(r"shop '%s' \(id (\d+)\) made from" % new, r.stdout)
    assert m, r.stdout
    nid = int(m.group(1))
    assert nid != tid

    # The same tables; the media paths name the new folder.
    assert _checksums(stack, nid, PATH_TABLES) == \
        _checksums(stack, tid, PATH_TABLES)
    for t in PATH_TABLES:
        assert _count(stack, f's{nid}_{t}') == _count(stack, f's{tid}_{t}')
    assert stack.query(f"SELECT COUNT(*) FROM s{nid}_images WHERE path "
                       f"NOT LIKE 's{nid}/%'") == [['0']]
    assert sorted(os.listdir(os.path.join(stack.media_dir, f's{nid}'))) \
        == media_before
    # The source is untouched.
    assert _checksums(stack, tid) == before
    assert stack.query(f"SELECT name, color_primary, locales, "
                       f"default_locale, currency, status FROM souk_tenants "
                       f"WHERE id = {nid}") == stack.query(
        f"SELECT name, color_primary, locales, default_locale, currency, "
        f"'ready' FROM souk_tenants WHERE id = {tid}")
    assert stack.query(f"SELECT action FROM souk_audit WHERE tenant_id = "
                       f"{nid} AND action = 'shop.import'") == \
        [['shop.import']]

    # It serves: a page in Japanese, the product, an image through nginx.
    shop = Client(stack.port, f'{new}.localhost')
    page = shop.get('/p/loaf')
    assert page.status == 200 and 'lang="ja"' in page.text, page.status
    img = re.search(r'src="(/media/s%d/[0-9a-f]+\.\w+)"' % nid, page.text)
    assert img, page.text[:2000]
    assert shop.get(img.group(1)).status == 200
    # Its owner logs in with the same password, and finds the order.
    admin = admin_login(stack.port, new, f'{slug}@x.test')
    page = admin.get('/admin/orders')
    assert page.status == 200 and '/admin/orders/1001' in page.text
    # And it sells.
    c, fields = shopper(stack, new, pid)
    assert c.post('/checkout/place', fields).status == 303
    assert _count(stack, f's{nid}_orders') == 2


def test_shop_archive_refuses_bad_archives(stack):
    slug, tid, pid = selling_shop(stack, 'arcc', stock=5)
    good = os.path.join(stack.dir, f'{slug}.souk')
    stack.soukctl('shop', 'export', slug, '--format', 'souk', good)
    bad = os.path.join(stack.dir, f'{slug}-bad.souk')

    def refused(why, **change):
        if change:
            _rewrite(good, bad, **change)
        new = stack.unique('arcx')
        r = stack.soukctl('shop', 'import', '--from', bad, '--slug', new,
                          check=False)
        assert r.returncode == 1 and why in r.stderr, (why, r.stderr)
        _no_leftovers(stack, new)
        return r

    # A table this installation does not have.
    refused('a table this installation does not have',
            manifest=lambda m: {**m, 'tables': m['tables'][1:] + ['users']})
    refused('twice',
            manifest=lambda m: {**m, 'tables': m['tables'] + m['tables'][:1]})
    # Tables newer than this installation's.
    refused('upgrade souk first',
            manifest=lambda m: {**m, 'schema_version': 999})
    # Not an archive of ours.
    refused('not a souk shop archive',
            manifest=lambda m: {**m, 'format': 'something else'})
    # tables.sql is data, not commands: each of these fails the import
    # and leaves the platform as it was.
    tenants = _count(stack, 'souk_tenants')
    refused('was refused', sql=lambda s: s + '\nDROP DATABASE souk;\n')
    refused('was refused', sql=lambda s: s + '\nDELETE FROM souk.'
            'souk_accounts;\n')
    refused('was refused', sql=lambda s: s + (
        f'\nCREATE TRIGGER t BEFORE INSERT ON s{tid}_products '
        'FOR EACH ROW SET NEW.price = 0;\n'))
    refused('tables.sql made', sql=lambda s: s +
            '\nCREATE TABLE extra (id INT PRIMARY KEY);\n')
    refused('did not make', sql=lambda s: s.replace(
        f'`s{tid}_products`', f'`s{tid}_productz`'))
    assert _count(stack, 'souk_tenants') == tenants
    assert stack.query("SELECT COUNT(*) FROM souk_accounts") != [['0']]
    # Not a tar at all.
    with open(bad, 'wb') as f:
        f.write(b'not an archive\n')
    refused('cannot read')
    # A slug already taken: that shop stays as it is.
    r = stack.soukctl('shop', 'import', '--from', good, '--slug', slug,
                      check=False)
    assert r.returncode == 1 and 'cannot create shop' in r.stderr, r.stderr
    assert stack.query(f"SELECT status FROM souk_tenants WHERE slug = "
                       f"'{slug}'") == [['ready']]
