"""Issue 27, classes 1 to 5: text that real PDFs, RTF and legacy-font documents gave wrong.
Each file is drawn by round_two_files (reportlab, python-docx, RTF by hand); where PDFium's own
reading is the defect, the test also shows that PDFium alone reads it wrong."""

import pypdfium2 as pdfium
import pytest

from dangvu.integrity.readers import read
from dangvu.integrity.shingles import text_word_hashes
from dangvu.integrity.synthetic import to_tcvn3
from dangvu.integrity.tests import round_two_files as files
from dangvu.integrity.tests.test_readers_and_text import pdf_of
from dangvu.integrity.vietnamese import normalise, pdf_text_to_unicode, to_unicode, tokens


def as_pdfium_reads(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def read_bytes(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return read(path).original


# --- 1. words run together: no space glyph, the gaps only positions -------------------------------

RUN_TOGETHER = ["Thiết bị phần cứng được sử dụng", "lập lịch cho tiến trình"]


@pytest.mark.parametrize("bold", [(), ("cứng",)], ids=["one font", "two fonts"])
def test_words_placed_apart_without_space_glyphs_are_read_apart(tmp_path, bold):
    """A gap of an eighth of the font size between words: pdftotext reads a word break from a
    tenth; PDFium needs more and runs the words together ("thiếtbị", "phầncứng"). Letters a
    twentieth apart ("tiến" drawn letter by letter, as tracking or kerning sets them) stay a word."""
    data = files.words_placed_apart(RUN_TOGETHER, gap_em=0.125, bold_words=bold, spaced_letters=("tiến",))
    assert "Thiếtbịphần" in as_pdfium_reads(data)
    assert (data.count(b"/BaseFont") == 1) is not bold  # the one-font fast path is covered too
    assert read_bytes(tmp_path, "a.pdf", data) == "\n".join(RUN_TOGETHER)


# --- 2. a syllable broken by a line break (or a space) inside it ----------------------------------

SLANT = 0.2  # the skew of a synthetic italic
SPLIT_LINES = [
    [("Khái ni", 0, 0, SLANT), ("ệm là", 0, 4, SLANT)],
    [("Trước", 0, 0, 0), ("h", 1.4, 0, SLANT), ("ết là", 0, 4, SLANT)],
    [("biểu hiện của bi", 0, 0, SLANT), ("ểu hiện", 0, 4, SLANT)],
    [("pháp lu", 0, 0, SLANT), ("ật là", 1, -5, 0)],
    [("Khái niệm chi bi", 0, 0, 0)], [("ểu là", 0, 0, 0)],  # the next line at the margin: two lines
]


def test_pieces_of_a_syllable_on_one_line_are_joined(tmp_path):
    data = files.pieces_on_lines(SPLIT_LINES)
    drawn = as_pdfium_reads(data)
    for broken in ("Khái ni\r\nệm", "Trướch\r\nết", "bi\r\nểu", "lu ật"):  # PDFium's reading, as in the issue
        assert broken in drawn
    assert read_bytes(tmp_path, "a.pdf", data) == ("Khái niệm là\nTrước hết là\nbiểu hiện của biểu hiện\npháp luật là\n"
                                                  "Khái niệm chi bi\nểu là")


# --- 3. legacy lines the characters alone did not give away -----------------------------------------

VNI_BODY = "Ñaûng boä laõnh ñaïo nhaân daân"  # VNI's own modifiers: always recognised


def test_short_vni_lines_without_telltale_characters():
    text = "Ñaùp aùn\nCaâu 6\n" + VNI_BODY
    assert to_unicode(text) == "Đáp án\nCâu 6\nĐảng bộ lãnh đạo nhân dân"
    assert normalise(text) == "đáp án câu 6 đảng bộ lãnh đạo nhân dân"
    assert tokens(text) == normalise(text).split()
    assert text_word_hashes(text).tolist() == text_word_hashes(to_unicode(text)).tolist()


def test_a_tcvn3_line_of_latin_1_letters_only():
    line = "Cã thÓ thùc hiÖn nhiÒu lÖnh"
    assert to_tcvn3("Có thể thực hiện nhiều lệnh") == line
    assert to_unicode(line) == "Có thể thực hiện nhiều lệnh"
    assert normalise(line) == "có thể thực hiện nhiều lệnh"


def test_unicode_and_tcvn3_words_mixed_in_one_line():
    """PowerPoint's PDFs: runs in a Unicode font and runs in .VnTime on one line."""
    line = "Một số to¸n tö ph¶i ®ưîc ®Þnh nghÜa"
    assert to_unicode(line) == "Một số toán tử phải được định nghĩa"
    assert normalise(line) == "một số toán tử phải được định nghĩa"
    assert text_word_hashes(line).tolist() == text_word_hashes(to_unicode(line)).tolist()


def test_pdfium_substitutes_for_tcvn3_glyphs():
    """Greek mu for à (TCVN3's µ) and the minus sign for ư (its soft hyphen), by glyph name."""
    assert pdf_text_to_unicode("Lμ ng−êi ®−îc ph¸t huy vμ x©y dùng") == "Là người được phát huy và xây dựng"
    assert pdf_text_to_unicode("Kích thước 5 μm, nhiệt độ x − 1") == "Kích thước 5 μm, nhiệt độ x − 1"


def test_a_tcvn3_pdf_whose_font_names_the_u_horn_minus(tmp_path):
    """A simple TrueType .VnTime in WinAnsi whose glyph 0xAD (ư) is named "minus": PDFium reads −."""
    line = "Lµ ng\xadêi ®\xadîc ph¸t huy"
    content = b"BT /F1 12 Tf 50 300 Td (" + line.encode("latin-1") + b") Tj ET"
    font = (b"<</Type/Font/Subtype/TrueType/BaseFont/.VnTime/FirstChar 32/LastChar 255/Widths[%s]"
            b"/Encoding<</Type/Encoding/BaseEncoding/WinAnsiEncoding/Differences[173/minus]>>>>"
            % b" ".join([b"500"] * 224))
    data = pdf_of([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
                   b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 400]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
                   b"<</Length %d>>stream\n%s\nendstream" % (len(content), content), font])
    assert "ng−êi" in as_pdfium_reads(data)
    assert read_bytes(tmp_path, "a.pdf", data) == "Là người được phát huy"


TCVN3_BODY = ["Bé gâ tiÕng ViÖt cho phÐp gâ ch÷ cã dÊu.", "Mçi ®¶ng viªn ph¶i th\xadêng xuyªn tu d\xadìng."]


def test_an_rtf_heading_in_vntime(tmp_path):
    assert to_tcvn3("Kiểu gõ TELEX") == "KiÓu gâ TELEX"
    data = files.rtf([(1, "KiÓu gâ TELEX")] + [(0, line) for line in TCVN3_BODY], [".VnTime", ".VnTimeH"])
    text = to_unicode(read_bytes(tmp_path, "a.rtf", data)).strip()
    assert text.splitlines() == ["Kiểu gõ TELEX", "Bộ gõ tiếng Việt cho phép gõ chữ có dấu.",
                                 "Mỗi đảng viên phải thường xuyên tu dưỡng."]


# --- 4. ƣ for ư in Word 2007/2010's PDFs ---------------------------------------------------------------

def test_u_horn_written_as_oi_matches_the_docx(tmp_path):
    lines = ["CHƯƠNG 1. MỞ ĐẦU", "Mỗi đảng viên được giao nhiệm vụ, người đứng đầu chịu trách nhiệm"]
    pdf = read_bytes(tmp_path, "a.pdf", files.text_pdf([line.replace("Ư", "Ƣ").replace("ư", "ƣ") for line in lines]))
    assert "ƣ" in as_pdfium_reads(files.text_pdf(["đƣợc"]))  # PDFium keeps the file's wrong letter
    word = read(files.docx_runs(tmp_path / "a.docx", [[(line, None)] for line in lines])).original
    assert pdf == word == "\n".join(lines)
    assert tokens("đƣợc CHƢƠNG") == ["được", "chương"]  # wherever text is normalised
    assert text_word_hashes("đƣợc CHƢƠNG").tolist() == text_word_hashes("được CHƯƠNG").tolist()


# --- 5. text that is not legacy, converted as if it were ----------------------------------------------

FRENCH = "Il a « concédé » que l'été à Paris était très chaud, déjà."


def test_a_french_rtf_with_guillemets_stays_as_written(tmp_path):
    text = read_bytes(tmp_path, "a.rtf", files.rtf([(0, FRENCH)], ["Times New Roman"])).strip()
    assert text == FRENCH
    assert to_unicode(text) == FRENCH
    assert normalise(text) == normalise(FRENCH.replace("«", "").replace("»", ""))


def test_unicode_text_in_a_vntime_run_stays_unicode(tmp_path):
    path = files.docx_runs(tmp_path / "a.docx", [
        [("Câu 1. Hãy xác ", ".VnTime"), ("định vai trò", "Times New Roman")],
        [("§¶ng bé x· Hïng An", ".VnTime")],  # real TCVN3 beside it is still converted
        [("bé", ".VnTime")],  # reads as Vietnamese either way: the font decides
    ])
    assert read(path).original == "Câu 1. Hãy xác định vai trò\nĐảng bộ xã Hùng An\nbộ"
