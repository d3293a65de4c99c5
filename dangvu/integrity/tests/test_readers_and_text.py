import subprocess
import sys
import unicodedata
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter

from dangvu.integrity.readers import UnreadableFile, read
from dangvu.integrity.shingles import hashes_with_spans, text_word_hashes, token_hash
from dangvu.integrity.synthetic import to_tcvn3
from dangvu.integrity.tests.round_two_files import docx_runs, windows_1258_form
from dangvu.integrity.vietnamese import (
    canonical_syllable,
    detect_encoding,
    normalise,
    pdf_text_to_unicode,
    tokens,
    tokens_with_spans,
)

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ "


def text_pdf(text: str) -> bytes:
    """A one-page PDF with a real text layer (ASCII text, standard font)."""
    content = f"BT /F1 12 Tf 20 150 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_of(objects)


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of these objects, numbered from 1 (the first is the catalogue), with its xref table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_docx(path: Path, runs: list[tuple[str, str | None]]) -> Path:
    return docx_runs(path, [runs])


# --- normalisation ----------------------------------------------------------------

def test_legacy_fonts_convert():
    assert normalise("§¶ng bé x· Hïng An") == "đảng bộ xã hùng an"
    assert normalise("Ñaûng boä cuûa nhaân daân") == "đảng bộ của nhân dân"


@pytest.mark.parametrize("text", ["CÔNG TÁC TUYÊN GIÁO", "hoà bình", "Tôi là cán bộ, tuyên giáo ở xã",
                                  "Ông bà già yêu quê hương", "Nguyễn Văn An"])
def test_unicode_full_of_latin1_accents_is_never_taken_for_legacy(text):
    assert detect_encoding(text) == "unicode"
    assert normalise(text) == " ".join(canonical_syllable(w) for w in text.lower().replace(",", " ").split())


@pytest.mark.parametrize("a, b", [("hoà", "hòa"), ("thuỷ", "thủy"), ("qúy", "quý"), ("gìa", "già"),
                                  ("khoẻ", "khỏe"), ("Thuở", "thuở"), ("hoàng", "hoàng")])
def test_tone_placement_variants_are_one(a, b):
    assert canonical_syllable(a) == canonical_syllable(b)


def test_qu_and_gi_onsets_keep_the_tone_on_the_vowel():
    assert canonical_syllable("quý") == "quý"
    assert canonical_syllable("già") == "già"
    assert canonical_syllable("gì") == "gì"
    assert canonical_syllable("người") == "người"


@given(st.text(alphabet=VIET + VIET.upper() + ".,\n", max_size=60))
def test_normalise_is_idempotent_and_form_blind(text):
    once = normalise(text)
    assert normalise(once) == once
    assert normalise(unicodedata.normalize("NFD", text)) == once


@given(st.text(alphabet=VIET + "§¶µ¸®ñûâäù.\n ", max_size=80))
def test_fast_tokens_agree_with_the_span_tokens(text):
    assert tokens(text) == tokens_with_spans(text)[0]


PUNCTUATION = ".,;:!?()[]/-–—“”‘’«»…\u00a0\u2003\t"


@given(st.text(alphabet=VIET + VIET.upper() + PUNCTUATION + "0123456789_§¶µ¸®ñûâäùÑİ\u0301\n", max_size=120),
       st.sampled_from(["auto", "unicode", "tcvn3", "vni"]))
def test_whole_text_hashes_agree_with_the_tokens(text, encoding):
    """The fast paths (split at white space, each raw token normalised once; spans
    straight from the regex) give the same syllables and spans as the tokenizer,
    punctuation, capitals, NFD, stray combining marks and legacy text included."""
    for form in (text, unicodedata.normalize("NFD", text)):
        expected = [token_hash(t) for t in tokens(form, encoding)]
        assert text_word_hashes(form, encoding).tolist() == expected
        syllables, spans = tokens_with_spans(form, encoding)
        hashes, starts, ends = hashes_with_spans(form, encoding)
        assert hashes.tolist() == [token_hash(t) for t in syllables]
        assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == spans


def test_whole_text_hashes_of_references_dashes_and_legacy_text():
    text = "Nghị quyết 57-NQ/TW – “Đột phá” (khoa học)… Ñaûng"
    assert text_word_hashes(text).tolist() == [token_hash(t) for t in tokens(text)]
    assert tokens(text)[2:5] == ["57", "nq", "tw"]
    legacy = to_tcvn3("Đảng bộ xã Hùng An")
    assert text_word_hashes(legacy).tolist() == [token_hash(t) for t in ["đảng", "bộ", "xã", "hùng", "an"]]


def test_spans_point_into_the_original_even_for_nfd_and_tcvn3():
    nfd = unicodedata.normalize("NFD", "Đảng bộ xã Hùng An")
    toks, spans = tokens_with_spans(nfd)
    assert toks == ["đảng", "bộ", "xã", "hùng", "an"]
    assert unicodedata.normalize("NFC", nfd[spans[0][0]:spans[0][1]]) == "Đảng"
    legacy = to_tcvn3("Đảng bộ xã")
    toks, spans = tokens_with_spans(legacy)
    assert toks == ["đảng", "bộ", "xã"] and legacy[spans[2][0]:spans[2][1]] == "x·"


def test_engine_does_not_import_django():
    code = ("import sys, dangvu.integrity.scan, dangvu.integrity.synthetic, dangvu.integrity.cli; "
            "sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# --- readers -----------------------------------------------------------------------



def test_txt_encodings(tmp_path):
    text = "Đảng bộ xã Hùng An học tập nghị quyết"
    cases = {"utf8.txt": text.encode("utf-8"), "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
             "utf16.txt": text.encode("utf-16"),
             "cp1258.txt": windows_1258_form(text).encode("cp1258")}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert normalise(read(tmp_path / name).original) == normalise(text), name


def test_docx_decides_legacy_per_run_from_the_font(tmp_path):
    path = write_docx(tmp_path / "a.docx", [("§¶ng bé ", ".VnTime"), ("Ñaûng boä ", "VNI-Times"),
                                            ("và nhân dân", "Times New Roman")])
    text = read(path)
    assert text.original == "Đảng bộ Đảng bộ và nhân dân"
    assert tokens(text.original, text.encoding) == ["đảng", "bộ", "đảng", "bộ", "và", "nhân", "dân"]


def test_docx_in_a_unicode_font_is_never_converted(tmp_path):
    # "ñ" and "û" would be VNI, but the font says Unicode, and no word reads better converted.
    path = write_docx(tmp_path / "b.docx", [("Señor Brûlé", "Arial")])
    text = read(path)
    assert text.original == "Señor Brûlé"
    assert tokens(text.original, text.encoding) == tokens("Señor Brûlé", "unicode")


def test_a_docx_line_typed_in_vni_under_a_unicode_font_is_read_as_vni(tmp_path):
    """An old document typed with a VNI keyboard whose font was later replaced (LibreOffice's
    conversion of a .doc does this): the line is read by evidence, the others as they are."""
    path = docx_runs(tmp_path / "c.docx", [[("III. Caùc hoaït ñoäng:", "Times New Roman")],
                                           [("Hoạt động của học sinh", "Times New Roman")]])
    text = read(path)
    assert tokens(text.original, text.encoding) == ["iii", "các", "hoạt", "động", "hoạt", "động", "của", "học",
                                                    "sinh"]


def test_pdf_with_a_text_layer(tmp_path):
    (tmp_path / "a.pdf").write_bytes(text_pdf("Dang bo xa hoc tap nghi quyet"))
    assert "Dang bo xa" in read(tmp_path / "a.pdf").original


@pytest.mark.parametrize("name, make, says", [
    ("empty.txt", lambda p: p.write_bytes(b""), "rỗng"),
    ("old.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), ".docx"),
    ("renamed.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "lưu lại thành .docx"),
    ("broken.docx", lambda p: p.write_bytes(b"PK\x03\x04 this is not a zip"), "bị hỏng"),
    ("scan.pdf", lambda p: _blank_pdf(p), "bản quét"),
    ("locked.pdf", lambda p: _locked_pdf(p), "mật khẩu"),
    ("broken.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n garbage"), "bị hỏng"),
])
def test_unreadable_files_say_what_to_do(tmp_path, name, make, says):
    path = tmp_path / name
    make(path)
    with pytest.raises(UnreadableFile, match=says):
        read(path)


def _blank_pdf(path):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(str(path))


def _locked_pdf(path):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("mat-khau")
    writer.write(str(path))


def _docx_with_body(path: Path, paragraphs: int) -> Path:
    document = docx.Document()
    for i in range(paragraphs):
        document.add_paragraph(f"Đoạn {i}: chi bộ học tập nghị quyết, liên hệ thực tiễn ở thôn.")
    document.save(str(path))
    return path


def test_a_docx_body_over_the_limit_is_refused_with_its_size(tmp_path, monkeypatch):
    from dangvu.integrity import readers

    path = _docx_with_body(tmp_path / "dai.docx", 400)  # about 60 kB of XML
    assert "Đoạn 399" in read(path).original
    monkeypatch.setattr(readers, "MAX_XML_BYTES", 20_000)
    with pytest.raises(UnreadableFile, match="quá lớn khi giải nén"):
        read(path)


def test_a_docx_that_understates_its_body_is_never_inflated_past_what_it_claims(tmp_path):
    """The zip directory says 2 kB; the part holds 60 kB: libdeflate stops at the 2 kB it was
    promised, zipfile then finds the size wrong, and the member is told the file is damaged."""
    import struct
    import zipfile

    path = _docx_with_body(tmp_path / "doi.docx", 400)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("word/document.xml")
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    assert struct.unpack_from("<L", data, entry + 24)[0] == info.file_size
    struct.pack_into("<L", data, entry + 24, 2000)  # the central directory's uncompressed size
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFile, match="bị hỏng"):
        read(path)


def _two_font_pdf(content: bytes) -> bytes:
    """One page whose text is drawn by `content` in Helvetica (F1) and Times (F2)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 400]/Contents 4 0 R"
               b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"
               b"/F2<</Type/Font/Subtype/Type1/BaseFont/Times-Roman>>>>>>>>",
               b"<</Length %d>>stream\n%s\nendstream" % (len(content), content)]
    return pdf_of(objects)


# Helvetica at 12 pt: C is 8.664 wide, o 6.672: one run "C", a hole for the "o" (as LibreOffice
# leaves one for a letter its font lacks), "ng tac"
_HOLE = b"BT /F1 12 Tf 50 300 Td [(C) -556 (ng tac)] TJ ET "


@pytest.mark.parametrize("late, reads", [
    (b"BT /F2 12 Tf 58.664 300 Td (o) Tj ET", "Cong tac"),  # a fallback font's letter in its hole
    (b"BT /F2 12 Tf 60 300 Td (ong) Tj ET", None),  # drawn over letters, not in a hole
    (b"BT /F2 12 Tf 20 300 Td (Xin) Tj ET", None),  # to the left of the line: another column
    (b"BT /F2 12 Tf 58.664 306 Td (o) Tj ET", None),  # in the hole but raised: a superscript
])
def test_letters_drawn_back_into_their_line_are_read_where_they_stand(tmp_path, late, reads):
    import pypdfium2 as pdfium

    data = _two_font_pdf(_HOLE + late)
    (tmp_path / "a.pdf").write_bytes(data)
    as_drawn = pdfium.PdfDocument(data)[0].get_textpage().get_text_range().replace("\r\n", "\n")
    assert read(tmp_path / "a.pdf").original.strip() == (reads or as_drawn.strip())
    assert reads is None or reads not in as_drawn  # PDFium alone reads the letters as drawn


def test_a_docx_whose_zip_renames_its_parts_is_read_as_zipfile_reads_it(tmp_path):
    """An Info-ZIP Unicode Path field gives an entry another name: the entry written as
    word/document.xml is then some other file, and the body is the entry renamed to it."""
    import struct
    import zipfile
    import zlib

    real = _docx_with_body(tmp_path / "that.docx", 1)
    with zipfile.ZipFile(real) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    decoy = parts["word/document.xml"].replace("Đoạn 0".encode(), "Bản khác".encode())

    def renamed(raw: str, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(raw)
        field = b"\x01" + struct.pack("<L", zlib.crc32(raw.encode())) + name.encode()
        info.extra = struct.pack("<HH", 0x7075, len(field)) + field
        return info

    path = tmp_path / "doi-ten.docx"
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            if name == "word/document.xml":
                package.writestr(renamed("word/document.xml", "khac.xml"), decoy)
                package.writestr(renamed("body.xml", "word/document.xml"), data)
            else:
                package.writestr(name, data)
    with zipfile.ZipFile(path) as package:
        assert "Đoạn 0".encode() in package.read("word/document.xml")
    text = read(path).original
    assert "Đoạn 0" in text and "Bản khác" not in text


def _tcvn3_pdf(lines: list[str], to_unicode_map: bool) -> bytes:
    """Lines of TCVN3 text in a ".VnTime" font, as Word exports one: a simple TrueType font in
    WinAnsi encoding with a ToUnicode map of each code to itself, or with none (PDFium then
    reads the code 0xAD, TCVN3's ư, as a hyphen)."""
    shown = b" ".join(b"(%s) Tj T*" % to_tcvn3(line).encode("latin-1") for line in lines)
    content = b"BT /F1 12 Tf 14 TL 50 300 Td " + shown + b" ET"
    cmap = (b"/CIDInit/ProcSet findresource begin 12 dict begin begincmap /CMapName/VnTime def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 224 beginbfchar\n"
            + b"".join(b"<%02X> <%04X>\n" % (code, code) for code in range(32, 256))
            + b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    font = b"<</Type/Font/Subtype/TrueType/BaseFont/.VnTime/FirstChar 32/LastChar 255/Widths[%s]" \
           b"/Encoding/WinAnsiEncoding%s>>" % (b" ".join([b"500"] * 224), b"/ToUnicode 6 0 R" if to_unicode_map else b"")
    return pdf_of([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
                   b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 400]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
                   b"<</Length %d>>stream\n%s\nendstream" % (len(content), content), font,
                   b"<</Length %d>>stream\n%s\nendstream" % (len(cmap), cmap)])


TCVN3_PDF_LINES = ["Mỗi đảng viên phải thường xuyên tu dưỡng, như",  # ư inside words, and ending the line
                   "vậy chưa phát huy chủ nghĩa Mác-Lênin, tư",  # a hyphen between two words stays
                   "tưởng và lưu ý nơi cư trú - nhà ở, thư"]


@pytest.mark.parametrize("to_unicode_map", [True, False])
def test_a_tcvn3_pdf_keeps_every_u_horn_and_its_syllables_apart(tmp_path, to_unicode_map):
    """TCVN3's ư is the soft hyphen's code: PDFium reads it as a hyphen where the font has no
    ToUnicode map, and at the end of a line as its hyphenation mark, joining the next line
    ("nh" + "vËy"); joining split syllables before converting took "ph¸t huy" for "thuy"."""
    import pypdfium2 as pdfium

    data = _tcvn3_pdf(TCVN3_PDF_LINES, to_unicode_map)
    (tmp_path / "a.pdf").write_bytes(data)
    assert read(tmp_path / "a.pdf").original == "\n".join(TCVN3_PDF_LINES)
    as_drawn = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    assert "nh\ufffevËy" in as_drawn and "ph¸t huy" in as_drawn  # the cases are really there
    assert ("th-êng" in as_drawn) is not to_unicode_map


@pytest.mark.parametrize("drawn, reads", [
    (to_tcvn3("chủ nghĩa Mác") + "\ufffe" + to_tcvn3("Lênin"), "chủ nghĩa MácLênin"),  # a word hyphenated
    ("chủ nghĩa Mác-Lênin, 2020-2025\n- gạch đầu dòng", "chủ nghĩa Mác-Lênin, 2020-2025\n- gạch đầu dòng"),
    ("infor\ufffemation", "information"),  # a hyphenated word of Unicode text joined, as PDFium means
    (to_tcvn3("Quảng Ninh") + "-" + to_tcvn3("Hà Nội 2020") + "-2025", "Quảng Ninh-Hà Nội 2020-2025"),
])
def test_only_tcvn3_u_horns_read_as_hyphens_are_taken_back(drawn, reads):
    assert pdf_text_to_unicode(drawn) == reads
