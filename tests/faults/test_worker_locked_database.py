"""A task worker that meets a locked database waits and goes on: it never exits, and the job
queued meanwhile runs once the lock is gone (issue 24: one junk .doc used to hold SQLite's
write lock and the worker died on `OperationalError`).

SQLite only: the lock is SQLite's own (a write transaction held from another connection past
the worker's busy timeout). The test database, which lives in this process's memory, is copied
to a file the worker process opens; the job is read back from that file."""

import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

from dangvu.figures import recount
from dangvu.jobs import runner

from .processes import ROOT, app_env, stop, wait_for

pytestmark = [pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's lock"),
              pytest.mark.django_db(transaction=True)]


def test_the_worker_waits_out_a_locked_database_and_then_runs_the_job(tmp_path):
    job = runner.enqueue(recount.KIND, 0)
    path = tmp_path / "dangvu.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    holder = sqlite3.connect(path, isolation_level=None)
    assert holder.execute("PRAGMA journal_mode=WAL").fetchall() == [("wal",)]  # as the site runs: readers read
    holder.execute("BEGIN EXCLUSIVE")  # every other writer waits, then hears "database is locked"
    log = tmp_path / "worker.log"
    # --skip-checks: Django's check of SQLite's JSON support opens a write transaction, which the
    # lock refuses; a worker restarted during a lock that long fails its checks and is started
    # again by its supervisor. What is tested is the loop of a worker already running.
    env = app_env(tmp_path, DB="sqlite", SQLITE_PATH=path, SQLITE_TIMEOUT=0.1)
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "dangvu", "db_worker", "--batch", "--no-startup-delay",
                                   "--interval", "0.1", "--skip-checks"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        told = wait_for(lambda: log.read_text().count("The database is unavailable") >= 2 or worker.poll() is not None)
        assert worker.poll() is None, "the worker exited on the locked database:\n" + log.read_text()[-3000:]
        assert told, log.read_text()[-3000:]
        holder.execute("ROLLBACK")
        assert worker.wait(60) == 0, log.read_text()[-3000:]
    finally:
        holder.close()
        stop(worker)
    with sqlite3.connect(path) as done:
        assert done.execute("SELECT status, attempts FROM jobs_job WHERE id = ?", [job.pk]).fetchall() == [("done", 1)]
