import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dangvu.jobs.models import Job, WorkerBeat
from dangvu.ops import health
from dangvu.ops.models import RequestRecord


@login_not_required
@never_cache
@require_GET
def healthz(request):
    parts = health.report()
    return JsonResponse(parts, status=200 if all(v == health.OK for v in parts.values()) else 503)


@never_cache
def operations(request):
    """For superusers only; anyone else is told the page does not exist."""
    if not request.user.is_superuser:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=7)
    return render(request, "ops/operations.html", {
        "health": health.report(),
        "workers": WorkerBeat.objects.order_by("-seen")[:20],
        "running": Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).order_by("created")[:50],
        "failed": Job.objects.filter(status=Job.Status.FAILED, finished__gte=since).order_by("-finished")[:50],
        "errors": RequestRecord.objects.filter(kind=RequestRecord.Kind.ERROR, at__gte=since)[:50],
        "slow": RequestRecord.objects.filter(kind=RequestRecord.Kind.SLOW, at__gte=since)
        .order_by("-duration_ms")[:50],
    })
