"""What the import-* whole-stack tests share: a shop to import into,
`soukctl shop import` run with or without fetch_allow_private, its
report parsed, and the shop's counts."""
import csv
import io
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

from image_server import ImageServer  # noqa: E402,F401 (re-exported)


def new_shop(stack, prefix, currency='EUR'):
    """A fresh shop; (slug, table prefix)."""
    slug = stack.unique(prefix)
    stack.create_shop(slug, slug.title(), f'owner@{slug}.example',
                      'correct horse battery', 'en', currency)
    tid = stack.query(f"SELECT id FROM souk_tenants WHERE slug = '{slug}'"
                      )[0][0]
    return slug, f's{tid}_'


def write_csv(path, header, rows, encoding='utf-8'):
    """rows: lists of cells, or dicts by column name."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\r\n')
    w.writerow(header)
    for r in rows:
        if isinstance(r, dict):
            r = [r.get(h, '') for h in header]
        w.writerow(r)
    with open(path, 'wb') as f:
        f.write(buf.getvalue().encode(encoding))
    return path


def conf_with(stack, **extra):
    """A copy of the stack's souk.conf with extra keys (the test's own:
    the pool keeps its configuration)."""
    path = os.path.join(stack.dir, 'import-' + '-'.join(
        f'{k}{v}' for k, v in sorted(extra.items())) + '.conf')
    with open(stack.conf_path) as f:
        text = f.read()
    with open(path, 'w') as f:
        f.write(text)
        for k, v in extra.items():
            f.write(f'{k} = {v}\n')
    os.chmod(path, 0o600)
    return path


class Report:
    def __init__(self, proc):
        self.status = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.counts = {}
        for what in ('products', 'variants'):
            m = re.search(rf'^{what} new (\d+), updated (\d+), same (\d+)$',
                          self.out, re.M)
            if m:
                self.counts[what] = tuple(int(x) for x in m.groups())
        for pat, key in ((r'^rows (\d+), refused (\d+)$', 'rows'),
                         (r'^images new (\d+), failed (\d+)$', 'images')):
            m = re.search(pat, self.out, re.M)
            if m:
                self.counts[key] = tuple(int(x) for x in m.groups())
        m = re.search(r'^categories new (\d+)$', self.out, re.M)
        if m:
            self.counts['categories'] = int(m.group(1))
        self.lines = re.findall(r'^line (\d+): (.*)$', self.out, re.M)

    def line(self, n):
        """The messages about line n."""
        return [msg for ln, msg in self.lines if int(ln) == n]

    def __repr__(self):
        return (f'<import status {self.status}\n{self.out}\n'
                f'stderr: {self.err[-2000:]}>')


def soukctl_import(stack, slug, path, dry=False, allow_private=False,
                   timeout=120):
    """Runs soukctl shop import; the Report."""
    conf = conf_with(stack, fetch_allow_private=1) if allow_private \
        else stack.conf_path
    argv = [os.path.join(stack.bin, 'soukctl'), '--config', conf, 'shop',
            'import', slug, path] + (['--dry-run'] if dry else [])
    p = subprocess.run(argv, capture_output=True, text=True,
                       env=stack.env(), timeout=timeout)
    with open(os.path.join(stack.logs, 'soukctl.log'), 'a') as log:
        log.write(f'$ {" ".join(argv)}\n{p.stdout}{p.stderr}')
    return Report(p)


def catalog_counts(stack, p):
    """(products, variants, images, categories) of a shop."""
    return tuple(int(stack.query(f"SELECT COUNT(*) FROM {p}{t}")[0][0])
                 for t in ('products', 'variants', 'images', 'categories'))


def bust_cache(stack, slug):
    """The storefront's cached pages of slug are stale from now."""
    stack.query("UPDATE souk_tenants SET updated_at = NOW() + INTERVAL 1 "
                f"SECOND WHERE slug = '{slug}'")
