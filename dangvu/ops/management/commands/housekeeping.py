"""What cron does for an installation, for `make serve` where there is no cron: every hour the
files no record names are swept; every night (at HOUSEKEEPING_HOUR, 1 o'clock, and when it
starts) the database's statistics are refreshed (ANALYZE), the kept figures of open periods
are counted again for the new day, the copy check is queued for campaigns whose essay deadline
passed, reminders go out and, with BACKUP_DIR set, a backup is written there (7 daily, 4
weekly and 12 monthly kept). (Lost jobs are recovered by every worker's beat.) `--once` does
all of it once and stops, for a crontab."""

import datetime
import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from dangvu.figures import recount
from dangvu.lib.planner import refresh_statistics
from dangvu.ops.sweep import sweep_files

HOUR = 3600


def nightly_due(last: datetime.date | None, now: datetime.datetime) -> bool:
    """The night's work is due once a day, from HOUSEKEEPING_HOUR on, and when the process starts."""
    return last is None or (now.date() > last and now.hour >= settings.HOUSEKEEPING_HOUR)


class Command(BaseCommand):
    help = "Hourly and nightly upkeep: sweep stray files; count the kept figures for the new day, queue copy checks of closed campaigns, send reminders."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="do everything once and stop (for cron)")

    def handle(self, *args, once=False, **options):
        last = None
        while True:
            self.stdout.write(f"Đã xóa {len(sweep_files())} tệp không thuộc bản ghi nào.")
            now = timezone.localtime()
            if nightly_due(last, now):
                last = now.date()
                if refresh_statistics():  # autovacuum's work, where the server runs without it
                    self.stdout.write("Đã cập nhật thống kê của cơ sở dữ liệu.")
                # a figure of an open period is true of the day it was counted: those kept are
                # counted again tonight, not by the first officer to open them in the morning
                if settings.FIGURE_RECOUNT and recount.queue():
                    self.stdout.write("Đã xếp việc tính lại số liệu đã lưu của các kỳ đang mở cho ngày mới.")
                call_command("scan_closed_campaigns", verbosity=options["verbosity"])
                call_command("send_reminders", verbosity=options["verbosity"])
                if os.getenv("BACKUP_DIR"):
                    call_command("backup", os.environ["BACKUP_DIR"], keep_daily=7, keep_weekly=4, keep_monthly=12,
                                 verbosity=options["verbosity"])
            if once:
                return
            self.stdout.flush()
            time.sleep(HOUR - time.time() % HOUR + 1)  # to the next hour o'clock
