"""Files on disk that no row names, older than an hour: what a process killed between storing
an upload and committing its row left behind, and essays' earlier files. Run from cron (hourly);
`dangvu housekeeping` (make serve) runs it every hour."""

from django.core.management.base import BaseCommand

from dangvu.ops.sweep import sweep_files


class Command(BaseCommand):
    help = "Remove uploaded files that no record names (leftovers of killed requests)."

    def handle(self, *args, **options):
        removed = sweep_files()
        if options["verbosity"]:
            self.stdout.write(f"Đã xóa {len(removed)} tệp không thuộc bản ghi nào.")
