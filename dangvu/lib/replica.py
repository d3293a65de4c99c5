"""Reads of pages sent to a PostgreSQL replica, when one is configured (DATABASE_REPLICA_URL).

A GET or HEAD request reads from the replica: dashboards, reports, rows and exports are the
load of a committee's December. Everything else reads the primary: writes, every read inside a
transaction (a read that decides a write: select_for_update, a claim, a counter), the task
worker and the commands (they never pass through the middleware). After a user's own write,
their pages read the primary for REPLICA_PIN_SECONDS, so nobody saves a form and is shown the
record as it was before (a replica lags by a fraction of a second to seconds): the pin is kept
in the shared cache, so it holds whichever application server answers next. The request log
says which database each request read (`"reads": "replica"` or `"primary"`).
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def _pin_key(user_id: int) -> str:
    return f"replica-pin:{user_id}"


class ReplicaRouter:
    """Reads go to the replica while the request allows it and no transaction is open on the
    primary; writes, relations and migrations stay with the primary."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"  # the replica follows the primary's schema


class ReadsFromReplica:
    """Decides, per request, whether its reads may go to the replica (after authentication:
    the pin is per user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        # an API call is authenticated by its token inside the view, after this: it reads the
        # primary, as its script expects right after its own writes
        replica = safe and "authorization" not in request.headers and not _pinned(request.user)
        request.reads_from = REPLICA if replica else "primary"
        token = _reading_replica.set(replica)
        try:
            response = self.get_response(request)
        finally:
            _reading_replica.reset(token)
        user = getattr(request, "user", None)  # after the view: a login has just set it
        if not safe and getattr(user, "is_authenticated", False):
            cache.set(_pin_key(user.pk), 1, settings.REPLICA_PIN_SECONDS)
        return response


def _pinned(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and cache.get(_pin_key(user.pk)))
