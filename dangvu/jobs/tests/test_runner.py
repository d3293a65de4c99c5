"""The job runner with the real worker: one claim per job, progress and failure in the row,
and recovery of a job whose worker stopped, as its handler says."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import run_worker
from dangvu.jobs import runner
from dangvu.jobs.models import Job

# the worker closes its connection after each task: these tests commit (as the worker needs)
pytestmark = pytest.mark.django_db(transaction=True)

done_work: list[int] = []


def _count(job, progress):
    for n in range(1, 4):
        progress(n, 3, "counting")
    done_work.append(job.subject_id)


def _broken(job, progress):
    raise ValueError("Tệp hỏng ở dòng 7")


lost_calls: list[tuple[int, bool]] = []


@pytest.fixture(autouse=True)
def handlers():
    done_work.clear()
    lost_calls.clear()
    runner.register("test.count", _count, on_lost=lambda job, again: lost_calls.append((job.subject_id, again)))
    runner.register("test.once", _count, on_lost=lambda job, again: lost_calls.append((job.subject_id, again)),
                    retry=False)
    runner.register("test.broken", _broken)
    yield
    for kind in ("test.count", "test.once", "test.broken"):
        runner.HANDLERS.pop(kind)


def _queue(django_capture_on_commit_callbacks, kind, subject):
    with django_capture_on_commit_callbacks(execute=True):
        return runner.enqueue(kind, subject)


def test_a_job_runs_once_with_its_progress_and_result_in_its_row(django_capture_on_commit_callbacks):
    job = _queue(django_capture_on_commit_callbacks, "test.count", 41)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.total, job.stage) == (Job.Status.DONE, 1, 3, 3, "counting")
    assert runner.progress_of(job) == {"done": 3, "total": 3, "percent": 100, "stage": "counting"}
    runner.run_job.call(job.pk)  # a second delivery of the same job: the claim is taken
    assert done_work == [41]


def test_a_failure_is_recorded_with_its_message(django_capture_on_commit_callbacks):
    job = _queue(django_capture_on_commit_callbacks, "test.broken", 7)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "Tệp hỏng ở dòng 7")


def _lost(kind, subject, attempts, settings):
    old = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    return Job.objects.create(kind=kind, subject_id=subject, status=Job.Status.RUNNING, attempts=attempts,
                              heartbeat=old)


def test_recovery_runs_a_lost_job_again_or_fails_it_as_its_handler_says(settings,
                                                                          django_capture_on_commit_callbacks):
    again = _lost("test.count", 1, 1, settings)
    once = _lost("test.once", 2, 1, settings)
    worn = _lost("test.count", 3, 3, settings)  # its last attempt
    alive = Job.objects.create(kind="test.count", subject_id=4, status=Job.Status.RUNNING, attempts=1,
                               heartbeat=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_jobs", verbosity=0)
    for job in (again, once, worn, alive):
        job.refresh_from_db()
    assert [j.status for j in (again, once, worn, alive)] == [Job.Status.QUEUED, Job.Status.FAILED,
                                                               Job.Status.FAILED, Job.Status.RUNNING]
    assert sorted(lost_calls) == [(1, True), (2, False), (3, False)]
    assert once.error == worn.error != ""
    run_worker()  # the worker runs what recovery queued again
    again.refresh_from_db()
    assert (again.status, again.attempts, done_work) == (Job.Status.DONE, 2, [1])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_jobs", verbosity=0)
    assert len(lost_calls) == 3  # recovered once each
