"""A real task worker (`dangvu db_worker`, a process of its own) killed with SIGKILL in the
middle of an import check, an import being written, a report build and a report's PDF: after
recovery (`recover_jobs`, run by cron or the next worker when it starts) and the worker again,
each finishes once, and the data is as if nothing had happened.

The worker is held inside its job by a table lock taken from another connection (it waits in
PostgreSQL, its transaction open), or, for the PDF, caught while LibreOffice converts.
PostgreSQL only: the worker must see the test database, which on SQLite lives in the test
process's memory. CI runs the suite on both."""

import datetime
import os
import re
import shutil
import signal

import pytest
from django.db import connection

from conftest import run_worker
from dangvu.audit.models import AuditEntry
from dangvu.jobs import runner
from dangvu.jobs.models import Job
from dangvu.orgs import services as org_services
from dangvu.orgs.models import ImportJob

from .conftest import SAMPLE_ROWS
from .processes import TableLock, children, command_line, ended, start_worker, stop, wait_for

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database another process can see"),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stale_soon(settings):
    settings.JOB_STALE_SECONDS = 1.0  # recovery here: a worker silent for a second is lost


def kill_worker_waiting_on(tmp_path, table: str, mode: str = "EXCLUSIVE", *, while_waiting=None) -> None:
    """Start a worker, wait until it waits for `table` inside its job, SIGKILL it, release the
    table and wait until its database session has ended (its transaction rolled back)."""
    with TableLock(table, mode) as lock:
        worker = start_worker(tmp_path)
        try:
            blocked = wait_for(lock.waiting)
            assert blocked, f"the worker never reached {table}"
            if while_waiting is not None:
                while_waiting()
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        finally:
            stop(worker)
        lock.release()
        assert wait_for(lambda: lock.backend_gone(blocked)), "the killed worker's session did not end"


def recover_and_run_again() -> None:
    """What the machine does next: recovery once the job's heartbeat is old, then the worker."""
    assert wait_for(lambda: runner.recover_jobs() == 1, 10), "the lost job was not recovered"
    run_worker()


def only_job(kind: str, subject_id: int) -> Job:
    jobs = list(Job.objects.filter(kind=kind, subject_id=subject_id))
    assert len(jobs) == 1, jobs
    return jobs[0]


def test_an_import_check_killed_midway_is_checked_once_after_restart(uploaded, imported, tmp_path, stale_soon):
    from dangvu.orgs.tasks import CHECK

    def checking():  # the worker is reading the file against the database
        assert ImportJob.objects.get(pk=uploaded.pk).status == ImportJob.Status.VALIDATING
        assert only_job(CHECK, uploaded.pk).status == Job.Status.RUNNING

    kill_worker_waiting_on(tmp_path, "orgs_candidate", "ACCESS EXCLUSIVE", while_waiting=checking)
    recover_and_run_again()
    uploaded.refresh_from_db()
    assert uploaded.status == ImportJob.Status.VALID
    assert uploaded.summary == {"units": 2, "members": 6, "candidates": 2, "errors": 0}
    job = only_job(CHECK, uploaded.pk)
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    assert imported() == (0, 0, 0)  # a check writes nothing


def test_an_import_killed_while_writing_is_written_once_after_restart(org, uploaded, imported, tmp_path,
                                                                       stale_soon):
    from dangvu.orgs.tasks import APPLY, apply

    run_worker()  # the check
    org_services.import_job_apply(actor=org.users["off"], job=ImportJob.objects.get(pk=uploaded.pk))

    def writing():  # its first unit is written, inside the transaction, and it waits to audit it
        assert ImportJob.objects.get(pk=uploaded.pk).status == ImportJob.Status.APPLYING
        assert imported() == (0, 0, 0)  # nothing of it can be seen before it commits

    kill_worker_waiting_on(tmp_path, "audit_auditentry", while_waiting=writing)
    assert imported() == (0, 0, 0)  # the killed run's rows rolled back with its session
    assert ImportJob.objects.get(pk=uploaded.pk).status == ImportJob.Status.APPLYING
    recover_and_run_again()
    uploaded.refresh_from_db()
    assert uploaded.status == ImportJob.Status.DONE and uploaded.errors == []
    assert uploaded.summary == {"units": 2, "members": 6, "candidates": 2}
    assert imported() == SAMPLE_ROWS
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1
    job = only_job(APPLY, uploaded.pk)
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    apply(job, lambda *args: None)  # one more run (a late duplicate) writes nothing
    assert imported() == SAMPLE_ROWS
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


def test_a_report_build_killed_while_saving_is_built_once_after_restart(year, tmp_path, stale_soon):
    from dangvu.reports import services
    from dangvu.reports.models import Report
    from dangvu.reports.tasks import BUILD, build

    report = services.report_create(actor=None, unit=year.G, start=datetime.date(2026, 1, 1),
                                    end=datetime.date(2026, 12, 31))

    def saving():  # figures counted, the report moved to draft inside the transaction, its version waiting
        assert Report.objects.get(pk=report.pk).status == Report.Status.BUILDING

    kill_worker_waiting_on(tmp_path, "reports_reportversion", while_waiting=saving)
    report.refresh_from_db()
    assert report.status == Report.Status.BUILDING and not report.versions.exists()
    recover_and_run_again()
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT, report.error
    assert report.values["current"]["members.total"][year.G.path][0] == 7
    assert list(report.versions.values_list("number", flat=True)) == [1]
    job = only_job(BUILD, report.pk)
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    build(job, lambda *args: None)  # a late duplicate saves no second version
    report.refresh_from_db()
    assert list(report.versions.values_list("number", flat=True)) == [1] and report.status == Report.Status.DRAFT
    assert report.document_id is None  # building never takes a number from the register


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice makes the PDF (.ci/run installs it)")
def test_a_report_pdf_killed_while_converting_is_made_once_after_restart(year, tmp_path, stale_soon):
    from dangvu.reports import services
    from dangvu.reports.document import pdf_ready
    from dangvu.reports.models import Report
    from dangvu.reports.tasks import PDF

    report = services.report_create(actor=None, unit=year.G, start=datetime.date(2026, 1, 1),
                                    end=datetime.date(2026, 12, 31))
    run_worker()
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert services.report_pdf(actor=None, report=report) is None  # queued

    worker = start_worker(tmp_path)
    converting = None
    try:
        # LibreOffice, started by the worker in a session of its own, is converting (its soffice.bin runs)
        converting = wait_for(lambda: next((c for c in children(worker.pid)
                                            if any("soffice.bin" in command_line(g) for g in children(c))), None))
        assert converting, "the worker never started LibreOffice"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        stop(worker)
        if converting:  # what a restart of the machine's service would end with it, and its folder
            folder = re.search(r"-env:UserInstallation=file://(\S+)/profile", command_line(converting))
            try:
                os.killpg(converting, signal.SIGKILL)
            except ProcessLookupError:
                pass
            assert wait_for(lambda: ended(converting))
            if folder:
                shutil.rmtree(folder.group(1), ignore_errors=True)
    assert pdf_ready(report) is None
    recover_and_run_again()
    assert pdf_ready(report).startswith(b"%PDF")
    job = only_job(PDF, report.pk)
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
