"""Background work: thin, takes ids, calls services, re-checks scope."""

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.permissions import MEMBERS_IMPORT, UserScope
from dangvu.lib.jobs import heartbeat
from dangvu.orgs import imports
from dangvu.orgs.models import ImportJob


def _job(job_id: int) -> ImportJob | None:
    job = ImportJob.objects.select_related("unit", "user").filter(pk=job_id).first()
    if job is None or job.user is None:
        return None
    # Rights may have changed since the upload.
    if not UserScope(get_user_model().objects.get(pk=job.user_id)).can(MEMBERS_IMPORT, job.unit.path):
        job.status, job.finished = ImportJob.Status.FAILED, timezone.now()
        job.errors = [{"sheet": "", "row": 0, "column": "", "message": _("You no longer have permission to import into this unit.")}]
        job.save(update_fields=["status", "finished", "errors"])
        return None
    return job


@task()
def validate_import(job_id: int) -> None:
    job = _job(job_id)
    if job is None:
        return
    if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.VALIDATING):
        return  # another worker has it
    with heartbeat(job.progress_key):
        plan = imports.build_plan(bytes(job.content), root=job.unit, progress_job=job.progress_key)
        job.errors = imports.errors_as_dicts(plan)
        job.summary = plan.summary()
        job.status = ImportJob.Status.INVALID if plan.errors else ImportJob.Status.VALID
        job.save(update_fields=["errors", "summary", "status"])


@task()
def apply_import(job_id: int) -> None:
    job = _job(job_id)
    if job is None or job.status != ImportJob.Status.APPLYING:
        return
    with heartbeat(job.progress_key):
        _apply(job)


def _apply(job: ImportJob) -> None:
    plan = imports.build_plan(bytes(job.content), root=job.unit)
    if plan.errors:  # the database changed since the preview
        job.status, job.errors = ImportJob.Status.INVALID, imports.errors_as_dicts(plan)
    else:
        try:
            job.summary = imports.apply_plan(plan, root=job.unit, actor=job.user,
                                             progress_job=job.progress_key, file_name=job.file_name)
            job.status = ImportJob.Status.DONE
        except Exception as exc:  # nothing was written: the transaction rolled back
            job.status = ImportJob.Status.FAILED
            job.errors = [{"sheet": "", "row": 0, "column": "", "message": _("Writing failed and nothing was written: %(error)s") % {"error": exc}}]
    job.finished = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "finished"])
