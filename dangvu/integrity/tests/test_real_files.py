"""Essays as real producers write them (files made by LibreOffice 7 and glibc's iconv, kept in
tests/files/, remade by files/make_files.py): each is read whole, once, in reading order,
and scores as a twin of the same essay typed as plain text, with passages on the same words."""

import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from dangvu.integrity.readers import read
from dangvu.integrity.scan import Options, scan
from dangvu.integrity.vietnamese import normalise, to_unicode

FILES = Path(__file__).parent / "files"
ESSAY = (FILES / "essay.txt").read_text(encoding="utf-8")
PARAGRAPHS = [p for p in ESSAY.splitlines() if p.strip()]
BOX = PARAGRAPHS[0]  # the text frame / text box of the styled document
DELETED = "câu đã xóa không được đọc"

STYLED = ["lo-styled.docx", "lo-styled.odt", "lo-styled.rtf", "lo-styled.doc", "lo-styled.pdf", "lo-fallback.pdf"]
LEGACY = ["lo-tcvn3.docx", "lo-tcvn3.rtf", "lo-vni.docx", "lo-vni.rtf", "tcvn3-8bit.txt", "vni-8bit.txt",
          "vni-utf8.txt"]


def _read(name: str) -> str:
    if name.endswith(".doc") and not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed: a .doc is then refused with what to do")
    return normalise(to_unicode(read(FILES / name).original))


@pytest.mark.parametrize("name", STYLED)
def test_styled_documents_are_read_whole_and_once(name):
    text = _read(name)
    for paragraph in PARAGRAPHS[1:3] + PARAGRAPHS[4:]:
        assert normalise(paragraph) in text, (name, paragraph[:40])
    assert text.count(normalise(BOX)) == 1, name  # the text box once, not four times
    if not name.endswith(".pdf"):  # a PDF shows the deletion struck through, as printed
        assert normalise(DELETED) not in text, name


@pytest.mark.parametrize("name", LEGACY)
def test_legacy_encodings_are_converted(name):
    text = _read(name)
    for paragraph in PARAGRAPHS[1:3] + PARAGRAPHS[4:]:
        assert normalise(paragraph) in text, (name, paragraph[:40])


def test_the_cases_the_files_stand_for():
    """The files really hold what the tests above are about."""
    with zipfile.ZipFile(FILES / "lo-tcvn3.docx") as package:
        body = package.read("word/document.xml").decode()
        styles = package.read("word/styles.xml").decode()
    assert "<w:softHyphen/>" in body and ".VnTime" not in body and ".VnTime" in styles  # ư as a soft hyphen
    with zipfile.ZipFile(FILES / "lo-styled.docx") as package:
        body = package.read("word/document.xml").decode()
    assert "mc:Fallback" in body and body.count("<w:txbxContent>") == 2  # the box and its fallback
    assert "<w:del " in body and "<w:ins " in body  # tracked changes
    assert (FILES / "lo-styled.doc").read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    # letters the font lacks come from a fallback font, drawn after the rest of their line
    fallback = (FILES / "lo-fallback.pdf").read_bytes()
    assert b"+LiberationSansNarrow" in fallback and b"+DejaVuSans" in fallback
    import pypdfium2 as pdfium

    drawn = pdfium.PdfDocument(fallback)[0].get_textpage().get_text_range()
    assert normalise(PARAGRAPHS[-1]) not in normalise(drawn.replace("\r\n", " "))


def test_runs_split_mid_word_by_python_docx(tmp_path):
    document = docx.Document()
    for paragraph in PARAGRAPHS:
        p = document.add_paragraph()
        for n in range(0, len(paragraph), 7):  # every seven characters a new run, inside words
            run = p.add_run(paragraph[n:n + 7])
            run.bold = n % 14 == 0
    document.save(str(tmp_path / "split.docx"))
    assert normalise(read(tmp_path / "split.docx").original) == normalise(ESSAY)


@pytest.mark.parametrize("name", STYLED + LEGACY)
def test_each_file_is_the_twin_of_the_plain_essay(tmp_path, name):
    if name.endswith(".doc") and not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    shutil.copy(FILES / "essay.txt", tmp_path / "a.txt")
    shutil.copy(FILES / name, tmp_path / ("b" + Path(name).suffix))
    result = scan(tmp_path, Options(workers=1, min_words=20))
    assert not result["errors"]
    [pair] = result["pairs"]
    assert pair["score"] >= 0.95, (name, pair["score"])
    a = read(tmp_path / pair["a"]).original
    b = read(tmp_path / pair["b"]).original
    for passage in pair["passages"]:  # the same words on both sides, as each file reads
        assert normalise(a[passage["a_start"]:passage["a_end"]]) == normalise(b[passage["b_start"]:passage["b_end"]])


@pytest.mark.parametrize("split, whole", [
    ("Đảng viên d ự học", "Đảng viên dự học"), ("ch ức năng", "chức năng"), ("chứ c vụ", "chức vụ"),
    ("của HĐND t ỉnh", "của HĐND tỉnh"), ("Nghị quyết 57-NQ/TW", "Nghị quyết 57-NQ/TW"),
    ("thôn A B, 2 x 3 m", "thôn A B, 2 x 3 m")])
def test_syllables_split_by_formatting_are_joined_and_abbreviations_stay(split, whole):
    from dangvu.integrity.vietnamese import join_split_syllables

    assert join_split_syllables(split) == whole


@pytest.mark.parametrize("name, out_of_order", [("lo-styled.pdf", False), ("lo-fallback.pdf", True)])
def test_only_pages_drawn_out_of_order_are_put_in_order(name, out_of_order):
    """Ordering by position is for pages where letters are drawn back into holes of their
    line; every other page is read as PDFium reads it."""
    import pypdfium2 as pdfium

    from dangvu.integrity.readers import _drawn_out_of_order, _positioned_text

    document = pdfium.PdfDocument(FILES / name)
    pages = [document[i].get_textpage() for i in range(len(document))]
    assert any(_drawn_out_of_order(page) and _positioned_text(page) is not None for page in pages) is out_of_order
