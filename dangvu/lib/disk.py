"""Room on the disk that holds uploaded and issued files.

The upload pages refuse a file before writing anything when the disk is nearly full, and
the health check warns at the same threshold: both read UPLOAD_MIN_FREE_MB through here,
so the two never disagree."""

import shutil
from pathlib import Path

from django.conf import settings


def _existing(path) -> Path:
    """The path itself, or its nearest folder that exists (MEDIA_ROOT is made on first upload)."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def free_bytes(path) -> int:
    """Bytes an ordinary process may still write on the filesystem holding `path`."""
    return shutil.disk_usage(_existing(path)).free


def min_free_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MIN_FREE_MB", 200)) * 2**20


def has_room(path, needed: int = 0) -> bool:
    """Whether `needed` more bytes fit on the filesystem of `path` and still leave
    UPLOAD_MIN_FREE_MB free (room for the database, the logs and the next upload)."""
    return free_bytes(path) - max(needed, 0) >= min_free_bytes()
