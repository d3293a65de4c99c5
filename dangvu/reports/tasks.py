"""Background work for reports, run by the job runner (dangvu/jobs): building one
("reports.build") and making its PDF ("reports.pdf"). Thin: a report id in, the service called.

Both are safe to run again. A build reads the figures, then writes them and the report's new
version in one transaction that first moves the report out of building (a compare-and-swap):
a killed worker's build rolled back whole, and a second run after a commit, or beside a slow
first one, writes nothing. A build never numbers the report: issuing does, in a request. The
PDF is only kept in the cache under the report's version."""

from django.tasks import task
from django.utils.translation import gettext as _

from dangvu.jobs import runner
from dangvu.reports.models import Report

BUILD = "reports.build"


def build(job, progress) -> None:
    report = Report.objects.select_related("unit", "template").filter(
        pk=job.subject_id, status=Report.Status.BUILDING).first()
    if report is None:  # built meanwhile, or no longer wanted
        return
    from dangvu.reports.services import report_build

    try:
        report_build(report, lambda done, total: progress(done, total, "figures"))
    except Exception as exc:  # recorded on the report; the narrative text is untouched
        Report.objects.filter(pk=report.pk, status=Report.Status.BUILDING).update(
            status=Report.Status.FAILED, error=str(exc)[:2000])
        raise


def build_lost(job, again: bool) -> None:
    """A build writes nothing until it has everything: run again, or after the last attempt
    the report says it failed."""
    if not again:
        Report.objects.filter(pk=job.subject_id, status=Report.Status.BUILDING).update(
            status=Report.Status.FAILED, error=job.error or "worker stopped")


runner.register(BUILD, build, on_lost=build_lost)

PDF = "reports.pdf"


def pdf(job, progress) -> None:
    """The PDF (and so the page previews) of a built report, made by LibreOffice off the request."""
    from dangvu.reports.document import render_pdf

    report = Report.objects.select_related("unit").filter(pk=job.subject_id).first()
    if report is None or report.status in (Report.Status.BUILDING, Report.Status.FAILED):
        return
    progress(0, 1, "pdf")
    if render_pdf(report) is None:
        raise RuntimeError(_("LibreOffice could not make the PDF; download the .docx."))
    progress(1, 1, "pdf")


runner.register(PDF, pdf, max_attempts=2)


@task()
def build_report(report_id: int) -> None:
    """Queued before the job model: runs as a job now."""
    runner.enqueue(BUILD, report_id)
