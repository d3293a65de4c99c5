"""The task worker of django-tasks-db, recovering lost jobs first: work a killed worker left
running is queued again (or failed) before this one takes anything."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from dangvu.jobs.runner import recover_jobs


class Command(WorkerCommand):
    def handle(self, *args, **options):
        recover_jobs()
        return super().handle(*args, **options)
