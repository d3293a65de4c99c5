"""Backup and restore: one .tar holding the database, the uploaded and issued files, and a
manifest a restore is checked against.

The archive, in this order:
- ``database/dangvu.pgdump`` (PostgreSQL: ``pg_dump --format=custom``) or
  ``database/dangvu.sqlite3`` (SQLite: a copy through SQLite's online backup, consistent while
  the site runs);
- ``media/<path>``: every file under MEDIA_ROOT. That is every file dangvu stores: essays
  (``essays/``), documents and the decisions it issues (``documents/``), bulk uploads waiting
  for their preview (``bulk/``); issued reports keep their .docx in the database. The rest of
  VAR_DIR is either the database, a cache rebuilt on demand, or secrets (``secret_key``),
  which do not belong in a copy that travels;
- ``manifest.json`` last: the software version, the database vendor, the time, the rows of
  every table and the SHA-256 and size of every file. Written after everything it
  describes, so an archive cut short has no manifest and is refused whole.

The functions here do the work and raise BackupError with a sentence for the operator; the
commands (ops/management/commands/backup.py, restore.py) print progress and decide the order.
"""

import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib.numbers import fmt_int
from dangvu.lib.planner import refresh_statistics

FORMAT = "dangvu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DATABASE_MEMBER = {"postgresql": "database/dangvu.pgdump", "sqlite": "database/dangvu.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# Tables `migrate` fills by itself: rows there do not mean the database is in use.
MIGRATE_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
# Names of the archives `backup DIRECTORY` writes, which retention may remove (no other file).
ARCHIVE_NAME = re.compile(r"^dangvu-(\d{8}-\d{6})\.tar$")
CHUNK = 1 << 20
TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", re.MULTILINE)  # a line of pg_restore --list

Progress = Callable[[int], None] | None  # called with the bytes just handled


class BackupError(Exception):
    """A refusal or a failure, said in a sentence for the operator (no traceback)."""


# ---------------------------------------------------------------- small helpers


def software_version() -> str:
    try:
        return importlib.metadata.version("dangvu")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def fmt_size(n: int) -> str:
    """1536 → "1,5 KB": sizes in the Vietnamese way, like every number dangvu prints."""
    size, unit = float(n), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            break
        size /= 1024
    return fmt_int(n) + " B" if unit == "B" else f"{size:.1f}".replace(".", ",") + " " + unit


def vendor_name(vendor: str) -> str:
    return VENDOR_NAMES.get(vendor, vendor)


class HashingReader:
    """A file read through, its SHA-256 and length counted on the way (tarfile reads exactly
    the size it was told, so the hash is of what went into the archive)."""

    def __init__(self, stream, progress: Progress = None):
        self.stream, self.progress = stream, progress
        self.sha, self.size = hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n)
        self.sha.update(data)
        self.size += len(data)
        if self.progress and data:
            self.progress(len(data))
        return data


def sha256_file(path: Path, progress: Progress = None) -> tuple[str, int]:
    with open(path, "rb") as fh:
        reader = HashingReader(fh, progress)
        while reader.read(CHUNK):
            pass
    return reader.sha.hexdigest(), reader.size


def media_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under root as (path relative to root, POSIX style; its path), sorted.
    Links are not followed: a link out of MEDIA_ROOT is not ours to copy."""
    found = []
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def safe_relative(name: str) -> bool:
    """A path a restore may write under MEDIA_ROOT: relative, no "..", nothing odd."""
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and "\\" not in name and all(
        part not in ("", ".", "..") for part in name.split("/"))


# ---------------------------------------------------------------- the database side


def model_tables(connection) -> set[str]:
    """Every table of every installed model, m2m tables included, and django_migrations."""
    tables = set(connection.introspection.django_table_names(include_views=False))
    tables.add(MigrationRecorder.Migration._meta.db_table)
    return tables


def _count_rows(cursor, tables: Iterable[str], quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _not_migrated(connection) -> BackupError:
    return BackupError(_("The database %(name)s has no dangvu tables (run `dangvu migrate` first?): there is "
                         "nothing to back up.") % {"name": connection.settings_dict["NAME"]})


def _migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def pg_env(settings_dict: dict) -> dict:
    """The libpq environment for pg_dump and pg_restore, from Django's connection settings
    (a password in the environment, never on a command line others can read)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (("service", "PGSERVICE"), ("passfile", "PGPASSFILE"), ("sslmode", "PGSSLMODE"),
                     ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _run(args: list[str], env: dict) -> str:
    program = args[0]
    if shutil.which(program) is None:
        raise BackupError(_("%(program)s was not found: install the PostgreSQL client programs "
                            "(Debian: postgresql-client) of the server's version.") % {"program": program})
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(_("%(program)s failed: %(error)s") % {"program": program,
                                                                "error": done.stderr.strip()[-2000:]})
    return done.stdout


@dataclass
class DatabaseCopy:
    vendor: str
    counts: dict[str, int]
    migrations: dict[str, list[str]]


def dump_database(connection, dest: Path) -> DatabaseCopy:
    """The database copied into dest, with the rows of its tables and its migrations as the
    copy holds them (the same instant), while the site keeps running."""
    if connection.vendor == "postgresql":
        return _dump_postgresql(connection, dest)
    if connection.vendor == "sqlite":
        return _dump_sqlite(connection, dest)
    raise BackupError(_("Backing up a %(vendor)s database is not supported.") % {"vendor": connection.vendor})


def _dump_postgresql(connection, dest: Path) -> DatabaseCopy:
    # One snapshot for pg_dump and for the counts: the manifest describes exactly the dump.
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dest}"],
             pg_env(connection.settings_dict))
        existing = set(connection.introspection.table_names(cursor))
        if MigrationRecorder.Migration._meta.db_table not in existing:
            raise _not_migrated(connection)
        counts = _count_rows(cursor, model_tables(connection) & existing, connection.ops.quote_name)
        migrations = _migrations(cursor)
    return DatabaseCopy("postgresql", counts, migrations)


def _dump_sqlite(connection, dest: Path) -> DatabaseCopy:
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)  # SQLite's online backup: a consistent copy
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = target.cursor()
        existing = {r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if MigrationRecorder.Migration._meta.db_table not in existing:
            raise _not_migrated(connection)
        counts = _count_rows(cursor, model_tables(connection) & existing, connection.ops.quote_name)
        migrations = _migrations(cursor)
    finally:
        target.close()
    return DatabaseCopy("sqlite", counts, migrations)


# ---------------------------------------------------------------- writing the archive


def build_manifest(*, copy: DatabaseCopy, database: dict, files: dict[str, dict],
                   created: datetime.datetime | None = None) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "software_version": software_version(),
        "vendor": copy.vendor,
        "created": (created or timezone.now()).isoformat(),
        "database": database,
        "tables": copy.counts,
        "migrations": copy.migrations,
        "files": files,
    }


def write_archive(path: Path, *, database_file: Path, copy: DatabaseCopy, files: list[tuple[str, Path]],
                  progress: Progress = None, skipped: list | None = None) -> dict:
    """The archive at path (readable by its owner only: it holds personal data), written under
    another name and renamed when complete, so path is never a half-written archive. Returns
    the manifest. A file gone between listing and copying (deleted meanwhile) is left out and
    named in `skipped`."""
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                member = DATABASE_MEMBER[copy.vendor]
                sha, size = _add(tar, member, database_file, progress)
                database = {"member": member, "sha256": sha, "size": size}
                hashed = {}
                for rel, source in files:
                    try:
                        sha, size = _add(tar, MEDIA + rel, source, progress)
                    except FileNotFoundError:
                        if skipped is not None:
                            skipped.append(rel)
                        continue
                    hashed[rel] = {"sha256": sha, "size": size}
                manifest = build_manifest(copy=copy, database=database, files=hashed)
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _add(tar: tarfile.TarFile, name: str, source: Path, progress: Progress) -> tuple[str, int]:
    with open(source, "rb") as fh:
        stat = os.fstat(fh.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = HashingReader(fh, progress)
        tar.addfile(info, reader)
    return reader.sha.hexdigest(), info.size


# ---------------------------------------------------------------- reading the archive


@dataclass
class Archive:
    path: Path
    tar: tarfile.TarFile
    manifest: dict
    database: tarfile.TarInfo
    media: dict[str, tarfile.TarInfo]
    unlisted: list[str] = field(default_factory=list)  # files in the archive the manifest does not name

    def close(self) -> None:
        self.tar.close()


def _damaged(path: Path, reason: str) -> BackupError:
    return BackupError(_("The file %(path)s is damaged or is not a dangvu backup: %(reason)s. "
                         "Nothing was changed.") % {"path": path, "reason": reason})


def open_archive(path: Path) -> Archive:
    """The archive read through to its end and its manifest checked; refused with a sentence
    naming the file when it is missing, unreadable, cut short or not ours."""
    if not path.exists():
        raise BackupError(_("The file %(path)s does not exist.") % {"path": path})
    if not path.is_file():
        raise BackupError(_("%(path)s is not a file.") % {"path": path})
    try:
        tar = tarfile.open(path, mode="r:")
    except PermissionError as exc:
        raise BackupError(_("The file %(path)s cannot be read: %(reason)s.") % {"path": path, "reason": exc.strerror}) \
            from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _damaged(path, _("not a .tar archive (%(error)s)") % {"error": exc}) from None
    try:
        members = tar.getmembers()  # reads to the end: an archive cut short fails here
        by_name = {m.name: m for m in members}
        if MANIFEST not in by_name:
            raise _damaged(path, _("it has no manifest (an archive cut short loses it: the manifest comes last)"))
        manifest = _read_manifest(path, tar, by_name[MANIFEST])
        database = by_name.get(manifest["database"]["member"])
        if database is None or not database.isfile():
            raise _damaged(path, _("the database copy is missing"))
        media = {}
        for rel in manifest["files"]:
            info = by_name.get(MEDIA + rel)
            if info is None or not info.isfile():
                raise _damaged(path, _("the file %(file)s named in the manifest is missing") % {"file": rel})
            media[rel] = info
        unlisted = sorted(m.name[len(MEDIA):] for m in members
                          if m.name.startswith(MEDIA) and m.name[len(MEDIA):] not in manifest["files"])
    except (tarfile.TarError, OSError, EOFError) as exc:
        tar.close()
        raise _damaged(path, str(exc)) from None
    except BaseException:
        tar.close()
        raise
    return Archive(path, tar, manifest, database, media, unlisted)


def _read_manifest(path: Path, tar: tarfile.TarFile, info: tarfile.TarInfo) -> dict:
    try:
        manifest = json.loads(tar.extractfile(info).read().decode())
        if manifest.get("format") != FORMAT:
            raise ValueError("format")
        if int(manifest["format_version"]) > FORMAT_VERSION:
            raise BackupError(_("The backup %(path)s was written by a newer dangvu (archive format %(version)s): "
                                "install that version to restore it. Nothing was changed.")
                              % {"path": path, "version": manifest["format_version"]})
        database = manifest["database"]
        if not (database["member"] in DATABASE_MEMBER.values() and isinstance(database["sha256"], str)
                and isinstance(database["size"], int) and isinstance(manifest["vendor"], str)):
            raise ValueError("database")
        if not all(isinstance(t, str) and isinstance(n, int) for t, n in manifest["tables"].items()):
            raise ValueError("tables")
        if not all(safe_relative(rel) and isinstance(f["sha256"], str) and isinstance(f["size"], int)
                   for rel, f in manifest["files"].items()):
            raise ValueError("files")
        if not all(isinstance(app, str) and isinstance(names, list) and all(isinstance(n, str) for n in names)
                   for app, names in manifest.get("migrations", {}).items()):
            raise ValueError("migrations")
    except BackupError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise _damaged(path, _("its manifest cannot be read")) from None
    return manifest


def check_vendor(archive: Archive, vendor: str) -> None:
    theirs = archive.manifest["vendor"]
    if theirs != vendor:
        raise BackupError(_("The backup %(path)s holds a %(theirs)s database; this installation uses %(ours)s. "
                            "Restore it into a %(theirs)s installation. Nothing was changed.")
                          % {"path": archive.path, "theirs": vendor_name(theirs), "ours": vendor_name(vendor)})


def unknown_migrations(manifest: dict) -> list[str]:
    """Migrations of this code's apps that the backup's database had and this code does not
    know: it was made by a newer version, whose schema this code cannot run on. (An app this
    code does not have is no matter: its tables are simply not read.)"""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations) | set(loader.graph.nodes)
    for migration in loader.replacements.values():
        known.update(migration.replaces)
    return sorted(f"{app}.{name}" for app, names in manifest.get("migrations", {}).items()
                  if app in loader.migrated_apps for name in names if (app, name) not in known)


def extract_database(archive: Archive, folder: Path, progress: Progress = None) -> Path:
    """The database copy written into folder and checked against its hash in the manifest."""
    expected = archive.manifest["database"]
    dest = folder / PurePosixPath(expected["member"]).name
    try:
        with archive.tar.extractfile(archive.database) as src, open(dest, "wb") as out:
            reader = HashingReader(src, progress)
            while data := reader.read(CHUNK):
                out.write(data)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _damaged(archive.path, str(exc)) from None
    if reader.sha.hexdigest() != expected["sha256"] or reader.size != expected["size"]:
        raise _damaged(archive.path, _("the database copy does not match its SHA-256 in the manifest"))
    return dest


def extract_media(archive: Archive, root: Path, progress: Progress = None) -> None:
    """The files the manifest names, written under root (checked afterwards by verify)."""
    for rel, info in archive.media.items():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        with archive.tar.extractfile(info) as src, open(dest, "wb") as out:
            while data := src.read(CHUNK):
                out.write(data)
                if progress:
                    progress(len(data))
        os.utime(dest, (info.mtime, info.mtime))


# ---------------------------------------------------------------- the target


@dataclass
class Occupied:
    tables: dict[str, int]  # tables holding rows (beyond what migrate writes): how many
    files: int  # files under MEDIA_ROOT

    def __bool__(self) -> bool:
        return bool(self.tables or self.files)


def occupied(connection, media_root: Path) -> Occupied:
    """What is already in the target: tables with rows other than migrate's own, and files."""
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names(cursor)) - MIGRATE_TABLES):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            rows = cursor.fetchone()[0]
            if rows:
                tables[table] = rows
    return Occupied(tables, len(media_files(media_root)))


def ensure_postgresql_database(settings_dict: dict) -> bool:
    """Restoring onto a new server: the configured database is created when it does not exist
    yet (where the role may). True when it was created."""
    import psycopg
    from psycopg import sql

    name = settings_dict.get("NAME")
    if not name:
        return False
    env = pg_env(settings_dict)
    params = {k: env[v] for k, v in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"),
                                     ("password", "PGPASSWORD")) if v in env}
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **params) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.Error:
        return False  # no right to: the connection below says what is wrong


def dump_tables(dump: Path, settings_dict: dict) -> set[str]:
    """The tables in a pg_dump archive, from its table of contents: reading it is also the proof,
    before anything is changed, that this pg_restore can restore it (one older than the
    pg_dump that wrote it cannot)."""
    listing = _run(["pg_restore", "--list", str(dump)], pg_env(settings_dict))
    return {name for schema, name in TOC_TABLE.findall(listing) if schema == "public"}


def drop_tables_not_in(connection, kept: set[str]) -> list[str]:
    """The target's tables that the backup does not have (a newer schema's) dropped: the backup
    holds nothing for them, migrate makes them again, and left there they would stop
    pg_restore --clean dropping the tables they point to. The tables the backup has are
    replaced by pg_restore itself, in its one transaction."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        extra = sorted(set(connection.introspection.table_names(cursor)) - kept)
        if extra:
            cursor.execute("SET LOCAL lock_timeout = '30s'")
            quote = connection.ops.quote_name
            cursor.execute("DROP TABLE IF EXISTS " + ", ".join(quote(t) for t in extra) + " CASCADE")
    return extra


def restore_postgresql(connection, dump: Path, clean: bool) -> None:
    """pg_restore in one transaction: it restores all or nothing. --clean --if-exists where the
    database has tables (--force, or only migrated). A web server or worker still connected
    holds locks: after 30 s of waiting it fails (and changes nothing) rather than hang."""
    name = connection.settings_dict["NAME"]
    connection.close()
    args = ["pg_restore", "--no-password", "--no-owner", "--no-privileges", "--exit-on-error",
            "--single-transaction", f"--dbname={name}"]
    if clean:
        args += ["--clean", "--if-exists"]
    env = pg_env(connection.settings_dict)
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c lock_timeout=30s").strip()
    _run(args + [str(dump)], env)
    refresh_statistics(connection=connection)  # pg_restore leaves no statistics: without them the first counts crawl


def restore_sqlite(connection, copy: Path) -> None:
    """The backed-up file copied into place, page by page through SQLite's backup (a plain
    file copy would meet a stale -wal file beside the target and be corrupted by it)."""
    target_path = Path(connection.settings_dict["NAME"])
    connection.close()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(copy), sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)  # one transaction: all pages or none
    except sqlite3.Error as exc:
        raise BackupError(_("The database file %(name)s could not be written: %(error)s. Stop the web server and "
                            "the workers, then run the restore again. Nothing was changed.")
                          % {"name": target_path, "error": exc}) from None
    finally:
        source.close()
        target.close()


def clear_media(root: Path) -> None:
    """Everything under MEDIA_ROOT removed (--force); the folder itself stays (a mount point)."""
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


# ---------------------------------------------------------------- checking a restore


@dataclass
class Verification:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    mismatches: list[str] = field(default_factory=list)


def verify(connection, manifest: dict, media_root: Path, progress: Progress = None) -> Verification:
    """The restored rows of every table and the hash of every restored file, against the manifest."""
    result = Verification()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table, expected in sorted(manifest["tables"].items()):
            if table not in existing:
                result.mismatches.append(_("Table %(table)s is missing.") % {"table": table})
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            found = cursor.fetchone()[0]
            result.tables += 1
            result.rows += found
            if found != expected:
                result.mismatches.append(_("Table %(table)s has %(found)s rows; the manifest says %(expected)s.")
                                         % {"table": table, "found": fmt_int(found), "expected": fmt_int(expected)})
    for rel, expected in sorted(manifest["files"].items()):
        path = media_root / rel
        if not path.is_file():
            result.mismatches.append(_("File %(file)s is missing.") % {"file": rel})
            continue
        sha, size = sha256_file(path, progress)
        result.files += 1
        result.bytes += size
        if (sha, size) != (expected["sha256"], expected["size"]):
            result.mismatches.append(_("File %(file)s differs from the manifest (SHA-256 or size): the archive "
                                       "holds a damaged or altered copy.") % {"file": rel})
    return result


# ---------------------------------------------------------------- retention


def archive_times(names: Iterable[str]) -> dict[str, datetime.datetime]:
    """The archives among names (dangvu-YYYYMMDD-HHMMSS.tar) and when each was made."""
    times = {}
    for name in names:
        if match := ARCHIVE_NAME.match(name):
            try:
                times[name] = datetime.datetime.strptime(match[1], "%Y%m%d-%H%M%S")
            except ValueError:
                continue
    return times


def to_prune(times: dict[str, datetime.datetime], daily: int, weekly: int, monthly: int) -> list[str]:
    """Grandfather-father-son: the newest archive of each of the last `daily` days, `weekly`
    ISO weeks and `monthly` months that have one is kept; the others are returned, oldest first."""
    newest_first = sorted(times, key=times.get, reverse=True)
    keep = set()
    for count, period in ((daily, lambda t: t.date()), (weekly, lambda t: t.isocalendar()[:2]),
                          (monthly, lambda t: (t.year, t.month))):
        seen = set()
        for name in newest_first:
            key = period(times[name])
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(name)
    return sorted((n for n in times if n not in keep), key=times.get)
