"""The one way the test harness and the tests wait for another process or
server: a port open, a worker gone or started, a log line written, a job
done, an answer under load.

Poll a condition until a generous deadline; never time.sleep() a fixed
time and then assert. On a loaded machine (make check-stress) any fixed
time is too short; on an idle one it is too long.

A sleep that IS the behaviour under test (waiting out a cache lifetime)
may stay, with a comment saying so."""
import time

# The deadline of a wait for another process, in seconds.
WAIT_S = 10.0


class WaitTimeout(AssertionError):
    """The condition did not hold before the deadline. An AssertionError,
    so in a test it reads as a failed check."""


def wait_until(cond, timeout=WAIT_S, what="the condition", ignore=()):
    """Calls cond() until it returns a true value and returns that value.
    Naps 10 ms between calls, growing to 100 ms. cond is asked once more
    at the deadline; then WaitTimeout names what was awaited. Exceptions
    of the classes in ignore (OSError for a port not open yet) count as
    "not yet"; any other propagates at once (a process that died)."""
    deadline = time.monotonic() + timeout
    nap = 0.01
    while True:
        last = time.monotonic() >= deadline
        try:
            got = cond()
        except ignore:
            got = None
        if got:
            return got
        if last:
            raise WaitTimeout(f"{what}: not after {timeout:g} s")
        time.sleep(min(nap, max(0.0, deadline - time.monotonic())))
        nap = min(nap * 2, 0.1)
