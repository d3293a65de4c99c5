"""Storing an uploaded file so that a full disk costs that upload only.

A file is refused before anything is written when the disk would be left with less than
UPLOAD_MIN_FREE_MB (dangvu/lib/disk.py). Otherwise it is written under a hidden temporary
name (".….part") in the folder it goes to, so on the same disk, and renamed into place once
complete: a disk that fills up meanwhile (ENOSPC: another upload took the last room), a
quota (EDQUOT) or a size limit (EFBIG) leaves no partial file under the real name, the
temporary one is deleted, and the caller gets a ValidationError naming the file, which the
pages show on the form and the API answers as a client error.

A file stored inside `discard_on_failure()` is deleted again if the block fails: wrap it
around the transaction that records the file, so that a rolled-back row leaves no file
behind either."""

import datetime
import errno
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib.disk import has_room

NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})

# (storage, name) of each file stored in the innermost discard_on_failure() block
_stored: ContextVar[list | None] = ContextVar("stored_uploads", default=None)


class NoRoom(ValidationError):
    """The server had no room for the file; nothing of it was kept."""

    def __init__(self, file_name: str, field: str = "file"):
        self.file_name = file_name
        super().__init__({field: no_room_message(file_name)})


def no_room_message(file_name: str) -> str:
    return _("The server has run out of space to store files, so the file “%(name)s” was not saved and "
             "nothing else was changed. Please tell the system administrator, then try again later.") % {
        "name": file_name}


def check_room(storage, file_name: str, size: int, field: str = "file") -> None:
    """Refuse, before anything is read or written, a file that would leave the disk too full."""
    if not has_room(_location(storage), size):
        raise NoRoom(file_name, field)


def _location(storage) -> str:
    return getattr(storage, "location", None) or os.getcwd()


class _Staged(File):
    """A complete file on the storage's disk: FileSystemStorage moves it into place (a rename)."""

    def temporary_file_path(self) -> str:
        return self.file.name


def _chunks(content):
    if isinstance(content, bytes):
        yield content
    else:
        yield from content.chunks()


def save_file(storage, name: str, content, *, file_name: str, field: str = "file",
              max_length: int | None = None) -> str:
    """Store `content` (bytes or a File) as `name` in `storage`; the name it got. NoRoom, naming
    `file_name` (what the user called it), if the disk is too full before or while writing."""
    size = len(content) if isinstance(content, bytes) else getattr(content, "size", 0) or 0
    try:
        folder = Path(storage.path(name)).parent
    except NotImplementedError:  # a storage with no local files: its own save, errors mapped
        folder = None
    if not has_room(folder if folder is not None else _location(storage), size):
        raise NoRoom(file_name, field)
    staged = None
    try:
        if folder is None:
            stored = storage.save(name, ContentFile(content) if isinstance(content, bytes) else content,
                                  max_length=max_length)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            fd, staged = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
            with os.fdopen(fd, "wb") as out:
                for chunk in _chunks(content):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())  # a full disk shows here at the latest, not after the rename
            with open(staged, "rb") as complete:
                stored = storage.save(name, _Staged(complete), max_length=max_length)
    except OSError as exc:
        if exc.errno in NO_ROOM:
            raise NoRoom(file_name, field) from exc
        raise
    finally:
        if staged is not None:
            with suppress(FileNotFoundError):
                os.unlink(staged)  # gone already when it was moved into place
    remembered = _stored.get()
    if remembered is not None:
        remembered.append((storage, stored))
    return stored


def store(field_file, file_name: str, data: bytes, field: str = "file") -> None:
    """What `field_file.save(file_name, ContentFile(data), save=False)` does (the field's
    upload_to applied, the model not saved), through save_file."""
    name = field_file.field.generate_filename(field_file.instance, file_name)
    field_file.name = save_file(field_file.storage, name, data, file_name=file_name, field=field,
                                max_length=field_file.field.max_length)
    setattr(field_file.instance, field_file.field.attname, field_file.name)
    field_file._committed = True


@contextmanager
def discard_on_failure():
    """Files stored inside the block are deleted if it raises (its transaction rolled back);
    kept, and handed to an enclosing block, if it completes. Usable as a decorator."""
    mine: list = []
    token = _stored.set(mine)
    try:
        yield
    except BaseException:
        for storage, name in mine:
            with suppress(OSError):
                storage.delete(name)
        raise
    finally:
        _stored.reset(token)
    outer = _stored.get()
    if outer is not None:
        outer.extend(mine)


# A process killed (SIGKILL, out of memory, a restart) after storing a file and before its
# transaction committed leaves the file with no row: no exception ran to remove it. A request
# in flight is never this old, so a file older than this that no row names is such a leftover.
STRAY_FILE_AGE = datetime.timedelta(hours=1)


def stray_files_remove(folder: str, kept: Iterable[str], *,
                       older_than: datetime.timedelta = STRAY_FILE_AGE) -> list[str]:
    """Remove the files under `folder` of the default storage that no row names (`kept`: the
    names the rows hold) and that are older than `older_than`; the names removed."""
    from django.core.files.storage import default_storage

    kept = set(kept)
    cutoff = timezone.now() - older_than
    removed = []
    for name in _files_under(default_storage, folder):
        if name in kept:
            continue
        try:
            stale = default_storage.get_modified_time(name) <= cutoff
        except FileNotFoundError:  # an upload's .part file renamed into place meanwhile
            continue
        if stale:
            default_storage.delete(name)
            removed.append(name)
    return removed


def _files_under(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    yield from (f"{folder}/{name}" for name in files)
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")
