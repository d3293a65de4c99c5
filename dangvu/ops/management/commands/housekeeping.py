"""What cron does for an installation, for `make serve` where there is no cron: every hour the
files no record names are swept; every day the copy check is queued for campaigns whose essay
deadline passed, reminders go out and, with BACKUP_DIR set, a backup is written there (7 daily,
4 weekly and 12 monthly kept). (Lost jobs are recovered by every worker's beat.)
`--once` does all of it once and stops, for a crontab."""

import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from dangvu.ops.sweep import sweep_files

HOUR = 3600


class Command(BaseCommand):
    help = "Hourly and daily upkeep: sweep stray files, queue copy checks of closed campaigns, send reminders."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="do everything once and stop (for cron)")

    def handle(self, *args, once=False, **options):
        hours = 0
        while True:
            self.stdout.write(f"Đã xóa {len(sweep_files())} tệp không thuộc bản ghi nào.")
            if hours % 24 == 0:
                call_command("scan_closed_campaigns", verbosity=options["verbosity"])
                call_command("send_reminders", verbosity=options["verbosity"])
                if os.getenv("BACKUP_DIR"):
                    call_command("backup", os.environ["BACKUP_DIR"], keep_daily=7, keep_weekly=4, keep_monthly=12,
                                 verbosity=options["verbosity"])
            if once:
                return
            self.stdout.flush()
            time.sleep(HOUR)
            hours += 1
