"""Background work of the copy check, run by the job runner (dangvu/jobs) as "essays.scan".
Thin: a scan id in, the engine called.

Safe to run again: the essays are only read, and what a check found is written once, in one
transaction, onto its own row and its pairs' rows, only while that row is still running (the
row is locked and read first). A worker killed before that write leaves no trace but the row's
status, which recovery puts back to queued; a second run racing a slow first one writes
nothing after the first."""

from itertools import batched

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.essays.models import IntegrityScan, ScanPair
from dangvu.essays.scanning import scan_campaign
from dangvu.jobs import runner

SCAN = "essays.scan"
BATCH = 2000  # pairs written a statement at a time


def scan(job, progress) -> None:
    claimed = IntegrityScan.objects.filter(pk=job.subject_id, status=IntegrityScan.Status.QUEUED).update(
        status=IntegrityScan.Status.RUNNING)
    if not claimed:
        return  # finished or failed meanwhile
    found = IntegrityScan.objects.select_related("campaign").get(pk=job.subject_id)
    ours = IntegrityScan.objects.filter(pk=found.pk, status=IntegrityScan.Status.RUNNING)
    try:
        result = scan_campaign(found.campaign, lambda stage, done, total: progress(done, total, stage))
    except Exception as exc:  # the scan is recorded as failed; the essays are untouched
        ours.update(status=IntegrityScan.Status.FAILED, error=str(exc), finished=timezone.now())
        raise
    with transaction.atomic():
        if not ours.select_for_update().exists():
            return  # a slow first run finished it meanwhile
        for batch in batched(enumerate(result["pairs"]), BATCH):
            ScanPair.objects.bulk_create([ScanPair(scan_id=found.pk, n=n, a=p["a"], b=p["b"], score=p["score"],
                                                   passages=p["passages"]) for n, p in batch])
        ours.update(status=IntegrityScan.Status.DONE, result={"clusters": result["clusters"], "thin": result["thin"]},
                    essays=result["essays"], finished=timezone.now())


def scan_lost(job, again: bool) -> None:
    """The essays were only read: the check waits for the worker again (the same check, so a
    request meanwhile finds it and starts no second one), or after its last attempt is marked
    failed, with why, and the next request starts a new one."""
    if again:
        IntegrityScan.objects.filter(pk=job.subject_id, status=IntegrityScan.Status.RUNNING).update(
            status=IntegrityScan.Status.QUEUED)
        return
    IntegrityScan.objects.filter(pk=job.subject_id, status__in=[IntegrityScan.Status.QUEUED,
                                                               IntegrityScan.Status.RUNNING]).update(
        status=IntegrityScan.Status.FAILED, finished=timezone.now(),
        error=_("The worker doing this check stopped (it was killed or the server restarted). "
                "Nothing was changed; start the check again."))


runner.register(SCAN, scan, on_lost=scan_lost)


@task()
def run_scan(scan_id: int) -> None:
    """Queued before the job model: runs as a job now."""
    runner.enqueue(SCAN, scan_id)
