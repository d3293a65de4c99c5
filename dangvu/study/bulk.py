"""Bulk upload: a .zip of essay files matched to members by the name in the file name."""

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.lib.files import ACCEPTED
from dangvu.lib.vntext import fold
from dangvu.orgs.models import Member
from dangvu.study import services

MAX_FILES = 5000


@dataclass
class Match:
    name: str
    member: Member | None = None
    problem: str = ""


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def read_zip(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError({"file": _("The file is not a valid .zip archive.")}) from None
    files = {}
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.name.startswith((".", "~$")) or "__MACOSX" in path.parts:
            continue
        if len(files) >= MAX_FILES:
            raise ValidationError({"file": _("The archive holds more than %(n)s files.") % {"n": MAX_FILES}})
        files[info.filename] = archive.read(info)
    return files


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
            out.append(Match(name, problem=_("not a .docx, .pdf or .txt file")))
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


@transaction.atomic
def apply(*, actor, campaign, files: dict[str, bytes], matches: list[Match]) -> int:
    """Submit every matched file, all or nothing: an unreadable file names itself and nothing is written."""
    errors = []
    count = 0
    for m in matches:
        if m.member is None:
            continue
        try:
            services.essay_submit(actor=actor, campaign=campaign, member=m.member,
                                  file_name=PurePosixPath(m.name).name, data=files[m.name])
            count += 1
        except ValidationError as exc:
            errors.append(f"{m.name}: {' '.join(exc.messages)}")
    if errors:
        raise ValidationError(errors)
    return count
