"""Read .txt, .docx and .pdf essays into text. A file that cannot be read becomes
an error that names what to do; the scan goes on."""

import codecs
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from dangvu.integrity.vietnamese import tcvn3_to_unicode, vni_to_unicode

SUFFIXES = (".txt", ".docx", ".pdf", ".doc")  # .doc only to say how to fix it
# Limits on what a file may make us do: a 1 MB .docx can hold a 1 GB XML part.
MAX_XML_BYTES = 20 * 2**20
MAX_PDF_PAGES = 300


class UnreadableFile(Exception):
    """The message is Vietnamese and says what the user should do."""


@dataclass
class Text:
    original: str
    # 'auto' lets the tokenizer detect legacy encodings line by line; a .docx has
    # already been converted run by run from its fonts, so it is 'unicode'.
    encoding: str = "auto"


def read(path: Path | str) -> Text:
    with open(path, "rb") as file:
        data = file.read()
    if not data or data.isspace():
        raise UnreadableFile("Tệp rỗng: không có nội dung để kiểm tra.")
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".txt":
        return Text(_decode_txt(data))
    path = Path(path)
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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(path: Path, data: bytes) -> str:
    """Paragraph texts in document order (body and tables), each run converted by its font.

    Reads the XML directly: python-docx takes about ten times longer per file.
    """
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile("Tệp Word định dạng cũ (.doc) hoặc có mật khẩu: hãy mở bằng Word và lưu lại thành .docx.")
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            parts = ["word/document.xml"] + (["word/styles.xml"] if "word/styles.xml" in names else [])
            if sum(package.getinfo(p).file_size for p in parts) > MAX_XML_BYTES:
                raise UnreadableFile(f"Tệp .docx quá lớn khi giải nén (trên {MAX_XML_BYTES // 2**20} MB chữ): "
                                     "đây không phải một bài thu hoạch; hãy kiểm tra lại tệp.")
            body = etree.fromstring(_read_part(package, parts[0]))
            styles = _read_part(package, "word/styles.xml") if len(parts) > 1 else None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as exc:  # damaged, or packed in a way Python cannot unpack
        raise UnreadableFile("Tệp .docx bị hỏng (không phải tệp Word hợp lệ): hãy mở bằng Word và lưu lại.") from exc
    fonts = _StyleFonts(styles)
    paragraphs = []
    for paragraph in body.iter(W + "p"):
        style_font = fonts.of_style(paragraph.find(f"{W}pPr/{W}pStyle")) or fonts.default
        parts = []
        for run in paragraph.iter(W + "r"):
            font = (_ascii_font(run.find(f"{W}rPr/{W}rFonts")) or fonts.of_style(run.find(f"{W}rPr/{W}rStyle"))
                    or style_font or "")
            parts.append(_convert_run(_run_text(run), font))
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _read_part(package: zipfile.ZipFile, name: str) -> bytes:
    """A part read as a stream and cut at the limit, whatever its header claims."""
    with package.open(name) as stream:
        data = stream.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise UnreadableFile(f"Tệp .docx quá lớn khi giải nén (trên {MAX_XML_BYTES // 2**20} MB chữ): "
                             "đây không phải một bài thu hoạch; hãy kiểm tra lại tệp.")
    return data


def _run_text(run) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
    return "".join(out)


def _ascii_font(fonts_element) -> str | None:
    return fonts_element.get(W + "ascii") if fonts_element is not None else None


_DEFAULT_FONT = re.compile(rb"<w:docDefaults>.*?<w:rFonts[^>]*?w:ascii=\"([^\"]+)\"(?=.*?</w:docDefaults>)", re.S)


class _StyleFonts:
    """Fonts named by styles, following basedOn, and the document default.

    styles.xml can be large (350 kB in python-docx's template), so it is parsed
    only when a paragraph or run names a style; the default font is read with a
    pattern from its start.
    """

    def __init__(self, styles: bytes | None):
        self.raw = styles
        self.fonts: dict[str, str | None] | None = None
        self.based_on: dict[str, str] = {}
        match = _DEFAULT_FONT.search(styles[:20000]) if styles else None
        self.default = match.group(1).decode() if match else None

    def _parse(self) -> None:
        from lxml import etree

        self.fonts = {}
        if not self.raw:
            return
        try:
            styles = etree.fromstring(self.raw)
        except etree.XMLSyntaxError:
            return
        for style in styles.iter(W + "style"):
            style_id = style.get(W + "styleId")
            self.fonts[style_id] = _ascii_font(style.find(f"{W}rPr/{W}rFonts"))
            based = style.find(W + "basedOn")
            if based is not None:
                self.based_on[style_id] = based.get(W + "val")

    def of_style(self, reference) -> str | None:
        style_id = reference.get(W + "val") if reference is not None else None
        if not style_id:
            return None
        if self.fonts is None:
            self._parse()
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if self.fonts.get(style_id):
                return self.fonts[style_id]
            style_id = self.based_on.get(style_id)
        return None


def _convert_run(text: str, font: str) -> str:
    """Legacy fonts decide: .Vn* is TCVN3, VNI-* is VNI; anything else is Unicode."""
    if font.startswith(".Vn"):
        return tcvn3_to_unicode(text)
    if font.upper().startswith("VNI"):
        return vni_to_unicode(text)
    return text


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
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableFile(f"Tệp PDF có {len(reader.pages)} trang, quá {MAX_PDF_PAGES} trang của một bài thu hoạch: "
                                 "hãy kiểm tra lại tệp.")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("Tệp PDF bị hỏng, không đọc được: hãy xuất lại PDF hoặc nộp bản .docx.") from exc
    if not text.strip():
        raise UnreadableFile("PDF là bản quét, không có lớp chữ: hãy nộp bản .docx hoặc PDF xuất từ Word.")
    return text
