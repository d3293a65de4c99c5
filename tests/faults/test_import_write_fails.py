"""An import whose writing fails half-way (the disk fills up after the members are written):
its rows roll back with the savepoint, and the import is recorded as failed, saying why, in the
transaction around it (dangvu/orgs/tasks.py). Runs on SQLite and PostgreSQL."""

import pytest

from conftest import run_worker
from dangvu.jobs.models import Job
from dangvu.orgs import imports
from dangvu.orgs import services as org_services
from dangvu.orgs.models import ImportJob
from dangvu.orgs.tasks import APPLY

pytestmark = pytest.mark.django_db(transaction=True)  # the real worker commits


def test_an_import_whose_writing_fails_writes_nothing_and_says_why(org, uploaded, imported, monkeypatch):
    run_worker()  # the check
    org_services.import_job_apply(actor=org.users["off"], job=ImportJob.objects.get(pk=uploaded.pk))
    save_members = imports._save_members

    def then_the_disk_fills(batch, reporter):  # the members are written, then the database fails
        save_members(batch, reporter)
        raise OSError("No space left on device")

    monkeypatch.setattr(imports, "_save_members", then_the_disk_fills)
    run_worker()
    uploaded.refresh_from_db()
    assert uploaded.status == ImportJob.Status.FAILED and uploaded.finished is not None
    assert len(uploaded.errors) == 1 and "No space left on device" in uploaded.errors[0]["message"]
    assert imported() == (0, 0, 0)
    assert Job.objects.get(kind=APPLY, subject_id=uploaded.pk).status == Job.Status.DONE  # recorded, not retried
