"""Issue 27, what the real collection (bench/real_documents.py) still showed misread after round
two: slides printed turned a quarter with no space glyph, formula letters beyond the BMP, a TCVN3
ư written as two soft hyphens, symbol bullets joined to the next word, and a .docx whose main
part has another name. Each file is drawn here (round_two_files); where PDFium's own reading is
the defect, the test shows it too."""

import pytest

from dangvu.integrity.synthetic import to_tcvn3
from dangvu.integrity.tests import round_two_files as files
from dangvu.integrity.tests.test_round_two_text import as_pdfium_reads, read_bytes
from dangvu.integrity.vietnamese import join_split_syllables

GAP = 0.125  # of the font size between words: a word break to pdftotext, none to PDFium


def test_words_drawn_apart_along_a_turned_page_are_read_apart(tmp_path):
    """PowerPoint slides through PScript5 and Acrobat Distiller 10: the page turned a quarter and
    the text running up its y axis, where gaps read across x are none ("phầnmềm")."""
    data = files.pages_of_words_placed_apart([["yêu cầu phần mềm", "toán học rất chi tiết"]], GAP, turned=True)
    assert as_pdfium_reads(data) == "yêucầuphầnmềm\r\ntoánhọcrấtchitiết"
    assert read_bytes(tmp_path, "a.pdf", data) == "yêu cầu phần mềm\ntoán học rất chi tiết"


def test_a_page_of_a_producer_that_draws_no_spaces_is_read_apart_without_a_telltale_word(tmp_path):
    """"Tôiđichơixa" has no Vietnamese vowel before a consonant and a vowel, so that page alone
    looks like ordinary text; the next page shows the producer draws no spaces, and the first
    is read from positions too."""
    data = files.pages_of_words_placed_apart([["Tôi đi chơi xa"], ["yêu cầu phần mềm"]], GAP)
    assert as_pdfium_reads(data) == "Tôiđichơixa\nyêucầuphầnmềm"
    assert read_bytes(tmp_path, "a.pdf", data) == "Tôi đi chơi xa\nyêu cầu phần mềm"


def test_letters_beyond_the_bmp_stay_one_word_when_a_page_is_read_from_positions(tmp_path):
    """Word draws a formula's letters in Cambria Math (𝒎𝒐𝒅): PDFium gives each as two halves,
    and the font's width of a half is its default width, which put a space inside "𝗆 𝗈𝖽"."""
    data = files.words_beyond_the_bmp_placed_apart(["phần mềm 𝗆𝗈𝖽 𝗇"], GAP)
    assert as_pdfium_reads(data) == "phầnmềm𝗆𝗈𝖽𝗇"
    assert read_bytes(tmp_path, "a.pdf", data) == "phần mềm 𝗆𝗈𝖽 𝗇"


def test_two_soft_hyphens_in_a_tcvn3_run_are_one_u_horn(tmp_path):
    """A .doc typed in TCVN3 holds Word's optional hyphen beside the byte of each ư, and
    LibreOffice writes both as soft hyphens: "Trưường" unless they are one letter."""
    legacy = to_tcvn3("Trường học")
    assert legacy == "Tr\u00adêng häc"
    before, after = legacy.split("\u00ad")
    font = '<w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr>'
    body = (f'<w:p><w:r>{font}<w:t>{before}</w:t><w:softHyphen/><w:softHyphen/>'
            f'<w:t xml:space="preserve">{after}</w:t></w:r></w:p>')
    path = files.docx_with_xml(tmp_path / "a.docx", body)
    assert read_bytes(tmp_path, "a.docx", path.read_bytes()) == "Trường học"


def test_a_docx_whose_main_part_has_another_name_is_found_through_its_relationships(tmp_path):
    """Generators built on the Open XML SDK store the document as /word/document2.xml, named by
    _rels/.rels; Word and LibreOffice open it."""
    body = "<w:p><w:r><w:t>Bài thu hoạch của đảng viên</w:t></w:r></w:p>"
    path = files.docx_with_xml(tmp_path / "a.docx", body, main="word/document2.xml")
    assert read_bytes(tmp_path, "a.docx", path.read_bytes()) == "Bài thu hoạch của đảng viên"


@pytest.mark.parametrize("text, joined", [
    ("n An HTML file is a text file", "n An HTML file is a text file"), ("n it is", "n it is"),
    ("t on the page", "t on the page"), ("n get, Tr ường", "n get, Trường"), ("n Ứng dụng c ủa", "n Ứng dụng của")])
def test_a_symbol_bullet_or_a_formula_letter_is_not_joined_to_the_next_word(text, joined):
    """Wingdings draws its bullet ■ as the letter n (Quartz and PowerPoint PDFs): "n An" is a
    bullet and a word, though "nAn" makes the syllable "nan"; a syllable split where bold or
    italic changed inside it keeps its Vietnamese mark and is still joined ("Tr ường")."""
    assert join_split_syllables(text) == joined
