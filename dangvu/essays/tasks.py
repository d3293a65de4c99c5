"""Background work for study: the copy check. Thin: ids in, services and engine called."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from dangvu.essays.models import IntegrityScan
from dangvu.essays.scanning import scan_campaign
from dangvu.lib.jobs import beat, heartbeat
from dangvu.lib.progress import progress_set


@task()
def run_scan(scan_id: int) -> None:
    with transaction.atomic():
        claimed = IntegrityScan.objects.filter(pk=scan_id, status=IntegrityScan.Status.QUEUED).update(
            status=IntegrityScan.Status.RUNNING)
        if claimed:
            beat(IntegrityScan(pk=scan_id).progress_key)  # before anyone can see it running
    if not claimed:
        return
    scan = IntegrityScan.objects.select_related("campaign").get(pk=scan_id)

    def progress(stage, done, total):
        progress_set(scan.progress_key, done=done, total=total, stage=stage)

    with heartbeat(scan.progress_key):
        try:
            result = scan_campaign(scan.campaign, progress)
        except Exception as exc:  # the scan is recorded as failed; the essays are untouched
            scan.status, scan.error = IntegrityScan.Status.FAILED, str(exc)
        else:
            scan.status, scan.result, scan.essays = IntegrityScan.Status.DONE, result, result["essays"]
        scan.finished = timezone.now()
        # only a scan still ours: one recovered as stale meanwhile stays failed
        IntegrityScan.objects.filter(pk=scan.pk, status=IntegrityScan.Status.RUNNING).update(
            status=scan.status, result=scan.result, essays=scan.essays, error=scan.error, finished=scan.finished)
