"""Read .txt, .docx and .pdf essays into text. A file that cannot be read becomes
an error that names what to do; the scan goes on."""

import codecs
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from dangvu.integrity.vietnamese import decode_8bit, tcvn3_to_unicode, vni_to_unicode

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
        # Windows-1258 (Vietnamese Windows' own code page), or TCVN3 or VNI saved as 8-bit text
        return decode_8bit(data)[0]


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
    paragraphs: list[str] = []
    _paragraphs_of(body, fonts, paragraphs)
    return "\n".join(paragraphs)


MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Never read: the alternative a consumer uses when it cannot read the modern choice (a text
# box would be read twice), text deleted by tracked changes, text moved away from here.
_SKIPPED = frozenset({MC + "Fallback", W + "del", W + "moveFrom"})


def _paragraphs_of(container, fonts: "_StyleFonts", out: list[str]) -> None:
    """Paragraphs in reading order: body, tables and content controls as they come; the
    paragraphs of a text box once, after the paragraph that anchors it."""
    for child in container:
        tag = child.tag
        if tag in _SKIPPED or not isinstance(tag, str):
            continue
        if tag == W + "p":
            runs, boxes = [], []
            _runs_of(child, runs, boxes)
            style = child.find(f"{W}pPr/{W}pStyle")
            style_font = (fonts.of_style(style) if style is not None else None) or fonts.paragraph_default()
            out.append("".join(_convert_run(_run_text(run), _run_font(run, fonts) or style_font or "")
                               for run in runs))
            for box in boxes:
                _paragraphs_of(box, fonts, out)
        else:
            _paragraphs_of(child, fonts, out)  # tables, rows, cells, content controls, inserted text


def _runs_of(element, runs: list, boxes: list) -> None:
    """The runs of one paragraph (inside hyperlinks, fields, insertions…), and the text boxes
    its runs anchor, without descending into those boxes."""
    for child in element:
        tag = child.tag
        if tag in _SKIPPED or not isinstance(tag, str):
            continue
        if tag == W + "r":
            runs.append(child)
            _boxes_in(child, boxes)
        elif tag != W + "pPr":
            _runs_of(child, runs, boxes)


def _boxes_in(element, boxes: list) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIPPED or not isinstance(tag, str):
            continue
        if tag == W + "txbxContent":
            boxes.append(child)
        else:
            _boxes_in(child, boxes)


def _run_font(run, fonts: "_StyleFonts") -> str | None:
    return _legacy_font(run.find(f"{W}rPr/{W}rFonts")) or fonts.of_style(run.find(f"{W}rPr/{W}rStyle"))


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
        elif tag == W + "softHyphen":
            # LibreOffice saves the byte 0xAD of a TCVN3 run (the letter ư) as a soft hyphen
            out.append("\u00ad")
        elif tag == W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def _legacy_font(fonts_element) -> str | None:
    """The font a run's letters are drawn in: Word draws the accented letters of legacy text
    (bytes above 0x7F) in the hAnsi font and plain ASCII in the ascii one."""
    if fonts_element is None:
        return None
    return fonts_element.get(W + "hAnsi") or fonts_element.get(W + "ascii")


_DEFAULT_FONTS = re.compile(rb"<w:docDefaults>.*?(<w:rFonts[^>]*>)(?=.*?</w:docDefaults>)", re.S)
_DEFAULT_PARAGRAPH_STYLE = re.compile(rb"<w:style\b[^>]*\bw:default=\"(?:1|true)\"[^>]*>")
_ATTRIBUTE = re.compile(rb'w:(type|styleId|hAnsi|ascii)="([^"]*)"')


class _StyleFonts:
    """Fonts named by styles, following basedOn, and the document default.

    styles.xml can be large (350 kB in python-docx's template), so it is parsed
    only when a paragraph or run names a style, or the default paragraph style
    (Normal) is needed; the document default font is read with a pattern from its
    start.
    """

    def __init__(self, styles: bytes | None):
        self.raw = styles
        self.fonts: dict[str, str | None] | None = None
        self.based_on: dict[str, str] = {}
        match = _DEFAULT_FONTS.search(styles[:20000]) if styles else None
        attributes = dict(_ATTRIBUTE.findall(match.group(1))) if match else {}
        font = attributes.get(b"hAnsi") or attributes.get(b"ascii")
        self.default = font.decode("utf-8", "replace") if font else None
        self._paragraph_default: str | None | bool = False  # False: not looked up yet

    def paragraph_default(self) -> str | None:
        """The font of the default paragraph style (Normal), for paragraphs naming no style,
        else the document default."""
        if self._paragraph_default is False:
            self._paragraph_default = None
            match = _DEFAULT_PARAGRAPH_STYLE.search(self.raw) if self.raw else None
            attributes = dict(_ATTRIBUTE.findall(match.group(0))) if match else {}
            if attributes.get(b"type") == b"paragraph" and attributes.get(b"styleId"):
                self._paragraph_default = self._chain(attributes[b"styleId"].decode("utf-8", "replace"))
        return self._paragraph_default or self.default

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
            self.fonts[style_id] = _legacy_font(style.find(f"{W}rPr/{W}rFonts"))
            based = style.find(W + "basedOn")
            if based is not None:
                self.based_on[style_id] = based.get(W + "val")

    def of_style(self, reference) -> str | None:
        style_id = reference.get(W + "val") if reference is not None else None
        return self._chain(style_id) if style_id else None

    def _chain(self, style_id: str) -> str | None:
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
    """Legacy fonts decide: .Vn* is TCVN3, VNI-* is VNI; anything else is Unicode (where a
    soft hyphen is only a place to break a line)."""
    if font.startswith(".Vn"):
        return tcvn3_to_unicode(text)
    if font.upper().startswith("VNI"):
        return vni_to_unicode(text)
    return text.replace("\u00ad", "") if "\u00ad" in text else text


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
