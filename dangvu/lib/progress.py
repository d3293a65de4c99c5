"""Progress of long work in steps, reported now and then to whoever listens (a job's row,
dangvu/jobs/runner.py; a terminal bar)."""

from collections.abc import Callable


class Reporter:
    """Calls `report(done, total, stage)` at most every `every` steps, and mirrors to a tqdm bar if given."""

    def __init__(self, report: Callable | None, total: int, stage: str = "", every: int = 200, bar=None):
        self.report, self.total, self.stage, self.every, self.bar = report, total, stage, every, bar
        self.done = 0
        if report is not None:  # none: a terminal run, the bar is enough
            report(0, total, stage)

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        if self.report is not None and (self.done % self.every < n or self.done >= self.total):
            self.report(self.done, self.total, self.stage)
