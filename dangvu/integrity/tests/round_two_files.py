"""Minimal files of the kinds issue 27 found misread in real documents, drawn here so that the
tests need no third-party file: PDFs whose producer draws no space glyph (each word placed on its
own), PDFs where a piece of a syllable is drawn as its own slanted, shifted text object (PDFium
then breaks the line inside the syllable), RTF in a TCVN3 font or with French « », and a .docx
whose .VnTime run holds Unicode text."""

import io
import re
import unicodedata
from pathlib import Path

import docx

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SIZE = 12


def _canvas():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    for name, path in (("DejaVu", FONT), ("DejaVuBold", BOLD)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))
    out = io.BytesIO()
    return out, canvas.Canvas(out, pagesize=(600, 400))


def _width(text: str, font: str = "DejaVu") -> float:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, font, SIZE)


def words_placed_apart(lines: list[str], gap_em: float, bold_words: tuple[str, ...] = (),
                       spaced_letters: tuple[str, ...] = ()) -> bytes:
    """Each word of each line drawn by itself, the next one `gap_em` of the font size after its end,
    with no space glyph anywhere (as Foxit's and iText's output): the gaps are only positions. The
    words in `spaced_letters` are drawn letter by letter, a twentieth of the font size apart."""
    out, canvas = _canvas()
    y = 350
    for line in lines:
        x = 50
        for word in line.split():
            font = "DejaVuBold" if word in bold_words else "DejaVu"
            canvas.setFont(font, SIZE)
            for piece in (word if word in spaced_letters else [word]):
                canvas.drawString(x, y, piece)
                x += _width(piece, font) + 0.05 * SIZE
            x += (gap_em - 0.05) * SIZE
        y -= 1.4 * SIZE
    canvas.save()
    return out.getvalue()


def words_beyond_the_bmp_placed_apart(lines: list[str], gap_em: float) -> bytes:
    """words_placed_apart, with letters beyond the BMP (a formula's 𝗆𝗈𝖽, as Word draws it in
    Cambria Math) mapped back right: reportlab writes their ToUnicode entries as code points
    ("<1D5C6>") where PDF wants UTF-16 ("<D835DDC6>"), and PDFium then reads other letters."""
    from reportlab.pdfbase import ttfonts

    make = ttfonts.makeToUnicodeCMap

    def utf16(match: re.Match) -> str:
        return "<" + chr(int(match.group(1), 16)).encode("utf-16-be").hex().upper() + ">"

    ttfonts.makeToUnicodeCMap = lambda name, subset: re.sub(r"<([0-9A-F]{5,6})>$", utf16, make(name, subset),
                                                           flags=re.M)
    try:
        return words_placed_apart(lines, gap_em)
    finally:
        ttfonts.makeToUnicodeCMap = make


def pages_of_words_placed_apart(pages: list[list[str]], gap_em: float, turned: bool = False) -> bytes:
    """Pages of lines whose words are drawn apart with no space glyph, as words_placed_apart. With
    `turned`, as PScript5 prints a PowerPoint slide: the page turned a quarter (/Rotate 90) and the
    text drawn along the page's y axis, so that it reads upright."""
    out, canvas = _canvas()
    for lines in pages:
        if turned:
            canvas.setPageRotation(90)
            canvas.translate(600, 0)
            canvas.rotate(90)  # x runs up the page's y axis
        y = 350 if not turned else 550
        for line in lines:
            x = 50
            canvas.setFont("DejaVu", SIZE)
            for word in line.split():
                canvas.drawString(x, y, word)
                x += _width(word) + gap_em * SIZE
            y -= 1.4 * SIZE
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def pieces_on_lines(lines: list[list[tuple[str, float, float, float]]]) -> bytes:
    """Lines of text objects, each (text, gap before it in points, its baseline shift in points,
    its slant): a slanted object (synthetic italic) whose baseline is off the line's makes PDFium
    start a new line, or put a space, inside the word it is part of."""
    out, canvas = _canvas()
    for n, pieces in enumerate(lines):
        x, y = 50, 350 - n * 2.5 * SIZE
        for text, gap, shift, slant in pieces:
            x += gap
            obj = canvas.beginText()
            obj.setFont("DejaVu", SIZE)
            obj.setTextTransform(1, 0, slant, 1, x, y + shift)
            obj.textOut(text)
            canvas.drawText(obj)
            x += _width(text)
    canvas.save()
    return out.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """Ordinary lines of text, spaces drawn: as Word 2007/2010 saves a PDF, whatever its letters."""
    out, canvas = _canvas()
    canvas.setFont("DejaVu", SIZE)
    for n, line in enumerate(lines):
        canvas.drawString(50, 350 - n * 1.4 * SIZE, line)
    canvas.save()
    return out.getvalue()


def rtf(paragraphs: list[tuple[int, str]], fonts: list[str]) -> bytes:
    """An RTF document in code page 1252: each paragraph (font number, text) with its bytes above
    0x7F written as \\'xx, as Word writes legacy-font text."""
    table = "".join(f"{{\\f{n}\\fnil\\fcharset0 {name};}}" for n, name in enumerate(fonts))
    body = "".join(f"\\pard\\f{font}\\fs26 {_rtf_escaped(text)}\\par\n" for font, text in paragraphs)
    return f"{{\\rtf1\\ansi\\ansicpg1252\\deff0{{\\fonttbl{table}}}\n{body}}}".encode("ascii")


def _rtf_escaped(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif code < 0x80:
            out.append(char)
        else:
            out.append(f"\\'{char.encode('latin-1')[0]:02x}")
    return "".join(out)


def docx_runs(path: Path, paragraphs: list[list[tuple[str, str | None]]]) -> Path:
    """A .docx whose paragraphs are runs of (text, font name or None)."""
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, font in runs:
            run = paragraph.add_run(text)
            if font:
                run.font.name = font
    document.save(str(path))
    return path


def docx_with_xml(path: Path, body: str, main: str = "word/document.xml") -> Path:
    """A .docx whose body is this WordprocessingML (inside <w:body>), its main part stored under
    `main` and named by the package's relationships (python-docx's own package, the part moved)."""
    import zipfile

    template = io.BytesIO()
    docx.Document().save(template)
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {namespace}><w:body>{body}</w:body></w:document>'
    name = main.rsplit("/", 1)[-1]
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                target.writestr(main, document)
                continue
            if item.filename == "word/_rels/document.xml.rels":
                target.writestr(f"word/_rels/{name}.rels", data)
                continue
            if item.filename in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"word/document.xml", main.encode())
            target.writestr(item, data)
    return path


def windows_1258_form(text: str) -> str:
    """Windows-1258 has ă â ê ô ơ ư precomposed and the five tones as combining marks."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + tones)
    return "".join(out)
