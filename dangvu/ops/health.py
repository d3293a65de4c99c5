"""The parts a load balancer or a monitor asks about: the database answers, the shared cache
keeps and returns a value, a task worker beat lately, and the disk holding uploads has room.
Each answers "ok" or a short reason; nothing else is disclosed (no hosts, no counts, no errors'
text)."""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

from dangvu.jobs.beat import alive

OK = "ok"


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return OK


def shared_cache() -> str:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        kept = cache.get(key)
        cache.delete(key)
    except Exception:  # noqa: BLE001 - Redis away raises its own errors; the answer is the same
        return "unreachable"
    return OK if kept == value else "does not keep values"


def worker() -> str:
    try:
        if alive():
            return OK
    except DatabaseError:
        return "unknown (database unreachable)"
    return f"no worker heard from in {int(3 * settings.WORKER_BEAT_SECONDS)} s"


def disk() -> str:
    """Room on every filesystem the app writes to (uploads, issued documents, the SQLite file)."""
    needed = settings.UPLOAD_MIN_FREE_MB * 2**20
    for path in {Path(settings.MEDIA_ROOT), Path(settings.VAR_DIR)}:
        while not path.exists() and path != path.parent:
            path = path.parent
        free = shutil.disk_usage(path).free
        if free < needed:
            return f"{free // 2**20} MB free, below {settings.UPLOAD_MIN_FREE_MB} MB"
    return OK


def report() -> dict[str, str]:
    return {"database": database(), "cache": shared_cache(), "worker": worker(), "disk": disk()}
