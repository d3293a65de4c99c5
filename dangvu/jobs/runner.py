"""The one way long work runs: a Job row, claimed by compare-and-swap, run by the task worker
through the handler registered for its kind, its heartbeat and progress kept in the row.

An app registers a handler per kind of work (`register("essays.scan", run, on_lost=…)`),
and asks for work with `enqueue(kind, subject_id)`. The worker runs `run_job`: it claims the
row (queued → running, one worker only), beats from a thread of its own connection every
JOB_HEARTBEAT_SECONDS (so a long transaction of the work never hides it), and records done or
failed. A job whose heartbeat is older than JOB_STALE_SECONDS lost its worker (killed, out of
memory, a restart): `recover_jobs` — run by `dangvu recover_jobs` from cron and by the worker
when it starts, never by a page — queues it again or marks it failed, as its handler says.
Pages only read the row.
"""

import datetime
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.jobs.models import Job

logger = logging.getLogger(__name__)


@dataclass
class Handler:
    run: Callable  # (job, progress) → None; an exception marks the job failed with its message
    on_lost: Callable | None = None  # (job, again: bool) → None: puts its subject right after a lost worker
    retry: bool = True  # a lost run is run again (up to max_attempts) rather than failed
    max_attempts: int = 3


HANDLERS: dict[str, Handler] = {}


def _lost_message() -> str:
    return _("The worker running this stopped (it was killed or the server restarted).")


def register(kind: str, run: Callable, *, on_lost: Callable | None = None, retry: bool = True,
             max_attempts: int = 3) -> None:
    HANDLERS[kind] = Handler(run, on_lost, retry, max_attempts)


def enqueue(kind: str, subject_id: int, *, user=None, after: float = 0) -> Job:
    """A job for the worker, queued when the caller's transaction commits (to start `after`
    seconds later)."""
    if kind not in HANDLERS:
        raise KeyError(kind)
    job = Job.objects.create(kind=kind, subject_id=subject_id,
                             started_by=user if user is not None and user.is_authenticated else None)
    task = run_job.using(run_after=timezone.now() + datetime.timedelta(seconds=after)) if after else run_job
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def latest(kinds: str | list[str], subject_id: int) -> Job | None:
    """The last job of these kinds on this subject (what a page shows)."""
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return Job.objects.filter(kind__in=kinds, subject_id=subject_id).order_by("-created", "-id").first()


def progress_of(job: Job | None) -> dict:
    """What a progress bar shows: done, total, percent and stage."""
    if job is None:
        return {"done": 0, "total": 0, "percent": 0, "stage": ""}
    return {"done": job.done, "total": job.total, "percent": job.percent, "stage": job.stage}


def active(kind: str, subject_id: int) -> Job | None:
    return Job.objects.filter(kind=kind, subject_id=subject_id,
                              status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).order_by("-id").first()


class Progress:
    """How far the work is: written to the row at once when the work is outside a transaction,
    else by the heartbeat thread (the row must not wait for the work's commit)."""

    EVERY = 0.5  # seconds between two writes from the work itself

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.pending: dict | None = None
        self._last = 0.0
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        fields = {"done": max(0, int(done)), "total": max(0, int(total)), "stage": str(stage)[:40]}
        with self._lock:
            self.pending = fields
        now = time.monotonic()
        if not connection.in_atomic_block and (now - self._last >= self.EVERY or done >= total):
            self._last = now
            self._write()

    def _write(self) -> None:
        with self._lock:
            fields = self.pending
        if _touch(self.job_id, fields or {}) and fields is not None:
            with self._lock:
                if self.pending is fields:  # nothing newer came meanwhile
                    self.pending = None

    @contextmanager
    def beating(self):
        """A thread beating for the work until the block ends (or the process dies)."""
        stop = threading.Event()
        works_on = connections["default"]

        def run():
            try:
                while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                    self._write()
            finally:
                beats_on = connections["default"]
                if beats_on is not works_on:  # the thread's own connection (a test may share one)
                    beats_on.close()

        thread = threading.Thread(target=run, name=f"job-{self.job_id}", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()


def _touch(job_id: int, fields: dict) -> bool:
    """Heartbeat (and progress) of a running job, never waiting for a lock someone holds:
    a row locked by the work's own transaction is beaten next time. Whether it was written."""
    try:
        with transaction.atomic():
            mine = list(Job.objects.select_for_update(skip_locked=True).filter(pk=job_id, status=Job.Status.RUNNING)
                        .values_list("pk", flat=True))
            return bool(mine) and bool(Job.objects.filter(pk=job_id).update(heartbeat=timezone.now(), **fields))
    except DatabaseError:  # SQLite: the database is being written by the work; beat next time
        return False


@task()
def run_job(job_id: int) -> None:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, attempts=F("attempts") + 1, heartbeat=now, started=now, error="")
    if not claimed:
        return  # another worker has it, or it was cancelled
    job = Job.objects.get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    if handler is None:
        _finish(job, Job.Status.FAILED, None, _("This kind of work is no longer known."))
        return
    progress = Progress(job)
    with progress.beating():
        try:
            handler.run(job, progress)
        except Exception as exc:  # recorded on the row; the handler has put its subject right
            logger.exception("Job %s failed", job)
            _finish(job, Job.Status.FAILED, progress.pending, str(exc)[:2000] or exc.__class__.__name__)
            return
    _finish(job, Job.Status.DONE, progress.pending)


def _finish(job: Job, status: str, last_progress: dict | None, error: str = "") -> None:
    """With the last progress the beats could not write. Only a job still ours: one recovered
    as lost meanwhile stays as recovery left it."""
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=status, error=error, finished=timezone.now(), heartbeat=timezone.now(), **(last_progress or {}))


def recover_jobs() -> int:
    """Running jobs whose worker stopped beating: queued again or failed, as their handler
    says, each once (compare-and-swap on the row). The number recovered."""
    cutoff = timezone.now() - timezone.timedelta(seconds=settings.JOB_STALE_SECONDS)
    lost = Job.objects.filter(status=Job.Status.RUNNING).filter(Q(heartbeat__lt=cutoff) | Q(heartbeat__isnull=True))
    recovered = 0
    for job in lost:
        handler = HANDLERS.get(job.kind)
        again = handler is not None and handler.retry and job.attempts < handler.max_attempts
        with transaction.atomic():
            still = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).filter(
                Q(heartbeat__lt=cutoff) | Q(heartbeat__isnull=True))
            if again:
                done = still.update(status=Job.Status.QUEUED, heartbeat=None)
            else:
                done = still.update(status=Job.Status.FAILED, finished=timezone.now(), error=_lost_message())
            if not done:
                continue  # it beat meanwhile, or someone else recovered it
            if handler is not None and handler.on_lost is not None:
                handler.on_lost(job, again)
            if again:
                transaction.on_commit(lambda pk=job.pk: run_job.enqueue(pk))
            recovered += 1
    return recovered
