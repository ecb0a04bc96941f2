"""A browser-like HTTP client for souk's whole-stack tests.

It talks to nginx on 127.0.0.1 with the Host header a browser would send
(shop.localhost, localhost), keeps cookies per host like a browser,
follows no redirects by itself (tests check them), and reads the CSRF
token out of the page's forms the way a browser would submit it.
Standard library only.
"""
import email
import email.policy
import http.client
import os
import re
import urllib.parse
import uuid

from wait import wait_until

CSRF_RE = re.compile(r'name="csrf" value="([0-9a-f]{32})"')


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # list of (name, value)
        self.body = body                # bytes

    @property
    def text(self):
        return self.body.decode('utf-8', 'replace')

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def csrf(self):
        m = CSRF_RE.search(self.text)
        assert m, 'no csrf token in the page:\n' + self.text[:2000]
        return m.group(1)

    def __repr__(self):
        return f'<Response {self.status} {len(self.body)} bytes>'


class Client:
    """One browser: a cookie jar per host."""

    def __init__(self, port, host='localhost', timeout=30):
        self.port = port
        self.host = host
        self.timeout = timeout
        self.jars = {}

    def for_host(self, host):
        c = Client(self.port, host, self.timeout)
        c.jars = self.jars
        return c

    def _cookie_header(self, host):
        jar = self.jars.get(host, {})
        return '; '.join(f'{k}={v}' for k, v in jar.items())

    def _store_cookies(self, host, headers):
        jar = self.jars.setdefault(host, {})
        for k, v in headers:
            if k.lower() != 'set-cookie':
                continue
            pair = v.split(';', 1)[0]
            name, _, value = pair.partition('=')
            if re.search(r'(?i)max-age=0\b', v) or value == '':
                jar.pop(name.strip(), None)
            else:
                jar[name.strip()] = value.strip()

    def request(self, method, path, body=None, headers=None, host=None,
                raw_cookies=None):
        host = host or self.host
        conn = http.client.HTTPConnection('127.0.0.1', self.port,
                                          timeout=self.timeout)
        h = {'Host': f'{host}:{self.port}' if ':' not in host else host}
        cookies = raw_cookies if raw_cookies is not None \
            else self._cookie_header(host)
        if cookies:
            h['Cookie'] = cookies
        if headers:
            h.update(headers)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
            resp = Response(r.status, r.getheaders(), data)
        finally:
            conn.close()
        self._store_cookies(host, resp.headers)
        return resp

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def post(self, path, fields, **kw):
        body = urllib.parse.urlencode(fields, doseq=True)
        headers = kw.pop('headers', {}) or {}
        headers['Content-Type'] = 'application/x-www-form-urlencoded'
        return self.request('POST', path, body=body, headers=headers, **kw)

    def post_multipart(self, path, fields, files, **kw):
        """files: {name: (filename, content_type, bytes)}"""
        boundary = 'souk' + uuid.uuid4().hex
        out = []
        for k, v in fields.items():
            out.append(f'--{boundary}\r\nContent-Disposition: form-data; '
                       f'name="{k}"\r\n\r\n{v}\r\n'.encode())
        for k, (fn, ct, data) in files.items():
            out.append(f'--{boundary}\r\nContent-Disposition: form-data; '
                       f'name="{k}"; filename="{fn}"\r\nContent-Type: {ct}'
                       f'\r\n\r\n'.encode() + data + b'\r\n')
        out.append(f'--{boundary}--\r\n'.encode())
        headers = {'Content-Type':
                   f'multipart/form-data; boundary={boundary}'}
        return self.request('POST', path, body=b''.join(out),
                            headers=headers, **kw)

    def submit(self, page_path, action, fields, **kw):
        """GET a page, then POST its form with the page's CSRF token."""
        page = self.get(page_path)
        assert page.status == 200, f'GET {page_path}: {page.status}'
        f = dict(fields)
        f['csrf'] = page.csrf()
        return self.post(action, f, **kw)


def mailbox(maildir=None):
    """Every message the SMTP stand-in (tests/smtp_server.py) stored, as
    (file name, email.message.EmailMessage), oldest first."""
    maildir = maildir or os.environ['SOUK_TEST_MAILDIR']
    try:
        names = sorted(n for n in os.listdir(maildir) if n.endswith('.eml'))
    except FileNotFoundError:
        return []
    out = []
    for n in names:
        with open(os.path.join(maildir, n), 'rb') as f:
            out.append((n, email.message_from_binary_file(
                f, policy=email.policy.default)))
    return out


def wait_mail(to, seen=(), timeout=20, maildir=None):
    """The first message to address to whose file is not in seen,
    polled for (tests/wait.py) until timeout seconds have passed."""
    def first():
        for name, msg in mailbox(maildir):
            if name not in seen and msg['To'] == to:
                return name, msg
        return None
    return wait_until(first, timeout, f'a mail to {to}')


def mail_names(maildir=None):
    """The names of the messages stored so far (for wait_mail's seen)."""
    return {n for n, _ in mailbox(maildir)}


LINK_RE = re.compile(r'https?://\S+/signup/confirm/[0-9a-f]{64}')


def confirm_link(msg):
    """The sign-up link in a confirmation mail, made relative."""
    m = LINK_RE.search(msg.get_content())
    assert m, 'no sign-up link in:\n' + msg.get_content()
    return urllib.parse.urlsplit(m.group(0)).path


def signup(port, slug, email, password='correct horse battery',
           name=None, locale='en', currency='EUR'):
    """Signs up a new account with its shop through the web form, opens
    the link mailed to email (tests/smtp_server.py) and confirms it;
    returns the logged-in platform client."""
    c = Client(port, 'localhost')
    seen = mail_names()
    r = c.submit('/', '/signup', {
        'name': name or slug.title(), 'slug': slug, 'email': email,
        'password': password, 'locale': locale, 'currency': currency})
    assert r.status == 200 and 'We sent a link to' in r.text, \
        f'sign-up {slug}: {r.status}\n{r.text[:3000]}'
    _, msg = wait_mail(email.lower(), seen)
    link = confirm_link(msg)
    r = c.submit(link, link, {})
    assert r.status == 303, f'confirm {slug}: {r.status}\n{r.text[:3000]}'
    return c


def admin_login(port, slug, email, password='correct horse battery'):
    """A client logged in to the admin of shop slug."""
    c = Client(port, f'{slug}.localhost')
    r = c.submit('/admin/login', '/admin/login',
                 {'email': email, 'password': password})
    assert r.status == 303, f'admin login {slug}: {r.status}\n{r.text[:2000]}'
    return c


def edit_product(admin, pid, changes, drop=()):
    """Posts product pid's admin form as it is, with changes (and
    without the fields in drop: an unticked checkbox is not sent)."""
    form = admin.get(f'/admin/products/{pid}')
    assert form.status == 200, form
    f = dict(re.findall(r'<input name="([a-z_]+)" value="([^"]*)"',
                        form.text))
    f.update(changes)
    for k in drop:
        f.pop(k, None)
    f['csrf'] = form.csrf()
    r = admin.post(f'/admin/products/{pid}', f)
    assert r.status == 303, (r.status, r.text[:2000])
    return r


def create_product(admin, fields):
    """Creates a product through the admin form; returns its id."""
    page = admin.get('/admin/products/new')
    assert page.status == 200, page
    f = {'price': '1.00', 'stock': '1', 'active': '1'}
    f.update(fields)
    f['csrf'] = page.csrf()
    r = admin.post('/admin/products', f)
    assert r.status == 303, f'create product: {r.status}\n{r.text[:3000]}'
    m = re.search(r'/admin/products/(\d+)', r.header('Location') or '')
    assert m, r.header('Location')
    return int(m.group(1))
