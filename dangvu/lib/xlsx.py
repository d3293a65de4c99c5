"""Export any list to .xlsx with a write-only workbook (constant memory per row).

Every export goes through `xlsx_bytes`, which makes each cell safe: text that a
spreadsheet would run as a formula (=, +, -, @, and the tab or carriage return
that some programs strip first) is written as text, characters an .xlsx cannot
hold are removed, dates are real dates and numbers real numbers.
"""

import datetime
import re
from collections.abc import Iterable
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# XML 1.0 cannot hold these (openpyxl raises IllegalCharacterError on them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit for one cell


def safe_text(value: str) -> str:
    """Text as a spreadsheet will show it, never run it."""
    value = _ILLEGAL.sub("", value)[:MAX_CELL_TEXT]
    return value


def _cell(ws, value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if value is None or isinstance(value, bool | int | float):
        return WriteOnlyCell(ws, value=value)
    text = safe_text(str(value))
    cell = WriteOnlyCell(ws, value=text)
    if text.startswith(_FORMULA_START):
        cell.data_type = "s"  # a string cell: Excel and LibreOffice never evaluate it
        cell.quotePrefix = True
    return cell


def sheet_title(title: str) -> str:
    """A sheet's name as spreadsheets allow it: at most 31 characters, no [ ] : * ? / or backslash (a
    measure named "Văn bản ban hành: nghị quyết" would otherwise be refused)."""
    cleaned = re.sub(r"[\[\]:*?/\\]+", " ", safe_text(title)).strip(" '")
    return re.sub(r" {2,}", " ", cleaned)[:31].strip() or "Sheet"


def xlsx_bytes(title: str, headers: list[str], rows: Iterable[Iterable]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title))
    header_cells = []
    for h in headers:
        cell = _cell(ws, str(h))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(title, headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
