"""Text contrast (issue 8, defect 17): every text colour of the default
theme's stylesheet reaches 4.5:1 (WCAG 2.1 AA, 1.4.3) on its background,
and a shop's own colours, whatever the merchant picks, are served in a
form that does too (core/color.h)."""
import os
import re

from souk_client import Client, admin_login

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CSS = os.path.join(REPO, 'themes', 'default', 'static', 'style.css')
RATIO = 4.5
PAGE_BG = '#f6f8fa'      # --bg: the darkest light background


def _rgb(h):
    h = h.lstrip('#')
    if len(h) == 3:
        h = ''.join(c * 2 for c in h)
    return [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]


def _lum(h):
    def f(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (f(c) for c in _rgb(h))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((_lum(a), _lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rules(css):
    """(selector, {property: value}) of every rule, @media ones too."""
    css = re.sub(r'/\*.*?\*/', '', css, flags=re.S)
    for m in re.finditer(r'([^{}]+)\{([^{}]*)\}', css):
        sel = ' '.join(m.group(1).split())
        decls = {}
        for d in m.group(2).split(';'):
            if ':' in d:
                k, v = d.split(':', 1)
                decls[k.strip()] = ' '.join(v.split())
        yield sel, decls


def _colours(value, root):
    """The solid colours a color/background value names (var() resolved;
    a gradient gives each of its colours; rgba() shadows are none)."""
    value = re.sub(r'var\((--[a-z-]+)\)', lambda m: root[m.group(1)], value)
    return re.findall(r'#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b', value)


# Rules that set a text colour but no background, drawn over something
# other than the page: the dark admin bar.
DARK_BAR = ('.adminbar', '.adminnav', 'form.logout')


def _pairs():
    with open(CSS) as f:
        css = f.read()
    rules = list(_rules(css))
    root = {k: v for sel, d in rules if sel == ':root'
            for k, v in d.items() if k.startswith('--')}
    ink = root['--ink']
    bar = next(_colours(d['background'], root)[0] for sel, d in rules
               if sel == '.adminbar')
    page = _colours('var(--bg) var(--card)', root)
    for sel, d in rules:
        if 'content' in d:              # decoration (header's colour bar)
            continue
        bg = d.get('background', d.get('background-color'))
        fg = d.get('color')
        fgs = _colours(fg, root) if fg else []
        bgs = _colours(bg, root) if bg else []
        if fg and not fgs:
            continue                    # inherit, currentColor
        if fgs and not bgs:
            bgs = [bar] if any(s in sel for s in DARK_BAR) else page
        if bgs and not fgs:             # the text inherits --ink
            if 'img' in sel or any(s in sel for s in DARK_BAR):
                continue
            fgs = [ink]
        for a in fgs:
            for b in bgs:
                yield sel, a, b


def test_stylesheet_text_reaches_aa(stack):
    pairs = list(_pairs())
    assert len(pairs) > 40, pairs
    low = [(sel, a, b, round(contrast(a, b), 2)) for sel, a, b in pairs
           if contrast(a, b) < RATIO]
    assert not low, '\n'.join(f'{s}: {a} on {b} is {r}:1' for s, a, b, r
                              in low)
    # The pair of the report: links on the page background.
    assert any(s == 'a' for s, _a, _b in pairs)


def test_shop_colours_are_served_readable(stack):
    """A merchant's yellow and white: the page gets darker forms that
    read on the page background and under white text; a readable
    colour is kept as it is."""
    slug = stack.unique('colour')
    email = f'{slug}@x.test'
    stack.create_shop(slug, locale='en', currency='EUR', owner_email=email)
    admin = admin_login(stack.port, slug, email)
    for primary, accent in (('#f2c14e', '#ffffff'), ('#8a4b08', '#ffff00')):
        r = admin.submit('/admin/settings', '/admin/settings', {
            'name': 'Colour Shop', 'color_primary': primary,
            'color_accent': accent, 'locales': ['en'],
            'default_locale': 'en', 'currency': 'EUR'})
        assert r.status == 303, r.text[:2000]
        # The admin form shows what the merchant chose.
        page = admin.get('/admin/settings')
        assert f'value="{primary}"' in page.text
        home = Client(stack.port, f'{slug}.localhost').get(
            f'/?c={stack.unique("c")}')
        m = re.search(r'--primary:(#[0-9a-f]{6});--accent:(#[0-9a-f]{6})',
                      home.text)
        assert m, home.text[:1500]
        for chosen, served in zip((primary, accent), m.groups()):
            assert contrast(served, PAGE_BG) >= RATIO, (chosen, served)
            assert contrast(served, '#ffffff') >= RATIO, (chosen, served)
            if contrast(chosen, PAGE_BG) >= RATIO:
                assert served == chosen, (chosen, served)
