"""A product's images (issue 10): uploads typed by content and limited
in bytes and pixels, a card copy and a page copy made once and served
by nginx with long cache lifetimes, reorder, delete and alt texts over
plain forms, the storefront gallery, and another shop locked out."""
import os
import re
import struct
import subprocess
import tempfile
import uuid
import zlib

from souk_client import Client, admin_login, create_product


def png(w, h, seed=0):
    """An RGB PNG of w x h: a gradient, written with zlib."""
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        for x in range(w):
            rows += bytes(((x * 255 // w + seed) % 256, y * 255 // h,
                           (seed * 40) % 256))
    return png_chunks(w, h, zlib.compress(bytes(rows), 6))


def png_chunks(w, h, idat):
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data)))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', idat) + chunk(b'IEND', b''))


def jpeg(w, h):
    """A JPEG of w x h: the PNG above through the vips command."""
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, 'a.png'), os.path.join(d, 'a.jpg')
        with open(src, 'wb') as f:
            f.write(png(w, h, 90))
        subprocess.run(['vips', 'copy', src, dst + '[Q=85]'], check=True)
        with open(dst, 'rb') as f:
            return f.read()


def webp_size(b):
    """(width, height) of a WebP file."""
    assert b[:4] == b'RIFF' and b[8:12] == b'WEBP', b[:16]
    kind = b[12:16]
    if kind == b'VP8 ':
        w, h = struct.unpack('<HH', b[26:30])
        return w & 0x3fff, h & 0x3fff
    if kind == b'VP8L':
        v = int.from_bytes(b[21:25], 'little')
        return (v & 0x3fff) + 1, ((v >> 14) & 0x3fff) + 1
    assert kind == b'VP8X', kind
    return (int.from_bytes(b[24:27], 'little') + 1,
            int.from_bytes(b[27:30], 'little') + 1)


def upload(admin, pid, files):
    """POSTs files [(filename, bytes)] as one form of several "image"
    files, as a browser's <input type=file multiple> does."""
    csrf = admin.get(f'/admin/products/{pid}').csrf()
    b = 'souk' + uuid.uuid4().hex
    body = [f'--{b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
            f'{csrf}\r\n'.encode()]
    for fn, data in files:
        body.append(f'--{b}\r\nContent-Disposition: form-data; '
                    f'name="image"; filename="{fn}"\r\nContent-Type: '
                    f'image/png\r\n\r\n'.encode() + data + b'\r\n')
    body.append(f'--{b}--\r\n'.encode())
    return admin.request('POST', f'/admin/products/{pid}/images',
                         body=b''.join(body), headers={
                             'Content-Type':
                             f'multipart/form-data; boundary={b}'})


def _shop(stack, prefix):
    slug = stack.unique(prefix)
    email = f'{slug}@x.test'
    stack.create_shop(slug, owner_email=email)
    admin = admin_login(stack.port, slug, email)
    pid = create_product(admin, {'name_en': 'Striped mug', 'slug': 'mug',
                                 'price': '12.00', 'stock': '5'})
    tid = int(stack.query("SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    return slug, tid, admin, pid


def _rows(stack, tid, pid):
    return stack.query(f"SELECT id, path, card_path, page_path, width, "
                       f"height, position FROM s{tid}_images WHERE "
                       f"product_id = {pid} ORDER BY position, id")


def test_images_upload_makes_both_copies(stack):
    slug, tid, admin, pid = _shop(stack, 'img-up')
    big, small = png(1600, 900), jpeg(300, 200)
    r = upload(admin, pid, [('wide.png', big), ('small.jpg', small)])
    assert r.status == 303, r.text[:2000]
    rows = _rows(stack, tid, pid)
    assert len(rows) == 2, rows
    shop = Client(stack.port, f'{slug}.localhost')
    want = [((1600, 900), (1200, 675), big, '.png'),
            ((300, 200), (300, 200), small, '.jpg')]
    for row, (orig, page, data, ext) in zip(rows, want):
        _, path, card, pagep, w, h, _ = row
        assert path.endswith(ext) and card.endswith('.webp') and \
            pagep.endswith('.webp'), row
        assert (int(w), int(h)) == page, row
        with open(os.path.join(stack.media_dir, path), 'rb') as f:
            assert f.read() == data     # the original, kept as it came
        for p, size in ((card, (480, 480)), (pagep, page)):
            m = shop.get('/media/' + p)
            assert m.status == 200, (p, m.status)
            assert webp_size(m.body) == size, (p, webp_size(m.body))
            cc = m.header('Cache-Control') or ''
            assert 'max-age=31536000' in cc and 'immutable' in cc, cc
    # The main image is the first one's card copy, on every card.
    main = stack.query(f"SELECT image FROM s{tid}_products "
                       f"WHERE id = {pid}")[0][0]
    assert main == rows[0][2]
    home = shop.get('/').text
    assert f'src="/media/{main}" width="480" height="480"' in home, \
        home[:3000]
    # The product page: the main image large, both as thumbnails.
    page = shop.get('/p/mug')
    assert page.status == 200
    assert f'src="/media/{rows[0][3]}" width="1200" height="675"' in \
        page.text, page.text[:4000]
    assert 'href="?image=2"' in page.text
    page2 = shop.get('/p/mug?image=2').text
    assert f'src="/media/{rows[1][3]}" width="300" height="200"' in page2
    assert shop.get('/p/mug?image=99').status == 400


def test_images_refused_uploads(stack):
    slug, tid, admin, pid = _shop(stack, 'img-bad')
    # HTML named .png: typed by content, refused with a message.
    r = upload(admin, pid, [('evil.png', b'<html><script>x</script>')])
    assert r.status == 415, r.status
    assert 'PNG, JPEG, GIF or WebP' in r.text
    # More than 5 MB (under the 8 MB body limit: souk says why).
    r = upload(admin, pid, [('huge.png', png(8, 8)[:33] +
                             os.urandom(5 * 1024 * 1024 + 100))])
    assert r.status == 413, r.status
    assert '5 MB' in r.text
    # A decompression bomb: 100,000 x 100,000 in a few bytes.
    bomb = png_chunks(100000, 100000, zlib.compress(b'\0' * 1000))
    assert len(bomb) < 200
    r = upload(admin, pid, [('bomb.png', bomb)])
    assert r.status == 413, r.status
    assert '10,000 pixels' in r.text
    # A PNG cut short: the right magic, no pixels.
    r = upload(admin, pid, [('cut.png', png(64, 64)[:60])])
    assert 400 <= r.status < 500, r.status
    assert not _rows(stack, tid, pid)
    d = os.path.join(stack.media_dir, f's{tid}')
    assert not os.path.isdir(d) or os.listdir(d) == [], os.listdir(d)


def test_images_reorder_delete_alt(stack):
    slug, tid, admin, pid = _shop(stack, 'img-ord')
    r = upload(admin, pid, [('a.png', png(40, 40, 1)), ('b.png',
               png(50, 40, 2)), ('c.png', png(60, 40, 3))])
    assert r.status == 303, r.text[:2000]
    a, b, c = [row[0] for row in _rows(stack, tid, pid)]
    page = admin.get(f'/admin/products/{pid}')
    csrf = page.csrf()
    assert f'/admin/products/{pid}/images/{b}/up' in page.text
    assert f'/admin/products/{pid}/images/{a}/up' not in page.text
    r = admin.post(f'/admin/products/{pid}/images/{c}/up', {'csrf': csrf})
    assert r.status == 303
    r = admin.post(f'/admin/products/{pid}/images/{c}/up', {'csrf': csrf})
    assert [row[0] for row in _rows(stack, tid, pid)] == [c, a, b]
    main = stack.query(f"SELECT image FROM s{tid}_products "
                       f"WHERE id = {pid}")[0][0]
    assert main == _rows(stack, tid, pid)[0][2]
    r = admin.post(f'/admin/products/{pid}/images/{a}/down',
                   {'csrf': csrf})
    assert [row[0] for row in _rows(stack, tid, pid)] == [c, b, a]
    # Alt text, shown on the storefront; without one, the name.
    r = admin.post(f'/admin/products/{pid}/images/{c}/alt',
                   {'csrf': csrf, 'alt_en': 'A mug with <blue> stripes'})
    assert r.status == 303, r.text[:2000]
    shop = Client(stack.port, f'{slug}.localhost')
    text = shop.get('/p/mug').text
    assert 'alt="A mug with &lt;blue&gt; stripes"' in text
    assert 'alt="Striped mug"' in text
    r = admin.post(f'/admin/products/{pid}/images/{c}/alt',
                   {'csrf': csrf, 'alt_en': 'x' * 301})
    assert r.status == 422
    # Delete: the row and its three files go; the next is the main.
    gone = _rows(stack, tid, pid)[0]
    r = admin.post(f'/admin/products/{pid}/images/{c}/delete',
                   {'csrf': csrf})
    assert r.status == 303
    assert [row[0] for row in _rows(stack, tid, pid)] == [b, a]
    for p in gone[1:4]:
        assert not os.path.exists(os.path.join(stack.media_dir, p)), p
    main = stack.query(f"SELECT image FROM s{tid}_products "
                       f"WHERE id = {pid}")[0][0]
    assert main == _rows(stack, tid, pid)[0][2]
    assert admin.post(f'/admin/products/{pid}/images/{c}/delete',
                      {'csrf': csrf}).status == 404
    # No CSRF token: refused.
    assert admin.post(f'/admin/products/{pid}/images/{a}/delete',
                      {}).status == 403
    # Deleting the product deletes its images' files too.
    left = _rows(stack, tid, pid)
    r = admin.post(f'/admin/products/{pid}/delete', {'csrf': csrf})
    assert r.status == 303, r.status
    assert not _rows(stack, tid, pid)
    for row in left:
        for p in row[1:4]:
            assert not os.path.exists(os.path.join(stack.media_dir, p)), p


def test_images_another_shop_cannot_touch(stack):
    slug, tid, admin, pid = _shop(stack, 'img-own')
    assert upload(admin, pid, [('a.png', png(40, 40))]).status == 303
    img = _rows(stack, tid, pid)[0][0]
    _, tid2, other, pid2 = _shop(stack, 'img-oth')
    csrf = other.get(f'/admin/products/{pid2}').csrf()
    for action in ('up', 'down', 'delete', 'alt'):
        for p in (pid, pid2):
            r = other.post(f'/admin/products/{p}/images/{img}/{action}',
                           {'csrf': csrf, 'alt_en': 'pwned'})
            assert r.status == 404, (action, p, r.status)
    assert len(_rows(stack, tid, pid)) == 1
    assert 'pwned' not in stack.query(
        f"SELECT alt FROM s{tid}_images WHERE id = {img}")[0][0]
    # Another shop's session is no session here.
    r = other.request('POST', f'/admin/products/{pid}/images/{img}/delete',
                      host=f'{slug}.localhost')
    assert r.status in (303, 403), r.status
    assert len(_rows(stack, tid, pid)) == 1
