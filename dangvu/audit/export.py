"""A member's download of everything held about them: a .zip with the data as JSON, a readable
.xlsx summary in the language of the request (Vietnamese by default), and their uploaded files."""

import datetime
import decimal
import io
import json
import re
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dangvu.audit.personal import Attachment, Section, sections_of
from dangvu.lib.xlsx import _cell, sheet_title

JSON_NAME = "du-lieu-ca-nhan.json"
XLSX_NAME = "tom-tat.xlsx"


def _file_name(name: str) -> str:
    """A name safe inside the archive: no folders, no odd characters."""
    return re.sub(r"[^\w.\- ]+", "_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .") or "tep"


class _Files:
    """Files put into the archive as records name them: files/<section>/<n>-<name>."""

    def __init__(self):
        self.found: dict[str, Attachment] = {}
        self._paths: dict[int, str] = {}

    def path_of(self, section: Section, attachment: Attachment) -> str:
        if id(attachment) not in self._paths:
            path = f"files/{section.key}/{len(self.found) + 1}-{_file_name(attachment.name)}"
            self.found[path] = attachment
            self._paths[id(attachment)] = path
        return self._paths[id(attachment)]


def _plain(value, section: Section, files: _Files):
    if isinstance(value, Attachment):
        return files.path_of(section, value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _as_json(member, sections: list[Section], files: _Files) -> dict:
    return {
        "member": member.full_name,
        "made_at": timezone.localtime().isoformat(),
        "sections": [{"key": s.key, "title": s.title, "columns": dict(s.columns),
                      "records": [{k: _plain(v, s, files) for k, v in row.items()} for row in s.rows]}
                     for s in sections],
    }


def _readable(value, section: Section, files: _Files):
    if isinstance(value, Attachment):
        return files.path_of(section, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _as_xlsx(member, sections: list[Section], files: _Files) -> bytes:
    """One sheet listing the sections, then one sheet per section: its records as in the JSON
    file, under the columns' labels, dates as dates."""
    wb = Workbook(write_only=True)
    first = wb.create_sheet(sheet_title(_("Personal data")))
    bold = _cell(first, _("Personal data held about %(name)s") % {"name": member.full_name})
    bold.font = Font(bold=True)
    first.append([bold])
    first.append([_cell(first, _("Made on")), _cell(first, timezone.localtime().replace(tzinfo=None))])
    first.append([])
    first.append([_cell(first, _("Records")), _cell(first, _("Number"))])
    for s in sections:
        first.append([_cell(first, s.title), _cell(first, len(s.rows))])
    used = {first.title}
    for s in sections:
        title, n = sheet_title(s.title), 2
        while title in used:
            title, n = sheet_title(f"{s.title[:27]} {n}"), n + 1
        used.add(title)
        ws = wb.create_sheet(title)
        heads = []
        for _key, label in s.columns:
            cell = _cell(ws, label)
            cell.font = Font(bold=True)
            heads.append(cell)
        ws.append(heads)
        for row in s.rows:
            ws.append([_cell(ws, _readable(row.get(key), s, files)) for key, _label in s.columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def personal_data_zip(member) -> bytes:
    sections = sections_of(member)
    files = _Files()
    data = _as_json(member, sections, files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=1, default=str))
        archive.writestr(XLSX_NAME, _as_xlsx(member, sections, files))
        for path, attachment in files.found.items():
            try:
                with attachment.file.open("rb") as f:
                    archive.writestr(path, f.read())
            except OSError:  # a file gone from the disk: its record still names it
                continue
    return out.getvalue()
