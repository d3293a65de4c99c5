"""Backup and restore (dangvu/ops/backup.py, `dangvu backup`, `dangvu restore`).

The source is the test database, populated through the services and committed (transactional
tests: pg_dump reads it from another process); `backup` runs here. Each restore runs as
`python -m dangvu restore` in a subprocess pointed at an empty target of the same vendor: a
SQLite file, or a scratch PostgreSQL database dropped afterwards. Source and target are then
compared table by table, every row and column, and file by file by SHA-256.
"""

import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from docx import Document as Docx

from dangvu.documents import services as doc_services
from dangvu.essays import services as essay_services
from dangvu.ops import backup
from dangvu.orgs import services as org_services
from dangvu.reports import services as report_services
from dangvu.study import services as study_services

ROOT = Path(__file__).resolve().parents[3]
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
transactional = pytest.mark.django_db(transaction=True)


def say(msgid: str, **params) -> str:
    """A message as the subprocess prints it: translated into the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid) % params if params else gettext(msgid)


def docx_bytes(text: str) -> bytes:
    doc = Docx()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def system(org):
    """The small tree of conftest, a committee with a term, a received and an issued document
    (with its .docx), a campaign with three essays handed in as files, a report built, and a
    stray upload waiting in MEDIA_ROOT."""
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    studied = doc_services.document_receive(
        actor=None, unit=org.G, doc_type="NQ", number=66, issuer_symbol="TW", issued_on=datetime.date(2025, 4, 30),
        summary="Nghị quyết về đổi mới công tác xây dựng và thi hành pháp luật", text="Đổi mới công tác pháp luật.")
    doc_services.document_issue(actor=None, unit=org.G, doc_type="KH", issued_on=TODAY - 5 * DAY,
                                summary="Kế hoạch học tập Nghị quyết 66", file_name="kế hoạch học tập.docx",
                                data=docx_bytes("Kế hoạch học tập, quán triệt Nghị quyết 66-NQ/TW."))
    campaign = study_services.campaign_create(
        actor=None, unit=org.G, title="Học tập Nghị quyết 66-NQ/TW", documents=[studied], units=[org.G],
        start=TODAY - 9 * DAY, end=TODAY + 51 * DAY, essay_required=True, essay_deadline=TODAY + 21 * DAY)
    for n, member in enumerate((org.sec_member, org.mem_member, org.out_member)):
        text = f"Bài thu hoạch số {n}: liên hệ bản thân, học tập và làm theo tư tưởng Hồ Chí Minh."
        essay_services.essay_submit(actor=None, campaign=campaign, member=member, file_name=f"bài thu hoạch {n}.txt",
                                    data=text.encode())
    report = report_services.report_create(actor=None, unit=org.G, start=datetime.date(TODAY.year, 1, 1),
                                           end=datetime.date(TODAY.year, 12, 31))
    report_services.report_build(report)
    stray = Path(settings.MEDIA_ROOT) / "bulk" / "chờ-xem-trước.zip"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"PK\x05\x06" + bytes(18))
    return org


# ---------------------------------------------------------------- the target of a restore


@dataclass
class Target:
    folder: Path
    env: dict
    database: str  # a SQLite file, or a PostgreSQL database's name

    @property
    def media(self) -> Path:
        return Path(self.env["MEDIA_ROOT"])


def _pg_params() -> dict:
    s = connection.settings_dict
    return {k: v for k, v in (("host", s.get("HOST")), ("port", s.get("PORT")), ("user", s.get("USER")),
                              ("password", s.get("PASSWORD"))) if v}


def _drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, **_pg_params()) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def make_target(tmp_path):
    """Empty targets (a folder with no database yet and no files); scratch databases dropped after."""
    scratch = []

    def make(name: str = "target") -> Target:
        folder = tmp_path / name
        folder.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(DJANGO_SETTINGS_MODULE="dangvu.settings", DANGVU_VAR_DIR=str(folder / "var"),
                   MEDIA_ROOT=str(folder / "media"), FIGURE_RECOUNT="0", PYTHONPATH=str(ROOT))
        if connection.vendor == "postgresql":
            database = f"dangvu_restore_test_{os.getpid()}_{name}"
            _drop_database(database)
            scratch.append(database)
            s = connection.settings_dict
            env.update(DB="postgres", PGDATABASE=database, PGHOST=str(s.get("HOST") or ""),
                       PGPORT=str(s.get("PORT") or "5432"), PGUSER=str(s.get("USER") or ""),
                       PGPASSWORD=str(s.get("PASSWORD") or ""))
        else:
            database = str(folder / "var" / "dangvu.sqlite3")
            env.update(DB="sqlite", SQLITE_PATH=database)
        return Target(folder, env, database)

    yield make
    for database in scratch:
        _drop_database(database)


def dangvu(target: Target, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dangvu", *args], env=target.env, cwd=target.folder,
                          capture_output=True, text=True, timeout=300)


# ---------------------------------------------------------------- comparing source and target


def _raw_source():
    """A connection of the same driver to the test database, so that both sides read raw values alike."""
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.connect(dbname=connection.settings_dict["NAME"], **_pg_params())
    name = connection.settings_dict["NAME"]  # in memory, shared with Django's connection
    return sqlite3.connect(name, uri=name.startswith("file:"))


def _raw_target(target: Target):
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.connect(dbname=target.database, autocommit=True, **_pg_params())
    return sqlite3.connect(target.database, isolation_level=None)


def snapshot(conn) -> dict:
    """Every table with every row (all columns, in a fixed order), and on PostgreSQL every
    sequence's position (a restored database must not hand out ids already used)."""
    cur = conn.cursor()
    if isinstance(conn, sqlite3.Connection):
        tables = [r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        sequences = {}
    else:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")
        sequences = dict(cur.fetchall())
    rows = {}
    for table in tables:
        cur.execute(f'SELECT * FROM "{table}"')
        rows[table] = sorted(cur.fetchall(), key=repr)
    return {"rows": rows, "sequences": sequences}


FIGURES = "figures_storedfigure"  # the kept figures, which a restore forgets and counts again


def kept(snap: dict) -> dict:
    """A snapshot without the kept figures (and their id counters)."""
    rows = {t: r for t, r in snap["rows"].items() if t != FIGURES}
    if "sqlite_sequence" in rows:
        rows["sqlite_sequence"] = [r for r in rows["sqlite_sequence"] if r[0] != FIGURES]
    return {"rows": rows, "sequences": {k: v for k, v in snap["sequences"].items() if not k.startswith(FIGURES)}}


def source_snapshot() -> dict:
    conn = _raw_source()
    try:
        return snapshot(conn)
    finally:
        conn.close()


def target_snapshot(target: Target) -> dict:
    conn = _raw_target(target)
    try:
        return snapshot(conn)
    finally:
        conn.close()


def hashes(root: Path) -> dict[str, str]:
    return {rel: hashlib.sha256(path.read_bytes()).hexdigest() for rel, path in backup.media_files(root)}


def back_up(path: Path) -> dict:
    call_command("backup", str(path), verbosity=0)
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile(backup.MANIFEST))


def rewrite(source: Path, dest: Path, *, files: dict[str, bytes] = None, manifest=None) -> None:
    """A copy of an archive with some members' contents replaced and the manifest changed."""
    with tarfile.open(source) as tar, tarfile.open(dest, "w", format=tarfile.PAX_FORMAT) as out:
        for info in tar.getmembers():
            data = tar.extractfile(info).read()
            if info.name == backup.MANIFEST and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            data = (files or {}).get(info.name, data)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


# ---------------------------------------------------------------- the tests


@transactional
def test_a_populated_system_comes_back_row_for_row_and_file_for_file(system, tmp_path, make_target):
    from dangvu.orgs.models import Member

    archive = tmp_path / "backup.tar"
    manifest = back_up(archive)
    media = Path(settings.MEDIA_ROOT)
    source = source_snapshot()
    # the manifest: what the archive holds, counted in the same instant as the copy
    assert manifest["vendor"] == connection.vendor and manifest["software_version"] == backup.software_version()
    assert manifest["tables"]["orgs_member"] == Member.objects.count() == 4
    assert manifest["tables"]["accounts_team_users"] == 2  # m2m tables too
    assert manifest["tables"]["django_migrations"] == len(source["rows"]["django_migrations"])
    assert set(manifest["tables"]) == backup.model_tables(connection) & set(source["rows"])
    assert {rel: f["sha256"] for rel, f in manifest["files"].items()} == hashes(media)
    # three essays, the issued plan and the stray upload: every file under MEDIA_ROOT
    assert sorted(rel.split("/")[0] for rel in manifest["files"]) == ["bulk", "documents", "essays", "essays",
                                                                       "essays"]
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target = make_target()
    done = dangvu(target, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    restored = target_snapshot(target)
    assert kept(restored) == kept(source)
    # the kept figures were forgotten and the top units' counted again: all rows new
    figure_ids = [{row[0] for row in snap["rows"][FIGURES]} for snap in (source, restored)]
    assert figure_ids[0] and figure_ids[1] and not figure_ids[0] & figure_ids[1]
    assert hashes(target.media) == hashes(media)
    files = manifest["files"].values()
    assert say("Restored: %(tables)s tables, %(rows)s rows, %(files)s files, %(size)s.",
               tables=str(len(manifest["tables"])), rows=backup.fmt_int(sum(manifest["tables"].values())),
               files=str(len(files)), size=backup.fmt_size(sum(f["size"] for f in files))) in done.stdout
    assert say("Cache cleared; counting the figures again…") in done.stdout


@transactional
def test_a_target_in_use_is_refused_untouched_and_replaced_with_force(system, tmp_path, make_target):
    archive = tmp_path / "backup.tar"
    back_up(archive)
    source, files = source_snapshot(), hashes(Path(settings.MEDIA_ROOT))
    target = make_target()
    assert dangvu(target, "restore", str(archive)).returncode == 0
    # the restored site is used: a change in the database and a new upload
    conn = _raw_target(target)
    conn.execute("UPDATE orgs_member SET full_name = 'Nguyễn Văn Đổi' WHERE id = (SELECT MIN(id) FROM orgs_member)")
    conn.close()
    (target.media / "essays" / "mới.txt").write_text("một bài mới")
    used, used_files = target_snapshot(target), hashes(target.media)

    refused = dangvu(target, "restore", str(archive))
    assert refused.returncode == 1
    assert say("The restore was refused: the target is not empty. Nothing was changed.") in refused.stderr
    assert say("The folder %(media)s holds %(n)s files.", media=target.media, n=str(len(files) + 1)) in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (target_snapshot(target), hashes(target.media)) == (used, used_files)

    forced = dangvu(target, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert (kept(target_snapshot(target)), hashes(target.media)) == (kept(source), files)


@transactional
def test_a_damaged_missing_or_foreign_archive_is_refused_naming_it(system, tmp_path, make_target):
    archive = tmp_path / "backup.tar"
    back_up(archive)
    target = make_target()
    assert dangvu(target, "restore", str(archive)).returncode == 0
    before = (target_snapshot(target), hashes(target.media))

    cut = tmp_path / "cut short.tar"
    data = archive.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    foreign = tmp_path / "foreign.tar"
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    rewrite(archive, foreign, manifest=lambda m: {**m, "vendor": other})
    newer = tmp_path / "newer.tar"  # made by a version with a migration this code does not have
    rewrite(archive, newer, manifest=lambda m: {**m, "migrations": {**m["migrations"], "orgs": [
        *m["migrations"]["orgs"], "0999_from_the_future"]}})
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(os.urandom(5000))
    said = {}
    for path in (cut, tmp_path / "missing.tar", garbage, foreign, newer):
        done = dangvu(target, "restore", "--force", str(path))  # even with --force: nothing is touched
        assert done.returncode == 1, path
        assert str(path) in done.stderr and "Traceback" not in done.stderr
        assert (target_snapshot(target), hashes(target.media)) == before
        said[path] = done.stderr
    assert backup.vendor_name(other) in said[foreign] and backup.vendor_name(connection.vendor) in said[foreign]
    assert "orgs.0999_from_the_future" in said[newer]


@transactional
def test_an_altered_file_and_a_wrong_count_are_reported(system, tmp_path, make_target):
    archive = tmp_path / "backup.tar"
    manifest = back_up(archive)
    essay = sorted(rel for rel in manifest["files"] if rel.startswith("essays/"))[0]
    altered = tmp_path / "altered.tar"

    def one_member_more(m):
        m["tables"]["orgs_member"] += 1
        return m

    rewrite(archive, altered, files={backup.MEDIA + essay: b"a different essay"}, manifest=one_member_more)
    target = make_target()
    done = dangvu(target, "restore", str(altered))
    assert done.returncode == 1
    assert say("File %(file)s differs from the manifest (SHA-256 or size): the archive holds a damaged or altered "
               "copy.", file=essay) in done.stderr
    assert say("Table %(table)s has %(found)s rows; the manifest says %(expected)s.", table="orgs_member",
               found="4", expected="5") in done.stderr
    assert say("%(n)s differences between the restored data and the manifest of %(path)s (listed above).",
               n="2", path=altered) in done.stderr
    assert "Traceback" not in done.stderr


@transactional
def test_a_backup_of_an_older_schema_is_migrated_after_the_restore(system, tmp_path, make_target):
    archive = tmp_path / "backup.tar"
    back_up(archive)
    older = make_target("older")
    assert dangvu(older, "restore", str(archive)).returncode == 0
    # the older version had no sessions table yet
    assert dangvu(older, "migrate", "sessions", "zero", "-v0").returncode == 0
    old_archive = tmp_path / "older.tar"
    assert dangvu(older, "backup", str(old_archive), "-v0").returncode == 0

    target = make_target()
    done = dangvu(target, "restore", str(old_archive))
    assert done.returncode == 0, done.stderr
    version = backup.software_version()
    assert say("The backup's database is older than this code (%(n)s migrations to apply; made by dangvu "
               "%(theirs)s, this is %(ours)s): running migrate to bring the schema up to date…",
               n=1, theirs=version, ours=version) in done.stdout
    assert "Applying sessions.0001_initial" in done.stdout
    rows = target_snapshot(target)["rows"]
    assert rows["django_session"] == [] and ("sessions", "0001_initial") in {r[1:3] for r in rows["django_migrations"]}


def test_retention_keeps_the_newest_of_each_day_week_and_month():
    made = [datetime.datetime(2026, 1, 1, 2) + n * DAY for n in range(120)]  # nightly from 1 January
    made.append(made[-1] + datetime.timedelta(hours=12))  # and a second one on the last day
    names = [f"dangvu-{t:%Y%m%d-%H%M%S}.tar" for t in made] + ["notes.txt", "dangvu-2026.tar"]
    times = backup.archive_times(names)
    assert len(times) == 121  # only the archives backup names
    pruned = backup.to_prune(times, daily=7, weekly=4, monthly=12)
    kept = sorted(set(times) - set(pruned))
    # the last backup is on Thursday 30 April at 14:00: the days 24-30 April (the later one of the
    # 30th), the Sundays ending ISO weeks 16 and 15 (week 18's newest is the 30th, week 17's the 26th,
    # both kept already), and the last of March, February and January (April's is the 30th)
    assert kept == ["dangvu-20260131-020000.tar", "dangvu-20260228-020000.tar", "dangvu-20260331-020000.tar",
                    "dangvu-20260412-020000.tar", "dangvu-20260419-020000.tar"] + [
                    f"dangvu-202604{d}-020000.tar" for d in range(24, 30)] + ["dangvu-20260430-140000.tar"]
    assert pruned == sorted(pruned, key=times.get) and len(pruned) == 121 - 12
