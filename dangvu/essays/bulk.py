"""Bulk upload: a .zip of essay files matched to members by the name in the file name."""

import re
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.essays import services as essay_services
from dangvu.lib import uploads
from dangvu.lib.files import ACCEPTED
from dangvu.lib.vntext import fold
from dangvu.orgs.models import Member


@dataclass
class Match:
    name: str
    member: Member | None = None
    problem: str = ""


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _open(data_or_file) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(BytesIO(data_or_file) if isinstance(data_or_file, bytes) else data_or_file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError({"file": _("The file is not a valid .zip archive.")}) from None


def _entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The essay files of the archive, checked from its directory before anything is
    inflated: how many, how large each and all together, how much they expand."""
    limits = settings.UPLOAD_LIMITS
    entries, total = [], 0
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.name.startswith((".", "~$")) or "__MACOSX" in path.parts:
            continue
        if len(entries) >= limits["zip_files"]:
            raise ValidationError({"file": _("The archive holds more than %(n)s files.") % {"n": limits["zip_files"]}})
        if info.file_size > limits["file_bytes"]:
            raise ValidationError({"file": _("“%(name)s” in the archive is larger than %(mb)s MB when unpacked.")
                                   % {"name": info.filename, "mb": limits["file_bytes"] // 2**20}})
        if info.file_size > limits["zip_ratio"] * max(info.compress_size, 1) and info.file_size > 2**20:
            raise ValidationError({"file": _("“%(name)s” in the archive expands %(ratio)s times: this is not an "
                                             "essay file.") % {"name": info.filename,
                                                               "ratio": info.file_size // max(info.compress_size, 1)}})
        total += info.file_size
        if total > limits["zip_bytes"]:
            raise ValidationError({"file": _("The archive holds more than %(mb)s MB when unpacked.")
                                   % {"mb": limits["zip_bytes"] // 2**20}})
        entries.append(info)
    return entries


def list_zip(data_or_file) -> list[str]:
    """The essay file names of an archive, checked, without inflating any of them."""
    return [info.filename for info in _entries(_open(data_or_file))]


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One file, read as a stream and stopped at its declared size (a lying header cannot
    make it grow past the limit)."""
    limit = min(info.file_size, settings.UPLOAD_LIMITS["file_bytes"])
    try:
        with archive.open(info) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        # damaged, encrypted, or packed with a method Python cannot unpack
        raise ValidationError({"file": _("“%(name)s” in the archive is damaged or locked with a password; "
                                         "pack it again.") % {"name": info.filename}}) from None
    if len(data) > limit:
        raise ValidationError({"file": _("“%(name)s” in the archive is larger than it says.") % {"name": info.filename}})
    return data


def read_zip(data_or_file) -> dict[str, bytes]:
    """Every essay file of the archive, checked first (see _entries)."""
    archive = _open(data_or_file)
    return {info.filename: read_member(archive, info) for info in _entries(archive)}


def cleanup_uploads(max_age_hours: int = 24) -> int:
    """Uploaded archives never confirmed (the user closed the page): gone after a day."""
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    try:
        _dirs, names = default_storage.listdir("bulk")
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - datetime.timedelta(hours=max_age_hours)
    removed = 0
    for name in names:
        path = f"bulk/{name}"
        try:  # a hidden ".….part" is an upload being stored now, or gone a moment later
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def match(names: list[str], members) -> list[Match]:
    """Each file to the one member whose full name (accents, spaces and case ignored) or
    party card number appears in the file name; the longest name wins ("An" vs "Anh")."""
    by_key: dict[str, list[Member]] = {}
    for m in members:
        by_key.setdefault(_compact(m.full_name), []).append(m)
        if m.card_number:
            by_key.setdefault(_compact(m.card_number), []).append(m)
    keys = sorted(by_key, key=len, reverse=True)
    out = []
    for name in names:
        path = PurePosixPath(name)
        if path.suffix.lower() not in ACCEPTED:
            out.append(Match(name, problem=_("not a .docx, .odt, .rtf, .pdf or .txt file")))
            continue
        stem = _compact(path.stem)
        hit = next((k for k in keys if k and k in stem), None)
        if hit is None:
            out.append(Match(name, problem=_("no member of this name")))
        elif len({m.pk for m in by_key[hit]}) > 1:
            out.append(Match(name, problem=_("several members have this name; add the party card number")))
        else:
            out.append(Match(name, member=by_key[hit][0]))
    taken: dict[int, str] = {}
    for m in out:
        if m.member is not None:
            if m.member.pk in taken:
                m.problem = _("the same member as “%(other)s”") % {"other": taken[m.member.pk]}
                m.member = None
            else:
                taken[m.member.pk] = m.name
    return out


def apply(*, actor, campaign, archive, matches: list[Match]) -> int:
    """Submit every matched file, all or nothing: an unreadable file names itself and nothing is written.
    Files are inflated one at a time, each within the limits, and read (converted) before the
    transaction that records them opens: a slow or hostile file never holds the database."""
    archive = _open(archive)
    entries = {info.filename: info for info in _entries(archive)}
    chosen = [m for m in matches if m.member is not None]
    errors, texts = [], {}
    for m in chosen:
        try:
            texts[m.name] = essay_services.essay_text(PurePosixPath(m.name).name, read_member(archive, entries[m.name]),
                                                      "")
        except ValidationError as exc:
            errors.append(f"{m.name}: {' '.join(exc.messages)}")
    if errors:
        raise ValidationError(errors)
    with uploads.discard_on_failure(), transaction.atomic():  # rolled back: the files stored go too
        for m in chosen:
            try:
                essay_services.essay_record(actor=actor, campaign=campaign, member=m.member, body=texts[m.name],
                                            file_name=PurePosixPath(m.name).name,
                                            data=read_member(archive, entries[m.name]))
            except uploads.NoRoom:
                raise  # a full disk: the next files would not fit either
            except ValidationError as exc:
                errors.append(f"{m.name}: {' '.join(exc.messages)}")
        if errors:
            raise ValidationError(errors)
    return len(chosen)
