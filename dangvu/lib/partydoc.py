"""Documents in the Party's format (Hướng dẫn 36-HD/VPTW) as .docx: the one engine behind
reports and class certificates.

A4; margins top 25, bottom 25, left 35, right 15 mm; Times New Roman; the header block
(superior and issuing bodies in capitals with "*" under them, left; "ĐẢNG CỘNG SẢN VIỆT
NAM" in capitals 15 bold with a rule under it, right; the number; place and date in
italics); the document's type name in capitals, bold, with its summary line; body 14,
justified, first-line indent; page numbers from page 2, at the top, 10 mm from the edge;
"Nơi nhận:" bottom left and the signature block bottom right. python-docx writes it: a
well-kept library, and what Word and LibreOffice open without complaint.
"""

import datetime
import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass
class Head:
    above: str  # the superior body, "ĐẢNG BỘ TỈNH QUẢNG NINH"; may be empty
    issuer: str  # the issuing body, "ĐẢNG ỦY XÃ HÙNG AN"
    number: str  # "Số 12-BC/ĐU", or "Số    -BC/ĐU" before a number is given
    place: str
    day: datetime.date


LEFT_MM, RIGHT_MM = 70, 90  # the header's two columns: the 160 mm between the margins


def date_line(place: str, day: datetime.date) -> str:
    """Hùng An, ngày 05 tháng 02 năm 2026 / ngày 10 tháng 3 năm 2026: 36-HD/VPTW writes a day
    below 10 with a leading zero, and only months 1 and 2 (so that none can be read as 11, 12)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def new_document():
    """An empty A4 document with 36-HD's margins and Times New Roman 14 as its Normal style."""
    document = new_docx()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(35), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    return document


def number_pages_from_two(document) -> None:
    """The page number at the top centre of every page but the first, 10 mm from the edge."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _narrow_cell_margins(table, mm: float) -> None:
    """Left and right cell margins of `mm` (Word's default 1.9 mm each side would wrap the date line)."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def short_rule(container, width_mm: float, across_mm: float) -> None:
    """A centred rule `width_mm` long in a space `across_mm` wide (under "ĐẢNG CỘNG SẢN VIỆT
    NAM" and under the summary line): an empty line with a bottom border, indented."""
    paragraph = container.add_paragraph()
    side = Mm(max(0.0, (across_mm - width_mm) / 2))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(4)
    _rule_under(paragraph)


def _rule_under(paragraph) -> None:
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def line(container, text: str, *, size: int = 14, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER,
         after: int = 0, indent: bool = False):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def header_block(document, head: Head) -> None:
    """Left: the bodies and the number; right: the Party's name and the place and date."""
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    _narrow_cell_margins(table, 0.5)
    table.autofit = False
    left, right = table.rows[0].cells
    # sized so that "ĐẢNG BỘ TỈNH TUYÊN QUANG" (69 mm in Times New Roman 14) and "Tuyên Quang, ngày
    # 05 tháng 12 năm 2026" (84 mm, italic 14) each stay on one line, in Times and its metric twin
    left.width, right.width = Mm(LEFT_MM), Mm(RIGHT_MM)
    table.columns[0].width, table.columns[1].width = Mm(LEFT_MM), Mm(RIGHT_MM)  # the grid LibreOffice reads
    left.paragraphs[0].text = ""
    if head.above:
        first = left.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = first.add_run(head.above.upper())
        run.font.size = Pt(14)
        line(left, head.issuer.upper(), bold=True)
    else:
        first = left.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = first.add_run(head.issuer.upper())
        run.font.size, run.bold = Pt(14), True
    line(left, "*")
    line(left, head.number)
    party = right.paragraphs[0]
    party.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = party.add_run(PARTY)
    run.font.size, run.bold = Pt(15), True
    short_rule(right, 70, RIGHT_MM)
    line(right, "")
    line(right, date_line(head.place, head.day), italic=True)


def title(document, kind: str, summary: str) -> None:
    line(document, "")
    line(document, kind.upper(), size=16, bold=True)
    line(document, summary, bold=True)
    short_rule(document, 30, 160)
    line(document, "")


def heading(document, text: str, level: int) -> None:
    """Part titles centred, bold; numbered headings left, bold (level 3 also)."""
    for n, piece in enumerate(text.split("\n")):
        if level == 1:
            paragraph = line(document, piece, bold=True, after=6 if n == len(text.split("\n")) - 1 else 0)
        else:
            paragraph = line(document, piece, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=3, indent=True)
        paragraph.paragraph_format.keep_with_next = True  # never alone at the foot of a page


def body(document, runs: list[tuple[str, bool]]) -> None:
    """A body paragraph: 14, justified, first-line indent; `runs` are (text, emphasised)."""
    paragraph = line(document, "", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=True)
    for text, _figure in runs:
        run = paragraph.add_run(text)
        run.font.size = Pt(14)


def picture(document, png: bytes, width_mm: int = 155, height_mm: int = 215) -> None:
    """A picture as wide as the text, or less where it would not fit on one page."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    paragraph = line(document, "")
    if width_mm * ratio > height_mm:
        paragraph.add_run().add_picture(io.BytesIO(png), height=Mm(height_mm))
    else:
        paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))


def grid(document, rows: list[list[str]], header_rows: int = 1, size: int = 11, first_mm: int = 45) -> None:
    """A table with real borders; header rows bold and centred (a header repeated in the
    next column is one merged cell), numbers right-aligned, the first column wider.

    The body rows are written as XML directly: python-docx finds a cell by walking the whole
    table, which for a province's hundred sub-units costs seconds."""
    table = document.add_table(rows=header_rows, cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(first_mm)] + [Mm((160 - first_mm) / max(1, len(rows[0]) - 1))] * (len(rows[0]) - 1)
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for r, values in enumerate(rows[:header_rows]):
        for c, value in enumerate(values):
            if c and values[c - 1] == value:
                continue  # merged into the cell before
            cell, span = table.cell(r, c), c
            while span + 1 < len(values) and values[span + 1] == value:
                span += 1
            if span > c:
                cell = cell.merge(table.cell(r, span))
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(value)
            run.font.size, run.bold = Pt(size), True
    for row in table.rows:  # the header repeats at the top of each page the table runs onto
        row._tr.get_or_add_trPr().append(_element("w:tblHeader"))
    body = "".join(_body_row(values, widths, size) for values in rows[header_rows:])
    for row in parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>"):
        table._tbl.append(row)
    line(document, "")


def _element(tag: str, children=(), **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    for child in children:
        element.append(child)
    return element


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML document may hold these


def _body_row(values: list[str], widths, size: int) -> str:
    """One body row as WordprocessingML text (parsed once per table: a province's thousand
    rows as elements one by one took seconds)."""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{widths[c].twips}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:jc w:val="{"left" if c == 0 else "right"}"/></w:pPr>'
        f'<w:r><w:rPr><w:sz w:val="{size * 2}"/></w:rPr><w:t xml:space="preserve">{escape(_NOT_XML.sub("", value))}</w:t></w:r></w:p></w:tc>'
        for c, value in enumerate(values))
    return f"<w:tr>{cells}</w:tr>"


def signature(document, *, recipients: list[str], on_behalf: str, signer_title: str, signer: str) -> None:
    """"Nơi nhận:" left, "T/M …" / "BÍ THƯ" and the name right, side by side."""
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(80)
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.font.size, run.bold, run.underline = Pt(12), True, True
    for recipient in recipients:
        line(left, recipient, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    top = right.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = top.add_run(on_behalf.upper())
    run.font.size, run.bold = Pt(14), True
    line(right, signer_title.upper(), bold=True)
    for _ in range(4):
        line(right, "")
    line(right, signer, bold=True)


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_response(data: bytes, filename: str):
    """A .docx to download."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
