"""Background work for reports: building one. Thin: an id in, the service called."""

from django.db import transaction
from django.tasks import task

from dangvu.lib.jobs import heartbeat
from dangvu.lib.progress import progress_set
from dangvu.reports.models import Report


@task()
def build_report(report_id: int) -> None:
    report = Report.objects.select_related("unit", "template").filter(
        pk=report_id, status=Report.Status.BUILDING).first()
    if report is None:  # built meanwhile, or no longer wanted
        return
    from dangvu.reports.services import report_build

    def progress(done, total):
        progress_set(report.progress_key, done=done, total=total, stage="figures")

    with heartbeat(report.progress_key):
        try:
            report_build(report, progress)
        except Exception as exc:  # recorded on the report; the narrative text is untouched
            with transaction.atomic():
                Report.objects.filter(pk=report.pk, status=Report.Status.BUILDING).update(
                    status=Report.Status.FAILED, error=str(exc)[:2000])
            raise
