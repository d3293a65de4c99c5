"""A report as a .docx (36-HD layout, through lib.partydoc), its appendix as an .xlsx, and
its PDF through LibreOffice. All read the report's stored sections and figures only, so an
issued report prints the same whenever it is printed."""

import datetime

from django.utils import timezone

from dangvu.lib import measures, partydoc
from dangvu.lib.charts import Bars, lowest_and_highest, png
from dangvu.reports.models import Report
from dangvu.reports.wording import fmt_count, fmt_percent


def number_line(report: Report) -> str:
    """"Số 01-BC/ĐU" once issued; a blank for the number before; nothing for a unit with no
    series of its own (a cell's report carries no number)."""
    if report.document_id:
        return f"Số {report.document.reference}"
    return f"Số    -BC/{report.unit.symbol}" if report.unit.symbol else ""


def report_day(report: Report) -> datetime.date:
    return report.document.issued_on if report.document_id else timezone.localdate()


def _fmt(measure, value: list | None) -> str:
    if value is None:
        return "–"
    return fmt_percent(value[0]) if measure.rate else fmt_count(value[0])


def _appendix(report: Report, keys: list[str]):
    """The column of each value, the two header rows, and for the unit and each sub-unit its
    name, its label in the document and each measure's stored value ([value, numerator, denominator] or None), the period
    before and this one side by side."""
    chosen = [measures.get(k) for k in keys if measures.get(k)]
    year, before = str(report.end.year), str(report.period.previous().end.year)
    if report.period.previous().end.year == report.end.year:  # not whole years: name the spans
        year, before = "Kỳ này", "Kỳ trước"
    head = ["Đơn vị"] + [str(m.label) for m in chosen for _ in (0, 1)]
    sub = [""] + [label for _ in chosen for label in (before, year)]
    units = report.values.get("units", [])
    lines = [(name, f"Toàn {report.unit.name}" if n == 0 and len(units) > 1 else name,
              [report.values.get(period, {}).get(m.key, {}).get(path) for m in chosen
               for period in ("previous", "current")])
             for n, (path, name) in enumerate(units)]
    return [m for m in chosen for _ in (0, 1)], head, sub, lines


def appendix_rows(report: Report, keys: list[str]) -> list[list[str]]:
    """The appendix table as text: header rows, then the unit's own line and one per sub-unit."""
    columns, head, sub, lines = _appendix(report, keys)
    return [head, sub] + [[label] + [_fmt(m, v) for m, v in zip(columns, values, strict=True)]
                          for _name, label, values in lines]


def chart_png(report: Report, key: str) -> bytes | None:
    """The figure by sub-unit as bars (a province's lowest and highest; the appendix has all)."""
    measure = measures.get(key)
    units = report.values.get("units", [])[1:] or report.values.get("units", [])
    if measure is None or not units:
        return None
    current = report.values.get("current", {}).get(key, {})
    bars, note = lowest_and_highest([(name, float((current.get(path) or [0])[0])) for path, name in units])
    title = f"{measure.label} · {report.period.label}" + (f" · {note}" if note else "")
    return png(Bars(title=title, labels=[name for name, _ in bars], values=[v for _, v in bars],
                    unit=str(measure.unit), out_of=100 if measure.rate else None))


def report_docx(report: Report) -> bytes:
    head = report.head
    document = partydoc.new_document()
    partydoc.header_block(document, partydoc.Head(above=head.get("above", ""), issuer=head.get("issuer", ""),
                                                  number=number_line(report), place=head.get("place", ""),
                                                  day=report_day(report)))
    partydoc.title(document, "Báo cáo", head.get("title", ""))
    # tables and charts by sub-unit: none for a unit that had none (a cell)
    has_sub_units = len((report.values or {}).get("units", [])) > 1
    appendix = [s for s in report.sections if s["kind"] in ("table", "chart") and has_sub_units]
    for section in report.sections:
        if section["kind"] in ("table", "chart"):
            continue
        partydoc.heading(document, section["title"], section["level"])
        if section["kind"] in ("computed", "targets"):
            for parts in section.get("paragraphs", []):
                partydoc.body(document, [(p["text"], bool(p.get("measures"))) for p in parts])
        elif section["kind"] == "narrative":
            for paragraph in (section.get("text") or "").split("\n"):
                if paragraph.strip():
                    partydoc.body(document, [(paragraph.strip(), False)])
    partydoc.line(document, "")
    partydoc.signature(document, recipients=head.get("recipients", []), on_behalf=head.get("on_behalf", ""),
                       signer_title=head.get("signer_title", ""), signer=head.get("signer", ""))
    if appendix:
        partydoc.page_break(document)
        for section in appendix:
            partydoc.heading(document, section["title"], 1)
            if section["kind"] == "chart":
                for key in section.get("measures", []):
                    picture = chart_png(report, key)
                    if picture:
                        partydoc.picture(document, picture)
            else:
                partydoc.grid(document, appendix_rows(report, section.get("measures", [])), header_rows=2)
    partydoc.number_pages_from_two(document)
    return partydoc.to_bytes(document)


def report_xlsx(report: Report) -> bytes:
    """The appendix tables with real numbers (percentages as numbers formatted 0.00%)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    tables = [s for s in report.sections if s["kind"] == "table"] or [
        {"title": "Số liệu", "measures": [m.key for m in measures.all_measures()]}]
    for n, section in enumerate(tables, start=1):
        sheet = book.create_sheet(f"Phụ lục {n}")
        sheet.append([section["title"]])
        sheet["A1"].font = Font(bold=True)
        columns, head, sub, lines = _appendix(report, section.get("measures", []))
        sheet.append(head)
        sheet.append(sub)
        for name, _label, values in lines:
            sheet.append([name] + [None if v is None else (v[0] / 100 if m.rate else v[0])
                                    for m, v in zip(columns, values, strict=True)])
            for c, m in enumerate(columns, start=2):
                if m.rate:
                    sheet.cell(sheet.max_row, c).number_format = "0.00%"
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(report: Report) -> bytes:
    """An issued report's frozen file; a draft's made once per version (and day: its date line),
    then kept: six readers of a long draft once made it six times, 18 s each."""
    if report.issued_docx:
        return bytes(report.issued_docx)
    from django.core.cache import cache

    key = _version_key(report, "docx")
    data = cache.get(key)
    if data is None:
        data = report_docx(report)
        cache.set(key, data, 24 * 3600)
    return data


def _version_key(report: Report, kind: str) -> str:
    """A file of the report as it is now: every edit, build and issue makes a version."""
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return f"report-{kind}:{report.pk}:{last}:{report.status}:{timezone.localdate().isoformat()}"


def _pdf_key(report: Report) -> str:
    return _version_key(report, "pdf")


def pdf_ready(report: Report) -> bytes | None:
    """The PDF of the report as it is now, if the job making it has run (reports/tasks.py)."""
    from django.core.cache import cache

    return cache.get(_pdf_key(report))


def render_pdf(report: Report) -> bytes | None:
    """The work of the PDF job: LibreOffice makes it of the .docx (up to two minutes), kept in
    the cache for the same version; None when LibreOffice is not installed or failed."""
    from django.core.cache import cache

    from dangvu.lib.office import convert

    key = _pdf_key(report)
    pdf = cache.get(key)
    if pdf is None:
        pdf = convert(docx_bytes(report), "docx", "pdf", timeout=120)
        if pdf is not None:
            cache.set(key, pdf, 24 * 3600)
    return pdf


def pdf_page_png(report: Report, page: int, scale: float = 1.2) -> bytes | None:
    """Page `page` (from 1) of the report's PDF as a PNG; None without a PDF or such a page."""
    import io

    import pypdfium2 as pdfium

    data = pdf_ready(report)
    if data is None:
        return None
    document = pdfium.PdfDocument(data)
    try:
        if not 1 <= page <= len(document):
            return None
        image = document[page - 1].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        document.close()
