"""Minimal files of the kinds issue 27 found misread in real documents, drawn here so that the
tests need no third-party file: PDFs whose producer draws no space glyph (each word placed on its
own), PDFs where a piece of a syllable is drawn as its own slanted, shifted text object (PDFium
then breaks the line inside the syllable), RTF in a TCVN3 font or with French « », and a .docx
whose .VnTime run holds Unicode text."""

import io
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


def windows_1258_form(text: str) -> str:
    """Windows-1258 has ă â ê ô ơ ư precomposed and the five tones as combining marks."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + tones)
    return "".join(out)
