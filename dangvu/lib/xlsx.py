"""Export any list to .xlsx with a write-only workbook (constant memory per row)."""

import datetime
from collections.abc import Iterable
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(title: str, headers: list[str], rows: Iterable[Iterable]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v for v in row])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(title, headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
