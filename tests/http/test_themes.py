"""Themes (platform/theme.h): two shipped themes that differ in layout,
picked on the admin's Theme page; the shop's own CSS, checked (no url(),
@import, '<', backslash; 20,000 characters) and served from its media;
a theme installed by the operator from a folder (soukctl theme install),
with everything that could run or escape refused. The browser part
shoots both themes and the invitation flow into build/screenshots/themes/."""
import os
import re
import subprocess
import tempfile

from souk_client import Client, mail_names, wait_mail
from wc_setup import shop

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _shopper(stack, slug):
    c = Client(stack.port, f'{slug}.localhost')
    c.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}   # past the microcache
    return c


def _save(admin, theme, css=''):
    return admin.submit('/admin/theme', '/admin/theme',
                        {'theme': theme, 'css': css})


def test_themes_pick_and_custom_css(stack):
    admin, tid, slug = shop(stack, 'thm')
    page = admin.get('/admin/theme')
    assert page.status == 200
    assert 'value="default"' in page.text and 'value="atelier"' in page.text
    c = _shopper(stack, slug)
    assert 'class="site"' in c.get('/').text
    r = _save(admin, 'atelier')
    assert r.status == 303, r.text[:2000]
    home = c.get('/').text
    assert '<body class="atelier">' in home
    assert '/static/atelier/atelier.css' in home
    css = c.get('/static/atelier/atelier.css')
    assert css.status == 200 and 'text/css' in css.header('Content-Type')
    # The shop's own CSS: kept in its media, linked after the theme's.
    r = _save(admin, 'atelier', '.card h3 { color: #123456; } /* 茶 */')
    assert r.status == 303
    home = c.get('/').text
    m = re.search(r'href="/media/(s\d+/[0-9a-f]+\.css)"', home)
    assert m, home[:2000]
    assert home.index('atelier.css') < home.index(m.group(1))
    got = c.get('/media/' + m.group(1))
    assert got.status == 200 and '#123456' in got.text
    assert 'text/css' in got.header('Content-Type')
    page = admin.get('/admin/theme')
    assert '#123456' in page.text
    # Refused, with the reason; nothing changes.
    for bad, why in (
            ('a { background: url(https://evil.example/x.png) }',
             'may not load anything'),
            ('a { background: U R L (x) }', 'may not load anything'),
            ('@import "x.css";', 'may not load anything'),
            ('@font-face { font-family: x }', 'may not load anything'),
            ('a { b: c } </style><script>', 'may not contain &lt;'),
            ('a { content: "\\75 rl(" }', 'backslash'),
            ('a{}' + 'x' * 20001, 'at most 20,000 characters'),
            ('a {}', None)):
        r = _save(admin, 'atelier', bad)
        if why is None:
            assert r.status == 303
            continue
        assert r.status == 422, (bad[:40], r.status)
        assert why in r.text, (bad[:40], r.text[:2000])
    # 20,000 Japanese characters are 20,000 characters.
    r = _save(admin, 'atelier', '/* ' + '茶' * 19990 + ' */')
    assert r.status == 303
    # Back to the default theme, no CSS: the old sheet is gone.
    old = stack.query(f"SELECT custom_css FROM souk_tenants WHERE id = "
                      f"{tid}")[0][0]
    r = _save(admin, 'default', '')
    assert r.status == 303
    assert not os.path.exists(os.path.join(stack.media_dir, old))
    home = c.get('/').text
    assert 'class="site"' in home and '.css"' not in home.split(
        'style.css')[1][:200]
    r = _save(admin, 'no-such-theme')
    assert r.status == 422
    # The audit has the theme and the sheet.
    acts = [a[0] for a in stack.query(
        f"SELECT action FROM souk_audit WHERE tenant_id = {tid} AND action "
        "IN ('shop.theme', 'shop.css') ORDER BY id")]
    assert acts[:2] == ['shop.theme', 'shop.css'], acts


def _theme_dir(files):
    d = tempfile.mkdtemp(prefix='souk-theme-')
    for path, data in files.items():
        full = os.path.join(d, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as f:
            f.write(data if isinstance(data, bytes) else data.encode())
    return d


def test_themes_installed_from_a_folder(stack):
    good = {
        'templates/home.html': '{{> partials/head}}<h1 class="corner">'
        '{{shop.name}}: {{_ Featured products}}</h1>{{> partials/foot}}',
        'static/corner.css': 'h1.corner { color: teal }',
        'README.md': 'A theme.',
    }
    d = _theme_dir(good)
    p = stack.soukctl('theme', 'install', d, '--name', 'corner')
    assert p.returncode == 0, p.stderr
    assert 'corner' in stack.soukctl('theme', 'list').stdout.split()
    admin, tid, slug = shop(stack, 'thi')
    assert _save(admin, 'corner').status == 303
    c = _shopper(stack, slug)
    home = c.get('/')
    assert home.status == 200 and 'class="corner"' in home.text
    # The rest of the pages are the default theme's.
    assert c.get('/cart').status == 200
    assert c.get('/static/corner/corner.css').text.startswith('h1.corner')
    # Refused: what could run or escape, and what does not parse.
    for files, why in (
            ({**good, 'static/app.js': 'alert(1)'}, 'static files'),
            ({**good, 'static/logo.svg': '<svg/>'}, 'static files'),
            ({**good, 'templates/x.php': '<?php ?>'}, 'templates'),
            ({**good, 'bin/run.sh': 'rm -rf /'}, 'templates/ and static/'),
            ({'templates/home.html': '{{#open}}never closed'}, 'home'),
            ({'templates/home.html': '{{> partials/nothing}}'}, 'nothing'),
            ({'static/x.css': 'a{}'}, 'no templates folder')):
        d = _theme_dir(files)
        p = stack.soukctl('theme', 'install', d, '--name', 'broken',
                          check=False)
        assert p.returncode == 1, (files.keys(), p.stderr)
        assert why in p.stderr, (why, p.stderr)
    d = _theme_dir(good)
    os.symlink('/etc/passwd', os.path.join(d, 'static', 'passwd.css'))
    p = stack.soukctl('theme', 'install', d, '--name', 'broken',
                      check=False)
    assert p.returncode == 1 and 'links are refused' in p.stderr
    p = stack.soukctl('theme', 'install', _theme_dir(good), '--name',
                      'default', check=False)
    assert p.returncode == 1
    assert 'broken' not in stack.soukctl('theme', 'list').stdout.split()


def test_themes_and_invitation_in_a_browser(stack):
    if not os.path.isdir(os.path.join(REPO, 'tests', 'browser',
                                      'node_modules', 'playwright-core')):
        raise stack.Skip('playwright-core is not installed')
    admin, tid, slug = shop(stack, 'thb')
    stack.soukctl('demo', 'load', '--slug', slug, '--kind', 'tea')
    email = f'newclerk-{slug}@team.test'
    seen = mail_names()
    r = admin.submit('/admin/staff', '/admin/staff/invite',
                     {'email': email, 'role': 'clerk'})
    assert r.status == 303
    _, msg = wait_mail(email, seen)
    link = re.search(r'(http://\S+/admin/invite/[0-9a-f]{64})',
                     msg.get_body(('plain',)).get_content()).group(1)
    out = os.path.join(REPO, 'build', 'screenshots', 'themes')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'themes_shots.mjs'),
         out, f'http://{slug}.localhost:{stack.port}',
         f'{slug}@api.test:correct horse battery', link],
        cwd=os.path.join(REPO, 'tests', 'browser'), capture_output=True,
        text=True, timeout=170)
    assert r.returncode == 0 and 'themes-shots: ok' in r.stdout, \
        r.stdout + r.stderr
    for theme in ('default', 'atelier'):
        for page, width in (('home', 1280), ('home', 390),
                            ('category', 1280), ('product', 1280),
                            ('product', 390)):
            assert os.path.getsize(os.path.join(
                out, f'{theme}-{page}-{width}.png')) > 5000
    assert stack.query(f"SELECT role FROM s{tid}_staff WHERE email = "
                       f"'{email}'") == [['clerk']]
