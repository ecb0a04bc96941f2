"""MariaDB's max_prepared_stmt_count reached (every pool's statement
caches together, README "Sizing MariaDB for 10,000 shops"): a worker
closes the older half of its own statements and prepares the new one
again, so pages keep being served, and says so once in the log."""
import re

from souk_client import Client, signup, admin_login, create_product

PAGES = ('/', '/p/{p}', '/search?q=kettle', '/cart', '/c/none')


def _shop(stack, name):
    slug = stack.unique(name)
    email = f'{slug}@x.test'
    signup(stack.port, slug, email, locale='en', currency='EUR')
    admin = admin_login(stack.port, slug, email)
    create_product(admin, {'name_en': 'Copper kettle', 'slug': 'kettle',
                           'price': '20.00', 'stock': '4', 'active': '1'})
    c = Client(stack.port, f'{slug}.localhost')
    c.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}     # past nginx
    return c


def _status(stack, name):
    return int(stack.query(f"SHOW GLOBAL STATUS LIKE '{name}'")[0][1])


def test_a_full_statement_limit_costs_speed_not_pages(stack):
    a = _shop(stack, 'stmta')
    b = _shop(stack, 'stmtb')
    # Every worker holds statements of a's pages.
    for _ in range(10):
        for path in PAGES:
            r = a.get(path.format(p='kettle'))
            assert r.status in (200, 404), (path, r.status)
    old = int(stack.query("SELECT @@max_prepared_stmt_count")[0][0])
    marks = stack.log_marks()
    try:
        # Full now: b's statements (another prefix) are new to all.
        stack.query("SET GLOBAL max_prepared_stmt_count = "
                    f"{_status(stack, 'Prepared_stmt_count')}")
        for _ in range(3):
            for path in PAGES:
                r = b.get(path.format(p='kettle'))
                assert r.status in (200, 404), (path, r.status,
                                                r.text[:500])
                if path == '/p/{p}':
                    assert 'Copper kettle' in r.text
        assert _status(stack, 'Prepared_stmt_count') <= \
            int(stack.query("SELECT @@max_prepared_stmt_count")[0][0])
    finally:
        stack.query(f"SET GLOBAL max_prepared_stmt_count = {old}")
    log = stack.log_since(marks, lines=400)
    assert re.search(r"max_prepared_stmt_count is reached: closed \d+ "
                     r"of this connection's statements", log), log[-3000:]
    assert 'Internal' not in log and 'level=crit' not in log, log[-3000:]
