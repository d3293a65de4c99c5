"""Read .txt, .docx and .pdf essays into text. A file that cannot be read becomes
an error that names what to do; the scan goes on."""

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dangvu.integrity.vietnamese import tcvn3_to_unicode, vni_to_unicode

SUFFIXES = (".txt", ".docx", ".pdf", ".doc")  # .doc only to say how to fix it


class UnreadableFile(Exception):
    """The message is Vietnamese and says what the user should do."""


@dataclass
class Text:
    original: str
    # 'auto' lets the tokenizer detect legacy encodings line by line; a .docx has
    # already been converted run by run from its fonts, so it is 'unicode'.
    encoding: str = "auto"


def read(path: Path) -> Text:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile("Tệp rỗng: không có nội dung để kiểm tra.")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return Text(_decode_txt(data))
    if suffix == ".docx":
        return Text(_read_docx(path, data), encoding="unicode")
    if suffix == ".pdf":
        return Text(_read_pdf(path))
    if suffix == ".doc":
        raise UnreadableFile("Tệp Word định dạng cũ (.doc): hãy mở bằng Word và lưu lại thành .docx.")
    raise UnreadableFile("Không đọc được loại tệp này: cần .docx, .pdf hoặc .txt.")


def _decode_txt(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1258: Vietnamese Windows' own code page, with combining tones.
        return data.decode("cp1258", errors="replace")


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_docx(path: Path, data: bytes) -> str:
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile("Tệp Word định dạng cũ (.doc) hoặc có mật khẩu: hãy mở bằng Word và lưu lại thành .docx.")
    if not zipfile.is_zipfile(path):
        raise UnreadableFile("Tệp .docx bị hỏng (không phải tệp Word hợp lệ): hãy mở bằng Word và lưu lại.")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise UnreadableFile("Tệp .docx bị hỏng, không đọc được: hãy mở bằng Word và lưu lại.") from exc
    default_font = _default_font(document)
    style_fonts: dict[str | None, str | None] = {}  # style lookups are slow in python-docx: once per id

    def font_of_style(style_id, lookup):
        if style_id not in style_fonts:
            style_fonts[style_id] = _style_font(lookup()) if style_id else None
        return style_fonts[style_id]

    paragraphs = []
    for paragraph in _all_paragraphs(document):
        style_font = font_of_style(paragraph._p.style, lambda p=paragraph: p.style) or default_font
        parts = []
        for run in paragraph.runs:
            font = run.font.name or font_of_style(run._r.style, lambda r=run: r.style) or style_font or ""
            parts.append(_convert_run(run.text, font))
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _convert_run(text: str, font: str) -> str:
    """Legacy fonts decide: .Vn* is TCVN3, VNI-* is VNI; anything else is Unicode."""
    if font.startswith(".Vn"):
        return tcvn3_to_unicode(text)
    if font.upper().startswith("VNI"):
        return vni_to_unicode(text)
    return text


def _style_font(style) -> str | None:
    while style is not None:
        if style.font is not None and style.font.name:
            return style.font.name
        style = style.base_style
    return None


def _default_font(document) -> str | None:
    try:
        fonts = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii")
        return fonts[0] if fonts else None
    except Exception:  # an unusual styles part: no default font
        return None


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise UnreadableFile("Tệp PDF bị hỏng, không đọc được: hãy xuất lại PDF hoặc nộp bản .docx.") from exc
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # an unsupported cipher counts as locked
            opened = False
        if not opened:
            raise UnreadableFile("Tệp PDF có mật khẩu: hãy gỡ mật khẩu hoặc nộp bản .docx.")
    try:
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:
        raise UnreadableFile("Tệp PDF bị hỏng, không đọc được: hãy xuất lại PDF hoặc nộp bản .docx.") from exc
    if not text.strip():
        raise UnreadableFile("PDF là bản quét, không có lớp chữ: hãy nộp bản .docx hoặc PDF xuất từ Word.")
    return text
