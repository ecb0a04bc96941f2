"""browser-facets: a shopper filters a category in Chromium
(playwright-core, tests/browser/facets.mjs): two facet values ticked and
a price typed in the GET form, the sort and the next page keeping the
filter, the filter cleared. The screenshots (the category page with two
facets selected among them) are kept after the run in
build/screenshots/facets/: look at them."""
import os
import subprocess

import importlib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
facets = importlib.import_module('test_facets')


def test_browser_facets(stack):
    pw = os.path.join(REPO, 'tests', 'browser', 'node_modules',
                      'playwright-core')
    if not os.path.isdir(pw):
        raise stack.Skip('playwright-core is not installed (make deps: '
                         'npm install in tests/browser failed)')
    slug = facets._shop(stack)
    out = os.path.join(REPO, 'build', 'screenshots', 'facets')
    # Size M (12) and Colour Red (22).
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'facets.mjs'),
         f'http://{slug}.localhost:{stack.port}', out, 'shirts', '12',
         '22'],
        cwd=os.path.join(REPO, 'tests', 'browser'), capture_output=True,
        text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    want = len([p for p in facets._expect({12, 22}, 200)])
    assert f'browser-facets: ok {want}' in r.stdout, (r.stdout, want)
    for png in ('category', 'category-facets'):
        path = os.path.join(out, png + '.png')
        assert os.path.getsize(path) > 5000, path
