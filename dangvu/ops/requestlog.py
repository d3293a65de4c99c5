"""One structured log line per request (JSON on the `dangvu.request` logger): time, method,
route pattern, the id in the path, status, duration, user id and the user's unit. No names, no
query strings, no addresses, no form data: the logs leave the Party's records out. Requests slower
than SLOW_REQUEST_MS and server errors are also kept as rows for the operations page, pruned to
the last REQUEST_RECORDS_KEPT of each kind."""

import json
import logging
import sys
import time
import traceback

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, transaction
from django.dispatch import receiver
from django.utils import timezone

from dangvu.ops.models import RequestRecord

logger = logging.getLogger("dangvu.request")
PRUNE_EVERY = 100  # rows written between two prunings


def _route_of(request) -> tuple[str, int | None]:
    match = getattr(request, "resolver_match", None)
    if match is None:  # answered before the URL conf: a static file, a redirect to HTTPS
        return ("static/" if request.path_info.startswith("/" + settings.STATIC_URL) else ""), None
    pk = next((v for v in match.kwargs.values() if isinstance(v, int)), None)
    return match.route[:200], pk


def _unit_of(user, route: str, pk: int | None) -> int | None:
    """The unit the request is about: the one in the path, else the user's own cell when the
    request already read it (no query is added for a log line)."""
    if route.startswith("units/"):
        return pk
    member = getattr(getattr(user, "_state", None), "fields_cache", {}).get("member")
    return getattr(member, "unit_id", None)


class RequestLog:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        ms = int((time.perf_counter() - started) * 1000)
        route, pk = _route_of(request)
        user = getattr(request, "user", None)
        user_id = user.pk if getattr(user, "is_authenticated", False) else None
        line = {"at": timezone.now().isoformat(timespec="milliseconds"), "method": request.method, "route": route,
                "id": pk, "status": response.status_code, "ms": ms, "user": user_id, "unit": _unit_of(user, route, pk)}
        if hasattr(request, "reads_from"):  # with a replica configured: which database it read
            line["reads"] = request.reads_from
        logger.info(json.dumps(line))
        if ms >= settings.SLOW_REQUEST_MS and route != "healthz":
            _keep(RequestRecord.Kind.SLOW, request.method, route, pk, response.status_code, ms, user_id)
        if response.status_code >= 500 and getattr(request, "_dangvu_error", ""):
            _keep(RequestRecord.Kind.ERROR, request.method, route, pk, response.status_code, ms, user_id,
                  request._dangvu_error)
        return response


@receiver(got_request_exception)
def _remember_error(sender, request=None, **kwargs):
    """Where it broke (class, file and line), without the message: it may quote a member's data."""
    if request is None:
        return
    exc_type, _exc, tb = sys.exc_info()
    if exc_type is None:
        return
    where = traceback.extract_tb(tb)[-1] if tb else None
    place = f" {where.filename.rsplit('/dangvu/', 1)[-1]}:{where.lineno}" if where else ""
    request._dangvu_error = f"{exc_type.__name__}{place}"[:300]


def _keep(kind, method, route, pk, status, ms, user_id, error="") -> None:
    try:
        with transaction.atomic():
            row = RequestRecord.objects.create(kind=kind, at=timezone.now(), method=method[:7], route=route,
                                               object_id=pk, status=status, duration_ms=ms, user_id=user_id,
                                               error=error)
            if row.pk % PRUNE_EVERY == 0:
                oldest_kept = (RequestRecord.objects.filter(kind=kind).order_by("-id")
                               .values_list("id", flat=True)[settings.REQUEST_RECORDS_KEPT - 1:settings.REQUEST_RECORDS_KEPT])
                if oldest_kept:
                    RequestRecord.objects.filter(kind=kind, id__lt=oldest_kept[0]).delete()
    except DatabaseError:  # the database is what failed: the log line above still says it
        logger.warning("Request record not kept", exc_info=True)
