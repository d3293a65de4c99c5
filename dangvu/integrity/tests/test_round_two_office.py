"""Real documents, round two (issue 27), Word's side: old .doc files converted a batch at a time
by one LibreOffice start (a file that hangs is refused alone, the rest go on in a new start);
.doc files that are really Word HTML ("Save as Web Page"), a web archive, RTF or a renamed
.docx, read as what they are; a .docx holding only pictures refused as a scan."""

import io
import shutil
import subprocess
import tempfile
import unicodedata
from email.charset import QP, Charset
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import numpy as np
import pytest
from PIL import Image

from dangvu.integrity import readers
from dangvu.integrity.fingerprints import fingerprint_batch
from dangvu.integrity.readers import SCANNED, UnreadableFile, read
from dangvu.integrity.tests.round_two_files import windows_1258_form
from dangvu.integrity.tests.test_legacy_roundtrip import vni_encode
from dangvu.lib import office

FILES = Path(__file__).parent / "files"
needs_office = pytest.mark.skipif(office.office_binary() is None, reason="LibreOffice is not installed here")

# --- 8: a .docx of pictures only -----------------------------------------------------------------


def picture_docx(path: Path, caption: str | None = None) -> Path:
    image = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(image, "PNG")
    document = docx.Document()
    document.add_picture(image)
    if caption:
        document.add_paragraph(caption)
    document.save(str(path))
    return path


def test_a_docx_of_pictures_only_is_refused_as_a_scan(tmp_path):
    with pytest.raises(UnreadableFile) as refused:
        read(picture_docx(tmp_path / "chup.docx"))
    assert str(refused.value) == "Tệp Word chỉ có hình ảnh, không có chữ. " + SCANNED
    # a picture with text beside it is read as before
    text = read(picture_docx(tmp_path / "anh.docx", "Ảnh chụp buổi sinh hoạt chi bộ"))
    assert text.original == "\nẢnh chụp buổi sinh hoạt chi bộ"


# --- 7: .doc files that are Word HTML, a web archive, RTF or .docx --------------------------------

TCVN3 = "§¶ng bé häc tËp nghÞ quyÕt"  # "Đảng bộ học tập nghị quyết" in TCVN3 (.VnTime)
VNI_PHRASE = "Liên hệ thực tiễn ở chi bộ thôn"

WORD_HTML = """\ufeff \r\n<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset={charset}">
<meta name=ProgId content=Word.Document>
<title>Tiêu đề không phải bài</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties><o:Author>Người soạn không phải bài</o:Author></o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal, li.MsoNormal, div.MsoNormal {{margin:0cm; font-size:14.0pt; font-family:"Times New Roman";}}
 p.Tcvn {{margin:0cm; font-family:".VnTime";}}
-->
</style>
<script>var ghiChu = "mã không phải bài";</script>
</head>
<body lang=VI style='tab-interval:36.0pt'>
<div class=WordSection1>
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:16.0pt'>BÀI
THU HOẠCH<o:p></o:p></span></b></p>
<p class=MsoNormal>Qua nghiên cứu, học tập Nghị quyết, bản thân tôi nhận
thức sâu sắc hơn &amp; rõ hơn&nbsp;về vai trò &#273;&#7843;ng viên.</p>
<!-- ghi chú không phải bài -->
<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span>1.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>Mỗi đảng viên phải tu dưỡng.</p>
<table class=MsoTableGrid border=1><tr><td><p class=MsoNormal>Nội dung</p></td><td><p class=MsoNormal>Kết
quả</p></td></tr></table>
<p class=MsoNormal><span style='font-family:".VnTime";mso-hansi-font-family:".VnTime"'>{tcvn3}</span></p>
<p class=MsoNormal>Chi bộ: <span style='font-size:14.0pt;font-family:"VNI-Times"'>{vni}</span></p>
<p class=Tcvn>{tcvn3}</p>
<p class=MsoNormal><span style='font-family:".VnTime"'>Câu hỏi đã gõ bằng Unicode</span></p>
<p class=MsoNormal>dòng một<br>
dòng hai</p>
</div>
</body>
</html>
"""
# What a reader of the page shows, paragraph by paragraph (the list number as Word shows it)
WORD_HTML_TEXT = [
    "BÀI THU HOẠCH",
    "Qua nghiên cứu, học tập Nghị quyết, bản thân tôi nhận thức sâu sắc hơn & rõ hơn về vai trò đảng viên.",
    "1. Mỗi đảng viên phải tu dưỡng.",
    "Nội dung", "Kết quả",
    "Đảng bộ học tập nghị quyết",
    "Chi bộ: " + VNI_PHRASE,
    "Đảng bộ học tập nghị quyết",
    "Câu hỏi đã gõ bằng Unicode",  # Unicode in a span styled .VnTime stays as typed
    "dòng một\ndòng hai",
]


def word_html(charset: str = "utf-8") -> str:
    return WORD_HTML.format(charset=charset, tcvn3=escape(TCVN3), vni=escape(vni_encode(VNI_PHRASE)))


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it; what the code page lacks (TCVN3's Þ) Word writes as a
    character reference."""
    return windows_1258_form(text).encode("cp1258", errors="xmlcharrefreplace")


def _blocks(text: str) -> list[str]:
    return [unicodedata.normalize("NFC", p) for p in text.split("\n") if p.strip()]


@pytest.mark.parametrize("charset", ["utf-8", "windows-1258"])
def test_a_word_html_doc_is_read_paragraph_by_paragraph(tmp_path, charset):
    html = word_html(charset)
    # UTF-8 with a byte-order mark, as Word writes it; Windows-1258 without
    data = html.encode("utf-8") if charset == "utf-8" else cp1258(html.replace("\ufeff", ""))
    (tmp_path / "web.doc").write_bytes(data)
    assert _blocks(read(tmp_path / "web.doc").original) == [
        line for paragraph in WORD_HTML_TEXT for line in paragraph.split("\n")]


def web_archive(html: str) -> bytes:
    """A "Single File Web Page" (.mht), as Word saves it: the page quoted-printable in a MIME message."""
    message = MIMEMultipart("related", type="text/html")
    charset = Charset("utf-8")
    charset.body_encoding = QP
    page = MIMEText(html, "html", charset)
    page["Content-Location"] = "file:///C:/bai-thu-hoach.htm"
    message.attach(page)
    data = message.as_bytes()
    assert b"Content-Transfer-Encoding: quoted-printable" in data and "Đảng".encode() not in data
    return data


def test_a_web_archive_doc_is_read_as_its_page(tmp_path):
    (tmp_path / "web.doc").write_bytes(web_archive(word_html().replace("\ufeff", "")))
    assert _blocks(read(tmp_path / "web.doc").original) == [
        line for paragraph in WORD_HTML_TEXT for line in paragraph.split("\n")]


@pytest.mark.parametrize("real", ["lo-styled.docx", "lo-tcvn3.rtf", "lo-styled.rtf"])
def test_a_doc_that_is_really_docx_or_rtf_is_read_as_one(tmp_path, real):
    shutil.copy(FILES / real, tmp_path / "renamed.doc")
    assert read(tmp_path / "renamed.doc") == read(FILES / real)


# --- 6: .doc files converted a batch at a time -------------------------------------------------

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text>{paragraphs}</office:text></office:body></office:document>"""
ESSAYS = [["Qua nghiên cứu, học tập Nghị quyết, bản thân tôi nhận thức sâu sắc hơn về vai trò của chi bộ."],
          ["Mỗi đảng viên phải thường xuyên tu dưỡng, rèn luyện đạo đức, lối sống.",
           "Giữ mối liên hệ với nhân dân."],
          ["Liên hệ với thực tiễn ở chi bộ thôn, việc sinh hoạt chi bộ đã đi vào nền nếp."]]


def fodt(paragraphs: list[str]) -> bytes:
    return FODT.replace("{paragraphs}", "".join(f"<text:p>{escape(p)}</text:p>"
                                                for p in paragraphs)).encode("utf-8")


@pytest.fixture(scope="module")
def word97(tmp_path_factory) -> list[Path]:
    """The essays as Word 97 files, saved by LibreOffice (one start for all)."""
    if office.office_binary() is None:
        pytest.skip("LibreOffice is not installed here")
    folder = tmp_path_factory.mktemp("word97")
    for n, essay in enumerate(ESSAYS):
        (folder / f"bai{n}.fodt").write_bytes(fodt(essay))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([office.office_binary(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(folder),
                        *(str(folder / f"bai{n}.fodt") for n in range(len(ESSAYS)))],
                       check=True, capture_output=True, timeout=300)
    made = [folder / f"bai{n}.doc" for n in range(len(ESSAYS))]
    assert all(p.read_bytes().startswith(b"\xd0\xcf\x11\xe0") for p in made)
    return made


def broken_word97(word97: list[Path]) -> bytes:
    """The start of a real Word 97 file: LibreOffice cannot load it."""
    return word97[0].read_bytes()[:3000]


def docx_paragraphs(path: Path | None) -> list[str]:
    assert path is not None
    return [p.text for p in docx.Document(str(path)).paragraphs]


@needs_office
def test_a_batch_is_converted_by_one_start_and_each_failure_is_its_own(word97):
    sources = [word97[0], broken_word97(word97), word97[1].read_bytes(), word97[2]]
    with office.converted(sources, "doc", "docx", timeout=60) as done:
        assert done.starts == 1
        assert done.outputs[1] is None
        assert [docx_paragraphs(done.outputs[i]) for i in (0, 2, 3)] == ESSAYS


@needs_office
def test_a_file_past_its_time_is_refused_alone_and_the_rest_go_on_in_a_new_start():
    """60,000 paragraphs take LibreOffice 4 to 12 s to convert (2 AMD EPYC cores, idle to loaded),
    far more than the 1.5 s given to each file here; the small ones take a few hundredths.
    About 5 s in all: two starts and the 1.5 s waited."""
    big = fodt([f"Đoạn {i}: chi bộ học tập nghị quyết." for i in range(60_000)])
    sources = [fodt(ESSAYS[0]), big, fodt(ESSAYS[1]), fodt(ESSAYS[2])]
    with office.converted(sources, "fodt", "docx", timeout=1.5, startup=60) as done:
        assert done.outputs[1] is None
        assert [docx_paragraphs(done.outputs[i]) for i in (0, 2, 3)] == ESSAYS
        assert done.starts == 2


@needs_office
def test_read_many_converts_the_batchs_doc_files_together(word97, tmp_path, monkeypatch):
    """One conversion for the three Word 97 files among other files; each result where its file stands."""
    paths = [tmp_path / name for name in ("a.doc", "b.txt", "hong.doc", "c.doc", "web.doc", "d.doc")]
    shutil.copy(word97[0], paths[0])
    paths[1].write_text("Bài viết bằng chữ thường.", encoding="utf-8")
    paths[2].write_bytes(broken_word97(word97))
    shutil.copy(word97[1], paths[3])
    paths[4].write_bytes(word_html().encode("utf-8"))
    shutil.copy(word97[2], paths[5])
    batches = []
    real = office.converted

    def counted(sources, *args, **kwargs):
        batches.append(len(sources))
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(office, "converted", counted)
    results = list(readers.read_many(paths))
    assert batches == [4]  # the four Word 97 files, in one start
    assert isinstance(results[2], UnreadableFile) and "Không chuyển được tệp .doc" in str(results[2])
    assert [_blocks(results[i].original) for i in (0, 3, 5)] == ESSAYS
    assert results[1].original == "Bài viết bằng chữ thường."
    assert results[4] == read(paths[4])


@needs_office
def test_a_scan_batch_reads_doc_files_as_their_plain_text(word97, tmp_path, monkeypatch):
    for n, path in enumerate(word97):
        shutil.copy(path, tmp_path / f"bai{n}.doc")
        (tmp_path / f"bai{n}.txt").write_text("\n".join(ESSAYS[n]), encoding="utf-8")
    (tmp_path / "hong.doc").write_bytes(broken_word97(word97))
    rels = [f"bai{n}.doc" for n in range(3)] + ["hong.doc"] + [f"bai{n}.txt" for n in range(3)]
    batches = []
    real = office.converted
    monkeypatch.setattr(office, "converted",
                        lambda sources, *a, **k: batches.append(len(sources)) or real(sources, *a, **k))
    batch = fingerprint_batch(str(tmp_path), rels)
    assert batches == [4]
    prints = {fp.path: fp for fp in batch.fingerprints()}
    assert prints["hong.doc"].error.startswith("Không chuyển được tệp .doc")
    for n in range(3):
        assert np.array_equal(prints[f"bai{n}.doc"].shingles, prints[f"bai{n}.txt"].shingles)
        assert prints[f"bai{n}.doc"].n_tokens == prints[f"bai{n}.txt"].n_tokens > 10
