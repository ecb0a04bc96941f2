"""The admin's CSV import (issue 10, item 5): a WooCommerce file
uploaded through the admin's form, checked by souk-worker's
"catalog.import" job (the preview: counts and the refused row with its
line), then imported as a job with a progress bar that refreshes itself
and survives a reload, ending done with the products on the storefront.
Another shop sees none of it; bad uploads are refused with a clear
message; a file that is not a product CSV ends the preview "failed"
with the reason shown."""
import os
import re
import signal
import subprocess
import tempfile
import time

from souk_client import Client, admin_login

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# Line 1 the header; line 3 has a price that is no number (refused);
# a variable product with two variations on lines 4 to 6.
HEADER = ('ID,Type,SKU,Name,Published,Description,Regular price,'
          'Sale price,Categories,Stock,Parent,Attribute 1 name,'
          'Attribute 1 value(s),Attribute 1 visible,Attribute 1 global\n')
WOO = (HEADER +
       '11,simple,MUG-1,Striped mug,1,A mug.,12.50,,Home,5,,,,,\n'
       '12,simple,BAD-1,Broken vase,1,A vase.,abc,,Home,5,,,,,\n'
       '13,variable,SHIRT,Linen shirt,1,A shirt.,,,Home,,,Size,"S, M",1,1\n'
       '14,variation,SHIRT-S,Linen shirt - S,1,,30.00,,,3,SHIRT,Size,S,,1\n'
       '15,variation,SHIRT-M,Linen shirt - M,1,,30.00,,,4,SHIRT,Size,M,,1\n'
       ).encode()


def _shop(stack, prefix):
    slug = stack.unique(prefix)
    email = f'{slug}@x.test'
    stack.create_shop(slug, owner_email=email)
    tid = int(stack.query("SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    return slug, tid, admin_login(stack.port, slug, email)


def upload(admin, name, data, ctype='text/csv'):
    csrf = admin.get('/admin/import').csrf()
    return admin.post_multipart('/admin/import', {'csrf': csrf},
                                {'file': (name, ctype, data)})


def import_id(r):
    assert r.status == 303, (r.status, r.text[:3000])
    m = re.fullmatch(r'/admin/import/(\d+)', r.header('Location') or '')
    assert m, r.header('Location')
    return int(m.group(1))


def state(stack, tid, iid):
    return stack.query(f"SELECT state FROM s{tid}_imports "
                       f"WHERE id = {iid}")[0][0]


def wait_state(stack, tid, iid, want, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        s = state(stack, tid, iid)
        if s in want:
            return s
        time.sleep(0.2)
    raise AssertionError(f'import {iid} still {s}, want {want}\n' +
                         stack.log_since({}, 40))


def cells(page, label):
    """The numbers of the counts row labelled label."""
    m = re.search(r'<th scope="row">%s</th>((?:<td class="num">[^<]*'
                  r'</td>)+)' % re.escape(label), page)
    assert m, f'no row {label}:\n' + page[:6000]
    return re.findall(r'<td class="num">([^<]*)</td>', m.group(1))


def test_import_preview_then_import(stack):
    slug, tid, admin = _shop(stack, 'imp-ui')
    # The products list links to the import page.
    assert 'href="/admin/import"' in admin.get('/admin/products').text
    r = upload(admin, 'products.csv', WOO)
    iid = import_id(r)
    path = f'/admin/import/{iid}'
    # Kept in upload_dir, private: not under media_dir, not served.
    stored = stack.query(f"SELECT path FROM s{tid}_imports "
                         f"WHERE id = {iid}")[0][0]
    assert stored.startswith(f's{tid}/') and stored.endswith('.csv')
    with open(f'{stack.upload_dir}/{stored}', 'rb') as f:
        assert f.read() == WOO
    shop = Client(stack.port, f'{slug}.localhost')
    assert shop.get('/media/' + stored).status == 404

    # The page while the preview runs refreshes itself; never cached.
    page = admin.get(path)
    assert page.status == 200
    assert 'no-store' in (page.header('Cache-Control') or '')
    if state(stack, tid, iid) == 'previewing':
        assert '<meta http-equiv="refresh"' in page.text
        assert '<progress' in page.text

    assert wait_state(stack, tid, iid, ('previewed', 'failed')) == \
        'previewed', admin.get(path).text[:6000]
    page = admin.get(path).text
    assert '<meta http-equiv="refresh"' not in page
    assert 'WooCommerce' in page
    assert cells(page, 'Products')[:3] == ['2', '0', '0'], page[:6000]
    # The refused row: its line and a translated reason.
    m = re.search(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td>'
                  r'<td><code>abc</code>', page)
    assert m and m.group(1) == '3', page[:8000]
    # Nothing written by the preview.
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_products")[0][0] == '0'
    # Import: a POST with the page's token; progress to done.
    csrf = admin.get(path).csrf()
    assert admin.post(path + '/start', {}).status == 403   # no token
    r = admin.post(path + '/start', {'csrf': csrf})
    assert r.status == 303 and r.header('Location') == path
    # A reload mid-way shows what the row says: same state, a bar.
    first = admin.get(path).text
    if state(stack, tid, iid) == 'importing':
        assert '<progress max="100" value="' in first
        assert 'imp-importing' in admin.get(path).text or \
            state(stack, tid, iid) == 'done'
    # A second click changes nothing and lands on the same page.
    r = admin.post(path + '/start', {'csrf': csrf})
    assert r.status == 303 and r.header('Location') == path
    assert wait_state(stack, tid, iid, ('done', 'failed')) == 'done'
    page = admin.get(path).text
    assert 'imp-done' in page and '<progress' not in page
    assert cells(page, 'Products')[:2] == ['2', '0'], page[:6000]
    done, total = stack.query(f"SELECT bytes_done, bytes_total FROM "
                              f"s{tid}_imports WHERE id = {iid}")[0]
    assert done == total == str(len(WOO))
    # The file goes once imported.
    assert not os.path.exists(f'{stack.upload_dir}/{stored}')
    # On the storefront.
    home = shop.get('/search?q=mug').text
    assert 'Striped mug' in home, home[:3000]
    assert 'Broken vase' not in shop.get('/search?q=vase').text
    # In the list of past imports.
    lst = admin.get('/admin/import').text
    assert f'href="{path}"' in lst and 'products.csv' in lst


def test_import_other_shop_sees_nothing(stack):
    _, tid, admin = _shop(stack, 'imp-own')
    iid = import_id(upload(admin, 'mine.csv', WOO))
    wait_state(stack, tid, iid, ('previewed', 'failed'))
    _, _, other = _shop(stack, 'imp-other')
    r = other.get(f'/admin/import/{iid}')
    assert r.status == 404, r.status
    assert 'no-store' in (r.header('Cache-Control') or '')
    csrf = other.get('/admin/import').csrf()
    assert other.post(f'/admin/import/{iid}/start',
                      {'csrf': csrf}).status == 404
    assert 'mine.csv' not in other.get('/admin/import').text
    assert state(stack, tid, iid) == 'previewed'
    # Not logged in: the login page, not the import.
    anon = Client(stack.port, admin.host)
    r = anon.get(f'/admin/import/{iid}')
    assert r.status in (302, 303) and '/admin/login' in \
        r.header('Location'), r.status


def test_import_bad_uploads(stack):
    _, tid, admin = _shop(stack, 'imp-bad')
    n = lambda: stack.query(f"SELECT COUNT(*) FROM s{tid}_imports")[0][0]
    r = upload(admin, 'empty.csv', b'')
    assert r.status == 422 and 'Choose a CSV file' in r.text, r.status
    assert 'no-store' in (r.header('Cache-Control') or '')
    r = upload(admin, 'photo.csv', b'\x89PNG\r\n\x1a\n' + b'\0' * 64,
               'image/png')
    assert r.status == 415 and 'not a CSV file' in r.text, r.status
    r = upload(admin, 'data.bin', bytes(range(256)) * 8,
               'application/octet-stream')
    assert r.status == 415 and 'not a CSV file' in r.text, r.status
    assert n() == '0'
    # Text, but not a product CSV: the preview fails and says why.
    iid = import_id(upload(admin, 'notes.csv', b'hello,world\n1,2\n'))
    assert wait_state(stack, tid, iid, ('previewed', 'failed')) == 'failed'
    page = admin.get(f'/admin/import/{iid}').text
    assert 'imp-failed' in page and 'role="alert"' in page
    assert 'Import</button>' not in page
    # Not UTF-8 (Latin-1): refused with its reason.
    latin = HEADER.encode() + \
        '11,simple,M-1,Gr\xfcner Becher,1,,3.00,,,1,,,,,\n'.encode('latin-1')
    iid = import_id(upload(admin, 'latin1.csv', latin))
    assert wait_state(stack, tid, iid, ('previewed', 'failed')) == 'failed'
    page = admin.get(f'/admin/import/{iid}').text
    assert re.search(r'role="alert">\s*<p><strong>[^<]+</strong></p>\s*'
                     r'<p>[^<]+', page), page[:5000]
    # Discarded: gone from the list's states, file removed.
    csrf = admin.get(f'/admin/import/{iid}').csrf()
    r = admin.post(f'/admin/import/{iid}/discard', {'csrf': csrf})
    assert r.status == 303
    assert state(stack, tid, iid) == 'cancelled'
    # An id that is no number, and one that does not exist.
    assert admin.get('/admin/import/abc').status == 404
    assert admin.get('/admin/import/999999').status == 404


def test_import_too_large_gets_souks_page(stack):
    """A file over the 8 MiB body limit: nginx stops it, and the answer
    is souk's import page saying so (status 413), not nginx's."""
    _, tid, admin = _shop(stack, 'imp-big')
    big = HEADER.encode() + b'x' * (9 * 1024 * 1024)
    r = upload(admin, 'big.csv', big)
    assert r.status == 413, (r.status, r.text[:2000])
    assert 'larger than 8 MB' in r.text, r.text[:3000]
    assert '<h1>Import products</h1>' in r.text
    assert 'nginx' not in r.text
    assert 'no-store' in (r.header('Cache-Control') or '')
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_imports")[0][0] == '0'


def progress_of(page):
    m = re.search(r'<progress max="100" value="(\d+)">', page)
    return int(m.group(1)) if m else None


def test_import_progress_reload_and_killed_worker(stack):
    """A file big enough to watch: souk-worker killed mid-import leaves
    the row importing, and the page shows the same bar (the row's
    bytes_done) on every reload; another worker takes the job when its
    lease ends and the import ends done with every product once (the
    run again is idempotent)."""
    _, tid, admin = _shop(stack, 'imp-kill')
    wlog = stack.log_files()['souk-worker']
    mark = os.path.getsize(wlog) if os.path.exists(wlog) else 0
    with tempfile.TemporaryDirectory() as d:
        csv = os.path.join(d, 'big.csv')
        subprocess.run(['python3', os.path.join(REPO, 'bench',
                        'gen_woo_csv.py'), csv, '1500'], check=True)
        with open(csv, 'rb') as f:
            data = f.read()
    iid = import_id(upload(admin, 'big.csv', data))
    path = f'/admin/import/{iid}'
    assert wait_state(stack, tid, iid, ('previewed', 'failed'),
                      timeout=120) == 'previewed'
    assert cells(admin.get(path).text, 'Products')[:3] == ['1500', '0', '0']
    # Workers with a short lease (renewed every 2 s while they import),
    # so the killed one's job is taken again within seconds.
    fast = {'job_lease_secs': 6, 'job_retry_secs': 1}
    stack.worker.stop()
    stack.worker = None
    stack.start_mail(fast)
    try:
        csrf = admin.get(path).csrf()
        assert admin.post(path + '/start', {'csrf': csrf}).status == 303
        # Catch it part-way, and kill the worker there: the row stays
        # importing, the bar where the worker left it, on every reload.
        end = time.time() + 120
        while time.time() < end:
            done, total = map(int, stack.query(
                f"SELECT bytes_done, bytes_total FROM s{tid}_imports "
                f"WHERE id = {iid}")[0])
            if 0 < done < total or state(stack, tid, iid) != 'importing':
                break
            time.sleep(0.05)
        os.kill(stack.worker.pid, signal.SIGKILL)
        stack.worker.stop()
        stack.worker = None
        assert state(stack, tid, iid) == 'importing', \
            'the import ended before the kill: use a bigger file'
        done, total = map(int, stack.query(
            f"SELECT bytes_done, bytes_total FROM s{tid}_imports "
            f"WHERE id = {iid}")[0])
        assert 0 < done < total, (done, total)
        n = int(stack.query(f"SELECT COUNT(*) FROM s{tid}_products")[0][0])
        assert n < 1500, n
        for _ in range(2):
            page = admin.get(path).text
            assert 'imp-importing' in page
            assert '<meta http-equiv="refresh"' in page
            assert progress_of(page) == done * 100 // total, \
                (progress_of(page), done, total)
        stack.start_mail(fast)
        assert wait_state(stack, tid, iid, ('done', 'failed'),
                          timeout=180) == 'done'
    finally:
        if stack.worker is not None:
            stack.worker.stop()
            stack.worker = None
        stack.start_mail()
    # Every product once, every variant once.
    assert stack.query(f"SELECT COUNT(*), COUNT(DISTINCT slug) FROM "
                       f"s{tid}_products") == [['1500', '1500']]
    assert stack.query(f"SELECT COUNT(*) = COUNT(DISTINCT sku) FROM "
                       f"s{tid}_variants") == [['1']]
    page = admin.get(path).text
    new, updated, same = map(int, cells(page, 'Products')[:3])
    assert new + same == 1500 and updated == 0, (new, updated, same)
    # Two runs of the import: the killed one and the one after it.
    with open(wlog, errors='replace') as f:
        f.seek(mark)
        assert f.read().count(f"import {iid}: importing 's{tid}/") == 2
