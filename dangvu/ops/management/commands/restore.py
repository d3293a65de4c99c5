"""`dangvu restore PATH`: an archive of `dangvu backup` back into an empty database and an
empty files folder (or over them with --force), checked against its manifest, the schema
brought up to the code's, the cache and the kept figures counted again.

Stop the web server and the workers first: a restore replaces what they read."""

import io
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from tqdm import tqdm

from dangvu.lib.numbers import fmt_int
from dangvu.ops import backup


class Command(BaseCommand):
    help = ("Restore a backup made by `dangvu backup` into an empty database and files folder "
            "(--force: replace what is there), then check it against its manifest.")
    requires_system_checks = []  # a restore may be what makes the checks pass

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `dangvu backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace the data already in the database and the files folder")

    def handle(self, *args, path, force, **options):
        self.verbosity = options["verbosity"]
        try:
            self.restore(Path(path).expanduser(), force)
        except backup.BackupError as exc:
            self.stderr.write(str(exc))
            sys.exit(1)

    def say(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    def bar(self, total: int, desc: str) -> tqdm:
        return tqdm(total=total, unit="B", unit_scale=True, desc=desc, disable=None if self.verbosity else True)

    def restore(self, path: Path, force: bool) -> None:
        started = time.monotonic()
        media_root = Path(settings.MEDIA_ROOT)
        archive = backup.open_archive(path)
        try:
            manifest = archive.manifest
            self.say(_("The archive %(path)s: made %(created)s by dangvu %(version)s from a %(vendor)s database; "
                       "%(tables)s tables, %(rows)s rows, %(files)s files.") % {
                "path": path, "created": manifest.get("created", "?"), "version": manifest.get("software_version", "?"),
                "vendor": backup.vendor_name(manifest["vendor"]), "tables": fmt_int(len(manifest["tables"])),
                "rows": fmt_int(sum(manifest["tables"].values())), "files": fmt_int(len(manifest["files"]))})
            backup.check_vendor(archive, connection.vendor)
            newer = backup.unknown_migrations(manifest)
            if newer:
                raise backup.BackupError(
                    _("The backup %(path)s was made by a newer version of dangvu (%(version)s): its database has "
                      "migrations this version does not know (%(migrations)s). Install that version or a later "
                      "one, then restore. Nothing was changed.")
                    % {"path": path, "version": manifest.get("software_version", "?"),
                       "migrations": ", ".join(newer[:5]) + (" …" if len(newer) > 5 else "")})
            found = self.check_target(media_root, force)
            with tempfile.TemporaryDirectory(prefix="dangvu-restore-") as work:
                step = time.monotonic()
                self.say(_("Unpacking and checking the database copy…"))
                with self.bar(archive.database.size, _("database copy")) as bar:
                    dump = backup.extract_database(archive, Path(work), bar.update)
                self.say(_("Restoring the database %(name)s…") % {"name": connection.settings_dict["NAME"]})
                if connection.vendor == "postgresql":
                    in_dump = backup.dump_tables(dump, connection.settings_dict)  # pg_restore can read it
                    with connection.cursor() as cursor:
                        has_tables = bool(connection.introspection.table_names(cursor))
                    backup.drop_tables_not_in(connection, in_dump)
                    # --force, or a database only migrated: the backup's tables replace its own
                    backup.restore_postgresql(connection, dump, clean=force or has_tables)
                else:
                    backup.restore_sqlite(connection, dump)
                self.say(_("Database restored in %(s)s s.") % {"s": f"{time.monotonic() - step:.1f}"})
            if found.files:
                backup.clear_media(media_root)
            self.say(_("Restoring %(files)s files into %(media)s…")
                     % {"files": fmt_int(len(archive.media)), "media": media_root})
            media_root.mkdir(parents=True, exist_ok=True)
            try:
                with self.bar(sum(i.size for i in archive.media.values()), _("restoring files")) as bar:
                    backup.extract_media(archive, media_root, bar.update)
            except OSError as exc:
                raise backup.BackupError(_("Writing the files into %(media)s failed: %(error)s. The database is "
                                           "restored; put it right, then run the restore again with --force.")
                                         % {"media": media_root, "error": exc}) from None
            unlisted = archive.unlisted
        finally:
            archive.close()
        result = self.verify(manifest, media_root, unlisted)
        self.bring_up_to_date(manifest)
        self.recount()
        if result.mismatches:
            for line in result.mismatches:
                self.stderr.write(line)
            raise backup.BackupError(_("%(n)s differences between the restored data and the manifest of %(path)s "
                                       "(listed above).") % {"n": fmt_int(len(result.mismatches)), "path": path})
        self.say(_("Restore finished in %(s)s s.") % {"s": f"{time.monotonic() - started:.1f}"})

    def check_target(self, media_root: Path, force: bool) -> backup.Occupied:
        """Refuses a target holding data (unless --force); a database not there yet is created."""
        settings_dict = connection.settings_dict
        if connection.vendor == "postgresql":
            if backup.ensure_postgresql_database(settings_dict):
                self.say(_("Created the database %(name)s.") % {"name": settings_dict["NAME"]})
        else:
            Path(settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        try:
            found = backup.occupied(connection, media_root)
        except DatabaseError as exc:
            raise backup.BackupError(_("The database %(name)s cannot be reached: %(error)s. Nothing was changed.")
                                     % {"name": settings_dict["NAME"], "error": str(exc).strip()}) from None
        if found and not force:
            lines = [_("The restore was refused: the target is not empty. Nothing was changed.")]
            if found.tables:
                biggest = sorted(found.tables.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
                lines.append(_("The database %(name)s holds data in %(n)s tables, for example: %(examples)s.") % {
                    "name": settings_dict["NAME"], "n": fmt_int(len(found.tables)),
                    "examples": ", ".join(f"{t} ({fmt_int(n)})" for t, n in biggest)})
            if found.files:
                lines.append(_("The folder %(media)s holds %(n)s files.")
                             % {"media": media_root, "n": fmt_int(found.files)})
            lines.append(_("Restore into an empty database and an empty files folder, or run the restore again "
                           "with --force to replace what is there."))
            raise backup.BackupError("\n".join(lines))
        if found:
            self.say(_("--force: the data in the database (%(tables)s tables) and the %(files)s files in %(media)s "
                       "will be replaced.") % {"tables": fmt_int(len(found.tables)), "files": fmt_int(found.files),
                                               "media": media_root})
        return found

    def verify(self, manifest: dict, media_root: Path, unlisted: list[str]) -> backup.Verification:
        self.say(_("Checking the restored rows and files against the manifest…"))
        with self.bar(sum(f["size"] for f in manifest["files"].values()), _("checking files")) as bar:
            result = backup.verify(connection, manifest, media_root, bar.update)
        for rel in unlisted:
            result.mismatches.append(_("File %(file)s is in the archive but not in its manifest; it was not "
                                       "restored.") % {"file": rel})
        self.say(_("Restored: %(tables)s tables, %(rows)s rows, %(files)s files, %(size)s.") % {
            "tables": fmt_int(result.tables), "rows": fmt_int(result.rows), "files": fmt_int(result.files),
            "size": backup.fmt_size(result.bytes)})
        return result

    def bring_up_to_date(self, manifest: dict) -> None:
        """A backup of an older version: its schema migrated to this code's, after the check
        (the check compares what the backup held; migrate may add rows)."""
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            return
        self.say(_("The backup's database is older than this code (%(n)s migrations to apply; made by dangvu "
                   "%(theirs)s, this is %(ours)s): running migrate to bring the schema up to date…") % {
            "theirs": manifest.get("software_version", "?"), "ours": backup.software_version(), "n": len(plan)})
        call_command("migrate", interactive=False, verbosity=self.verbosity,
                     stdout=self.stdout if self.verbosity else io.StringIO())

    def recount(self) -> None:
        """Nothing counted before the restore holds: the cache is emptied and the kept figures
        forgotten and counted again for the top units (the others when next asked)."""
        cache.clear()
        self.say(_("Cache cleared; counting the figures again…"))
        step = time.monotonic()
        try:
            call_command("refresh_figures", stdout=self.stdout if self.verbosity else io.StringIO())
            self.say(_("Figures counted in %(s)s s.") % {"s": f"{time.monotonic() - step:.1f}"})
        except Exception as exc:  # the restore stands: pages count figures themselves when asked
            self.stderr.write(_("The figures could not be counted again (%(error)s): run `dangvu refresh_figures`.")
                              % {"error": exc})
