"""Progress of long work, shared between the worker and the page through the cache.

The worker may be inside a transaction that nobody else can see yet, so progress
cannot live in the database rows being written.
"""

from django.core.cache import cache

_TTL = 24 * 3600


def _key(job: str) -> str:
    return f"progress:{job}"


def progress_set(job: str, *, done: int, total: int, stage: str = "") -> None:
    cache.set(_key(job), {"done": done, "total": total, "stage": stage}, _TTL)


def progress_get(job: str) -> dict:
    data = cache.get(_key(job)) or {"done": 0, "total": 0, "stage": ""}
    data["percent"] = int(100 * data["done"] / data["total"]) if data["total"] else 0
    return data


class Reporter:
    """Calls progress_set at most every `every` steps, and mirrors to a tqdm bar if given."""

    def __init__(self, job: str, total: int, stage: str = "", every: int = 200, bar=None):
        self.job, self.total, self.stage, self.every, self.bar = job, total, stage, every, bar
        self.done = 0
        if job:  # no job: a terminal run, the bar is enough
            progress_set(job, done=0, total=total, stage=stage)

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        if self.job and (self.done % self.every < n or self.done >= self.total):
            progress_set(self.job, done=self.done, total=self.total, stage=self.stage)
