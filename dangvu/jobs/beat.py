"""A worker's own pulse, beside the heartbeat of the job it runs: written every
WORKER_BEAT_SECONDS from a thread of its own connection, idle or busy. Each beat also looks for
jobs whose worker died (recover_jobs), so that with several workers under a supervisor a lost
job is picked up again without cron and without waiting for a restart."""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from dangvu.jobs.models import WorkerBeat
from dangvu.jobs.runner import recover_jobs

logger = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat_once(name: str, started: datetime.datetime) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(name=name, defaults={"seen": now}, create_defaults={"seen": now,
                                                                                          "started": started})
    # rows of workers gone for a day are history nobody reads
    WorkerBeat.objects.filter(seen__lt=now - datetime.timedelta(days=1)).delete()


def alive(within: float | None = None) -> int:
    """How many workers beat within the last `within` seconds (three beats by default)."""
    within = within if within is not None else 3 * settings.WORKER_BEAT_SECONDS
    return WorkerBeat.objects.filter(seen__gte=timezone.now() - datetime.timedelta(seconds=within)).count()


class Pulse:
    """The beating thread of one worker process; stop() removes its row (a clean shutdown)."""

    def __init__(self):
        self.name = worker_name()
        self.started = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-beat", daemon=True)

    def start(self) -> "Pulse":
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while True:
                try:
                    beat_once(self.name, self.started)
                    recover_jobs()
                except DatabaseError:  # the database is away or busy: beat again next time
                    logger.warning("Worker beat not written", exc_info=True)
                if self._stop.wait(settings.WORKER_BEAT_SECONDS):
                    break
            WorkerBeat.objects.filter(name=self.name).delete()
        except DatabaseError:
            pass
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
