"""Make the real files the reader tests read, with LibreOffice (soffice) and glibc's iconv.

    .venv/bin/python dangvu/integrity/tests/files/make_files.py

The outputs are committed: the tests need neither LibreOffice nor iconv. Sources are flat
OpenDocument (.fodt) written here, so every case is visible: justified and styled text,
bold switching inside words, a table, a text frame, tracked changes (and the same in a font
lacking Vietnamese letters, as a PDF); a TCVN3 document whose
font is named only by its default paragraph style; a VNI document whose font is on the runs.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent

ESSAY = [
    "Qua nghiên cứu, học tập Nghị quyết, bản thân tôi nhận thức sâu sắc hơn về vị trí, vai trò của công tác "
    "xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh.",
    "Mỗi đảng viên phải thường xuyên tu dưỡng, rèn luyện đạo đức, lối sống; giữ mối liên hệ mật thiết với "
    "nhân dân nơi cư trú; gương mẫu thực hiện chủ trương của Đảng, chính sách, pháp luật của Nhà nước.",
    "Liên hệ với thực tiễn ở chi bộ thôn, tôi thấy việc sinh hoạt chi bộ đã đi vào nền nếp, nội dung sinh "
    "hoạt chuyên đề được chuẩn bị chu đáo, song vẫn còn một số đảng viên chưa phát huy tinh thần tự phê bình "
    "và phê bình.",
    "Trong thời gian tới, tôi xác định tiếp tục học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh, "
    "hoàn thành tốt nhiệm vụ được giao, tích cực tham gia các phong trào thi đua ở địa phương.",
]
BOX = "Bài thu hoạch của đảng viên Nguyễn Văn An, Chi bộ thôn Nà Ngoa"
TABLE = [("Nội dung", "Kết quả"), ("Số buổi dự học tập", "Đầy đủ các buổi")]

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Times New Roman" svg:font-family="'Times New Roman'"/>
 <style:font-face style:name="DejaVu Serif" svg:font-family="'DejaVu Serif'"/>
 <style:font-face style:name="Liberation Sans Narrow" svg:font-family="'Liberation Sans Narrow'"/>
 <style:font-face style:name=".VnTime" svg:font-family=".VnTime"/>
 <style:font-face style:name="VNI-Times" svg:font-family="VNI-Times"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph"><style:text-properties style:font-name="{default_font}" fo:font-size="14pt"/></style:default-style>
 <style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="1cm"/><style:text-properties style:font-name="{default_font}"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="VNI" style:family="text"><style:text-properties style:font-name="VNI-Times"/></style:style>
 <style:style style:name="fr" style:family="graphic"/>
</office:automatic-styles>
<office:body><office:text>
"""


def _styled(sentence: str) -> str:
    """Bold and italic switching inside words, as members emphasise ("d<b>ự</b>")."""
    words = sentence.split(" ")
    out = []
    for n, word in enumerate(words):
        w = escape(word)
        if n % 7 == 3 and len(word) > 2:
            w = f'{escape(word[:1])}<text:span text:style-name="B">{escape(word[1:])}</text:span>'
        elif n % 11 == 5 and len(word) > 3:
            w = f'{escape(word[:2])}<text:span text:style-name="I">{escape(word[2:])}</text:span>'
        out.append(w)
    return " ".join(out)


def styled_fodt(font: str = "DejaVu Serif") -> str:
    body = ['<text:tracked-changes>'
            '<text:changed-region text:id="del1"><text:deletion><office:change-info><dc:creator>A</dc:creator>'
            '<dc:date>2026-01-01T00:00:00</dc:date></office:change-info>'
            '<text:p>câu đã xóa không được đọc</text:p></text:deletion></text:changed-region>'
            '<text:changed-region text:id="ins1"><text:insertion><office:change-info><dc:creator>A</dc:creator>'
            '<dc:date>2026-01-01T00:00:00</dc:date></office:change-info></text:insertion></text:changed-region>'
            '</text:tracked-changes>']
    body.append(f'<text:p text:style-name="Standard"><draw:frame draw:style-name="fr" draw:name="Khung" '
                f'text:anchor-type="paragraph" svg:width="8cm" svg:height="2cm"><draw:text-box>'
                f'<text:p>{escape(BOX)}</text:p></draw:text-box></draw:frame>{_styled(ESSAY[0])}</text:p>')
    body.append(f'<text:p text:style-name="Standard">{_styled(ESSAY[1])}<text:change text:change-id="del1"/>'
                f'</text:p>')
    rows = "".join("<table:table-row>" + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>"
                                                  for c in row) + "</table:table-row>" for row in TABLE)
    body.append(f'<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>{rows}'
                f'</table:table>')
    first, rest = ESSAY[2].split(" ", 1)
    body.append(f'<text:p text:style-name="Standard">{escape(first)} <text:change-start text:change-id="ins1"/>'
                f'{_styled(rest)}<text:change-end text:change-id="ins1"/></text:p>')
    body.append(f'<text:p text:style-name="Standard">{_styled(ESSAY[3])}</text:p>')
    # DejaVu Serif: every Vietnamese letter in one font; fallback_fodt() is the other case
    return HEAD.replace("{default_font}", font) + "\n".join(body) + "</office:text></office:body></office:document>"


def fallback_fodt() -> str:
    """The styled essay in Liberation Sans Narrow, which lacks most Vietnamese letters:
    LibreOffice draws those from a fallback font after the rest of each line."""
    return styled_fodt("Liberation Sans Narrow")


def iconv(text: str, charset: str) -> str:
    return subprocess.run(["iconv", "-f", "utf-8", "-t", charset], input=text.encode(), capture_output=True,
                          check=True).stdout.decode("latin-1")


def tcvn3_fodt() -> str:
    """TCVN3 text in .VnTime, named only by the default paragraph style: no font on any run."""
    paragraphs = "".join(f'<text:p text:style-name="Standard">{escape(iconv(p, "TCVN5712-1"))}</text:p>' for p in ESSAY)
    return HEAD.replace("{default_font}", ".VnTime") + paragraphs + "</office:text></office:body></office:document>"


def vni_fodt() -> str:
    import sys

    sys.path.insert(0, str(HERE.parent))
    from test_legacy_roundtrip import vni_encode

    paragraphs = "".join(f'<text:p text:style-name="Standard"><text:span text:style-name="VNI">'
                         f'{escape(vni_encode(p))}</text:span></text:p>' for p in ESSAY)
    return HEAD.replace("{default_font}", "Times New Roman") + paragraphs + "</office:text></office:body></office:document>"


def convert(source: Path, target: str, out: Path) -> Path:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([office, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", target,
                        "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=120)
        made = next(p for p in Path(tmp).iterdir() if p.is_file())
        shutil.copy(made, out)
    return out


def main() -> None:
    (HERE / "essay.txt").write_text("\n".join([BOX] + ESSAY[:2] + [" ".join(c for row in TABLE for c in row)]
                                              + ESSAY[2:]) + "\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("lo-styled", styled_fodt), ("lo-tcvn3", tcvn3_fodt), ("lo-vni", vni_fodt),
                           ("lo-fallback", fallback_fodt)):
            source = Path(tmp) / f"{name}.fodt"
            source.write_text(make(), encoding="utf-8")
            for target, suffix in (("docx:MS Word 2007 XML", "docx"), ("odt", "odt"), ("rtf", "rtf"),
                                   ("doc:MS Word 97", "doc"), ("pdf:writer_pdf_Export", "pdf")):
                if name == "lo-fallback" and suffix != "pdf":
                    continue  # a fallback font changes only how the PDF is drawn
                if name in ("lo-tcvn3", "lo-vni") and suffix in ("odt", "pdf", "doc"):
                    continue  # the legacy cases are about .docx and .rtf
                convert(source, target, HERE / f"{name}.{suffix}")
    # 8-bit text files, as Notepad or an old editor saved them
    (HERE / "tcvn3-8bit.txt").write_bytes(iconv("\n".join(ESSAY), "TCVN5712-1").encode("latin-1"))
    import sys

    sys.path.insert(0, str(HERE.parent))
    from test_legacy_roundtrip import vni_encode

    (HERE / "vni-8bit.txt").write_bytes(vni_encode("\n".join(ESSAY)).encode("latin-1"))
    (HERE / "vni-utf8.txt").write_text(vni_encode("\n".join(ESSAY)), encoding="utf-8")


if __name__ == "__main__":
    main()
