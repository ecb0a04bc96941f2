"""Two VMs on one database (README "Several VMs"): beside the stack's pool
and nginx (VM A) a second pool and nginx (VM B) with their own socket,
shared memory and usage counters, on the stack's MariaDB, secret key and
shared path (media_dir, upload_dir); souk-worker runs on A only. What
must hold across VMs holds: the login lock-out counts the failures of
both, a session made on one serves and ends on the other, and a CSV
uploaded on B is imported by the worker on A."""
import os
import re
import time

from souk_client import Client, admin_login
from stack import Stack

PW = 'correct horse battery'
CSV = ('ID,Type,SKU,Name,Published,Description,Regular price,Sale price,'
       'Categories,Stock\n'
       '1,simple,VM-1,Twin kettle,1,A kettle.,19.90,,Home,5\n').encode()


class VMB:
    """The second VM: a Stack object for its own files, pool and nginx,
    on the stack's database and shared files. Never start()ed or
    stop()ped whole: that would start or stop the shared MariaDB."""

    def __init__(self, stack):
        self.vm = Stack(stack.bin, os.path.join(stack.dir, 'vm-b'),
                        workers=2, conf={
                            'media_dir': stack.media_dir,
                            'upload_dir': stack.upload_dir,
                            'secret_key_file': stack.secret_key_file})
        self.vm.db = stack.db
        self.vm.media_dir = stack.media_dir      # nginx serves it
        self.vm.upload_dir = stack.upload_dir

    def __enter__(self):
        v = self.vm
        for d in (v.dir, v.logs, v.nginx_dir,
                  os.path.dirname(v.meter_socket)):
            os.makedirs(d, exist_ok=True)
        v.write_conf()
        try:
            v.start_pool()
            v.start_nginx()
        except BaseException:
            self.__exit__()
            raise
        return v

    def __exit__(self, *exc):
        self.vm.stop_nginx()
        self.vm.stop_pool()


def _shop(stack, prefix):
    slug = stack.unique(prefix)
    email = f'{slug}@vms.test'
    stack.create_shop(slug, owner_email=email)
    tid = int(stack.query("SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    return slug, email, tid


def _login(port, slug, email, password):
    c = Client(port, f'{slug}.localhost')
    return c.submit('/admin/login', '/admin/login',
                    {'email': email, 'password': password})


def test_lockout_and_sessions_hold_across_vms(stack):
    slug, email, _ = _shop(stack, 'vmlock')
    other, oemail, _ = _shop(stack, 'vmsess')
    with VMB(stack) as b:
        # Five failures, alternating between the VMs: the sixth try is
        # refused on both, the right password too.
        for i in range(5):
            port = stack.port if i % 2 == 0 else b.port
            r = _login(port, slug, email, 'wrong password')
            assert r.status == 401, (i, r.status)
        assert _login(b.port, slug, email, PW).status == 429
        assert _login(stack.port, slug, email, PW).status == 429

        # A session made on A serves on B; logging out on B ends it on A.
        a = admin_login(stack.port, other, oemail)
        on_b = Client(b.port, f'{other}.localhost')
        on_b.jars = a.jars
        assert on_b.get('/admin').status == 200
        page = on_b.get('/admin')
        r = on_b.post('/admin/logout', {'csrf': page.csrf()})
        assert r.status == 303, r.status
        r = a.get('/admin')
        assert r.status in (302, 303) and '/admin/login' in \
            (r.header('Location') or ''), (r.status, r.header('Location'))


def test_upload_on_one_vm_imported_by_the_worker_on_another(stack):
    slug, email, tid = _shop(stack, 'vmimp')
    with VMB(stack) as b:
        admin = admin_login(b.port, slug, email)
        csrf = admin.get('/admin/import').csrf()
        r = admin.post_multipart('/admin/import', {'csrf': csrf},
                                 {'file': ('kettle.csv', 'text/csv', CSV)})
        assert r.status == 303, (r.status, r.text[:2000])
        iid = int(re.fullmatch(r'/admin/import/(\d+)',
                               r.header('Location')).group(1))
        path = f'/admin/import/{iid}'

        def state():
            return stack.query(f"SELECT state FROM s{tid}_imports "
                               f"WHERE id = {iid}")[0][0]

        def wait(want):
            end = time.time() + 60
            while time.time() < end and state() not in want:
                time.sleep(0.2)
            return state()

        # souk-worker runs on A only: it read the file B wrote.
        assert wait(('previewed', 'failed')) == 'previewed', \
            admin.get(path).text[:3000]
        r = admin.post(path + '/start', {'csrf': admin.get(path).csrf()})
        assert r.status == 303, r.status
        assert wait(('done', 'failed')) == 'done'
        for port in (stack.port, b.port):
            page = Client(port, f'{slug}.localhost').get('/search?q=kettle')
            assert 'Twin kettle' in page.text, (port, page.text[:2000])
