"""Heartbeats for long work, so that a job whose worker died never blocks the next.

While a task runs, a thread of the worker writes the time into the shared cache
every JOB_HEARTBEAT_SECONDS. A job that claims to be running with no heartbeat
for JOB_STALE_SECONDS lost its worker (killed, out of memory, machine restarted):
the page that shows it, and the next request for the same work, recover it.
"""

import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

_TTL = 24 * 3600


def _key(job: str) -> str:
    return f"heartbeat:{job}"


def beat(job: str) -> None:
    cache.set(_key(job), time.time(), _TTL)


def is_stale(job: str) -> bool:
    """True when the job's worker has not been heard from for JOB_STALE_SECONDS."""
    last = cache.get(_key(job))
    return last is None or time.time() - last > settings.JOB_STALE_SECONDS


@contextmanager
def heartbeat(job: str):
    """Beat now and then every few seconds until the block ends (or the process dies)."""
    beat(job)
    stop = threading.Event()

    def run():
        while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
            beat(job)

    thread = threading.Thread(target=run, name=f"heartbeat-{job}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        cache.delete(_key(job))
