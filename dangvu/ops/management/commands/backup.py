"""`dangvu backup PATH`: the database, the stored files and a manifest in one .tar (see
dangvu/ops/backup.py). PATH a folder: the archive is named after the time inside it, and
--keep-daily/--keep-weekly/--keep-monthly remove the older archives there (cron, nightly)."""

import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from dangvu.lib.numbers import fmt_int
from dangvu.ops import backup


class Command(BaseCommand):
    help = ("Back up the database, the uploaded and issued files and a manifest into one .tar file "
            "(PATH a file, or a folder where it gets a dated name).")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, or a folder to write a dated archive into")
        for period, span in (("daily", "days"), ("weekly", "ISO weeks"), ("monthly", "months")):
            parser.add_argument(f"--keep-{period}", type=int, metavar="N",
                                help=f"PATH a folder: keep the newest archive of each of the last N {span} "
                                     "and remove the other dangvu-*.tar archives there")

    def handle(self, *args, path, keep_daily, keep_weekly, keep_monthly, **options):
        self.verbosity = options["verbosity"]
        keep = (keep_daily, keep_weekly, keep_monthly)
        try:
            self.back_up(Path(path).expanduser(), keep)
        except backup.BackupError as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        except DatabaseError as exc:
            self.stderr.write(_("The database %(name)s cannot be read: %(error)s. No backup was written.")
                              % {"name": connection.settings_dict["NAME"], "error": str(exc).strip()})
            sys.exit(1)

    def say(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    def back_up(self, target: Path, keep: tuple) -> None:
        started = time.monotonic()
        folder_mode = target.is_dir()
        if folder_mode:
            target = target / timezone.localtime().strftime("dangvu-%Y%m%d-%H%M%S.tar")
        elif any(k is not None for k in keep):
            raise backup.BackupError(_("--keep-daily, --keep-weekly and --keep-monthly need PATH to be a folder."))
        if target.exists():
            raise backup.BackupError(_("%(path)s already exists: choose another name (a backup is never "
                                       "written over another).") % {"path": target})
        if not target.parent.is_dir():
            raise backup.BackupError(_("The folder %(path)s does not exist.") % {"path": target.parent})
        media_root = Path(settings.MEDIA_ROOT)
        # Beside the archive, not in /tmp: the copy of a large database is as large as the archive.
        with tempfile.TemporaryDirectory(prefix=".dangvu-backup-", dir=target.parent) as work:
            self.say(_("Copying the database (%(vendor)s)…") % {"vendor": backup.vendor_name(connection.vendor)})
            step = time.monotonic()
            database_file = Path(work) / "database"
            copy = backup.dump_database(connection, database_file)
            self.say(_("Database copied in %(s)s s: %(tables)s tables, %(rows)s rows.")
                     % {"s": f"{time.monotonic() - step:.1f}", "tables": fmt_int(len(copy.counts)),
                        "rows": fmt_int(sum(copy.counts.values()))})
            # The files are listed after the database is copied: every file a copied row names was
            # stored before its row was committed, so it is on disk now (unless deleted since).
            files = backup.media_files(media_root)
            total = database_file.stat().st_size + sum(p.stat().st_size for _rel, p in files)
            self.say(_("Writing the archive: the database and %(files)s files from %(media)s…")
                     % {"files": fmt_int(len(files)), "media": media_root})
            skipped: list[str] = []
            with tqdm(total=total, unit="B", unit_scale=True, desc=target.name,
                      disable=None if self.verbosity else True) as bar:
                manifest = backup.write_archive(target, database_file=database_file, copy=copy, files=files,
                                                progress=bar.update, skipped=skipped)
        for rel in skipped:
            self.stderr.write(_("The file %(file)s was deleted while the backup ran; it is not in the archive.")
                              % {"file": rel})
        self.say(_("Backup written to %(path)s (%(size)s) in %(s)s s: %(tables)s tables, %(rows)s rows, "
                   "%(files)s files.") % {
            "path": target, "size": backup.fmt_size(target.stat().st_size), "s": f"{time.monotonic() - started:.1f}",
            "tables": fmt_int(len(manifest["tables"])), "rows": fmt_int(sum(manifest["tables"].values())),
            "files": fmt_int(len(manifest["files"]))})
        if folder_mode and any(k is not None for k in keep):
            self.prune(target, *(k or 0 for k in keep))

    def prune(self, written: Path, daily: int, weekly: int, monthly: int) -> None:
        folder = written.parent
        times = backup.archive_times(p.name for p in folder.iterdir() if p.is_file())
        for name in backup.to_prune(times, daily, weekly, monthly):
            if name == written.name:
                continue  # the archive just written stays, whatever the numbers say
            (folder / name).unlink()
            self.say(_("Removed the old backup %(name)s.") % {"name": name})
