"""A real worker process killed in the middle of a copy check: recovery queues the same check
again, the worker runs it once, and the essays are untouched (no essay added or changed, one
result). The tests in tests/faults do the same to the other kinds of long work.

PostgreSQL only: the worker is a separate process and must see the test database,
which on SQLite lives in the test process's memory. CI runs the suite on both."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from conftest import make_member, run_worker
from dangvu.essays import services as essay_services
from dangvu.essays.models import Essay, IntegrityScan
from dangvu.essays.tasks import SCAN
from dangvu.jobs import runner
from dangvu.jobs.models import Job

from .conftest import TODAY

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database another process can see")


def _wait(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_check_whose_worker_was_killed_runs_once_after_restart(transactional_db, org, campaign, tmp_path, settings):
    import psycopg

    text = "Bài thu hoạch của tôi về việc học tập nghị quyết, liên hệ với công việc ở chi bộ thôn. " * 8
    for member in (org.mem_member, org.other_member, make_member(org.B, "Vũ Thị Hoa")):
        essay_services.essay_submit(actor=None, campaign=campaign, member=member, text=text, today=TODAY)
    settings.JOB_STALE_SECONDS = 1.0
    scan = essay_services.scan_request(actor=None, campaign=campaign)

    db = connection.settings_dict
    env = dict(os.environ, DB="postgres", PGDATABASE=db["NAME"], DANGVU_VAR_DIR=str(tmp_path),
               JOB_HEARTBEAT_SECONDS="0.2", SECRET_KEY="test-only-" + "x" * 40)
    # hold the essays so that the worker, once it has claimed the check, waits inside it
    blocker = psycopg.connect(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"])
    blocker.execute(f"LOCK TABLE {Essay._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    worker = subprocess.Popen([sys.executable, "-m", "dangvu", "db_worker", "--no-startup-delay", "--interval", "0.2"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait(lambda: IntegrityScan.objects.get(pk=scan.pk).status == IntegrityScan.Status.RUNNING)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
        if worker.poll() is None:
            worker.kill()

    job = runner.latest(SCAN, scan.pk)
    # once its heartbeat, in the job's row, is older than JOB_STALE_SECONDS, the job is lost
    assert _wait(lambda: Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING,
                                            heartbeat__lt=timezone.now() - timedelta(seconds=1.0)).exists())
    assert essay_services.scan_request(actor=None, campaign=campaign).pk == scan.pk  # a request recovers nothing
    call_command("recover_jobs", verbosity=0)  # cron, or the next worker when it starts
    scan.refresh_from_db()
    assert scan.status == IntegrityScan.Status.QUEUED  # the same check waits for a worker again
    assert essay_services.scan_request(actor=None, campaign=campaign).pk == scan.pk  # and no second one starts
    run_worker()
    scan.refresh_from_db()
    assert scan.status == IntegrityScan.Status.DONE and scan.essays == 3 and scan.error == ""
    assert scan.found_pairs.count() == 3  # the three copies, each pair once, written once
    assert IntegrityScan.objects.filter(campaign=campaign).count() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    assert Essay.objects.filter(campaign=campaign).count() == 3
    assert set(Essay.objects.filter(campaign=campaign).values_list("version", "text")) == {(1, text.strip())}
