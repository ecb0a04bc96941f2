"""Concurrent shoppers for the resilience tests: threads that request
pages through nginx until told to stop, recording each answer's status
and when it came."""
import threading
import time

from souk_client import Client
from wait import WAIT_S, wait_until

# These tests are about the pool, not nginx's microcache: a cookie the
# cache bypass matches (souk does not read it) sends every request on.
NO_CACHE = 'souk_cart=test-nocache'


class Load:
    def __init__(self, port, host, paths, threads=8):
        self.port, self.host, self.paths = port, host, paths
        # (started, answered, status); status 0 = no answer
        self.results = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,),
                                         daemon=True)
                        for i in range(threads)]

    def _run(self, i):
        c = Client(self.port, self.host, timeout=15)
        c.jars[self.host] = dict([NO_CACHE.split('=', 1)])
        n = i
        while not self.stopping.is_set():
            # "{n}" in a path: a number no other request of the load
            # had (a page no cache of souk's can have kept).
            path = self.paths[n % len(self.paths)].replace(
                '{n}', str(n * len(self.threads) + i))
            n += 1
            started = time.monotonic()
            try:
                status = c.get(path).status
            except OSError:
                status = 0
            with self.lock:
                self.results.append((started, time.monotonic(), status))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for t in self.threads:
            t.join(30)

    def wait(self, seconds):
        """Lets the load run for seconds. Only for a window of a fixed
        length; to await answers use wait_answers(), which polls."""
        time.sleep(seconds)

    def wait_answers(self, n, since=0.0, by='answered', timeout=WAIT_S):
        """Waits until n requests answered (or, by='started', sent) since
        since have their answer; a failed check after timeout. Use it
        where a test needs load before or after an event: the number of
        answers does not depend on how busy the machine is."""
        wait_until(lambda: len(self.statuses(since, by=by)) >= n, timeout,
                   f'{n} answers under load since {since:.1f}')

    def statuses(self, since=0.0, until=float('inf'), by='answered'):
        """Statuses of the requests answered (or, by='started', sent)
        between since and until."""
        k = 0 if by == 'started' else 1
        with self.lock:
            return [r[2] for r in self.results if since <= r[k] < until]


def product_shop(stack, prefix):
    """A shop with a product, for the load: (host, [paths])."""
    from souk_client import signup, admin_login, create_product
    slug = stack.unique(prefix)
    email = f'{slug}@x.test'
    signup(stack.port, slug, email)
    admin = admin_login(stack.port, slug, email)
    create_product(admin, {'name_en': 'Loaf', 'slug': 'loaf',
                           'price': '3.10', 'stock': '9'})
    return f'{slug}.localhost', ['/p/loaf', '/', '/search?q=loaf']
