"""Read essays into text: .docx (Word, LibreOffice), .odt, .rtf, .pdf, .txt, and .doc
through LibreOffice when it is installed. A file that cannot be read becomes an error
that names what to do (a scan, an unknown format, an empty file); the scan goes on."""

import bisect
import codecs
import io
import itertools
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from deflate import DeflateError, deflate_decompress

from dangvu.integrity.vietnamese import (
    HYPHEN_MARK,
    convert_legacy_run,
    decode_8bit,
    join_split_syllables,
    looks_run_together_or_split,
    pdf_text_to_unicode,
)

SUFFIXES = (".txt", ".docx", ".odt", ".rtf", ".pdf", ".doc")
IMAGES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".webp")
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
SCANNED = "Bản chụp: cần gõ lại hoặc nhận dạng chữ (OCR) rồi nộp bản .docx."
DOC_TIMEOUT = 60  # seconds LibreOffice may take to turn one .doc into .docx
# Limits on what a file may make us do: a 1 MB .docx can hold a 1 GB XML part.
MAX_XML_BYTES = 20 * 2**20
MAX_PDF_PAGES = 300
MAX_FILE_BYTES = 50 * 2**20


class UnreadableFile(Exception):
    """The message is Vietnamese and says what the user should do."""


@dataclass
class Text:
    original: str
    # 'auto' lets the tokenizer weigh each line's legacy encoding by evidence. A .docx's runs
    # are converted by their fonts first; a line left in VNI or TCVN3 under a Unicode font
    # (old documents typed with a legacy keyboard whose font was later replaced) is caught here.
    encoding: str = "auto"


def read(path: Path | str) -> Text:
    return _read(path, _word97_alone)


def read_many(paths: list[Path | str]):
    """Yields, for each path in order, what read() returns, or the UnreadableFile or OSError it
    raises. The batch's Word 97 files are first converted together by one LibreOffice start:
    a start costs a second or more, converting a small .doc a few hundredths."""
    word97 = [path for path in paths if _looks_word97(path)]
    if len(word97) < 2 or not _office_installed():  # nothing to share a start with, or read() refuses them
        yield from (_outcome(read, path) for path in paths)
        return
    from dangvu.lib import office

    with office.converted(word97, "doc", "docx", timeout=DOC_TIMEOUT, startup=DOC_STARTUP) as done:
        outputs = dict(zip(word97, done.outputs, strict=True))

        def from_batch(path: Path | str, data: bytes) -> bytes | None:
            if path not in outputs:
                return _word97_alone(path, data)
            return outputs[path].read_bytes() if outputs[path] else None

        yield from (_outcome(lambda path: _read(path, from_batch), path) for path in paths)


def _outcome(reader, path: Path | str) -> "Text | UnreadableFile | OSError":
    try:
        return reader(path)
    except (UnreadableFile, OSError) as exc:
        return exc


def _read(path: Path | str, word97_to_docx) -> Text:
    """read(), with the way a Word 97 file's bytes become a .docx's: (path, bytes) -> bytes or None."""
    if os.path.basename(path).startswith("~$"):
        raise UnreadableFile("Tệp tạm Word tạo ra khi một tài liệu đang mở, không phải bài thu hoạch: hãy xóa tệp này.")
    with open(path, "rb") as file:
        # sized from the file itself: read(MAX_FILE_BYTES + 1) set aside 50 MB for every essay
        size = os.fstat(file.fileno()).st_size
        data = file.read(min(size, MAX_FILE_BYTES) + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"Tệp lớn hơn {MAX_FILE_BYTES // 2**20} MB: đây không phải một bài thu hoạch; "
                             "hãy kiểm tra lại tệp.")
    if not data or data.isspace():
        raise UnreadableFile("Tệp rỗng: không có nội dung để kiểm tra.")
    suffix = os.path.splitext(path)[1].lower()
    if suffix in IMAGES or data.startswith(_IMAGE_MAGIC) and suffix not in (".txt", ".rtf"):
        raise UnreadableFile(SCANNED)
    if suffix == ".txt":
        return Text(_decode_txt(data))
    if suffix == ".docx":
        return Text(_read_docx(path, data))
    if suffix == ".pdf":
        return Text(_read_pdf(path, data))
    if suffix == ".odt":
        return Text(_read_odt(path))  # legacy text stays as its characters: detected line by line
    if suffix == ".rtf":
        return Text(_read_rtf(data))
    if suffix == ".doc":
        return _read_doc(path, data, word97_to_docx)
    raise UnreadableFile("Không đọc được loại tệp này: cần .docx, .odt, .rtf, .pdf hoặc .txt.")


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


def _read_docx(path: Path | io.BytesIO, data: bytes) -> str:
    """Paragraph texts in document order (body and tables), each run converted by its font.

    Reads the XML directly: python-docx takes about ten times longer per file.
    """
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile("Tệp Word định dạng cũ (.doc) hoặc có mật khẩu: hãy mở bằng Word và lưu lại thành .docx.")
    members = _zip_members(data, (DOCUMENT, STYLES))
    if members is None or DOCUMENT not in members:  # anything unusual: zipfile reads it, or says why not
        members = _members_by_zipfile(path)
    raw, styles = members[DOCUMENT], members.get(STYLES)
    fast = _plain_docx_text(raw, styles)
    if fast is not None:
        return _text_or_pictures(fast, raw)
    from lxml import etree

    try:
        body = etree.fromstring(raw)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(DAMAGED_DOCX) from exc
    fonts = _StyleFonts(styles)
    paragraphs: list[str] = []
    _paragraphs_of(body, fonts, paragraphs)
    return _text_or_pictures("\n".join(paragraphs), raw)


_PICTURE = re.compile(rb"<w:(?:drawing|pict|object)\b")
PICTURES_ONLY = "Tệp Word chỉ có hình ảnh, không có chữ. " + SCANNED


def _text_or_pictures(text: str, body: bytes) -> str:
    """The text; a document of pictures and no text is a scan or photos pasted into Word, which
    the member must type or have recognised (an empty essay would only say "empty")."""
    if (not text or text.isspace()) and _PICTURE.search(body):
        raise UnreadableFile(PICTURES_ONLY)
    return text


# What only the full reading handles: text boxes and alternate content, tracked deletions and
# moves, soft hyphens (ư in TCVN3), legacy fonts anywhere, symbols and fields' own text. Each
# pattern starts with a literal character, so a part is scanned in a few microseconds; they may
# send a document that did not need it to the full reading, never the other way.
_LEGACY_FONT_NAME = rb'w:rFonts\b[^>]*="(?:\.Vn|[Vv][Nn][Ii])'  # a run font named .VnTime, VNI-Times…
_LEGACY_FONT = re.compile(b"<" + _LEGACY_FONT_NAME)
# the body is searched once for both (two searches took 2 µs more of a 5 kB part)
_NEEDS_TREE = re.compile(rb"<(?:mc:|w:(?:txbxContent|del\b|moveFrom\b|softHyphen|sym\b|pict\b)|" + _LEGACY_FONT_NAME + b")")
# a run's text, a tab or a non-breaking hyphen, a line break, an empty paragraph, a paragraph's end
_PLAIN_PIECE = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:(tab|noBreakHyphen)/>|<w:(?:br|cr)\b[^>]*/>"
                          rb"|<w:p(?:\s[^>]*)?/>|</w:p>")
_MARK_TEXT = {b"tab": b"\t", b"noBreakHyphen": b"-"}


_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(m: re.Match) -> str:
    name = m.group(1)
    if name[0] != "#":
        return _NAMED[name]
    code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
    return chr(code) if 0 < code < 0x110000 else ""


DAMAGED_DOCX = "Tệp .docx bị hỏng (không phải tệp Word hợp lệ): hãy mở bằng Word và lưu lại."


def _members_by_zipfile(path: Path | io.BytesIO) -> dict[str, bytes]:
    """The document and its styles through zipfile, for packages _zip_members leaves to it."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            document, styles = (DOCUMENT, STYLES) if DOCUMENT in names else _main_parts(package, names)
            parts = {DOCUMENT: document} | ({STYLES: styles} if styles in names else {})
            if sum(package.getinfo(p).file_size for p in parts.values()) > MAX_XML_BYTES:
                raise UnreadableFile(f"Tệp .docx quá lớn khi giải nén (trên {MAX_XML_BYTES // 2**20} MB chữ): "
                                     "đây không phải một bài thu hoạch; hãy kiểm tra lại tệp.")
            return {role: _read_part(package, part) for role, part in parts.items()}
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as exc:  # damaged, or packed in a way Python cannot unpack
        raise UnreadableFile(DAMAGED_DOCX) from exc


_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _main_parts(package: zipfile.ZipFile, names: set[str]) -> tuple[str, str]:
    """The main document part and its styles part where they are not word/document.xml and
    word/styles.xml: the package's relationships name them (generators built on the Open XML
    SDK write "/word/document2.xml"). A KeyError where the package names no main part."""
    main = _related(package, "_rels/.rels", "", "officeDocument")
    if main is None or main not in names:
        raise KeyError(DOCUMENT)
    folder, _, name = main.rpartition("/")
    relationships = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    styles = _related(package, relationships, folder, "styles") if relationships in names else None
    return main, styles or STYLES


def _related(package: zipfile.ZipFile, relationships: str, folder: str, kind: str) -> str | None:
    """The part the first relationship of this kind in a relationships part points to, as a
    name in the package (a target is relative to the folder of the part it belongs to, or
    absolute from the package's root)."""
    import posixpath

    from lxml import etree

    try:
        tree = etree.fromstring(_read_part(package, relationships))
    except (KeyError, etree.XMLSyntaxError):
        return None
    for relationship in tree.iter(_RELATIONSHIP):
        if relationship.get("Type", "").rsplit("/", 1)[-1] == kind and relationship.get("TargetMode") != "External":
            target = relationship.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            return posixpath.normpath(path)
    return None


def _plain_docx_text(body: bytes, styles: bytes | None) -> str | None:
    """The text of a document with nothing but Unicode paragraphs, runs and tables (nearly
    every essay), by one pattern over the XML: four times faster than building its tree.
    None when the document needs the full reading."""
    if _NEEDS_TREE.search(body) or (styles and _LEGACY_FONT.search(styles)):
        return None
    pieces = []
    for text, mark in map(re.Match.groups, _PLAIN_PIECE.finditer(body)):  # one pass, 2 µs less than three
        pieces.append(text if text is not None else _MARK_TEXT.get(mark, b"\n"))
    joined = b"".join(pieces)
    try:
        text = (joined[:-1] if joined.endswith(b"\n") else joined).decode("utf-8")  # no end after the last paragraph
    except UnicodeDecodeError:
        return None  # not UTF-8 as a .docx must be: the full reading says it is damaged
    return _ENTITY.sub(_entity, text) if "&" in text else text


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


DOCUMENT, STYLES = "word/document.xml", "word/styles.xml"
_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
_DIRECTORY_ENTRY = struct.Struct("<4s6H3L5H2L")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def _zip_members(data: bytes, names: tuple[str, ...]) -> dict[str, bytes] | None:
    """The named members of a plain zip package held in `data`, read straight from its central
    directory (zipfile took 60 µs a file to set up, as long as reading the essay): None for
    anything out of the ordinary (zip64, encryption, another compression, a damaged entry),
    which zipfile then reads or reports. A member over MAX_XML_BYTES is refused."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) - end < _END_OF_DIRECTORY.size:
        return None
    _sig, _disk, _start_disk, _here, _entries, size, offset, _comment = _END_OF_DIRECTORY.unpack_from(data, end)
    if offset + size > end:
        return None
    found = {}
    for wanted in names:
        name = wanted.encode()
        # the entry is found by its name (a directory entry's name starts 46 bytes in), not by
        # walking every entry; a name found anywhere else is no entry and sends the file to zipfile
        at = data.find(name, offset, end) - 46
        if at < offset:
            continue
        if data[at:at + 4] != b"PK\x01\x02":
            return None
        (_sig, _made, _need, flags, method, _time, _date, crc, packed, unpacked, name_length, extra_length,
         _comment_length, _disk, _internal, _external, local) = _DIRECTORY_ENTRY.unpack_from(data, at)
        if name_length != len(name) or flags & 1 or method not in (0, 8) or 0xFFFFFFFF in (packed, unpacked, local):
            return None
        extra = data[at + _DIRECTORY_ENTRY.size + name_length:at + _DIRECTORY_ENTRY.size + name_length + extra_length]
        if b"up" in extra:  # an Info-ZIP Unicode Path field may give the entry another name: zipfile decides
            return None
        if unpacked > MAX_XML_BYTES:
            raise UnreadableFile(f"Tệp .docx quá lớn khi giải nén (trên {MAX_XML_BYTES // 2**20} MB chữ): "
                                 "đây không phải một bài thu hoạch; hãy kiểm tra lại tệp.")
        if data[local:local + 4] != b"PK\x03\x04" or local + _LOCAL_HEADER.size > len(data):
            return None
        *_head, local_name, local_extra = _LOCAL_HEADER.unpack_from(data, local)
        if data[local + _LOCAL_HEADER.size:local + _LOCAL_HEADER.size + local_name] != name:
            return None  # the entry and its data disagree on the name: zipfile decides
        start = local + _LOCAL_HEADER.size + local_name + local_extra
        raw = data[start:start + packed]
        try:
            # libdeflate, told the size, inflates twice as fast as zlib and never writes past it
            content = deflate_decompress(raw, unpacked) if method == 8 else raw
        except DeflateError:
            return None
        if len(content) != unpacked or zlib.crc32(content) != crc:
            return None
        found[wanted] = content
    return found


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
            # LibreOffice saves the byte 0xAD of a TCVN3 run (the letter ư) as a soft hyphen, and
            # Word's optional hyphen as one too: Vietkey typed one beside each ư ("Tr­­êng"), and
            # "ưư" is in no syllable, so soft hyphens side by side are one ư
            if not (out and out[-1] == "\u00ad"):
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
    """Legacy fonts name the encoding: .Vn* is TCVN3, VNI-* is VNI, unless the run's text reads
    as Unicode typed in that font (convert_legacy_run weighs it); anything else is Unicode
    (where a soft hyphen is only a place to break a line)."""
    if font.startswith(".Vn"):
        return convert_legacy_run(text, "tcvn3")
    if font.upper().startswith("VNI"):
        return convert_legacy_run(text, "vni")
    return text.replace("\u00ad", "") if "\u00ad" in text else text


# --- OpenDocument (.odt) -------------------------------------------------------------------

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
# not the essay: deleted text kept for tracked changes, notes' citations and bodies, a
# table of contents, the document's own annotations
_ODT_SKIPPED = frozenset({TEXT + "tracked-changes", TEXT + "note", OFFICE + "annotation", TEXT + "table-of-content",
                          TEXT + "sequence-decls", TEXT + "variable-decls"})


def _read_odt(path: Path) -> str:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            if package.getinfo("content.xml").file_size > MAX_XML_BYTES:
                raise UnreadableFile(f"Tệp .odt quá lớn khi giải nén (trên {MAX_XML_BYTES // 2**20} MB chữ): "
                                     "đây không phải một bài thu hoạch; hãy kiểm tra lại tệp.")
            content = etree.fromstring(_read_part(package, "content.xml"))
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as exc:
        raise UnreadableFile("Tệp .odt bị hỏng: hãy mở bằng LibreOffice và lưu lại.") from exc
    body = content.find(f"{OFFICE}body")
    paragraphs: list[str] = []
    if body is not None:
        _odt_paragraphs(body, paragraphs)
    return "\n".join(paragraphs)


def _odt_paragraphs(container, out: list[str]) -> None:
    """Paragraphs and headings in reading order; frames' and tables' paragraphs where they stand."""
    for child in container:
        tag = child.tag
        if not isinstance(tag, str) or tag in _ODT_SKIPPED:
            continue
        if tag in (TEXT + "p", TEXT + "h"):
            parts, frames = [], []
            _odt_text(child, parts, frames)
            out.append("".join(parts))
            for frame in frames:
                _odt_paragraphs(frame, out)
        else:
            _odt_paragraphs(child, out)


def _odt_text(element, parts: list[str], frames: list) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in _ODT_SKIPPED:
            if tag == TEXT + "s":
                parts.append(" " * min(int(child.get(TEXT + "c", "1") or 1), 100))
            elif tag == TEXT + "tab":
                parts.append("\t")
            elif tag == TEXT + "line-break":
                parts.append("\n")
            elif tag.endswith("}frame"):
                frames.append(child)  # a text frame's paragraphs come after the one that anchors it
            else:
                _odt_text(child, parts, frames)
        if child.tail:
            parts.append(child.tail)


# --- Rich Text Format (.rtf) ---------------------------------------------------------------------

def _read_rtf(data: bytes) -> str:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise UnreadableFile("Tệp .rtf bị hỏng (không phải RTF): hãy mở bằng Word và lưu lại thành .docx.")
    if len(data) > MAX_XML_BYTES:
        raise UnreadableFile(f"Tệp .rtf quá lớn (trên {MAX_XML_BYTES // 2**20} MB): hãy kiểm tra lại tệp.")
    # \'xx bytes are in the document's ANSI code page; latin-1 keeps each byte as one
    # character, so TCVN3 and VNI text is then detected line by line like any legacy text
    codepage = re.search(rb"\\ansicpg(\d+)", data[:4000])
    encoding = "cp1258" if codepage and codepage.group(1) == b"1258" else "latin-1"
    try:
        text = rtf_to_text(_rtf_prepared(data.decode("latin-1")), encoding=encoding, errors="replace")
    except Exception as exc:  # striprtf raises what its parser meets
        raise UnreadableFile("Tệp .rtf bị hỏng: hãy mở bằng Word và lưu lại thành .docx.") from exc
    return text


_RTF_DELETED = re.compile(r"\{\\deleted(?!0)")
_RTF_SHAPE = re.compile(r"\{\\shp(?![a-z])|\{\\\*\\shpinst")
_RTF_SHAPE_TEXT = re.compile(r"\{\\shptxt")


def _rtf_group_end(text: str, start: int) -> int:
    """The index after the "}" closing the group that opens at text[start]."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _rtf_prepared(text: str) -> str:
    """Tracked deletions dropped; a text box's text ({\\shp {\\*\\shpinst … {\\shptxt …}}}, which a
    plain converter skips with the rest of the shape) kept where the shape stands."""
    out, i = [], 0
    while True:
        deleted, shape = _RTF_DELETED.search(text, i), _RTF_SHAPE.search(text, i)
        found = min((m for m in (deleted, shape) if m), key=lambda m: m.start(), default=None)
        if found is None:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:found.start()])
        end = _rtf_group_end(text, found.start())
        if found is shape:
            inner = _RTF_SHAPE_TEXT.search(text, found.start(), end)
            if inner:
                out.append("{" + text[inner.end():_rtf_group_end(text, inner.start())] + "\\par ")
        i = end


# --- old Word (.doc), through LibreOffice when installed ----------------------------------------

DOC_STARTUP = 30  # seconds more for the first .doc of a LibreOffice start, which starts it
OLD_DOC = "Tệp Word định dạng cũ (.doc): hãy mở bằng Word và lưu lại thành .docx."


def _read_doc(path: Path | str, data: bytes, word97_to_docx) -> Text:
    """A .doc is what its bytes say: Word 97, or what Word and download sites also save as .doc
    (a web page, a web archive, RTF, a renamed .docx or .odt), read as what it is."""
    if data.startswith(_OLE_MAGIC):
        return Text(_read_word97(path, data, word97_to_docx))
    if data.lstrip().startswith(b"{\\rtf"):
        return Text(_read_rtf(data))
    if data.startswith(b"PK\x03\x04"):
        if b"mimetype" in data[:100] and b"opendocument.text" in data[:200]:
            return Text(_read_odt(path))
        return Text(_read_docx(path, data))
    from dangvu.integrity import wordhtml

    page = wordhtml.page_of(data)
    if page is None:
        raise UnreadableFile(OLD_DOC)
    return Text(wordhtml.text_of(page))  # legacy lines left unmarked by a font are detected line by line


def _read_word97(path: Path | str, data: bytes, word97_to_docx) -> str:
    if not _office_installed():
        raise UnreadableFile(OLD_DOC)
    converted = word97_to_docx(path, data)
    if converted is None:
        raise UnreadableFile("Không chuyển được tệp .doc (hỏng, có mật khẩu hoặc quá lâu): "
                             "hãy mở bằng Word và lưu lại thành .docx.")
    return _read_docx(io.BytesIO(converted), converted)  # the converted package, read from memory


def _word97_alone(path: Path | str, data: bytes) -> bytes | None:
    from dangvu.lib.office import convert

    return convert(data, "doc", "docx", timeout=DOC_TIMEOUT)


def _office_installed() -> bool:
    from dangvu.lib.office import office_binary

    return office_binary() is not None


def _looks_word97(path: Path | str) -> bool:
    """Whether read() would hand the file to LibreOffice: a .doc within the size limit, starting
    as Word 97 does (only its first bytes are read here)."""
    if os.path.splitext(path)[1].lower() != ".doc" or os.path.basename(path).startswith("~$"):
        return False
    try:
        with open(path, "rb") as file:
            return os.fstat(file.fileno()).st_size <= MAX_FILE_BYTES and file.read(8) == _OLE_MAGIC
    except OSError:
        return False  # read() says what is wrong


# --- PDF ----------------------------------------------------------------------------------------

def _read_pdf(path: Path, data: bytes) -> str:
    """The text layer through PDFium (Chrome's PDF engine): twenty times faster than pypdf on
    LibreOffice's PDFs, and it keeps syllables whole where bold or italic changes inside a word."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFile("Tệp PDF có mật khẩu: hãy gỡ mật khẩu hoặc nộp bản .docx.") from exc
        raise UnreadableFile("Tệp PDF bị hỏng, không đọc được: hãy xuất lại PDF hoặc nộp bản .docx.") from exc
    try:
        if len(document) > MAX_PDF_PAGES:
            raise UnreadableFile(f"Tệp PDF có {len(document)} trang, quá {MAX_PDF_PAGES} trang của một bài thu hoạch: "
                                 "hãy kiểm tra lại tệp.")
        # one font and no compressed objects hiding others: no fallback font, no check (0.1 ms a page)
        one_font = data.count(b"/BaseFont") == 1 and b"/ObjStm" not in data
        pages, as_read = [], []  # the pages' texts; the pages read as PDFium reads them
        unspaced = False  # whether the document draws no spaces: then every page is read from positions
        for index in range(len(document)):
            page_text, respaced = _page_text(document, index, one_font, unspaced)
            if respaced is None:
                as_read.append(index)
            elif not unspaced and respaced:
                unspaced = True
                for earlier in as_read:  # the pages where no run-together word showed it (few: they are read first)
                    pages[earlier] = _page_text(document, earlier, one_font, True)[0]
                as_read = []
            pages.append(page_text)
    except UnreadableFile:
        raise
    except Exception as exc:  # PDFium reports damage in several ways
        raise UnreadableFile("Tệp PDF bị hỏng, không đọc được: hãy xuất lại PDF hoặc nộp bản .docx.") from exc
    finally:
        document.close()
    text = "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n")
    if not text.replace(HYPHEN_MARK, "").strip():
        raise UnreadableFile("PDF là bản quét, không có lớp chữ. " + SCANNED)
    # legacy lines converted first: joining split syllables needs Vietnamese letters
    return join_split_syllables(pdf_text_to_unicode(text))


def _page_text(document, index: int, one_font: bool, respace: bool) -> tuple[str, bool | None]:
    """A page's text, and None if read as PDFium reads it, else whether reading it from the
    letters' positions put in spaces PDFium had not (the producer draws none: a page of it may
    show no run-together word that looks_run_together_or_split knows, "biểubằng", "chứcn\uf03dng",
    and is read from positions all the same)."""
    page = document[index]
    text_page = page.get_textpage()
    try:
        if respace:
            return _positioned_text(text_page, respace=True), True
        reordered = None if one_font or not _drawn_out_of_order(text_page) else _positioned_text(text_page)
        page_text = reordered or text_page.get_text_range()
        if not looks_run_together_or_split(page_text):  # some 30 µs a page to ask; rarely so
            return page_text, None
        respaced = _positioned_text(text_page, respace=True)
        return respaced, respaced.count(" ") >= page_text.count(" ") + SPACES_PUT_IN
    finally:
        text_page.close()
        page.close()


SPACES_PUT_IN = 3  # spaces a page read from positions has more than PDFium's: a producer that draws none


def _drawn_out_of_order(text_page) -> bool:
    """Whether a run of text is drawn back inside an earlier one on the same line: LibreOffice
    draws the letters its font lacks (ề, ụ, ị…) from a fallback font after the rest of the line,
    and PDFium gives them in drawing order ("truyn … ề"). Judged from PDFium's rectangles, one
    per run: a few dozen a page, against thousands of characters."""
    rects = [text_page.get_rect(i) for i in range(text_page.count_rects())]
    for (_left, bottom, right, top), (next_left, next_bottom, _right, next_top) in itertools.pairwise(rects):
        overlap = min(top, next_top) - max(bottom, next_bottom)
        if overlap > 0.5 * min(top - bottom, next_top - next_bottom) and next_left < right - 1:
            return True
    return False


def _positioned_text(text_page, respace: bool = False) -> str | None:
    """The page's text with runs drawn back inside their line put where they stand; None if
    no line needs it (the page is then read as PDFium reads it). With `respace`, every line is
    also read from the letters' positions, as pdftotext reads them: a line PDFium broke where
    the next letters go on along it is joined back (_continued_lines), and spaces are where the
    gaps are (_respaced), for producers that draw no space glyph.

    PDFium's lines (in drawing order) are kept as PDFium reads them, except a line whose
    letters go back to the left, or that a later line is drawn inside (same baseline, within
    its width), where the letters drawn later fill the holes the others left (_fills_holes):
    those are read in order of position, PDFium's own spaces dropped and re-made where a
    letter starts a tenth of the line's height or more after the previous one's advance
    ends (a letter's own spacing is a few hundredths; a space a fifth or more)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    handle = text_page.raw
    x, y, box = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_RECTF()
    advances = _Advances(handle)
    lines: list[list[_Char]] = [[]]
    previous, turn = 0, None
    for i in range(pdfium_c.FPDFText_CountChars(handle)):
        code = pdfium_c.FPDFText_GetUnicode(handle, i)
        if code in (0x0A, 0x0D):  # a line ends at \r\n, \r or \n, as PDFium's own text has it
            if not (code == 0x0A and previous == 0x0D):
                lines.append([])
            previous = code
            continue
        previous = code
        if code == 0x02:  # PDFium's mark for a word hyphenated at the end of a line
            lines[-1].append(_Char(HYPHEN_MARK, True, 0, 0, 0, 1, 1))
            continue
        if 0xDC00 <= code <= 0xDFFF and lines[-1] and "\ud800" <= lines[-1][-1].text <= "\udbff":
            # the second half of a character beyond the BMP (𝒎, Word's formulas): one letter with the first
            lines[-1][-1] = lines[-1][-1]._replace(text=lines[-1][-1].text + chr(code))
            continue
        pdfium_c.FPDFText_GetCharOrigin(handle, i, x, y)
        if code == 0x20 and pdfium_c.FPDFText_IsGenerated(handle, i) == 1:  # PDFium puts in only spaces
            along, across = _in_frame(x.value, y.value, turn)
            lines[-1].append(_Char(" ", True, along, along, across, 0.1, 0.1))
            continue
        advance, size, turn = advances.of(i, code)
        along, across = _in_frame(x.value, y.value, turn)
        # the font's em stands for the height of the line it makes; a font's width of half a
        # character beyond the BMP is only its default width
        if advance > 0 and not 0xD800 <= code <= 0xDBFF:
            lines[-1].append(_Char(chr(code), False, along, along + advance, across, size, size))
            continue
        # no font to ask (a Type 3 font, a letter it cannot map back): PDFium's loose box, which also
        # holds the letter's ink, standing out past its advance in places (ư's horn)
        pdfium_c.FPDFText_GetLooseCharBox(handle, i, box)
        corners = [_in_frame(px, py, turn) for px in (box.left, box.right) for py in (box.bottom, box.top)]
        height = max(max(c[1] for c in corners) - min(c[1] for c in corners), 0.1)
        end = max(max(c[0] for c in corners), along)
        lines[-1].append(_Char(chr(code), False, along, end, across, height, size or height))
    if respace:
        lines = _continued_lines(lines)
    merged: list[list[_Char]] = []  # with whether each line is read in order of position
    filled: list[bool] = []
    for line in lines:
        if merged and _drawn_inside(merged[-1], line) and _fills_holes(merged[-1] + line):
            merged[-1], filled[-1] = merged[-1] + line, True
        else:
            merged.append(line)
            filled.append(_fills_holes(line))
    if not any(filled) and not respace:
        return None
    as_drawn = _respaced if respace else _as_pdfium_reads
    text = "\n".join(_in_order_of_position(line) if fill else as_drawn(line)
                     for line, fill in zip(merged, filled, strict=True))
    # PDFium gives UTF-16 units: a character beyond the BMP comes as two halves
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _in_frame(x: float, y: float, turn: tuple[float, float] | None) -> tuple[float, float]:
    """A point on the page as (along, across) the text's own direction: PowerPoint slides printed
    through PScript5 onto a portrait page turned a quarter (/Rotate 90) run along the page's
    y axis, where left-to-right positions would find no gap between words ("phầnmềm")."""
    if turn is None:
        return x, y
    cos, sin = turn
    return x * cos + y * sin, y * cos - x * sin


class _Char(NamedTuple):
    text: str
    generated: bool  # a space or line end PDFium put in, not drawn
    x: float  # where the letter starts on its baseline, along the text's direction
    end: float  # where its advance ends
    baseline: float
    height: float  # of the line the font makes: ascent to descent, on the page
    size: float  # the font's size on the page (its em)


class _Advances:
    """Each letter's advance and font size on the page, from its text object's font: PDFium's
    character boxes hold the ink as well, which for ư, ơ and slanted letters reaches past the
    advance and hides the gap a producer that draws no space leaves after them. Fonts and widths
    are looked up once per text object and letter."""

    def __init__(self, handle):
        import ctypes

        self.handle = handle
        self.api = _pdfium_by_address()
        # text object → (font, size on the page, its direction: None upright, else (cos, sin))
        self.objects: dict[int | None, tuple[int | None, float, tuple[float, float] | None]] = {}
        self.widths: dict[tuple[int, int], float] = {}  # (font, letter) → advance at size 1000
        self.value, self.matrix = ctypes.c_float(), None

    def of(self, index: int, code: int) -> tuple[float, float, tuple[float, float] | None]:
        """(advance, font size, direction) of the letter at `index`; 0 advance where no font tells it."""
        text_object = self.api.text_object(self.handle, index)
        found = self.objects.get(text_object)
        if found is None:
            found = self.objects[text_object] = self._font_of(text_object, index)
        font, size, turn = found
        if not font:
            return 0.0, 0.0, turn
        width = self.widths.get((font, code))
        if width is None:
            ok = self.api.glyph_width(font, code, 1000.0, self.value)
            width = self.widths[(font, code)] = self.value.value if ok else 0.0
        return width * size / 1000, size, turn

    def _font_of(self, text_object: int | None, index: int) -> tuple[int | None, float, tuple[float, float] | None]:
        import math

        import pypdfium2.raw as pdfium_c

        self.matrix = self.matrix or pdfium_c.FS_MATRIX()
        if not pdfium_c.FPDFText_GetMatrix(self.handle, index, self.matrix):
            return None, 0.0, None
        a, b = self.matrix.a, self.matrix.b
        scale = math.hypot(a, b)
        # the text's baseline direction on the page; nearly every line is upright
        turn = None if a > 0 and abs(b) <= 1e-3 * a or not scale else (a / scale, b / scale)
        font = self.api.font(text_object) if text_object else None
        if not font or not self.api.font_size(text_object, self.value):
            return None, 0.0, turn
        return font, self.value.value * scale, turn


_BY_ADDRESS: list = []  # made on first use


def _pdfium_by_address():
    """PDFium's text-object and font functions taking and giving plain addresses: pypdfium2's
    typed pointers cost a cast (a microsecond) to compare or look up, for every letter."""
    if not _BY_ADDRESS:
        _BY_ADDRESS.append(_functions_by_address())
    return _BY_ADDRESS[0]


def _functions_by_address():
    import ctypes
    from types import SimpleNamespace

    import pypdfium2.raw as pdfium_c

    address, float_out = ctypes.c_void_p, ctypes.POINTER(ctypes.c_float)

    def typed(function, restype, *argtypes):
        return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)

    return SimpleNamespace(
        text_object=typed(pdfium_c.FPDFText_GetTextObject, address, address, ctypes.c_int),
        font=typed(pdfium_c.FPDFTextObj_GetFont, address, address),
        font_size=typed(pdfium_c.FPDFTextObj_GetFontSize, ctypes.c_int, address, float_out),
        glyph_width=typed(pdfium_c.FPDFFont_GetGlyphWidth, ctypes.c_int, address, ctypes.c_uint32, ctypes.c_float,
                          float_out),
    )


def _drawn(line: list[_Char]) -> list[_Char]:
    return [c for c in line if not c.generated]


def _drawn_inside(line: list[_Char], later: list[_Char]) -> bool:
    drawn, after = _drawn(line), _drawn(later)
    if not drawn or not after:
        return False
    same_baseline = abs(drawn[0].baseline - after[0].baseline) < 0.3 * drawn[0].height
    return same_baseline and min(c.x for c in drawn) - 1 < min(c.x for c in after) \
        and max(c.end for c in after) < max(c.end for c in drawn) + 1


def _keeps_order(char: str) -> bool:
    """Right-to-left letters, marks drawn over their letter, halves of a character beyond
    the BMP: text whose order is not its letters' order on the line."""
    return "\ud800" <= char[0] <= "\udfff" or unicodedata.bidirectional(char) in ("R", "AL") \
        or unicodedata.category(char)[0] == "M"


def _fills_holes(line: list[_Char]) -> bool:
    """Whether the line goes back to the left, and every letter drawn back stands in a hole
    the letters drawn before it left: a fallback font's letters in the gaps of the main
    font's words, run after run. Columns, tables drawn column by column, sub- and
    superscripts, text over text and right-to-left script do not look like that and keep
    PDFium's order."""
    drawn = _drawn(line)
    if not drawn or any(_keeps_order(c.text) for c in drawn):
        return False
    placed = [drawn[0]]  # the letters so far, by position
    went_back = False
    for char in drawn[1:]:
        overhang = (char.end - char.x) / 4  # a fallback letter may be a little wider than its hole
        if char.x >= placed[-1].x - 1:  # the line goes on to the right
            placed.append(char)
            continue
        at = bisect.bisect([c.x for c in placed], char.x)
        before, after = placed[at - 1] if at else None, placed[at]
        if before is None or char.x < before.end - overhang or char.end > after.x + overhang \
                or abs(char.baseline - before.baseline) >= 0.3 * char.height:
            return False
        placed.insert(at, char)
        went_back = True
    return went_back


def _as_pdfium_reads(line: list[_Char]) -> str:
    return "".join(c.text for c in line)


def _continued_lines(lines: list[list[_Char]]) -> list[list[_Char]]:
    """PDFium's lines, each joined to the one before where its first letter goes on along that
    one's baseline (within half its height) from where the last letter ended (less than its
    height further): Acrobat Distiller's PDFs draw a piece of a word as its own text object,
    slanted and a little off the baseline, and PDFium starts a new line there ("Khái ni⏎ệm")."""
    out: list[list[_Char]] = []
    for line in lines:
        if out and _goes_on(out[-1], line):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def _goes_on(line: list[_Char], later: list[_Char]) -> bool:
    last = next((c for c in reversed(line) if not c.generated and not c.text.isspace()), None)
    first = next((c for c in later if not c.generated and not c.text.isspace()), None)
    if last is None or first is None:
        return False
    height = max(last.height, first.height)
    return abs(first.baseline - last.baseline) < 0.5 * height and -0.1 * height <= first.x - last.end < height


def _respaced(line: list[_Char]) -> str:
    """A line in PDFium's order with a space wherever a letter starts a tenth of its font size
    or more after the previous letter's advance ends on the same baseline, as
    pdftotext breaks words, and nowhere else; where the text jumps back or off the baseline,
    PDFium's own space (or none) stands."""
    text: list[str] = []
    last, space = None, False  # the last letter drawn; whether PDFium put a space since
    for char in line:
        if char.generated:
            if char.text == HYPHEN_MARK:
                text.append(char.text)
                last, space = None, False
            else:
                space = True
            continue
        if last is not None and not char.text.isspace() and not last.text.isspace():
            gap = char.x - last.end
            along = abs(char.baseline - last.baseline) < 0.5 * max(char.height, last.height) and gap > -0.5 * char.height
            if gap >= 0.1 * char.size if along else space:
                text.append(" ")
        text.append(char.text)
        last, space = char, False
    return "".join(text)


def _in_order_of_position(line: list[_Char]) -> str:
    text, last = [], None
    for char in sorted(_drawn(line), key=lambda c: c.x):
        if last and " " not in (char.text, last.text) and char.x - last.end >= 0.1 * char.height:
            text.append(" ")
        text.append(char.text)
        last = char
    return "".join(text)
