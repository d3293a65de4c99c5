"""Background work of imports, run by the job runner (dangvu/jobs): checking an uploaded file
("orgs.import_check") and writing a checked one ("orgs.import_apply"). Thin: an id in, the
import module called, the rights re-checked."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.jobs import runner
from dangvu.lib.keys import MEMBERS_IMPORT
from dangvu.orgs import imports
from dangvu.orgs.models import ImportJob
from dangvu.orgs.scope import UserScope

CHECK, APPLY = "orgs.import_check", "orgs.import_apply"
RUNNING = (ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING)


def _note(message: str) -> list[dict]:
    return [{"sheet": "", "row": 0, "column": "", "message": message}]


def _import(job) -> ImportJob | None:
    """The import of the job, when its uploader may still import into its unit."""
    found = ImportJob.objects.select_related("unit", "user").filter(pk=job.subject_id).first()
    if found is None or found.user is None:
        return None
    # Rights may have changed since the upload.
    if not UserScope(get_user_model().objects.get(pk=found.user_id)).can(MEMBERS_IMPORT, found.unit.path):
        ImportJob.objects.filter(pk=found.pk, status__in=RUNNING).update(  # a finished one stays as it is
            status=ImportJob.Status.FAILED, finished=timezone.now(),
            errors=_note(_("You no longer have permission to import into this unit.")))
        return None
    return found


def check(job, progress) -> None:
    found = _import(job)
    if found is None or not ImportJob.objects.filter(pk=found.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.VALIDATING):
        return
    plan = imports.build_plan(bytes(found.content), root=found.unit, progress=progress)
    ImportJob.objects.filter(pk=found.pk, status=ImportJob.Status.VALIDATING).update(
        errors=imports.errors_as_dicts(plan), summary=plan.summary(),
        status=ImportJob.Status.INVALID if plan.errors else ImportJob.Status.VALID)


def check_lost(job, again: bool) -> None:
    """A check writes nothing: it is simply run again."""
    ImportJob.objects.filter(pk=job.subject_id, status=ImportJob.Status.VALIDATING).update(
        status=ImportJob.Status.QUEUED if again else ImportJob.Status.FAILED)


def apply(job, progress) -> None:
    """Safe to run again: the file's rows and the import's DONE are written in one transaction,
    on the import's row locked and found still applying. A worker killed before the commit wrote
    nothing and left the import applying, for the next run; a run after a commit (or beside a
    slow first run, waiting for its lock) finds it done and writes nothing. The file is read
    before the transaction, as before: on SQLite the transaction holds the database's write lock."""
    found = _import(job)
    if found is None or found.status != ImportJob.Status.APPLYING:
        return
    plan = imports.build_plan(bytes(found.content), root=found.unit)
    with transaction.atomic():
        if not list(ImportJob.objects.select_for_update().filter(pk=found.pk, status=ImportJob.Status.APPLYING)
                    .values_list("pk", flat=True)):
            return  # written by another run meanwhile
        if plan.errors:  # the database changed since the preview
            found.status, found.errors = ImportJob.Status.INVALID, imports.errors_as_dicts(plan)
        else:
            try:
                found.summary = imports.apply_plan(plan, root=found.unit, actor=found.user, progress=progress,
                                                   file_name=found.file_name)
                found.status = ImportJob.Status.DONE
            except Exception as exc:  # nothing was written: its savepoint rolled back
                found.status = ImportJob.Status.FAILED
                found.errors = _note(_("Writing failed and nothing was written: %(error)s") % {"error": exc})
        found.finished = timezone.now()
        found.save(update_fields=["status", "errors", "summary", "finished"])


def apply_lost(job, again: bool) -> None:
    """The import being written rolled back with its worker: it stays applying for the next run,
    or after the last attempt goes back to valid, to be applied again, with a note saying what
    happened."""
    if again:
        return
    ImportJob.objects.filter(pk=job.subject_id, status=ImportJob.Status.APPLYING).update(
        status=ImportJob.Status.VALID, errors=_note(_(
            "The worker writing this import stopped (it was killed or the server restarted). "
            "Nothing was written; apply the file again.")))


runner.register(CHECK, check, on_lost=check_lost)
runner.register(APPLY, apply, on_lost=apply_lost)


@task()
def validate_import(job_id: int) -> None:
    """Queued before the job model: runs as a job now."""
    runner.enqueue(CHECK, job_id)


@task()
def apply_import(job_id: int) -> None:
    """Queued before the job model: runs as a job now."""
    runner.enqueue(APPLY, job_id)
