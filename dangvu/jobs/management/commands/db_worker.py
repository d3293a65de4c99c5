"""The task worker of django-tasks-db, recovering lost jobs first (work a killed worker left
running is queued again, or failed, before this one takes anything) and beating while it runs
(dangvu/jobs/beat.py: the health check's proof of a live worker, and recovery every beat).

Upstream's worker retries a locked claim only: a database locked (SQLite held past its busy
timeout) or away (PostgreSQL restarting) anywhere else in its loop ends the process, and the
queue stops until somebody restarts it. Ours waits and goes on."""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from dangvu.jobs.beat import Pulse
from dangvu.jobs.runner import recover_jobs

logger = logging.getLogger(__name__)

LONGEST_WAIT = 5.0  # seconds between two tries once the database has been unavailable a while


class SteadyWorker(Worker):
    def run(self) -> None:
        wait = max(self.interval, 0.1)
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                logger.warning("The database is unavailable (%s): the worker waits %.1f s and goes on", exc, wait)
                connections.close_all()  # a fresh connection next time (PostgreSQL may have restarted)
                self.startup_delay = False
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)


class Command(WorkerCommand):
    def handle(self, *args, verbosity, queue_name, interval, batch, backend_name, startup_delay, max_tasks,
               worker_id, exclude_queues, **options):
        try:
            recover_jobs()
        except (OperationalError, InterfaceError):  # each beat recovers them once the database answers
            logger.warning("Lost jobs not recovered at start: the database is unavailable", exc_info=True)
        self.configure_logging(verbosity)
        worker = SteadyWorker(queue_names=queue_name.split(","), interval=interval, batch=batch,
                              backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
                              worker_id=worker_id,
                              excluded_queue_names=exclude_queues.split(",") if exclude_queues else [])
        worker.configure_signals()
        if batch:  # runs the queue once and stops (tests, cron): nobody to report
            return worker.run()
        pulse = Pulse().start()
        try:
            return worker.run()
        finally:
            pulse.stop()
