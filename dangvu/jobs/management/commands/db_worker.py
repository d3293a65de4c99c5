"""The task worker of django-tasks-db, recovering lost jobs first (work a killed worker left
running is queued again, or failed, before this one takes anything) and beating while it runs
(dangvu/jobs/beat.py: the health check's proof of a live worker, and recovery every beat)."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from dangvu.jobs.beat import Pulse
from dangvu.jobs.runner import recover_jobs


class Command(WorkerCommand):
    def handle(self, *args, **options):
        recover_jobs()
        if options.get("batch"):  # runs the queue once and stops (tests, cron): nobody to report
            return super().handle(*args, **options)
        pulse = Pulse().start()
        try:
            return super().handle(*args, **options)
        finally:
            pulse.stop()
