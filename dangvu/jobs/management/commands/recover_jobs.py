"""`dangvu recover_jobs`: run from cron (every few minutes) beside scan_closed_campaigns; the
worker also runs it when it starts."""

from django.core.management.base import BaseCommand

from dangvu.jobs.runner import recover_jobs


class Command(BaseCommand):
    help = "Queue again, or mark failed, the background jobs whose worker stopped."

    def handle(self, *args, **options):
        n = recover_jobs()
        if options["verbosity"]:
            self.stdout.write(f"Đã khôi phục {n} công việc nền.")
